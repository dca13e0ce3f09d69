#!/usr/bin/env python3
"""Publishing while the API is under read load, with the real `marquee run`
and `marquee publish`: no failed and no mixed responses (every body is
exactly one run's, and names the run its header names), the new run served
within a second of the publish, rollback the same way; then, on PostgreSQL,
the database stopped under the API: cached answers go on, the rest is 503.
"""
import os
import subprocess
import threading
import time

from harness import (Client, Marquee, Server, TOKEN_SECRET, check, check_eq, claims, hs256, parse_args, run_suite,
                     section)

PATHS = ["/v1/genres", "/v1/genres/most-popular", "/v1/genres/most-popular?by=revenue", "/v1/genres/years?from=2000",
         "/v1/companies?limit=20", "/v1/companies?q=a&limit=5"]  # + company routes, see shared_companies()
PICKUP_LIMIT = 1.0  # seconds from the end of a publish to every new request reading the new run


class Readers:
    """Threads that read PATHS in a loop, recording (start, path, status, header run, body)."""

    def __init__(self, port, token, count=4):
        self.port, self.token = port, token
        self.stop_flag = threading.Event()
        self.records = [[] for _ in range(count)]
        self.threads = [threading.Thread(target=self.read, args=(i,), daemon=True) for i in range(count)]

    def read(self, index):
        client = Client(self.port, self.token)
        i = index
        while not self.stop_flag.is_set():
            path = PATHS[i % len(PATHS)]
            i += 1
            start = time.monotonic()
            try:
                reply = client.request(path)
                self.records[index].append((start, path, reply.status, reply.headers.get("marquee-run"), reply.body))
            except OSError as e:
                self.records[index].append((start, path, -1, None, str(e).encode()))
        client.close()

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop_flag.set()
        for t in self.threads:
            t.join()


def reference_bodies(server, run_id):
    return {p: server.get(p + ("&" if "?" in p else "?") + f"run={run_id}").body for p in PATHS}


def check_no_mixing(readers, references, publish_done, new_run, old_run):
    """Every reply: 200, header run = body run = one of the runs, body exactly that run's."""
    total = 0
    for records in readers.records:
        seen_new = False
        for start, path, status, header_run, body in records:
            total += 1
            check_eq(status, 200, f"status of {path} during the publish ({body[:200]!r})")
            check(body.startswith(b'{"run":"'), f"{path}: body does not start with the run ({body[:100]!r})")
            body_run = body[8:body.index(b'"', 8)].decode()
            check_eq(header_run, body_run, f"{path}: Marquee-Run header and body name the same run")
            check(body_run in references, f"{path}: served from an unexpected run {body_run}")
            check(body == references[body_run][path], f"{path}: body is not exactly run {body_run}'s")
            if body_run == new_run:
                seen_new = True
            else:
                check(not seen_new, f"{path}: went back to {old_run} after serving {new_run}")
                check(start < publish_done + PICKUP_LIMIT,
                      f"{path}: still {old_run} {start - publish_done:.2f}s after the publish of {new_run}")
        check(seen_new, "a reader never saw the new run")
    return total


def publish_under_load(args, mq, server, run_a, csv_b):
    section("publish a new run (`marquee run`) under read load")
    before_b = time.monotonic()
    with Readers(server.port, server.token) as readers:
        time.sleep(0.5)
        run_b = mq.run(csv_b)
        publish_done = time.monotonic()
        time.sleep(PICKUP_LIMIT + 0.8)
    references = {run_a: reference_bodies(server, run_a), run_b: reference_bodies(server, run_b)}
    check(references[run_a] != references[run_b], "the two runs differ")
    total = check_no_mixing(readers, references, publish_done, run_b, run_a)
    print(f"    {total} replies, none failed or mixed; `marquee run` took {publish_done - before_b - 0.5:.2f}s")
    return run_b, references


