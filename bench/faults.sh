#!/usr/bin/env bash
# bench/faults.sh [--seconds S] [--workers W] [--cases "C …"] [--minutes M] — faults survived, against a running
# ./scripts/cluster.sh (it reads .data/cluster/cluster.env). Under a steady mixed load through the balancer (buyers
# checking out one hot product, reading the catalogue, filing after-sales tickets on their delivered keys and replying
# on them, chatting with the shop), each case injects one fault, then checks what a buyer and the books would notice:
#   kill-node   kill -9 the last node; the balancer routes around it (the node is started again afterwards)
#   pg-restart  PostgreSQL primary: fast shutdown, then start; the nodes recover without a restart
#   redis-down  Redis stopped for the rest of the run, then started again; limits fall back to per node
#   import-kill a 100,000-key import sent to one node directly, that node killed -9 during the import; no partial
#               batch, the same import then succeeds once on another node, and the killed node is started again
#   promote     the primary stopped (fast), the replica promoted, every node restarted on it (docs/operations.md,
#               "Manual failover"); seconds until orders succeed again, orders answered 201 before the stop that the
#               promoted server lacks. Run it last: afterwards the old primary is stale (rm -rf .data/cluster to start anew)
#   soak        no fault: the load for --minutes (default 30); a per-minute table of requests, errors, p99 latency,
#               each node's RSS and PostgreSQL's connections, and the verdict lines (bench/soak.sh runs it)
# Default cases: kill-node pg-restart redis-down. After each case: every order that answered 201 exists with its
# keys, every ticket and chat message that answered 2xx is stored, background work did nothing twice (no e-mail
# written more than once, no SLA breach recorded twice, rollups equal to a recount), and bench/integrity.sql (the
# checks the integration tests also run) finds no key sold twice, no wallet off its ledger, no order half-written.
# 409 (sold out, state) and 429 (a limit) are the shop's answers, counted apart from errors (5xx, no answer).
# Prints one table. Needs the admin API key the first node printed (CARDMALL_ADMIN_KEY, or cluster.sh's
# CARDMALL_DEMO_ADMIN_API_KEY when it was set).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=../scripts/lib/postgres.sh
. scripts/lib/postgres.sh
# shellcheck source=../scripts/lib/redis.sh
. scripts/lib/redis.sh

secs=20 workers=4 cases="kill-node pg-restart redis-down" minutes=30
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) secs=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
data=$root/.data/cluster
env_file=$data/cluster.env
[ -f "$env_file" ] || { echo "no running cluster: start ./scripts/cluster.sh first" >&2; exit 1; }
# shellcheck disable=SC1090
. "$env_file"
admin=${CARDMALL_ADMIN_KEY:-${CARDMALL_DEMO_ADMIN_API_KEY:-${CLUSTER_DEMO_ADMIN_API_KEY:-}}}
[ -n "$admin" ] || { echo "set CARDMALL_ADMIN_KEY (the admin API key node 1 printed at its first start)" >&2; exit 1; }
url=$CLUSTER_URL
bin=$(pg_bin_dir)
db_port=$CLUSTER_PG_PORT
sql() { "$bin/psql" -h 127.0.0.1 -p "$db_port" -U postgres -d cardmall -qAt "$@"; }
# The run's request logs stay in .data/faults-work until the next run (one line per request: epoch, kind, status,
# seconds, reference, token).
work=$root/.data/faults-work
rm -rf "$work"; mkdir -p "$work"
# Workers see the stop file; a node started again runs on (no wait here: it is a child of this script).
trap 'touch "$work/stop"' EXIT

node_url() { echo "http://127.0.0.1:$((CLUSTER_NODE_PORT + $1 - 1))"; }
node_pid() { awk -v i="$1" '$1 == i {print $2}' "$data/node.pids"; }

