#!/usr/bin/env bash
# The main command: installs what Marquee needs, builds it, and runs the job
# end to end on the embedded default, on a generated dataset (no download).
#   scripts/demo.sh [INPUT]   INPUT: a movies_metadata.csv, a directory or the Kaggle zip
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh marquee
mkdir -p data
input=${1:-}
if [[ -z "$input" ]]; then
  input=data/movies_metadata.csv
  [[ -f "$input" ]] || build/src/cli/marquee generate --movies 45466 --seed 1 --defects --out "$input"
fi
build/src/cli/marquee etl "$input" --out data/demo
echo
echo "Tables:       data/demo/tables/"
echo "Error log:    data/demo/errors.jsonl ($(wc -l < data/demo/errors.jsonl) entries)"
echo "Manifest:     data/demo/manifest.json"
