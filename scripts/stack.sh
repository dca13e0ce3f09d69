#!/usr/bin/env bash
# The scaled-out Marquee on one machine, on loopback, from Debian 12 packages
# (docs/DEPLOY.md, docs/SCALE.md): a PostgreSQL 15 primary, a streaming hot
# standby of it (pg_basebackup -R), redis-server, N `marquee serve` replicas
# reading from the standby, and HAProxy in front with active health checks on
# /readyz and retries of failed requests on another replica.
#
#   scripts/stack.sh up [--replicas N] [--dir DIR]
#       prints, one per line: the load balancer's URL, the primary's URL for
#       jobs, a token (24 h). Jobs: marquee run INPUT --db PRIMARY_URL
#       --redis REDIS_URL (DIR/stack.env has every address).
#   scripts/stack.sh down [--dir DIR]     stops everything and removes DIR
#   scripts/stack.sh status [--dir DIR]   what runs, one line per component
#
# For fault tests (tests/scale/), on a running stack:
#   scripts/stack.sh replica-start I | redis-start | standby-restart  [--dir DIR]
#
# DIR defaults to ${TMPDIR:-/tmp}/marquee-stack. MARQUEE names the binary
# (default build/src/cli/marquee); STACK_THREADS / STACK_WORKERS size each
# replica (default 1 network thread, 2 workers: this is sized for a small box).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
MARQUEE=${MARQUEE:-$ROOT/build/src/cli/marquee}
ACTION=${1:-}
shift || true
DIR=${TMPDIR:-/tmp}/marquee-stack
REPLICAS=2
ARG_I=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --dir) DIR=$2; shift 2 ;;
    --replicas) REPLICAS=$2; shift 2 ;;
    [0-9]*) ARG_I=$1; shift ;;
    *) echo "stack.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

die() { echo "stack.sh: $*" >&2; exit 1; }
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u nobody -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
load_env() { [[ -f $DIR/stack.env ]] || die "no stack in $DIR (scripts/stack.sh up --dir $DIR)"; source "$DIR/stack.env"; }

# Waits up to $2 s for an HTTP 200 from $1.
wait_http() {
  local url=$1 deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; do
    [[ $SECONDS -lt $deadline ]] || return 1
    sleep 0.1
  done
}

pg_start_cluster() {  # data-dir port log
  as_pg "$PG_BIN/pg_ctl" -D "$1" -l "$3" -w -t 60 \
    -o "-p $2 -k $DIR/pg -c listen_addresses=127.0.0.1" start >/dev/null
}

replica_start() {
  local i=$1 port_var=REPLICA_PORT_$1
  local port=${!port_var}
  # setsid: a replica outlives this script and is not in its caller's process group.
  setsid "$MARQUEE" serve --db "$STANDBY_URL" --listen "127.0.0.1:$port" --redis "$REDIS_URL" \
    --jwt-secret-file "$DIR/jwt-secret" --threads "${STACK_THREADS:-1}" --workers "${STACK_WORKERS:-2}" \
    >>"$DIR/replica-$i.log" 2>&1 </dev/null &
  echo $! >"$DIR/replica-$i.pid"
  wait_http "http://127.0.0.1:$port/healthz" 20 || die "replica $i did not start (see $DIR/replica-$i.log)"
}

redis_start() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --dir "$DIR" >/dev/null
  local deadline=$((SECONDS + 10))
  until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do
    [[ $SECONDS -lt $deadline ]] || die "redis-server did not start (see $DIR/redis.log)"
    sleep 0.1
  done
}

