#!/usr/bin/env bash
# bench/pages-year.sh — how fast a buyer's and an agent's own pages answer on a year of shop data (issue 13):
# the buyer's order list /Orders, one order /Orders/{no}, one ticket /Tickets/{no}, the agent queue
# /Admin/Tickets and the agent's ticket page /Admin/Tickets/{no}, each loaded by wrk (2 threads, 16
# connections, 20 s after a 3 s warm-up) signed in by cookie, beside the bare Kestrel "hello" ceiling
# measured in the same run with the same 16 connections. Prints one table: page, req/s, p50, p90, p95, p99.
# Results go into docs/benchmarks.md by hand.
#
#   bench/pages-year.sh [seconds]        default 20 s per page
#
# The year is bench/dashboard-year.sql's (100,000 buyers, 1,000,000 orders, 100,000 tickets) in the database
# bench/dashboard-year.sh keeps with BENCH_KEEP=1 (.data/bench-pg, database cardmall_dashboard_bench); when it
# is not there yet, this script runs that one first to generate it (a few minutes), so both share one year.
# The buyer is the generated buyer with the most orders among those with tickets (given the demo buyer's
# password, CardMall@2026, to sign in with); the agent is the demo agent (agent@cardmall.test). The ticket
# pages show the ticket of that buyer with the longest conversation; its keys are swapped with demo keys
# that the app can open, because the generated keys hold dummy ciphertexts (done once, remembered in the
# table bench_pages). The database is kept: it is the year the next run compares against.
# Release build, Production environment, the dashboard rollup worker off (it is bench/dashboard-year.sh's
# subject, and a rebuild every 10 minutes would land in the middle of a figure).
#   BENCH_PG_PORT (55434), BENCH_HTTP_PORT (5093), BENCH_HELLO_PORT (5094);
#   BENCH_DATA_DIR (.data) — where the kept cluster lives: another checkout (an older commit, for a "before"
#                    figure) can measure the same year.
#   BENCH_LOG_MS=N   log every statement slower than N ms to the cluster's server.log (for profiling)
# Needs: the .NET SDK, PostgreSQL server binaries (scripts/lib/postgres.sh), curl; wrk is a Debian package,
# installed when missing (as root). Takes about 3 minutes with the year in place.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib/postgres.sh
. bench/lib.sh
secs=${1:-20}
port=${BENCH_PG_PORT:-55434}
url=http://127.0.0.1:${BENCH_HTTP_PORT:-5093}
hello_url=http://127.0.0.1:${BENCH_HELLO_PORT:-5094}
db=cardmall_dashboard_bench
data=${BENCH_DATA_DIR:-$root/.data}
pgdir="$data/bench-pg"
appdata="$data/bench-dashboard-app"   # the card-key ring the kept year was sealed with
password=CardMall@2026
work=$(mktemp -d)
app_pid=""
started_pg=0
psqlc() { PGOPTIONS='-c client_min_messages=warning' psql -X -h 127.0.0.1 -p "$port" -U postgres "$@"; }
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  if [ "$started_pg" = 1 ]; then
    psqlc -qc "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()" >/dev/null 2>&1 || true
    pg_stop "$pgdir"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

bench_need wrk wrk

# --- The year: generated once by bench/dashboard-year.sh and kept.
pg_start "$pgdir" "$port" fast
started_pg=$PG_STARTED
existing=$(psqlc -tAc "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$db'")
if [ "${existing#dashboard-year buyers=}" = "$existing" ]; then
  [ "$data" = "$root/.data" ] || { echo "No kept year in $pgdir."; exit 1; }
  [ "$started_pg" = 1 ] && pg_stop "$pgdir"
  started_pg=0
  echo "No kept year in $pgdir: generating it with bench/dashboard-year.sh (BENCH_KEEP=1)."
  BENCH_KEEP=1 BENCH_PG_PORT=$port bench/dashboard-year.sh 1
  pg_start "$pgdir" "$port" fast
  started_pg=$PG_STARTED
fi
if [ -n "${BENCH_LOG_MS:-}" ]; then
  psqlc -qc "ALTER SYSTEM SET log_min_duration_statement = ${BENCH_LOG_MS}" -c "SELECT pg_reload_conf()" >/dev/null
fi

# --- The page ceiling, before CardMall starts.
hello=$(bench_hello_ceiling "$work/hello" "$hello_url" 16 "$secs")
echo "bare Kestrel hello: $hello req/s (16 connections)"