# restart_node I [PRIMARY] [REPLICA] — node I started again as cluster.sh starts it (its settings from cluster.env),
# detached from this script so it outlives it, on the given connection strings (default: cluster.env's); its pid
# replaces the old one in node.pids, so Ctrl-C on cluster.sh still stops it. Waits for /health/ready.
restart_node() {
  local i=$1 primary=${2:-$CLUSTER_PRIMARY} replica=${3-$CLUSTER_REPLICA} p pid
  p=$((CLUSTER_NODE_PORT + i - 1))
  # Its own session (setsid), so neither this script's end nor a Ctrl-C meant for it stops the node.
  (cd "$CLUSTER_APP_DIR" && ConnectionStrings__CardMall="$primary" ConnectionStrings__CardMallReplica="$replica" \
    CardMall__Redis="$CLUSTER_REDIS" CardMall__Demo__Seed=true CardMall__Demo__AdminApiKey="$CLUSTER_DEMO_ADMIN_API_KEY" \
    CardMall__DataDirectory="$CLUSTER_DATA_DIR" CardMall__PublicBaseUrl="$CLUSTER_PUBLIC_BASE_URL" \
    ASPNETCORE_ENVIRONMENT="$CLUSTER_ENVIRONMENT" exec setsid dotnet CardMall.Web.dll --urls "http://127.0.0.1:$p") \
    >>"$data/logs/node$i.log" 2>&1 </dev/null &
  disown
  for _ in $(seq 1 50); do pid=$(pgrep -f "^dotnet CardMall.Web.dll --urls http://127.0.0.1:$p\$" || true); [ -n "$pid" ] && break; sleep 0.1; done
  awk -v i="$i" -v pid="$pid" '$1 == i {$2 = pid} {print}' "$data/node.pids" >"$data/node.pids.new" && mv "$data/node.pids.new" "$data/node.pids"
  for _ in $(seq 1 240); do
    curl -fs -m 2 -o /dev/null "http://127.0.0.1:$p/health/ready" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { echo "node $i stopped during start-up (log: $data/logs/node$i.log)" >&2; return 1; }
    sleep 0.5
  done
  echo "node $i did not become ready again" >&2
  return 1
}

auth=(--retry 30 -H "Authorization: Bearer $admin" -H "Content-Type: application/json")
sku="FAULT-$RANDOM"
curl -s "${auth[@]}" "$url/api/v1/admin/suppliers" -d '{"code":"FAULTS","name":"Fault bench","webhookSecret":"fault-secret-0123456789"}' >/dev/null
new_product() {
  curl -fs "${auth[@]}" "$url/api/v1/admin/products" -d "{\"sku\":\"$1\",\"name\":\"故障点卡\",\"nameEn\":\"Fault card\",\"category\":\"game-cards\",\"faceValue\":1,\"price\":1,\"validityDays\":30,\"deviceLimit\":1,\"regions\":\"CN\",\"maxPerOrder\":10}" >/dev/null
}
# batch_json LINES FILE — an import of LINES fresh keys.
batch_json() {
  python3 - "$1" > "$2" <<'PY'
import json, secrets, sys
print(json.dumps({"supplierCode": "FAULTS", "unitCost": 0.5, "expiresAt": "2030-01-01T00:00:00Z",
                  "lines": [f"F{secrets.token_hex(10).upper()}----{secrets.token_hex(4)}" for _ in range(int(sys.argv[1]))]}))
PY
}
stock_up() { batch_json 20000 "$work/batch.json"; curl -fs "${auth[@]}" "$url/api/v1/admin/products/$sku/batches" --data-binary "@$work/batch.json" >/dev/null; }
new_product "$sku"
stock_up
: > "$work/buyers.txt"
for i in $(seq 1 16); do
  out=$(curl -fs "${auth[@]}" "$url/api/v1/admin/users" -d "{\"email\":\"fault$i-$RANDOM@bench.test\",\"password\":\"Bench@2026x\",\"role\":\"Buyer\",\"tier\":\"regular\"}")
  read -r uid key < <(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["userId"], d["apiKey"])')
  curl -fs "${auth[@]}" "$url/api/v1/admin/users/$uid/wallet/adjustments" -d '{"amount":900,"reason":"faults"}' >/dev/null
  echo "$uid $key" >> "$work/buyers.txt"
