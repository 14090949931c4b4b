-- Pay as you buy (docs/decisions/0037): an order can be paid through a gateway instead of the wallet. It waits for
-- the payment with its keys reserved (card_keys.state 'Reserved', order_id set: neither allocation nor the stock
-- counts see them), is delivered when the payment settles, or expires and gives the keys back.
ALTER TABLE orders ADD COLUMN payment_method character varying(32) NOT NULL DEFAULT 'wallet';
ALTER TABLE orders ALTER COLUMN payment_method DROP DEFAULT;
ALTER TABLE orders ADD COLUMN pay_by timestamp with time zone;
ALTER TABLE orders ADD COLUMN pay_url character varying(4000);
ALTER TABLE orders ADD COLUMN gateway_trade_no character varying(64);
ALTER TABLE orders ADD COLUMN paid_at timestamp with time zone;
ALTER TABLE orders ADD COLUMN guide_article_id uuid;
UPDATE orders SET paid_at = created_at;
-- The payment watcher's work list: only the orders still waiting for their payment.
CREATE INDEX ix_orders_awaiting_payment ON orders (created_at, id) WHERE status = 'AwaitingPayment';

-- Money going back through the gateway that took it: a payment after expiry or a second payment (once per trade),
-- or an after-sales refund the way the money came.
CREATE TABLE payment_refunds (
    id uuid NOT NULL,
    no character varying(24) NOT NULL,
    gateway character varying(32) NOT NULL,
    reference character varying(32) NOT NULL,
    trade_no character varying(64) NOT NULL,
    amount numeric(18,2) NOT NULL,
    reason character varying(24) NOT NULL,
    user_id uuid NOT NULL,
    to_wallet_requested boolean NOT NULL,
    status character varying(16) NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    done_at timestamp with time zone,
    last_error character varying(200),
    CONSTRAINT pk_payment_refunds PRIMARY KEY (id),
    CONSTRAINT ck_payment_refunds_amount CHECK (amount > 0),
    CONSTRAINT fk_payment_refunds_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT
);
CREATE UNIQUE INDEX ix_payment_refunds_no ON payment_refunds (no);
CREATE UNIQUE INDEX ix_payment_refunds_stray_payment ON payment_refunds (gateway, trade_no) WHERE reason <> 'AfterSales';
CREATE INDEX ix_payment_refunds_reference ON payment_refunds (reference);
CREATE INDEX ix_payment_refunds_due ON payment_refunds (next_attempt_at) WHERE status = 'Pending';
CREATE INDEX ix_payment_refunds_user_id ON payment_refunds (user_id);

-- The sandbox gateway pays for orders as well as top-ups, and gives money back.
ALTER TABLE sandbox_payments RENAME COLUMN top_up_no TO reference;
ALTER INDEX ix_sandbox_payments_top_up_no RENAME TO ix_sandbox_payments_reference;
ALTER TABLE sandbox_payments ADD COLUMN refunded_amount numeric(18,2) NOT NULL DEFAULT 0;
ALTER TABLE sandbox_payments ALTER COLUMN refunded_amount DROP DEFAULT;
ALTER TABLE sandbox_payments ADD CONSTRAINT ck_sandbox_payments_refunded CHECK (refunded_amount >= 0 AND refunded_amount <= amount);
CREATE TABLE sandbox_refunds (
    refund_no character varying(40) NOT NULL,
    trade_no character varying(32) NOT NULL,
    amount numeric(18,2) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_sandbox_refunds PRIMARY KEY (refund_no),
    CONSTRAINT ck_sandbox_refunds_amount CHECK (amount > 0)
);
CREATE INDEX ix_sandbox_refunds_trade_no ON sandbox_refunds (trade_no);

-- Sales on the dashboards are orders that were paid: an order still awaiting its gateway payment, or expired unpaid,
-- sold nothing (the rollups in RefreshDashboardRollups filter the same way).
CREATE OR REPLACE FUNCTION dashboard_period_sales(from_day date, cut_day date, cut timestamp with time zone, period_end timestamp with time zone)
RETURNS TABLE (day date, product_id uuid, orders integer, revenue numeric)
LANGUAGE sql STABLE AS $$
    SELECT day, product_id, orders, revenue FROM dashboard_sales WHERE day >= from_day AND day < cut_day
    UNION ALL
    SELECT (created_at AT TIME ZONE 'Asia/Shanghai')::date, product_id, count(*)::integer, sum(total)
    FROM orders WHERE created_at >= cut AND created_at < period_end AND status NOT IN ('AwaitingPayment', 'Expired') GROUP BY 1, 2
$$;

-- A refund on a gateway-paid order goes back the way the money came, unless the buyer chose the wallet on the ticket.
ALTER TABLE tickets ADD COLUMN refund_to_wallet boolean NOT NULL DEFAULT false;
ALTER TABLE tickets ALTER COLUMN refund_to_wallet DROP DEFAULT;
