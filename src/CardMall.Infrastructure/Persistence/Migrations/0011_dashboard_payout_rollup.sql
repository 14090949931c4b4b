-- Issue 6: money paid out per day, product and requester, so a year of refunds is not joined to a year of
-- orders on every dashboard view. Rebuilt with the other rollups (RefreshDashboardRollups).

CREATE TABLE dashboard_payouts (
    day date NOT NULL,
    product_id uuid,
    requested_by uuid NOT NULL,
    refunded numeric(18,2) NOT NULL,
    compensated numeric(18,2) NOT NULL
);

CREATE INDEX ix_dashboard_payouts_day ON dashboard_payouts (day);

-- Paid payouts of [since, until) by day, the product of their order (none for a payout without one) and
-- who asked for them.
CREATE FUNCTION dashboard_paid_payouts(since timestamp with time zone, until timestamp with time zone)
RETURNS TABLE (day date, product_id uuid, requested_by uuid, refunded numeric, compensated numeric)
LANGUAGE sql STABLE AS $$
    SELECT (p.decided_at AT TIME ZONE 'Asia/Shanghai')::date, o.product_id, p.requested_by,
           coalesce(sum(p.amount) FILTER (WHERE p.kind = 'Refund'), 0), coalesce(sum(p.amount) FILTER (WHERE p.kind = 'Compensation'), 0)
    FROM payouts p LEFT JOIN orders o ON o.id = p.order_id
    WHERE p.status = 'Paid' AND p.decided_at >= since AND p.decided_at < until
    GROUP BY 1, 2, 3
$$;

-- A period's payouts: rolled-up days before the cut, live from the cut on.
CREATE FUNCTION dashboard_period_payouts(from_day date, cut_day date, cut timestamp with time zone, period_end timestamp with time zone)
RETURNS TABLE (day date, product_id uuid, requested_by uuid, refunded numeric, compensated numeric)
LANGUAGE sql STABLE AS $$
    SELECT day, product_id, requested_by, refunded, compensated FROM dashboard_payouts WHERE day >= from_day AND day < cut_day
    UNION ALL
    SELECT day, product_id, requested_by, refunded, compensated FROM dashboard_paid_payouts(cut, period_end)
$$;
