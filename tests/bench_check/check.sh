#!/usr/bin/env bash
# The DuckDB whole-job baseline of bench/ (bench/duckdb_job.sql, issue 11)
# computes what Marquee computes: runs `marquee etl` and bench/duckdb_job.mjs on
# the real sample DATA_DIR/movies_metadata.head.csv and compares their tables
# row by row (compare.mjs: same schema, same order, equal values, doubles
# within 1e-9 relative). All 13 tables are compared -- the three rollups first,
# then the dimensions, the bridges and movie -- and every one must be equal.
#   check.sh MARQUEE WORK_DIR DATA_DIR
# Exit 77 (ctest SKIP_RETURN_CODE) when the real sample is absent. WORK_DIR is
# emptied first and removed at the end (unless MARQUEE_KEEP_TMP=1).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage="usage: check.sh MARQUEE WORK_DIR DATA_DIR"
marquee=${1:?$usage}
work=${2:?$usage}
data_dir=${3:?$usage}
input=$data_dir/movies_metadata.head.csv
if [[ ! -f "$input" ]]; then
  echo "SKIPPED: $input is absent (the real-data sample is not in this checkout)"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work"
[[ "${MARQUEE_KEEP_TMP:-}" == 1 ]] || trap 'rm -rf "$work"' EXIT

"$marquee" etl "$input" --out "$work/marquee" >/dev/null
# Two threads are enough for 4,627 records (and kind to a shared machine).
DUCKDB_JOB_THREADS=2 node "$here/../../bench/duckdb_job.mjs" "$input" "$work/duckdb"
node "$here/compare.mjs" "$work/marquee" "$work/duckdb" \
  genre_year company_year company_year_genre \
  company genre country language collection \
  movie_company movie_genre movie_country movie_language movie
echo "OK: DuckDB's whole job equals marquee etl on $input (13 tables)"
