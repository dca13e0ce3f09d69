#!/usr/bin/env bash
# Runs one storage suite against one backend, through the real `marquee`.
#   run_suite.sh BACKEND SUITE MARQUEE [STORE_UNIT_TEST]
# BACKEND: sqlite | postgresql (a real PostgreSQL 15 is started for the
# suite: tests/lib/postgres.sh). SUITE: basic | concurrency | crash | hardening |
# corrections (tests/store/cases_<SUITE>.sh), or unit: the gtest binary
# STORE_UNIT_TEST (src/store tests) against PostgreSQL.
# Exit 77 (skipped) when PostgreSQL is not installed.
set -euo pipefail
BACKEND=$1 SUITE=$2 MARQUEE=$3 STORE_UNIT_TEST=${4:-}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/marquee-store-$BACKEND-$SUITE.XXXXXX")
cleanup() {
  # Background jobs a failed case left behind (only ours: this shell's children).
  local pids
  pids=$(jobs -p) || true
  [[ -n "$pids" ]] && kill -9 $pids 2>/dev/null || true
  [[ "$BACKEND" == postgresql ]] && pg_stop
  rm -rf "$WORK"
}
trap cleanup EXIT

if [[ "$BACKEND" == postgresql ]]; then
  source "$HERE/../lib/postgres.sh"
  PG_NO_TRAP=1 pg_start
fi

if [[ "$SUITE" == unit ]]; then
  MARQUEE_TEST_PG_URL=$MARQUEE_PG_URL "$STORE_UNIT_TEST" --gtest_filter='*postgresql*' --gtest_brief=1
  exit 0
fi

# Inputs shared by the cases: small synthetic datasets (marquee generate).
"$MARQUEE" generate --movies 600 --seed 11 --out "$WORK/a.csv" >/dev/null
"$MARQUEE" generate --movies 600 --seed 12 --out "$WORK/b.csv" >/dev/null

source "$HERE/cases_$SUITE.sh"
run_cases
echo "$CASES_RUN cases passed ($BACKEND, $SUITE)"
