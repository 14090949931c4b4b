#!/usr/bin/env bash
# bench/dashboard-year.sh — how long the operators' dashboard takes on a year of shop data: GET
# /api/v1/admin/dashboard for the last 30 and the last 365 Beijing days, timed to the first byte (curl's
# time_starttransfer), on Kestrel in Release against its own PostgreSQL. The year is generated in SQL by
# bench/dashboard-year.sql (100,000 buyers, 1,000,000 orders, 2,000,000 card keys, 100,000 tickets with
# their SLA clocks, conversation, timeline and payouts); each generation step's time is printed.
# Results go into docs/benchmarks.md by hand.
# Usage: bench/dashboard-year.sh [runs]   (default 10 timed calls per period, after one warm-up call)
#   BENCH_KEEP=1         keep the cluster's data and the database afterwards, and reuse a database that
#                        already holds the generated year (then only the timing step runs);
#   BENCH_REGENERATE=1   with BENCH_KEEP, generate again all the same;
#   BENCH_BUYERS / BENCH_ORDERS / BENCH_KEYS / BENCH_TICKETS   other sizes (for a quick trial run);
#   BENCH_PG_PORT (55434), BENCH_HTTP_PORT (5090).
# Needs: the .NET SDK, PostgreSQL server binaries (scripts/lib/postgres.sh), curl. Takes 5–10 minutes on
# two cores (generating about 3.5 of them); the database is about 2 GB while it exists. Without BENCH_KEEP
# the database is dropped at the end; a PostgreSQL server this script started is always stopped.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib/postgres.sh
runs=${1:-10}
port=${BENCH_PG_PORT:-55434}
url=http://127.0.0.1:${BENCH_HTTP_PORT:-5090}
db=cardmall_dashboard_bench
pgdir="$root/.data/bench-pg"
keep=${BENCH_KEEP:-}
buyers=${BENCH_BUYERS:-100000}
orders=${BENCH_ORDERS:-1000000}
keys=${BENCH_KEYS:-2000000}
tickets=${BENCH_TICKETS:-100000}
marker="dashboard-year buyers=$buyers orders=$orders keys=$keys tickets=$tickets"
work=$(mktemp -d)
app_pid=""
started_pg=0
psqlc() { PGOPTIONS='-c client_min_messages=warning' psql -X -h 127.0.0.1 -p "$port" -U postgres "$@"; }
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  if [ -z "$keep" ]; then psqlc -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; fi
  # Only a server this script started is stopped (its data stays on disk with BENCH_KEEP=1).
  [ "$started_pg" = 1 ] && pg_stop "$pgdir"
  rm -rf "$work"
}
trap cleanup EXIT
seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

pg_start "$pgdir" "$port" fast
started_pg=$PG_STARTED

# A kept database that already holds this size of year is reused unless BENCH_REGENERATE is set.
generate=1
existing=$(psqlc -tAc "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$db'")
if [ -n "$keep" ] && [ -z "${BENCH_REGENERATE:-}" ] && [ "${existing%% generated*}" = "$marker" ]; then
  generate=0
  echo "Reusing database $db ($existing); BENCH_REGENERATE=1 makes a new year."
else
  psqlc -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  psqlc -qc "CREATE DATABASE $db" >/dev/null
fi

dotnet build src/CardMall.Web -c Release -nologo -v quiet -clp:ErrorsOnly
key="cm_bench_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
# With BENCH_KEEP the app's data folder (its card-key ring) is kept too, so a kept database stays readable.
if [ -n "$keep" ]; then appdata="$root/.data/bench-dashboard-app"; else appdata="$work/data"; fi
app_start=$(date +%s.%N)
(
  cd src/CardMall.Web
  ConnectionStrings__CardMall="Host=127.0.0.1;Port=$port;Username=postgres;Database=$db" \
  CardMall__Demo__Seed=true CardMall__Dashboards__RollupEnabled=false CardMall__Demo__AdminApiKey="$key" CardMall__DataDirectory="$appdata" \
  ASPNETCORE_ENVIRONMENT=Production CardMall__CardKeys__GenerateDevelopmentKeys=true CardMall__DataProtection__GenerateDevelopmentCertificate=true \
  Serilog__MinimumLevel__Default=Warning \
  exec dotnet bin/Release/net10.0/CardMall.Web.dll --urls "$url"
) > "$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 120); do curl -fs "$url/health/ready" >/dev/null 2>&1 && break; sleep 1; done
curl -fs "$url/health/ready" >/dev/null || { tail -30 "$work/app.log"; exit 1; }
echo "app ready (migrations and demo seed) in $(seconds_since "$app_start") s"

