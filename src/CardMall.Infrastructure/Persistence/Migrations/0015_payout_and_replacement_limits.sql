-- Issue 14 (money and keys that staff cannot bend). Compensation is booked against the order like a refund, and
-- together they never pass what the order cost, however many tickets or approvals are involved.
ALTER TABLE orders ADD COLUMN compensated_amount numeric(18,2) NOT NULL DEFAULT 0;
ALTER TABLE orders ALTER COLUMN compensated_amount DROP DEFAULT;
-- Compensation paid before this rule is counted as far as the order's total still allows.
UPDATE orders o SET compensated_amount = LEAST(o.total - o.refunded_amount, c.paid)
FROM (SELECT order_id, sum(amount) AS paid FROM payouts WHERE kind = 'Compensation' AND status = 'Paid' AND order_id IS NOT NULL
      GROUP BY order_id) c
WHERE c.order_id = o.id;
ALTER TABLE orders ADD CONSTRAINT ck_orders_paid_back CHECK (compensated_amount >= 0 AND refunded_amount + compensated_amount <= total);

-- Daily limits per person: what one staff member paid out today, and how many keys they replaced by hand today.
CREATE INDEX ix_payouts_decided_by_decided_at ON payouts (decided_by, decided_at) WHERE status = 'Paid';
CREATE INDEX ix_ticket_events_actor_id_at ON ticket_events (actor_id, at) WHERE kind = 'key_replaced';
