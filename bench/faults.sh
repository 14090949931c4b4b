#!/usr/bin/env bash
# bench/faults.sh [--seconds S] [--workers W] — faults survived, against a running ./scripts/cluster.sh
# (it reads .data/cluster/cluster.env). Under a steady load through the balancer (checkouts on one hot product by
# several buyers, catalogue reads), each case injects one fault, then checks what a buyer and the books would notice:
#   kill-node   kill -9 the last node; the balancer routes around it
#   pg-restart  PostgreSQL primary: fast shutdown, then start; the nodes recover without a restart
#   redis-down  Redis stopped for the rest of the run, then started again; limits fall back to per node
# After each case: every order that answered 201 exists with its keys, and bench/integrity.sql (the checks the
# integration tests also run) finds no key sold twice, no wallet off its ledger, no order half-written.
# Prints one table. Needs the admin API key the first node printed (CARDMALL_ADMIN_KEY, or cluster.sh's
# CARDMALL_DEMO_ADMIN_API_KEY when it was set). The cluster is left running, minus the killed node.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=../scripts/lib/postgres.sh
. scripts/lib/postgres.sh
# shellcheck source=../scripts/lib/redis.sh
. scripts/lib/redis.sh

secs=20 workers=4 cases="kill-node pg-restart redis-down"
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) secs=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
env_file=.data/cluster/cluster.env
[ -f "$env_file" ] || { echo "no running cluster: start ./scripts/cluster.sh first" >&2; exit 1; }
# shellcheck disable=SC1090
. "$env_file"
admin=${CARDMALL_ADMIN_KEY:-${CARDMALL_DEMO_ADMIN_API_KEY:-}}
[ -n "$admin" ] || { echo "set CARDMALL_ADMIN_KEY (the admin API key node 1 printed at its first start)" >&2; exit 1; }
url=$CLUSTER_URL
bin=$(pg_bin_dir)
psql=("$bin/psql" -h 127.0.0.1 -p "$CLUSTER_PG_PORT" -U postgres -d cardmall -qAt)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

auth=(--retry 30 -H "Authorization: Bearer $admin" -H "Content-Type: application/json")
sku="FAULT-$RANDOM"
curl -s "${auth[@]}" "$url/api/v1/admin/suppliers" -d '{"code":"FAULTS","name":"Fault bench","webhookSecret":"fault-secret-0123456789"}' >/dev/null
curl -fs "${auth[@]}" "$url/api/v1/admin/products" -d "{\"sku\":\"$sku\",\"name\":\"故障点卡\",\"nameEn\":\"Fault card\",\"category\":\"game-cards\",\"faceValue\":1,\"price\":1,\"validityDays\":30,\"deviceLimit\":1,\"regions\":\"CN\",\"maxPerOrder\":10}" >/dev/null
python3 - > "$work/batch.json" <<'PY'
import json, secrets
print(json.dumps({"supplierCode": "FAULTS", "unitCost": 0.5, "expiresAt": "2030-01-01T00:00:00Z",
                  "lines": [f"F{secrets.token_hex(10).upper()}----{secrets.token_hex(4)}" for _ in range(20000)]}))
PY
curl -fs "${auth[@]}" "$url/api/v1/admin/products/$sku/batches" --data-binary "@$work/batch.json" >/dev/null
: > "$work/buyers.txt"
for i in $(seq 1 16); do
  out=$(curl -fs "${auth[@]}" "$url/api/v1/admin/users" -d "{\"email\":\"fault$i-$RANDOM@bench.test\",\"password\":\"Bench@2026x\",\"role\":\"Buyer\",\"tier\":\"regular\"}")
  read -r uid key < <(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["userId"], d["apiKey"])')
  curl -fs "${auth[@]}" "$url/api/v1/admin/users/$uid/wallet/adjustments" -d '{"amount":900,"reason":"faults"}' >/dev/null
  echo "$key" >> "$work/buyers.txt"
done
mapfile -t buyers < "$work/buyers.txt"