def rollback_under_load(args, mq, server, run_a, run_b, references):
    section("roll back (`marquee publish` the older run) under read load")
    with Readers(server.port, server.token) as readers:
        time.sleep(0.3)
        mq.publish(run_a)
        publish_done = time.monotonic()
        time.sleep(PICKUP_LIMIT + 0.5)
    check_no_mixing(readers, references, publish_done, run_a, run_b)
    runs = server.get("/v1/runs").json()
    check_eq(runs["run"], run_a, "/v1/runs names the published run")
    flags = {r["run_id"]: r["published"] for r in runs["runs"]}
    check_eq((flags[run_a], flags[run_b]), (True, False), "published flags after the rollback")
    metrics = server.metrics()
    check(metrics.get("marquee_publish_changes_total", 0) >= 3, "publish changes counted")
    check_eq(metrics.get(f'marquee_current_run_info{{run_id="{run_a}"}}'), 1.0, "current run metric")


def database_down(args, server):
    section("PostgreSQL stopped under the API: cached answers 200, uncached 503, never 500")
    cached = server.get("/v1/genres").body
    subprocess.run([args.db_stop_script], check=True)
    time.sleep(0.5)
    reply = server.get("/v1/genres")
    check_eq((reply.status, reply.body), (200, cached), "cached route keeps answering")
    for path in ("/v1/companies/3", "/v1/companies?limit=7&offset=3", "/v1/runs"):
        reply = server.get(path)
        check_eq(reply.status, 503, f"{path} with the database down ({reply.body[:200]!r})")
        check_eq(reply.json()["error"]["code"], "database_unavailable", "503 code")
        check("postgres" not in reply.body.decode().lower(), "no internals in the message")
    check_eq(server.get("/readyz", token=None).status, 503, "/readyz with the database down")
    check_eq(server.get("/healthz", token=None).status, 200, "/healthz with the database down")
    metrics = server.metrics()
    check_eq(metrics.get("marquee_database_up"), 0.0, "database_up metric")
    check(metrics.get("marquee_database_errors_total", 0) >= 1, "database errors counted")


def shared_companies(source_dir, *csvs):
    """Two company ids credited in every dataset (by the independent oracle),
    so that their routes answer 200 whichever run is served."""
    import sys
    sys.path.insert(0, os.path.join(source_dir, "tests/e2e"))
    import oracle
    sets = [{row[0] for row in oracle.run(path).tables["company_year"]} for path in csvs]
    shared = sorted(set.intersection(*sets))
    check(len(shared) >= 2, "the generated datasets share no companies")
    return shared[:2]


def main():
    args = parse_args()
    work = args.work
    mq = Marquee(args.marquee, os.path.join(work, "data"), args.db_url)
    csv_a, csv_b = os.path.join(work, "a.csv"), os.path.join(work, "b.csv")
    mq.generate(csv_a, 1200, 21)
    mq.generate(csv_b, 1200, 22)
    first, second = shared_companies(args.source_dir, csv_a, csv_b)
    PATHS.extend([f"/v1/companies/{first}/years", f"/v1/companies/{second}/genres", f"/v1/companies/{first}"])
    run_a = mq.run(csv_a)
    secret = os.path.join(work, "secret")
    with open(secret, "w") as f:
        f.write(TOKEN_SECRET)
    # On PostgreSQL the poll is made too slow to matter: only LISTEN/NOTIFY
    # can then switch runs within PICKUP_LIMIT.
    slow_poll = ["--poll-interval", "60s"] if args.backend == "postgresql" else []
    server = Server(args.marquee, mq.serve_args() + ["--jwt-secret-file", secret, *slow_poll],
                    os.path.join(work, "serve.log"), token=hs256(claims(ttl=3600)))
    try:
        server.wait_ready()
        run_b, references = publish_under_load(args, mq, server, run_a, csv_b)
        rollback_under_load(args, mq, server, run_a, run_b, references)
        if args.db_stop_script:
            database_down(args, server)
        check_eq(server.stop(), 0, "exit code")
    except Exception:
        print("--- serve log ---\n" + server.stderr()[-3000:])
        raise
    finally:
        server.kill()


if __name__ == "__main__":
    run_suite(main)
