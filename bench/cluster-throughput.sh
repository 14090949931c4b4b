#!/usr/bin/env bash
# bench/cluster-throughput.sh [seconds] — throughput through the load balancer with 1 and 2 CardMall nodes, the
# ceilings measured in the same run, what an order costs each part, and what N nodes on N machines would give
# against one PostgreSQL primary (issue 18, "Throughput across nodes").
#
#   bench/cluster-throughput.sh [seconds]     default 30 s per figure, each after a 5 s warm-up
#
# It starts ./scripts/cluster.sh --nodes 2 on its own ports (below), fresh (.data/cluster is wiped first), in
# Production mode (Release, Serilog at Warning), with an admin API key it generates; sets up through the admin API —
# one product with BENCH_KEYS keys (100,000; imported straight into node 1: one request that may outlast nginx's 60 s
# proxy timeout), BENCH_BUYERS buyers (64) with funded wallets — and then, holding /work/bench.lock:
#   the ceilings  pgbench select-only (-S) and TPC-B-like on the cluster's primary (scale 10, 16 clients), and the
#                 bare Kestrel "hello" of bench/lib.sh alone and through the same nginx (the upstream swapped to it);
#   1 node        nginx reloaded with node 1 only (node 2 stays up, idle):
#                   catalogue  the anonymous product page /Products/{sku}, 64 connections;
#                   checkout   POST /api/v1/orders of one key of the hot product, 32 connections, the buyers' API keys
#                              in turn (each thread its own half), a fresh Idempotency-Key each;
#   2 nodes       nginx reloaded with both nodes: the same two.
# During each, it reads the CPU (utime + stime from /proc) of the primary's and the replica's PostgreSQL processes, of
# both nodes, nginx and Redis, and the primary's pg_stat_database.xact_commit, and divides by the answers (orders
# created for checkout). Afterwards bench/integrity.sql runs on the primary. It prints the tables and the arithmetic
# for N nodes (BENCH_PRIMARY_CORES and BENCH_NODE_CORES: the cores of a primary and of a node, default this machine's).
# Everything it started is stopped at the end (also on Ctrl-C or a failure). wrk and pgbench are Debian packages,
# installed when missing (as root). Results go into docs/benchmarks.md by hand.
#
# Ports (environment, defaults in brackets): BENCH_CLUSTER_PORT [8092] for nginx, BENCH_CLUSTER_NODE_PORT [5121] (node
# 2 on the next), BENCH_CLUSTER_PG_PORT [55481] (the replica on the next), BENCH_CLUSTER_REDIS_PORT [6392],
# BENCH_HELLO_PORT [5125].
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=../scripts/lib/postgres.sh
. scripts/lib/postgres.sh
# shellcheck source=../scripts/lib/nginx.sh
. scripts/lib/nginx.sh
# shellcheck source=lib.sh
. bench/lib.sh

secs=${1:-30}
keys=${BENCH_KEYS:-100000}
buyers=${BENCH_BUYERS:-64}
port=${BENCH_CLUSTER_PORT:-8092}
node_port=${BENCH_CLUSTER_NODE_PORT:-5121}
pg_port=${BENCH_CLUSTER_PG_PORT:-55481}
redis_port=${BENCH_CLUSTER_REDIS_PORT:-6392}
hello_port=${BENCH_HELLO_PORT:-5125}
primary_cores=${BENCH_PRIMARY_CORES:-$(nproc)}
node_cores=${BENCH_NODE_CORES:-$(nproc)}
url=http://127.0.0.1:$port
node1=http://127.0.0.1:$node_port
data=$root/.data/cluster
work=$(mktemp -d)
cluster_pid="" BENCH_HELLO_PID=""