# --- CardMall.
dotnet build src/CardMall.Web -c Release -nologo -v quiet -clp:ErrorsOnly
(
  cd src/CardMall.Web
  ConnectionStrings__CardMall="Host=127.0.0.1;Port=$port;Username=postgres;Database=$db" \
  CardMall__Demo__Seed=true CardMall__Dashboards__RollupEnabled=false CardMall__DataDirectory="$appdata" \
  ASPNETCORE_ENVIRONMENT=Production CardMall__CardKeys__GenerateDevelopmentKeys=true \
  CardMall__DataProtection__GenerateDevelopmentCertificate=true CardMall__Https__SecureCookies=false \
  CardMall__SignIn__RequireStaffTwoFactor=false \
  Serilog__MinimumLevel__Default=Warning \
  exec dotnet bin/Release/net10.0/CardMall.Web.dll --urls "$url"
) > "$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 180); do curl -fs "$url/health/ready" >/dev/null 2>&1 && break; sleep 1; done
curl -fs "$url/health/ready" >/dev/null || { tail -30 "$work/app.log"; exit 1; }

# --- Who and what: chosen once, remembered in bench_pages (so every run measures the same pages).
if [ -z "$(psqlc -d "$db" -tAc "SELECT to_regclass('bench_pages')")" ]; then
  echo "Choosing the buyer, the order and the ticket (once)…"
  psqlc -d "$db" -q -v ON_ERROR_STOP=1 <<'SQL'
BEGIN;
CREATE TABLE bench_pages AS
WITH busiest AS (
    SELECT o.user_id, count(*) AS orders FROM orders o
    WHERE EXISTS (SELECT 1 FROM tickets t WHERE t.buyer_id = o.user_id AND t.order_id IS NOT NULL)
    GROUP BY o.user_id ORDER BY count(*) DESC LIMIT 1
), ticket AS (
    -- The buyer's ticket with the longest conversation, on an order of a few keys.
    SELECT t.id, t.no, t.order_id FROM tickets t JOIN busiest b ON b.user_id = t.buyer_id JOIN orders o ON o.id = t.order_id
    WHERE o.quantity <= 5
    ORDER BY (SELECT count(*) FROM ticket_messages m WHERE m.ticket_id = t.id) DESC, t.created_at DESC LIMIT 1
)
SELECT u.id AS buyer_id, u.email AS buyer_email, b.orders AS buyer_orders,
       (SELECT count(*) FROM tickets t WHERE t.buyer_id = u.id) AS buyer_tickets,
       (SELECT o.no FROM orders o WHERE o.id = ticket.order_id) AS order_no,
       ticket.no AS ticket_no
FROM busiest b JOIN users u ON u.id = b.user_id CROSS JOIN ticket;

-- Signs in with the demo buyer's password (the generated buyers have none).
UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE normalized_email = 'BUYER@CARDMALL.TEST'),
                 lockout_end = NULL, access_failed_count = 0
WHERE id = (SELECT buyer_id FROM bench_pages);

-- The ticket pages open the keys they show to mask them: the ticket's keys and the rest of its order swap
-- fingerprint and ciphertexts with unsold demo keys (sealed by the app), which are then void.
CREATE TEMP TABLE swap AS
WITH wanted AS (
    SELECT DISTINCT k.id, k.code_hash, k.code_cipher, k.secret_cipher, k.key_version
    FROM tickets t JOIN bench_pages bp ON bp.ticket_no = t.no
    JOIN order_items oi ON oi.order_id = t.order_id OR oi.id IN (SELECT ti.order_item_id FROM ticket_items ti WHERE ti.ticket_id = t.id)
    JOIN card_keys k ON k.id = oi.card_key_id
), demo AS (
    SELECT k.id, k.code_hash, k.code_cipher, k.secret_cipher, k.key_version
    FROM card_keys k JOIN key_batches b ON b.id = k.batch_id JOIN suppliers s ON s.id = b.supplier_id
    WHERE s.code NOT LIKE 'BENCH%' AND k.state = 'Available' AND k.order_id IS NULL
    LIMIT (SELECT count(*) FROM wanted)
)
SELECT w.id AS bench_id, w.code_hash AS bench_hash, w.code_cipher AS bench_code, w.secret_cipher AS bench_secret, w.key_version AS bench_version,
       d.id AS demo_id, d.code_hash AS demo_hash, d.code_cipher AS demo_code, d.secret_cipher AS demo_secret, d.key_version AS demo_version
