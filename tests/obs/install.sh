#!/usr/bin/env bash
# Installs the StatsD daemon (Etsy's statsd, pinned in package-lock.json) into
# tests/obs/node_modules (tests/lib/npm_ci.sh). Used by ctest (fixture obs_statsd).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec "$here/../lib/npm_ci.sh" "$here"
