# Migrations, load + publish + read back, double load, backfill from archived
# artifacts, tampering, rollback and roll forward, retention.

case_migrations_applied_in_order_recorded_and_tamper_refused() {
  new_env
  local out
  out=$(mq migrate)
  assert_contains "$out" "applied V001__init.sql" "first migrate"
  out=$(mq migrate)
  # The newest of the binary's own migrations (sql/migrations/BACKEND/V<n>__*.sql).
  local newest
  newest=$(ls "$SOURCE_DIR/sql/migrations/$BACKEND" | sed -n 's/^V0*\([0-9]*\)__.*/\1/p' | sort -n | tail -1)
  assert_contains "$out" "schema at version $newest (up to date)" "second migrate"
  # The recorded checksum is the file's sha256 (computed here by sha256sum).
  local expected
  expected=$(sha256sum "$SOURCE_DIR/sql/migrations/$BACKEND/V001__init.sql" | cut -d' ' -f1)
  assert_eq "$(sql "SELECT version, name, checksum FROM schema_migrations WHERE version = 1")" "1|V001__init.sql|$expected" \
    "schema_migrations row"

  # Test hook MARQUEE_TEST_MIGRATIONS_DIR: the binary's own migrations plus a
  # V098 and a V099 (numbers far above the real ones).
  local dir="$WORK/migrations-$BACKEND"
  mkdir -p "$dir"
  cp "$SOURCE_DIR"/sql/migrations/$BACKEND/V*.sql "$dir/"
  echo "CREATE TABLE extra_three (n INTEGER); INSERT INTO extra_three SELECT COUNT(*) FROM extra_two;" >"$dir/V099__three.sql"
  echo "CREATE TABLE extra_two (n INTEGER); INSERT INTO extra_two VALUES (7);" >"$dir/V098__two.sql"
  out=$(MARQUEE_TEST_MIGRATIONS_DIR=$dir mq migrate)
  assert_eq "$out" $'applied V098__two.sql\napplied V099__three.sql\nschema at version 99' "pending ones, in order"
  assert_eq "$(sql "SELECT n FROM extra_three")" "1" "V099 ran after V098"
  assert_eq "$(sql "SELECT version FROM schema_migrations WHERE version > $newest ORDER BY version" | tr '\n' ' ')" "98 99 " "recorded"

  # An applied migration that changed is refused, by name; nothing runs.
  echo "-- edited after it was applied" >>"$dir/V098__two.sql"
  echo "CREATE TABLE extra_four (n INTEGER);" >"$dir/V100__four.sql"
  if out=$(MARQUEE_TEST_MIGRATIONS_DIR=$dir mq migrate 2>&1); then fail "a changed migration was accepted"; fi
  assert_contains "$out" "migration V098__two.sql (version 98)" "checksum error names the file"
  if sql "SELECT * FROM extra_four" >/dev/null 2>&1; then fail "V100 ran despite the checksum error"; fi
  # The binary's own migrations now miss versions 98-99 the database has: refused too.
  if out=$(mq run "$WORK/a.csv" 2>&1); then fail "ran against a database newer than the binary"; fi
  assert_contains "$out" "has migration 98 (V098__two.sql) applied, which this marquee does not have" "unknown applied migration named"
}

