#!/usr/bin/env bash
# bench/storefront.sh — checkout and catalogue throughput at a real shop's stock, beside the machine's
# ceiling measured in the same run (issue 13).
#
#   bench/storefront.sh [keys] [seconds]      defaults: 200000 keys on one product, 20 s per figure
#
# It starts its own PostgreSQL cluster with the durable defaults a real shop uses (.data/bench-durable-pg,
# port 55435, fsync and synchronous_commit on), runs pgbench TPC-B and select-only there (scale 10, 16
# clients), builds and runs a bare Kestrel minimal-API "hello" and then CardMall (Release, Production
# environment, the demo shop seeded; plain HTTP on loopback, so cookies are not marked Secure), sets up through the public JSON API — one product holding `keys`
# keys (imported 100,000 per request), 256 buyers with funded wallets — and runs wrk against:
#   POST /api/v1/orders (32 connections, one key per order, a fresh Idempotency-Key each, buyers in turn),
#   the anonymous pages (home, category, product, search, help article), GET /api/v1/products, and the
#   home page signed in as a buyer (64 connections each).
# After the checkout load it checks every order made: no key sold twice, one key per order, every wallet
# equal to its ledger, no money taken without keys. It prints one table; results go into
# docs/benchmarks.md by hand. wrk and pgbench are Debian packages, installed when missing (as root).
#   BENCH_ONLY=checkout   skip the pages (a quicker run while working on checkout)
#   BENCH_PGSS=1          load pg_stat_statements and print the statements of the checkout load
#   BENCH_PERF=FILE       record the web process's CPU with Linux perf during the checkout load (perf.data in FILE)
#   BENCH_TRACE=FILE      record a CPU profile of the web process during the checkout load with dotnet-trace
#                         (a global dotnet tool; installed when missing) and write FILE.speedscope.json
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib/postgres.sh
. bench/lib.sh
keys=${1:-200000}
secs=${2:-20}
port=${BENCH_PG_PORT:-55435}
url=http://127.0.0.1:${BENCH_HTTP_PORT:-5091}
hello_url=http://127.0.0.1:${BENCH_HELLO_PORT:-5092}
buyers=${BENCH_BUYERS:-256}
work=$(mktemp -d)
app_pid=""
pgdir="$root/.data/bench-durable-pg"
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null
  pg_stop "$pgdir"
  rm -rf "$work"
}
trap cleanup EXIT

bench_need wrk wrk
pg_ensure_installed
pgbench=$(command -v pgbench || echo "$(pg_bin_dir)/pgbench")

# A fresh durable cluster each run: the figures compare like with like.
pg_stop "$pgdir"; rm -rf "$pgdir"
[ -n "${BENCH_PGSS:-}" ] && export PG_EXTRA_OPTS="-c shared_preload_libraries=pg_stat_statements -c log_lock_waits=on -c deadlock_timeout=20ms"
pg_start "$pgdir" "$port"
psql=(psql -h 127.0.0.1 -p "$port" -U postgres -qAt)
row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4"; }
declare -a table

# --- The database's ceiling.
"${psql[@]}" -c "CREATE DATABASE pgbench" >/dev/null
"$pgbench" -h 127.0.0.1 -p "$port" -U postgres -i -s 10 -q pgbench >/dev/null 2>&1
tpcb=$("$pgbench" -h 127.0.0.1 -p "$port" -U postgres -c 16 -j 2 -T "$secs" pgbench 2>/dev/null | awk '/^tps/ {print int($3); exit}')
selonly=$("$pgbench" -h 127.0.0.1 -p "$port" -U postgres -S -c 16 -j 2 -T "$secs" pgbench 2>/dev/null | awk '/^tps/ {print int($3); exit}')
echo "pgbench TPC-B: $tpcb tps, select-only: $selonly tps"

# --- The page ceiling: a bare Kestrel minimal API on the same machine, loaded like the pages below.
kestrel=$(bench_hello_ceiling "$work/hello" "$hello_url" 64 "$secs")
echo "bare Kestrel hello: $kestrel req/s"

