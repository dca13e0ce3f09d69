#!/usr/bin/env bash
# Marquee's benchmark suite, one command: installs what it needs, builds a
# Release binary in build-bench/, generates the data (1x = 45,466 movies,
# 100x = 4,546,600), times every benchmark several times beside its baselines
# measured in the same run, runs the Google Benchmark micro-benchmarks, and
# writes docs/BENCHMARKS.md (median [min, max] of each figure).
#
#   bench/run.sh
#
# Knobs (environment): BENCH_RUNS (runs per small figure, default 5),
# BENCH_BIG_RUNS (runs per 100x figure, default 3), BENCH_WRK_SECONDS (per
# wrk run, default 5), BENCH_QUICK=1 (1x only: no 100x data, no 100x loads),
# BENCH_SQLITE_100X=0 (no 100x load into SQLite), BENCH_HUGE=1 (memory
# growth measured at 100x and 1000x real-shaped, 3.9 GB inputs), BENCH_WORK (scratch
# directory, default build-bench/work; 100x needs ~15 GB: the SQLite database
# and its WAL reach 10 GB during the load).
# Benchmarks are not tests: ctest never runs this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BUILD=$ROOT/build-bench
WORK=${BENCH_WORK:-$BUILD/work}
DATA=$WORK/data
RESULTS=$WORK/results
RUNS=${BENCH_RUNS:-5}
BIG_RUNS=${BENCH_BIG_RUNS:-3}
WRK_SECONDS=${BENCH_WRK_SECONDS:-5}
QUICK=${BENCH_QUICK:-0}
DATA_DIR=${MARQUEE_DATA_DIR:-$ROOT/../shared/data/the-movies-dataset}
M=$BUILD/src/cli/marquee
started=$(date +%s)

log() { echo "bench: $*" >&2; }
# Records a figure that could not be measured, with the reason, for the report.
skip() { printf '{"section": "%s", "skipped": "%s"}\n' "$1" "$2" >>"$RESULTS/index.jsonl"; log "skipped $1: $2"; }

