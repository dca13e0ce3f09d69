# Two jobs at once, and readers during a load.

case_a_second_job_fails_cleanly_after_its_lock_timeout() {
  new_env
  local r1 before out rc=0 started
  r1=$(run_id_of "$(mq run "$WORK/a.csv")")
  before=$(reader_view)
  # Job A holds the lock, paused inside its load transaction.
  PAUSE_SECONDS=20 start_paused load run "$WORK/b.csv"
  started=$SECONDS
  out=$(mq run "$WORK/b.csv" --lock-timeout 1s 2>&1) || rc=$?
  assert_eq "$rc" "1" "exit code of the job that gave up"
  assert_contains "$out" "another marquee job holds the data directory lock" "message"
  assert_contains "$out" "pid $JOB_PID" "names the holder"
  assert_contains "$out" "marquee run $WORK/b.csv" "names the holder's command"
  (( SECONDS - started < 10 )) || fail "waited far longer than --lock-timeout"
  assert_eq "$(reader_view)" "$before" "reader view unchanged while A loads"
  kill -9 "$JOB_PID"
  wait "$JOB_PID" 2>/dev/null || true
  assert_eq "$(reader_view)" "$before" "reader view unchanged after A died"
}

case_a_second_job_waits_for_the_first_and_both_succeed() {
  new_env
  mq run "$WORK/a.csv" >/dev/null
  # Job A pauses 2 s before publishing, holding the lock; job B waits for it.
  PAUSE_SECONDS=2 start_paused publish run "$WORK/a.csv"
  local out_b rc=0
  out_b=$(mq run "$WORK/b.csv" --lock-timeout 30s 2>&1) || rc=$?
  wait "$JOB_PID" || fail "job A failed: $(cat "$JOB_LOG")"
  assert_eq "$rc" "0" "job B: $out_b"
  local a b
  a=$(run_id_of "$(cat "$JOB_LOG")")
  b=$(run_id_of "$out_b")
  # B started its work after A had published: B is the one served now.
  assert_eq "$(sql "SELECT run_id FROM published")" "$b" "last publisher wins"
  assert_eq "$(sql "SELECT status FROM runs WHERE run_id = '$a'")" "loaded" "A loaded"
  assert_eq "$(sql "SELECT generation FROM published")" "3" "three publishes"
  # Nothing corrupted: every live run holds exactly its manifest's rows.
  assert_eq "$(run_counts "$a")" "$(manifest_counts "$DATA/runs/$a")" "A's rows"
  assert_eq "$(run_counts "$b")" "$(manifest_counts "$DATA/runs/$b")" "B's rows"
  if [[ "$BACKEND" == sqlite ]]; then
    assert_eq "$(sql "PRAGMA integrity_check")" "ok" "SQLite integrity"
  fi
}

case_readers_keep_reading_during_a_load() {
  new_env
  local r1 expected
  r1=$(run_id_of "$(mq run "$WORK/a.csv")")
  expected=$(run_sql "$r1" "SELECT COUNT(*) FROM movie WHERE run_id = '$r1'")
  PAUSE_SECONDS=20 start_paused load run "$WORK/b.csv"
  # The loader is loading now (PostgreSQL: inside its write transaction;
  # SQLite: writing the run's file); a reader must not wait.
  local got
  if [[ "$BACKEND" == postgresql ]]; then
    got=$(timeout 5 "$PG_BIN/psql" "$DB" -X -At -c "SELECT COUNT(*) FROM movie WHERE run_id = (SELECT run_id FROM published)") \
      || fail "reader blocked or failed during a load"
  else
    local published
    published=$(timeout 5 sqlite3 "$DATA/marquee.db" "SELECT run_id FROM published") \
      || fail "reader blocked or failed during a load"
    got=$(timeout 5 sqlite3 -readonly "$DATA/marquee.db.runs/$published.sqlite" "SELECT COUNT(*) FROM movie WHERE run_id = '$published'") \
      || fail "reader blocked or failed during a load"
  fi
  assert_eq "$got" "$expected" "reader sees the published run"
  kill -9 "$JOB_PID"
  wait "$JOB_PID" 2>/dev/null || true
}

case_postgres_jobs_on_two_hosts_share_one_lock() {
  [[ "$BACKEND" == postgresql ]] || return 0  # one database shared by two data directories
  new_env
  mq run "$WORK/a.csv" >/dev/null
  PAUSE_SECONDS=20 start_paused load run "$WORK/b.csv"
  # "Another host": its own data directory, the same database.
  local out rc=0
  out=$("$MARQUEE" run "$WORK/b.csv" --data-dir "$WORK/other-host" --db "$DB" --lock-timeout 500ms 2>&1) || rc=$?
  assert_eq "$rc" "1" "exit code"
  assert_contains "$out" "another marquee job holds the job lock of PostgreSQL database" "message"
  assert_contains "$out" "application 'marquee: pid $JOB_PID" "names the holder"
  kill -9 "$JOB_PID"
  wait "$JOB_PID" 2>/dev/null || true
}
