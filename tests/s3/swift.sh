# A throw-away OpenStack Swift with the s3api middleware (SigV4 signatures and
# payload hashes verified) for the S3 suites. Source this file, then:
#
#   swift_start    builds rings and configs in a fresh temporary directory,
#                  starts the account, container, object and proxy servers on
#                  free loopback ports (storage: a plain directory,
#                  mount_check = false), waits for them, and exports
#                  AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
#                  AWS_REGION; registers swift_stop on EXIT unless SWIFT_NO_TRAP=1
#   swift_stop     stops every server and removes the directory
#   swift_stop_proxy / swift_start_proxy   stop or restart only the S3 endpoint
#   swift_stop_object / swift_start_object stop or restart only the object
#                  server: the endpoint stays up and answers 503 with an S3
#                  error code, as a store losing its backend does
#
# Keys come from tempauth: access key "test:tester", secret "testing".
# Nothing needs memcached or rsync: the cache middleware points at a closed
# port (tempauth only needs a client), and no replicators run.
# Exits 77 (ctest's skip code) when Swift is not installed.

SWIFT_DIR=""
SWIFT_PIDS=()
SWIFT_PROXY_PID=""
SWIFT_OBJECT_PID=""

_swift_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

_swift_server_conf() {  # kind port
  cat >"$SWIFT_DIR/$1-server.conf" <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $2
workers = 0
swift_dir = $SWIFT_DIR
devices = $SWIFT_DIR/srv
mount_check = false
disable_fallocate = true
log_facility = LOG_LOCAL2
log_level = WARNING
user = $(id -un)

[pipeline:main]
pipeline = $1-server

[app:$1-server]
use = egg:swift#$1
CONF
}

_swift_proxy_conf() {  # port
  cat >"$SWIFT_DIR/proxy-server.conf" <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $1
workers = 0
swift_dir = $SWIFT_DIR
log_level = WARNING
user = $(id -un)

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
# The suites stop the object server on purpose; without this the proxy would
# keep refusing its only node for a minute after it is back.
error_suppression_limit = 100000

[filter:s3api]
use = egg:swift#s3api
location = us-east-1
# AWS's minimum part size (Marquee's too), so a part size that AWS would
# refuse fails here as well.
min_segment_size = 5242880

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin
user_other_reader = otherpass

# tempauth insists on a memcache client but works without a server behind it
# (its token cache only misses): point it at a closed loopback port rather than
# needing memcached.
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$(_swift_free_port)

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
CONF
}

_swift_wait_port() {  # port seconds
  # bash's /dev/tcp, not a python3 per attempt: on a loaded machine the
  # polling itself would slow Swift's start.
  local deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

_swift_launch_proxy() {
  /usr/bin/python3 /usr/bin/swift-proxy-server "$SWIFT_DIR/proxy-server.conf" >>"$SWIFT_DIR/proxy.log" 2>&1 &
  SWIFT_PROXY_PID=$!
}

swift_start_proxy() {
  _swift_launch_proxy
  _swift_wait_port "$SWIFT_PROXY_PORT" 90 || { cat "$SWIFT_DIR/proxy.log" >&2; echo "swift: proxy did not start" >&2; return 1; }
}

swift_stop_proxy() {
  if [[ -n "$SWIFT_PROXY_PID" ]]; then
    kill "$SWIFT_PROXY_PID" 2>/dev/null || true
    wait "$SWIFT_PROXY_PID" 2>/dev/null || true
  fi
  SWIFT_PROXY_PID=""
}

swift_stop_object() {
  if [[ -n "$SWIFT_OBJECT_PID" ]]; then
    kill "$SWIFT_OBJECT_PID" 2>/dev/null || true
    wait "$SWIFT_OBJECT_PID" 2>/dev/null || true
  fi
  SWIFT_OBJECT_PID=""
}

swift_start_object() {
  /usr/bin/python3 /usr/bin/swift-object-server "$SWIFT_DIR/object-server.conf" >>"$SWIFT_DIR/object.log" 2>&1 &
  SWIFT_OBJECT_PID=$!
  SWIFT_PIDS+=($!)
  _swift_wait_port "$SWIFT_OBJECT_PORT" 90 || { cat "$SWIFT_DIR/object.log" >&2; echo "swift: object server did not restart" >&2; return 1; }
}

swift_start() {
  if [[ ! -x /usr/bin/swift-proxy-server || ! -x /usr/bin/swift-object-server || ! -x /usr/bin/swift-ring-builder ]]; then
    echo "SKIPPED: OpenStack Swift not installed (Debian packages swift-proxy swift-object swift-container swift-account)" >&2
    exit 77
  fi
  SWIFT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/marquee-swift.XXXXXX")
  if [[ "${SWIFT_NO_TRAP:-0}" != 1 ]]; then trap swift_stop EXIT; fi
  mkdir -p "$SWIFT_DIR/srv/d1"
  cat >"$SWIFT_DIR/swift.conf" <<CONF
[swift-hash]
swift_hash_path_suffix = marquee-test
swift_hash_path_prefix = marquee-test
[storage-policy:0]
name = Policy-0
default = yes
CONF
  local kind port pid ring_pids=()
  for kind in account container object; do
    port=$(_swift_free_port)
    _swift_server_conf "$kind" "$port"
    eval "SWIFT_${kind^^}_PORT=$port"
    (cd "$SWIFT_DIR" && swift-ring-builder "$kind.builder" create 0 1 1 >/dev/null &&
      swift-ring-builder "$kind.builder" add "r1z1-127.0.0.1:$port/d1" 100 >/dev/null &&
      swift-ring-builder "$kind.builder" rebalance >/dev/null) &
    ring_pids+=($!)
  done
  for pid in "${ring_pids[@]}"; do
    wait "$pid" || { echo "swift: building a ring failed" >&2; return 1; }
  done
  for kind in account container object; do
    /usr/bin/python3 "/usr/bin/swift-$kind-server" "$SWIFT_DIR/$kind-server.conf" >>"$SWIFT_DIR/$kind.log" 2>&1 &
    SWIFT_PIDS+=($!)
    [[ $kind == object ]] && SWIFT_OBJECT_PID=$!
  done
  SWIFT_PROXY_PORT=$(_swift_free_port)
  _swift_proxy_conf "$SWIFT_PROXY_PORT"
  # Starting is mostly Python importing Swift: all four at once, not in turn.
  _swift_launch_proxy
  for port in $SWIFT_ACCOUNT_PORT $SWIFT_CONTAINER_PORT $SWIFT_OBJECT_PORT $SWIFT_PROXY_PORT; do
    _swift_wait_port "$port" 90 || { cat "$SWIFT_DIR"/*.log >&2; echo "swift: a server did not start" >&2; return 1; }
  done
  export AWS_ENDPOINT_URL="http://127.0.0.1:$SWIFT_PROXY_PORT"
  export AWS_ACCESS_KEY_ID="test:tester" AWS_SECRET_ACCESS_KEY="testing" AWS_REGION="us-east-1"
  unset AWS_SESSION_TOKEN AWS_DEFAULT_REGION
}

swift_stop() {
  swift_stop_proxy
  local pid
  for pid in "${SWIFT_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SWIFT_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  SWIFT_PIDS=()
  [[ -n "$SWIFT_DIR" && -d "$SWIFT_DIR" ]] && rm -rf "$SWIFT_DIR"
  SWIFT_DIR=""
}