write_haproxy_cfg() {
  {
    cat <<EOF
# Written by scripts/stack.sh (docs/DEPLOY.md explains each setting).
global
  maxconn 4096
  log stderr format short local0 warning
defaults
  mode http
  timeout connect 500ms
  timeout client 30s
  timeout server 10s
  timeout check 1s
  # A request that failed on one replica (refused, reset, no answer, or 503)
  # is sent again, to another replica: every Marquee route is GET/HEAD.
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response response-timeout 503
frontend api
  bind 127.0.0.1:$LB_PORT
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2
  # When no replica is ready (the standby restarting, nothing published yet),
  # the same processes are used unchecked: their caches still answer.
  option allbackups
EOF
    local i port_var
    for ((i = 1; i <= REPLICAS; i++)); do
      port_var=REPLICA_PORT_$i
      echo "  server r$i 127.0.0.1:${!port_var} check"
    done
    for ((i = 1; i <= REPLICAS; i++)); do
      port_var=REPLICA_PORT_$i
      echo "  server r$i-fallback 127.0.0.1:${!port_var} backup"
    done
  } >"$DIR/haproxy.cfg"
}

up() {
  [[ -x $MARQUEE ]] || die "no marquee binary at $MARQUEE (scripts/build.sh marquee, or set MARQUEE)"
  [[ -x $PG_BIN/initdb ]] || die "PostgreSQL 15 is not installed (scripts/install-deps.sh)"
  command -v redis-server >/dev/null || die "redis-server is not installed (scripts/install-deps.sh)"
  command -v haproxy >/dev/null || die "haproxy is not installed (scripts/install-deps.sh)"
  [[ $REPLICAS =~ ^[1-9][0-9]?$ ]] || die "--replicas must be 1 to 99"
  [[ ! -f $DIR/stack.env ]] || die "a stack already lives in $DIR (scripts/stack.sh down --dir $DIR)"
  mkdir -p "$DIR/pg"
  DIR=$(cd "$DIR" && pwd)
  # A failed start stops whatever it had started.
  trap '[[ -n ${UP_STARTED:-} ]] && { echo "stack.sh: up failed; stopping what it started" >&2; down; }' EXIT
  UP_STARTED=1
  chmod 755 "$DIR"
  [[ $(id -u) -eq 0 ]] && chown nobody:nogroup "$DIR/pg"

  local primary_port standby_port i
  primary_port=$(free_port)
  standby_port=$(free_port)
  {
    echo "REPLICAS=$REPLICAS"
    echo "PRIMARY_PORT=$primary_port"
    echo "STANDBY_PORT=$standby_port"
    echo "PRIMARY_URL=postgresql://marquee@127.0.0.1:$primary_port/marquee"
    echo "STANDBY_URL=postgresql://marquee@127.0.0.1:$standby_port/marquee"
    echo "REDIS_PORT=$(free_port)"
    echo "LB_PORT=$(free_port)"
    for ((i = 1; i <= REPLICAS; i++)); do echo "REPLICA_PORT_$i=$(free_port)"; done
  } >"$DIR/stack.env"
  source "$DIR/stack.env"
  echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT" >>"$DIR/stack.env"
  echo "LB_URL=http://127.0.0.1:$LB_PORT" >>"$DIR/stack.env"
  source "$DIR/stack.env"

  # Primary. initdb's pg_hba.conf trusts loopback, replication included.
  as_pg "$PG_BIN/initdb" -D "$DIR/pg/primary" -U marquee --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$DIR/pg/initdb.log" 2>&1 || die "initdb failed (see $DIR/pg/initdb.log)"
  cat >>"$DIR/pg/primary/postgresql.conf" <<EOF
# scripts/stack.sh: a primary that streams to a hot standby
wal_level = replica
max_wal_senders = 5
wal_keep_size = 256MB
EOF
  pg_start_cluster "$DIR/pg/primary" "$PRIMARY_PORT" "$DIR/pg/primary.log" || die "the primary did not start"
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PRIMARY_PORT" -U marquee marquee

  # Standby: a base backup that streams, with standby.signal and
  # primary_conninfo written by -R.
  as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U marquee -D "$DIR/pg/standby" -R -X stream \
    -c fast >"$DIR/pg/basebackup.log" 2>&1 || die "pg_basebackup failed (see $DIR/pg/basebackup.log)"
  cat >>"$DIR/pg/standby/postgresql.conf" <<EOF
# scripts/stack.sh: a hot standby for the API replicas
hot_standby = on
hot_standby_feedback = on
max_standby_streaming_delay = 5s
EOF
  pg_start_cluster "$DIR/pg/standby" "$STANDBY_PORT" "$DIR/pg/standby.log" || die "the standby did not start"

  "$MARQUEE" migrate --db "$PRIMARY_URL" >/dev/null
  # The replicas read the schema from the standby: wait until it is replayed.
  local deadline=$((SECONDS + 30))
  until [[ $("$PG_BIN/psql" -XAtq -h 127.0.0.1 -p "$STANDBY_PORT" -U marquee -d marquee \
    -c "SELECT to_regclass('published') IS NOT NULL" 2>/dev/null) == t ]]; do
    [[ $SECONDS -lt $deadline ]] || die "the standby did not replay the schema"
    sleep 0.1
  done

  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/jwt-secret"
  chmod 600 "$DIR/jwt-secret"
  redis_start
  for ((i = 1; i <= REPLICAS; i++)); do replica_start "$i"; done
  write_haproxy_cfg
  haproxy -c -q -f "$DIR/haproxy.cfg" || die "haproxy rejected $DIR/haproxy.cfg"
  haproxy -D -f "$DIR/haproxy.cfg" -p "$DIR/haproxy.pid" 2>>"$DIR/haproxy.log" || die "haproxy did not start"
  wait_http "$LB_URL/healthz" 10 || die "the load balancer does not answer"

  local token
  token=$("$MARQUEE" token --sub stack --ttl 24h --jwt-secret-file "$DIR/jwt-secret")
  UP_STARTED=""
  echo "$LB_URL"
  echo "$PRIMARY_URL"
  echo "$token"
}

