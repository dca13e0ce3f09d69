#!/usr/bin/env bash
# The dashboard end to end: two runs of the real sample (an older one of its
# first records, then all of it, published) loaded by the real `marquee run`,
# served by a real `marquee serve` on a free loopback port, driven in Debian's
# headless Chromium by playwright-core (dashboard.mjs). Screenshots go to
# ARTIFACTS (default: the current directory's web-artifacts/).
#   tests/web/run.sh MARQUEE [ARTIFACTS]
# Exit 77 (skipped, saying why) when Chromium or the sample is absent.
set -euo pipefail
MARQUEE=$(realpath "$1")
ARTIFACTS=$(realpath -m "${2:-web-artifacts}")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
data=${MARQUEE_DATA_DIR:-$here/../../../shared/data/the-movies-dataset}
sample=$data/movies_metadata.head.csv
chromium=${CHROMIUM:-/usr/bin/chromium}

if [[ ! -x "$chromium" ]]; then
  echo "SKIPPED: $chromium is not installed (Debian package chromium)" >&2
  exit 77
fi
if [[ ! -f "$sample" ]]; then
  echo "SKIPPED: the sample $sample is absent (set MARQUEE_DATA_DIR)" >&2
  exit 77
fi
"$here/install.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/marquee-web.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$ARTIFACTS"
# The older run: the sample's first 1,200 lines (a record cut at the end is
# rejected with its reason, as any short file's would be).
head -n 1200 "$sample" >"$work/older.csv"
"$MARQUEE" run "$work/older.csv" --data-dir "$work/data" >"$work/run-older.log" 2>&1 ||
  { cat "$work/run-older.log" >&2; exit 1; }
sleep 1.1  # run ids carry the time: keep the two apart
"$MARQUEE" run "$sample" --data-dir "$work/data" >"$work/run-full.log" 2>&1 ||
  { cat "$work/run-full.log" >&2; exit 1; }

timeout 150 node "$here/dashboard.mjs" --marquee "$MARQUEE" --data-dir "$work/data" \
  --chromium "$chromium" --artifacts "$ARTIFACTS" --profile "$work/profile"
