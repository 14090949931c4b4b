#!/usr/bin/env bash
# bench/lighthouse.sh — what a phone sees: Lighthouse's mobile scores (performance, accessibility, best
# practices, SEO) for every storefront page (issue 13). Results go into docs/benchmarks.md by hand.
#
#   bench/lighthouse.sh [runs]      default 1 run per page; with more, each score is the median
#
# It installs npm `lighthouse` (pinned: 13.x wants Node 22) into .data/lighthouse — never committed —,
# starts its own PostgreSQL cluster (.data/bench-lighthouse-pg, a fresh database each run) and the app
# (Release, Production environment, the demo shop seeded, Kestrel on loopback), signs in as the demo buyer
# through the login form with curl, and runs Lighthouse's default mobile profile (Moto G Power screen,
# simulated slow 4G and 4x CPU slowdown) against Debian's Chromium (CHROME_PATH, headless) for: home,
# category, product, search, help index, help article, and — passing the buyer's cookie with
# --extra-headers — the buyer's order page and ticket page. It prints one table, page × four scores, with
# first contentful paint and largest contentful paint. The JSON reports stay in .data/lighthouse/reports/
# for reading what an audit found.
#
# Settings: BENCH_CULTURE (zh-CN, the shop's default, or en-US), BENCH_PG_PORT (55436),
# BENCH_HTTP_PORT (5093), CHROME_PATH (/usr/bin/chromium). Scores under simulated throttling still move
# with the machine's load: read them on a quiet machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib/postgres.sh
runs=${1:-1}
port=${BENCH_PG_PORT:-55436}
url=http://127.0.0.1:${BENCH_HTTP_PORT:-5093}
culture=${BENCH_CULTURE:-zh-CN}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
lh_dir="$root/.data/lighthouse"
reports="$lh_dir/reports"
pgdir="$root/.data/bench-lighthouse-pg"
work=$(mktemp -d)
app_pid=""
cleanup() { [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null; pg_stop "$pgdir"; rm -rf "$work"; }
trap cleanup EXIT

[ -x "$CHROME_PATH" ] || { echo "bench: Chromium is missing at $CHROME_PATH (Debian package chromium)" >&2; exit 1; }
command -v npm >/dev/null || { echo "bench: npm is missing (Debian packages nodejs and npm)" >&2; exit 1; }
if [ ! -x "$lh_dir/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$lh_dir"
  (cd "$lh_dir" && { [ -f package.json ] || npm init -y >/dev/null; } && npm i -E --no-audit --no-fund lighthouse@12.2.3 >/dev/null)
fi
lighthouse="$lh_dir/node_modules/.bin/lighthouse"
rm -rf "$reports"; mkdir -p "$reports"

pg_start "$pgdir" "$port" fast
psql -h 127.0.0.1 -p "$port" -U postgres -qc "DROP DATABASE IF EXISTS cardmall_lighthouse WITH (FORCE)" >/dev/null
dotnet build src/CardMall.Web -c Release -nologo -v quiet -clp:ErrorsOnly
(
  cd src/CardMall.Web
  ConnectionStrings__CardMall="Host=127.0.0.1;Port=$port;Username=postgres;Database=cardmall_lighthouse" \
  CardMall__Demo__Seed=true CardMall__DataDirectory="$work/data" \
  ASPNETCORE_ENVIRONMENT=Production CardMall__CardKeys__GenerateDevelopmentKeys=true \
  Serilog__MinimumLevel__Default=Warning \
  exec dotnet bin/Release/net10.0/CardMall.Web.dll --urls "$url"
) > "$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 180); do curl -fs "$url/health/ready" >/dev/null 2>&1 && break; sleep 1; done
curl -fs "$url/health/ready" >/dev/null || { tail -30 "$work/app.log"; exit 1; }

# Sign in as the demo buyer through the form, as a browser would (antiforgery token and cookie).
jar="$work/cookies.txt"
token=$(curl -fs -c "$jar" "$url/Account/Login" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
[ -n "$token" ] || { echo "bench: no antiforgery token on the login page" >&2; exit 1; }
curl -fs -b "$jar" -c "$jar" -o /dev/null "$url/Account/Login" \
  --data-urlencode "__RequestVerificationToken=$token" --data-urlencode "Input.Email=buyer@cardmall.test" \
  --data-urlencode "Input.Password=CardMall@2026"
grep -q "cardmall.auth" "$jar" || { echo "bench: signing in as the demo buyer failed" >&2; exit 1; }
culture_cookie=".AspNetCore.Culture=c%3D$culture%7Cuic%3D$culture"
buyer_cookie="$culture_cookie; $(awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s=%s; ", $6, $7 }' "$jar" | sed 's/; $//')"

signed_in() { curl -fs -H "Cookie: $buyer_cookie" "$url$1"; }
order=$(signed_in /Orders | grep -o 'href="/Orders/[A-Za-z0-9-]*"' | head -1 | sed 's/href="\(.*\)"/\1/')
ticket=$(signed_in /Tickets | grep -o 'href="/Tickets/[A-Za-z0-9-]*"' | grep -v -e /Tickets/New -e /Tickets/Bulk | head -1 | sed 's/href="\(.*\)"/\1/')
article=$(curl -fs "$url/Help" | grep -o 'href="/Help/[A-Za-z0-9-]*"' | head -1 | sed 's/href="\(.*\)"/\1/')
[ -n "$order" ] && [ -n "$ticket" ] && [ -n "$article" ] || { echo "bench: the demo buyer's order/ticket or a help article was not found" >&2; exit 1; }

# page name, path, who (anonymous or buyer)
pages=(
  "home|/|anonymous"
  "category|/Category/game-cards|anonymous"
  "product|/Products/WOW-60|anonymous"
  "search|/Search?q=steam|anonymous"
  "help|/Help|anonymous"
  "help article|$article|anonymous"
  "order (buyer)|$order|buyer"
  "ticket (buyer)|$ticket|buyer"
)

# A warm-up request per page: the figures are for a running shop, not for the first request's JIT.
for p in "${pages[@]}"; do
  IFS='|' read -r _ path who <<<"$p"
  if [ "$who" = buyer ]; then signed_in "$path" >/dev/null; else curl -fs "$url$path" >/dev/null; fi
done

echo "Lighthouse $("$lighthouse" --version), mobile, $culture, $runs run(s) per page, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| page | performance | accessibility | best practices | SEO | FCP s | LCP s |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for p in "${pages[@]}"; do
  IFS='|' read -r name path who <<<"$p"
  cookie=$culture_cookie
  [ "$who" = buyer ] && cookie=$buyer_cookie
  headers=$(printf '{"Cookie":"%s"}' "$cookie")
  slug=$(echo "$name" | tr -c 'a-z0-9\n' '-')
  for run in $(seq 1 "$runs"); do
    "$lighthouse" "$url$path" --quiet --output=json --output-path="$reports/$slug-$run.json" \
      --only-categories=performance,accessibility,best-practices,seo \
      --chrome-flags="--headless --no-sandbox --disable-gpu" --extra-headers="$headers" >/dev/null 2>"$work/lh.err" \
      || { cat "$work/lh.err" >&2; exit 1; }
  done
  node - "$name" "$reports" "$slug" "$runs" <<'JS'
const [name, dir, slug, runs] = process.argv.slice(2);
const fs = require('fs');
const all = [];
for (let i = 1; i <= Number(runs); i++) all.push(JSON.parse(fs.readFileSync(`${dir}/${slug}-${i}.json`, 'utf8')));
const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const score = id => median(all.map(r => Math.round((r.categories[id].score ?? 0) * 100)));
const secs = id => (median(all.map(r => r.audits[id].numericValue)) / 1000).toFixed(1);
console.log(`| ${name} | ${score('performance')} | ${score('accessibility')} | ${score('best-practices')} | ${score('seo')} | ${secs('first-contentful-paint')} | ${secs('largest-contentful-paint')} |`);
JS
done
