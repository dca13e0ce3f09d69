# Corrections: `marquee run CORRECTIONS.csv --base published|RUN_ID
# [--delete-ids FILE]` makes a new full snapshot. Checked against figures
# worked out by hand, and against a full run of the input edited the same way.

# Every table of run $1 without its run_id column, rows sorted.
run_content() {
  local t
  for t in $SNAPSHOT_TABLES; do
    echo "== $t"
    if [[ $t == movie ]]; then
      # Without the lineage columns (the last two): a corrected run traces base
      # movies to the base input and corrected ones to the corrections file,
      # where a full run traces all to its one input (docs/DATA_MODEL.md).
      run_sql "$1" "SELECT $(columns_of $t) FROM $t WHERE run_id = '$1'" | rev | cut -d'|' -f3- | rev | LC_ALL=C sort
      continue
    fi
    run_sql "$1" "SELECT $(columns_of $t) FROM $t WHERE run_id = '$1'" | LC_ALL=C sort
  done
}

case_hand_made_corrections_give_the_hand_computed_figures() {
  new_env
  # Base: 4 movies. Genres Drama 18, Comedy 35; companies A 10, B 11.
  python3 "$STORE_TESTS_DIR/make_movies_csv.py" "$WORK/base.csv" <<'EOF'
1 | 2000-06-01 | 100 | 300 | 2.0 | 18:Drama         | 10:A
2 | 2000-07-01 |  50 |   0 | 4.0 | 18:Drama,35:Comedy | 10:A,11:B
3 | 2001-03-01 |   0 | 500 | 1.0 | 35:Comedy        | 11:B
5 | 2001-05-05 |  20 |  30 | 0.5 | 35:Comedy        | 10:A
EOF
  # Corrections: 2 changes (Comedy only, B only, new money); 4 is new (company C 12).
  python3 "$STORE_TESTS_DIR/make_movies_csv.py" "$WORK/fix.csv" <<'EOF'
2 | 2000-07-01 |  60 | 200 | 5.0 | 35:Comedy | 11:B
4 | 2001-01-01 |  10 |  40 | 3.0 | 18:Drama  | 12:C
EOF
  printf '# 3 is withdrawn; 99 does not exist\n3\n99\n' >"$WORK/delete.txt"
  local base fix out
  base=$(run_id_of "$(mq run "$WORK/base.csv")")
  out=$(mq run "$WORK/fix.csv" --base published --delete-ids "$WORK/delete.txt")
  fix=$(run_id_of "$out")
  assert_contains "$out" "corrections on run $base: 4 base movies, 1 replaced, 1 added, 1 deleted (1 delete ids not found) -> 4 movies" "summary"
  assert_eq "$(sql "SELECT run_id FROM published")" "$fix" "the corrected snapshot is published"
  assert_eq "$(run_sql "$fix" "SELECT id, budget, revenue FROM movie WHERE run_id = '$fix' ORDER BY id" | tr '\n' ' ')" \
    "1|100|300 2|60|200 4|10|40 5|20|30 " "movies"
  assert_eq "$(run_sql "$fix" "SELECT movie_id, genre_id FROM movie_genre WHERE run_id = '$fix' ORDER BY movie_id, genre_id" | tr '\n' ' ')" \
    "1|18 2|35 4|18 5|35 " "genres follow the corrected movie"
  # genre_year by hand (genre|year|movies|budget|revenue|profit|rank):
  #  Drama 2000: movie 1 -> 100, 300, 200; rank 2 (popularity 2.0 < Comedy's 5.0)
  #  Drama 2001: movie 4 -> 10, 40, 30; rank 1 (3.0 > 0.5)
  #  Comedy 2000: corrected 2 -> 60, 200, 140; rank 1
  #  Comedy 2001: movie 5 only (3 deleted) -> 20, 30, 10; rank 2
  assert_eq "$(run_sql "$fix" "SELECT genre_id, year, movie_count, budget, revenue, profit, rank_by_popularity_total
                    FROM genre_year WHERE run_id = '$fix' ORDER BY genre_id, year")" \
    $'18|2000|1|100|300|200|2\n18|2001|1|10|40|30|1\n35|2000|1|60|200|140|1\n35|2001|1|20|30|10|2' "genre_year"
  # company_year by hand: A 2000 = movie 1; A 2001 = movie 5; B 2000 = corrected 2;
  # B 2001 only had the deleted 3: gone; C 2001 = new 4.
  assert_eq "$(run_sql "$fix" "SELECT company_id, year, company_name, movie_count, budget, revenue, profit
                    FROM company_year WHERE run_id = '$fix' ORDER BY company_id, year")" \
    $'10|2000|A|1|100|300|200\n10|2001|A|1|20|30|10\n11|2000|B|1|60|200|140\n12|2001|C|1|10|40|30' "company_year"
  assert_eq "$(run_sql "$fix" "SELECT id, name FROM company WHERE run_id = '$fix' ORDER BY id" | tr '\n' ' ')" \
    "10|A 11|B 12|C " "company dimension"
  # The base run is untouched: Comedy 2001 still has movies 3 and 5
  # (budget 20: only 5 has one; revenue 500 + 30; profit only 5: 10).
  assert_eq "$(run_sql "$base" "SELECT movie_count, budget, revenue, profit FROM genre_year
                    WHERE run_id = '$base' AND genre_id = 35 AND year = 2001")" "2|20|530|10" "base unchanged"
  # The manifest records the composition.
  local corrections
  corrections=$(python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['corrections']; print(c['base_run_id'], c['replaced'], c['added'], c['deleted'], c['movies'])" "$DATA/runs/$fix/manifest.json")
  assert_eq "$corrections" "$base 1 1 1 4" "manifest corrections"

  # The same result as a full run of the base input edited by hand: 2
  # replaced in place, 3 cut, 4 appended.
  python3 "$STORE_TESTS_DIR/make_movies_csv.py" "$WORK/edited.csv" <<'EOF'
1 | 2000-06-01 | 100 | 300 | 2.0 | 18:Drama  | 10:A
2 | 2000-07-01 |  60 | 200 | 5.0 | 35:Comedy | 11:B
5 | 2001-05-05 |  20 |  30 | 0.5 | 35:Comedy | 10:A
4 | 2001-01-01 |  10 |  40 | 3.0 | 18:Drama  | 12:C
EOF
  local full
  full=$(run_id_of "$(mq run "$WORK/edited.csv" --no-publish)")
  assert_eq "$(run_content "$fix")" "$(run_content "$full")" "corrections = full run of the edited input"
}

case_generated_corrections_equal_a_full_run_of_the_edited_input() {
  new_env
  # From generated data: 20 movies changed (money, popularity, genres), 16
  # deleted (one of them also corrected: deletion wins), 5 new ones, one
  # correction listed twice (the first wins); the edited input applies the
  # same changes to the base file in place.
  python3 - "$WORK/a.csv" "$WORK/b.csv" "$WORK" <<'EOF'
import csv, sys
a_path, b_path, out = sys.argv[1:4]
read = lambda p: list(csv.reader(open(p, newline="", encoding="utf-8")))
a, b = read(a_path), read(b_path)
header, rows = a[0], a[1:]
ID, BUDGET, REVENUE, POP, GENRES = (header.index(c) for c in ("id", "budget", "revenue", "popularity", "genres"))
ids = []
for r in rows:
    if r[ID] not in ids:
        ids.append(r[ID])
replaced = ids[::30]
deleted = [i for i in ids[5::37] if i not in replaced] + [replaced[3]]
first = {}
for r in rows:
    first.setdefault(r[ID], r)
fixes = []
for i in replaced:
    r = list(first[i])
    r[BUDGET] = str(int(r[BUDGET]) + 1000)
    r[REVENUE] = "0" if r[REVENUE] not in ("0", "") else "12345"
    r[POP] = "9.5"
    r[GENRES] = "[]"
    fixes.append(r)
new = []
for r in b[1:]:
    if r[ID] not in first and r[ID] not in [n[ID] for n in new]:
        new.append(r)
    if len(new) == 5:
        break
twice = list(fixes[1]); twice[BUDGET] = "777"  # a later duplicate: ignored
corrections = new[:2] + fixes + new[2:] + [twice]
w = lambda p, rs: csv.writer(open(p, "w", newline="", encoding="utf-8"), lineterminator="\r\n").writerows([header] + rs)
w(out + "/gen-fix.csv", corrections)
open(out + "/gen-delete.txt", "w").write("\n".join(deleted) + "\n")
fix_of = {f[ID]: f for f in fixes}
edited, done = [], set()
for r in rows:
    if r[ID] in deleted:
        continue
    if r[ID] in fix_of and r[ID] not in done:
        edited.append(fix_of[r[ID]])
        done.add(r[ID])
    else:
        edited.append(r)
edited += [n for n in new[:2] + new[2:]]
w(out + "/gen-edited.csv", edited)
open(out + "/gen-expected.txt", "w").write("%d %d %d %d\n" % (len(replaced) - 1, len(new), len(deleted), len(ids) - len(deleted) + len(new)))
EOF
  local base fix full out expected
  base=$(run_id_of "$(mq run "$WORK/a.csv")")
  out=$(mq run "$WORK/gen-fix.csv" --base "$base" --delete-ids "$WORK/gen-delete.txt")
  fix=$(run_id_of "$out")
  read -r replaced added deleted movies <"$WORK/gen-expected.txt"
  assert_contains "$out" "$replaced replaced, $added added, $deleted deleted (0 delete ids not found) -> $movies movies" "summary"
  assert_contains "$out" ", 1 duplicates" "the repeated correction is a duplicate"
  full=$(run_id_of "$(mq run "$WORK/gen-edited.csv" --no-publish)")
  assert_eq "$(run_sql "$fix" "SELECT COUNT(*) FROM movie WHERE run_id = '$fix'")" "$movies" "movie count"
  assert_eq "$(run_content "$fix")" "$(run_content "$full")" "corrections = full run of the edited input"
  # Corrections on top of the corrected run (base = published) chain.
  out=$(mq run "$WORK/gen-fix.csv" --base published)
  assert_contains "$out" "corrections on run $fix" "base published = the corrected run"
}

case_corrections_refuse_bad_arguments() {
  new_env
  local out rc
  mq run "$WORK/a.csv" >/dev/null
  rc=0; out=$(mq run "$WORK/b.csv" --base no-such-run 2>&1) || rc=$?
  assert_eq "$rc" "2" "unknown base exit code"
  assert_contains "$out" "--base no-such-run: no run directory" "unknown base"
  rc=0; out=$(mq run "$WORK/b.csv" --delete-ids "$WORK/a.csv" 2>&1) || rc=$?
  assert_eq "$rc" "2" "--delete-ids without --base"
  assert_contains "$out" "give --base too" "--delete-ids without --base"
  printf '12\nnot-an-id\n' >"$WORK/bad-ids.txt"
  rc=0; out=$(mq run "$WORK/b.csv" --base published --delete-ids "$WORK/bad-ids.txt" 2>&1) || rc=$?
  assert_eq "$rc" "2" "bad delete ids exit code"
  assert_contains "$out" "$WORK/bad-ids.txt:2: 'not-an-id'" "bad delete id named"
  assert_eq "$(sql "SELECT COUNT(*) FROM runs")" "1" "nothing loaded by refused runs"
  [[ -z "$(ls -a "$DATA/runs" | grep staging || true)" ]] || fail "staging left by a refused run"
}