stop_pid() {  # pid-file: SIGTERM, then SIGKILL after 10 s
  local file=$1 pid n
  [[ -f $file ]] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((n = 0; n < 100; n++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

down() {
  [[ -f $DIR/stack.env ]] || { echo "stack.sh: nothing runs in $DIR" >&2; return 0; }
  source "$DIR/stack.env"
  stop_pid "$DIR/haproxy.pid"
  local f
  for f in "$DIR"/replica-*.pid; do [[ -e $f ]] && stop_pid "$f"; done
  stop_pid "$DIR/redis.pid"
  for f in standby primary; do
    [[ -d $DIR/pg/$f ]] && as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg/$f" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  done
  rm -rf "$DIR"
}

status() {
  load_env
  local i port_var up
  check() { printf '%-12s %-8s %s\n' "$1" "$2" "$3"; }
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg/primary" status >/dev/null 2>&1 && up=running || up=stopped
  check primary "$up" "$PRIMARY_URL"
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg/standby" status >/dev/null 2>&1 && up=running || up=stopped
  check standby "$up" "$STANDBY_URL"
  alive "$DIR/redis.pid" && up=running || up=stopped
  check redis "$up" "$REDIS_URL"
  for ((i = 1; i <= REPLICAS; i++)); do
    port_var=REPLICA_PORT_$i
    up=stopped
    if alive "$DIR/replica-$i.pid"; then
      up=running
      curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:${!port_var}/readyz" 2>/dev/null && up=ready
    fi
    check "replica-$i" "$up" "http://127.0.0.1:${!port_var}"
  done
  alive "$DIR/haproxy.pid" && up=running || up=stopped
  check haproxy "$up" "$LB_URL"
}

case $ACTION in
  up) up ;;
  down) down ;;
  status) status ;;
  replica-start) load_env; [[ -n $ARG_I ]] || die "replica-start needs a replica number"; replica_start "$ARG_I" ;;
  redis-start) load_env; redis_start ;;
  standby-restart)
    load_env
    as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg/standby" -m fast -w -t 30 stop >/dev/null
    pg_start_cluster "$DIR/pg/standby" "$STANDBY_PORT" "$DIR/pg/standby.log" || die "the standby did not restart"
    ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
