#!/bin/sh
# Generates a synthetic movies_metadata.csv with the real file's known defects
# planted (split record, list with trailing garbage, bad ids and dates, a
# stray quote, duplicate ids), then runs `marquee etl` on it into a fresh OUT.
# The reject-ratio limit is lifted: the planted rejections are the point.
# Usage: run_generated_etl.sh MARQUEE CSV OUT
set -eu
marquee=$1 csv=$2 out=$3
"$marquee" generate --movies 3000 --seed 20240601 --defects --out "$csv"
rm -rf "$out"
exec "$marquee" etl "$csv" --out "$out" --format csv --max-reject-ratio 1
