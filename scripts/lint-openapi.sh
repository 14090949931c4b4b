#!/usr/bin/env bash
# ./scripts/lint-openapi.sh [URL or FILE] — lints the API's OpenAPI document with redocly's recommended rules
# (docs/decisions/0027); the goal is 0 errors and 0 warnings. Default: the document of the shop ./scripts/run.sh
# serves, http://127.0.0.1:5080/openapi/v1.json. The contract test (OpenApiContractTests) runs the same lint
# in ./scripts/test.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/redocly.sh
. "$root/scripts/lib/redocly.sh"

source=${1:-http://127.0.0.1:5080/openapi/v1.json}
redocly=$(redocly_install "$root") || { echo "lint-openapi.sh: could not install redocly" >&2; exit 1; }
document=$(mktemp --suffix=.json)
trap 'rm -f "$document"' EXIT
if [ -f "$source" ]; then
  cp "$source" "$document"
else
  curl -fsS "$source" -o "$document" || { echo "lint-openapi.sh: could not fetch $source (is the shop running?)" >&2; exit 1; }
fi
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$redocly" lint "$document"
