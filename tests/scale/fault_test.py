#!/usr/bin/env python3
"""Read load through the load balancer of scripts/stack.sh while faults happen.

Four client threads (keep-alive, valid JWT) read a fixed set of routes through
HAProxy for the whole test. Meanwhile, in turn: one replica is killed with
SIGKILL and restarted; a new run is published on the primary (marquee run
--redis); the first run is published again (marquee publish, a rollback);
redis-server is killed and restarted; the standby is restarted.

Asserted: no failed request (every answer 200 with a JSON body), no response
mixing two runs (the body's "run" equals the Marquee-Run header), no response
of the old run for a request sent after every replica had switched, and each
publish reaches every replica. Reported: requests, failures, mixed, stale,
publish-to-every-replica delay, latency p50/p99. Standard library only.

--no-faults runs the same load alone (the 1-vs-2 replica figures in
docs/BENCHMARKS.md).
"""
import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse


def env_file(path):
    values = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and "=" in line:
                k, v = line.split("=", 1)
                values[k] = v
    return values


def get(port, path, token, timeout=5.0):
    """One request on a new connection: (status, headers, body)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", path, headers={"Authorization": "Bearer " + token})
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        c.close()


class Load:
    def __init__(self, port, token, paths, clients):
        self.port, self.token, self.paths, self.clients = port, token, paths, clients
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.requests = 0
        self.failures = []   # (time, path, what)
        self.mixed = []
        self.latencies = []
        self.seen = []       # (sent_at, run) for the stale check
        self.threads = [threading.Thread(target=self.client, args=(i,), daemon=True) for i in range(clients)]

    def start(self):
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(30)

    def client(self, index):
        conn = None
        i = index
        while not self.stop.is_set():
            path = self.paths[i % len(self.paths)]
            i += 1
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            sent = time.monotonic()
            what = None
            run = None
            try:
                conn.request("GET", path, headers={"Authorization": "Bearer " + self.token})
                r = conn.getresponse()
                body = r.read()
                header_run = r.getheader("Marquee-Run")
                if r.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
                if r.status != 200:
                    what = "status %d: %s" % (r.status, body[:200])
                else:
                    try:
                        run = json.loads(body).get("run")
                    except ValueError:
                        what = "not JSON"
                    if what is None and run != header_run:
                        with self.lock:
                            self.mixed.append((path, run, header_run))
            except (OSError, http.client.HTTPException) as e:
                what = "%s: %s" % (type(e).__name__, e)
                if conn is not None:
                    conn.close()
                conn = None
            elapsed = time.monotonic() - sent
            with self.lock:
                self.requests += 1
                self.latencies.append(elapsed)
                if what:
                    self.failures.append((sent, path, what))
                elif run:
                    self.seen.append((sent, run))


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))] if s else 0.0


class Stack:
    def __init__(self, stack_sh, directory, marquee, data_dir):
        self.sh, self.dir, self.marquee, self.data_dir = stack_sh, directory, marquee, data_dir
        self.env = env_file(os.path.join(directory, "stack.env"))
        self.replica_ports = [int(self.env["REPLICA_PORT_%d" % i]) for i in range(1, int(self.env["REPLICAS"]) + 1)]

    def pid(self, name):
        with open(os.path.join(self.dir, name + ".pid")) as f:
            return int(f.read().strip())

    def kill(self, name):
        os.kill(self.pid(name), signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(self.pid(name), 0)
            except ProcessLookupError:
                return
            time.sleep(0.02)
        raise RuntimeError(name + " survived SIGKILL")

    def stack(self, *args):
        subprocess.run([self.sh, *args, "--dir", self.dir], check=True, timeout=60,
                       stdout=subprocess.DEVNULL)

    def job(self, args):
        """Runs a publishing command; returns (its stdout, time its 'published' line appeared)."""
        p = subprocess.Popen([self.marquee, *args, "--db", self.env["PRIMARY_URL"], "--data-dir", self.data_dir,
                              "--redis", self.env["REDIS_URL"]],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        published_at, out = None, []
        for line in p.stdout:
            out.append(line)
            if published_at is None and (line.startswith("run ") or line.startswith("published run")) \
                    and "published" in line:
                published_at = time.monotonic()
        err = p.stderr.read()
        if p.wait(timeout=300) != 0:
            raise RuntimeError("marquee %s failed: %s %s" % (args[0], "".join(out), err))
        return "".join(out), published_at

    def wait_switch(self, run, since, token, timeout=30.0):
        """Seconds from `since` until each replica serves `run` (polled directly, every 5 ms)."""
        delays = []
        for port in self.replica_ports:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    status, headers, _ = get(port, "/v1/genres", token, timeout=2)
                    if status == 200 and headers.get("marquee-run") == run:
                        delays.append(time.monotonic() - since)
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("replica on port %d never served run %s" % (port, run))
                time.sleep(0.005)
        return delays

    def wait_ready(self, timeout=30.0):
        deadline = time.monotonic() + timeout
        for port in self.replica_ports:
            while True:
                try:
                    if get(port, "/readyz", "", timeout=1)[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("replica on port %d not ready" % port)
                time.sleep(0.05)


def published_run(out):
    """The run id of `marquee run`'s "run <id> published" line."""
    for line in out.splitlines():
        words = line.split()
        if len(words) == 3 and words[0] == "run" and words[2] == "published":
            return words[1]
    raise RuntimeError("marquee run printed no published run: " + out)


