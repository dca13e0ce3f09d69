#!/usr/bin/env bash
# The main command: installs what Marquee needs, builds it, runs the whole job
# (transform -> Parquet run directory -> load into the embedded SQLite
# database -> publish) and then serves the published run over HTTP, printing
# a ready-to-use token and a sample curl. Ctrl-C stops the server.
#   scripts/demo.sh [INPUT]   INPUT: a movies_metadata.csv, a directory holding
#                             it, or the Kaggle zip; default: a generated dataset
# Environment: LISTEN (default 127.0.0.1:8080), DATA_DIR (default data).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh marquee
marquee=build/src/cli/marquee
data_dir=${DATA_DIR:-data}
mkdir -p "$data_dir"
input=${1:-}
if [[ -z "$input" ]]; then
  input=$data_dir/movies_metadata.csv
  # The Kaggle file's size, with its known defects planted (docs/GENERATE.md).
  [[ -f "$input" ]] || "$marquee" generate --movies 45466 --seed 1 --defects --out "$input"
fi
"$marquee" run "$input" --data-dir "$data_dir"
"$marquee" runs --data-dir "$data_dir"
exec "$marquee" serve --data-dir "$data_dir" --listen "${LISTEN:-127.0.0.1:8080}"