FROM (SELECT *, row_number() OVER (ORDER BY id) AS n FROM wanted) w JOIN (SELECT *, row_number() OVER (ORDER BY id) AS n FROM demo) d USING (n);
UPDATE card_keys k SET code_hash = sha256(k.code_hash || '\x00'::bytea) FROM swap s WHERE k.id = s.demo_id;
UPDATE card_keys k SET code_hash = s.demo_hash, code_cipher = s.demo_code, secret_cipher = s.demo_secret, key_version = s.demo_version
FROM swap s WHERE k.id = s.bench_id;
UPDATE card_keys k SET code_hash = s.bench_hash, code_cipher = s.bench_code, secret_cipher = s.bench_secret, key_version = s.bench_version,
                       state = 'Void'
FROM swap s WHERE k.id = s.demo_id;
COMMIT;
-- As a shop's autovacuum would have by now: visibility map and statistics of the generated year.
VACUUM (ANALYZE);
SQL
fi
IFS='|' read -r buyer_email buyer_orders buyer_tickets order_no ticket_no < <(psqlc -d "$db" -tAc \
  "SELECT buyer_email, buyer_orders, buyer_tickets, order_no, ticket_no FROM bench_pages")
active=$(psqlc -d "$db" -tAc "SELECT count(*) FILTER (WHERE status NOT IN ('Resolved', 'Closed')) || ' of ' || count(*) FROM tickets")
echo "buyer $buyer_email: $buyer_orders orders, $buyer_tickets tickets; order $order_no; ticket $ticket_no; active tickets $active"

buyer_cookie=$(bench_sign_in "$url" "$buyer_email" "$password" "$work/buyer.jar")
agent_cookie=$(bench_sign_in "$url" agent@cardmall.test "$password" "$work/agent.jar")
[ -n "$buyer_cookie" ] || { echo "could not sign in as $buyer_email"; exit 1; }
[ -n "$agent_cookie" ] || { echo "could not sign in as agent@cardmall.test"; exit 1; }

# wrk prints p50/75/90/99 with --latency; p95 (the target) comes from this script's done().
cat > "$work/report.lua" <<'LUA'
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("REPORT %.0f %.1f %.1f %.1f %.1f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.status + e.connect + e.read + e.write + e.timeout))
end
LUA
declare -a table
page() { # name path cookie
  local name=$1 path=$2 cookie=$3 code
  code=$(curl -s -o "$work/page.html" -w '%{http_code}' -H "Cookie: $cookie" "$url$path")
  [ "$code" = 200 ] || { echo "$path answered $code"; tail -20 "$work/app.log"; exit 1; }
  wrk -t2 -c16 -d3s -H "Cookie: $cookie" "$url$path" >/dev/null
  local r rps p50 p90 p95 p99 errors
  r=$(wrk -t2 -c16 -d"${secs}s" -s "$work/report.lua" -H "Cookie: $cookie" "$url$path" | grep '^REPORT')
  read -r _ rps p50 p90 p95 p99 errors <<< "$r"
  table+=("$(printf '| %s | %s | %s | %s | %s | %s |' "$name" "$rps" "$p50" "$p90" "$p95" "$p99")")
  [ "$errors" = 0 ] || table[-1]+=" $errors errors"
  echo "${table[-1]}"
}
page "buyer: order list \`/Orders\`" "/Orders" "$buyer_cookie"
page "buyer: order \`/Orders/{no}\`" "/Orders/$order_no" "$buyer_cookie"
page "buyer: ticket \`/Tickets/{no}\`" "/Tickets/$ticket_no" "$buyer_cookie"
page "agent: queue \`/Admin/Tickets\`" "/Admin/Tickets" "$agent_cookie"
page "agent: ticket \`/Admin/Tickets/{no}\`" "/Admin/Tickets/$ticket_no" "$agent_cookie"

echo
echo "Year: $(psqlc -tAc "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$db'")"
echo "Buyer: $buyer_orders orders, $buyer_tickets tickets; active tickets: $active; $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bare Kestrel hello (16 connections, same run): $hello req/s"
echo
echo "| page (wrk -t2 -c16, ${secs} s) | req/s | p50 ms | p90 ms | p95 ms | p99 ms |"
echo "|---|---:|---:|---:|---:|---:|"
for r in "${table[@]}"; do echo "$r"; done
