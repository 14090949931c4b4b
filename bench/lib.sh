# shellcheck shell=bash
# What several bench scripts share. Source it after `cd "$root"`.
#   bench_need CMD PACKAGE          — install the Debian PACKAGE when CMD is missing (as root), or stop saying why.
#   bench_hello_ceiling DIR URL CONNECTIONS SECONDS
#                                   — build a bare Kestrel minimal-API "hello" in DIR, run it on URL, load it with
#                                     wrk (2 threads, CONNECTIONS, a 5 s warm-up, then SECONDS) and print its
#                                     req/s: the machine's page ceiling, measured in the same run as CardMall.
#   bench_hello_start DIR URL       — build the same "hello" in DIR and start it on URL (no load); its pid in
#                                     BENCH_HELLO_PID. For a ceiling measured some other way (through a balancer).
#   bench_wrk_tally LABEL           — the part of a wrk Lua script that counts answers by status in every thread and,
#                                     at the end, prints "LABEL rps=… p50=… p99=… statuses=201=…,409=… errors=N"
#                                     (p50/p99 in ms; errors: connect, read, write and timeout errors together).
#   bench_checkout_lua BUYERS SKU   — a whole wrk Lua script for POST /api/v1/orders of one key of SKU: the API keys
#                                     in the file BUYERS in turn, a fresh Idempotency-Key each; tallied as "CHECKOUT".
#   bench_cpu_ticks PID…            — CPU (user + system, clock ticks) the processes PID… have used so far, with that
#                                     of their children that have exited (a PostgreSQL backend or autovacuum worker
#                                     that ends during a run keeps counting through the postmaster).
#   bench_pg_pids DATADIR           — the pids of the PostgreSQL server running from DATADIR: postmaster and children.
#   bench_lock_take WHO             — one benchmark at a time on the machine: wait while $BENCH_LOCK (/work/bench.lock)
#                                     exists, then create it saying WHO (builds and tests elsewhere wait meanwhile).
#   bench_lock_release              — remove the lock if this script took it (call it from the EXIT trap too).
#   bench_sign_in URL EMAIL PASSWORD JAR
#                                   — sign in through the login form (the antiforgery token is in the form) and
#                                     print the auth cookie as "name=value", or nothing when signing in failed.

bench_need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || { echo "bench: $1 is missing; install the Debian package $2" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

bench_hello_start() {
  local dir=$1 url=$2
  mkdir -p "$dir"
  cat > "$dir/hello.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup>
</Project>
XML
  cat > "$dir/Program.cs" <<'CS'
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/", () => "hello");
app.Run();
CS
  # Empty projects in its folder keep any Directory.*.props above it (warnings as errors, central versions) out.
  echo '<Project />' > "$dir/Directory.Build.props"; echo '<Project />' > "$dir/Directory.Packages.props"
  (cd "$dir" && dotnet build -c Release -nologo -v q -clp:ErrorsOnly -o out >&2)
  dotnet "$dir/out/hello.dll" --urls "$url" >/dev/null 2>&1 &
  BENCH_HELLO_PID=$!
  for _ in $(seq 1 240); do curl -fs "$url/" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fs "$url/" >/dev/null || { echo "bench: the hello app did not start on $url" >&2; kill "$BENCH_HELLO_PID" 2>/dev/null; return 1; }
}

bench_hello_ceiling() {
  local dir=$1 url=$2 connections=$3 secs=$4 rps
  bench_hello_start "$dir" "$url" || return 1
  wrk -t2 -c"$connections" -d5s "$url/" >/dev/null
  rps=$(wrk -t2 -c"$connections" -d"${secs}s" "$url/" | awk '/Requests\/sec/ {print int($2)}')
  kill "$BENCH_HELLO_PID" 2>/dev/null; wait "$BENCH_HELLO_PID" 2>/dev/null || true
  echo "$rps"
}

bench_wrk_tally() {
  cat <<LUA
-- tid is a global that setup() gives each thread (a local here would shadow it: every thread would be 0).
local threads = {}
local started = 0
function setup(thread) started = started + 1; thread:set("tid", started); table.insert(threads, thread) end
-- Each run and thread draws its own random numbers (a checkout's Idempotency-Keys must not repeat an earlier run's).
function init(args) statuses = {}; math.randomseed(os.time() * 1000 + tid) end
function response(status) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for s, c in pairs(t:get("statuses")) do total[s] = (total[s] or 0) + c end
  end
  local parts = {}
  for s, c in pairs(total) do table.insert(parts, s .. "=" .. c) end
  table.sort(parts)
  local e = summary.errors
  io.write(string.format("$1 rps=%.0f p50=%.1f p99=%.1f statuses=%s errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    table.concat(parts, ","), e.connect + e.read + e.write + e.timeout))
end
LUA
}

bench_checkout_lua() {
  local buyers=$1 sku=$2
  echo "local keys = {"; sed 's/.*/"&",/' "$buyers"; echo "}"
  cat <<LUA
local counter = 0
function request()
  counter = counter + 1
  -- Each thread has its own half of the buyers, in turn: one buyer is never in two requests at once (the
  -- wallet lock would rightly make them wait for each other, which measures wrk's choice, not the shop).
  local k = keys[(counter % math.floor(#keys / 2)) * 2 + tid]
  return wrk.format("POST", "/api/v1/orders", {
    ["Authorization"] = "Bearer " .. k, ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "b" .. tid .. "-" .. counter .. "-" .. math.random(1, 1e9) .. "-" .. math.random(1, 1e9) },
    '{"sku":"$sku","quantity":1,"acceptNotices":true}')
end
LUA
  bench_wrk_tally CHECKOUT
}

bench_cpu_ticks() {
  local t=0 p
  for p in "$@"; do t=$((t + $(awk '{print $14 + $15 + $16 + $17}' /proc/"$p"/stat 2>/dev/null || echo 0))); done
  echo "$t"
}

bench_pg_pids() {
  local pm
  pm=$(head -1 "$1/postmaster.pid")
  echo "$pm $(pgrep -P "$pm" | tr '\n' ' ')"
}

BENCH_LOCK=${BENCH_LOCK:-/work/bench.lock}
BENCH_LOCK_OWNED=""
bench_lock_take() {
  # noclobber: of two scripts that see the lock gone at the same moment, only one creates it.
  until (set -o noclobber; echo "$1" > "$BENCH_LOCK") 2>/dev/null; do
    echo "waiting for $BENCH_LOCK ($(cat "$BENCH_LOCK" 2>/dev/null))" >&2; sleep 30
  done
  BENCH_LOCK_OWNED=1
}

bench_lock_release() {
  [ -n "$BENCH_LOCK_OWNED" ] && rm -f "$BENCH_LOCK"
  BENCH_LOCK_OWNED=""
}

bench_sign_in() {
  local url=$1 email=$2 password=$3 jar=$4 token
  token=$(curl -fs -c "$jar" "$url/Account/Login" \
    | grep -oE 'name="__RequestVerificationToken" type="hidden" value="[^"]+"' | head -1 | sed -E 's/.*value="([^"]+)"/\1/')
  curl -fs -b "$jar" -c "$jar" -o /dev/null "$url/Account/Login" --data-urlencode "__RequestVerificationToken=$token" \
    --data-urlencode "Input.Email=$email" --data-urlencode "Input.Password=$password" || true
  awk '$6 == "cardmall.auth" {print $6 "=" $7}' "$jar"
}
