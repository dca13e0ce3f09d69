#!/usr/bin/env python3
"""Issue 10's server defects, each as a regression case against a real
`marquee serve`: transfer codings that are not chunked (request smuggling),
running out of file descriptors (no spinning; counted), empty parameter
values, and non-positive company and genre ids (rejected at validation, so
what is listed can always be fetched)."""
import os
import resource
import socket
import subprocess
import sys
import time

from harness import (Failure, Marquee, Server, check, check_eq, claims, hs256, parse_args, raw_exchange,
                     run_suite, section)

HERE = os.path.dirname(os.path.abspath(__file__))


def request_bytes(token, extra_headers, body=b""):
    head = (f"GET /v1/genres HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n{extra_headers}\r\n").encode()
    return head + body


def transfer_codings(server, token):
    section("Transfer-Encoding other than a final chunked: 400 (or 501) and the connection closed")
    smuggled = f"GET /v1/companies HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
    for coding, status in (("gzip", 400), ("chunked, gzip", 400), ("gzip, chunked", 501), ("chunked, chunked", 400)):
        body = smuggled if "chunked" not in coding.split(",")[-1] else b"0\r\n\r\n" + smuggled
        replies = raw_exchange(server.port, request_bytes(token, f"Transfer-Encoding: {coding}\r\n", body), 2)
        check_eq([r.status for r in replies], [status], f"Transfer-Encoding: {coding}: one answer, no second request")
        check_eq(replies[0].headers.get("connection"), "close",
                 f"Transfer-Encoding: {coding}: connection closed")
    # Plain chunked (an empty body) is still a request like any other.
    replies = raw_exchange(server.port, request_bytes(token, "Transfer-Encoding: chunked\r\n", b"0\r\n\r\n"), 1)
    check_eq([r.status for r in replies], [200], "Transfer-Encoding: chunked")


def empty_parameters(server):
    section("Empty parameter values are not integers: 400 naming the parameter")
    for path, parameter in (("/v1/companies?limit=", "limit"), ("/v1/companies?offset=", "offset"),
                            ("/v1/companies?limit", "limit"), ("/v1/genres/years?from=", "from"),
                            ("/v1/genres/most-popular?by=", "by")):
        reply = server.get(path)
        check_eq(reply.status, 400, path)
        check_eq(reply.json()["error"].get("parameter"), parameter, f"{path}: parameter named")


def listed_ids_are_fetchable(server):
    section("Every listed company and genre can be fetched")
    companies = server.get("/v1/companies?limit=1000").json()["companies"]
    genres = server.get("/v1/genres").json()["genres"]
    check(companies and genres, "the run lists companies and genres")
    for c in companies:
        check(c["id"] > 0, f"company id {c['id']} listed")
        check_eq(server.get(f"/v1/companies/{c['id']}").status, 200, f"/v1/companies/{c['id']}")
    for g in genres:
        check(g["id"] > 0, f"genre id {g['id']} listed")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descriptor_exhaustion(args, mq, work, secret_file, token):
    section("Out of file descriptors: accepts pause (counted in /metrics), no spinning, recovery")
    # The server inherits a hard limit of 256 descriptors; 400 connections exhaust it.
    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    server = Server(args.marquee, mq.serve_args() + ["--jwt-secret-file", secret_file], os.path.join(work, "fd.log"),
                    token=token, preexec=limit)
    sockets = []
    try:
        server.wait_ready()
        check("descriptor limit is 256" in server.stderr(), f"the low limit is reported: {server.stderr()[-500:]}")
        for _ in range(400):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", server.port))
            sockets.append(s)
        time.sleep(1.0)
        before = cpu_seconds(server.process.pid)
        time.sleep(3.0)
        used = cpu_seconds(server.process.pid) - before
        # Spinning burned a whole core (3 s in 3 s); idle waiting burns almost none.
        check(used < 1.0, f"the server used {used:.2f} s of CPU in 3 s while out of descriptors")
        for s in sockets:
            s.close()
        sockets.clear()
        deadline = time.monotonic() + 10
        while True:
            try:
                metrics = server.metrics()
                break
            except (OSError, Failure):
                check(time.monotonic() < deadline, "the server never recovered after connections closed")
                time.sleep(0.2)
        check(metrics.get("marquee_http_accept_backoffs_total", 0) >= 1, "backoffs counted in /metrics")
        check_eq(server.get("/v1/genres").status, 200, "answers again once descriptors are free")
        check_eq(server.stop(), 0, "exit code")
    finally:
        for s in sockets:
            s.close()
        server.kill()


def main():
    args = parse_args()
    work = args.work
    mq = Marquee(args.marquee, os.path.join(work, "data"), args.db_url)
    csv_path = os.path.join(work, "movies.csv")
    # Company 0 and -5, genre -3: skipped entries (malformed_literal), never listed.
    spec = """
1 | 1995-03-01 | 1000 | 5000 | 10.0 | 18:Drama,-3:Minus | 1:Alpha Films,0:Zero Corp,-5:Minus Five
2 | 1996-06-01 | 3    | 0    | 2.5  | 18:Drama          | 1:Alpha Films
"""
    subprocess.run([sys.executable, os.path.join(HERE, "..", "store", "make_movies_csv.py"), csv_path],
                   input=spec, text=True, check=True)
    run = mq.run(csv_path)
    errors = open(os.path.join(work, "data", "runs", run, "errors.jsonl")).read()
    for text in ("id 0 is not a positive integer", "id -5 is not a positive integer",
                 "id -3 is not a positive integer"):
        check(text in errors, f"errors.jsonl says '{text}': {errors}")
    secret_file = os.path.join(work, "secret")
    with open(secret_file, "w") as f:
        f.write("attack-suite-secret-0123456789abcdef0123")
    token = hs256(claims(), secret="attack-suite-secret-0123456789abcdef0123")
    server = Server(args.marquee, mq.serve_args() + ["--jwt-secret-file", secret_file], os.path.join(work, "serve.log"),
                    token=token)
    try:
        server.wait_ready()
        transfer_codings(server, token)
        empty_parameters(server)
        listed_ids_are_fetchable(server)
        check_eq(server.stop(), 0, "exit code")
    except Exception:
        print("--- serve log ---\n" + server.stderr()[-3000:])
        raise
    finally:
        server.kill()
    descriptor_exhaustion(args, mq, work, secret_file, token)


if __name__ == "__main__":
    run_suite(main)
