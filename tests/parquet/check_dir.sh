#!/usr/bin/env bash
# Checks every table of a Parquet output directory against the CSV output of
# the same tables, through two independent readers (DuckDB and hyparquet):
#   check_dir.sh [--footer strict|lenient] [--types FILE] CSV_DIR PARQUET_DIR
# Each CSV_DIR/<name>.csv needs PARQUET_DIR/<name>.parquet and vice versa;
# both readers must agree with each other on types and row counts, and both
# must return exactly the CSV's values (see compare.mjs for the conventions).
# Exit 0 when everything matches, 1 otherwise (2 for bad usage).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# --footer lenient: for writers without logical types (DuckDB); --types FILE:
# {"table": {"column": "type"}} pins those columns' types (see compare.mjs).
footer=${MARQUEE_PARQUET_FOOTER:-strict}
options=()
while [[ "${1:-}" == --* ]]; do
  case $1 in
    --footer) footer="${2:?--footer needs strict or lenient}"; shift 2 ;;
    --types) options+=(--types "${2:?--types needs a file}"); shift 2 ;;
    *) echo "check_dir.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ $# -ne 2 || ! -d "$1" || ! -d "$2" ]]; then
  echo "usage: check_dir.sh [--footer strict|lenient] [--types FILE] CSV_DIR PARQUET_DIR (both existing directories)" >&2
  exit 2
fi
csv_dir=$1
parquet_dir=$2

"$here/install.sh"

shopt -s nullglob
declare -A csv_names=() parquet_names=()
for f in "$csv_dir"/*.csv; do csv_names[$(basename "$f" .csv)]=1; done
for f in "$parquet_dir"/*.parquet; do parquet_names[$(basename "$f" .parquet)]=1; done

unpaired=0
pairs=()
for name in $(printf '%s\n' "${!csv_names[@]}" | sort); do
  if [[ -z "${parquet_names[$name]:-}" ]]; then
    echo "FAIL $name: $csv_dir/$name.csv has no $parquet_dir/$name.parquet"
    unpaired=$((unpaired + 1))
  else
    pairs+=("$csv_dir/$name.csv" "$parquet_dir/$name.parquet")
  fi
done
for name in $(printf '%s\n' "${!parquet_names[@]}" | sort); do
  if [[ -z "${csv_names[$name]:-}" ]]; then
    echo "FAIL $name: $parquet_dir/$name.parquet has no $csv_dir/$name.csv"
    unpaired=$((unpaired + 1))
  fi
done

tables=$((${#pairs[@]} / 2))
if ((tables == 0 && unpaired == 0)); then
  echo "check_dir: FAIL: no tables in $csv_dir or $parquet_dir"
  exit 1
fi

status=0
if ((tables > 0)); then
  output=$(node "$here/compare.mjs" --reader both --footer "$footer" "${options[@]}" "${pairs[@]}") || status=$?
  printf '%s\n' "$output"
  failed=$(grep -c '^FAIL ' <<<"$output" || true)
else
  failed=0
fi
if ((status != 0 && failed == 0)); then failed=1; fi  # compare.mjs died before reporting

verdict=PASS
((failed == 0 && unpaired == 0)) || verdict=FAIL
echo "check_dir: $verdict: $((tables - failed)) of $tables tables match (DuckDB + hyparquet), $failed mismatched, $unpaired without counterpart ($csv_dir vs $parquet_dir)"
[[ $verdict == PASS ]]
