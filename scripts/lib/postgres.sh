# shellcheck shell=bash
# A throwaway PostgreSQL cluster from the machine's own binaries, for run.sh and test.sh.
# pg_start DIR PORT [fast] — initialise DIR when new, start the server on 127.0.0.1:PORT unless it is
#   already up. Sets PG_STARTED=1 only when this call started it, so a script stops only its own server.
#   "fast" turns off fsync and friends: for throwaway test data only, never for data that is kept.
# pg_stop DIR        — fast shutdown.
# As root, initdb refuses to run, so the cluster belongs to the `postgres` user.

pg_bin_dir() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    # Through links on the PATH to the version's own folder, which also holds pg_basebackup and psql.
    dirname "$(readlink -f "$(command -v pg_ctl)")"; return 0
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  return 1
}

pg_ensure_installed() {
  if pg_bin_dir >/dev/null; then return 0; fi
  if [ "$(id -u)" = 0 ]; then
    echo "PostgreSQL server not found: installing it with apt…" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    # Debian starts its own cluster on 5432; ours runs apart from it, so leave it alone.
    pg_bin_dir >/dev/null && return 0
  fi
  echo "PostgreSQL server binaries (initdb, pg_ctl) are missing. Install the 'postgresql' package, or set CARDMALL_DB / CARDMALL_TEST_DB to a connection string." >&2
  return 1
}

# Runs a command as the cluster owner: `postgres` when we are root, ourselves otherwise.
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  local dir=$1 port=$2 mode=${3:-durable} bin opts
  PG_STARTED=0
  pg_ensure_installed || return 1
  bin=$(pg_bin_dir)
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown postgres:postgres "$dir"
    chmod 700 "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then
      echo "The postgres user cannot reach $dir (a parent folder is private). Set CARDMALL_TEST_DB/CARDMALL_DB or clone elsewhere." >&2
      return 1
    fi
  fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    pg_as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/../$(basename "$dir").initdb.log" 2>&1 \
      || { cat "$dir/../$(basename "$dir").initdb.log" >&2; return 1; }
  fi
  if pg_as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    return 0
  fi
  opts="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp -c max_connections=300"
  [ "$mode" = fast ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  # Extra server settings for one run (a benchmark's diagnostics, e.g. pg_stat_statements).
  opts="$opts ${PG_EXTRA_OPTS:-}"
  pg_as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 -o "$opts" \
    start >/dev/null || { tail -n 30 "$dir/server.log" >&2; return 1; }
  PG_STARTED=1
}

pg_stop() {
  local dir=$1 bin
  bin=$(pg_bin_dir) || return 0
  [ -f "$dir/postmaster.pid" ] || return 0
  pg_as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_replica_start PRIMARY_PORT DIR PORT [fast] — a streaming replica of the server on 127.0.0.1:PRIMARY_PORT:
#   when DIR is new, pg_basebackup -R copies the primary into it (the -R writes primary_conninfo and standby.signal),
#   then the replica starts on 127.0.0.1:PORT as pg_start does. The primary's default pg_hba (initdb --auth=trust)
#   already lets 127.0.0.1 replicate, and wal_level=replica, max_wal_senders=10 are PostgreSQL's defaults.
pg_replica_start() {
  local primary_port=$1 dir=$2 port=$3 mode=${4:-durable} bin
  pg_ensure_installed || return 1
  bin=$(pg_bin_dir)
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && { chown postgres:postgres "$dir"; chmod 700 "$dir"; }
    pg_as_owner "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir" -R -X stream -c fast \
      >"$dir/../$(basename "$dir").basebackup.log" 2>&1 || { cat "$dir/../$(basename "$dir").basebackup.log" >&2; return 1; }
    # The copy carries the primary's log; the replica starts its own.
    rm -f "$dir/server.log"
  fi
  pg_start "$dir" "$port" "$mode"
}

# pg_replica_lag PORT — seconds since the last transaction the replica on 127.0.0.1:PORT replayed (empty before any).
pg_replica_lag() {
  local bin
  bin=$(pg_bin_dir) || return 1
  "$bin/psql" -h 127.0.0.1 -p "$1" -U postgres -d postgres -Atc \
    "select extract(epoch from now() - pg_last_xact_replay_timestamp())::numeric(10,1)"
}