# worker N FILE: until $work/stop exists, buy one key as a buyer in turn, then read the catalogue;
# one line per request: "order STATUS ORDERNO" or "read STATUS".
worker() {
  local n=$1 out=$2 i=0 key body status
  while [ ! -f "$work/stop" ]; do
    key=${buyers[$(( (n + i) % ${#buyers[@]} ))]}; i=$((i + 1))
    body=$(curl -s -m 10 -w '\n%{http_code}' -H "Authorization: Bearer $key" -H "Content-Type: application/json" \
      -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" "$url/api/v1/orders" \
      -d "{\"sku\":\"$sku\",\"quantity\":1,\"acceptNotices\":true}" || true)
    status=${body##*$'\n'}
    echo "order ${status:-000} $(echo "$body" | sed -n 's/.*"orderNo":"\([^"]*\)".*/\1/p' | head -1)" >> "$out"
    status=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "$url/api/v1/products" || true)
    echo "read ${status:-000}" >> "$out"
  done
}

# ready_within SECONDS: how long until the balancer answers /health/ready 200 and an order goes through again.
recovered_in() {
  local start=$SECONDS
  for _ in $(seq 1 "$1"); do
    curl -fs -m 2 -o /dev/null "$url/health/ready" 2>/dev/null && { echo $((SECONDS - start)); return 0; }
    sleep 1
  done
  echo "not within $1 s"
}

rows=()
run_case() {
  local name=$1 out="$work/$1.log" pids=() n recovered="-" detail=""
  rm -f "$work/stop"; : > "$out"
  for n in $(seq 1 "$workers"); do worker "$n" "$out" & pids+=($!); done
  sleep $((secs / 3))
  case $name in
    kill-node)
      local victim=${CLUSTER_NODE_PIDS##* }
      kill -9 "$victim"; detail="killed pid $victim"
      ;;
    pg-restart)
      pg_as_owner "$bin/pg_ctl" -D "$root/.data/cluster/primary" -m fast -w stop >/dev/null
      sleep 3
      pg_as_owner "$bin/pg_ctl" -D "$root/.data/cluster/primary" -l "$root/.data/cluster/primary/server.log" -w \
        -o "-p $CLUSTER_PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp -c max_connections=300" start >/dev/null
      recovered=$(recovered_in 30); detail="down 3 s"
      ;;
    redis-down)
      redis-cli -h 127.0.0.1 -p "$CLUSTER_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
      detail="Redis stopped"
      ;;
  esac
  sleep $((secs - secs / 3))
  touch "$work/stop"; wait "${pids[@]}" 2>/dev/null || true
  [ "$name" = redis-down ] && { redis_start "$root/.data/cluster/redis" "$CLUSTER_REDIS_PORT" >/dev/null; detail="$detail, started again"; }
  [ "$name" = kill-node ] && recovered=$(recovered_in 30)

  local orders created conflicts failed5 refused conn reads reads_ok missing
  orders=$(grep -c '^order' "$out" || true)
  created=$(grep -c '^order 201' "$out" || true)
  conflicts=$(grep -c '^order 409' "$out" || true)
  failed5=$(grep -c '^order 5' "$out" || true)
  refused=$(grep -c '^order 429' "$out" || true)
  conn=$(grep -c '^order 000' "$out" || true)
  reads=$(grep -c '^read' "$out" || true)
  reads_ok=$(grep -c '^read 200' "$out" || true)
  # Every order that answered 201 is in the database with its keys.
  grep '^order 201' "$out" | awk '{print $3}' | sort -u > "$work/created.txt"
  missing=$("${psql[@]}" -c "SELECT count(*) FROM unnest(string_to_array('$(paste -sd, "$work/created.txt")', ',')) AS c(no)
    WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.no = c.no AND o.quantity = (SELECT count(*) FROM order_items i WHERE i.order_id = o.id))")
  rows+=("$name|$detail|$orders|$created|$conflicts|$refused|$failed5|$conn|$reads_ok/$reads|$recovered|$missing")
}

for c in $cases; do run_case "$c"; done

echo
echo "Faults under load ($workers workers, $secs s per case, through $url):"
printf '%-11s | %-28s | %6s | %5s | %4s | %4s | %4s | %5s | %11s | %9s | %s\n' \
  fault injected orders 201 409 429 5xx conn reads-ok recovered "201 without keys"
for r in "${rows[@]}"; do
  IFS='|' read -r a b c d e f g h i j k <<<"$r"
  printf '%-11s | %-28s | %6s | %5s | %4s | %4s | %4s | %5s | %11s | %9s | %s\n' "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h" "$i" "$j" "$k"
done
echo
echo "Integrity (bench/integrity.sql on the primary, after every case):"
"${psql[@]}" -F ' | ' -f bench/integrity.sql | sed 's/^/  /'
