-- bench/dashboard-year.sql — a year of CardMall history for bench/dashboard-year.sh, written set-based
-- (generate_series, INSERT … SELECT; no per-row loops) into a database the app has already migrated and
-- seeded with the demo shop (CardMall__Demo__Seed=true: catalogue, demo supplier, staff accounts).
--
--   psql -X -q -v ON_ERROR_STOP=1 -v buyers=100000 -v orders=1000000 -v keys=2000000 -v tickets=100000 \
--        -d cardmall_dashboard_bench -f bench/dashboard-year.sql
--
-- What it writes (all times in the 365 days up to the moment it starts, "t_end"):
--   * buyers: users (+ user_roles Buyer/Reseller, empty wallets), 0.3 % resellers, ~4 % VIP; e-mail,
--     stamps and names are synthetic, no password (nobody signs in as them);
--   * orders: more in the evening (Beijing time), at weekends and on shopping festivals, with a mild
--     upward trend; buyers drawn from a skewed (log-uniform) distribution, so a few buy weekly and many
--     once or twice; resellers buy several keys per order, mostly through the API; tier prices;
--   * card keys: one key batch per product and 30-day period (imported two days before the period, from
--     one of three suppliers), every sold key tied to its order item; the rest Available (in the two
--     latest batches) or Void; total exactly :keys rows; fingerprints unique (SHA-256 of a counter),
--     ciphertexts dummy bytes of the right size (nothing decrypts them here);
--   * tickets on distinct orders with the SLA clock replayed: targets from sla_policies by the filed
--     priority, waiting on the buyer pauses the clock and pushes the resolution due time, warnings and
--     breaches marked when they fell due, resolved tickets auto-closed after 3 days or confirmed by the
--     buyer, check-ins sent after 24 h, ratings for about half of the resolved, urges, reopens (with the
--     time between resolution and reopen paused); ticket_items, 2–4 ticket_messages, the timeline in
--     ticket_events, supplier cases for escalations, follow-up tasks for ratings of 1–2;
--   * payouts (Paid) for refunds and compensation, orders' refunded_amount and status to match;
--   * supplier_calls (key checks and case reports) for the suppliers' API health.
-- Not written: wallet ledgers (orders are not paid through ledger lines; wallets stay at 0), top-ups,
-- card_key_events, key verifications, activation events, notifications, dedicated agents, incidents,
-- supplier liability and risk alerts. The demo shop's own history (two months, about 800 orders, written
-- by the app's seed) stays as it is. Prints how long each step took.

\set ON_ERROR_STOP 1
\if :{?buyers} \else \set buyers 100000 \endif
\if :{?orders} \else \set orders 1000000 \endif
\if :{?keys} \else \set keys 2000000 \endif
\if :{?tickets} \else \set tickets 100000 \endif
\if :{?seed} \else \set seed 0.2026 \endif
\pset tuples_only on
\pset format unaligned
\set QUIET on

SET temp_buffers = '512MB';
SET work_mem = '256MB';
SET maintenance_work_mem = '1GB';
SET jit = off;
SET synchronous_commit = off;
SET client_min_messages = warning;