# --- CardMall.
dotnet build src/CardMall.Web -c Release -nologo -v quiet -clp:ErrorsOnly
admin="cm_bench_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
(
  cd src/CardMall.Web
  ConnectionStrings__CardMall="Host=127.0.0.1;Port=$port;Username=postgres;Database=cardmall" \
  CardMall__Demo__Seed=true CardMall__Demo__AdminApiKey="$admin" CardMall__DataDirectory="$work/data" \
  CardMall__CardKeys__GenerateDevelopmentKeys=true CardMall__DataProtection__GenerateDevelopmentCertificate=true \
  CardMall__Https__SecureCookies=false ASPNETCORE_ENVIRONMENT=Production \
  Serilog__MinimumLevel__Default=Warning DOTNET_PerfMapEnabled=${BENCH_PERF:+1} DOTNET_EnableWriteXorExecute=${BENCH_PERF:+0} \
  exec env ${BENCH_GC_SERVER:+DOTNET_gcServer=$BENCH_GC_SERVER} dotnet bin/Release/net10.0/CardMall.Web.dll --urls "$url"
) > "$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 180); do curl -fs "$url/health/ready" >/dev/null 2>&1 && break; sleep 1; done
curl -fs "$url/health/ready" >/dev/null || { tail -30 "$work/app.log"; exit 1; }
web_pid=$(pgrep -f "CardMall.Web.dll --urls $url" | head -1)
rss() { awk '/VmRSS/ {printf "%d", $2/1024}' /proc/"$web_pid"/status; }
hwm() { awk '/VmHWM/ {printf "%d", $2/1024}' /proc/"$web_pid"/status; }

# The set-up calls honour the API's rate limit (curl retries a 429 after its Retry-After).
auth=(--retry 30 -H "Authorization: Bearer $admin" -H "Content-Type: application/json")
sku="HOT-$RANDOM"
curl -fs "${auth[@]}" "$url/api/v1/admin/suppliers" -d '{"code":"BENCH","name":"Bench supplier","webhookSecret":"bench-secret-0123456789"}' >/dev/null
curl -fs "${auth[@]}" "$url/api/v1/admin/products" -d "{\"sku\":\"$sku\",\"name\":\"热卖点卡\",\"nameEn\":\"Hot card\",\"category\":\"game-cards\",\"faceValue\":1,\"price\":1,\"validityDays\":30,\"deviceLimit\":1,\"regions\":\"CN\",\"maxPerOrder\":10}" >/dev/null
# import_keys COUNT: COUNT new keys onto the hot product through the API, at most 100,000 per request.
n=0
import_keys() {
  local left=$1 chunk
  while [ "$left" -gt 0 ]; do
    chunk=$(( left > 100000 ? 100000 : left )); n=$((n + 1))
    python3 - "$chunk" "$n" > "$work/batch-$n.json" <<'PY'
import json, sys, secrets
count, run = int(sys.argv[1]), sys.argv[2]
print(json.dumps({"supplierCode": "BENCH", "unitCost": 0.5, "expiresAt": "2030-01-01T00:00:00Z",
                  "lines": [f"H{run}X{secrets.token_hex(10).upper()}----{secrets.token_hex(4)}" for _ in range(count)]}))
PY
    curl -fs "${auth[@]}" "$url/api/v1/admin/products/$sku/batches" --data-binary "@$work/batch-$n.json" >/dev/null
    rm -f "$work/batch-$n.json"
    left=$((left - chunk))
  done
}
# The keys the buyers can take now (the database's own counters, exact).
available() {
  "${psql[@]}" -d cardmall -c "SELECT coalesce(sum(c.keys), 0) FROM key_counts c JOIN products p ON p.id = c.product_id WHERE p.sku = '$sku' AND c.state = 'Available'"
}
import_keys "$keys"
import_peak=$(hwm)
echo "imported $keys keys into $sku; web peak RSS during import: $import_peak MiB"

