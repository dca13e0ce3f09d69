#!/usr/bin/env bash
# Runs one API suite against one backend with the real `marquee`.
#   run_suite.sh BACKEND SUITE MARQUEE [API_UNIT_TEST]
# BACKEND: sqlite | postgresql (a real PostgreSQL 15 is started for the suite
# and removed afterwards: tests/lib/postgres.sh). SUITE: endpoints | jwt |
# publish | redis (tests/api/suite_<SUITE>.py), or unit: the gtest binary
# API_UNIT_TEST (src/api tests) against PostgreSQL. Exit 77 (skipped, saying
# why) when PostgreSQL or redis-server is not installed.
set -euo pipefail
BACKEND=$1 SUITE=$2 MARQUEE=$3 API_UNIT_TEST=${4:-}
HERE=$(cd "$(dirname "$0")" && pwd)
SOURCE_DIR=$(cd "$HERE/../.." && pwd)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/marquee-api-$BACKEND-$SUITE.XXXXXX")
cleanup() {
  [[ "$BACKEND" == postgresql ]] && pg_stop
  rm -rf "$WORK"
}
trap cleanup EXIT

if [[ "$SUITE" == redis ]] && ! command -v redis-server >/dev/null; then
  echo "SKIPPED: redis-server is not installed (Debian package redis-server)" >&2
  exit 77
fi

DB_ARGS=()
if [[ "$BACKEND" == postgresql ]]; then
  source "$SOURCE_DIR/tests/lib/postgres.sh"
  PG_NO_TRAP=1 pg_start
  # Lets a suite stop the server under the API (the database-down cases).
  cat >"$WORK/db_stop.sh" <<EOS
#!/usr/bin/env bash
$(declare -f _pg_as_owner)
_pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null
EOS
  chmod +x "$WORK/db_stop.sh"
  DB_ARGS=(--db-url "$MARQUEE_PG_URL" --empty-db-url "$(pg_new_database empty)" --db-stop-script "$WORK/db_stop.sh")
fi

if [[ "$SUITE" == unit ]]; then
  MARQUEE_TEST_PG_URL=$MARQUEE_PG_URL "$API_UNIT_TEST" --gtest_filter='*postgresql*' --gtest_brief=1
  exit 0
fi

python3 "$HERE/suite_$SUITE.py" --marquee "$MARQUEE" --backend "$BACKEND" --work "$WORK" \
  --source-dir "$SOURCE_DIR" "${DB_ARGS[@]}"
