# kill -9 during transform, Parquet writing, load, and just before publishing:
# each time the published run and every table a reader sees are unchanged,
# and the next job succeeds and cleans up what the killed one left.

crash_at() {  # crash_at POINT
  local point=$1
  new_env
  local r1 before killed
  r1=$(run_id_of "$(mq run "$WORK/a.csv")")
  before=$(reader_view)
  start_paused "$point" run "$WORK/b.csv"
  kill -9 "$JOB_PID"
  wait "$JOB_PID" 2>/dev/null || true
  assert_eq "$(reader_view)" "$before" "reader view after kill -9 at $point"
  assert_eq "$(sql "SELECT run_id, status FROM runs WHERE status = 'published'")" "$r1|published" "published run"

  # What the killed job left: a staging directory (transform, parquet) or a
  # complete run directory (load, publish); the database holds its run only
  # if the load committed (publish).
  killed=$(ls -a "$DATA/runs" | grep -v -e '^\.\.\?$' -e "^$r1$" | sed 's/^\.staging-//')
  [[ -n "$killed" ]] || fail "the killed job left no trace to clean up at $point"
  case $point in
    transform | parquet)
      [[ -d "$DATA/runs/.staging-$killed" ]] || fail "expected a staging directory at $point" ;;
    load)
      assert_eq "$(run_counts "$killed" | awk '{s += $2} END {print s}')" "0" "no rows of the killed load"
      assert_eq "$(sql "SELECT COUNT(*) FROM runs WHERE run_id = '$killed'")" "0" "no run row of the killed load" ;;
    publish)
      assert_eq "$(sql "SELECT status FROM runs WHERE run_id = '$killed'")" "loaded" "killed before publishing" ;;
  esac
  if [[ "$BACKEND" == postgresql && "$point" == load ]]; then
    # Its tables are copied on several sessions, each committing a plain
    # table; only the last transaction attaches them. None is a partition.
    assert_eq "$(sql "SELECT COUNT(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                      WHERE c.relname LIKE '%:$killed'")" "0" "no partition of the killed load is attached"
  fi
  if [[ "$BACKEND" == sqlite && "$point" == load ]]; then
    # Killed while writing its run file, not yet named as a run's.
    [[ $(ls "$DATA/marquee.db.runs" | grep -c "^$killed.sqlite.loading-") -ge 1 ]] || fail "the killed load left no unfinished file"
  fi

  # The next job succeeds, cleans up, and is served.
  local out r3
  out=$(mq run "$WORK/b.csv")
  r3=$(run_id_of "$out")
  assert_eq "$(sql "SELECT run_id FROM published")" "$r3" "next job published"
  assert_eq "$(run_counts "$r3")" "$(manifest_counts "$DATA/runs/$r3")" "next job's rows"
  [[ -z "$(ls -a "$DATA/runs" | grep staging || true)" ]] || fail "stale staging not cleaned after $point"
  case $point in
    transform | parquet) assert_contains "$out" "removed stale staging directory" "cleanup reported" ;;
    load) [[ ! -e "$DATA/runs/$killed" ]] || fail "never-loaded run directory kept after $point" ;;
    publish) [[ -d "$DATA/runs/$killed" ]] || fail "the loaded (unpublished) run's directory was removed" ;;
  esac
  if [[ "$point" == load ]]; then
    # The next job dropped what the killed load had written.
    if [[ "$BACKEND" == postgresql ]]; then
      assert_eq "$(sql "SELECT COUNT(*) FROM pg_class WHERE relname LIKE '%:$killed'")" "0" "no table of the killed load left"
    else
      assert_eq "$(ls "$DATA/marquee.db.runs" | grep -c "^$killed" || true)" "0" "no file of the killed load left"
    fi
  fi
  if [[ "$BACKEND" == sqlite ]]; then
    assert_eq "$(sql "PRAGMA integrity_check")" "ok" "SQLite integrity after kill at $point"
    assert_eq "$(run_sql "$r3" "PRAGMA integrity_check")" "ok" "the next run's file is sound after kill at $point"
  fi
}

case_kill_during_transform() { crash_at transform; }
case_kill_during_parquet_writing() { crash_at parquet; }
case_kill_during_load() { crash_at load; }
case_kill_just_before_publishing() { crash_at publish; }
