#!/usr/bin/env bash
# The sharded transform (docs/SCALE.md): marquee split into 3 parts, marquee
# etl per part, the rollup SQL over the union on DuckDB equals one marquee etl.
#   run_sharded.sh MARQUEE
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/marquee-sharded.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
python3 "$HERE/sharded.py" --marquee "$1" --source-dir "$(cd "$HERE/../.." && pwd)" --work "$WORK"
