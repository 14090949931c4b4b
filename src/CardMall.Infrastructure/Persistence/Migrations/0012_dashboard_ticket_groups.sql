-- Issue 6: the ticket figures of a year, read in milliseconds. A year holds about 100,000 tickets; reading
-- them one row each (dashboard_tickets, migration 0010) and sorting their clock values once per median in
-- PostgreSQL took most of the dashboard's time. Rolled up instead, rebuilt with the other rollups (RefreshDashboardRollups):
--   dashboard_ticket_groups: per Beijing filing day, category and assignee, the counts and the clock values
--     themselves (the medians and p90 are taken from them in the application, PeriodTickets);
--   dashboard_ratings: ratings per day they were given and per star, for satisfaction and its trend.
--   dashboard_product_tickets: tickets per filing day and product.
-- They replace the one-row-per-ticket dashboard_tickets of migration 0010. The time since the cut is read
-- live, grouped the same way by the same functions.

CREATE TABLE dashboard_ticket_groups (
    day date NOT NULL,
    category character varying(24) NOT NULL,
    assignee_id uuid,
    tickets integer NOT NULL,
    complaints integer NOT NULL,
    fr_decided integer NOT NULL,
    fr_met integer NOT NULL,
    res_decided integer NOT NULL,
    res_met integer NOT NULL,
    breached integer NOT NULL,
    reopened integer NOT NULL,
    urged integer NOT NULL,
    rated integer NOT NULL,
    rating_sum integer NOT NULL,
    -- Seconds to the first response and to resolution without paused time, of the tickets that have them,
    -- packed as 8-byte float8send values one after another: a year of them reaches the application in a
    -- few milliseconds this way, several times faster than as double precision[] element by element.
    fr bytea NOT NULL,
    res bytea NOT NULL
);

CREATE INDEX ix_dashboard_ticket_groups_day ON dashboard_ticket_groups (day);

-- The tickets filed in [since, until) grouped by day, category and assignee, from their facts (migration 0010).
CREATE FUNCTION dashboard_ticket_groups_of(since timestamp with time zone, until timestamp with time zone)
RETURNS SETOF dashboard_ticket_groups
LANGUAGE sql STABLE AS $$
    SELECT day, category, assignee_id, count(*)::integer, (count(*) FILTER (WHERE complaint))::integer,
           (count(*) FILTER (WHERE fr_decided))::integer, (count(*) FILTER (WHERE fr_met))::integer,
           (count(*) FILTER (WHERE res_decided))::integer, (count(*) FILTER (WHERE res_met))::integer,
           (count(*) FILTER (WHERE breached))::integer, (count(*) FILTER (WHERE reopened))::integer,
           (count(*) FILTER (WHERE urged))::integer, count(rating)::integer, coalesce(sum(rating), 0)::integer,
           coalesce(string_agg(float8send(fr), ''::bytea) FILTER (WHERE fr IS NOT NULL), ''::bytea),
           coalesce(string_agg(float8send(res), ''::bytea) FILTER (WHERE res IS NOT NULL), ''::bytea)
    FROM dashboard_ticket_facts WHERE created_at >= since AND created_at < until
    GROUP BY day, category, assignee_id
$$;

-- A period's ticket groups: rolled-up days before the cut, live from the cut on.
CREATE FUNCTION dashboard_period_ticket_groups(from_day date, cut_day date, cut timestamp with time zone, period_end timestamp with time zone)
RETURNS SETOF dashboard_ticket_groups
LANGUAGE sql STABLE AS $$
    SELECT * FROM dashboard_ticket_groups WHERE day >= from_day AND day < cut_day
    UNION ALL
    SELECT * FROM dashboard_ticket_groups_of(cut, period_end)
$$;

CREATE TABLE dashboard_ratings (
    day date NOT NULL,
    rating integer NOT NULL,
    ratings integer NOT NULL,
    CONSTRAINT pk_dashboard_ratings PRIMARY KEY (day, rating)
);

-- Ratings given in [since, until) per day and star.
CREATE FUNCTION dashboard_ratings_of(since timestamp with time zone, until timestamp with time zone)
RETURNS SETOF dashboard_ratings
LANGUAGE sql STABLE AS $$
    SELECT (rated_at AT TIME ZONE 'Asia/Shanghai')::date, rating, count(*)::integer
    FROM tickets WHERE rated_at >= since AND rated_at < until AND rating IS NOT NULL GROUP BY 1, 2
$$;

-- A period's ratings by the day they were given, the same way.
CREATE FUNCTION dashboard_period_ratings(from_day date, cut_day date, cut timestamp with time zone, period_end timestamp with time zone)
RETURNS SETOF dashboard_ratings
LANGUAGE sql STABLE AS $$
    SELECT * FROM dashboard_ratings WHERE day >= from_day AND day < cut_day
    UNION ALL
    SELECT * FROM dashboard_ratings_of(cut, period_end)
$$;

-- Tickets per filing day and product (of the ticket's order), for the product table.
CREATE TABLE dashboard_product_tickets (
    day date NOT NULL,
    product_id uuid NOT NULL,
    tickets integer NOT NULL,
    CONSTRAINT pk_dashboard_product_tickets PRIMARY KEY (day, product_id)
);

CREATE FUNCTION dashboard_product_tickets_of(since timestamp with time zone, until timestamp with time zone)
RETURNS SETOF dashboard_product_tickets
LANGUAGE sql STABLE AS $$
    SELECT day, product_id, count(*)::integer FROM dashboard_ticket_facts
    WHERE created_at >= since AND created_at < until AND product_id IS NOT NULL GROUP BY day, product_id
$$;

CREATE FUNCTION dashboard_period_product_tickets(from_day date, cut_day date, cut timestamp with time zone, period_end timestamp with time zone)
RETURNS SETOF dashboard_product_tickets
LANGUAGE sql STABLE AS $$
    SELECT * FROM dashboard_product_tickets WHERE day >= from_day AND day < cut_day
    UNION ALL
    SELECT * FROM dashboard_product_tickets_of(cut, period_end)
$$;

-- Every ticket figure is read from the groups above now; the one-row-per-ticket rollup of migration 0010 goes.
DROP FUNCTION dashboard_period_tickets(date, date, timestamp with time zone, timestamp with time zone);
DROP TABLE dashboard_tickets;

-- The new tables are empty: without a cut everything is read live (slower, equally right) until the next
-- rebuild (at start, then every RollupInterval) fills them.
DELETE FROM dashboard_rollup_state;