-- ---- step bookkeeping: pg_temp.step('next') ends the running step and prints its duration --------------
CREATE TEMP TABLE bench_steps (id serial, step text NOT NULL, started timestamptz NOT NULL, finished timestamptz);
CREATE FUNCTION pg_temp.step(next text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE done text;
BEGIN
    UPDATE bench_steps SET finished = clock_timestamp() WHERE finished IS NULL
    RETURNING format('  %s %s s', rpad(step, 38, '.'), lpad(round(extract(epoch FROM finished - started)::numeric, 1)::text, 6)) INTO done;
    IF next IS NOT NULL THEN INSERT INTO bench_steps (step, started) VALUES (next, clock_timestamp()); END IF;
    RETURN done;
END $$;
INSERT INTO bench_steps (step, started) VALUES ('setup (catalogue, suppliers, staff)', clock_timestamp());

-- ---- helpers --------------------------------------------------------------------------------------------
-- A version-7-like uuid: the millisecond time first (as Guid.CreateVersion7, so b-tree inserts stay at the
-- right edge), then a table tag and a counter that keeps it unique.
CREATE FUNCTION pg_temp.uuid7(ts timestamptz, tag int, n bigint) RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT (lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0') || '7' || lpad(to_hex(tag), 3, '0')
            || '8' || lpad(to_hex(n), 15, '0'))::uuid
$$;
-- Which 30-day period (0..12) of the year a moment falls in: keys sold then come from that period's batch.
CREATE FUNCTION pg_temp.period(ts timestamptz, t_start timestamptz) RETURNS int LANGUAGE sql STABLE AS $$
    SELECT greatest(0, least(12, floor(extract(epoch FROM ts - t_start) / (30 * 86400))))::int
$$;
CREATE FUNCTION pg_temp.batch_at(pidx int, m int, t_start timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT t_start + m * interval '30 days' - interval '2 days' + pidx * interval '37 minutes'
$$;

CREATE TEMP TABLE bench_params AS
SELECT :buyers::int AS n_buyers, :orders::int AS n_orders, :keys::bigint AS n_keys, :tickets::int AS n_tickets,
       greatest(1, round(:buyers * 0.003))::int AS n_resellers,
       date_trunc('second', clock_timestamp()) AS t_end,
       date_trunc('second', clock_timestamp()) - interval '365 days' AS t_start;
SELECT setseed(:seed) AS seeded \gset

-- The demo staff the tickets are assigned to, and the operator who imported the keys.
CREATE TEMP TABLE bench_cast AS
SELECT (array_agg(id) FILTER (WHERE email = 'agent@cardmall.test'))[1] AS agent1,
       (array_agg(id) FILTER (WHERE email = 'agent2@cardmall.test'))[1] AS agent2,
       (array_agg(id) FILTER (WHERE email = 'agent3@cardmall.test'))[1] AS agent3,
       (array_agg(id) FILTER (WHERE email = 'supervisor@cardmall.test'))[1] AS supervisor,
       (array_agg(id) FILTER (WHERE email = 'operator@cardmall.test'))[1] AS operator_id,
       (array_agg(id) FILTER (WHERE email = 'admin@cardmall.test'))[1] AS admin_id
FROM users WHERE email LIKE '%@cardmall.test';
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM bench_cast WHERE agent1 IS NULL OR agent2 IS NULL OR agent3 IS NULL OR supervisor IS NULL
                                           OR operator_id IS NULL OR admin_id IS NULL)
       OR NOT EXISTS (SELECT 1 FROM suppliers WHERE code = 'DEMO-SUPPLY') OR (SELECT count(*) FROM products) = 0 THEN
        RAISE EXCEPTION 'The demo shop is missing: start the app once with CardMall__Demo__Seed=true on this database first.';
    END IF;
    IF (SELECT count(*) FROM orders) > 5000 THEN
        RAISE EXCEPTION 'This database already holds % orders: generate into a fresh database.', (SELECT count(*) FROM orders);
    END IF;
END $$;

-- The shop, its staff and its catalogue are older than the year of history.
UPDATE products SET created_at = least(created_at, p.t_start - interval '35 days'), updated_at = least(updated_at, p.t_start - interval '35 days')
FROM bench_params p;
UPDATE product_notices SET created_at = least(created_at, p.t_start - interval '35 days') FROM bench_params p;
UPDATE suppliers SET created_at = least(created_at, p.t_start - interval '40 days') FROM bench_params p;
UPDATE users SET created_at = least(created_at, p.t_start - interval '40 days') FROM bench_params p
WHERE email IN ('agent@cardmall.test', 'agent2@cardmall.test', 'agent3@cardmall.test', 'supervisor@cardmall.test',
                'operator@cardmall.test', 'admin@cardmall.test');

-- Two more suppliers next to the demo one, so per-supplier figures have something to compare. They share
-- the demo supplier's sealed webhook secret and interface settings.
INSERT INTO suppliers (id, code, name, webhook_secret_cipher, created_at, protocol, api_base_url)
SELECT gen_random_uuid(), v.code, v.name, s.webhook_secret_cipher, p.t_start - interval '40 days', s.protocol, s.api_base_url
FROM (VALUES ('BENCH-SUPPLY-2', '云端卡券（压测供应商）'), ('BENCH-SUPPLY-3', '万联数娱（压测供应商）')) AS v(code, name)
CROSS JOIN (SELECT * FROM suppliers WHERE code = 'DEMO-SUPPLY') s CROSS JOIN bench_params p
ON CONFLICT (code) DO NOTHING;
CREATE TEMP TABLE bench_suppliers AS
SELECT (row_number() OVER (ORDER BY code = 'DEMO-SUPPLY' DESC, code) - 1)::int AS sidx, id, code FROM suppliers;

-- Products with how often buyers and resellers pick them (weights; unknown products get 5), and how
-- prone their keys are to after-sales tickets (1 = the shop's average).
CREATE TEMP TABLE bench_products AS
SELECT row_number() OVER (ORDER BY p.sku)::int AS pidx, p.id, p.sku, p.price, p.vip_price, p.reseller_price, p.min_per_order,
       least(p.max_per_order, 15) AS max_per_order, p.validity_days, p.notices_version, p.is_platform_issued, c.slug AS category,
       coalesce(w.w_regular, 5) AS w_regular, coalesce(w.w_reseller, 5) AS w_reseller, coalesce(w.w_ticket, 1) AS w_ticket
FROM products p JOIN categories c ON c.id = p.category_id
LEFT JOIN (VALUES ('WOW-60', 13, 22, 1.0), ('NETEASE-100', 11, 20, 0.9), ('GENSHIN-648', 6, 12, 1.4), ('STEAM-WALLET-100', 17, 18, 1.0),
                  ('WIN11-PRO', 8, 8, 2.6), ('OFFICE-2021', 4, 4, 1.6), ('IQIYI-VIP-M', 22, 12, 0.8), ('QQMUSIC-GREEN-Y', 10, 4, 0.8),
                  ('CARDMALL-PLUS-M', 9, 0, 0.4)) AS w(sku, w_regular, w_reseller, w_ticket) ON w.sku = p.sku
WHERE p.is_active;
-- Lower bounds of each product's share of [0, 1), for width_bucket().
CREATE TEMP TABLE bench_pick AS
SELECT array_agg(lo_regular ORDER BY pidx) AS b_regular, array_agg(lo_reseller ORDER BY pidx) AS b_reseller
FROM (SELECT pidx,
             ((sum(w_regular) OVER w - w_regular)::float8 / sum(w_regular) OVER ()) AS lo_regular,
             ((sum(w_reseller) OVER w - w_reseller)::float8 / nullif(sum(w_reseller) OVER (), 0)) AS lo_reseller
      FROM bench_products WINDOW w AS (ORDER BY pidx)) x;

-- ---- buyers and the shape of a year of orders -----------------------------------------------------------
SELECT pg_temp.step('plan: buyers, hours, orders');
CREATE TEMP TABLE bench_buyers AS
SELECT idx, gen_random_uuid() AS id,
       CASE WHEN idx < p.n_resellers THEN 'Reseller'
            WHEN idx - p.n_resellers < p.n_buyers * 0.05 AND idx % 2 = 0 THEN 'Vip'   -- half of the most active buyers
            WHEN idx % 53 = 7 THEN 'Vip'
            ELSE 'Regular' END AS tier
FROM bench_params p CROSS JOIN generate_series(0, p.n_buyers - 1) AS idx;
ALTER TABLE bench_buyers ADD PRIMARY KEY (idx);

-- Orders per hour of the year: evening peak (Beijing time), weekends ×1.3, shopping festivals, a trend
-- from 0.75 to 1.25 and ±15 % day-to-day noise. Counts are rounded on the running sum, so they add up
-- to exactly :orders.
CREATE TEMP TABLE bench_slots AS
WITH days AS (
    SELECT d, 0.85 + 0.3 * random() AS noise FROM generate_series(0, 366) AS d
), s AS (
    SELECT k, p.t_start + k * interval '1 hour' AS slot_start, p.n_orders,
           (p.t_start + k * interval '1 hour' + interval '30 minutes') AT TIME ZONE 'Asia/Shanghai' AS local_mid
    FROM bench_params p CROSS JOIN generate_series(0, 365 * 24 - 1) AS k
), w AS (
    SELECT s.k, s.slot_start, s.n_orders,
           (0.75 + 0.5 * s.k / (365 * 24.0))
           * CASE WHEN extract(isodow FROM s.local_mid) IN (6, 7) THEN 1.3 ELSE 1.0 END
           * CASE WHEN to_char(s.local_mid, 'MM-DD') IN ('11-11', '06-18') THEN 2.6
                  WHEN to_char(s.local_mid, 'MM-DD') IN ('11-10', '11-12', '06-17', '12-12', '01-01') THEN 1.4 ELSE 1.0 END
           * (ARRAY[0.55, 0.35, 0.2, 0.12, 0.1, 0.12, 0.2, 0.4, 0.65, 0.85, 0.95, 1.05,
                    1.1, 1.0, 0.95, 1.0, 1.05, 1.1, 1.25, 1.55, 1.85, 2.0, 1.8, 1.1])[extract(hour FROM s.local_mid)::int + 1]
           * days.noise AS w
    FROM s JOIN days ON days.d = s.k / 24
), c AS (
    SELECT k, slot_start, n_orders, sum(w) OVER (ORDER BY k) AS cum, sum(w) OVER () AS total FROM w
)
SELECT k, slot_start,
       (round(n_orders * cum / total) - coalesce(round(n_orders * lag(cum) OVER (ORDER BY k) / total), 0))::int AS cnt
FROM c;

-- One row per order. Buyer: 8 % of orders are resellers' (skewed among them), the rest log-uniform over
-- the other buyers (the most active buys a few times a week, the long tail once or not at all).
CREATE TEMP TABLE bench_orders AS
WITH raw AS (
    SELECT s.slot_start + random() * interval '1 hour' AS created_at,
           random() AS r_who, random() AS r_buyer, random() AS r_product, random() AS r_qty, random() AS r_channel
    FROM bench_slots s CROSS JOIN LATERAL generate_series(1, s.cnt) AS g
), who AS (
    SELECT r.*, r.r_who < 0.08 AS by_reseller,
           CASE WHEN r.r_who < 0.08 THEN least(p.n_resellers - 1, floor(p.n_resellers * r.r_buyer ^ 1.6)::int)
                ELSE p.n_resellers + least(p.n_buyers - p.n_resellers - 1,
                       floor(50 * exp(r.r_buyer * ln((p.n_buyers - p.n_resellers + 50) / 50.0)) - 50)::int) END AS buyer_idx
    FROM raw r CROSS JOIN bench_params p
), numbered AS (
    SELECT row_number() OVER (ORDER BY w.created_at)::int AS n, w.*
    FROM who w
)
SELECT w.n, gen_random_uuid() AS id, w.created_at, b.id AS user_id, b.idx AS buyer_idx, b.tier,
       pr.pidx, pr.id AS product_id, pr.notices_version,
       CASE b.tier WHEN 'Reseller' THEN coalesce(pr.reseller_price, pr.vip_price, pr.price)
                   WHEN 'Vip' THEN coalesce(pr.vip_price, pr.price) ELSE pr.price END AS unit_price,
       greatest(pr.min_per_order, least(pr.max_per_order,
           CASE WHEN b.tier = 'Reseller' THEN 1 + floor(w.r_qty ^ 1.4 * pr.max_per_order)::int
                WHEN w.r_qty < 0.86 THEN 1 WHEN w.r_qty < 0.96 THEN 2 WHEN w.r_qty < 0.99 THEN 3 ELSE 5 END)) AS quantity,
       CASE WHEN b.tier = 'Reseller' AND w.r_channel < 0.8 THEN 'api' ELSE 'web' END AS channel
FROM numbered w
JOIN bench_buyers b ON b.idx = w.buyer_idx
JOIN bench_products pr ON pr.pidx = width_bucket(w.r_product,
        CASE WHEN w.by_reseller THEN (SELECT b_reseller FROM bench_pick) ELSE (SELECT b_regular FROM bench_pick) END);
ALTER TABLE bench_orders ADD PRIMARY KEY (n);

-- ---- users ----------------------------------------------------------------------------------------------
SELECT pg_temp.step('users, roles, wallets');
-- An account opens before its first order (minutes to two months before); buyers who never ordered
-- opened theirs any time from four months before the year to now.
CREATE TEMP TABLE bench_users AS
SELECT b.idx, b.id, b.tier,
       CASE WHEN f.first_at IS NOT NULL THEN f.first_at - interval '3 minutes' - random() ^ 2 * interval '60 days'
            ELSE p.t_start - interval '120 days' + random() * (p.t_end - p.t_start + interval '119 days') END AS created_at
FROM bench_buyers b CROSS JOIN bench_params p
LEFT JOIN (SELECT buyer_idx, min(created_at) AS first_at FROM bench_orders GROUP BY buyer_idx) f ON f.buyer_idx = b.idx;

INSERT INTO users (id, display_name, tier, created_at, time_zone_id, preferred_culture, user_name, normalized_user_name,
                   email, normalized_email, email_confirmed, password_hash, security_stamp, concurrency_stamp, phone_number,
                   phone_number_confirmed, two_factor_enabled, lockout_end, lockout_enabled, access_failed_count)
SELECT u.id, CASE WHEN u.tier = 'Reseller' THEN '压测代理' ELSE '压测买家' END || u.idx, u.tier, u.created_at,
       'Asia/Shanghai', CASE WHEN u.idx % 12 = 5 THEN 'en-US' ELSE 'zh-CN' END,
       e.email, upper(e.email), e.email, upper(e.email), true, NULL,
       upper(replace(gen_random_uuid()::text, '-', '')), gen_random_uuid()::text, NULL, false, false, NULL, true, 0
FROM bench_users u CROSS JOIN LATERAL (SELECT 'bench' || lpad(u.idx::text, 7, '0') || '@buyers.cardmall.test' AS email) e
ORDER BY u.created_at;
INSERT INTO user_roles (user_id, role_id)
SELECT u.id, r.id FROM bench_users u JOIN roles r ON r.name = CASE WHEN u.tier = 'Reseller' THEN 'Reseller' ELSE 'Buyer' END;
INSERT INTO wallets (user_id, balance, updated_at) SELECT id, 0, created_at FROM bench_users;

-- ---- orders ---------------------------------------------------------------------------------------------
SELECT pg_temp.step('orders');
INSERT INTO orders (id, no, user_id, product_id, quantity, unit_price, total, tier, status, notices_version,
                    idempotency_key, request_hash, channel, created_at, refunded_amount, compensated_amount)
SELECT o.id, 'CM' || to_char(o.created_at AT TIME ZONE 'UTC', 'YYYYMMDD') || lpad(o.n::text, 10, '0'), o.user_id, o.product_id,
       o.quantity, o.unit_price, o.unit_price * o.quantity, o.tier, 'Delivered', o.notices_version, NULL, NULL, o.channel, o.created_at, 0, 0
FROM bench_orders o ORDER BY o.n;

-- ---- ticket plan: every field of every ticket, the SLA clock replayed ----------------------------------
SELECT pg_temp.step('plan: tickets and their clocks');
CREATE TEMP TABLE bench_tickets AS
WITH picked AS (
    -- A weighted sample without replacement (Efraimidis–Spirakis): some products' keys fail more often,
    -- and keys from BENCH-SUPPLY-3 (supplier index 2, see the batches below) 1.4 times as often.
    SELECT o.* FROM bench_orders o JOIN bench_products pr ON pr.pidx = o.pidx CROSS JOIN bench_params p
    ORDER BY -ln(1 - random()) / (pr.w_ticket
        * CASE WHEN (CASE WHEN pg_temp.period(o.created_at, p.t_start) % 3 = 2 THEN o.pidx + 1 ELSE o.pidx END)
                    % (SELECT count(*) FROM bench_suppliers) = 2 THEN 1.4 ELSE 1 END)
    LIMIT (SELECT n_tickets FROM bench_params)
), t1 AS (
    SELECT o.n AS order_n, o.id AS order_id, o.user_id, o.tier, o.pidx, o.product_id, o.quantity, o.unit_price,
           o.created_at AS ordered_at, 1 + floor(random() * o.quantity)::int AS item_pos,
           (ARRAY['KeyInvalid', 'KeyAlreadyUsed', 'ActivationFailed', 'NotReceived', 'WrongRegion', 'AccountAbnormal', 'RefundRequest', 'Other'])
               [width_bucket(random(), ARRAY[0, .28, .46, .63, .75, .82, .87, .95]::float8[])] AS category,
           o.created_at + least((5 + 4320 * random() ^ 3) * interval '1 minute', (p.t_end - o.created_at) * 0.97) AS created_at,
           p.t_end, p.t_start, p.n_orders,
           random() AS r_fr, random() AS r_res, random() AS r_frb, random() AS r_resb, random() AS r_wait, random() AS r_pause,
           random() AS r_esc, random() AS r_assign, random() AS r_route, random() AS r_resolution, random() AS r_confirm,
           random() AS r_confirm_at, random() AS r_rate, random() AS r_rate_at, random() AS r_score, random() AS r_urge,
           random() AS r_reopen, random() AS r_gap, random() AS r_text, random() AS r_comp, random() AS r_amount,
           random() AS r_channel, random() AS r_triage, random() AS r_comment, random() AS r_msgs
    FROM picked o CROSS JOIN bench_params p
), t2 AS (
    SELECT t.*,
           CASE WHEN t.tier = 'Reseller' THEN 'High' ELSE 'Normal' END AS filed_priority,
           t.r_frb < 0.05 AS fr_breach,
           t.r_resb < 0.03 AS res_breach,
           t.category IN ('KeyInvalid', 'KeyAlreadyUsed') AND t.r_esc < 0.25 AS escalated,
           t.r_route < 0.9 AS routed,
           CASE WHEN t.category IN ('AccountAbnormal', 'RefundRequest', 'Other')
                    THEN (ARRAY[c.agent3, c.agent1, c.supervisor])[width_bucket(t.r_assign, ARRAY[0, .45, .8]::float8[])]
                WHEN t.category IN ('KeyAlreadyUsed', 'WrongRegion')
                    THEN (ARRAY[c.agent2, c.agent3, c.agent1, c.supervisor])[width_bucket(t.r_assign, ARRAY[0, .4, .6, .9]::float8[])]
                ELSE (ARRAY[c.agent2, c.agent1, c.supervisor])[width_bucket(t.r_assign, ARRAY[0, .5, .88]::float8[])] END AS agent_id,
           c.supervisor AS supervisor_id, c.admin_id
    FROM t1 t CROSS JOIN bench_cast c
), t3 AS (
    SELECT t.*, sp.first_response_minutes AS fr_target, sp.resolution_minutes AS res_target,
           NOT t.escalated AND t.r_wait < 0.35 AS waits,
           -- A reopen (3 %) only on tickets that end well before now, so it is always complete.
           NOT t.escalated AND NOT t.res_breach AND t.r_wait >= 0.35 AND t.r_reopen < 0.046
               AND t.created_at < t.t_end - interval '10 days' AS reopened
    FROM t2 t JOIN sla_policies sp ON sp.priority = t.filed_priority
), t4 AS (
    SELECT t.*,
           CASE WHEN t.fr_breach THEN t.fr_target * (1.05 + 1.5 * t.r_fr) ELSE t.fr_target * (0.04 + 0.76 * t.r_fr ^ 1.5) END AS fr_min,
           CASE WHEN t.waits THEN 20 + 1800 * t.r_pause ^ 2 WHEN t.reopened THEN 60 + 2800 * t.r_gap ^ 2 ELSE 0 END AS pause_min
    FROM t3 t
), t5 AS (
    SELECT t.*,
           CASE WHEN t.res_breach THEN greatest(t.res_target * (1.02 + 0.8 * t.r_res) - t.fr_min, 30)
                ELSE greatest((t.res_target - t.fr_min) * (0.01 + 0.5 * t.r_res ^ 2), 5) END AS post_min
    FROM t4 t
), t6 AS (
    -- Running clock: filing → first reply (fr_min) → more work (post_min). One pause of pause_min:
    -- waiting on the buyer right after the first reply, or, for a reopened ticket, the time between its
    -- first resolution (after 60 % of the work) and the reopen.
    SELECT t.*,
           t.created_at + t.fr_min * interval '1 minute' AS fr_at,
           CASE WHEN t.waits THEN t.created_at + t.fr_min * interval '1 minute'
                WHEN t.reopened THEN t.created_at + (t.fr_min + 0.6 * t.post_min) * interval '1 minute' END AS pause_start,
           t.created_at + (t.fr_min + 0.7 * t.post_min) * interval '1 minute' AS answer_at,
           t.created_at + (t.fr_min + t.post_min + t.pause_min) * interval '1 minute' AS resolved_plan,
           t.created_at + t.fr_target * interval '1 minute' AS fr_due,
           t.created_at + t.res_target * interval '1 minute' AS res_due0
    FROM t5 t
), t7 AS (
    SELECT t.*,
           t.pause_start + t.pause_min * interval '1 minute' AS pause_end,
           CASE WHEN t.resolved_plan <= t.t_end THEN 'Done'
                WHEN t.fr_at > t.t_end THEN 'New'
                WHEN t.waits AND t.pause_start + t.pause_min * interval '1 minute' > t.t_end THEN 'WaitingOnBuyer'
                WHEN t.escalated AND t.answer_at > t.t_end THEN 'WaitingOnSupplier'
                ELSE 'Open' END AS phase
    FROM t6 t
), t8 AS (
    SELECT t.*,
           t.pause_start IS NOT NULL AND t.pause_end <= t.t_end AS pause_done,
           CASE WHEN t.phase = 'Done' THEN t.resolved_plan ELSE t.t_end END AS clock_end,
           t.fr_due - 0.2 * t.fr_target * interval '1 minute' AS fr_warn,
           t.res_due0 - 0.2 * t.res_target * interval '1 minute' AS res_warn0
    FROM t7 t
), t9 AS (
    -- When the watcher warned and marked breaches: the first-response clock never pauses before the
    -- reply; the resolution clock's marks move by the pause when they were still ahead of it.
    SELECT t.*,
           CASE WHEN t.fr_warn <= least(t.fr_at, t.t_end) THEN t.fr_warn END AS fr_warned_at,
           CASE WHEN t.fr_due < least(t.fr_at, t.t_end) THEN t.fr_due END AS fr_breached_at,
           CASE WHEN t.pause_start IS NULL OR t.res_warn0 <= t.pause_start THEN t.res_warn0
                WHEN t.pause_done THEN t.res_warn0 + t.pause_min * interval '1 minute' END AS res_warn_at,
           CASE WHEN t.pause_start IS NULL OR t.res_due0 < t.pause_start THEN t.res_due0
                WHEN t.pause_done THEN t.res_due0 + t.pause_min * interval '1 minute' END AS res_breach_at
    FROM t8 t
), t10 AS (
    SELECT t.*,
           CASE WHEN t.res_warn_at <= t.clock_end THEN t.res_warn_at END AS res_warned_at,
           CASE WHEN t.res_breach_at < t.clock_end THEN t.res_breach_at END AS res_breached_at,
           CASE WHEN t.phase = 'Done' THEN
               CASE t.category
                   WHEN 'KeyInvalid' THEN (ARRAY['Replaced', 'Refunded', 'GuidanceGiven', 'Rejected'])[width_bucket(t.r_resolution, ARRAY[0, .64, .72, .94]::float8[])]
                   WHEN 'KeyAlreadyUsed' THEN (ARRAY['Replaced', 'Refunded', 'Rejected', 'GuidanceGiven'])[width_bucket(t.r_resolution, ARRAY[0, .33, .45, .82]::float8[])]
                   WHEN 'ActivationFailed' THEN (ARRAY['GuidanceGiven', 'Replaced', 'Refunded'])[width_bucket(t.r_resolution, ARRAY[0, .72, .95]::float8[])]
                   WHEN 'NotReceived' THEN (ARRAY['GuidanceGiven', 'Replaced'])[width_bucket(t.r_resolution, ARRAY[0, .95]::float8[])]
                   WHEN 'WrongRegion' THEN (ARRAY['GuidanceGiven', 'Rejected', 'Refunded'])[width_bucket(t.r_resolution, ARRAY[0, .7, .97]::float8[])]
                   WHEN 'AccountAbnormal' THEN (ARRAY['GuidanceGiven', 'Compensated'])[width_bucket(t.r_resolution, ARRAY[0, .9]::float8[])]
                   WHEN 'RefundRequest' THEN (ARRAY['Refunded', 'PartiallyRefunded', 'Rejected'])[width_bucket(t.r_resolution, ARRAY[0, .38, .46]::float8[])]
                   ELSE (ARRAY['GuidanceGiven', 'Compensated'])[width_bucket(t.r_resolution, ARRAY[0, .96]::float8[])] END
           END AS resolution
    FROM t9 t
), t11 AS (
    SELECT t.*,
           t.fr_breached_at IS NOT NULL OR t.res_breached_at IS NOT NULL AS breached,
           CASE WHEN t.phase = 'Done' AND t.r_confirm < 0.25 THEN t.resolved_plan + (10 + 1190 * t.r_confirm_at) * interval '1 minute' END AS confirm_at,
           CASE WHEN t.phase = 'Done' AND t.r_rate < 0.5 THEN t.resolved_plan + (5 + 2875 * t.r_rate_at ^ 2) * interval '1 minute' END AS rate_at,
           CASE WHEN t.resolution IN ('Replaced', 'Refunded', 'PartiallyRefunded', 'Compensated')
                THEN t.resolved_plan - (t.resolved_plan - t.fr_at) * 0.1 END AS remedy_at,
           -- Why it happened, then who was responsible, from the category and the outcome.
           CASE WHEN t.phase <> 'Done' THEN NULL
                WHEN t.category = 'KeyAlreadyUsed' AND t.resolution IN ('Replaced', 'Refunded')
                    THEN CASE WHEN t.r_text < 0.85 THEN 'KeyUsedBeforeDelivery' ELSE 'KeyLeakedAfterDelivery' END
                WHEN t.resolution IN ('Replaced', 'Refunded', 'PartiallyRefunded') AND t.category IN ('KeyInvalid', 'ActivationFailed')
                    THEN 'KeyDefective'
                WHEN t.category = 'RefundRequest' AND t.resolution <> 'Rejected'
                    THEN CASE WHEN t.r_text < 0.5 THEN 'KeyDefective' ELSE 'Other' END
                WHEN t.category = 'NotReceived' AND t.resolution = 'Replaced' THEN 'PlatformFault'
                WHEN t.resolution = 'Compensated' THEN 'PlatformFault'
                WHEN t.category = 'WrongRegion' THEN 'RegionMismatch'
                WHEN t.category = 'ActivationFailed' AND t.r_text < 0.2 THEN 'SupplierApiFailure'
                WHEN t.category IN ('KeyInvalid', 'KeyAlreadyUsed', 'ActivationFailed', 'NotReceived') THEN 'UserError'
                ELSE 'Other' END AS root_cause
    FROM t10 t
), t12 AS (
    SELECT t.*,
           CASE WHEN t.root_cause IS NULL THEN NULL
                WHEN t.root_cause IN ('KeyDefective', 'KeyUsedBeforeDelivery', 'SupplierApiFailure') THEN 'Supplier'
                WHEN t.root_cause IN ('KeyLeakedAfterDelivery', 'PlatformFault') THEN 'Platform'
                WHEN t.root_cause = 'RegionMismatch' AND t.resolution = 'Refunded' THEN 'Merchant'
                WHEN t.root_cause = 'Other' AND t.category IN ('RefundRequest', 'Other') THEN 'Merchant'
                ELSE 'Buyer' END AS responsibility,
           CASE WHEN t.confirm_at <= t.t_end THEN t.confirm_at
                WHEN t.phase = 'Done' AND t.resolved_plan + interval '3 days' <= t.t_end THEN t.resolved_plan + interval '3 days' END AS closed_at,
           CASE WHEN t.rate_at <= t.t_end THEN t.rate_at END AS rated_at,
           CASE WHEN t.breached THEN 1 + floor(t.r_urge * 3)::int WHEN t.r_urge < 0.04 THEN 1 ELSE 0 END AS urge_count,
           t.category = 'Other' AND t.r_triage < 0.35 AND NOT t.breached AND t.phase <> 'New' AS triaged_low,
           CASE WHEN t.resolution = 'Refunded' THEN t.unit_price
                WHEN t.resolution = 'PartiallyRefunded' THEN round((t.unit_price * (0.3 + 0.4 * t.r_amount))::numeric, 2) END AS refund_amount,
           CASE WHEN t.resolution = 'Compensated' THEN (ARRAY[5, 10, 20, 30, 50])[1 + floor(t.r_amount * 5)::int]::numeric(18, 2)
                WHEN t.phase = 'Done' AND t.breached AND t.r_comp < 0.15 THEN 10.00 END AS comp_amount
    FROM t11 t
), numbered AS (
    SELECT row_number() OVER (ORDER BY t.created_at)::int AS ticket_n, t.*,
           CASE WHEN t.urge_count > 0 THEN t.created_at + (least(t.clock_end, t.t_end) - t.created_at) * 0.8 END AS last_urged_at,
           CASE WHEN t.phase = 'Done' AND t.resolved_plan + interval '24 hours' <= t.t_end
                     AND (t.confirm_at IS NULL OR t.confirm_at > t.resolved_plan + interval '24 hours')
                     AND (t.rate_at IS NULL OR t.rate_at > t.resolved_plan + interval '24 hours')
                THEN t.resolved_plan + interval '24 hours' END AS check_in_at
    FROM t12 t
)
SELECT t.*,
       pg_temp.uuid7(t.created_at, 4, t.ticket_n) AS id,
       'TK' || to_char(t.created_at AT TIME ZONE 'UTC', 'YYYYMMDD') || lpad(t.ticket_n::text, 10, '0') AS no,
       'CM' || to_char(t.ordered_at AT TIME ZONE 'UTC', 'YYYYMMDD') || lpad(t.order_n::text, 10, '0') AS order_no,
       CASE t.phase WHEN 'Done' THEN CASE WHEN t.closed_at IS NOT NULL THEN 'Closed' ELSE 'Resolved' END ELSE t.phase END AS status,
       CASE WHEN t.phase <> 'New' THEN t.fr_at END AS first_responded_at,
       CASE WHEN t.phase = 'Done' THEN t.resolved_plan END AS resolved_at,
       CASE WHEN t.routed OR t.phase <> 'New' THEN t.agent_id END AS assignee_id,
       CASE WHEN t.phase = 'Done' OR (t.phase = 'Open' AND t.pause_done) THEN round(t.pause_min * 60)::bigint ELSE 0 END AS paused_seconds,
       CASE WHEN t.phase = 'Done' THEN t.resolved_plan WHEN t.phase = 'WaitingOnBuyer' THEN t.pause_start END AS paused_since,
       t.res_due0 + CASE WHEN t.pause_done THEN t.pause_min * interval '1 minute' ELSE interval '0' END AS resolution_due_at,
       (ARRAY['Low', 'Normal', 'High', 'Urgent'])[1 + least(3,
            CASE WHEN t.triaged_low THEN 0 WHEN t.filed_priority = 'High' THEN 2 ELSE 1 END
            + (t.fr_breached_at IS NOT NULL)::int + (t.res_breached_at IS NOT NULL)::int + t.urge_count / 2)] AS priority,
       CASE WHEN t.rate_at <= t.t_end THEN
           width_bucket(t.r_score, CASE WHEN t.breached OR t.resolution = 'Rejected' THEN ARRAY[0, .25, .40, .60, .80]
                                        ELSE ARRAY[0, .05, .09, .17, .37] END::float8[]) END AS rating,
       -- The key the ticket is about (its order item), and for a replacement the new item and key.
       pg_temp.uuid7(t.ordered_at, 1, t.order_n::bigint * 16 + t.item_pos) AS item_id,
       pg_temp.uuid7(pg_temp.batch_at(t.pidx, pg_temp.period(t.ordered_at, t.t_start), t.t_start), 2, t.order_n::bigint * 16 + t.item_pos) AS key_id,
       pg_temp.period(t.ordered_at, t.t_start) AS key_period,
       (t.n_orders + 1)::bigint * 16 + t.ticket_n AS repl_seq,
       pg_temp.period(t.remedy_at, t.t_start) AS repl_period
FROM numbered t;
ALTER TABLE bench_tickets ADD PRIMARY KEY (ticket_n);
CREATE INDEX ON bench_tickets (order_n, item_pos);

-- Every delivered key: one per unit of every order (seq = order n × 16 + position: unique, as at most 15 per order).
CREATE TEMP TABLE bench_items AS
SELECT o.n::bigint * 16 + g AS seq, o.n AS order_n, g AS pos, o.id AS order_id, o.pidx, o.created_at,
       pg_temp.period(o.created_at, p.t_start) AS m,
       pg_temp.uuid7(o.created_at, 1, o.n::bigint * 16 + g) AS item_id
FROM bench_orders o CROSS JOIN bench_params p CROSS JOIN LATERAL generate_series(1, o.quantity) AS g;

-- ---- key batches ----------------------------------------------------------------------------------------
SELECT pg_temp.step('key batches');
-- Keys per batch: sold (incl. replacements), a few void at import, and the unsold stock in the two
-- latest batches, shared among products by their sales, so that card_keys ends with exactly :keys rows.
CREATE TEMP TABLE bench_batches AS
WITH sold AS (
    SELECT pidx, m, count(*) AS n FROM (
        SELECT pidx, m FROM bench_items
        UNION ALL
        SELECT pidx, repl_period FROM bench_tickets WHERE resolution = 'Replaced') s
    GROUP BY pidx, m
), grid AS (
    SELECT pr.pidx, g.m, coalesce(s.n, 0) AS n_sold, round(coalesce(s.n, 0) * 0.003)::bigint AS n_void
    FROM bench_products pr CROSS JOIN generate_series(0, 12) AS g(m) LEFT JOIN sold s ON s.pidx = pr.pidx AND s.m = g.m
), stock AS (
    SELECT greatest(0, p.n_keys - (SELECT count(*) FROM card_keys) - (SELECT sum(n_sold + n_void) FROM grid)) AS n_avail
    FROM bench_params p
), per_product AS (
    SELECT g.pidx, sum(g.n_sold) AS n_sold FROM grid g GROUP BY g.pidx
), alloc AS (
    SELECT pp.pidx, floor(st.n_avail * pp.n_sold / nullif(sum(pp.n_sold) OVER (), 0))::bigint AS a,
           row_number() OVER (ORDER BY pp.n_sold DESC, pp.pidx) AS rk, st.n_avail
    FROM per_product pp CROSS JOIN stock st
), avail AS (
    SELECT pidx, a + CASE WHEN rk = 1 THEN n_avail - sum(a) OVER () ELSE 0 END AS a FROM alloc
), counted AS (
    SELECT g.pidx, g.m, g.n_sold, g.n_void,
           (CASE g.m WHEN 12 THEN av.a - round(av.a * 0.25) WHEN 11 THEN round(av.a * 0.25) ELSE 0 END)::bigint AS n_avail
    FROM grid g JOIN avail av ON av.pidx = g.pidx
)
SELECT c.*, pg_temp.batch_at(c.pidx, c.m, p.t_start) AS imported_at,
       pg_temp.batch_at(c.pidx, c.m, p.t_start) + pr.validity_days * interval '1 day' AS expires_at,
       pg_temp.uuid7(pg_temp.batch_at(c.pidx, c.m, p.t_start), 3, c.pidx * 100 + c.m) AS id,
       su.id AS supplier_id,
       round(pr.price * (0.84 + 0.015 * ((c.pidx + c.m) % 5)), 2) AS unit_cost,
       -- Extra keys (void, then available) are numbered after every sold key and every replacement.
       (p.n_orders + 2)::bigint * 16 + p.n_tickets
           + (sum(c.n_void + c.n_avail) OVER (ORDER BY c.pidx, c.m) - (c.n_void + c.n_avail))::bigint AS extra_offset
FROM counted c CROSS JOIN bench_params p JOIN bench_products pr ON pr.pidx = c.pidx
JOIN bench_suppliers su ON su.sidx = CASE WHEN c.m % 3 = 2 THEN (c.pidx + 1) ELSE c.pidx END % (SELECT count(*) FROM bench_suppliers)
WHERE c.n_sold + c.n_void + c.n_avail > 0;

INSERT INTO key_batches (id, product_id, supplier_id, unit_cost, expires_at, imported_by_user_id, file_hash, imported_at,
                         line_count, imported_count, rejected_count, is_frozen)
SELECT b.id, pr.id, b.supplier_id, b.unit_cost, b.expires_at, c.operator_id, encode(sha256(b.id::text::bytea), 'hex'), b.imported_at,
       b.n_sold + b.n_void + b.n_avail + (b.pidx * 7 + b.m) % 13, b.n_sold + b.n_void + b.n_avail, (b.pidx * 7 + b.m) % 13, false
FROM bench_batches b JOIN bench_products pr ON pr.pidx = b.pidx CROSS JOIN bench_cast c
ORDER BY b.imported_at;

-- ---- card keys ------------------------------------------------------------------------------------------
SELECT pg_temp.step('card keys');
INSERT INTO card_keys (id, product_id, batch_id, code_hash, code_cipher, secret_cipher, key_version, state, state_before_freeze,
                       expires_at, created_at, sold_at, order_id)
SELECT pg_temp.uuid7(b.imported_at, 2, k.seq), pr.id, b.id, h.h,
       '\x01'::bytea || h.h || substr(h.h, 1, 15),
       CASE WHEN pr.category = 'game-cards' THEN '\x02'::bytea || substr(h.h, 5, 24) END,
       kv.v, k.state, NULL, b.expires_at, b.imported_at, k.sold_at, k.order_id
FROM (
    -- delivered with the order (void when a ticket replaced it; platform-issued ones mostly redeemed)
    SELECT i.seq, i.pidx, i.m,
           CASE WHEN t.ticket_n IS NOT NULL THEN 'Void'
                WHEN pr.is_platform_issued AND (i.seq * 7919) % 100 < 85 THEN 'Redeemed' ELSE 'Sold' END AS state,
           i.created_at AS sold_at, i.order_id
    FROM bench_items i JOIN bench_products pr ON pr.pidx = i.pidx
    LEFT JOIN bench_tickets t ON t.order_n = i.order_n AND t.item_pos = i.pos AND t.resolution = 'Replaced'
    UNION ALL
    -- replacements sold to the same order on the ticket
    SELECT t.repl_seq, t.pidx, t.repl_period, 'Sold', t.remedy_at, t.order_id
    FROM bench_tickets t WHERE t.resolution = 'Replaced'
    UNION ALL
    -- void at import, then the stock still on the shelf
    SELECT b.extra_offset + g, b.pidx, b.m, CASE WHEN g <= b.n_void THEN 'Void' ELSE 'Available' END, NULL::timestamptz, NULL::uuid
    FROM bench_batches b CROSS JOIN LATERAL generate_series(1, (b.n_void + b.n_avail)::int) AS g
) k
JOIN bench_batches b ON b.pidx = k.pidx AND b.m = k.m
JOIN bench_products pr ON pr.pidx = k.pidx
CROSS JOIN LATERAL (SELECT sha256(('cardmall-bench-key:' || k.seq)::bytea) AS h) h
CROSS JOIN (SELECT coalesce(max(key_version), 1) AS v FROM card_keys) kv
ORDER BY b.imported_at, k.seq;

-- ---- order items ----------------------------------------------------------------------------------------
SELECT pg_temp.step('order items');
INSERT INTO order_items (id, order_id, card_key_id, created_at, replaces_item_id)
SELECT item_id, order_id, key_id, created_at, replaces FROM (
    SELECT i.item_id, i.order_id, pg_temp.uuid7(pg_temp.batch_at(i.pidx, i.m, p.t_start), 2, i.seq) AS key_id, i.created_at, NULL::uuid AS replaces
    FROM bench_items i CROSS JOIN bench_params p
    UNION ALL
    SELECT pg_temp.uuid7(t.remedy_at, 1, t.repl_seq), t.order_id, pg_temp.uuid7(pg_temp.batch_at(t.pidx, t.repl_period, t.t_start), 2, t.repl_seq),
           t.remedy_at, t.item_id
    FROM bench_tickets t WHERE t.resolution = 'Replaced'
) x ORDER BY created_at;

-- ---- tickets --------------------------------------------------------------------------------------------
SELECT pg_temp.step('tickets, ticket items');
INSERT INTO tickets (id, no, buyer_id, order_id, category, status, priority, description, device, channel, is_bulk, assignee_id,
                     responsibility, root_cause, resolution, resolution_note, created_at, updated_at,
                     first_response_target_minutes, resolution_target_minutes, first_response_due_at, resolution_due_at,
                     first_responded_at, resolved_at, closed_at, paused_since, paused_seconds,
                     first_response_warned_at, resolution_warned_at, first_response_breached_at, resolution_breached_at, is_breached,
                     urge_count, last_urged_at, reopen_count, rating, rating_comment, rated_at, check_in_sent_at)
SELECT t.id, t.no, t.user_id, t.order_id, t.category, t.status, t.priority,
       CASE t.category
           WHEN 'KeyInvalid' THEN (ARRAY['充值时一直提示“卡号或密码错误”，用复制按钮复制的，试了三次都不行。', '兑换码提示无效，麻烦帮忙看一下是不是卡有问题。'])[1 + floor(t.r_text * 2)::int]
           WHEN 'KeyAlreadyUsed' THEN (ARRAY['兑换时提示“该卡已被使用”，我是第一次打开这个卡密，肯定没用过。', '刚买的码显示已被兑换，我们还没发给客户。'])[1 + floor(t.r_text * 2)::int]
           WHEN 'ActivationFailed' THEN (ARRAY['激活时报错，提示“激活失败，请稍后再试”。', '输入激活码后提示错误代码，无法激活。'])[1 + floor(t.r_text * 2)::int]
           WHEN 'NotReceived' THEN (ARRAY['付款成功了，但是订单里没看到卡密，是不是没发货？', '下单后没有收到卡密，邮箱里也没有。'])[1 + floor(t.r_text * 2)::int]
           WHEN 'WrongRegion' THEN (ARRAY['兑换时提示“此产品在您所在的国家/地区不可用”。', '充值页面提示当前地区暂不支持充值。'])[1 + floor(t.r_text * 2)::int]
           WHEN 'AccountAbnormal' THEN (ARRAY['充值后账号提示存在异常，被限制了部分功能。', '用了卡密之后账号被临时锁定，是不是卡有问题？'])[1 + floor(t.r_text * 2)::int]
           WHEN 'RefundRequest' THEN (ARRAY['买错了，卡密还没有查看过，能退款吗？', '卡密一直用不了，不想再折腾了，希望直接退款。'])[1 + floor(t.r_text * 2)::int]
           ELSE (ARRAY['请问可以开发票吗？公司报销需要。', '想问一下买的几张卡能不能叠加使用？'])[1 + floor(t.r_text * 2)::int] END,
       (ARRAY[NULL, 'Windows 11 · Chrome', 'iPhone · Safari', 'Android · 微信', 'Steam 客户端 · Windows', NULL])[1 + floor(t.r_msgs * 6)::int],
       CASE WHEN t.tier = 'Reseller' AND t.r_channel < 0.4 THEN 'api' WHEN t.r_channel > 0.94 THEN 'assistant' ELSE 'web' END,
       false, t.assignee_id, t.responsibility, t.root_cause, t.resolution,
       CASE WHEN t.resolution = 'Rejected' THEN '核实后卡密完好可用，按退款规则不属于可退情形。' END,
       t.created_at,
       greatest(t.created_at, t.first_responded_at, t.resolved_at, t.closed_at, t.rated_at, t.last_urged_at, t.fr_breached_at,
                t.res_breached_at, CASE WHEN t.pause_done THEN t.pause_end END, CASE WHEN t.phase = 'Open' AND t.escalated THEN t.answer_at END),
       t.fr_target, t.res_target, t.fr_due, t.resolution_due_at,
       t.first_responded_at, t.resolved_at, t.closed_at, t.paused_since, t.paused_seconds,
       t.fr_warned_at, t.res_warned_at, t.fr_breached_at, t.res_breached_at, t.breached,
       t.urge_count, t.last_urged_at, t.reopened::int, t.rating,
       CASE WHEN t.rating IS NOT NULL AND t.r_comment < 0.3 THEN
           (ARRAY['等了很久才有人处理。', '回复太慢了，希望改进。', '问题解决了，就是等得有点久。', '问题解决了，谢谢。', '处理很快，客服态度很好！'])[t.rating] END,
       t.rated_at, t.check_in_at
FROM bench_tickets t ORDER BY t.ticket_n;

INSERT INTO ticket_items (ticket_id, order_item_id, order_id)
SELECT t.id, t.item_id, t.order_id FROM bench_tickets t
UNION ALL
SELECT t.id, pg_temp.uuid7(t.remedy_at, 1, t.repl_seq), t.order_id FROM bench_tickets t WHERE t.resolution = 'Replaced';

-- ---- conversation ---------------------------------------------------------------------------------------
SELECT pg_temp.step('ticket messages');
-- The buyer's words, the first reply, the buyer's answer after waiting (or an addition to an unanswered
-- ticket), the closing reply; internal notes on escalations. 2–4 lines per ticket.
INSERT INTO ticket_messages (id, ticket_id, author, author_id, body, is_internal, created_at)
SELECT pg_temp.uuid7(m.at, 5, t.ticket_n::bigint * 8 + m.k), t.id, m.author, m.author_id, m.body, m.internal, m.at
FROM bench_tickets t JOIN tickets tk ON tk.id = t.id CROSS JOIN LATERAL (VALUES
    (1, t.created_at, 'Buyer', t.user_id, tk.description::text, false),
    (2, t.first_responded_at, 'Staff', t.assignee_id,
        CASE WHEN t.waits THEN '您好，遇到这种情况一定很着急，辛苦您了！麻烦您截一张报错页面的图发给我，我帮您进一步确认。'
             WHEN t.escalated THEN '您好，给您添麻烦了。这张卡密在我们这边的记录一切正常，我已经请供应商核查，有结果第一时间通知您。'
             ELSE '您好，遇到这种情况一定很着急，辛苦您了！我已经看到您的订单，正在帮您核实，请稍等。' END, false),
    (3, CASE WHEN t.phase = 'New' THEN t.created_at + least(interval '3 minutes', (t.t_end - t.created_at) / 2)
             WHEN t.waits AND t.pause_done THEN t.pause_end END,
        'Buyer', t.user_id,
        CASE WHEN t.phase = 'New' THEN '补充一下：我已经重新登录试过了，还是不行。' ELSE '截图已经发了，麻烦看一下。' END, false),
    (4, CASE WHEN t.escalated THEN t.fr_at + least(interval '1 minute', t.t_end - t.fr_at) END, 'Staff', t.assignee_id, '已提交供应商核查，等待对方回复。', true),
    (5, t.resolved_at, 'Staff', t.assignee_id,
        CASE t.resolution WHEN 'Replaced' THEN '核实好了：这张卡密本身有问题，已经为您换了一张新的，刷新订单页就能看到，原来那张已经作废。'
                          WHEN 'Refunded' THEN '已经为您办理退款，钱已退回到您的 CardMall 钱包，可以在“钱包”里查看。'
                          WHEN 'PartiallyRefunded' THEN '已经为您退还部分货款，钱已退回到您的 CardMall 钱包。'
                          WHEN 'Compensated' THEN '给您添麻烦了，我们已经往您的钱包发放了一笔补偿，再次抱歉！'
                          WHEN 'Rejected' THEN '我们核实了，这张卡密完好可用，按照退款规则这次没办法退款，请您理解。'
                          ELSE '按上面的方法操作就可以了，有问题随时找我们。' END, false)
) AS m(k, at, author, author_id, body, internal)
WHERE m.at IS NOT NULL AND (m.k <> 4 OR t.phase <> 'New')
ORDER BY m.at;

-- ---- timeline -------------------------------------------------------------------------------------------
SELECT pg_temp.step('ticket events');
INSERT INTO ticket_events (ticket_id, kind, at, actor_id, detail, is_public)
SELECT t.id, e.kind, e.at, e.actor, e.detail, e.pub
FROM bench_tickets t CROSS JOIN LATERAL (VALUES
    ('created', t.created_at, t.user_id, t.category, true),
    ('assigned', CASE WHEN t.routed THEN t.created_at ELSE t.first_responded_at END,
        CASE WHEN t.routed THEN NULL ELSE t.assignee_id END, t.assignee_id::text, false),
    ('replied', t.first_responded_at, t.assignee_id, NULL, true),
    ('status_changed', t.first_responded_at, t.assignee_id,
        CASE WHEN t.waits THEN 'WaitingOnBuyer' WHEN t.escalated THEN 'WaitingOnSupplier' ELSE 'Open' END, true),
    ('escalated_to_supplier', CASE WHEN t.escalated THEN t.first_responded_at END, t.assignee_id,
        to_char((t.fr_at + interval '24 hours') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'), true),
    ('supplier_replied', CASE WHEN t.escalated AND t.answer_at <= t.t_end AND t.phase <> 'New' THEN t.answer_at END, t.assignee_id, NULL, false),
    ('buyer_replied', CASE WHEN t.waits AND t.pause_done THEN t.pause_end END, t.user_id, NULL, true),
    ('status_changed', CASE WHEN t.waits AND t.pause_done THEN t.pause_end END, t.user_id, 'Open', true),
    ('sla_warning', t.fr_warned_at, NULL::uuid, 'first_response', false),
    ('sla_breached', t.fr_breached_at, NULL::uuid, 'first_response', false),
    ('sla_warning', t.res_warned_at, NULL::uuid, 'resolution', false),
    ('sla_breached', t.res_breached_at, NULL::uuid, 'resolution', false),
    ('urged', t.last_urged_at, t.user_id, t.urge_count::text, true),
    ('resolved', CASE WHEN t.reopened THEN t.pause_start END, t.assignee_id, 'GuidanceGiven', true),
    ('reopened', CASE WHEN t.reopened THEN t.pause_end END, t.user_id, NULL, true),
    ('key_replaced', CASE WHEN t.resolution = 'Replaced' THEN t.remedy_at END, t.assignee_id, t.order_no, true),
    ('refunded', CASE WHEN t.refund_amount IS NOT NULL THEN t.remedy_at END, t.assignee_id, t.refund_amount::text, true),
    ('compensated', CASE WHEN t.comp_amount IS NOT NULL THEN coalesce(t.remedy_at, t.resolved_at - interval '1 minute') END,
        t.assignee_id, t.comp_amount::text, true),
    ('status_changed', t.resolved_at, t.assignee_id, 'Resolved', true),
    ('resolved', t.resolved_at, t.assignee_id, t.resolution, true),
    ('check_in_sent', t.check_in_at, NULL::uuid, NULL, true),
    ('status_changed', t.closed_at, CASE WHEN t.closed_at = t.confirm_at THEN t.user_id END, 'Closed', true),
    ('rated', t.rated_at, t.user_id, t.rating::text, true)
) AS e(kind, at, actor, detail, pub)
WHERE e.at IS NOT NULL
ORDER BY e.at;

-- ---- money and follow-ups -------------------------------------------------------------------------------
SELECT pg_temp.step('payouts, cases, follow-ups, calls');
-- Within the requester's limit (agent ¥200, supervisor ¥2000) paid at once; above it approved by the
-- supervisor or the admin, half-way between the first reply and the remedy.
INSERT INTO payouts (id, ticket_id, order_id, kind, amount, reason, status, requested_by, request_key, requested_at,
                     decided_by, decided_at, decision_note)
SELECT pg_temp.uuid7(x.requested_at, 6, x.ticket_n::bigint * 2 + x.k), x.id, x.order_id, x.kind, x.amount, x.reason, 'Paid',
       x.assignee_id, md5(x.id::text || x.kind), x.requested_at, x.approver, x.paid_at, NULL
FROM (
    SELECT t.ticket_n, t.id, t.order_id, t.assignee_id, p.k, p.kind, p.amount, p.reason, r.paid_at,
           CASE WHEN p.amount > 2000 THEN t.admin_id WHEN p.amount > 200 AND t.assignee_id <> t.supervisor_id THEN t.supervisor_id
                ELSE t.assignee_id END AS approver,
           CASE WHEN p.amount > 2000 OR (p.amount > 200 AND t.assignee_id <> t.supervisor_id)
                THEN t.fr_at + (r.paid_at - t.fr_at) * 0.5 ELSE r.paid_at END AS requested_at
    FROM bench_tickets t
    CROSS JOIN LATERAL (SELECT coalesce(t.remedy_at, t.resolved_at - interval '1 minute') AS paid_at) r
    CROSS JOIN LATERAL (VALUES
        (0, 'Refund', t.refund_amount, CASE t.resolution WHEN 'PartiallyRefunded' THEN '部分退款：买家已使用部分权益' ELSE '卡密无法使用，退还货款' END),
        (1, 'Compensation', t.comp_amount, CASE WHEN t.resolution = 'Compensated' THEN '平台原因给买家造成不便，补偿' ELSE '处理超时，致歉补偿' END)
    ) AS p(k, kind, amount, reason)
    WHERE p.amount IS NOT NULL
) x
ORDER BY x.paid_at;

UPDATE orders o SET refunded_amount = r.amount, status = CASE WHEN r.amount = o.total THEN 'Refunded' ELSE 'PartiallyRefunded' END
FROM (SELECT order_id, sum(refund_amount) AS amount FROM bench_tickets WHERE refund_amount IS NOT NULL GROUP BY order_id) r
WHERE o.id = r.order_id;

-- One case per escalated ticket, to the supplier of the key's batch; answered within its 24 hours mostly.
INSERT INTO supplier_cases (id, ticket_id, supplier_id, question, opened_by, opened_at, due_at, reply, replied_at, recorded_by)
SELECT pg_temp.uuid7(t.fr_at, 7, t.ticket_n), t.id, b.supplier_id,
       '订单 ' || t.order_no || ' 中一张卡密买家反馈' || CASE t.category WHEN 'KeyAlreadyUsed' THEN '已被使用' ELSE '无效' END || '，请核查该卡状态与兑换记录。',
       t.assignee_id, t.fr_at, t.fr_at + interval '24 hours',
       CASE WHEN t.answer_at <= t.t_end THEN '经查，' || CASE WHEN t.resolution IN ('Replaced', 'Refunded') THEN '该卡在出库前存在问题，同意补发或退款。' ELSE '该卡状态正常，已于发货后正常兑换。' END END,
       CASE WHEN t.answer_at <= t.t_end THEN t.answer_at END,
       CASE WHEN t.answer_at <= t.t_end THEN t.assignee_id END
FROM bench_tickets t JOIN bench_batches b ON b.pidx = t.pidx AND b.m = t.key_period
WHERE t.escalated AND t.phase <> 'New'
ORDER BY t.fr_at;

-- Ratings of 1–2 become a supervisor's call-back; done within a day unless given in the last day.
INSERT INTO follow_up_tasks (id, ticket_id, reason, created_at, done_at, done_by, note)
SELECT pg_temp.uuid7(t.rated_at, 8, t.ticket_n), t.id, 'low_rating', t.rated_at,
       CASE WHEN t.rated_at + interval '26 hours' <= t.t_end THEN t.rated_at + (2 + 24 * t.r_comment) * interval '1 hour' END,
       CASE WHEN t.rated_at + interval '26 hours' <= t.t_end THEN t.supervisor_id END,
       CASE WHEN t.rated_at + interval '26 hours' <= t.t_end THEN '已电话回访，买家表示理解。' END
FROM bench_tickets t WHERE t.rating <= 2
ORDER BY t.rated_at;

-- The suppliers' interfaces: a key check for each key complaint and a case report per escalation;
-- BENCH-SUPPLY-3 is the flaky one.
INSERT INTO supplier_calls (supplier_id, operation, at, latency_ms, outcome, http_status)
SELECT c.supplier_id, c.operation, c.at,
       CASE WHEN o.outcome = 'timeout' THEN 5000 ELSE (80 + 900 * c.r ^ 3 * (1 + (s.code = 'BENCH-SUPPLY-3')::int))::int END,
       o.outcome, CASE o.outcome WHEN 'ok' THEN 200 WHEN 'error' THEN 502 WHEN 'bad_response' THEN 200 END
FROM (
    SELECT b.supplier_id, 'query_key' AS operation, t.created_at + interval '20 seconds' AS at, t.r_amount AS r, t.r_score AS r2
    FROM bench_tickets t JOIN bench_batches b ON b.pidx = t.pidx AND b.m = t.key_period
    WHERE t.category IN ('KeyInvalid', 'KeyAlreadyUsed', 'ActivationFailed')
    UNION ALL
    SELECT sc.supplier_id, 'report_case', sc.opened_at + interval '5 seconds', 0.5, 0.5
    FROM supplier_cases sc JOIN bench_tickets t ON t.id = sc.ticket_id
) c
JOIN bench_suppliers s ON s.id = c.supplier_id
CROSS JOIN LATERAL (SELECT CASE WHEN c.r2 < CASE WHEN s.code = 'BENCH-SUPPLY-3' THEN 0.06 ELSE 0.015 END THEN 'timeout'
                                WHEN c.r2 > CASE WHEN s.code = 'BENCH-SUPPLY-3' THEN 0.95 ELSE 0.99 END THEN 'error'
                                ELSE 'ok' END AS outcome) o
ORDER BY c.at;

-- ---- statistics -----------------------------------------------------------------------------------------
SELECT pg_temp.step('vacuum analyze');
VACUUM (ANALYZE) users, user_roles, wallets, orders, order_items, card_keys, key_batches, tickets, ticket_items,
    ticket_messages, ticket_events, payouts, supplier_cases, follow_up_tasks, supplier_calls;
ANALYZE;
SELECT pg_temp.step(NULL);
