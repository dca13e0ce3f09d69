#!/usr/bin/env bash
# Builds the dashboard bundle into OUT_DIR (run by CMake, see src/api/CMakeLists.txt):
# installs the pinned tools (install.sh), then bundles with esbuild (build.mjs).
# OUT_DIR is emptied first, so a failed build never leaves a stale bundle behind.
#   web/build.sh OUT_DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:?usage: web/build.sh OUT_DIR}
rm -rf "$out"
"$here/install.sh"
node "$here/build.mjs" "$out"