# Buyers: created and funded through the API (¥900 each: under the four-eyes amount).
: > "$work/buyers.txt"
for i in $(seq 1 "$buyers"); do
  out=$(curl -fs "${auth[@]}" "$url/api/v1/admin/users" -d "{\"email\":\"bench$i-$RANDOM@bench.test\",\"password\":\"Bench@2026x\",\"role\":\"Buyer\",\"tier\":\"regular\"}")
  uid=$(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["userId"], d["apiKey"])')
  set -- $uid
  curl -fs "${auth[@]}" "$url/api/v1/admin/users/$1/wallet/adjustments" -d '{"amount":900,"reason":"bench"}' >/dev/null
  echo "$2" >> "$work/buyers.txt"
done
first_buyer=$(head -1 "$work/buyers.txt")
echo "$buyers buyers funded"

# wrk: buyers in turn, a fresh Idempotency-Key per request; statuses counted per thread (bench/lib.sh).
bench_checkout_lua "$work/buyers.txt" "$sku" > "$work/checkout.lua"

rss_before=$(rss)
wrk -t2 -c32 -d5s -s "$work/checkout.lua" "$url" >/dev/null   # warm-up (JIT, pools)
short=$((keys - $(available))); [ "$short" -gt 0 ] && import_keys "$short"
# CPU seconds (user + system) of the web process and of all PostgreSQL processes, to split a checkout's cost.
if [ -n "${BENCH_PGSS:-}" ]; then
  "${psql[@]}" -d cardmall -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()" >/dev/null
fi
app_cpu0=$(bench_cpu_ticks "$web_pid"); pg_cpu0=$(bench_cpu_ticks $(bench_pg_pids "$pgdir"))
trace_pid=""
if [ -n "${BENCH_PERF:-}" ]; then
  perf record -F 999 -g -p "$web_pid" -o "$BENCH_PERF" -- sleep "$secs" >/dev/null 2>&1 &
  trace_pid=$!
fi
if [ -n "${BENCH_TRACE:-}" ]; then
  export PATH="$PATH:$HOME/.dotnet/tools"
  command -v dotnet-trace >/dev/null || dotnet tool install -g dotnet-trace >/dev/null
  dotnet-trace collect -p "$web_pid" --profile dotnet-sampled-thread-time -o "$BENCH_TRACE.nettrace" \
    --duration "00:00:$(printf '%02d' "$secs")" --format Speedscope >/dev/null 2>&1 &
  trace_pid=$!
  sleep 2
fi
# The stock stays at `keys` while buyers buy: once a second the keys sold are imported again, the same way
# for every stock size, so 1,000 keys in stock is measured as 1,000, not as a product selling out.
( while :; do sleep 1; short=$((keys - $(available))); [ "$short" -gt 0 ] && import_keys "$short"; done ) &
restock_pid=$!
line=$(wrk -t2 -c32 -d"${secs}s" -s "$work/checkout.lua" "$url" | grep '^CHECKOUT')
kill "$restock_pid" 2>/dev/null; wait "$restock_pid" 2>/dev/null || true
stock_after=$(available)
rss_after=$(rss)
checkout=$(echo "$line" | sed -E 's/.*rps=([0-9]+).*/\1/')
p99=$(echo "$line" | sed -E 's/.*p99=([0-9.]+).*/\1/')
echo "$line"
app_cpu1=$(bench_cpu_ticks "$web_pid"); pg_cpu1=$(bench_cpu_ticks $(bench_pg_pids "$pgdir"))
orders_done=$(echo "$line" | sed -E 's/.*201=([0-9]+).*/\1/')
tick=$(getconf CLK_TCK)
cpu_split=$(awk -v a=$((app_cpu1 - app_cpu0)) -v p=$((pg_cpu1 - pg_cpu0)) -v n="${orders_done:-1}" -v t="$tick" \
  'BEGIN {printf "CPU per order: web %.2f ms, PostgreSQL %.2f ms", 1000*a/t/n, 1000*p/t/n}')
echo "$cpu_split"
if [ -n "${BENCH_PGSS:-}" ]; then
  "${psql[@]}" -d cardmall -F ' | ' -c "SELECT calls, round(total_exec_time::numeric, 0) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms, left(regexp_replace(query, '\s+', ' ', 'g'), 140) FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25"
