#!/usr/bin/env python3
"""Observability (docs/OBSERVABILITY.md) against real components on free
loopback ports: Etsy's statsd daemon (tests/obs/node_modules), redis-server,
Prometheus, real marquee jobs and `marquee serve`. Figures are compared with
the job's own manifest and with the requests this suite made; at the end,
every name emitted is checked against the documentation's tables, both ways.
  suite_obs.py --marquee BIN --source-dir DIR --work DIR"""
import argparse
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "api"))
from harness import (Failure, Marquee, Redis, Server, check, check_eq, claims, free_port, hs256,  # noqa: E402
                     section)

SECRET = "obs-suite-secret-0123456789abcdef0123456789"
EMITTED_METRICS, EMITTED_EVENTS = set(), set()


# ------------------------------------------------------------------ components

class Statsd:
    """Etsy's statsd with a backend that writes what it aggregated to a file."""

    def __init__(self, work):
        self.port, self.mgmt = free_port(), free_port()
        self.totals = os.path.join(work, f"statsd-{self.port}.json")
        config = os.path.join(work, f"statsd-{self.port}.js")
        with open(config, "w") as f:
            f.write(json.dumps({"port": self.port, "mgmt_port": self.mgmt, "address": "127.0.0.1",
                                "mgmt_address": "127.0.0.1", "flushInterval": 200, "deleteCounters": True,
                                "deleteTimers": True, "deleteGauges": False,
                                "backends": [os.path.join(HERE, "statsd_backend.js")],
                                "marqueeTotalsFile": self.totals}))
        self.process = subprocess.Popen(["node", os.path.join(HERE, "node_modules", "statsd", "stats.js"), config],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while True:  # the management port answers once the daemon is up
            try:
                with socket.create_connection(("127.0.0.1", self.mgmt), timeout=1) as s:
                    s.sendall(b"health\n")
                    if b"up" in s.recv(100):
                        break
            except OSError:
                pass
            check(time.monotonic() < deadline, "statsd did not start")
            time.sleep(0.1)

    def address(self):
        return f"127.0.0.1:{self.port}"

    def read(self, settle=0.8):
        time.sleep(settle)  # a few flush intervals
        with open(self.totals) as f:
            totals = json.load(f)
        check_eq(totals["bad_lines_seen"], 0, "statsd parsed every line Marquee sent")
        for kind in ("counters", "timers", "gauges"):
            EMITTED_METRICS.update(totals[kind])
        return totals

    def stop(self):
        self.process.kill()
        self.process.wait()


def resp_read(f):
    """One RESP value from a socket file (enough for XREADGROUP replies)."""
    line = f.readline()
    kind, rest = line[:1], line[1:].strip()
    if kind in (b"+", b"-"):
        return rest.decode()
    if kind == b":":
        return int(rest)
    if kind == b"$":
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)[:-2]
        return data.decode()
    if kind == b"*":
        n = int(rest)
        return None if n < 0 else [resp_read(f) for _ in range(n)]
    raise Failure(f"unexpected RESP reply {line!r}")


def redis_call(port, *parts):
    payload = f"*{len(parts)}\r\n" + "".join(f"${len(p.encode())}\r\n{p}\r\n" for p in parts)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(payload.encode())
        with s.makefile("rb") as f:
            return resp_read(f)


def group_events(port, group):
    """The events a consumer group has not read yet, in stream order."""
    reply = redis_call(port, "XREADGROUP", "GROUP", group, "c1", "COUNT", "1000", "STREAMS", "marquee:events", ">")
    events = []
    for _, entries in reply or []:
        for _, fields in entries:
            values = dict(zip(fields[::2], fields[1::2]))
            events.append(json.loads(values["event"]))
    return events


def file_events(data_dir):
    path = os.path.join(data_dir, "events.jsonl")
    with open(path) as f:
        events = [json.loads(line) for line in f]
    EMITTED_EVENTS.update(e["type"] for e in events)
    return events


def manifest_of(run_dir):
    with open(os.path.join(run_dir, "manifest.json")) as f:
        return json.load(f)


def run_cli(marquee, *args, env=None, expect=0):
    out = subprocess.run([marquee, *args], capture_output=True, text=True, timeout=300,
                         env={**os.environ, **(env or {})})
    check_eq(out.returncode, expect, f"marquee {' '.join(args[:2])} exit code ({out.stderr[-500:]})")
    return out


