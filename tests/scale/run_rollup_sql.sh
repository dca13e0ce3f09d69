#!/usr/bin/env bash
# The portable rollup SQL (sql/rollups/) on DuckDB, SQLite and a PostgreSQL 15
# this script starts (tests/lib/postgres.sh), against Marquee's own rollups.
#   run_rollup_sql.sh MARQUEE
set -euo pipefail
MARQUEE=$1
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$ROOT/tests/lib/postgres.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/marquee-rollup-sql.XXXXXX")
trap 'pg_stop; rm -rf "$WORK"' EXIT
PG_NO_TRAP=1 pg_start
python3 "$HERE/rollup_sql.py" --marquee "$MARQUEE" --source-dir "$ROOT" --work "$WORK" --pg-url "$MARQUEE_PG_URL"