if [ "$generate" = 1 ]; then
  echo "Generating a year: $buyers buyers, $orders orders, $keys card keys, $tickets tickets"
  gen_start=$(date +%s.%N)
  psqlc -d "$db" -q -v ON_ERROR_STOP=1 -v buyers="$buyers" -v orders="$orders" -v keys="$keys" -v tickets="$tickets" \
    -f bench/dashboard-year.sql
  echo "  $(printf '%-38s' 'total' | tr ' ' '.') $(printf '%6s' "$(seconds_since "$gen_start")") s"
  psqlc -qc "COMMENT ON DATABASE $db IS '$marker generated $(date -u +%FT%TZ)'" >/dev/null
fi

echo "Rows and size:"
psqlc -d "$db" -tAF ' ' -c "
  SELECT 'users', count(*)::text FROM users UNION ALL SELECT 'orders', count(*)::text FROM orders
  UNION ALL SELECT 'order_items', count(*)::text FROM order_items UNION ALL SELECT 'card_keys', count(*)::text FROM card_keys
  UNION ALL SELECT 'tickets', count(*)::text FROM tickets UNION ALL SELECT 'ticket_messages', count(*)::text FROM ticket_messages
  UNION ALL SELECT 'ticket_events', count(*)::text FROM ticket_events UNION ALL SELECT 'payouts', count(*)::text FROM payouts
  UNION ALL SELECT 'database', pg_size_pretty(pg_database_size(current_database()))" | awk '{ printf "  %-16s %s %s\n", $1, $2, $3 }'

today=$(TZ=Asia/Shanghai date +%F)
status=$(curl -s -o "$work/probe.json" -w '%{http_code}' --max-time 300 -H "Authorization: Bearer $key" \
  "$url/api/v1/admin/dashboard?from=$today&to=$today")
if [ "$status" = 404 ]; then
  echo "GET /api/v1/admin/dashboard answers 404: the endpoint is not built yet. Data step done; nothing to time."
  exit 0
fi
[ "$status" = 200 ] || { echo "GET /api/v1/admin/dashboard answered $status:"; head -c 2000 "$work/probe.json"; echo; tail -20 "$work/app.log"; exit 1; }

# The rollups the dashboards read: rebuilt in the background every 10 minutes in a shop (switched off here, so
# the rebuild runs once, after the data exists, and is timed).
rollup_start=$(date +%s.%N)
curl -fs -X POST -H "Authorization: Bearer $key" "$url/api/v1/admin/dashboard/rollups" --max-time 600 >/dev/null
echo "rollups rebuilt in $(seconds_since "$rollup_start") s"

echo "period,from,to,runs,min_ms,median_ms,max_ms,bytes"
for days in 30 365; do
  from=$(TZ=Asia/Shanghai date -d "$today -$((days - 1)) days" +%F)
  call() {
    curl -s -o "$work/dashboard.json" -w '%{http_code} %{time_starttransfer} %{size_download}\n' --max-time 300 \
      -H "Authorization: Bearer $key" "$url/api/v1/admin/dashboard?from=$from&to=$today"
  }
  call > "$work/warm.txt"   # warm-up: JIT, plan cache, buffers
  : > "$work/times.txt"
  for _ in $(seq 1 "$runs"); do
    read -r code secs bytes < <(call)
    [ "$code" = 200 ] || { echo "run answered $code:"; head -c 2000 "$work/dashboard.json"; echo; exit 1; }
    echo "$secs $bytes" >> "$work/times.txt"
  done
  sort -n "$work/times.txt" | awk -v d="$days" -v f="$from" -v t="$today" '
    { ms[NR] = $1 * 1000; bytes = $2 }
    END { n = NR; med = (n % 2) ? ms[(n + 1) / 2] : (ms[n / 2] + ms[n / 2 + 1]) / 2;
          printf "%d days,%s,%s,%d,%.0f,%.0f,%.0f,%d\n", d, f, t, n, ms[1], med, ms[n], bytes }'
done