# time_runs SECTION RUNS FILE_BYTES NAME CMD [NAME CMD ...]: hyperfine, whole
# processes, no shell in between; one JSON file per section.
time_runs() {
  local section=$1 runs=$2 bytes=$3
  shift 3
  local args=() slug
  slug=$(echo "$section" | tr -c 'a-zA-Z0-9' '_')
  while (($#)); do
    args+=(-n "$1" "$2")
    shift 2
  done
  log "timing: $section"
  # A warm-up run only where runs are short and many; long runs are timed as
  # they come (the input is in the page cache already).
  local warmup=0
  ((runs > 3)) && warmup=1
  if hyperfine -N --style basic --warmup "$warmup" --runs "$runs" --export-json "$RESULTS/$slug.json" "${args[@]}" >&2; then
    printf '{"section": "%s", "json": "%s", "bytes": %s}\n' "$section" "$slug.json" "$bytes" >>"$RESULTS/index.jsonl"
  else
    skip "$section" "a command failed (see the log)"
    return 1
  fi
}

# peak_rss NAME CMD...: the peak resident set of one run, in KiB.
peak_rss() {
  local name=$1
  shift
  local kib
  kib=$(python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@")
  printf '{"section": "peak_rss", "name": "%s", "kib": %s}\n' "$name" "$kib" >>"$RESULTS/index.jsonl"
}

install() {
  log "installing dependencies"
  scripts/install-deps.sh --bench
  tests/parquet/install.sh >&2 || log "npm packages unavailable: the DuckDB baseline will be skipped"
}

build() {
  log "building Release into build-bench/"
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMARQUEE_BENCH=ON >/dev/null
  ninja -C "$BUILD" marquee marquee_csv_bench marquee_literal_bench marquee_validate_bench \
    marquee_numbers_bench parquet_writer_bench sqlite_file_bench >&2
}

# generate FILE MOVIES: deterministic (seed 1), so an existing file of the
# right size is kept from an earlier run.
generate() {
  local file=$1 movies=$2 stamp="$1.stamp"
  if [[ -f "$file" && -f "$stamp" && "$(cat "$stamp")" == "$movies $(stat -c %s "$file")" ]]; then return; fi
  log "generating $movies movies into $file"
  "$M" generate --movies "$movies" --seed 1 --out "$file" >&2
  echo "$movies $(stat -c %s "$file")" >"$stamp"
}

machine() {
  python3 - "$RESULTS/machine.json" <<'EOF'
import json, os, platform, subprocess, sys
def lscpu(field):
    for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
        if line.split(":")[0].strip() == field:
            return line.split(":", 1)[1].strip()
    return "?"
mem = next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1]
load = open("/proc/loadavg").read().split()[:3]
json.dump({"cpu": lscpu("Model name"), "cores": os.cpu_count(), "memory_gib": round(int(mem) / 2**20, 1),
           "kernel": platform.release(), "os": platform.freedesktop_os_release().get("PRETTY_NAME", "?"),
           "load_before": load}, open(sys.argv[1], "w"))
EOF
}

etl_benchmarks() {
  local out=$WORK/out d1=$DATA/movies_1x.csv d100=$DATA/movies_100x.csv head=$DATA_DIR/movies_metadata.head.csv
  local duck=(node "$ROOT/bench/duckdb_genre_year.mjs")
  local have_duck=1
  [[ -d tests/parquet/node_modules/@duckdb/node-api ]] || have_duck=0

  if [[ -f "$head" ]]; then
    time_runs "etl real sample (movies_metadata.head.csv, 4,627 records)" "$RUNS" "$(stat -c %s "$head")" \
      "wc -l" "wc -l $head" \
      "marquee etl (Parquet)" "$M etl $head --out $out/head"
  else
    skip "etl real sample" "movies_metadata.head.csv not found in $DATA_DIR"
  fi

  local cmds=("wc -l" "wc -l $d1"
    "marquee etl (Parquet)" "$M etl $d1 --out $out/1x"
    "marquee etl (Parquet) --threads 1" "$M etl $d1 --out $out/1x-t1 --threads 1"
    "marquee etl --format csv" "$M etl $d1 --out $out/1x-csv --format csv")
  ((have_duck)) && cmds+=("DuckDB: read CSV + genre_year rollup" "${duck[*]} $d1")
  time_runs "etl 1x (45,466 movies)" "$RUNS" "$(stat -c %s "$d1")" "${cmds[@]}" ||
    { have_duck=0; time_runs "etl 1x (45,466 movies)" "$RUNS" "$(stat -c %s "$d1")" "${cmds[@]:0:8}"; }
  peak_rss "marquee etl 1x" "$M" etl "$d1" --out "$out/1x-rss"
  ((have_duck)) || skip "DuckDB baseline" "tests/parquet/install.sh could not install @duckdb/node-api"

  if [[ "$QUICK" != 1 ]]; then
    cmds=("wc -l" "wc -l $d100"
      "marquee etl (Parquet)" "$M etl $d100 --out $out/100x"
      "marquee etl --format csv" "$M etl $d100 --out $out/100x-csv --format csv")
    ((have_duck)) && cmds+=("DuckDB: read CSV + genre_year rollup" "${duck[*]} $d100")
    time_runs "etl 100x (4,546,600 movies)" "$BIG_RUNS" "$(stat -c %s "$d100")" "${cmds[@]}" ||
      time_runs "etl 100x (4,546,600 movies)" "$BIG_RUNS" "$(stat -c %s "$d100")" "${cmds[@]:0:6}"
    peak_rss "marquee etl 100x" "$M" etl "$d100" --out "$out/100x-rss"
    rm -rf "$out/100x" "$out/100x-csv" "$out/100x-rss"
  fi
}

# Issue 16: audience ratings at the real ratings.csv's volume (26,024,289
# rows; BENCH_RATINGS to change, 1,000,000 with BENCH_QUICK=1), generated
# beside 1x movies (`marquee generate --ratings N`: links.csv and ratings.csv
# in the same directory), timed beside wc -l and the movies-only ETL.
ratings_benchmarks() {
  local n=${BENCH_RATINGS:-26024289}
  [[ "$QUICK" == 1 ]] && n=${BENCH_RATINGS:-1000000}
  local dir=$DATA/ratings_$n out=$WORK/out
  local stamp="$dir/stamp"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "45466 $n" ]]; then
    mkdir -p "$dir"
    log "generating 45466 movies and $n ratings into $dir"
    "$M" generate --movies 45466 --seed 1 --out "$dir/movies_metadata.csv" --ratings "$n" >&2
    echo "45466 $n" >"$stamp"
  fi
  cat "$dir"/*.csv >/dev/null
  time_runs "etl with ratings (45,466 movies, $n ratings)" "$BIG_RUNS" \
    "$(($(stat -c %s "$dir/ratings.csv") + $(stat -c %s "$dir/movies_metadata.csv")))" \
    "wc -l ratings.csv" "wc -l $dir/ratings.csv" \
    "marquee etl, movies only" "$M etl $dir/movies_metadata.csv --out $out/ratings-movies" \
    "marquee etl DIR (movies, links, ratings)" "$M etl $dir --out $out/ratings-all"
  peak_rss "marquee etl with $n ratings" "$M" etl "$dir" --out "$out/ratings-rss"
  rm -rf "$out/ratings-movies" "$out/ratings-all" "$out/ratings-rss"
}

# Issue 11: the real sample scaled up (bench/scale_sample.py: ids offset per
# copy, company ids on every other copy), so literals, text and id ranges have
# the real file's shape; beside wc -l, DuckDB's plain transcode, DuckDB doing
# the whole job in SQL (bench/duckdb_job.sql, checked equal to marquee etl by
# tests/bench_check), and the whole job (marquee run into SQLite) on the same file.
real_shaped_benchmarks() {
  local head=$DATA_DIR/movies_metadata.head.csv copies=100
  [[ "$QUICK" == 1 ]] && copies=10
  if [[ ! -f "$head" ]]; then
    skip "etl real-shaped" "movies_metadata.head.csv not found in $DATA_DIR"
    return
  fi
  local file=$DATA/real_shaped_${copies}x.csv out=$WORK/out
  if [[ ! -f "$file" ]]; then
    log "scaling the real sample ${copies}x into $file"
    python3 "$ROOT/bench/scale_sample.py" "$head" "$copies" "$file"
  fi
  local cmds=("wc -l" "wc -l $file"
    "marquee etl (Parquet)" "$M etl $file --out $out/real"
    "marquee run into SQLite (ETL + load + publish)" "$M run $file --data-dir $out/real-run --keep 1")
  [[ -d tests/parquet/node_modules/@duckdb/node-api ]] &&
    cmds+=("DuckDB: plain transcode to Parquet (all varchar)" "node $ROOT/bench/duckdb_transcode.mjs $file $out/real-duck.parquet"
      "DuckDB: whole job in SQL" "node $ROOT/bench/duckdb_job.mjs $file $out/real-duck-job")
  time_runs "etl real-shaped ${copies}x ($((4627 * copies)) records)" "$BIG_RUNS" "$(stat -c %s "$file")" "${cmds[@]}"
  peak_rss "marquee etl real-shaped ${copies}x" "$M" etl "$file" --out "$out/real-rss"
  rm -rf "$out/real" "$out/real-run" "$out/real-rss" "$out/real-duck.parquet" "$out/real-duck-job"
}

micro_benchmarks() {
  log "micro-benchmarks"
  local bench
  for bench in src/csv/marquee_csv_bench src/literal/marquee_literal_bench src/model/marquee_validate_bench \
    src/model/marquee_numbers_bench src/parquet/parquet_writer_bench src/store/sqlite_file_bench; do
    "$BUILD/$bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=false \
      --benchmark_format=json --benchmark_out="$RESULTS/micro_$(basename "$bench").json" \
      --benchmark_out_format=json >/dev/null
  done
}

# --- load and API: need `marquee run`, `load`, `serve` and `token` -------------

has_command() { "$M" --help 2>/dev/null | grep -qE "^  $1 "; }

load_benchmarks() {
  if ! has_command run || ! has_command load; then
    skip "load" "this build has no \`marquee run\`/\`marquee load\`"
    return
  fi
  local api=$WORK/api
  rm -rf "$api"
  # One run of the pipeline (ETL + load + publish), kept for the API below.
  time_runs "marquee run 1x into SQLite (ETL + load + publish)" 3 "$(stat -c %s "$DATA/movies_1x.csv")" \
    "marquee run" "$M run $DATA/movies_1x.csv --data-dir $api"
  local run_dir
  run_dir=$(ls -d "$api"/runs/*/ | head -1)
  RUN_DIR_1X=$run_dir
  log "timing: load 1x into SQLite"
  if hyperfine -N --style basic --warmup 1 --runs "$RUNS" --prepare "rm -rf $WORK/load-sqlite" \
    --export-json "$RESULTS/load_sqlite_1x.json" \
    -n "marquee load (SQLite)" "$M load $run_dir --data-dir $WORK/load-sqlite" >&2; then
    printf '{"section": "%s", "json": "load_sqlite_1x.json", "bytes": 0}\n' "load 1x run into SQLite" >>"$RESULTS/index.jsonl"
  else
    skip "load 1x run into SQLite" "marquee load failed (see the log)"
  fi

  # PostgreSQL: the test suites' throw-away server (tests/lib/postgres.sh;
  # note: it runs with fsync=off), a fresh database for every load.
  local pg_lib=$ROOT/tests/lib/postgres.sh have_pg=0
  if [[ -f "$pg_lib" && -x /usr/lib/postgresql/15/bin/initdb ]]; then
    # shellcheck source=/dev/null
    PG_NO_TRAP=1 source "$pg_lib"
    PG_NO_TRAP=1 pg_start >/dev/null 2>&1 && have_pg=1 && PG_STARTED=1
  fi
  if ((have_pg)); then
    local fresh="bash -c '$PG_BIN/dropdb --if-exists bench && $PG_BIN/createdb bench && rm -rf $WORK/load-pg'"
    PG_URL="postgresql://marquee@127.0.0.1:$PGPORT/bench"
    log "timing: load 1x into PostgreSQL"
    if hyperfine -N --style basic --runs "$RUNS" --prepare "$fresh" --export-json "$RESULTS/load_pg_1x.json" \
      -n "marquee load (PostgreSQL, COPY)" "$M load $run_dir --data-dir $WORK/load-pg --db $PG_URL" >&2; then
      printf '{"section": "%s", "json": "load_pg_1x.json", "bytes": 0}\n' "load 1x run into PostgreSQL" >>"$RESULTS/index.jsonl"
    else
      skip "load 1x run into PostgreSQL" "marquee load failed (see the log)"
    fi
  else
    skip "load into PostgreSQL" "PostgreSQL 15 server binaries or tests/lib/postgres.sh not available"
  fi

  HAVE_PG=$have_pg
}

