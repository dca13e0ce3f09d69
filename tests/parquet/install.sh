#!/usr/bin/env bash
# Installs the independent Parquet readers (DuckDB, hyparquet; pinned in
# package-lock.json) into tests/parquet/node_modules (tests/lib/npm_ci.sh).
# Used by ctest (fixture parquet_npm) and by check_dir.sh; CI may call it directly.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec "$here/../lib/npm_ci.sh" "$here"
