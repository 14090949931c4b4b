#!/usr/bin/env bash
# bench/import-100k.sh — how long one request importing 100,000 card keys takes, end to end through
# the JSON API on Kestrel (parse, fingerprint, duplicate check, AES-GCM, COPY, commit), and the web
# process's peak memory. Results go into docs/benchmarks.md by hand.
# Usage: bench/import-100k.sh [lines] [runs]   (defaults: 100000 lines, 3 runs)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib/postgres.sh
lines=${1:-100000}
runs=${2:-3}
port=${BENCH_PG_PORT:-55434}
url=http://127.0.0.1:${BENCH_HTTP_PORT:-5090}
work=$(mktemp -d)
app_pid=""
cleanup() { [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null; pg_stop "$root/.data/bench-pg"; rm -rf "$work"; }
trap cleanup EXIT

pg_start "$root/.data/bench-pg" "$port" fast
psql -h 127.0.0.1 -p "$port" -U postgres -qc "DROP DATABASE IF EXISTS cardmall_bench WITH (FORCE)" >/dev/null
dotnet build src/CardMall.Web -c Release -nologo -v quiet -clp:ErrorsOnly
key="cm_bench_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
(
  cd src/CardMall.Web
  ConnectionStrings__CardMall="Host=127.0.0.1;Port=$port;Username=postgres;Database=cardmall_bench" \
  CardMall__Demo__Seed=true CardMall__Demo__AdminApiKey="$key" CardMall__DataDirectory="$work/data" \
  ASPNETCORE_ENVIRONMENT=Production CardMall__CardKeys__GenerateDevelopmentKeys=true CardMall__DataProtection__GenerateDevelopmentCertificate=true \
  Serilog__MinimumLevel__Default=Warning \
  exec dotnet bin/Release/net10.0/CardMall.Web.dll --urls "$url"
) > "$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 120); do curl -fs "$url/health/ready" >/dev/null 2>&1 && break; sleep 1; done
curl -fs "$url/health/ready" >/dev/null || { tail -30 "$work/app.log"; exit 1; }
# The web process itself (dotnet exec'd in the subshell).
web_pid=$(pgrep -f "CardMall.Web.dll --urls $url" | head -1)

auth=(-H "Authorization: Bearer $key" -H "Content-Type: application/json")
curl -fs "${auth[@]}" "$url/api/v1/admin/suppliers" -d '{"code":"BENCH","name":"Bench supplier","webhookSecret":"bench-secret-0123456789"}' >/dev/null
echo "lines,run,seconds,imported"
for run in $(seq 1 "$runs"); do
  sku="BENCH-$run-$RANDOM"
  curl -fs "${auth[@]}" "$url/api/v1/admin/products" -d "{\"sku\":\"$sku\",\"name\":\"压测商品\",\"nameEn\":\"Bench product\",\"category\":\"game-cards\",\"faceValue\":10,\"price\":10,\"validityDays\":30,\"deviceLimit\":1,\"regions\":\"CN\",\"maxPerOrder\":10}" >/dev/null
  python3 - "$lines" "$run" > "$work/batch.json" <<'PY'
import json, sys, secrets
n, run = int(sys.argv[1]), sys.argv[2]
print(json.dumps({"supplierCode": "BENCH", "unitCost": 1.00, "lines": [f"R{run}-{secrets.token_hex(10).upper()}----{secrets.token_hex(4)}" for _ in range(n)]}))
PY
  result=$(curl -fs -w '\n%{time_total}' "${auth[@]}" "$url/api/v1/admin/products/$sku/batches" --data-binary "@$work/batch.json")
  seconds=$(echo "$result" | tail -1)
  imported=$(echo "$result" | head -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["imported"])')
  echo "$lines,$run,$seconds,$imported"
done
echo "peak RSS of the web process: $(grep VmHWM /proc/"$web_pid"/status | awk '{print $2/1024 " MiB"}')"