case_run_loads_publishes_and_reads_back_equal_to_the_artifacts() {
  new_env
  local out run
  out=$(mq run "$WORK/a.csv")
  run=$(run_id_of "$out")
  assert_contains "$out" "published run $run (generation 1)" "run output"
  [[ -f "$DATA/runs/$run/tables/movie.parquet" ]] || fail "no run directory"
  assert_eq "$(run_counts "$run")" "$(manifest_counts "$DATA/runs/$run")" "row counts = manifest"
  assert_eq "$(sql "SELECT run_id, status FROM runs")" "$run|published" "runs"
  assert_eq "$(sql "SELECT run_id, generation FROM published")" "$run|1" "pointer"
  # Every value, against `marquee etl --format csv` of the same input (the
  # CSV writer is independent of the Parquet writer, reader and loaders).
  "$MARQUEE" etl "$WORK/a.csv" --out "$WORK/a-csv" --format csv >/dev/null
  if [[ "$BACKEND" == postgresql ]]; then
    python3 "$STORE_TESTS_DIR/compare_db.py" --csv-dir "$WORK/a-csv/tables" --run "$run" --psql "$PG_BIN/psql" --pg-url "$DB"
  else
    python3 "$STORE_TESTS_DIR/compare_db.py" --csv-dir "$WORK/a-csv/tables" --run "$run" --sqlite "$DATA/marquee.db"
  fi
  # The list shows it, marked published, with its movie count.
  local movies
  movies=$(run_sql "$run" "SELECT COUNT(*) FROM movie WHERE run_id = '$run'")
  out=$(mq runs)
  assert_contains "$out" "* $run  published" "runs listing"
  assert_contains "$out" "$movies" "runs listing counts"
  [[ -z "$(ls -A "$DATA/runs" | grep staging || true)" ]] || fail "staging left behind"
}

case_loading_the_same_run_twice_is_refused_and_duplicates_nothing() {
  new_env
  local out run before
  run=$(run_id_of "$(mq run "$WORK/a.csv")")
  before=$(run_counts "$run")
  if out=$(mq load "$DATA/runs/$run" 2>&1); then fail "second load accepted"; fi
  assert_contains "$out" "run $run is already loaded (status published)" "refusal message"
  # From an archived copy elsewhere: refused the same way.
  mkdir -p "$WORK/archived" && cp -r "$DATA/runs/$run" "$WORK/archived/$run"
  if out=$(mq load "$WORK/archived/$run" 2>&1); then fail "load of a copy accepted"; fi
  assert_contains "$out" "already loaded" "refusal message (copy)"
  assert_eq "$(run_counts "$run")" "$before" "no duplicated rows"
  assert_eq "$(sql "SELECT COUNT(*) FROM runs")" "1" "one run"
}

case_backfill_from_archived_artifacts_checks_checksums_first() {
  new_env
  local run archive
  run=$(run_id_of "$(mq run "$WORK/a.csv")")
  archive="$WORK/archive"
  mkdir -p "$archive"
  cp -r "$DATA/runs/$run" "$archive/"
  # A tampered copy (one byte of one table changed) is refused by name.
  mkdir -p "$WORK/tampered" && cp -r "$archive/$run" "$WORK/tampered/$run"
  python3 - "$WORK/tampered/$run/tables/genre_year.parquet" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= 0xFF
open(p, "wb").write(b)
EOF
  new_env  # a fresh database and data directory: a restore
  local out
  if out=$(mq load "$WORK/tampered/$run" 2>&1); then fail "tampered run loaded"; fi
  assert_contains "$out" "tables/genre_year.parquet does not match its manifest" "names the file"
  assert_eq "$(mq runs)" "no runs yet" "nothing loaded"
  [[ ! -e "$DATA/runs/$run" ]] || fail "tampered run copied into the data directory"
  # The intact archive loads and publishes, equal to the original.
  out=$(mq load "$archive/$run" --publish)
  assert_contains "$out" "run $run loaded and published" "load output"
  assert_eq "$(run_counts "$run")" "$(manifest_counts "$archive/$run")" "rows"
  [[ -f "$DATA/runs/$run/manifest.json" ]] || fail "run directory not copied in"
  diff -r "$archive/$run" "$DATA/runs/$run" >/dev/null || fail "copy differs from the archive"
}