done
# One agent on duty with ten seats (the console's switch, written directly as bench/chat.sh does), so a chat the load
# starts is queued or taken rather than turned into a ticket for want of anybody online, and its messages are written.
agent=$(curl -fs "${auth[@]}" "$url/api/v1/admin/users" -d "{\"email\":\"fault-agent-$RANDOM@bench.test\",\"password\":\"Bench@2026x\",\"role\":\"Agent\"}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["userId"])')
sql -c "INSERT INTO agent_profiles (user_id, on_duty, skills, updated_at, availability, chat_limit)
  VALUES ('$agent', true, '{}', now(), 'Online', 10)
  ON CONFLICT (user_id) DO UPDATE SET on_duty = true, availability = 'Online', chat_limit = 10" >/dev/null
mapfile -t buyer_ids < <(awk '{print $1}' "$work/buyers.txt")
mapfile -t buyers < <(awk '{print $2}' "$work/buyers.txt")

# call OUT KIND KEY PATH [BODY] — one request through the balancer; appends "EPOCH KIND STATUS SECONDS REF TOKEN" to
# OUT and leaves the answer in $answer and the status in $status. A POST carries a fresh Idempotency-Key.
call() {
  local out=$1 kind=$2 key=$3 path=$4 body=${5:-} ref=${6:-} raw t
  if [ -n "$body" ]; then
    raw=$(curl -s -m 10 -w '\n%{http_code} %{time_total}' -H "Authorization: Bearer $key" -H "Content-Type: application/json" \
      -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" "$url$path" -d "$body" || true)
  else
    raw=$(curl -s -m 10 -w '\n%{http_code} %{time_total}' -H "Authorization: Bearer $key" "$url$path" || true)
  fi
  t=${raw##*$'\n'}; answer=${raw%$'\n'*}
  status=${t%% *}; t=${t#* }
  [ -n "$status" ] || { status=000; t=10; }
  [ "$status" = 000 ] && t=${t:-10}
  [ -n "$ref" ] || ref=$(field "${7:-}")
  echo "${EPOCHREALTIME} $kind $status $t ${ref:--} ${token:--}" >> "$out"
}
# field NAME — a string or number field of $answer (the first one).
field() { [ -n "$1" ] && sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" <<<"$answer" | head -1; true; }

# worker N FILE: until $work/stop exists, as a buyer in turn: buy one key, read the catalogue; every fourth turn
# file a ticket on a delivered key (or reply on the open one, three times, then file the next) or start a chat (or
# write in it). Every ticket and chat text carries a token, so the checks can find each one in the database.
worker() {
  local n=$1 out=$2 i=0 b key token
  local -A item=() order=() ticket=() replies=() chat=()
  while [ ! -f "$work/stop" ]; do
    b=$(( (n + i) % ${#buyers[@]} )); key=${buyers[$b]}; i=$((i + 1)); token=""
    call "$out" order "$key" /api/v1/orders "{\"sku\":\"$sku\",\"quantity\":1,\"acceptNotices\":true}" "" orderNo
    [ "$status" = 201 ] && { order[$b]=$(field orderNo); item[$b]=$(field itemId); }
    call "$out" read "$key" /api/v1/products "" "-"
    case $((i % 8)) in
      0)
        token="fz$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
        if [ -z "${ticket[$b]:-}" ] || [ "${replies[$b]:-0}" -ge 3 ]; then
          [ -n "${item[$b]:-}" ] || continue
          call "$out" ticket "$key" /api/v1/tickets \
            "{\"orderNo\":\"${order[$b]}\",\"itemIds\":[\"${item[$b]}\"],\"category\":\"other\",\"description\":\"Fault bench $token: please look at this key.\"}" "" ticketNo
          [ "$status" = 201 ] && { ticket[$b]=$(field ticketNo); replies[$b]=0; unset "item[$b]"; }
        else
          call "$out" reply "$key" "/api/v1/tickets/${ticket[$b]}/messages" "{\"body\":\"Still the same, $token.\"}" "${ticket[$b]}"
          replies[$b]=$(( ${replies[$b]:-0} + 1 ))
        fi
        ;;
      4)
        token="fz$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
        if [ -z "${chat[$b]:-}" ]; then
          call "$out" chat "$key" /api/v1/chats "{\"text\":\"Hello, a question $token.\"}" "" chatId
          [ "$status" = 201 ] && [[ $answer == *'"status":"queued"'* || $answer == *'"status":"active"'* ]] && chat[$b]=$(field chatId)
        else
          call "$out" chatmsg "$key" "/api/v1/chats/${chat[$b]}/messages" "{\"body\":\"Are you there? $token\"}" "${chat[$b]}"
          [[ $status == 404 || $status == 409 ]] && unset "chat[$b]"
        fi
        ;;
    esac
  done
}

# recovered_in SECONDS: how long until the balancer answers /health/ready 200.
recovered_in() {
  local start=$SECONDS
  for _ in $(seq 1 "$1"); do
    curl -fs -m 2 -o /dev/null "$url/health/ready" 2>/dev/null && { echo $((SECONDS - start)); return 0; }
    sleep 1
  done
  echo "not within $1 s"
}

# E-mails in the pickup directory (the nodes' mail transport in Development) and e-mails the outbox marked sent.
mail_counts() {
  echo "$(find "$CLUSTER_DATA_DIR/mail" -name '*.eml' 2>/dev/null | wc -l) $(sql -c "SELECT count(*) FROM outgoing_emails WHERE sent_at IS NOT NULL")"
}
read -r mail_files0 mail_sent0 < <(mail_counts)

# What background work did during the run: each e-mail written once for each one marked sent (one written but not
# marked is one whose node died between sending and marking: it would be sent again after its lease), no SLA
# warning or breach recorded twice, the dashboard rollups equal to a recount of the orders they cover.
background_checks() {
  local files sent
  read -r files sent < <(mail_counts)
  echo "e-mails written minus marked sent during the run|$((files - mail_files0)) - $((sent - mail_sent0))|$(( (files - mail_files0) - (sent - mail_sent0) ))"
  sql -F '|' <<'SQL'
SELECT 'e-mails queued twice for one notification', '', count(*) FROM (SELECT notification_id FROM outgoing_emails GROUP BY 1 HAVING count(*) > 1) x;
SELECT 'SLA warnings/breaches recorded twice', (SELECT count(*) FROM ticket_events WHERE kind IN ('sla_warning', 'sla_breached')) || ' recorded', count(*)
  FROM (SELECT ticket_id, kind, detail FROM ticket_events WHERE kind IN ('sla_warning', 'sla_breached') GROUP BY 1, 2, 3 HAVING count(*) > 1) x;
SELECT 'rollup days not equal to a recount', coalesce((SELECT covered_until_day::text FROM dashboard_rollup_state), 'no rollup yet'), count(*)
  FROM (SELECT day, product_id, orders FROM dashboard_sales
        EXCEPT
        SELECT (created_at AT TIME ZONE 'Asia/Shanghai')::date, product_id, count(*)::int FROM orders
        WHERE created_at < (SELECT covered_until FROM dashboard_rollup_state) AND status NOT IN ('AwaitingPayment', 'Expired')
        GROUP BY 1, 2) x;
SQL
}

# writes_missing LOG — tickets, replies, chats and chat messages that answered 2xx but whose token is in no stored text.
writes_missing() {
  local tokens
  tokens=$(awk '$2 ~ /^(ticket|reply|chat|chatmsg)$/ && $3 ~ /^2/ {print $6}' "$1" | paste -sd,)
  [ -n "$tokens" ] || { echo 0; return; }
  sql <<SQL
WITH stored AS (
  SELECT substring(body FROM 'fz[0-9a-f]{16}') AS t FROM ticket_messages
  UNION SELECT substring(body FROM 'fz[0-9a-f]{16}') FROM chat_messages
  UNION SELECT substring(description FROM 'fz[0-9a-f]{16}') FROM tickets)
SELECT count(*) FROM unnest(string_to_array('$tokens', ',')) AS w(t) WHERE NOT EXISTS (SELECT 1 FROM stored s WHERE s.t = w.t);
SQL
}

# import_kill — one 100,000-key import sent to the last node directly; that node killed -9 while its COPY runs.
import_kill() {
  local isku="IMPORT-$RANDOM" victim=$CLUSTER_NODES vpid cpid seen="" status1 status2 status3 batches partial stock avail imported
  new_product "$isku"
  batch_json 100000 "$work/import.json"
  vpid=$(node_pid "$victim")
  curl -s -m 900 -o "$work/import1.out" -w '%{http_code}' -H "Authorization: Bearer $admin" -H "Content-Type: application/json" \
    "$(node_url "$victim")/api/v1/admin/products/$isku/batches" --data-binary "@$work/import.json" > "$work/import1.status" &
  cpid=$!
  # Mid-import for certain: the node's COPY into card_keys is running (nothing else imports during the case).
  for _ in $(seq 1 3000); do
    [ "$(sql -c "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query ILIKE 'COPY card_keys%'")" -gt 0 ] && { seen=yes; break; }
    kill -0 "$cpid" 2>/dev/null || break
    sleep 0.05
  done
  kill -9 "$vpid"
  wait "$cpid" 2>/dev/null || true
  status1=$(cat "$work/import1.status")
  # No partial batch: each batch of the product holds exactly the keys it says, and the stock counter is the real count.
  read -r batches partial < <(sql -F ' ' -c "SELECT count(*), count(*) FILTER (WHERE b.line_count <> (SELECT count(*) FROM card_keys k WHERE k.batch_id = b.id))
      FROM key_batches b JOIN products p ON p.id = b.product_id WHERE p.sku = '$isku'")
  case $status1 in 000|100|"") status1="none (connection lost)" ;; esac
  imports_row "node $victim killed -9 while its COPY ran: ${seen:-no, COPY not seen}" "answer $status1; batches of the product $batches, partial $partial"
  # The same import on another node: stored once, whole.
  status2=$(curl -s -m 900 -o "$work/import2.out" -w '%{http_code}' -H "Authorization: Bearer $admin" -H "Content-Type: application/json" \
    "$(node_url 1)/api/v1/admin/products/$isku/batches" --data-binary "@$work/import.json")
  imported=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("imported", "?"))' "$work/import2.out" 2>/dev/null || echo "?")
  # …and a second retry finds every key already there (the shop records it as a batch of 0 imported, all lines rejected).
  status3=$(curl -s -m 900 -o "$work/import3.out" -w '%{http_code}' -H "Authorization: Bearer $admin" -H "Content-Type: application/json" \
    "$(node_url 1)/api/v1/admin/products/$isku/batches" --data-binary "@$work/import.json")
  status3="$status3, imported $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("imported", "?"))' "$work/import3.out" 2>/dev/null || echo "?")"
  read -r batches partial stock avail < <(sql -F ' ' -c "SELECT
      (SELECT count(*) FROM key_batches b JOIN products p ON p.id = b.product_id WHERE p.sku = '$isku'),
      (SELECT count(*) FROM key_batches b JOIN products p ON p.id = b.product_id
        WHERE p.sku = '$isku' AND (SELECT count(*) FROM card_keys k WHERE k.batch_id = b.id) NOT IN (0, b.line_count)),
      (SELECT coalesce(sum(c.keys), 0) FROM key_counts c JOIN products p ON p.id = c.product_id WHERE p.sku = '$isku' AND c.state = 'Available'),
      (SELECT count(*) FROM card_keys k JOIN products p ON p.id = k.product_id WHERE p.sku = '$isku' AND k.state = 'Available')")
  imports_row "retried on node 1" "answer $status2, imported $imported; again: answer $status3; batches $batches, with some but not all of their lines $partial; stock counter $stock vs $avail available keys"
  restart_node "$victim"
  detail="node $victim killed during import, started again"
}
imports=()
imports_row() { imports+=("$1|$2"); }

# promote — docs/operations.md "Manual failover", under load: primary stopped, replica promoted, nodes restarted on it.
promote() {
  local new_port=$CLUSTER_REPLICA_PORT i t0 first lost
  local new_primary="Host=127.0.0.1;Port=$new_port;Username=postgres;Database=cardmall"
  t0=$EPOCHREALTIME
  pg_as_owner "$bin/pg_ctl" -D "$data/primary" -m fast -w stop >/dev/null
  pg_as_owner "$bin/pg_ctl" -D "$data/replica" -w promote >/dev/null
  # Every node on the promoted server, one after the other; no replica left to read from.
  for i in $(seq 1 "$CLUSTER_NODES"); do
    kill "$(node_pid "$i")" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$(node_pid "$i")" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$(node_pid "$i")" 2>/dev/null || true
    restart_node "$i" "$new_primary" ""
  done
  db_port=$new_port
  sed -i "s/^CLUSTER_PG_PORT=.*/CLUSTER_PG_PORT=$new_port/; s/^CLUSTER_PRIMARY=.*/CLUSTER_PRIMARY=\"$new_primary\"/; s/^CLUSTER_REPLICA=.*/CLUSTER_REPLICA=\"\"/" "$env_file"
  promote_t0=$t0
  detail="primary stopped, replica promoted, $CLUSTER_NODES nodes restarted"
}

# Samples for the soak, once a minute: "EPOCH LOAD RSS-of-each-node-in-KiB PG-CONNECTIONS" to $work/samples; keeps the
# hot product in stock and the buyers' wallets filled so the load stays a load of sales.
soak_sample() {
  local rss="" i pid
  for i in $(seq 1 "$CLUSTER_NODES"); do
    pid=$(node_pid "$i")
    rss="$rss $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
  done
  echo "$EPOCHREALTIME $(cut -d' ' -f1 /proc/loadavg)$rss $(sql -c 'SELECT count(*) FROM pg_stat_activity')" >> "$work/samples"
  [ "$(sql -c "SELECT coalesce(sum(c.keys), 0) FROM key_counts c JOIN products p ON p.id = c.product_id WHERE p.sku = '$sku' AND c.state = 'Available'")" -lt 15000 ] && stock_up
  for i in "${!buyer_ids[@]}"; do
    [ "$(sql -c "SELECT balance < 600 FROM wallets WHERE user_id = '${buyer_ids[$i]}'")" = t ] &&
      curl -fs "${auth[@]}" "$url/api/v1/admin/users/${buyer_ids[$i]}/wallet/adjustments" -d '{"amount":900,"reason":"soak"}' >/dev/null
  done
  true
}

rows=()
run_case() {
  local name=$1 out="$work/$1.log" pids=() n recovered="-" detail="" started victim duration=$secs
  [ "$name" = soak ] && duration=$((minutes * 60))
  rm -f "$work/stop"; : > "$out"
  started=$SECONDS
  for n in $(seq 1 "$workers"); do worker "$n" "$out" & pids+=($!); done
  [ "$name" = soak ] || sleep $((secs / 3))
  case $name in
    kill-node)
      victim=$CLUSTER_NODES
      detail="killed node $victim (pid $(node_pid "$victim"))"; kill -9 "$(node_pid "$victim")"
      ;;
    pg-restart)
      pg_as_owner "$bin/pg_ctl" -D "$data/primary" -m fast -w stop >/dev/null
      sleep 3
      # shellcheck disable=SC2086 # the options are words
      pg_as_owner "$bin/pg_ctl" -D "$data/primary" -l "$data/primary/server.log" -w \
        -o "-p $CLUSTER_PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp -c max_connections=300 ${CLUSTER_PG_OPTS:-}" start >/dev/null
      recovered=$(recovered_in 30); detail="down 3 s"
      ;;
    redis-down)
      redis-cli -h 127.0.0.1 -p "$CLUSTER_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
      detail="Redis stopped"
      ;;
    import-kill) import_kill ;;
    promote) promote ;;
    soak)
      : > "$work/samples"
      while [ $((SECONDS - started)) -lt "$duration" ]; do soak_sample; sleep $((60 - (SECONDS - started) % 60)); done
      soak_sample
      detail="$minutes min"
      ;;
  esac
  # The rest of the case's time, and at least 10 s of load after a fault that took long (the orders after it count).
  n=$((duration - (SECONDS - started)))
  [ "$n" -lt 10 ] && [ "$name" != soak ] && n=10
  [ "$n" -gt 0 ] && sleep "$n"
  touch "$work/stop"; wait "${pids[@]}" 2>/dev/null || true
  case $name in
    redis-down) redis_start "$data/redis" "$CLUSTER_REDIS_PORT" >/dev/null; detail="$detail, started again" ;;
    kill-node) recovered=$(recovered_in 30); restart_node "$victim"; detail="$detail, started again" ;;
    promote)
      # From the primary's stop to the first order that answered 201 again.
      first=$(awk -v t="$promote_t0" '$2 == "order" && $3 == 201 && $1 > t {print $1; exit}' "$out")
      recovered=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[1]) - float(sys.argv[2])) if sys.argv[1] else 'never')" "${first:-}" "$promote_t0")
      # Orders answered 201 before the stop that the promoted server lacks (lost with asynchronous replication).
      awk -v t="$promote_t0" '$2 == "order" && $3 == 201 && $1 < t {print $5}' "$out" | sort -u > "$work/before.txt"
      lost=$(sql <<SQL
SELECT count(*) FROM unnest(string_to_array('$(paste -sd, "$work/before.txt")', ',')) AS c(no) WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.no = c.no);
SQL
)
      imports_row "orders answered 201 before the primary stopped" "$(wc -l < "$work/before.txt"), missing on the promoted server: $lost"
      ;;
  esac
  summarise "$name" "$detail" "$recovered" "$out"
  [ "$name" = soak ] && soak_report "$out"
  return 0
}

