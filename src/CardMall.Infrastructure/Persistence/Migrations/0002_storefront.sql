-- 0002_storefront: products and their versioned notices, suppliers, key batches, card keys and their
-- events, wallets and the ledger, top-ups, orders and their items, notifications.
-- Written from `--print-model-sql`; the schema-drift test keeps it equal to the EF model.

CREATE TABLE suppliers (
    id uuid NOT NULL,
    code character varying(64) NOT NULL,
    name character varying(200) NOT NULL,
    webhook_secret_cipher bytea NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_suppliers PRIMARY KEY (id)
);

CREATE TABLE products (
    id uuid NOT NULL,
    sku character varying(64) NOT NULL,
    category_id uuid NOT NULL,
    name_zh character varying(200) NOT NULL,
    name_en character varying(200) NOT NULL,
    description_zh text NOT NULL,
    description_en text NOT NULL,
    face_value numeric(18,2) NOT NULL,
    price numeric(18,2) NOT NULL,
    vip_price numeric(18,2),
    reseller_price numeric(18,2),
    min_per_order integer NOT NULL,
    max_per_order integer NOT NULL,
    max_per_buyer_per_day integer,
    is_active boolean NOT NULL,
    validity_days integer NOT NULL,
    device_limit integer NOT NULL,
    regions character varying(200) NOT NULL,
    notices_version integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_products PRIMARY KEY (id),
    CONSTRAINT ck_products_limits CHECK (min_per_order >= 1 AND max_per_order >= min_per_order AND (max_per_buyer_per_day IS NULL OR max_per_buyer_per_day >= 1)),
    CONSTRAINT ck_products_prices CHECK (price > 0 AND face_value >= 0 AND (vip_price IS NULL OR vip_price > 0) AND (reseller_price IS NULL OR reseller_price > 0)),
    CONSTRAINT fk_products_categories_category_id FOREIGN KEY (category_id) REFERENCES categories (id) ON DELETE RESTRICT
);

