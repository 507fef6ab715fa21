#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests.
#
#   eval "$(bash scripts/test-postgres.sh start)"   # prints the variables to export
#   bash scripts/test-postgres.sh stop "$TUNESMITH_TEST_POSTGRES_DIR"
#   bash scripts/test-postgres.sh restart "$TUNESMITH_TEST_POSTGRES_DIR"   # (the drills restart it mid-load)
#
# The cluster lives in a temporary folder, listens on a free port on 127.0.0.1 only, trusts local connections
# and runs as an unprivileged user: postgres refuses to run as root, so as root it runs as the `postgres` user.
set -euo pipefail

bindir="${TUNESMITH_POSTGRES_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
if [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL server binaries not found (install the postgresql package: bash scripts/install-deps.sh)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    dir="$(mktemp -d /tmp/tunesmith-pg.XXXXXX)"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    as_owner "$bindir/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1
    echo "$port" >"$dir/port"
    # fsync off: a test cluster needs no durability. Connections: every test database's pools and the drills.
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c max_connections=300" start >&2
    echo "export TUNESMITH_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
    echo "export TUNESMITH_TEST_POSTGRES_DIR=$dir"
    ;;
  stop)
    dir="${2:?the cluster folder}"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  restart)
    dir="${2:?the cluster folder}"
    port="$(cat "$dir/port")"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -m fast \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c max_connections=300" restart >&2
    ;;
  *)
    echo "usage: $0 start | stop DIR | restart DIR" >&2
    exit 2
    ;;
esac
