#!/usr/bin/env bash
# Property test: random tables (every type, nulls, empty/long/non-ASCII
# strings, 0 and 1 rows, several row groups, dictionary fallback) written by
# Marquee's Parquet writer must read back, through DuckDB and hyparquet, as
# exactly the CSV that the same generator wrote beside them.
#   random.sh PARQUET_RANDOM_TABLES SEED WORK_DIR [COUNT]
# WORK_DIR is emptied first and removed at the end (unless MARQUEE_KEEP_TMP=1).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage="usage: random.sh PARQUET_RANDOM_TABLES SEED WORK_DIR [COUNT]"
generator=${1:?$usage}
seed=${2:?$usage}
work=${3:?$usage}
count=${4:-30}

rm -rf "$work"
mkdir -p "$work"
[[ "${MARQUEE_KEEP_TMP:-}" == 1 ]] || trap 'rm -rf "$work"' EXIT

"$here/install.sh"
"$generator" --out "$work" --seed "$seed" --count "$count"
echo "random tables: seed $seed, $count tables (rerun: $generator --out DIR --seed $seed --count $count)"
"$here/check_dir.sh" "$work" "$work"
