#!/usr/bin/env bash
# Installs exactly what Marquee needs to build, test and benchmark, from
# Debian 12's packages. Idempotent: packages already installed are skipped,
# and apt is not touched at all when nothing is missing.
#   scripts/install-deps.sh            build + test dependencies
#   scripts/install-deps.sh --bench    also the benchmark baselines
set -euo pipefail

build=(cmake ninja-build g++ pkg-config
  libgtest-dev libgmock-dev libbenchmark-dev
  libzip-dev libzstd-dev libsnappy-dev libsqlite3-dev libpq-dev
  libboost1.81-dev libboost-json1.81-dev libssl-dev libhiredis-dev
  libfmt-dev libcli11-dev libfast-float-dev zlib1g-dev)
# Test tooling: independent checkers and real servers (never mocks).
test=(python3 sqlite3 postgresql redis-server clang libclang-rt-14-dev curl zip procps openssl prometheus)
bench=(wrk nginx hyperfine)
# The dashboard's end-to-end tests drive Debian's Chromium (tests/web).
test+=(chromium)
# The scale-out stack and its fault test put HAProxy in front of the replicas (tests/scale).
test+=(haproxy)

want=("${build[@]}" "${test[@]}")
[[ "${1:-}" == "--bench" ]] && want+=("${bench[@]}")
# Node.js and npm run the independent Parquet readers. A machine that already
# has a node (e.g. from another Debian-format repository) keeps it: Debian's
# npm package conflicts with such builds.
command -v node >/dev/null && command -v npm >/dev/null || want+=(nodejs npm)

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
