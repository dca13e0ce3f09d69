# A throw-away PostgreSQL 15 server for test suites. Source this file, then:
#
#   pg_start            initdb in a fresh temporary directory, start on a free
#                       loopback port (unix socket in the same directory),
#                       create database "marquee", export MARQUEE_PG_URL
#                       (postgresql://marquee@127.0.0.1:PORT/marquee) and PG_BIN;
#                       registers pg_stop on EXIT unless PG_NO_TRAP=1
#   pg_stop             stop the server (immediate) and remove its directory
#   pg_psql ARGS...     psql on that database, quiet, stop on error
#   pg_new_database N   create database N and print its URL
#
# When PostgreSQL 15 is not installed, pg_start prints why and exits 77
# (ctest's SKIP_RETURN_CODE). As root (CI) the server runs as `nobody`, since
# initdb refuses to run as root; the directory belongs to that user.
# fsync=off: a test server's durability is irrelevant; crash tests kill the
# client (marquee), never the server.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=""

_pg_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u nobody -- "$@"
  else
    "$@"
  fi
}

_pg_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

pg_start() {
  if [[ ! -x "$PG_BIN/initdb" || ! -x "$PG_BIN/pg_ctl" ]]; then
    echo "SKIPPED: PostgreSQL 15 server binaries not found in $PG_BIN (Debian package postgresql-15)" >&2
    exit 77
  fi
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/marquee-pg.XXXXXX")
  chmod 755 "$PG_DIR"
  [[ $(id -u) -eq 0 ]] && chown nobody:nogroup "$PG_DIR"
  if [[ "${PG_NO_TRAP:-0}" != 1 ]]; then trap pg_stop EXIT; fi
  _pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U marquee --auth=trust -E UTF8 \
    --locale=C.UTF-8 -N >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; echo "pg_start: initdb failed" >&2; return 1; }
  local attempt port
  for attempt in 1 2 3; do
    port=$(_pg_free_port)
    if _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
      -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null 2>&1; then
      export PGHOST=127.0.0.1 PGPORT=$port PGUSER=marquee
      export MARQUEE_PG_URL="postgresql://marquee@127.0.0.1:$port/marquee"
      "$PG_BIN/createdb" marquee
      return 0
    fi
  done
  cat "$PG_DIR/server.log" >&2
  echo "pg_start: the server did not start" >&2
  return 1
}

pg_stop() {
  if [[ -n "$PG_DIR" && -d "$PG_DIR" ]]; then
    _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
  PG_DIR=""
}

pg_psql() {
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d marquee "$@"
}

pg_new_database() {
  "$PG_BIN/createdb" "$1"
  echo "postgresql://marquee@127.0.0.1:$PGPORT/$1"
}
