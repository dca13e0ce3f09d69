#!/usr/bin/env python3
"""The shared Redis cache with a real redis-server: two `marquee serve`
processes share entries (with the TTL set); then redis-server is killed
under read load: every client keeps getting correct answers, quickly, and
/metrics counts the Redis failures; a restarted Redis is used again.
"""
import itertools
import os
import threading
import time

from harness import (Client, Marquee, Redis, Server, TOKEN_SECRET, check, check_eq, claims, hs256, parse_args,
                     run_suite, section)


def start_server(args, mq, work, redis_port, name):
    secret = os.path.join(work, "secret")
    with open(secret, "w") as f:
        f.write(TOKEN_SECRET)
    return Server(args.marquee, mq.serve_args() + ["--jwt-secret-file", secret, "--redis",
                                                   f"redis://127.0.0.1:{redis_port}", "--redis-ttl", "90s"],
                  os.path.join(work, f"{name}.log"), token=hs256(claims(ttl=3600)))


def redis_keys(redis):
    reply = redis.command("KEYS", "marquee:v1:*")
    check(reply.startswith(b"*"), f"KEYS reply {reply[:50]!r}")
    return int(reply.split(b"\r\n")[0][1:])


def shared_cache(args, mq, work, redis, paths):
    section("two servers share Redis entries")
    first = start_server(args, mq, work, redis.port, "serve-1")
    second = start_server(args, mq, work, redis.port, "serve-2")
    try:
        replies = {p: first.get(p) for p in paths}
        check(all(r.status == 200 for r in replies.values()), "first server answers")
        check_eq(redis_keys(redis), len(paths), "one Redis entry per response")
        m = first.metrics()
        check_eq(m['marquee_cache_misses_total{layer="redis"}'], float(len(paths)), "first server: Redis misses")
        some_key = redis.command("KEYS", "marquee:v1:*").split(b"\r\n")[2].decode()
        remaining = int(redis.command("TTL", some_key).split(b"\r\n")[0][1:])
        check(0 < remaining <= 90, f"entries carry the TTL (--redis-ttl 90s): {remaining}")
        for p in paths:
            reply = second.get(p)
            check_eq((reply.status, reply.body, reply.headers.get("etag")),
                     (200, replies[p].body, replies[p].headers.get("etag")), f"second server, {p}, from Redis")
        m = second.metrics()
        check_eq(m['marquee_cache_hits_total{layer="redis"}'], float(len(paths)), "second server: Redis hits")
        check_eq(m.get('marquee_cache_misses_total{layer="redis"}', 0), 0.0, "second server: no Redis misses")
        check_eq(m["marquee_redis_errors_total"], 0.0, "no Redis errors yet")
        check_eq(second.stop(), 0, "exit code")
        return first, {p: r.body for p, r in replies.items()}
    except Exception:
        first.kill()
        second.kill()
        raise


def redis_killed_under_load(server, redis, expected, company_ids):
    section("redis-server killed under read load: answers stay correct, failures counted")
    problems, latencies = [], []
    fresh = itertools.count()
    stop = threading.Event()
    lock = threading.Lock()

    def reader(index):
        client = Client(server.port, server.token)
        i = index
        while not stop.is_set():
            # Known responses, and ever new ones (which must go to the database).
            if i % 2:
                path = list(expected)[i % len(expected)]
            else:
                n = next(fresh)
                path = f"/v1/companies/{company_ids[n % len(company_ids)]}/years?from={1880 + n // len(company_ids)}"
            i += 1
            start = time.monotonic()
            reply = client.request(path)
            elapsed = time.monotonic() - start
            with lock:
                latencies.append(elapsed)
                if reply.status != 200 or (path in expected and reply.body != expected[path]):
                    problems.append(f"{path}: {reply.status} {reply.body[:100]!r}")
        client.close()

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    redis.kill()
    time.sleep(1.5)
    stop.set()
    for t in threads:
        t.join()
    check_eq(problems[:5], [], "every reply correct while Redis died")
    latencies.sort()
    check(latencies[int(len(latencies) * 0.99)] < 1.0, f"p99 latency stayed low: {latencies[int(len(latencies) * 0.99)]:.3f}s")
    m = server.metrics()
    check(m["marquee_redis_errors_total"] >= 1, f"Redis failures counted in /metrics: { {k: v for k, v in m.items() if 'redis' in k} }")
    check(m.get('marquee_http_requests_total{route="/v1/companies/{id}/years",status="200"}', 0) > 10,
          "requests kept succeeding")
    check_eq(sum(v for k, v in m.items() if k.startswith("marquee_http_requests_total") and 'status="5' in k), 0,
             "no 5xx at all")
    print(f"    {len(latencies)} replies, {int(m['marquee_redis_errors_total'])} Redis failures counted, "
          f"{int(m.get('marquee_redis_skipped_total', 0))} skipped while backing off")


def redis_comes_back(args, work, server, port):
    section("a restarted Redis is used again after the back-off")
    redis = Redis(work, port=port)
    try:
        time.sleep(1.2)  # the back-off after a failure is 1s
        before = server.metrics()['marquee_cache_misses_total{layer="redis"}']
        deadline = time.monotonic() + 5
        i = 0
        while redis_keys(redis) == 0:
            check(time.monotonic() < deadline, "Redis never used again")
            check_eq(server.get(f"/v1/genres/years?from={1950 + i}").status, 200, "answer")
            i += 1
            time.sleep(0.1)
        check(server.metrics()['marquee_cache_misses_total{layer="redis"}'] > before, "Redis consulted again")
    finally:
        redis.kill()


def main():
    args = parse_args()
    work = args.work
    mq = Marquee(args.marquee, os.path.join(work, "data"), args.db_url)
    csv = os.path.join(work, "movies.csv")
    mq.generate(csv, 800, 9)
    mq.run(csv)
    redis = Redis(work)
    paths = ["/v1/genres", "/v1/genres/most-popular", "/v1/companies?limit=30", "/v1/genres/years?to=1990",
             "/v1/companies?offset=10&limit=5", "/v1/companies?q=b"]
    server = None
    try:
        server, expected = shared_cache(args, mq, work, redis, paths)
        company_ids = [c["id"] for c in server.get("/v1/companies?limit=200").json()["companies"]]
        redis_killed_under_load(server, redis, expected, company_ids)
        redis_comes_back(args, work, server, redis.port)
        check_eq(server.stop(), 0, "exit code")
    except Exception:
        if server:
            print("--- serve log ---\n" + server.stderr()[-3000:])
        raise
    finally:
        redis.kill()
        if server:
            server.kill()


if __name__ == "__main__":
    run_suite(main)
