# Issue 10, defects 6 and 7: a failed load leaves the data directory as it
# found it, and `marquee load` validates the manifest's own fields.

# A real load failure: a trigger makes the database refuse a write of the load
# transaction, as a full disk does ("database or disk is full") -- the error
# surfaces from the database itself. The trigger sits on the runs row that
# commits the load: PostgreSQL loads into a new partition and attaches it,
# which fires no row trigger of the parent, and SQLite writes the rows into
# the run's own file, which the runs row then makes a run.
add_failing_trigger() {
  if [[ "$BACKEND" == postgresql ]]; then
    sql "CREATE FUNCTION fail_load() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; END \$\$;
         CREATE TRIGGER fail_load BEFORE INSERT ON runs FOR EACH ROW EXECUTE FUNCTION fail_load();"
  else
    sql "CREATE TRIGGER fail_load BEFORE INSERT ON runs BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;"
  fi
}

drop_failing_trigger() {
  if [[ "$BACKEND" == postgresql ]]; then
    sql "DROP TRIGGER fail_load ON runs; DROP FUNCTION fail_load();"
  else
    sql "DROP TRIGGER fail_load;"
  fi
}

case_failed_load_leaves_no_run_directory_and_a_retry_succeeds() {
  new_env
  local out first before
  out=$(mq run "$WORK/a.csv")
  first=$(run_id_of "$out")
  before=$(reader_view)
  add_failing_trigger
  for attempt in 1 2 3; do
    if out=$(mq run "$WORK/b.csv" 2>&1); then fail "attempt $attempt: the load succeeded despite the failing database"; fi
  done
  assert_eq "$(ls "$DATA/runs")" "$first" "runs/ holds only the published run after three failed loads"
  assert_eq "$(ls "$DATA/failed" | wc -l | tr -d ' ')" "3" "one failed/ entry per attempt"
  if [[ "$BACKEND" == sqlite ]]; then
    assert_eq "$(ls "$DATA/marquee.db.runs")" "$first.sqlite" "no run file is left by the failed loads"
  fi
  local failed
  for failed in "$DATA"/failed/*; do
    [[ -d "$failed/tables" ]] && fail "$failed kept its tables"
    [[ -f "$failed/manifest.json" && -f "$failed/errors.jsonl" ]] || fail "$failed lost its diagnostics"
    assert_contains "$(cat "$failed/load_failure.txt")" "$( [[ $BACKEND == postgresql ]] && echo 'No space left' || echo 'disk is full')" "load_failure.txt says why"
  done
  assert_eq "$(reader_view)" "$before" "readers still see the first run"
  drop_failing_trigger
  out=$(mq run "$WORK/b.csv")
  assert_contains "$out" "published run" "the retry succeeds once the cause is gone"
  assert_eq "$(ls "$DATA/runs" | wc -l | tr -d ' ')" "2" "two run directories after the retry"
}

# A copy of a good run directory with manifest.json edited by a Python
# expression over `m` (the parsed manifest); prints the copy's path. The copy
# is named after the run id unless NAME is given.
tampered_copy() {  # tampered_copy RUN_DIR EXPRESSION [NAME]
  local src=$1 expr=$2 name=${3:-$(basename "$1")}
  local dir="$WORK/tampered/$RANDOM$RANDOM/$name"
  mkdir -p "$(dirname "$dir")"
  cp -r "$src" "$dir"
  python3 - "$dir/manifest.json" "$expr" <<'PY'
import json, sys
path, expr = sys.argv[1], sys.argv[2]
m = json.load(open(path))
exec(expr)
json.dump(m, open(path, "w"), indent=2)
PY
  echo "$dir"
}

expect_load_refused() {  # expect_load_refused DIR FIELD_TEXT WHAT
  local out rc=0
  out=$(mq load "$1" 2>&1) || rc=$?
  assert_eq "$rc" "2" "$3: exit code"
  assert_contains "$out" "$2" "$3: message names the field"
}

case_load_validates_every_manifest_field() {
  new_env
  local out run dir
  out=$(mq run "$WORK/a.csv" --no-publish)
  run=$(run_id_of "$out")
  local good="$DATA/runs/$run"
  new_env  # load into a fresh data directory and database
  local before
  expect_load_refused "$(tampered_copy "$good" 'm["schema_version"] = 999')" 'field "schema_version" is 999' "schema_version 999"
  expect_load_refused "$(tampered_copy "$good" 'm["schema_version"] = "1"')" 'field "schema_version" is not an integer' "schema_version \"1\""
  expect_load_refused "$(tampered_copy "$good" 'm["format"] = "orc"')" 'field "format"' "format orc"
  expect_load_refused "$(tampered_copy "$good" 'm["created_at"] = "garbage"')" 'field "created_at"' "created_at garbage"
  expect_load_refused "$(tampered_copy "$good" 'm["created_at"] = "2023-02-29T12:00:00.000Z"')" "'2023-02-29' is not a date in the calendar" "created_at 29 February of a common year"
  expect_load_refused "$(tampered_copy "$good" 'm["counts"]["rejected"] += 1')" 'records_read = movies_kept + rejected + duplicates' "count identity"
  expect_load_refused "$(tampered_copy "$good" 'm["counts"]["movies_kept"] = -1')" 'field "counts.movies_kept"' "negative count"
  expect_load_refused "$(tampered_copy "$good" 'm["tables"]["extra"] = {"file": "tables/movie.parquet", "rows": 1}')" 'field "tables.extra"' "extra table"
  expect_load_refused "$(tampered_copy "$good" 'm["tables"]["genre"]["file"] = "tables/movie.parquet"')" 'field "tables.genre.file"' "table pointing at another file"
  expect_load_refused "$(tampered_copy "$good" 'm["input"]["sha256"] = "xyz"')" 'field "input.sha256"' "input sha256"
  expect_load_refused "$(tampered_copy "$good" 'm["max_reject_ratio"] = 7')" 'field "max_reject_ratio"' "ratio"
  expect_load_refused "$(tampered_copy "$good" 'm["surprise"] = 1')" 'field "surprise"' "unknown key"
  expect_load_refused "$(tampered_copy "$good" 'pass' "20200101T000000Z-abcdef")" "but the directory is named '20200101T000000Z-abcdef'" "run id vs directory name"
  expect_load_refused "$(tampered_copy "$good" 'del m["counts"]["duplicates"]')" 'field "counts.duplicates" is missing' "missing count"
  # Nothing of the above reached the database or the data directory.
  assert_eq "$(ls "$DATA/runs" 2>/dev/null | wc -l | tr -d ' ')" "0" "no run directory"
  if [[ -z "$DB" && -f "$DATA/marquee.db" ]] || [[ -n "$DB" ]]; then
    assert_eq "$(sql "SELECT COUNT(*) FROM runs" 2>/dev/null || echo 0)" "0" "no run in the database"
  fi
  # The untouched copy loads.
  out=$(mq load "$(tampered_copy "$good" 'pass')" --publish)
  assert_contains "$out" "published run $run" "the good manifest loads"
}

# Configuration is untrusted too: a bad MARQUEE_PG_LOAD_CONNECTIONS stops a
# PostgreSQL run before its transform (exit 2, naming the variable), and a
# SQLite store, which has no use for it, ignores it.
case_bad_load_connections_setting_is_refused_up_front() {
  new_env
  local out value
  for value in abc 0 17 4x +4 " 4"; do
    if out=$(MARQUEE_PG_LOAD_CONNECTIONS=$value mq run "$WORK/a.csv" 2>&1); then
      [[ "$BACKEND" == sqlite ]] || fail "MARQUEE_PG_LOAD_CONNECTIONS=$value was accepted"
    else
      local code=$?
      [[ "$BACKEND" == postgresql ]] || fail "SQLite refused MARQUEE_PG_LOAD_CONNECTIONS=$value: $out"
      assert_eq "$code" "2" "exit code for MARQUEE_PG_LOAD_CONNECTIONS=$value"
      assert_contains "$out" "MARQUEE_PG_LOAD_CONNECTIONS must be a whole number from 1 to 16 (got '$value')" "the error names the variable"
      assert_eq "$(ls "$DATA/runs" 2>/dev/null | wc -l | tr -d ' ')" "0" "no run was transformed"
    fi
  done
  out=$(MARQUEE_PG_LOAD_CONNECTIONS=1 mq run "$WORK/a.csv")
  assert_contains "$out" "published run" "one session loads"
}