fi
[ -n "${BENCH_PGSS:-}" ] && cp "$pgdir/server.log" /tmp/bench-pg-server.log
[ -n "$trace_pid" ] && { wait "$trace_pid" || true; ls "${BENCH_TRACE:-${BENCH_PERF:-}}"* >&2; }

# Every order exact.
# The checks every load and fault run makes (bench/integrity.sql, also run by the integration tests), and the orders made.
integrity=$("${psql[@]}" -d cardmall -F ': ' -f "$root/bench/integrity.sql" | paste -sd ';' | sed 's/;/; /g')
integrity="$integrity; orders on the hot product: $("${psql[@]}" -d cardmall -c "SELECT count(*) FROM orders o JOIN products p ON p.id = o.product_id WHERE p.sku = '$sku'")"
echo "integrity: $integrity"

page() { # name path [extra wrk args…]
  [ "${BENCH_ONLY:-}" = checkout ] && return 0
  local name=$1 path=$2; shift 2
  wrk -t2 -c64 -d3s "$@" "$url$path" >/dev/null
  local r; r=$(wrk -t2 -c64 -d"${secs}s" --latency "$@" "$url$path")
  local rps non2xx
  rps=$(echo "$r" | awk '/Requests\/sec/ {print int($2)}')
  non2xx=$(echo "$r" | awk '/Non-2xx/ {print $NF}')
  table+=("$(row "$name" "$rps req/s${non2xx:+ ($non2xx non-2xx)}" "bare Kestrel $kestrel req/s" "$(awk -v a="$rps" -v b="$kestrel" 'BEGIN {printf "%.1f %%", 100*a/b}')")")
}
article=$(curl -fs "$url/Help" | grep -oE 'href="/Help/[^"]+"' | head -1 | sed -E 's/href="([^"]+)"/\1/')
page "home \`/\`, anonymous" "/"
page "category \`/Category/game-cards\`" "/Category/game-cards"
page "product \`/Products/$sku\`" "/Products/$sku"
page "search \`/Search?q=card\`" "/Search?q=card"
page "help article \`${article:-/Help}\`" "${article:-/Help}"
# The products API with the buyers' keys in turn: one key alone would meet its own rate limit (20/s).
{
  echo "local keys = {"; sed 's/.*/"&",/' "$work/buyers.txt"; echo "}"
  cat <<'LUA'
local counter = 0
function request()
  counter = counter + 1
  return wrk.format("GET", wrk.path, { ["Authorization"] = "Bearer " .. keys[(counter % #keys) + 1] })
end
LUA
} > "$work/rotate.lua"
page "\`GET /api/v1/products\` ($buyers buyers' keys in turn)" "/api/v1/products" -s "$work/rotate.lua"

# A signed-in buyer: the demo buyer's cookie from the sign-in form.
cookie=$(bench_sign_in "$url" buyer@cardmall.test CardMall@2026 "$work/jar")
if [ -n "$cookie" ]; then
  page "home \`/\`, signed-in buyer" "/" -H "Cookie: $cookie"
else
  table+=("$(row "home, signed-in buyer" "could not sign in" "" "")")
fi

echo
echo "Stock: $keys keys on one product; $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores"
echo
echo "| work | CardMall | ceiling measured in the same run | ratio |"
echo "|---|---:|---:|---:|"
row "\`POST /api/v1/orders\`, 32 connections, $buyers buyers" "$checkout orders/s, p99 $p99 ms" "pgbench TPC-B $tpcb tps (select-only $selonly)" "$(awk -v a="$checkout" -v b="$tpcb" 'BEGIN {printf "%.1f %%", 100*a/b}')"
for r in "${table[@]}"; do echo "$r"; done
echo
echo "integrity: $integrity"
echo "stock on the hot product after the checkout load: $stock_after keys (kept at $keys by importing what was sold, once a second)"
echo "$cpu_split"
echo "web RSS: $rss_before MiB before checkout load, $rss_after MiB after; peak $(hwm) MiB (import peak $import_peak MiB)"