def run_id_of(stdout):
    match = re.search(r"run (\S+) (?:published|loaded)", stdout)
    check(match is not None, f"no run id in {stdout!r}")
    return match.group(1)


# ------------------------------------------------------------------ cases

def job_metrics_equal_the_manifest(args, statsd, work, csv):
    section("StatsD: a run's metrics equal its manifest; a failed run counts as failed")
    data = os.path.join(work, "jobs")
    out = run_cli(args.marquee, "run", csv, "--data-dir", data, "--statsd", statsd.address(), "--keep", "1")
    run = run_id_of(out.stdout)
    m = manifest_of(os.path.join(data, "runs", run))
    t = statsd.read()
    c = t["counters"]
    for key, value in m["counts"].items():
        check_eq(c.get(f"marquee.job.run.{key}"), value, f"job.run.{key}")
    for key, value in m["diagnostics"].items():
        severity, reason = key.split("/")
        check_eq(c.get(f"marquee.job.run.diagnostics.{severity}.{reason}"), value, f"diagnostics {key}")
    for table, entry in m["tables"].items():
        check_eq(t["gauges"].get(f"marquee.job.run.table_rows.{table}"), entry["rows"], f"table_rows.{table}")
    check_eq(c.get("marquee.job.run.rows_loaded"), sum(e["rows"] for e in m["tables"].values()), "rows_loaded")
    check_eq(c.get("marquee.job.run.succeeded"), 1, "succeeded")
    check_eq(t["gauges"].get("marquee.published.movies"), m["counts"]["movies_kept"], "published.movies")
    check_eq(t["gauges"].get("marquee.published.generation"), 1, "published.generation")
    for stage in ("read_validate", "write", "load", "publish"):
        check(len(t["timers"].get(f"marquee.job.run.stage.{stage}", [])) == 1, f"one stage.{stage} timing")
    check(t["timers"]["marquee.job.run.duration"][0] >= t["timers"]["marquee.job.run.stage.load"][0],
          "the whole job lasts at least its load")
    # A second run retires the first (--keep 1); a third over the reject ratio fails.
    run_cli(args.marquee, "run", csv, "--data-dir", data, "--statsd", statsd.address(), "--keep", "1")
    bad = os.path.join(work, "bad.csv")
    with open(csv) as src, open(bad, "w") as dst:
        lines = src.readlines()
        dst.writelines(lines[:1] + ["not,a,movie\n"] * 5 + lines[1:20])
    run_cli(args.marquee, "run", bad, "--data-dir", data, "--statsd", statsd.address(), "--max-reject-ratio", "0.01",
            expect=1)
    t = statsd.read()
    check_eq(t["counters"].get("marquee.job.run.retired"), 1, "retired counted")
    check_eq(t["counters"].get("marquee.job.run.failed"), 1, "failed counted")
    check_eq(t["counters"].get("marquee.job.run.succeeded"), 2, "two successes")
    # load and publish report too.
    runs = [d for d in os.listdir(os.path.join(data, "runs")) if not d.startswith(".")]
    other = os.path.join(work, "jobs-load")
    run_cli(args.marquee, "load", os.path.join(data, "runs", runs[0]), "--data-dir", other, "--statsd",
            statsd.address(), "--publish")
    run_cli(args.marquee, "publish", runs[0], "--data-dir", data, "--statsd", statsd.address())
    t = statsd.read()
    check_eq(t["counters"].get("marquee.job.load.succeeded"), 1, "load succeeded")
    check_eq(t["counters"].get("marquee.job.publish.succeeded"), 1, "publish succeeded")
    etl_out = os.path.join(work, "etl-out")
    run_cli(args.marquee, "etl", csv, "--out", etl_out, "--statsd", statsd.address())
    t = statsd.read()
    check_eq(t["counters"].get("marquee.job.etl.records_read"), manifest_of(etl_out)["counts"]["records_read"],
             "etl records_read")
    file_events(etl_out)
    return data


