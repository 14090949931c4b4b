# shellcheck shell=bash
# A throwaway Redis from Debian's redis-server, for test.sh and the benchmarks (the SignalR backplane's companion).
# redis_start DIR PORT — start redis-server on 127.0.0.1:PORT (no persistence) unless one answers there already.
#   Sets REDIS_STARTED=1 only when this call started it, so a script stops only its own server.
# redis_stop DIR       — stops the server this DIR's pid file names.
# Debian's package starts its own server on 6379 as a service; ours runs apart from it, so leave that alone.

redis_ensure_installed() {
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "redis-server not found: installing it with apt…" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; } || true
    command -v redis-server >/dev/null 2>&1 && return 0
  fi
  echo "redis-server is missing. Install the 'redis-server' package, or set CARDMALL_TEST_REDIS to a server's address." >&2
  return 1
}

redis_start() {
  local dir=$1 port=$2 i
  REDIS_STARTED=0
  redis_ensure_installed || return 1
  if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then return 0; fi
  mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --daemonize yes \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null || { tail -n 20 "$dir/redis.log" >&2; return 1; }
  for i in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && { REDIS_STARTED=1; return 0; }
    sleep 0.1
  done
  echo "redis-server did not answer on 127.0.0.1:$port" >&2
  tail -n 20 "$dir/redis.log" >&2
  return 1
}

redis_stop() {
  local dir=$1 pid
  [ -f "$dir/redis.pid" ] || return 0
  pid=$(cat "$dir/redis.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$dir/redis.pid"
}
