#!/usr/bin/env bash
# ./scripts/cluster.sh [--nodes N] [--port P] [--synchronous-replica] — CardMall past one machine, rehearsed on this one (loopback only):
# a PostgreSQL primary and a streaming replica, Redis, N CardMall nodes (default 2) and nginx balancing between them
# on one port. Missing Debian packages (postgresql, redis-server, nginx) are installed when run as root.
# Everything lives under .data/cluster/; Ctrl-C stops everything this script started. ./scripts/run.sh stays the
# way to run one node. docs/operations.md, "Several web nodes", says what each part is for and what happens when it fails.
#
# Ports (environment): CARDMALL_CLUSTER_PG_PORT (55441; the replica takes the next one), CARDMALL_CLUSTER_REDIS_PORT
# (6380), CARDMALL_CLUSTER_NODE_PORT (5081; node i takes NODE_PORT+i-1), --port or CARDMALL_CLUSTER_PORT (8080).
# --synchronous-replica: the primary waits for the replica to confirm each commit (synchronous_standby_names='*'),
# so a promoted replica has every order that was answered 201; commits stall while the replica is down
# (docs/operations.md, "Manual failover", says when to choose it).
# It writes .data/cluster/cluster.env (ports, node pids, connection strings, the published app and its settings) for
# bench/faults.sh, whose restart_node starts a node again as this script does; .data/cluster/node.pids holds
# "I PID" per node, so a node started again later is still stopped by Ctrl-C here.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=lib/postgres.sh
. scripts/lib/postgres.sh
# shellcheck source=lib/redis.sh
. scripts/lib/redis.sh
# shellcheck source=lib/nginx.sh
. scripts/lib/nginx.sh

nodes=2
sync_replica=0
port=${CARDMALL_CLUSTER_PORT:-8080}
while [ $# -gt 0 ]; do
  case $1 in
    --nodes) nodes=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --synchronous-replica) sync_replica=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
done
[[ $nodes =~ ^[1-9][0-9]?$ ]] || { echo "--nodes wants a number from 1 to 99" >&2; exit 2; }

pg_port=${CARDMALL_CLUSTER_PG_PORT:-55441}
replica_port=$((pg_port + 1))
redis_port=${CARDMALL_CLUSTER_REDIS_PORT:-6380}
node_port=${CARDMALL_CLUSTER_NODE_PORT:-5081}
data=$root/.data/cluster
mkdir -p "$data/logs" "$data/shared"
pg_opts=""
# pg_ctl hands its -o options to a shell: the quotes keep the * from being expanded there.
[ "$sync_replica" = 1 ] && pg_opts="-c synchronous_standby_names='*' -c synchronous_commit=on"

