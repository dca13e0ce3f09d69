#!/usr/bin/env bash
# Installs the StatsD daemon (Etsy's statsd; pinned in
# package-lock.json) into tests/obs/node_modules, from the npm registry.
# Idempotent and cheap when nothing changed: `npm ci` runs only when
# node_modules is missing or was installed from another lock file or node.
# Safe to call from parallel tests (an flock serializes them). Used by ctest
# (fixture obs_statsd).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install.sh: node and npm are needed (scripts/install-deps.sh installs them)" >&2
  exit 1
fi

stamp="$here/node_modules/.marquee-install-stamp"
want="$(sha256sum <"$here/package-lock.json" | cut -d' ' -f1) node-$(node --version)"

# The lock lives outside the source tree so that it never shows up in git status.
lock="${TMPDIR:-/tmp}/marquee-obs-install-$(printf %s "$here" | sha256sum | cut -c1-16).lock"
exec 9>"$lock"
flock 9

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi
echo "install.sh: npm ci in $here" >&2
npm ci --prefix "$here" --no-audit --no-fund --loglevel=error
echo "$want" >"$stamp"
