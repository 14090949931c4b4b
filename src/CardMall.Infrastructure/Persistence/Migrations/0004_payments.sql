-- 0004_payments: the built-in sandbox payment gateway's own record of payments (its "server side"),
-- including the state of its signed notifications to the shop.
-- Written from `--print-model-sql`; the schema-drift test keeps it equal to the EF model.

CREATE TABLE sandbox_payments (
    trade_no character varying(32) NOT NULL,
    top_up_no character varying(32) NOT NULL,
    amount numeric(18,2) NOT NULL,
    status character varying(16) NOT NULL,
    notify_url character varying(500) NOT NULL,
    return_url character varying(500) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    paid_at timestamp with time zone,
    drop_notify boolean NOT NULL,
    notify_attempts integer NOT NULL,
    next_notify_at timestamp with time zone,
    notified_at timestamp with time zone,
    CONSTRAINT pk_sandbox_payments PRIMARY KEY (trade_no),
    CONSTRAINT ck_sandbox_payments_amount CHECK (amount > 0)
);

CREATE INDEX ix_sandbox_payments_next_notify_at ON sandbox_payments (next_notify_at);

CREATE UNIQUE INDEX ix_sandbox_payments_top_up_no ON sandbox_payments (top_up_no);