def dead_daemons_never_fail_a_job(args, work, csv):
    section("StatsD absent or a blackhole: the job completes and exits 0")
    blackhole = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    blackhole.bind(("127.0.0.1", 0))  # bound, never read
    absent = free_port()
    try:
        for target in (f"127.0.0.1:{blackhole.getsockname()[1]}", f"127.0.0.1:{absent}"):
            out = os.path.join(work, f"etl-{target.split(':')[1]}")
            run_cli(args.marquee, "etl", csv, "--out", out, "--statsd", target)
            check_eq(manifest_of(out)["status"], "succeeded", f"etl with statsd at {target}")
        run_cli(args.marquee, "etl", csv, "--out", os.path.join(work, "etl-bad"), "--statsd", "nonsense", expect=2)
    finally:
        blackhole.close()


def events_on_redis(args, statsd, work, csv, data):
    section("Events: a consumer group reads job_started..published in order, failed over the ratio")
    redis = Redis(tempfile.mkdtemp(dir=work))
    try:
        check_eq(redis_call(redis.port, "XGROUP", "CREATE", "marquee:events", "g", "$", "MKSTREAM"), "OK", "group")
        events_data = os.path.join(work, "events")
        url = f"redis://127.0.0.1:{redis.port}"
        out = run_cli(args.marquee, "run", csv, "--data-dir", events_data, "--events", url)
        run = run_id_of(out.stdout)
        got = group_events(redis.port, "g")
        check_eq([e["type"] for e in got], ["job_started", "transformed", "loaded", "published"], "event order")
        check(all(e["run_id"] == run for e in got), "every event names the run")
        m = manifest_of(os.path.join(events_data, "runs", run))
        check_eq(got[1]["counts"], m["counts"], "transformed carries the manifest's counts")
        check_eq(got[3]["previous_run_id"], None, "first publish has no previous run")
        for key in ("event_id", "time", "marquee_version", "host"):
            check(got[0].get(key), f"events carry {key}")
        check_eq(file_events(events_data), got, "events.jsonl holds the same events")
        bad = os.path.join(work, "bad.csv")
        run_cli(args.marquee, "run", bad, "--data-dir", events_data, "--events", url, "--max-reject-ratio", "0.01",
                expect=1)
        check_eq([e["type"] for e in group_events(redis.port, "g")], ["job_started", "transformed", "failed"],
                 "a failed run's events")
        # `marquee events` reads both sources.
        from_file = run_cli(args.marquee, "events", "--data-dir", events_data).stdout.splitlines()
        from_stream = run_cli(args.marquee, "events", "--events", url).stdout.splitlines()
        check_eq(len(from_file), 7, "marquee events (file)")
        check_eq([json.loads(l)["event_id"] for l in from_stream], [json.loads(l)["event_id"] for l in from_file],
                 "marquee events (stream) = the file")

        section("Events: Redis killed during a job; the job succeeds, events.jsonl has every event")
        before = len(file_events(events_data))
        env = {"MARQUEE_TEST_PAUSE_AT": "publish", "MARQUEE_TEST_PAUSE_SECONDS": "2"}
        job = subprocess.Popen([args.marquee, "run", csv, "--data-dir", events_data, "--events", url,
                                "--statsd", statsd.address()],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **env})
        deadline = time.monotonic() + 60
        while len(file_events(events_data)) < before + 3:  # started, transformed, loaded: then it pauses
            check(time.monotonic() < deadline, "the job never reached its publish")
            time.sleep(0.05)
        redis.kill()
        stdout, stderr = job.communicate(timeout=120)
        check_eq(job.returncode, 0, f"the job succeeded without Redis ({stderr[-300:]})")
        events = file_events(events_data)[before:]
        check_eq([e["type"] for e in events], ["job_started", "transformed", "loaded", "published"],
                 "events.jsonl has every event")
        check("not added to the Redis stream" in stderr, "the Redis failure is reported on stderr")
        check_eq(statsd.read()["counters"].get("marquee.job.run.events_redis_failures"), 1,
                 "the published event Redis did not take is counted")
    finally:
        redis.kill()
    retired = run_cli(args.marquee, "run", csv, "--data-dir", events_data, "--keep", "1")
    check("retired" in [e["type"] for e in file_events(events_data)], "retired events")
    return events_data


