#!/usr/bin/env bash
# ./scripts/test.sh — builds and runs every test project, then prints one line:
#   N passed, N failed, N skipped
# PostgreSQL: CARDMALL_TEST_DB when set, else a throwaway cluster under .data/test-pg.
# Redis (the chat backplane's two-node test): CARDMALL_TEST_REDIS when set, else a throwaway redis-server.
# Chromium: installed with apt when missing (as root). Under CI=true a missing dependency is an
# error, never a skip.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=lib/postgres.sh
. scripts/lib/postgres.sh
# shellcheck source=lib/redis.sh
. scripts/lib/redis.sh

out="$root/test-output"
rm -rf "$out"
mkdir -p "$out" .data
started_db=""
started_redis=""
cleanup() {
  [ -n "$started_redis" ] && redis_stop "$started_redis"
  [ -n "$started_db" ] && pg_stop "$started_db"
}
trap cleanup EXIT

fail_setup() {
  echo "test.sh: $1" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
}

# Chromium for the browser tests (Playwright drives Debian's build; its own download cannot work here).
if [ -n "${CARDMALL_CHROMIUM:-}" ]; then
  [ -x "$CARDMALL_CHROMIUM" ] || fail_setup "CARDMALL_CHROMIUM=$CARDMALL_CHROMIUM is not an executable"
elif ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Chromium for the browser tests…"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; } \
      || fail_setup "could not install chromium with apt"
  else
    fail_setup "chromium is not installed and this is not root: run 'apt-get install -y chromium fonts-noto-cjk' first"
  fi
fi
export CARDMALL_CHROMIUM="${CARDMALL_CHROMIUM:-$(command -v chromium)}"

# redocly (npm @redocly/cli) for the OpenAPI contract test: a development tool under .data/tools, never skipped.
# shellcheck source=lib/redocly.sh
. scripts/lib/redocly.sh
if [ -z "${CARDMALL_REDOCLY:-}" ]; then
  CARDMALL_REDOCLY=$(redocly_install "$root") || fail_setup "could not install redocly (npm @redocly/cli) for the OpenAPI lint"
  export CARDMALL_REDOCLY
fi

if [ -z "${CARDMALL_TEST_DB:-}" ]; then
  port=${CARDMALL_TEST_PG_PORT:-55433}
  pg_start "$root/.data/test-pg" "$port" fast || fail_setup "could not start PostgreSQL"
  [ "$PG_STARTED" = 1 ] && started_db="$root/.data/test-pg"
  export CARDMALL_TEST_DB="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
fi

if [ -z "${CARDMALL_TEST_REDIS:-}" ]; then
  redis_port=${CARDMALL_TEST_REDIS_PORT:-56379}
  redis_start "$root/.data/test-redis" "$redis_port" || fail_setup "could not start Redis (redis-server) for the backplane tests"
  [ "$REDIS_STARTED" = 1 ] && started_redis="$root/.data/test-redis"
  export CARDMALL_TEST_REDIS="127.0.0.1:$redis_port"
fi

echo "Building…"
if ! dotnet build CardMall.sln -c Release -nologo -v quiet -clp:ErrorsOnly; then
  fail_setup "the build failed"
fi

status=0
for project in UnitTests IntegrationTests BrowserTests; do
  echo "== CardMall.$project"
  if ! dotnet test "tests/CardMall.$project/CardMall.$project.csproj" -c Release --no-build -nologo \
      --logger "trx;LogFileName=$project.trx" --results-directory "$out" \
      --logger "console;verbosity=minimal" -- RunConfiguration.TestSessionTimeout=2400000; then
    status=1
  fi
  [ -f "$out/$project.trx" ] || { echo "no results from CardMall.$project" >&2; status=1; }
done

# Count from the result files, not from console output.
read -r passed failed skipped < <(python3 - "$out" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    for c in ET.parse(path).getroot().iter():
        if c.tag.endswith("Counters"):
            p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
            s += int(c.get("notExecuted", 0)) + int(c.get("inconclusive", 0))
print(p, f, s)
PY
)
if [ -z "${passed:-}" ]; then
  echo "test.sh: could not read the test results in $out" >&2
  passed=0; failed=1; skipped=0
fi
if [ "${CI:-}" = "true" ] && [ "${skipped:-0}" != "0" ]; then
  echo "test.sh: $skipped test(s) were skipped under CI=true: nothing may be skipped in CI." >&2
  status=1
fi
[ "${failed:-1}" = "0" ] || status=1
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit $status
