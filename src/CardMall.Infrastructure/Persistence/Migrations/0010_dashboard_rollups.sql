-- Issue 6: rollups so the dashboards answer a year of data quickly. They hold whole Beijing days before
-- dashboard_rollup_state.covered_until (the midnight the last rebuild started from); the dashboards add the
-- days after it from the live tables. Rebuilt in full by RefreshDashboardRollups (a background pass), never
-- written anywhere else; they are derived data, outside the EF model (see MigrationTests).

CREATE TABLE dashboard_rollup_state (
    id integer NOT NULL,
    covered_until timestamp with time zone NOT NULL,
    covered_until_day date NOT NULL,
    refreshed_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_dashboard_rollup_state PRIMARY KEY (id),
    CONSTRAINT ck_dashboard_rollup_state_single CHECK (id = 1)
);

-- Orders and revenue per day and product.
CREATE TABLE dashboard_sales (
    day date NOT NULL,
    product_id uuid NOT NULL,
    orders integer NOT NULL,
    revenue numeric(18,2) NOT NULL,
    CONSTRAINT pk_dashboard_sales PRIMARY KEY (day, product_id)
);

-- Orders per day by the day of the same buyer's previous order ('-infinity': none), and by the day of the
-- order before that: a period's buyers are its orders whose previous order is older than the period, and
-- its repeat buyers those whose second-previous is (minus the buyers).
CREATE TABLE dashboard_buyer_orders (
    day date NOT NULL,
    before_day date NOT NULL,
    nth integer NOT NULL,
    orders integer NOT NULL,
    CONSTRAINT pk_dashboard_buyer_orders PRIMARY KEY (nth, day, before_day)
);

-- Keys of each supplier sold per day.
CREATE TABLE dashboard_supplier_sales (
    day date NOT NULL,
    supplier_id uuid NOT NULL,
    keys_sold integer NOT NULL,
    tickets integer NOT NULL,
    complained_keys integer NOT NULL,
    CONSTRAINT pk_dashboard_supplier_sales PRIMARY KEY (day, supplier_id)
);

-- One narrow row per ticket with its clock figures as of the rebuild (medians and p90 need the values).
CREATE TABLE dashboard_tickets (
    ticket_id uuid NOT NULL,
    day date NOT NULL,
    category character varying(24) NOT NULL,
    product_id uuid,
    assignee_id uuid,
    complaint boolean NOT NULL,
    fr double precision,
    res double precision,
    fr_decided boolean NOT NULL,
    fr_met boolean NOT NULL,
    res_decided boolean NOT NULL,
    res_met boolean NOT NULL,
    breached boolean NOT NULL,
    reopened boolean NOT NULL,
    urged boolean NOT NULL,
    rating integer,
    rated_day date,
    CONSTRAINT pk_dashboard_tickets PRIMARY KEY (ticket_id)
);

CREATE INDEX ix_dashboard_tickets_day ON dashboard_tickets (day);

CREATE INDEX ix_dashboard_tickets_rated_day ON dashboard_tickets (rated_day) WHERE rated_day IS NOT NULL;