# summarise NAME DETAIL RECOVERED LOG — one row of the table.
summarise() {
  local out=$4 missing lost
  grep -q . "$out" || { rows+=("$1|$2|0|0|0|0|0|0|0|0|0|0|$3|0"); return; }
  awk '$2 == "order" && $3 == 201 {print $5}' "$out" | sort -u > "$work/created.txt"
  # Lists of thousands go to psql on stdin: a command line has a length limit, a script does not.
  missing=$(sql <<SQL
SELECT count(*) FROM unnest(string_to_array('$(paste -sd, "$work/created.txt")', ',')) AS c(no)
WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.no = c.no AND o.quantity = (SELECT count(*) FROM order_items i WHERE i.order_id = o.id));
SQL
)
  lost=$(writes_missing "$out")
  rows+=("$1|$2|$(awk '
    {n++} $2 == "order" {o++} $2 == "order" && $3 == 201 {c++} $3 == 409 {s++} $3 == 429 {r++} $3 ~ /^5/ {e++} $3 == "000" {f++}
    $3 ~ /^4/ && $3 != 409 && $3 != 429 {x++}
    ($2 == "ticket" || $2 == "reply") && $3 ~ /^2/ {t++} ($2 == "chat" || $2 == "chatmsg") && $3 ~ /^2/ {m++}
    END {printf "%d|%d|%d|%d|%d|%d|%d|%d|%d|%d", n, o, c, s, r, e, f, x, t, m}' "$out")|$3|$missing/$lost")
}