# Issue 11's load target, on the real-shaped input: `marquee run` end to end
# against `marquee etl` alone, in the same hyperfine section, into SQLite and
# into PostgreSQL (a fresh data directory and database before every run). Then
# retirement: a second run with --keep 1 retires the first, and says how long
# that took ("retention: retired 1 run(s) in N ms").
load_real_shaped_benchmarks() {
  local copies=100
  [[ "$QUICK" == 1 ]] && copies=10
  local file=$DATA/real_shaped_${copies}x.csv out=$WORK/out/load-real
  if [[ ! -f "$file" ]]; then
    skip "load real-shaped" "$file not built (see etl real-shaped)"
    return
  fi
  local cmds=("marquee etl (Parquet)" "$M etl $file --out $out/etl"
    "marquee run into SQLite" "$M run $file --data-dir $out/sqlite --keep 1")
  local fresh="rm -rf $out"
  if ((${HAVE_PG:-0})); then
    fresh="bash -c '$PG_BIN/dropdb --if-exists bench && $PG_BIN/createdb bench && rm -rf $out'"
    cmds+=("marquee run into PostgreSQL" "$M run $file --data-dir $out/pg --keep 1 --db $PG_URL")
  else
    skip "load real-shaped into PostgreSQL" "no PostgreSQL server (see load 1x)"
  fi
  log "timing: load real-shaped ${copies}x"
  local slug="load_real_shaped"
  local args=() i
  for ((i = 0; i < ${#cmds[@]}; i += 2)); do args+=(-n "${cmds[i]}" "${cmds[i + 1]}"); done
  if hyperfine -N --style basic --runs "$BIG_RUNS" --prepare "$fresh" --export-json "$RESULTS/$slug.json" "${args[@]}" >&2; then
    printf '{"section": "%s", "json": "%s.json", "bytes": %s}\n' "load real-shaped ${copies}x: marquee run against marquee etl" \
      "$slug" "$(stat -L -c %s "$file")" >>"$RESULTS/index.jsonl"
  else
    skip "load real-shaped" "a command failed (see the log)"
  fi
  retire_time "SQLite" "$file" "$out/retire-sqlite"
  if ((${HAVE_PG:-0})); then
    bash -c "$PG_BIN/dropdb --if-exists bench && $PG_BIN/createdb bench"
    retire_time "PostgreSQL" "$file" "$out/retire-pg" --db "$PG_URL"
  fi
  rm -rf "$out"
}

# retire_time DATABASE FILE DATA_DIR [--db URL]: two runs of FILE; the second
# (--keep 1) retires the first.
retire_time() {
  local name=$1 file=$2 dir=$3 ms
  shift 3
  "$M" run "$file" --data-dir "$dir" "$@" >/dev/null 2>&1 || { skip "retire ($name)" "first run failed"; return; }
  ms=$("$M" run "$file" --data-dir "$dir" --keep 1 "$@" 2>&1 | sed -n 's/.*retention: retired 1 run(s) in \([0-9]*\) ms.*/\1/p')
  if [[ -n "$ms" ]]; then
    printf '{"section": "retire", "name": "%s", "ms": %s}\n' "$name" "$ms" >>"$RESULTS/index.jsonl"
  else
    skip "retire ($name)" "the second run did not report a retirement"
  fi
}

# 100x: the whole pipeline into PostgreSQL and into SQLite once each (about
# 3.5 minutes each; the report subtracts the ETL's time to give the load's).
# BENCH_SQLITE_100X=0 leaves SQLite out. Timed after the API: for a minute
# after these loads (gigabytes of databases deleted, written back) the
# machine is not settled, and an API run then saw p99 of 27 ms instead of
# 1.3 ms.
load_100x_benchmarks() {
  if [[ "$QUICK" != 1 ]]; then
    local big=$WORK/api-100x
    rm -rf "$big"
    if ((${HAVE_PG:-0})); then
      bash -c "$PG_BIN/dropdb --if-exists bench && $PG_BIN/createdb bench"
      time_runs "marquee run 100x into PostgreSQL (ETL + load + publish)" 1 "$(stat -c %s "$DATA/movies_100x.csv")" \
        "marquee run" "$M run $DATA/movies_100x.csv --data-dir $big --db $PG_URL"
    fi
    if [[ "${BENCH_SQLITE_100X:-1}" == 1 ]]; then
      rm -rf "$big"
      time_runs "marquee run 100x into SQLite (ETL + load + publish)" 1 "$(stat -c %s "$DATA/movies_100x.csv")" \
        "marquee run" "$M run $DATA/movies_100x.csv --data-dir $big"
    else
      skip "load 100x into SQLite" "left out with BENCH_SQLITE_100X=0"
    fi
    rm -rf "$big" "$WORK/load-pg-100x"
  fi
  stop_postgres
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_ready() {
  local url=$1 i
  for i in $(seq 1 100); do
    curl -sf -o /dev/null "$url" && return 0
    sleep 0.1
  done
  return 1
}

# wrk_runs NAME URL [LUA ARGS...]: BENCH runs of wrk; one JSON line each.
wrk_runs() {
  local name=$1 url=$2
  shift 2
  local i line
  for i in $(seq 1 3); do
    line=$(wrk -t2 -c32 -d"${WRK_SECONDS}s" -H "Authorization: Bearer $TOKEN" -s "$ROOT/bench/wrk_report.lua" \
      "$url" -- "$@" | grep '^RESULT')
    read -r _ rps p50 p99 errors <<<"$line"
    printf '{"section": "api", "name": "%s", "rps": %s, "p50_us": %s, "p99_us": %s, "errors": %s}\n' \
      "$name" "$rps" "$p50" "$p99" "$errors" >>"$RESULTS/index.jsonl"
  done
}

api_benchmarks() {
  if ! has_command serve || ! has_command token || [[ -z "${RUN_DIR_1X:-}" ]]; then
    skip "api" "this build has no \`marquee serve\`/\`marquee token\`, or no run was loaded"
    return
  fi
  local api=$WORK/api port nginx_port
  port=$(free_port)
  "$M" serve --data-dir "$api" --listen "127.0.0.1:$port" >"$WORK/serve.log" 2>&1 &
  BACKGROUND+=($!)
  if ! wait_ready "http://127.0.0.1:$port/readyz"; then
    skip "api" "marquee serve did not become ready (see $WORK/serve.log)"
    return
  fi
  TOKEN=$("$M" token --sub bench --data-dir "$api" --ttl 1h)
  local cached=/v1/genres/most-popular
  # The same JSON body, for nginx to serve as a static file.
  mkdir -p "$WORK/static/v1/genres" "$WORK/nginx"
  curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port$cached" >"$WORK/static$cached"
  curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/v1/companies?limit=1000" |
    python3 -c 'import json,sys; print("\n".join(str(c["id"]) for c in json.load(sys.stdin)["companies"]))' \
      >"$WORK/company_ids.txt"
  nginx_port=$(free_port)
  cat >"$WORK/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { root $WORK/static; default_type application/json; }
  }
}
EOF
  nginx -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
  BACKGROUND+=($!)
  wait_ready "http://127.0.0.1:$nginx_port$cached" || { skip "api" "nginx did not start"; return; }
  log "wrk: cached route, uncached route, nginx (${WRK_SECONDS}s x 3 each)"
  wrk_runs "marquee serve, cached: GET $cached" "http://127.0.0.1:$port" "$cached"
  wrk_runs "marquee serve, uncached: GET /v1/companies/{id}/years?from={year} (random)" \
    "http://127.0.0.1:$port" "@$WORK/company_ids.txt" "/v1/companies/{id}/years?from={year}"
  wrk_runs "nginx, same body as a static file" "http://127.0.0.1:$nginx_port" "$cached"
  stop_servers
}

# Servers started in the background; stopped when done, or on any exit.
BACKGROUND=()
stop_servers() {
  local pid
  for pid in "${BACKGROUND[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${BACKGROUND[@]}"; do wait "$pid" 2>/dev/null || true; done
  BACKGROUND=()
}
stop_postgres() {
  if [[ "${PG_STARTED:-0}" == 1 ]]; then
    pg_stop >/dev/null 2>&1 || true
    PG_STARTED=0
  fi
}
stop_background() {
  stop_servers
  stop_postgres
}
trap stop_background EXIT
trap 'exit 130' INT TERM  # so that the EXIT trap stops the servers then too

# Issue 11: where the CPU goes, per stage, on the real-shaped input. The etl's
# threads are named after their stage (marquee-read, marquee-check, ...; the
# calling thread keeps "marquee"), so perf's samples grouped by thread name
# split the time by stage, and grouped by library show what zstd, SHA-256 and
# the kernel take. cpu-clock sampling, because hardware counters are not
# available on every machine here.
profile_stages() {
  local copies=100
  [[ "$QUICK" == 1 ]] && copies=10
  local file=$DATA/real_shaped_${copies}x.csv out=$WORK/out/profile
  [[ -f "$file" ]] || { skip "profile" "$file is missing (needs the real sample)"; return; }
  command -v perf >/dev/null || { skip "profile" "perf (Debian linux-perf) is not installed"; return; }
  log "profiling marquee etl on $file"
  perf record -q -e cpu-clock -F 999 -o "$WORK/etl.perf" -- "$M" etl "$file" --out "$out" >/dev/null 2>&1 ||
    { skip "profile" "perf record failed (perf_event_paranoid?)"; return; }
  local sort
  for sort in comm dso; do
    perf report -i "$WORK/etl.perf" --no-children --sort "$sort" --stdio -q 2>/dev/null |
      python3 -c 'import json, sys
shares = {}
for line in sys.stdin:
    parts = line.split()
    if len(parts) >= 2 and parts[0].endswith("%"):
        shares[" ".join(parts[1:])] = float(parts[0][:-1])
print(json.dumps({"section": "profile", "by": sys.argv[1], "records": int(sys.argv[2]), "shares": shares}))' \
        "$sort" "$((4627 * copies))" >>"$RESULTS/index.jsonl"
  done
  rm -rf "$out" "$WORK/etl.perf"
}

# Issue 11: how peak memory grows, on real-shaped inputs: N and 10N copies
# with the usual company offsets (every other copy), and 10N copies whose
# every copy has companies of its own; the first pair gives memory per
# million movies, the second per million companies (counted in each run's
# manifest). N = 10; BENCH_HUGE=1 makes it 100 (the 1000x inputs are 3.9 GB
# each and are deleted afterwards).
memory_growth() {
  local head=$DATA_DIR/movies_metadata.head.csv n=10
  [[ -f "$head" ]] || { skip "memory growth" "movies_metadata.head.csv not found in $DATA_DIR"; return; }
  [[ "${BENCH_HUGE:-0}" == 1 ]] && n=100
  local specs=("$n 2" "$((n * 10)) 2" "$((n * 10)) 1")
  local spec copies every file out kib
  for spec in "${specs[@]}"; do
    read -r copies every <<<"$spec"
    file=$DATA/real_shaped_${copies}x_c${every}.csv out=$WORK/out/mem
    [[ -f "$file" ]] || python3 "$ROOT/bench/scale_sample.py" "$head" "$copies" "$file" "$every"
    rm -rf "$out"
    kib=$(python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$M" etl "$file" --out "$out")
    python3 - "$out/manifest.json" "$copies" "$every" "$kib" >>"$RESULTS/index.jsonl" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(json.dumps({"section": "memory_growth", "copies": int(sys.argv[2]), "company_every": int(sys.argv[3]),
                  "kib": int(sys.argv[4]), "movies": m["counts"]["movies_kept"],
                  "companies": m["tables"]["company"]["rows"], "company_years": m["tables"]["company_year"]["rows"]}))
PY
    rm -rf "$out"
    if [[ "$copies" == 1000 ]]; then rm -f "$file"; fi
  done
}

main() {
  install
  build
  mkdir -p "$DATA" "$RESULTS"
  rm -f "$RESULTS"/*.json "$RESULTS/index.jsonl"
  # Leftovers of an interrupted run: only the generated data is kept.
  find "$WORK" -mindepth 1 -maxdepth 1 ! -name data ! -name results -exec rm -rf {} +
  machine
  generate "$DATA/movies_1x.csv" 45466
  [[ "$QUICK" == 1 ]] || generate "$DATA/movies_100x.csv" 4546600
  # Read once so that every timed run finds the input in the page cache.
  cat "$DATA"/*.csv >/dev/null
  etl_benchmarks
  real_shaped_benchmarks || skip "etl real-shaped" "failed; see the log above"
  profile_stages || skip "profile" "failed; see the log above"
  memory_growth || skip "memory growth" "failed; see the log above"
  ratings_benchmarks || skip "etl with ratings" "failed; see the log above"
  micro_benchmarks
  load_benchmarks || skip "load" "failed; see the log above"
  load_real_shaped_benchmarks || skip "load real-shaped" "failed; see the log above"
  api_benchmarks || skip "api" "failed; see the log above"
  load_100x_benchmarks || skip "load 100x" "failed; see the log above"
  local report=${BENCH_REPORT:-$ROOT/docs/BENCHMARKS.md}
  python3 "$ROOT/bench/report.py" "$RESULTS" "$report" "$(($(date +%s) - started))"
  log "wrote $report in $(($(date +%s) - started)) s"
}

main "$@"
