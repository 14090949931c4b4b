#!/usr/bin/env bash
# bench/chat.sh — live chat on one node: 1,000 buyers connected to the chat hub at once, beside the machine's
# ceiling measured in the same run (issue 16).
#
#   bench/chat.sh [buyers] [agents] [messages]      defaults: 1000 buyers, 100 agents (10 chats each), 5 messages
#
# It starts its own PostgreSQL cluster with the durable defaults a real shop uses (.data/bench-chat-pg, port
# 55438), then:
#   1. the ceiling: a bare Kestrel + SignalR hub with the chat hub's method names and message shape and no
#      database (bench/chat-echo), loaded by the same client as CardMall;
#   2. CardMall (Release, Production environment, the demo shop seeded, plain HTTP on loopback), one node, the
#      chat dispatcher off: buyers and agents are created through the admin API, agents put online, every buyer
#      signs in, starts a chat through POST /api/v1/chats and joins it on its own WebSocket; the queued chats are
#      handed to the agents in the database (the accept door is the agent console's), and each agent joins its
#      chats. Then each buyer sends `messages` messages one after another, each answered by its agent on arrival.
# Latency is from a message's stamp (CardMall: stored, before the commit) to its arrival at the other side, both
# ways, over every message; RSS is the web process's (or the echo app's) with everybody connected, and its peak.
# The load generator is bench/chat-load (.NET SignalR client). It holds /work/bench.lock while it runs, so other
# work on the machine waits. Results go into docs/benchmarks.md by hand.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib/postgres.sh
. bench/lib.sh
buyers=${1:-1000}
agents=${2:-100}
messages=${3:-5}
port=${BENCH_PG_PORT:-55438}
url=http://127.0.0.1:${BENCH_HTTP_PORT:-5095}
echo_url=http://127.0.0.1:${BENCH_ECHO_PORT:-5096}
work=$(mktemp -d)
pgdir="$root/.data/bench-chat-pg"
app_pid=""; echo_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null
  [ -n "$echo_pid" ] && kill "$echo_pid" 2>/dev/null
  pg_stop "$pgdir"
  rm -rf "$work"
  bench_lock_release
  true
}
trap cleanup EXIT

# One benchmark at a time on the machine; builds and tests elsewhere wait while the lock exists.
bench_lock_take "bench/chat.sh pid $$"
ulimit -n 65536 2>/dev/null || true

echo "building…"
dotnet build src/CardMall.Web -c Release -nologo -v quiet -clp:ErrorsOnly
(cd bench/chat-echo && dotnet build -c Release -nologo -v q -clp:ErrorsOnly -o "$work/echo")
(cd bench/chat-load && dotnet build -c Release -nologo -v q -clp:ErrorsOnly -o "$work/load")

# --- The ceiling: SignalR alone.
dotnet "$work/echo/chat-echo.dll" --urls "$echo_url" >/dev/null 2>&1 &
echo_pid=$!
for _ in $(seq 1 120); do curl -s -o /dev/null "$echo_url/" && break; sleep 0.5; done
ceiling=$(dotnet "$work/load/chat-load.dll" echo "$echo_url" "$buyers" "$agents" "$messages" "$echo_pid")
kill "$echo_pid"; wait "$echo_pid" 2>/dev/null || true; echo_pid=""
echo "ceiling: $ceiling"

