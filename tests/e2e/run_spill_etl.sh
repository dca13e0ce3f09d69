#!/bin/sh
# run_etl.sh, then insists that the company rollups did spill to disk (the
# job says how many parts): the oracle comparison that follows is then a
# test of the merge, not of the in-memory path.
# Usage: run_spill_etl.sh MARQUEE INPUT OUT [extra etl options...]
set -u
here=$(dirname "$0")
output=$("$here/run_etl.sh" "$@")
status=$?
printf '%s\n' "$output"
[ "$status" -eq 0 ] || exit "$status"
case "$output" in
  *"rollups: company totals spilled to disk in "*) exit 0 ;;
  *) echo "FAIL: the rollups did not spill (no 'spilled to disk' line)"; exit 1 ;;
esac