-- A ticket's dashboard figures, computed the one way both the rebuild and the live part use. Clock
-- figures leave out the paused time: the first-response due time is pushed out by exactly the pauses
-- before the first reply (ADR 0013), so filing → reply without them is reply − due + target; resolution
-- is resolved − filed − paused seconds. "Decided" means answered (resolved), or past due without.
CREATE VIEW dashboard_ticket_facts AS
SELECT t.id AS ticket_id,
       t.created_at,
       (t.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
       t.category,
       o.product_id,
       t.assignee_id,
       t.category IN ('KeyInvalid', 'KeyAlreadyUsed', 'ActivationFailed') AS complaint,
       extract(epoch FROM t.first_responded_at - t.first_response_due_at)::float8 + t.first_response_target_minutes * 60 AS fr,
       extract(epoch FROM t.resolved_at - t.created_at)::float8 - t.paused_seconds AS res,
       (t.first_responded_at IS NOT NULL OR t.first_response_due_at < now()) AS fr_decided,
       coalesce(t.first_responded_at <= t.first_response_due_at, false) AS fr_met,
       (t.resolved_at IS NOT NULL OR (t.status IN ('New', 'Open', 'WaitingOnBuyer', 'WaitingOnSupplier') AND t.resolution_due_at < now())) AS res_decided,
       coalesce(t.resolved_at <= t.resolution_due_at, false) AS res_met,
       t.is_breached AS breached,
       t.reopen_count > 0 AS reopened,
       t.urge_count > 0 AS urged,
       t.rating,
       t.rated_at,
       (t.rated_at AT TIME ZONE 'Asia/Shanghai')::date AS rated_day
FROM tickets t LEFT JOIN orders o ON o.id = t.order_id;

-- A period's tickets: rolled-up days before the cut, live rows from the cut on (see DashboardQueries).
CREATE FUNCTION dashboard_period_tickets(from_day date, cut_day date, cut timestamp with time zone, period_end timestamp with time zone)
RETURNS TABLE (day date, category character varying, product_id uuid, assignee_id uuid, complaint boolean, fr double precision,
               res double precision, fr_decided boolean, fr_met boolean, res_decided boolean, res_met boolean, breached boolean,
               reopened boolean, urged boolean, rating integer)
LANGUAGE sql STABLE AS $$
    SELECT day, category, product_id, assignee_id, complaint, fr, res, fr_decided, fr_met, res_decided, res_met, breached, reopened, urged, rating
    FROM dashboard_tickets WHERE day >= from_day AND day < cut_day
    UNION ALL
    SELECT day, category, product_id, assignee_id, complaint, fr, res, fr_decided, fr_met, res_decided, res_met, breached, reopened, urged, rating
    FROM dashboard_ticket_facts WHERE created_at >= cut AND created_at < period_end
$$;

-- A period's orders per day and product, the same way.
CREATE FUNCTION dashboard_period_sales(from_day date, cut_day date, cut timestamp with time zone, period_end timestamp with time zone)
RETURNS TABLE (day date, product_id uuid, orders integer, revenue numeric)
LANGUAGE sql STABLE AS $$
    SELECT day, product_id, orders, revenue FROM dashboard_sales WHERE day >= from_day AND day < cut_day
    UNION ALL
    SELECT (created_at AT TIME ZONE 'Asia/Shanghai')::date, product_id, count(*)::integer, sum(total)
    FROM orders WHERE created_at >= cut AND created_at < period_end GROUP BY 1, 2
$$;

-- The keys each ticket filed in [since, until) is about, with their suppliers: tickets per supplier, and key
-- complaints (a key named in a key-complaint ticket) per supplier.
CREATE FUNCTION dashboard_ticket_keys(since timestamp with time zone, until timestamp with time zone)
RETURNS TABLE (day date, supplier_id uuid, ticket_id uuid, key_id uuid, complaint boolean)
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT (t.created_at AT TIME ZONE 'Asia/Shanghai')::date, b.supplier_id, t.id, k.id,
           t.category IN ('KeyInvalid', 'KeyAlreadyUsed', 'ActivationFailed')
    FROM tickets t JOIN ticket_items ti ON ti.ticket_id = t.id
    JOIN order_items oi ON oi.id = ti.order_item_id JOIN card_keys k ON k.id = oi.card_key_id
    JOIN key_batches b ON b.id = k.batch_id
    WHERE t.created_at >= since AND t.created_at < until
$$;

-- A period's keys sold and ticket figures per supplier and day, the same way.
CREATE FUNCTION dashboard_period_suppliers(from_day date, cut_day date, cut timestamp with time zone, period_end timestamp with time zone)
RETURNS TABLE (day date, supplier_id uuid, keys_sold integer, tickets integer, complained_keys integer)
LANGUAGE sql STABLE AS $$
    SELECT day, supplier_id, keys_sold, tickets, complained_keys FROM dashboard_supplier_sales WHERE day >= from_day AND day < cut_day
    UNION ALL
    SELECT (k.sold_at AT TIME ZONE 'Asia/Shanghai')::date, b.supplier_id, count(*)::integer, 0, 0
    FROM card_keys k JOIN key_batches b ON b.id = k.batch_id
    WHERE k.sold_at >= cut AND k.sold_at < period_end GROUP BY 1, 2
    UNION ALL
    SELECT x.day, x.supplier_id, 0, count(DISTINCT x.ticket_id)::integer, (count(DISTINCT x.key_id) FILTER (WHERE x.complaint))::integer
    FROM dashboard_ticket_keys(cut, period_end) x GROUP BY 1, 2
$$;
