#!/usr/bin/env bash
# The scale-out fault test (docs/SCALE.md): scripts/stack.sh up on loopback
# (PostgreSQL primary + hot standby, redis-server, replicas, HAProxy), a first
# run published on the primary, then fault_test.py: read load through HAProxy
# while a replica is killed, a run is published, rolled back, Redis is killed
# and the standby restarted. Exit 77 (skipped, saying why) when PostgreSQL 15,
# redis-server or haproxy is not installed.
#   run_fault.sh MARQUEE [--replicas N] [--no-faults] [--duration S] [--report FILE]
set -euo pipefail
MARQUEE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
REPLICAS=2
PY_ARGS=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --replicas) REPLICAS=$2; shift 2 ;;
    --no-faults) PY_ARGS+=(--no-faults); shift ;;
    --duration|--report|--clients) PY_ARGS+=("$1" "$2"); shift 2 ;;
    *) echo "run_fault.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
for tool in /usr/lib/postgresql/15/bin/initdb redis-server haproxy; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIPPED: $tool is not installed (scripts/install-deps.sh)" >&2
    exit 77
  fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/marquee-scale.XXXXXX")
chmod 755 "$WORK"
cleanup() {
  local rc=$?
  if [[ $rc -ne 0 && -d $WORK/stack ]]; then
    for f in "$WORK"/stack/replica-*.log "$WORK"/stack/pg/standby.log; do
      [[ -f $f ]] && { echo "--- tail of $f" >&2; tail -n 15 "$f" >&2; }
    done
  fi
  MARQUEE=$MARQUEE timeout 60 "$ROOT/scripts/stack.sh" down --dir "$WORK/stack" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$MARQUEE" generate --movies 3000 --seed 14 --out "$WORK/first.csv" >/dev/null
# The second run: the same movies with other budgets (every budget + 1000).
python3 - "$WORK/first.csv" "$WORK/second.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8", errors="surrogateescape") as f:
    rows = list(csv.reader(f))
budget = rows[0].index("budget")
for row in rows[1:]:
    if len(row) > budget and row[budget].isdigit() and int(row[budget]) > 0:
        row[budget] = str(int(row[budget]) + 1000)
with open(sys.argv[2], "w", newline="", encoding="utf-8", errors="surrogateescape") as f:
    csv.writer(f, lineterminator="\n").writerows(rows)
PY
MARQUEE=$MARQUEE timeout 120 "$ROOT/scripts/stack.sh" up --replicas "$REPLICAS" --dir "$WORK/stack" >"$WORK/up.txt"
mapfile -t LINES <"$WORK/up.txt"
[[ ${#LINES[@]} -eq 3 && ${LINES[0]} == http://127.0.0.1:* && ${LINES[1]} == postgresql://* ]] \
  || { echo "stack.sh up printed:"; cat "$WORK/up.txt"; exit 1; } >&2
source "$WORK/stack/stack.env"
FIRST=$("$MARQUEE" run "$WORK/first.csv" --db "$PRIMARY_URL" --data-dir "$WORK/data" --redis "$REDIS_URL" \
  | awk '/^run .* published$/ {print $2}')
[[ -n $FIRST ]] || { echo "the first run was not published" >&2; exit 1; }
# The replicas serve it once the standby has it.
deadline=$((SECONDS + 30))
for ((i = 1; i <= REPLICAS; i++)); do
  port_var=REPLICA_PORT_$i
  until curl -fsS --max-time 1 "http://127.0.0.1:${!port_var}/readyz" 2>/dev/null | grep -q "\"$FIRST\""; do
    [[ $SECONDS -lt $deadline ]] || { echo "replica $i never served $FIRST" >&2; exit 1; }
    sleep 0.1
  done
done
timeout 240 python3 "$HERE/fault_test.py" --stack-sh "$ROOT/scripts/stack.sh" --dir "$WORK/stack" \
  --marquee "$MARQUEE" --data-dir "$WORK/data" --token "${LINES[2]}" --first-run "$FIRST" \
  --second-input "$WORK/second.csv" "${PY_ARGS[@]}"
