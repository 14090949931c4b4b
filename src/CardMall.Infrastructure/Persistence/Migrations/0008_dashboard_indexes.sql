-- Issue 6: the operators' dashboards read a year of orders, tickets, payouts and sold keys by time.
-- Orders carry buyer, product and amount in the index so the busiest statements are index-only scans.

CREATE INDEX ix_card_keys_sold_at ON card_keys (sold_at) INCLUDE (batch_id) WHERE sold_at IS NOT NULL;

CREATE INDEX ix_orders_created_at ON orders (created_at) INCLUDE (user_id, product_id, total);

CREATE INDEX ix_payouts_decided_at ON payouts (decided_at) WHERE status = 'Paid';

CREATE INDEX ix_tickets_created_at ON tickets (created_at);

CREATE INDEX ix_tickets_rated_at ON tickets (rated_at) WHERE rated_at IS NOT NULL;