case_publish_rolls_back_and_forward() {
  new_env
  local r1 r2 view1 view2 out
  r1=$(run_id_of "$(mq run "$WORK/a.csv")")
  view1=$(reader_view | tail -n +2)  # rows only, not the pointer
  r2=$(run_id_of "$(mq run "$WORK/b.csv")")
  view2=$(reader_view | tail -n +2)
  [[ "$view1" != "$view2" ]] || fail "the two runs look the same"
  out=$(mq publish "$r1")
  assert_eq "$out" "published run $r1 (generation 3)" "rollback"
  assert_eq "$(reader_view | tail -n +2)" "$view1" "rollback serves r1's rows"
  assert_eq "$(sql "SELECT run_id, status FROM runs ORDER BY loaded_at" | tr '\n' ' ')" "$r1|published $r2|loaded " "statuses"
  mq publish "$r2" >/dev/null
  assert_eq "$(reader_view | tail -n +2)" "$view2" "roll forward serves r2's rows"
  assert_eq "$(sql "SELECT generation FROM published")" "4" "generation"
  if out=$(mq publish no-such-run 2>&1); then fail "published an unknown run"; fi
  assert_contains "$out" "no run no-such-run" "unknown run named"
}

case_retention_keeps_n_runs_and_never_the_published_one() {
  new_env
  local ids=() i out
  for i in 1 2 3; do ids+=("$(run_id_of "$(mq run "$WORK/a.csv" --keep 2)")"); done
  # After the third run: the 2 newest kept, the first retired (rows and directory gone).
  assert_eq "$(sql "SELECT status FROM runs WHERE run_id = '${ids[0]}'")" "retired" "oldest retired"
  assert_eq "$(run_counts "${ids[0]}" | awk '{s += $2} END {print s}')" "0" "retired rows dropped"
  [[ ! -e "$DATA/runs/${ids[0]}" ]] || fail "retired run directory kept"
  [[ -d "$DATA/runs/${ids[1]}" && -d "$DATA/runs/${ids[2]}" ]] || fail "kept run directories missing"
  # Roll back to ids[1], then run with --keep 1: the new run and the
  # published ids[1] stay; ids[2] goes.
  mq publish "${ids[1]}" >/dev/null
  out=$(mq run "$WORK/b.csv" --keep 1 --no-publish)
  local r4
  r4=$(run_id_of "$out")
  assert_contains "$out" "retired run ${ids[2]}" "retirement reported"
  assert_eq "$(sql "SELECT run_id, status FROM runs WHERE status <> 'retired' ORDER BY loaded_at" | tr '\n' ' ')" \
    "${ids[1]}|published $r4|loaded " "kept: the newest and the published"
  assert_eq "$(sql "SELECT run_id FROM published")" "${ids[1]}" "still serving the rolled-back run"
  assert_eq "$(run_counts "${ids[1]}")" "$(manifest_counts "$DATA/runs/${ids[1]}")" "published rows intact"
  # A retired run cannot be published; its history row stays.
  if out=$(mq publish "${ids[0]}" 2>&1); then fail "published a retired run"; fi
  assert_contains "$out" "is retired" "retired refusal"
  if [[ "$BACKEND" == postgresql ]]; then
    assert_eq "$(sql "SELECT COUNT(*) FROM pg_class WHERE relname LIKE '%:${ids[0]}'")" "0" "partitions dropped"
    assert_eq "$(sql "SELECT COUNT(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relkind = 'r' AND c.relname LIKE 'movie:%'")" \
      "2" "one movie partition per live run"
  fi
}

case_failed_transform_loads_nothing() {
  new_env
  local r1 before out
  r1=$(run_id_of "$(mq run "$WORK/a.csv")")
  before=$(reader_view)
  # A file whose every record is rejected (ids not positive integers).
  python3 - "$WORK/a.csv" "$WORK/bad.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
header, body = rows[0], rows[1:50]
i = header.index("id")
for r in body:
    r[i] = "x" + r[i]
w = csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8"))
w.writerow(header)
w.writerows(body)
EOF
  local rc=0
  out=$(mq run "$WORK/bad.csv" 2>&1) || rc=$?
  assert_eq "$rc" "1" "exit code of a failed transform"
  assert_contains "$out" "nothing was loaded" "message"
  assert_eq "$(reader_view)" "$before" "reader view unchanged"
  assert_eq "$(sql "SELECT COUNT(*) FROM runs")" "1" "no new run"
  [[ -n "$(ls "$DATA/failed")" ]] || fail "failed run's errors not kept"
  [[ -s "$(ls -d "$DATA"/failed/*)/errors.jsonl" ]] || fail "errors.jsonl empty"
}
