# shellcheck shell=bash
# nginx as the load balancer in front of several CardMall nodes, from Debian's package (scripts/cluster.sh).
# nginx_start DIR PORT UPSTREAM… — write DIR/nginx.conf balancing 127.0.0.1:PORT over the UPSTREAM host:port list,
#   start nginx with DIR as its prefix (pid, logs, temp files all in DIR). Sets NGINX_STARTED=1 when it started it.
# nginx_stop DIR — stop the nginx whose pid file is in DIR.
# Debian's package may start its own server on port 80 as a service; ours runs apart from it, so leave that alone.

nginx_ensure_installed() {
  command -v nginx >/dev/null 2>&1 && return 0
  [ -x /usr/sbin/nginx ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "nginx not found: installing it with apt…" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; } || true
    { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } && return 0
  fi
  echo "nginx is missing. Install the 'nginx' package." >&2
  return 1
}

nginx_bin() { command -v nginx 2>/dev/null || echo /usr/sbin/nginx; }

# The configuration: round robin with passive health checks. A node that fails (connection refused, timeout,
# 502/503 — a node whose /health/ready is failing answers 503) is skipped for fail_timeout after max_fails, and the
# request goes to the next node. No ip_hash: nodes keep no session state and the chat hub's sends reach every node
# through the Redis backplane, so any node can serve any request — stickiness would only unbalance the load.
nginx_write_conf() {
  local dir=$1 port=$2 server; shift 2
  mkdir -p "$dir/logs" "$dir/tmp"
  chmod 1777 "$dir/tmp"
  {
    echo "worker_processes 1;"
    echo "pid $dir/nginx.pid;"
    echo "error_log $dir/logs/error.log warn;"
    echo "events { worker_connections 4096; }"
    echo "http {"
    echo "  access_log $dir/logs/access.log;"
    echo "  client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy;"
    echo "  fastcgi_temp_path $dir/tmp/fastcgi; uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;"
    echo "  client_max_body_size 20m;"
    echo "  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }"
    echo "  upstream cardmall {"
    for server in "$@"; do echo "    server $server max_fails=2 fail_timeout=5s;"; done
    # Idle connections kept open to the nodes, per worker: at least the concurrent requests expected, or nginx opens
    # and closes a connection per request above it (seen in bench/cluster-throughput.sh with 64 clients).
    echo "    keepalive 256;"
    echo "  }"
    echo "  server {"
    echo "    listen 127.0.0.1:$port;"
    echo "    proxy_http_version 1.1;"
    echo "    proxy_set_header Host \$http_host;"
    echo "    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;"
    echo "    proxy_set_header X-Forwarded-Proto \$scheme;"
    echo "    proxy_set_header Connection \"\";"
    echo "    proxy_connect_timeout 2s;"
    echo "    proxy_next_upstream error timeout http_502 http_503;"
    echo "    proxy_next_upstream_tries 3;"
    echo "    location / { proxy_pass http://cardmall; }"
    echo "    # The chat hub's WebSocket: the upgrade passed through, and a long read timeout for an idle line."
    echo "    location /hubs/ {"
    echo "      proxy_pass http://cardmall;"
    echo "      proxy_set_header Upgrade \$http_upgrade;"
    echo "      proxy_set_header Connection \$connection_upgrade;"
    echo "      proxy_read_timeout 1h;"
    echo "    }"
    echo "  }"
    echo "}"
  } >"$dir/nginx.conf"
}

nginx_start() {
  local dir=$1 port=$2; shift 2
  NGINX_STARTED=0
  nginx_ensure_installed || return 1
  nginx_write_conf "$dir" "$port" "$@"
  "$(nginx_bin)" -p "$dir" -c "$dir/nginx.conf" -t >/dev/null 2>"$dir/logs/test.log" || { cat "$dir/logs/test.log" >&2; return 1; }
  "$(nginx_bin)" -p "$dir" -c "$dir/nginx.conf" || { tail -n 20 "$dir/logs/error.log" >&2; return 1; }
  NGINX_STARTED=1
}

nginx_stop() {
  local dir=$1 pid
  [ -f "$dir/nginx.pid" ] || return 0
  pid=$(cat "$dir/nginx.pid")
  kill -QUIT "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$dir/nginx.pid"
}