# --- CardMall.
pg_stop "$pgdir"; rm -rf "$pgdir"
pg_start "$pgdir" "$port"
psql=(psql -h 127.0.0.1 -p "$port" -U postgres -qAt -d cardmall)
admin="cm_bench_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
(
  cd src/CardMall.Web
  ConnectionStrings__CardMall="Host=127.0.0.1;Port=$port;Username=postgres;Database=cardmall;Maximum Pool Size=60" \
  CardMall__Demo__Seed=true CardMall__Demo__AdminApiKey="$admin" CardMall__DataDirectory="$work/data" \
  CardMall__CardKeys__GenerateDevelopmentKeys=true CardMall__DataProtection__GenerateDevelopmentCertificate=true \
  CardMall__Https__SecureCookies=false CardMall__SignIn__RequireStaffTwoFactor=false \
  CardMall__SignIn__AttemptsPerAddressPerMinute=100000 CardMall__SignIn__AttemptsPerAccountPerMinute=100000 \
  CardMall__Chat__DispatcherEnabled=false CardMall__RateLimits__ApiRequestsPerSecond=1000 CardMall__RateLimits__ApiBurst=1000 \
  ASPNETCORE_ENVIRONMENT=Production Serilog__MinimumLevel__Default=Warning \
  exec dotnet bin/Release/net10.0/CardMall.Web.dll --urls "$url"
) > "$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 180); do curl -fs "$url/health/ready" >/dev/null 2>&1 && break; sleep 1; done
curl -fs "$url/health/ready" >/dev/null || { tail -30 "$work/app.log"; exit 1; }
web_pid=$(pgrep -f "CardMall.Web.dll --urls $url" | head -1)

# People, through the admin API (the calls honour its rate limit: curl retries a 429 after its Retry-After).
tag=$RANDOM
create() { # ROLE N → "userId apiKey email password" lines
  seq 1 "$2" | xargs -P 4 -I{} sh -c 'out=$(curl -fs --retry 30 -H "Authorization: Bearer '"$admin"'" -H "Content-Type: application/json" \
    "'"$url"'/api/v1/admin/users" -d "{\"email\":\"chat-'"$1"'{}-'"$tag"'@bench.test\",\"password\":\"Bench@2026x\",\"role\":\"'"$1"'\",\"tier\":\"regular\"}") \
    && echo "$out" | python3 -c "import json,sys; d=json.load(sys.stdin); print(d[\"userId\"], d[\"apiKey\"], \"chat-'"$1"'{}-'"$tag"'@bench.test\", \"Bench@2026x\")"'
}
create Agent "$agents" | awk '{print $1, $3, $4}' > "$work/agents.txt"
create Buyer "$buyers" > "$work/buyers.txt"
echo "created $(wc -l < "$work/buyers.txt") buyers and $(wc -l < "$work/agents.txt") agents"
# The agents go online with ten seats each (the console's switch, written directly: see above).
"${psql[@]}" -c "INSERT INTO agent_profiles (user_id, on_duty, skills, updated_at, availability, chat_limit)
  SELECT u.id, true, '{}', now(), 'Online', 10 FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
  WHERE r.name = 'Agent' AND u.email LIKE 'chat-Agent%'
  ON CONFLICT (user_id) DO UPDATE SET on_duty = true, availability = 'Online', chat_limit = 10"
"${psql[@]}" -c "UPDATE agent_profiles SET on_duty = false, availability = 'Offline' WHERE user_id NOT IN (SELECT id FROM users WHERE email LIKE 'chat-Agent%')"

cardmall=$(BENCH_PSQL="psql -h 127.0.0.1 -p $port -U postgres -qAt -d cardmall" \
  dotnet "$work/load/chat-load.dll" cardmall "$url" "$work/buyers.txt" "$work/agents.txt" "$messages" "$web_pid")
echo "cardmall: $cardmall"
stored=$("${psql[@]}" -c "SELECT count(*) FROM chat_messages")
echo "messages stored: $stored"

field() { echo "$1" | python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])"; }
printf '| %s | %s | %s |\n' "figure" "CardMall (one node)" "ceiling: bare Kestrel + SignalR"
printf '| %s | %s | %s |\n' "---" "---" "---"
for f in received perSecond p50Ms p99Ms maxMs rssConnectedMiB rssPeakMiB; do
  printf '| %s | %s | %s |\n' "$f" "$(field "$cardmall" $f)" "$(field "$ceiling" $f)"
done
