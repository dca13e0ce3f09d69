# Helpers for the storage suites (sourced by run_suite.sh). Every case gets a
# fresh data directory and, on PostgreSQL, a fresh database: new_env sets
#   DATA (data directory), DB (the --db URL; empty for SQLite's default)
# and the functions below act on them.

STORE_TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE_DIR=$(cd "$STORE_TESTS_DIR/../.." && pwd)
CASES_RUN=0

fail() {
  echo "FAIL [${CASE:-?}]: $*" >&2
  exit 1
}

assert_eq() {  # assert_eq ACTUAL EXPECTED WHAT
  if [[ "$1" != "$2" ]]; then
    printf 'FAIL [%s]: %s\n--- expected ---\n%s\n--- actual ---\n%s\n' "${CASE:-?}" "$3" "$2" "$1" >&2
    exit 1
  fi
}

assert_contains() {  # assert_contains TEXT NEEDLE WHAT
  [[ "$1" == *"$2"* ]] || fail "$3: expected to find '$2' in: $1"
}

new_env() {
  ENV_COUNT=$((${ENV_COUNT:-0} + 1))
  DATA="$WORK/env$ENV_COUNT/data"
  mkdir -p "$DATA"
  if [[ "$BACKEND" == postgresql ]]; then
    DB=$(pg_new_database "case$ENV_COUNT")
  else
    DB=""
  fi
}

# The arguments of a marquee command with this case's data directory and database.
mq_args() {
  MQ_ARGS=("$1" --data-dir "$DATA")
  [[ -n "$DB" ]] && MQ_ARGS+=(--db "$DB")
  shift
  MQ_ARGS+=("$@")
}

mq() {
  mq_args "$@"
  "$MARQUEE" "${MQ_ARGS[@]}"
}

# The run id of a successful `marquee run`/`load` output ("run <id> ...", last line).
run_id_of() { tail -n 1 <<<"$1" | awk '{print $2}'; }

# One SQL statement; rows with '|' between columns.
sql() {
  if [[ "$BACKEND" == postgresql ]]; then
    "$PG_BIN/psql" "$DB" -X -q -At -v ON_ERROR_STOP=1 -c "$1"
  else
    sqlite3 -batch -bail "$DATA/marquee.db" "$1"
  fi
}

# One SQL statement over run $1's snapshot tables. On SQLite a run loaded
# since migration V004 is a database file of its own (docs/STORAGE.md), whose
# tables keep run_id as a generated column; PostgreSQL's runs, and older
# SQLite ones, are in the shared tables. A retired run has no file: its rows
# are read from the shared tables, where there are none.
run_sql() {
  local file="$DATA/marquee.db.runs/$1.sqlite"
  if [[ "$BACKEND" == sqlite && -f "$file" ]]; then
    sqlite3 -batch -bail -readonly "$file" "$2"
  else
    sql "$2"
  fi
}

# The columns of table $1 but run_id, in the table's order, comma-separated
# (a SQLite run file has run_id last, the shared tables first).
columns_of() {
  if [[ "$BACKEND" == postgresql ]]; then
    sql "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = '$1' AND column_name <> 'run_id'"
  else
    sql "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('$1') WHERE name <> 'run_id' ORDER BY cid)"
  fi
}

SNAPSHOT_TABLES="movie company genre country language collection movie_company movie_genre movie_country movie_language company_year company_year_genre genre_year"

# A digest of everything a reader sees: the published pointer and every row
# of every table of the published run (rows sorted, so only content counts).
reader_view() {
  sql "SELECT run_id, generation FROM published"
  local t published
  published=$(sql "SELECT run_id FROM published")
  for t in $SNAPSHOT_TABLES; do
    echo "$t $(run_sql "$published" "SELECT * FROM $t WHERE run_id = '$published'" | LC_ALL=C sort | sha256sum)"
  done
}

# Rows of run $1 per table, one "table rows" line each.
run_counts() {
  local t
  for t in $SNAPSHOT_TABLES; do
    echo "$t $(run_sql "$1" "SELECT COUNT(*) FROM $t WHERE run_id = '$1'")"
  done
}

# The same, from a run directory's manifest.
manifest_counts() {
  python3 - "$1/manifest.json" "$SNAPSHOT_TABLES" <<'EOF'
import json, sys
tables = json.load(open(sys.argv[1]))["tables"]
for t in sys.argv[2].split():
    print(t, tables[t]["rows"])
EOF
}

json_field() {  # json_field JSON PYTHON_EXPR (on `d`)
  python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($2)" "$1"
}

# Starts a job in the background that pauses at test hook point $1 (see
# src/job/test_hooks.hpp), waits until it says so, and sets JOB_PID and
# JOB_LOG. Remaining arguments go to `mq`.
start_paused() {
  local point=$1
  shift
  JOB_LOG="$WORK/job-$point-$RANDOM.log"
  mq_args "$@"
  # exec: the background job IS marquee, so JOB_PID is the process to kill.
  (MARQUEE_TEST_PAUSE_AT=$point MARQUEE_TEST_PAUSE_SECONDS=${PAUSE_SECONDS:-60} exec "$MARQUEE" "${MQ_ARGS[@]}" \
    >"$JOB_LOG" 2>&1) &
  JOB_PID=$!
  local i
  for i in $(seq 1 200); do
    grep -q "test pause at $point" "$JOB_LOG" && return 0
    kill -0 "$JOB_PID" 2>/dev/null || { cat "$JOB_LOG" >&2; fail "job ended before pausing at $point"; }
    sleep 0.05
  done
  cat "$JOB_LOG" >&2
  fail "job did not pause at $point"
}

# Runs every function named case_* defined by the sourced suite, in order.
run_cases() {
  local c
  for c in $(declare -F | awk '{print $3}' | grep '^case_'); do
    CASE="$BACKEND/${c#case_}"
    local started=$SECONDS
    "$c"
    echo "ok   $CASE ($((SECONDS - started))s)"
    CASES_RUN=$((CASES_RUN + 1))
  done
}
