#!/usr/bin/env bash
# Proves the checker itself on DuckDB-written Parquet files, before and
# independently of Marquee's writer:
#   selftest.sh positive WORK_DIR   identical data must pass check_dir.sh
#   selftest.sh negative WORK_DIR   each deliberate alteration must be caught,
#                                   naming the right row and column
# WORK_DIR is emptied first and removed at the end (unless MARQUEE_KEEP_TMP=1).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode=${1:?usage: selftest.sh positive|negative WORK_DIR}
work=${2:?usage: selftest.sh positive|negative WORK_DIR}

rm -rf "$work"
mkdir -p "$work"
[[ "${MARQUEE_KEEP_TMP:-}" == 1 ]] || trap 'rm -rf "$work"' EXIT

"$here/install.sh"
node "$here/make_fixtures.mjs" "$work/base"
base=$work/base

# DuckDB writes neither STRING nor DATE logical types, so its files are checked
# in lenient footer mode (statistics that are present must still be right).
check() { "$here/check_dir.sh" --footer lenient "$@"; }

positive() {
  # A sidecar with the right types must pass too.
  echo '{"id":"int32","big":"int64","score":"double","flag":"boolean","title":"string","released":"date"}' \
    >"$base/csv/edge_cases_zstd.types.json"
  check "$base/csv" "$base/parquet"
}

# ---- negative cases ----------------------------------------------------------
failures=0
cases=0

# Copies the named tables of the base fixtures into a fresh case directory.
new_case() {
  case_dir=$work/case
  rm -rf "$case_dir"
  mkdir -p "$case_dir/csv" "$case_dir/parquet"
  local name
  for name in "$@"; do
    cp "$base/csv/$name.csv" "$case_dir/csv/"
    cp "$base/parquet/$name.parquet" "$case_dir/parquet/"
  done
}

# expect_caught DESCRIPTION REGEX [check_dir options]: the check must fail
# and its report must match REGEX (so it names the right place).
expect_caught() {
  local description=$1 pattern=$2
  shift 2
  local output status=0
  cases=$((cases + 1))
  output=$("$here/check_dir.sh" "$@" "$case_dir/csv" "$case_dir/parquet" 2>&1) || status=$?
  if ((status == 0)); then
    echo "NOT CAUGHT: $description (check_dir.sh passed)"
    failures=$((failures + 1))
  elif ! grep -Eq -- "$pattern" <<<"$output"; then
    echo "CAUGHT WRONGLY: $description: no line matches /$pattern/ in:"
    sed 's/^/    /' <<<"$output"
    failures=$((failures + 1))
  else
    echo "caught: $description"
  fi
}

# edit_csv TABLE SED_SCRIPT: alters the case's CSV in place. The hand-written
# fixture has CRLF line ends, and its row 5 spans lines 6-7 (a quoted CRLF).
edit_csv() { sed -i "$2" "$case_dir/csv/$1.csv"; }

negative() {
  local t=edge_cases_zstd

  new_case $t; edit_csv $t '2s/9007199254740993/9007199254740992/'
  expect_caught 'int64 beyond 2^53 off by one' 'row 1 .*column big .*9007199254740992.* vs parquet "9007199254740993"' --footer lenient

  new_case $t; edit_csv $t '2s/^1,/2,/'
  expect_caught 'int32 changed' 'row 1 .*column id ' --footer lenient

  new_case $t; edit_csv $t '2s/^1,/1.0,/'
  expect_caught 'int32 written as 1.0' 'row 1 .*column id ' --footer lenient

  new_case $t; edit_csv $t '4s/,,,\r$/,,"",\r/'
  expect_caught 'null string became empty string' 'row 3 .*column title .*csv "" vs parquet null' --footer lenient

  new_case $t; edit_csv $t '3s/false,"",1895/false,,1895/'
  expect_caught 'empty string became null' 'row 2 .*column title .*csv null vs parquet ""' --footer lenient

  new_case $t; edit_csv $t '2s/Amélie/Amelie/'
  expect_caught 'non-ASCII text altered' 'row 1 .*column title .*"Amelie" vs parquet "Amélie"' --footer lenient

  new_case $t; edit_csv $t 's/2024-02-29/2024-03-01/'
  expect_caught 'date shifted by a day' 'row 5 .*column released .*"2024-03-01" vs parquet "2024-02-29"' --footer lenient

  new_case $t; edit_csv $t '2s/0\.1,/0.10000000000000002,/'
  expect_caught 'double off by one ulp' 'row 1 .*column score ' --footer lenient

  new_case $t; edit_csv $t '8s/,nan,/,inf,/'
  expect_caught 'NaN became inf' 'row 6 column score .*csv "inf" vs parquet NaN' --footer lenient

  new_case $t; edit_csv $t '2s/,true,Amélie/,false,Amélie/'
  expect_caught 'boolean flipped' 'row 1 .*column flag ' --footer lenient

  new_case $t; edit_csv $t '$d'
  expect_caught 'last row dropped' 'row count: csv 8, parquet 9' --footer lenient

  new_case $t; edit_csv $t '1s/^id,/ident,/'
  expect_caught 'column renamed' 'columns differ' --footer lenient

  new_case $t; edit_csv $t '1s/,big,score,/,score,big,/'
  expect_caught 'columns swapped' 'columns differ' --footer lenient

  new_case $t
  echo '{"id":"int32","big":"int32","score":"double","flag":"boolean","title":"string","released":"date"}' \
    >"$case_dir/csv/$t.types.json"
  expect_caught 'type differs from the sidecar' 'column big: type int64, expected int32' --footer lenient

  new_case $t; cp "$base/parquet/one_row.parquet" "$case_dir/parquet/extra.parquet"
  expect_caught 'parquet without csv' 'extra.parquet has no .*extra.csv' --footer lenient

  new_case $t one_row; rm "$case_dir/parquet/one_row.parquet"
  expect_caught 'csv without parquet' 'one_row.csv has no .*one_row.parquet' --footer lenient

  new_case $t; head -c 600 "$base/parquet/$t.parquet" >"$case_dir/parquet/$t.parquet"
  expect_caught 'truncated parquet file' 'hyparquet: cannot read' --footer lenient

  # Data row 90001 (id 90000) sits deep in a later row group.
  new_case generated; edit_csv generated 's/^90000,/90001,/'
  expect_caught 'value in a later row group' 'generated: duckdb: row 90001 .*column id .*"90001" vs parquet "90000"' --footer lenient

  new_case $t
  expect_caught 'strict footer wants STRING/DATE logical types' 'column title: no STRING logical type'

  echo "selftest negative: $((cases - failures)) of $cases alterations caught"
  ((failures == 0))
}

case $mode in
  positive) positive ;;
  negative) negative ;;
  *) echo "usage: selftest.sh positive|negative WORK_DIR" >&2; exit 2 ;;
esac
