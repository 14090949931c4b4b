# shellcheck shell=bash
# The redocly CLI (npm @redocly/cli, pinned in scripts/tools/redocly/package.json) that lints the OpenAPI document.
# A development tool only: the app never needs it. Installed once into .data/tools/redocly (ignored by git).
# redocly_install ROOT — installs it when missing or when the pinned version changed; prints the executable's path.
#   Needs npm (Node.js). Under CI=true, as root, a missing Node.js is installed with apt; never skipped.

redocly_install() {
  local root=$1 dir bin pin
  dir="$root/.data/tools/redocly"
  bin="$dir/node_modules/.bin/redocly"
  pin="$root/scripts/tools/redocly/package.json"
  if [ -x "$bin" ] && cmp -s "$pin" "$dir/package.json"; then
    echo "$bin"; return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      echo "npm not found: installing Node.js with apt…" >&2
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; } >&2 || return 1
    else
      echo "npm is not installed: install Node.js (apt-get install nodejs npm) to lint the OpenAPI document." >&2
      return 1
    fi
  fi
  mkdir -p "$dir"
  cp "$pin" "$dir/package.json"
  cp "$root/scripts/tools/redocly/package-lock.json" "$dir/package-lock.json"
  echo "Installing redocly into $dir…" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || return 1
  [ -x "$bin" ] || return 1
  echo "$bin"
}
