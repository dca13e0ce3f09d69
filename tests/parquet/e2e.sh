#!/usr/bin/env bash
# End-to-end proof: Marquee's Parquet tables hold exactly what its CSV tables
# hold, as read by DuckDB and hyparquet.
#   e2e.sh MARQUEE real WORK_DIR DATA_DIR [--compression C]
#       input: DATA_DIR/movies_metadata.head.csv
#   e2e.sh MARQUEE generated WORK_DIR - [--compression C]
#       input: marquee generate --movies 20000 --seed 7
# Runs `marquee etl INPUT --out d_csv --format csv` and `... --out d_parquet
# [--compression C]` (Parquet is the default format, ZSTD the default codec), then check_dir.sh on the two tables/ dirs
# (e2e_types.json pins the types the issues fix) and check_run.mjs on the
# Parquet run (manifest, row counts, footer key-value metadata).
# Exit 77 (ctest SKIP_RETURN_CODE) when the real data file is absent.
# WORK_DIR is emptied first and removed at the end (unless MARQUEE_KEEP_TMP=1).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage="usage: e2e.sh MARQUEE real|generated WORK_DIR DATA_DIR|- [--compression zstd|snappy|none]"
marquee=${1:?$usage}
kind=${2:?$usage}
work=${3:?$usage}
data_dir=${4:?$usage}
shift 4
codec=ZSTD
compression_option=()
if [[ $# -gt 0 ]]; then
  [[ $# -eq 2 && $1 == --compression ]] || { echo "$usage" >&2; exit 2; }
  compression_option=(--compression "$2")
  case $2 in zstd) codec=ZSTD ;; snappy) codec=SNAPPY ;; none) codec=UNCOMPRESSED ;; *) echo "$usage" >&2; exit 2 ;; esac
fi

rm -rf "$work"
mkdir -p "$work"
[[ "${MARQUEE_KEEP_TMP:-}" == 1 ]] || trap 'rm -rf "$work"' EXIT

case $kind in
  real)
    input="$data_dir/movies_metadata.head.csv"
    if [[ ! -f "$input" ]]; then
      echo "SKIPPED: $input is absent (the real-data sample is not in this checkout)"
      exit 77
    fi
    ;;
  generated)
    input=$work/movies_metadata.csv
    "$marquee" generate --movies 20000 --seed 7 --out "$input"
    ;;
  *) echo "$usage" >&2; exit 2 ;;
esac

"$here/install.sh"
"$marquee" etl "$input" --out "$work/d_csv" --format csv
"$marquee" etl "$input" --out "$work/d_parquet" "${compression_option[@]}"
# Both checks run, so that one report shows every problem.
status=0
if ! compgen -G "$work/d_parquet/tables/*.parquet" >/dev/null; then
  echo "FAIL: marquee etl without --format wrote no .parquet file under d_parquet/tables (Parquet must be the default)"
  status=1
fi
"$here/check_dir.sh" --types "$here/e2e_types.json" "$work/d_csv/tables" "$work/d_parquet/tables" || status=1
node "$here/check_run.mjs" "$work/d_parquet" "$input" "$codec" || status=1
exit $status