cleanup() {
  trap - EXIT INT TERM
  bench_lock_release
  [ -n "$BENCH_HELLO_PID" ] && { kill "$BENCH_HELLO_PID" 2>/dev/null; wait "$BENCH_HELLO_PID" 2>/dev/null || true; }
  if [ -n "$cluster_pid" ]; then
    # cluster.sh stops what it started on TERM (nodes, nginx, Redis, replica, primary).
    kill -TERM "$cluster_pid" 2>/dev/null || true
    for _ in $(seq 1 120); do kill -0 "$cluster_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$cluster_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench_need wrk wrk
pg_ensure_installed
pgbench=$(command -v pgbench || echo "$(pg_bin_dir)/pgbench")

# --- The topology, fresh: the same stock, buyers and empty tables every run.
if [ -f "$data/cluster.env" ] || [ -f "$data/primary/postmaster.pid" ]; then
  echo "a cluster is already running from $data: stop it first" >&2; exit 1
fi
rm -rf "$data"
admin="cm_bench_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
mkdir -p "$root/.data"
CARDMALL_CLUSTER_PG_PORT=$pg_port CARDMALL_CLUSTER_REDIS_PORT=$redis_port CARDMALL_CLUSTER_NODE_PORT=$node_port \
CARDMALL_DEMO_ADMIN_API_KEY=$admin ASPNETCORE_ENVIRONMENT=Production Serilog__MinimumLevel__Default=Warning \
CardMall__CardKeys__GenerateDevelopmentKeys=true CardMall__DataProtection__GenerateDevelopmentCertificate=true \
CardMall__Https__SecureCookies=false \
  scripts/cluster.sh --nodes 2 --port "$port" > "$root/.data/throughput-cluster.log" 2>&1 &
cluster_pid=$!
echo "starting the cluster (publish, primary + replica, Redis, 2 nodes, nginx on $url)…"
for _ in $(seq 1 1200); do
  [ -f "$data/cluster.env" ] && break
  kill -0 "$cluster_pid" 2>/dev/null || { tail -30 "$root/.data/throughput-cluster.log" >&2; exit 1; }
  sleep 1
done
[ -f "$data/cluster.env" ] || { echo "the cluster did not come up in 20 minutes" >&2; exit 1; }
# shellcheck disable=SC1091
. "$data/cluster.env"
read -r node1_pid node2_pid <<< "$CLUSTER_NODE_PIDS"
psql=("$(pg_bin_dir)/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d cardmall -qAt)

# balance_over UPSTREAM… — nginx's upstream becomes UPSTREAM…, by a reload (same master, same configuration).
balance_over() {
  nginx_write_conf "$data/nginx" "$port" "$@"
  "$(nginx_bin)" -p "$data/nginx" -c "$data/nginx/nginx.conf" -s reload 2>/dev/null
  sleep 2   # the old workers finish; the new ones take the port
}

# --- Set-up through the admin API of node 1 (not timed). curl retries a 429 after its Retry-After.
auth=(--retry 30 -H "Authorization: Bearer $admin" -H "Content-Type: application/json")
sku="HOT-$RANDOM"
curl -fs "${auth[@]}" "$node1/api/v1/admin/suppliers" -d '{"code":"BENCH","name":"Bench supplier","webhookSecret":"bench-secret-0123456789"}' >/dev/null
# No maxPerBuyerPerDay: nothing but stock and balance limits a buyer.
curl -fs "${auth[@]}" "$node1/api/v1/admin/products" -d "{\"sku\":\"$sku\",\"name\":\"热卖点卡\",\"nameEn\":\"Hot card\",\"category\":\"game-cards\",\"faceValue\":1,\"price\":1,\"validityDays\":30,\"deviceLimit\":1,\"regions\":\"CN\",\"maxPerOrder\":10}" >/dev/null
python3 - "$keys" > "$work/batch.json" <<'PY'
import json, sys, secrets
print(json.dumps({"supplierCode": "BENCH", "unitCost": 0.5, "expiresAt": "2030-01-01T00:00:00Z",
                  "lines": [f"T{secrets.token_hex(10).upper()}----{secrets.token_hex(4)}" for _ in range(int(sys.argv[1]))]}))
PY
import_start=$SECONDS
curl -fs -m 900 "${auth[@]}" "$node1/api/v1/admin/products/$sku/batches" --data-binary "@$work/batch.json" >/dev/null
echo "imported $keys keys into $sku in $((SECONDS - import_start)) s"
# Buyers, ¥1,800 each in two adjustments (each under the four-eyes amount): 1,800 orders of ¥1 per buyer.
: > "$work/buyers.txt"
for i in $(seq 1 "$buyers"); do
  read -r uid key < <(curl -fs "${auth[@]}" "$node1/api/v1/admin/users" \
      -d "{\"email\":\"tp$i-$RANDOM@bench.test\",\"password\":\"Bench@2026x\",\"role\":\"Buyer\",\"tier\":\"regular\"}" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["userId"], d["apiKey"])')
  [ -n "${key:-}" ] || { echo "could not create buyer $i" >&2; exit 1; }
  for _ in 1 2; do
    curl -fs "${auth[@]}" "$node1/api/v1/admin/users/$uid/wallet/adjustments" -d '{"amount":900,"reason":"bench"}' >/dev/null
  done
  echo "$key" >> "$work/buyers.txt"
done
echo "$buyers buyers funded"
bench_checkout_lua "$work/buyers.txt" "$sku" > "$work/checkout.lua"
bench_wrk_tally GET > "$work/tally.lua"
"$(pg_bin_dir)/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qc "CREATE DATABASE pgbench"
"$pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -i -s 10 -q pgbench >/dev/null 2>&1
bench_hello_start "$work/hello" "http://127.0.0.1:$hello_port" 2>"$work/hello.log" || { cat "$work/hello.log" >&2; exit 1; }

# --- Timed measurements, one benchmark at a time on the machine.
bench_lock_take "bench/cluster-throughput.sh (throughput helper) pid $$"
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average at the start: $load"
tpcb=$("$pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -c 16 -j 2 -T "$secs" pgbench 2>/dev/null | awk '/^tps/ {print int($3); exit}')
selonly=$("$pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -S -c 16 -j 2 -T "$secs" pgbench 2>/dev/null | awk '/^tps/ {print int($3); exit}')
echo "pgbench on the primary: TPC-B $tpcb tps, select-only $selonly tps"

# wrk_line CONNECTIONS SCRIPT URL — warm-up, then the timed run; prints the script's tally line.
wrk_line() {
  wrk -t2 -c"$1" -d5s -s "$2" "$3" >/dev/null
  wrk -t2 -c"$1" -d"${secs}s" -s "$2" "$3" | grep -E '^(GET|CHECKOUT) '
}
# field NAME LINE — the number after "NAME=" in a tally line (rps, p50, p99, errors, or a status such as 201).
field() { echo "$2" | sed -nE "s/.*[ ,=]$1=([0-9.]+).*/\\1/p"; }
hello_direct=$(wrk_line 64 "$work/tally.lua" "http://127.0.0.1:$hello_port/")
balance_over "127.0.0.1:$hello_port"
hello_nginx=$(wrk_line 64 "$work/tally.lua" "$url/")
kill "$BENCH_HELLO_PID" 2>/dev/null; wait "$BENCH_HELLO_PID" 2>/dev/null || true; BENCH_HELLO_PID=""
echo "bare Kestrel hello: $(field rps "$hello_direct") req/s alone, $(field rps "$hello_nginx") req/s through nginx"

tick=$(getconf CLK_TCK)
nginx_pids() { local m; m=$(cat "$data/nginx/nginx.pid"); echo "$m $(pgrep -P "$m" | tr '\n' ' ')"; }
# usage — "primary replica node1 node2 nginx redis" CPU ticks so far, then the primary's commits and the time.
usage() {
  echo "$(bench_cpu_ticks $(bench_pg_pids "$data/primary")) $(bench_cpu_ticks $(bench_pg_pids "$data/replica"))" \
    "$(bench_cpu_ticks "$node1_pid") $(bench_cpu_ticks "$node2_pid") $(bench_cpu_ticks $(nginx_pids)) $(bench_cpu_ticks "$(cat "$data/redis/redis.pid")")"
}
# A backend publishes its counters when it goes idle, at most once a second, or 10 s later: wait that out.
commits() { sleep 11; "${psql[@]}" -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'cardmall'"; }
orders_made() { "${psql[@]}" -c "SELECT count(*) FROM orders o JOIN products p ON p.id = o.product_id WHERE p.sku = '$sku'"; }

rows=() costs=() arithmetic=()
# measure SCENARIO NODES CONNECTIONS SCRIPT PATH — one timed run through nginx, with its costs.
measure() {
  local scenario=$1 nodes=$2 conns=$3 script=$4 path=$5 line c0 c1 u0 u1 t0 t1 o0 o1 answered
  wrk -t2 -c"$conns" -d5s -s "$script" "$url$path" >/dev/null
  c0=$(commits); o0=$(orders_made); u0=$(usage); t0=$(date +%s.%N)
  line=$(wrk -t2 -c"$conns" -d"${secs}s" -s "$script" "$url$path" | grep -E '^(GET|CHECKOUT) ')
  u1=$(usage); t1=$(date +%s.%N); c1=$(commits); o1=$(orders_made)
  echo "$scenario, $nodes node(s): $line"
  local statuses s2 s4 s5 s429 errors
  statuses=$(echo "$line" | sed -nE 's/.*statuses=([^ ]*).*/\1/p')
  s2=$(echo "$statuses" | tr ',' '\n' | awk -F= '$1 ~ /^2/ {n += $2} END {print n + 0}')
  s4=$(echo "$statuses" | tr ',' '\n' | awk -F= '$1 ~ /^4/ {n += $2} END {print n + 0}')
  s5=$(echo "$statuses" | tr ',' '\n' | awk -F= '$1 ~ /^5/ {n += $2} END {print n + 0}')
  errors=$(field errors "$line"); s429=$(field 429 "$line")
  answered=$s2
  [ "$scenario" = checkout ] && answered=$(field 201 "$line")
  rows+=("| $scenario | $nodes | $(field rps "$line") | $(field p50 "$line") ms | $(field p99 "$line") ms | 2xx $s2, 4xx $s4 (429: ${s429:-0}), 5xx $s5, socket $errors |")
  [ "$scenario" = checkout ] && rows[-1]="${rows[-1]% |} — orders in the database: $((o1 - o0)) |"
  # CPU ms per answer: primary, replica, nodes (both), nginx, Redis; commits per answer; cores busy.
  local cost
  cost=$(awk -v u0="$u0" -v u1="$u1" -v t="$tick" -v n="${answered:-0}" -v c="$((c1 - c0))" -v t0="$t0" -v t1="$t1" 'BEGIN {
    w = t1 - t0; split(u0, a, " "); split(u1, b, " "); if (n == 0) n = 1
    for (i = 1; i <= 6; i++) { ms[i] = 1000 * (b[i] - a[i]) / t / n; busy[i] = (b[i] - a[i]) / t / w }
    printf "%.3f %.3f %.3f %.3f %.3f %.3f %.3f %.2f %.2f %.2f %.2f %.2f %.2f", ms[1], ms[2], ms[3] + ms[4], ms[3], ms[4], ms[5], ms[6],
      c / n, busy[1], busy[2], busy[3] + busy[4], busy[5], busy[6] }')
  local pm rm wm w1 w2 nm xm cpn pb rb wb nb xb
  read -r pm rm wm w1 w2 nm xm cpn pb rb wb nb xb <<< "$cost"
  costs+=("| $scenario | $nodes | $pm ms ($pb) | $rm ms ($rb) | $wm ms ($wb) = $w1 + $w2 | $nm ms ($nb) | $xm ms ($xb) | $cpn |")
  [ "$scenario" = checkout ] && arithmetic+=("$nodes $pm $wm $(field rps "$line")")
  return 0
}

balance_over "127.0.0.1:$node_port"
measure catalogue 1 64 "$work/tally.lua" "/Products/$sku"
measure checkout 1 32 "$work/checkout.lua" ""
balance_over "127.0.0.1:$node_port" "127.0.0.1:$((node_port + 1))"
measure catalogue 2 64 "$work/tally.lua" "/Products/$sku"
measure checkout 2 32 "$work/checkout.lua" ""
bench_lock_release
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

integrity=$("${psql[@]}" -F ': ' -f "$root/bench/integrity.sql" | paste -sd ';' | sed 's/;/; /g')
stock=$("${psql[@]}" -c "SELECT coalesce(sum(c.keys), 0) FROM key_counts c JOIN products p ON p.id = c.product_id WHERE p.sku = '$sku' AND c.state = 'Available'")

echo
echo "Run $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $load at the start, $load_end at the end; $secs s per figure"
echo "after a 5 s warm-up; $keys keys on one product, $buyers buyers; through nginx on $url."
echo
echo "| scenario | nodes | req/s | p50 | p99 | answers |"
echo "|---|---:|---:|---:|---:|---|"
for r in "${rows[@]}"; do echo "$r"; done
echo
echo "| ceiling, same run | figure | p50 | p99 |"
echo "|---|---:|---:|---:|"
echo "| bare Kestrel hello, direct, 64 connections | $(field rps "$hello_direct") req/s | $(field p50 "$hello_direct") ms | $(field p99 "$hello_direct") ms |"
echo "| bare Kestrel hello through the same nginx, 64 connections | $(field rps "$hello_nginx") req/s | $(field p50 "$hello_nginx") ms | $(field p99 "$hello_nginx") ms |"
echo "| pgbench TPC-B-like on the primary, 16 clients | $tpcb tps | | |"
echo "| pgbench select-only on the primary, 16 clients | $selonly tps | | |"
echo
echo "CPU per answer (per order created for checkout), and in brackets the cores that part kept busy on average:"
echo
echo "| scenario | nodes | primary PostgreSQL | replica | web nodes: node 1 + node 2 | nginx | Redis | primary commits per answer |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for r in "${costs[@]}"; do echo "$r"; done
echo
echo "integrity: $integrity"
echo "stock left on the hot product: $stock keys"
echo
echo "What N nodes on N machines would give (P = $primary_cores cores on the primary, W = $node_cores cores per node):"
for a in "${arithmetic[@]}"; do
  read -r n c_db c_web rps <<< "$a"
  awk -v n="$n" -v db="$c_db" -v web="$c_web" -v p="$primary_cores" -v w="$node_cores" -v rps="$rps" 'BEGIN {
    pmax = p / (db / 1000); nmax = w / (web / 1000); k = pmax / nmax; need = (k == int(k)) ? k : int(k) + 1
    printf "- from the %d-node checkout (%d orders/s here): c_db = %.2f ms, c_web = %.2f ms per order; the primary saturates near\n", n, rps, db, web
    printf "  P / c_db = %.0f orders/s, one node gives W / c_web = %.0f orders/s, so checkout stops growing after ceil(%.1f) = %d node(s).\n", pmax, nmax, k, need }'
done
echo "On this machine both nodes, PostgreSQL, nginx, Redis and wrk share the same $(nproc) cores: 1 -> 2 nodes shows the"
echo "balancer working and what a second node costs, not a speed-up."
