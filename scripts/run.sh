#!/usr/bin/env bash
# ./scripts/run.sh — the demo shop on this machine.
# Uses CARDMALL_DB (a PostgreSQL connection string) when set; otherwise starts a local cluster under
# .data/pg. Applies migrations, seeds the demo data once, serves on CARDMALL_URLS
# (default http://127.0.0.1:5080). Ctrl-C stops the app and the database it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=lib/postgres.sh
. scripts/lib/postgres.sh

urls=${CARDMALL_URLS:-http://127.0.0.1:5080}
started_db=""

cleanup() {
  if [ -n "$started_db" ]; then
    echo "Stopping the local PostgreSQL cluster…"
    pg_stop "$started_db"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${CARDMALL_DB:-}" ]; then
  conn=$CARDMALL_DB
else
  port=${CARDMALL_PG_PORT:-55432}
  mkdir -p .data
  pg_start "$root/.data/pg" "$port"
  [ "$PG_STARTED" = 1 ] && started_db="$root/.data/pg"
  conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=cardmall"
  echo "PostgreSQL: 127.0.0.1:$port (data in .data/pg)"
fi

echo "Building CardMall…"
dotnet build src/CardMall.Web/CardMall.Web.csproj -c Release -nologo -v quiet -clp:ErrorsOnly

export ConnectionStrings__CardMall="$conn"
export CardMall__Demo__Seed=true
export CardMall__Demo__AdminApiKey="${CARDMALL_DEMO_ADMIN_API_KEY:-}"
export CardMall__DataDirectory="$root/.data"
export CardMall__PublicBaseUrl="${CardMall__PublicBaseUrl:-$urls}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

echo "CardMall: $urls"
# Run from the project folder so the app finds its wwwroot and appsettings.
cd src/CardMall.Web
dotnet bin/Release/net10.0/CardMall.Web.dll --urls "$urls"