def route_set(port, token):
    status, _, body = get(port, "/v1/companies?limit=1000", token)
    if status != 200:
        raise RuntimeError("cannot list companies: %d %s" % (status, body[:200]))
    # The companies with the most movies: present in the second run too (its
    # input is the first one with other budgets), so no route turns into a 404.
    companies = sorted(json.loads(body)["companies"], key=lambda c: (-c["movie_count"], c["id"]))
    ids = [c["id"] for c in companies[:5]]
    paths = ["/v1/genres", "/v1/genres/most-popular?from=1990&to=2010", "/v1/genres/years?from=2000&to=2005",
             "/v1/companies?limit=20", "/v1/companies?q=a&limit=10"]
    for i in ids:
        paths += ["/v1/companies/%d" % i, "/v1/companies/%d/years" % i, "/v1/companies/%d/genres" % i]
    return paths


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stack-sh", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--marquee", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--first-run", required=True)
    ap.add_argument("--second-input", help="input published during the load")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--duration", type=float, default=20.0)
    ap.add_argument("--no-faults", action="store_true")
    ap.add_argument("--report", help="append the figures (JSON) to this file")
    a = ap.parse_args()

    st = Stack(a.stack_sh, a.dir, a.marquee, a.data_dir)
    lb_port = int(urllib.parse.urlparse(st.env["LB_URL"]).port)
    paths = route_set(lb_port, a.token)
    load = Load(lb_port, a.token, paths, a.clients)
    started = time.monotonic()
    load.start()
    events, publishes, switched_at = [], [], []

    def step(name, fn):
        t = time.monotonic()
        fn()
        events.append("%5.1f s %s (%.2f s)" % (t - started, name, time.monotonic() - t))

    job_started = []

    def publish(name, args, run_of):
        job_started.append(time.monotonic())
        out, at = st.job(args)
        run = run_of(out)
        delays = st.wait_switch(run, at, a.token)
        switched_at.append((time.monotonic(), run))
        publishes.append({"what": name, "run": run, "per_replica_s": [round(d, 4) for d in delays],
                          "all_replicas_s": round(max(delays), 4)})

    if not a.no_faults:
        time.sleep(2)
        step("SIGKILL replica 1", lambda: st.kill("replica-1"))
        time.sleep(1.5)
        step("restart replica 1", lambda: (st.stack("replica-start", "1"), st.wait_ready()))
        time.sleep(1.5)
        second = {}
        step("publish a new run (marquee run)", lambda: publish(
            "marquee run", ["run", a.second_input], lambda out: second.setdefault("run", published_run(out))))
        time.sleep(1.5)
        step("roll back (marquee publish)", lambda: publish(
            "marquee publish", ["publish", a.first_run], lambda out: a.first_run))
        time.sleep(1.5)
        step("SIGKILL redis-server", lambda: st.kill("redis"))
        time.sleep(1.5)
        step("restart redis-server", lambda: st.stack("redis-start"))
        time.sleep(1.5)
        # Every replica holds the routes in memory before its database goes
        # away: cached answers are what keeps flowing while the standby is down.
        for port in st.replica_ports:
            for p in paths:
                get(port, p, a.token)
        step("restart the standby", lambda: (st.stack("standby-restart"), st.wait_ready()))
    remaining = a.duration - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)
    load.finish()
    elapsed = time.monotonic() - started

    stale = 0
    for switch_time, run in switched_at:
        # Only until the next publish job starts: from its commit on, another
        # run is legitimately current.
        later = [t for t in job_started if t > switch_time]
        end = later[0] if later else float("inf")
        late = [(sent, r) for sent, r in load.seen if switch_time < sent < end and r != run]
        stale += len(late)
        for sent, r in late[:5]:
            print("STALE: sent %.3f s after every replica served %s, answered %s" % (sent - switch_time, run, r),
                  file=sys.stderr)

    report = {
        "replicas": len(st.replica_ports), "clients": a.clients, "seconds": round(elapsed, 1),
        "faults": not a.no_faults, "requests": load.requests, "failed": len(load.failures),
        "mixed": len(load.mixed), "stale_after_switch": stale,
        "requests_per_s": round(load.requests / elapsed, 1),
        "p50_ms": round(percentile(load.latencies, 50) * 1000, 2),
        "p99_ms": round(percentile(load.latencies, 99) * 1000, 2),
        "max_ms": round(max(load.latencies) * 1000, 1) if load.latencies else 0,
        "publishes": publishes, "events": events,
    }
    print(json.dumps(report, indent=2))
    if a.report:
        with open(a.report, "a") as f:
            f.write(json.dumps(report) + "\n")
    for f in load.failures[:10]:
        print("FAILED at %.2f s %s: %s" % (f[0] - started, f[1], f[2]), file=sys.stderr)
    for m in load.mixed[:10]:
        print("MIXED %s: body %s, header %s" % m, file=sys.stderr)
    ok = True
    if load.requests < 100:
        print("FAIL: too few requests (%d)" % load.requests, file=sys.stderr)
        ok = False
    for name, value in (("failed", len(load.failures)), ("mixed", len(load.mixed)), ("stale", stale)):
        if value:
            print("FAIL: %d %s responses" % (value, name), file=sys.stderr)
            ok = False
    if not a.no_faults and len(publishes) != 2:
        print("FAIL: expected 2 publishes, got %d" % len(publishes), file=sys.stderr)
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