CREATE TABLE notifications (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    kind character varying(64) NOT NULL,
    args character varying(2000) NOT NULL,
    link character varying(300),
    created_at timestamp with time zone NOT NULL,
    read_at timestamp with time zone,
    CONSTRAINT pk_notifications PRIMARY KEY (id),
    CONSTRAINT fk_notifications_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE TABLE top_ups (
    id uuid NOT NULL,
    no character varying(32) NOT NULL,
    user_id uuid NOT NULL,
    amount numeric(18,2) NOT NULL,
    gateway character varying(32) NOT NULL,
    gateway_trade_no character varying(64),
    status character varying(16) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    paid_at timestamp with time zone,
    CONSTRAINT pk_top_ups PRIMARY KEY (id),
    CONSTRAINT ck_top_ups_amount CHECK (amount > 0),
    CONSTRAINT fk_top_ups_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE TABLE wallets (
    user_id uuid NOT NULL,
    balance numeric(18,2) NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_wallets PRIMARY KEY (user_id),
    CONSTRAINT ck_wallets_balance_not_negative CHECK (balance >= 0),
    CONSTRAINT fk_wallets_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE TABLE key_batches (
    id uuid NOT NULL,
    product_id uuid NOT NULL,
    supplier_id uuid NOT NULL,
    unit_cost numeric(18,2) NOT NULL,
    expires_at timestamp with time zone,
    imported_by_user_id uuid NOT NULL,
    file_hash character varying(64) NOT NULL,
    imported_at timestamp with time zone NOT NULL,
    line_count integer NOT NULL,
    imported_count integer NOT NULL,
    rejected_count integer NOT NULL,
    is_frozen boolean NOT NULL,
    CONSTRAINT pk_key_batches PRIMARY KEY (id),
    CONSTRAINT ck_key_batches_unit_cost CHECK (unit_cost >= 0),
    CONSTRAINT fk_key_batches_products_product_id FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE RESTRICT,
    CONSTRAINT fk_key_batches_suppliers_supplier_id FOREIGN KEY (supplier_id) REFERENCES suppliers (id) ON DELETE RESTRICT
);

CREATE TABLE orders (
    id uuid NOT NULL,
    no character varying(24) NOT NULL,
    user_id uuid NOT NULL,
    product_id uuid NOT NULL,
    quantity integer NOT NULL,
    unit_price numeric(18,2) NOT NULL,
    total numeric(18,2) NOT NULL,
    tier character varying(16) NOT NULL,
    status character varying(24) NOT NULL,
    notices_version integer NOT NULL,
    idempotency_key character varying(64),
    request_hash character varying(64),
    channel character varying(8) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_orders PRIMARY KEY (id),
    CONSTRAINT ck_orders_amounts CHECK (quantity >= 1 AND unit_price > 0 AND total = unit_price * quantity),
    CONSTRAINT fk_orders_products_product_id FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE RESTRICT,
    CONSTRAINT fk_orders_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE TABLE product_notices (
    product_id uuid NOT NULL,
    version integer NOT NULL,
    validity_days integer NOT NULL,
    device_limit integer NOT NULL,
    regions character varying(200) NOT NULL,
    refund_policy_zh text NOT NULL,
    refund_policy_en text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_product_notices PRIMARY KEY (product_id, version),
    CONSTRAINT fk_product_notices_products_product_id FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE
);

CREATE TABLE ledger_entries (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    user_id uuid NOT NULL,
    kind character varying(16) NOT NULL,
    amount numeric(18,2) NOT NULL,
    balance_after numeric(18,2) NOT NULL,
    reference character varying(64) NOT NULL,
    at timestamp with time zone NOT NULL,
    actor_user_id uuid,
    note character varying(500),
    CONSTRAINT pk_ledger_entries PRIMARY KEY (id),
    CONSTRAINT ck_ledger_entries_amount CHECK (amount <> 0 AND balance_after >= 0),
    CONSTRAINT fk_ledger_entries_wallets_user_id FOREIGN KEY (user_id) REFERENCES wallets (user_id) ON DELETE CASCADE
);

CREATE TABLE card_keys (
    id uuid NOT NULL,
    product_id uuid NOT NULL,
    batch_id uuid NOT NULL,
    code_hash bytea NOT NULL,
    code_cipher bytea NOT NULL,
    secret_cipher bytea,
    key_version integer NOT NULL,
    state character varying(16) NOT NULL,
    state_before_freeze character varying(16),
    expires_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    sold_at timestamp with time zone,
    order_id uuid,
    CONSTRAINT pk_card_keys PRIMARY KEY (id),
    CONSTRAINT ck_card_keys_sold_has_order CHECK ((state = 'Available') = (order_id IS NULL) OR state IN ('Frozen', 'Void')),
    CONSTRAINT fk_card_keys_key_batches_batch_id FOREIGN KEY (batch_id) REFERENCES key_batches (id) ON DELETE RESTRICT,
    CONSTRAINT fk_card_keys_orders_order_id FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE RESTRICT,
    CONSTRAINT fk_card_keys_products_product_id FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE RESTRICT
);

CREATE TABLE card_key_events (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    card_key_id uuid NOT NULL,
    kind character varying(24) NOT NULL,
    at timestamp with time zone NOT NULL,
    actor_user_id uuid,
    detail character varying(500),
    ip character varying(64),
    user_agent character varying(300),
    order_id uuid,
    CONSTRAINT pk_card_key_events PRIMARY KEY (id),
    CONSTRAINT fk_card_key_events_card_keys_card_key_id FOREIGN KEY (card_key_id) REFERENCES card_keys (id) ON DELETE CASCADE
);

CREATE TABLE order_items (
    id uuid NOT NULL,
    order_id uuid NOT NULL,
    card_key_id uuid NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_order_items PRIMARY KEY (id),
    CONSTRAINT fk_order_items_card_keys_card_key_id FOREIGN KEY (card_key_id) REFERENCES card_keys (id) ON DELETE RESTRICT,
    CONSTRAINT fk_order_items_orders_order_id FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
);

CREATE INDEX ix_card_key_events_card_key_id_at ON card_key_events (card_key_id, at);

CREATE INDEX ix_card_keys_batch_id ON card_keys (batch_id);

CREATE UNIQUE INDEX ix_card_keys_code_hash ON card_keys (code_hash);

CREATE INDEX ix_card_keys_order_id ON card_keys (order_id);

CREATE INDEX ix_card_keys_product_id_state_expires_at ON card_keys (product_id, state, expires_at);

CREATE INDEX ix_key_batches_product_id ON key_batches (product_id);

CREATE INDEX ix_key_batches_supplier_id ON key_batches (supplier_id);

CREATE INDEX ix_ledger_entries_user_id_id ON ledger_entries (user_id, id);

CREATE INDEX ix_notifications_user_id_created_at ON notifications (user_id, created_at);

CREATE UNIQUE INDEX ix_order_items_card_key_id ON order_items (card_key_id);

CREATE INDEX ix_order_items_order_id ON order_items (order_id);

CREATE UNIQUE INDEX ix_orders_no ON orders (no);

CREATE INDEX ix_orders_product_id_created_at ON orders (product_id, created_at);

CREATE INDEX ix_orders_user_id_created_at ON orders (user_id, created_at);

CREATE UNIQUE INDEX ix_orders_user_id_idempotency_key ON orders (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE INDEX ix_products_category_id ON products (category_id);

CREATE UNIQUE INDEX ix_products_sku ON products (sku);

CREATE UNIQUE INDEX ix_suppliers_code ON suppliers (code);

CREATE UNIQUE INDEX ix_top_ups_no ON top_ups (no);

CREATE INDEX ix_top_ups_status_created_at ON top_ups (status, created_at);

CREATE INDEX ix_top_ups_user_id_created_at ON top_ups (user_id, created_at);
