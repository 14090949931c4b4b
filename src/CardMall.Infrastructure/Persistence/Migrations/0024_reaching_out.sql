-- Issue 16, service that reaches out first (主动服务, 情感触点); docs/decisions/0035.

-- A product may name a knowledge-base article as its security or usage guide, pushed to buyers after a purchase.
ALTER TABLE products ADD COLUMN guide_article_id uuid;
ALTER TABLE products ADD CONSTRAINT fk_products_articles_guide_article_id
    FOREIGN KEY (guide_article_id) REFERENCES articles (id) ON DELETE SET NULL;
CREATE INDEX ix_products_guide_article_id ON products (guide_article_id);

-- Once per buyer and guide: the primary key is the "once", so concurrent orders cannot both send it.
CREATE TABLE purchase_guides_sent (
    user_id uuid NOT NULL,
    article_id uuid NOT NULL,
    order_id uuid NOT NULL,
    sent_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_purchase_guides_sent PRIMARY KEY (user_id, article_id),
    CONSTRAINT fk_purchase_guides_sent_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_purchase_guides_sent_articles_article_id FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE,
    CONSTRAINT fk_purchase_guides_sent_orders_order_id FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
);
CREATE INDEX ix_purchase_guides_sent_article_id ON purchase_guides_sent (article_id);
CREATE INDEX ix_purchase_guides_sent_order_id ON purchase_guides_sent (order_id);

-- An optional birthday: month and day, never the year.
ALTER TABLE users ADD COLUMN birth_month integer;
ALTER TABLE users ADD COLUMN birth_day integer;
ALTER TABLE users ADD CONSTRAINT ck_users_birthday CHECK ((birth_month IS NULL) = (birth_day IS NULL)
    AND (birth_month IS NULL OR (birth_month BETWEEN 1 AND 12 AND birth_day BETWEEN 1 AND 31)));
CREATE INDEX ix_users_birthday ON users (birth_month, birth_day) WHERE birth_month IS NOT NULL;

-- One greeting a day per buyer (their own calendar day), whatever the occasion and however many nodes greet.
CREATE TABLE greetings (
    user_id uuid NOT NULL,
    day date NOT NULL,
    occasion character varying(16) NOT NULL,
    sent_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_greetings PRIMARY KEY (user_id, day),
    CONSTRAINT ck_greetings_occasion CHECK (occasion IN ('Birthday', 'SpringFestival', 'MidAutumn')),
    CONSTRAINT fk_greetings_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
