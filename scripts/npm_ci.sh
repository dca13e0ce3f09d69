#!/usr/bin/env bash
# npm_ci.sh DIR: installs DIR's npm packages (pinned in DIR/package-lock.json)
# into DIR/node_modules from the npm registry. Idempotent and cheap when
# nothing changed: `npm ci` runs only when node_modules is missing or was
# installed from another lock file or node. Safe to call from parallel tests
# (an flock serializes them).
set -euo pipefail
here=$(cd "$1" && pwd)

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "npm_ci.sh: node and npm are needed (scripts/install-deps.sh installs them)" >&2
  exit 1
fi

stamp="$here/node_modules/.marquee-install-stamp"
want="$(sha256sum <"$here/package-lock.json" | cut -d' ' -f1) node-$(node --version)"

# The lock lives outside the source tree so that it never shows up in git status.
lock="${TMPDIR:-/tmp}/marquee-npm-ci-$(printf %s "$here" | sha256sum | cut -c1-16).lock"
exec 9>"$lock"
flock 9

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi
echo "npm_ci.sh: npm ci in $here" >&2
if ! npm ci --prefix "$here" --no-audit --no-fund --loglevel=error; then
  echo "npm_ci.sh: npm ci failed in $here (is the npm registry reachable?)" >&2
  exit 1
fi
echo "$want" >"$stamp"