# soak_report LOG — per minute: requests, errors, p99; RSS and connections from the samples; the verdict lines.
soak_report() {
  python3 - "$1" "$work/samples" "$CLUSTER_NODES" <<'PY'
import sys
log, samples, nodes = sys.argv[1], sys.argv[2], int(sys.argv[3])
reqs = []
for line in open(log):
    p = line.split()
    if len(p) >= 4: reqs.append((float(p[0]), p[2], float(p[3] or 10)))
smp = [list(map(float, l.split())) for l in open(samples) if l.strip()]
t0 = smp[0][0]
def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(0.99 * len(xs)))] if xs else float('nan')
# Whole minutes between the first and the last sample (the few requests after the last are left out).
minutes = max(1, round((smp[-1][0] - t0) / 60))
rows = []
print()
print("Soak, per minute (errors: 5xx and no answer; 409 and 429 are answers, not errors):")
print("min | requests | errors | 409 | 429 | p99 ms | " + " | ".join(f"node{i+1} RSS MiB" for i in range(nodes)) + " | PG conns | load")
for m in range(minutes):
    rs = [r for r in reqs if t0 + 60 * m <= r[0] < t0 + 60 * (m + 1)]
    s = min(smp, key=lambda s: abs(s[0] - (t0 + 60 * (m + 1))))
    err = sum(1 for r in rs if r[1].startswith('5') or r[1] == '000')
    row = (m + 1, len(rs), err, sum(1 for r in rs if r[1] == '409'), sum(1 for r in rs if r[1] == '429'), p99([r[2] for r in rs]) * 1000,
           [s[2 + i] / 1024 for i in range(nodes)], int(s[2 + nodes]), s[1])
    rows.append(row)
    print(f"{row[0]:3d} | {row[1]:8d} | {row[2]:6d} | {row[3]:3d} | {row[4]:3d} | {row[5]:6.0f} | " +
          " | ".join(f"{x:14.0f}" for x in row[6]) + f" | {row[7]:8d} | {row[8]:.2f}")
