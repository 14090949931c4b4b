-- 0003_knowledge_base: help-centre articles (usage tutorials, FAQ, policies) in Chinese and English.
-- Written from `dotnet run --project src/CardMall.Web -- --print-model-sql`; the schema-drift test
-- keeps this file and the EF model identical. Applied migrations are never edited.
-- product_sku names a product without a foreign key: a tutorial may be written before its product exists.

CREATE TABLE articles (
    id uuid NOT NULL,
    slug character varying(80) NOT NULL,
    kind character varying(16) NOT NULL,
    title_zh character varying(120) NOT NULL,
    title_en character varying(120) NOT NULL,
    body_zh text NOT NULL,
    body_en text NOT NULL,
    product_sku character varying(64),
    is_published boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    updated_by_user_id uuid NOT NULL,
    CONSTRAINT pk_articles PRIMARY KEY (id),
    CONSTRAINT ck_articles_kind CHECK (kind IN ('Tutorial', 'Faq', 'Policy')),
    CONSTRAINT ck_articles_slug CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    CONSTRAINT fk_articles_users_updated_by_user_id FOREIGN KEY (updated_by_user_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE INDEX ix_articles_product_sku ON articles (product_sku);

CREATE UNIQUE INDEX ix_articles_slug ON articles (slug);

CREATE INDEX ix_articles_updated_by_user_id ON articles (updated_by_user_id);
