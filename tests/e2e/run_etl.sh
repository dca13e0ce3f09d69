#!/bin/sh
# Runs `marquee etl INPUT --out OUT --format csv` into a fresh OUT, or reports
# the test as skipped (exit 77) when INPUT is absent, e.g. outside CI where
# the dataset sample is not checked out.
# Usage: run_etl.sh MARQUEE INPUT OUT [extra etl options...]
set -eu
marquee=$1 input=$2 out=$3
shift 3
if [ ! -f "$input" ]; then
  echo "SKIPPED: input $input is absent"
  exit 77
fi
rm -rf "$out"
exec "$marquee" etl "$input" --out "$out" --format csv "$@"