total = sum(r[1] for r in rows); errors = sum(r[2] for r in rows)
print()
print(f"error rate: {errors} of {total} requests = {100.0 * errors / max(total, 1):.3f} %")
k = min(5, max(1, len(rows) // 2))
last = p99([r[2] for r in reqs if r[0] >= t0 + 60 * (minutes - k)]) * 1000
def verdict(name, a, b):
    print(f"p99 {name} {a:.0f} ms, last {k} min {b:.0f} ms: {100.0 * (b - a) / a:+.1f} % "
          f"({'within' if abs(b - a) <= 0.2 * a else 'NOT within'} 20 %)")
verdict(f"first {k} min", p99([r[2] for r in reqs if r[0] < t0 + 60 * k]) * 1000, last)
# A fresh node spends its first minute compiling (JIT) and filling pools and caches: the minutes after it are the
# steady state a later slow-down would show against.
if minutes >= 2 * k + 1:
    verdict(f"minutes 2-{k + 1} (after a minute of warm-up)", p99([r[2] for r in reqs if t0 + 60 <= r[0] < t0 + 60 * (k + 1)]) * 1000, last)
def slope(points):
    n = len(points); mx = sum(x for x, _ in points) / n; my = sum(y for _, y in points) / n
    return sum((x - mx) * (y - my) for x, y in points) / max(sum((x - mx) ** 2 for x, _ in points), 1e-9)
for i in range(nodes):
    pts = [((s[0] - t0) / 600, s[2 + i] / 1024) for s in smp]
    print(f"node{i+1} RSS: first {pts[0][1]:.0f} MiB, last {pts[-1][1]:.0f} MiB, least-squares slope {slope(pts):+.1f} MiB per 10 min"
          f" (first half {slope(pts[:len(pts) // 2]):+.1f}, second half {slope(pts[len(pts) // 2:]):+.1f})")
print(f"PostgreSQL connections: max {max(int(s[2 + nodes]) for s in smp)}, min {min(int(s[2 + nodes]) for s in smp)}")
print(f"load average: start {smp[0][1]:.2f}, end {smp[-1][1]:.2f}")
PY
}

for c in $cases; do run_case "$c"; done

echo
echo "Faults under load ($workers workers, $secs s per case, through $url; $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '%-11s | %-44s | %5s | %6s | %5s | %4s | %4s | %4s | %4s | %4s | %7s | %5s | %9s | %s\n' \
  fault injected reqs orders 201 409 429 5xx conn 4xx tickets chats recovered "201 w/o keys / writes lost"
for r in "${rows[@]}"; do
  IFS='|' read -r a b c d e f g h i j k l m o <<<"$r"
  printf '%-11s | %-44s | %5s | %6s | %5s | %4s | %4s | %4s | %4s | %4s | %7s | %5s | %9s | %s\n' "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h" "$i" "$j" "$k" "$l" "$m" "$o"
done
if [ ${#imports[@]} -gt 0 ]; then
  echo
  for r in "${imports[@]}"; do echo "  ${r%%|*}: ${r#*|}"; done
fi
echo
echo "Background work done once (cumulative, on the primary at 127.0.0.1:$db_port; the last column is the problem count):"
background_checks | sed 's/^/  /'
echo
echo "Integrity (bench/integrity.sql on the primary at 127.0.0.1:$db_port):"
sql -F ' | ' -f bench/integrity.sql | sed 's/^/  /'