started_primary="" started_replica="" started_redis="" started_nginx="" node_pids=()
cleanup() {
  trap - EXIT INT TERM
  echo
  echo "Stopping the cluster…"
  local pid
  [ -f "$data/node.pids" ] && mapfile -t -O "${#node_pids[@]}" node_pids < <(awk '{print $2}' "$data/node.pids")
  for pid in "${node_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${node_pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  [ -n "$started_nginx" ] && nginx_stop "$data/nginx"
  [ -n "$started_redis" ] && redis_stop "$data/redis"
  [ -n "$started_replica" ] && pg_stop "$data/replica"
  [ -n "$started_primary" ] && pg_stop "$data/primary"
  rm -f "$data/cluster.env" "$data/node.pids"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PG_EXTRA_OPTS="$pg_opts" pg_start "$data/primary" "$pg_port"
[ "$PG_STARTED" = 1 ] && started_primary=1
pg_as_owner "$(pg_bin_dir)/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -Atqc \
  "select 1 from pg_database where datname = 'cardmall'" | grep -q 1 \
  || pg_as_owner "$(pg_bin_dir)/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres cardmall
echo "PostgreSQL primary: 127.0.0.1:$pg_port (.data/cluster/primary)"
pg_replica_start "$pg_port" "$data/replica" "$replica_port"
[ "$PG_STARTED" = 1 ] && started_replica=1
echo "PostgreSQL replica: 127.0.0.1:$replica_port (.data/cluster/replica, streaming from the primary)"

redis_start "$data/redis" "$redis_port"
[ "$REDIS_STARTED" = 1 ] && started_redis=1
echo "Redis: 127.0.0.1:$redis_port"

echo "Publishing CardMall to .data/cluster/app…"
dotnet publish src/CardMall.Web/CardMall.Web.csproj -c Release -o "$data/app" -nologo -v quiet -clp:ErrorsOnly

primary="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=cardmall"
replica="Host=127.0.0.1;Port=$replica_port;Username=postgres;Database=cardmall"
export ConnectionStrings__CardMall="$primary"
export ConnectionStrings__CardMallReplica="$replica"
export CardMall__Redis="127.0.0.1:$redis_port"
export CardMall__Demo__Seed=true
export CardMall__Demo__AdminApiKey="${CARDMALL_DEMO_ADMIN_API_KEY:-}"
# One data directory for every node: the development key ring, Data Protection certificate and sandbox secret
# must be the same on all of them (in production: the same certificate file and secrets on every machine).
export CardMall__DataDirectory="$data/shared"
export CardMall__PublicBaseUrl="${CardMall__PublicBaseUrl:-http://127.0.0.1:$port}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

# start_node I — node I on NODE_PORT+I-1, its log in .data/cluster/logs/nodeI.log; waits for /health/ready.
start_node() {
  local i=$1 p=$((node_port + $1 - 1)) pid
  (cd "$data/app" && exec dotnet CardMall.Web.dll --urls "http://127.0.0.1:$p") >"$data/logs/node$i.log" 2>&1 &
  pid=$!
  node_pids+=("$pid")
  echo "$i $pid" >>"$data/node.pids"
  for _ in $(seq 1 240); do
    curl -fsS -o /dev/null "http://127.0.0.1:$p/health/ready" 2>/dev/null && { echo "Node $i: http://127.0.0.1:$p (pid $pid)"; return 0; }
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$data/logs/node$i.log" >&2; echo "node $i stopped during start-up" >&2; return 1; }
    sleep 0.5
  done
  echo "node $i did not become ready on port $p (log: .data/cluster/logs/node$i.log)" >&2
  return 1
}

# The first node alone: it applies migrations, seeds the demo and writes the shared key files; the others find them.
upstreams=()
: >"$data/node.pids"
for i in $(seq 1 "$nodes"); do
  start_node "$i"
  upstreams+=("127.0.0.1:$((node_port + i - 1))")
done

nginx_start "$data/nginx" "$port" "${upstreams[@]}"
[ "$NGINX_STARTED" = 1 ] && started_nginx=1
curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" || { echo "nginx does not reach the nodes" >&2; exit 1; }

cat >"$data/cluster.env" <<ENV
CLUSTER_URL=http://127.0.0.1:$port
CLUSTER_PG_PORT=$pg_port
CLUSTER_REPLICA_PORT=$replica_port
CLUSTER_REDIS_PORT=$redis_port
CLUSTER_NODE_PORT=$node_port
CLUSTER_NODES=$nodes
CLUSTER_NODE_PIDS="${node_pids[*]}"
CLUSTER_PRIMARY="$primary"
CLUSTER_REPLICA="$replica"
CLUSTER_PG_OPTS="$pg_opts"
CLUSTER_APP_DIR="$data/app"
CLUSTER_DATA_DIR="$data/shared"
CLUSTER_REDIS="127.0.0.1:$redis_port"
CLUSTER_DEMO_ADMIN_API_KEY="${CARDMALL_DEMO_ADMIN_API_KEY:-}"
CLUSTER_PUBLIC_BASE_URL="$CardMall__PublicBaseUrl"
CLUSTER_ENVIRONMENT="$ASPNETCORE_ENVIRONMENT"
ENV

echo
echo "CardMall cluster: http://127.0.0.1:$port  ($nodes nodes behind nginx; logs in .data/cluster/logs)"
echo "Press Ctrl-C to stop everything."
# Wait while any node runs (a node killed on purpose leaves the others serving; one started again by
# bench/faults.sh is in node.pids).
while :; do
  alive=0
  for pid in "${node_pids[@]}" $(awk '{print $2}' "$data/node.pids" 2>/dev/null); do kill -0 "$pid" 2>/dev/null && alive=1; done
  [ "$alive" = 1 ] || { echo "every node has stopped" >&2; exit 1; }
  sleep 1
done
