#!/usr/bin/env bash
# Installs the dashboard's build tools (esbuild, uPlot; pinned in
# package-lock.json) into web/node_modules with `npm ci`. Idempotent and cheap
# when nothing changed: npm runs only when node_modules is missing or was
# installed from another lock file or node. An flock serializes parallel calls.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "web/install.sh: node and npm are needed to build the dashboard (scripts/install-deps.sh installs them)" >&2
  exit 1
fi
stamp="$here/node_modules/.marquee-install-stamp"
want="$(sha256sum <"$here/package-lock.json" | cut -d' ' -f1) node-$(node --version)"
lock="${TMPDIR:-/tmp}/marquee-web-install-$(printf %s "$here" | sha256sum | cut -c1-16).lock"
exec 9>"$lock"
flock 9
[[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && exit 0
echo "web/install.sh: npm ci in $here" >&2
if ! npm ci --prefix "$here" --no-audit --no-fund --loglevel=error; then
  echo "web/install.sh: npm ci failed: the dashboard cannot be built (is the npm registry reachable?)" >&2
  exit 1
fi
echo "$want" >"$stamp"
