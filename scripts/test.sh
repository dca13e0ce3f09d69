#!/usr/bin/env bash
# Installs everything, builds, and runs the whole test suite (unit tests,
# end-to-end tests against an independent oracle, independent Parquet readers).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
# Two jobs: the machines have two cores, and several suites start servers.
ctest --test-dir build --output-on-failure -j2 --timeout 600