def serve_metrics(args, statsd, work, data):
    section("StatsD from serve: requests per route and status, caches, auth failures, access log (JSON)")
    secret = os.path.join(work, "secret")
    with open(secret, "w") as f:
        f.write(SECRET)
    token = hs256(claims(), secret=SECRET)
    dead_redis = f"redis://127.0.0.1:{free_port()}"
    server = Server(args.marquee, ["--data-dir", data, "--jwt-secret-file", secret, "--statsd", statsd.address(),
                                   "--access-log", "--log-format", "json", "--redis", dead_redis],
                    os.path.join(work, "serve.log"), token=token)
    try:
        server.wait_ready()
        made = {("v1_genres", 200): 0, ("v1_companies_id", 404): 0, ("v1_genres", 401): 0}
        for _ in range(5):
            check_eq(server.get("/v1/genres").status, 200, "genres")
            made[("v1_genres", 200)] += 1
        for _ in range(3):
            check_eq(server.get("/v1/companies/999999999").status, 404, "missing company")
            made[("v1_companies_id", 404)] += 1
        check_eq(server.get("/v1/genres", token=None).status, 401, "no token")
        made[("v1_genres", 401)] += 1
        check_eq(server.get("/v1/genres?limit=5&secret-value=x").status, 400, "unknown parameter")
        metrics = server.metrics()
        # database.errors: the published run's file (docs/STORAGE.md) is gone.
        runs_dir = os.path.join(data, "marquee.db.runs")
        for name in os.listdir(runs_dir):
            os.rename(os.path.join(runs_dir, name), os.path.join(data, name + ".moved"))
        check_eq(server.get("/v1/genres/years?from=1990").status, 503, "database error answers 503")
        check_eq(server.stop(), 0, "serve exit code")
    finally:
        server.kill()
    t = statsd.read(settle=1.5)
    for (route, status), n in made.items():
        check_eq(t["counters"].get(f"marquee.http.requests.{route}.{status}"), n, f"requests {route} {status}")
    check_eq(t["counters"].get("marquee.cache.hits.memory"), metrics['marquee_cache_hits_total{layer="memory"}'],
             "memory cache hits = /metrics")
    check(t["counters"].get("marquee.auth.failures.missing") == 1, "auth failure counted by reason")
    check(len(t["timers"].get("marquee.http.request_duration.v1_genres", [])) >= 6, "durations timed")
    check(t["counters"].get("marquee.database.errors", 0) >= 1, "database error counted")
    check(t["counters"].get("marquee.redis.errors", 0) + t["counters"].get("marquee.redis.skipped", 0) >= 1,
          "dead Redis counted")
    log = open(os.path.join(work, "serve.log")).read().splitlines()
    records = [json.loads(line) for line in log if line.strip()]
    check(all({"time", "level", "message"} <= set(r) for r in records), "every serve log line is JSON")
    access = [r for r in records if r.get("event") == "access" and r["route"] not in ("/readyz", "/metrics")]
    check_eq(len(access), 11, "one access line per request")
    check(all(token not in line and "secret-value" not in line for line in log), "no token, no query in the log")
    check({"method", "route", "status", "bytes", "duration_ms", "run_id", "subject"} <= set(access[0]),
          "access fields")
    check_eq(access[0]["subject"], "suite", "token subject")
    check_eq(access[0]["route"], "/v1/genres", "route pattern")


def accept_backoffs(args, statsd, work, data):
    section("StatsD from serve: accept backoffs when descriptors run out")
    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))
    server = Server(args.marquee, ["--data-dir", data, "--no-auth", "--statsd", statsd.address()],
                    os.path.join(work, "fd.log"), preexec=limit)
    sockets = []
    try:
        server.wait_ready()
        for _ in range(200):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", server.port))
            sockets.append(s)
        time.sleep(1.5)
    finally:
        for s in sockets:
            s.close()
        server.kill()
    check(statsd.read(settle=1.5)["counters"].get("marquee.http.accept_backoffs", 0) >= 1, "backoffs counted")


def json_logs_for_jobs(args, work, csv):
    section("--log-format json: every stderr line of a job is one JSON object")
    out = run_cli(args.marquee, "run", csv, "--data-dir", os.path.join(work, "jsonlog"), "--log-format", "json")
    lines = [json.loads(l) for l in out.stderr.splitlines() if l.strip()]
    check(any("loaded run" in r["message"] for r in lines), "step lines are log records")
    check(all(r["level"] in ("info", "warning", "error") for r in lines), "levels")
    bad = run_cli(args.marquee, "run", os.path.join(work, "missing.csv"), "--data-dir", os.path.join(work, "x"),
                  "--log-format", "json", expect=2)
    record = json.loads(bad.stderr.strip().splitlines()[-1])
    check_eq((record["level"], record["exit_code"]), ("error", "2"), "errors are JSON records with the exit code")


