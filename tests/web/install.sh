#!/usr/bin/env bash
# Installs the dashboard tests' browser driver (playwright-core), pinned in package-lock.json, into this folder's
# node_modules with `npm ci` (scripts/npm_ci.sh: idempotent, serialized).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec "$here/../../scripts/npm_ci.sh" "$here"