def prometheus_scrapes_serve(args, work, data):
    section("Prometheus scrapes /metrics: up == 1 and the request counter matches")
    binary = shutil.which("prometheus")
    if binary is None:
        raise Failure("prometheus is not installed (Debian package prometheus)")
    server = Server(args.marquee, ["--data-dir", data, "--no-auth"], os.path.join(work, "prom-serve.log"))
    port = free_port()
    prom_dir = tempfile.mkdtemp(dir=work)
    config = os.path.join(prom_dir, "prometheus.yml")
    with open(config, "w") as f:
        f.write(f"global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: marquee\n"
                f"    static_configs:\n      - targets: ['127.0.0.1:{server.port}']\n")
    prom = subprocess.Popen([binary, f"--config.file={config}", f"--storage.tsdb.path={prom_dir}/data",
                             f"--web.listen-address=127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "prometheus.log"), "w"))

    def query(expr):
        url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        with urllib.request.urlopen(url, timeout=5) as reply:
            result = json.load(reply)["data"]["result"]
        return float(result[0]["value"][1]) if result else None

    try:
        server.wait_ready()
        for _ in range(7):
            check_eq(server.get("/v1/genres", token=None).status, 200, "genres")
        deadline = time.monotonic() + 60
        expr = 'marquee_http_requests_total{route="/v1/genres",status="200"}'
        while True:
            try:
                if query("up") == 1 and query(expr) == 7:
                    break
            except OSError:
                pass
            check(time.monotonic() < deadline, f"Prometheus never saw up == 1 and 7 requests ({expr})")
            time.sleep(0.5)
        check_eq(server.stop(), 0, "serve exit code")
    finally:
        prom.send_signal(signal.SIGTERM)
        try:
            prom.wait(timeout=15)
        except subprocess.TimeoutExpired:
            prom.kill()
        server.kill()


def documented_names_match_emitted(source_dir):
    section("docs/OBSERVABILITY.md lists exactly the names emitted")
    text = open(os.path.join(source_dir, "docs", "OBSERVABILITY.md")).read()
    metrics_table = text.split("## StatsD metrics")[1].split("## Events")[0]
    events_table = text.split("## Events")[1].split("## Logs")[0]
    documented = re.findall(r"^\| `([a-z_.<>]+)` \|", metrics_table, re.M)
    documented_events = set(re.findall(r"^\| `([a-z_]+)` \|", events_table, re.M))
    patterns = {d: re.compile("^marquee\\." + re.sub(r"<[a-z]+>", "[A-Za-z0-9_-]+", re.escape(d).replace("\\<", "<").replace("\\>", ">")) + "$")
                for d in documented}
    undocumented = sorted(n for n in EMITTED_METRICS if not any(p.match(n) for p in patterns.values()))
    check(not undocumented, f"emitted but not documented: {undocumented}")
    never = sorted(d for d, p in patterns.items() if not any(p.match(n) for n in EMITTED_METRICS))
    check(not never, f"documented but never emitted by this suite: {never}")
    check_eq(EMITTED_EVENTS, documented_events, "event types emitted = documented")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--marquee", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    for tool, package in (("node", "nodejs"), ("redis-server", "redis-server"), ("prometheus", "prometheus")):
        if shutil.which(tool) is None:
            print(f"SKIPPED: {tool} is not installed (Debian package {package})")
            sys.exit(77)
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    work = args.work
    csv = os.path.join(work, "movies.csv")
    Marquee(args.marquee, "", "").generate(csv, 400, 21)
    statsd = Statsd(work)
    try:
        data = job_metrics_equal_the_manifest(args, statsd, work, csv)
        dead_daemons_never_fail_a_job(args, work, csv)
        events_data = events_on_redis(args, statsd, work, csv, data)
        json_logs_for_jobs(args, work, csv)
        serve_metrics(args, statsd, work, events_data)
        accept_backoffs(args, statsd, work, data)
    finally:
        statsd.stop()
    prometheus_scrapes_serve(args, work, data)
    documented_names_match_emitted(args.source_dir)
    print("observability suite passed")


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        print(f"FAIL: {e}")
        sys.exit(1)
