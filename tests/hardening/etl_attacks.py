#!/usr/bin/env python3
"""Issue 10's reader and number defects as regression cases against the real
`marquee etl`, each checking the documented outcome and every invariant of
docs/ERROR_LOG.md (etl_invariants.py).
  etl_attacks.py MARQUEE WORK_DIR"""
import csv
import io
import json
import os
import resource
import socket
import subprocess
import sys

from etl_invariants import check_output

COLUMNS = ["adult", "belongs_to_collection", "budget", "genres", "homepage", "id", "imdb_id",
           "original_language", "original_title", "overview", "popularity", "poster_path",
           "production_companies", "production_countries", "release_date", "revenue", "runtime",
           "spoken_languages", "status", "tagline", "title", "video", "vote_average", "vote_count"]
MARQUEE, WORK = sys.argv[1], sys.argv[2]
failures = []


def row(ident, **values):
    r = dict.fromkeys(COLUMNS, "")
    r.update({"adult": "False", "video": "False", "id": str(ident), "budget": "0", "revenue": "0",
              "release_date": "2000-01-01", "genres": "[{'id': 18, 'name': 'Drama'}]",
              "production_companies": "[{'id': 1, 'name': 'Alpha'}]", "production_countries": "[]",
              "spoken_languages": "[]", "title": f"Movie {ident}", "overview": "short"})
    r.update({k: str(v) for k, v in values.items()})
    return [r[c] for c in COLUMNS]


def write_csv(name, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    path = os.path.join(WORK, name)
    with open(path, "w", newline="", encoding="utf-8") as f:
        f.write(buffer.getvalue())
    return path, buffer.getvalue().count("\n") + 1


def etl(name, path, lines, *extra):
    out = os.path.join(WORK, name + "-out")
    proc = subprocess.run([MARQUEE, "etl", path, "--out", out, "--format", "csv", *extra],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode < 0 or proc.returncode > 2:
        failures.append(f"{name}: marquee etl died with {proc.returncode}: {proc.stderr[-500:]}")
    elif proc.returncode != 2:
        for problem in check_output(out, proc.returncode, lines):
            failures.append(f"{name}: {problem}")
    return proc, out


def expect(name, condition, what):
    if not condition:
        failures.append(f"{name}: {what}")
    print(("ok   " if condition else "FAIL ") + f"{name}: {what}")


def manifest(out):
    return json.load(open(os.path.join(out, "manifest.json")))


def errors(out):
    return [json.loads(l) for l in open(os.path.join(out, "errors.jsonl"), encoding="utf-8")]


def movie_rows(out):
    with open(os.path.join(out, "tables", "movie.csv"), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def big_overview(size):
    piece = 'a, "quoted" part\r\n9,x,"y",1995-01-01\r\n'  # commas, quotes, CRLF, CSV-looking lines
    return (piece * (size // len(piece) + 1))[:size]


def long_valid_field():
    name = "defect1-2MiB-field"
    rows = [row(i) for i in range(1, 151)] + [row(151, overview=big_overview(2 << 20))] + \
           [row(i) for i in range(152, 301)]
    path, lines = write_csv(name, rows)
    proc, out = etl(name, path, lines)
    expect(name, proc.returncode == 0, f"exit 0 (got {proc.returncode}: {proc.stderr[-300:]})")
    m = manifest(out)["counts"]
    expect(name, m["records_read"] == 300 and m["movies_kept"] == 300, f"300 records, 300 kept: {m}")
    kept = {r["id"]: r for r in movie_rows(out)}
    expect(name, kept.get("151", {}).get("overview") == big_overview(2 << 20), "the 2 MiB overview is intact")
    # The same file with a lower limit: the record is rejected whole, and no
    # line of its text becomes a record.
    proc, out = etl(name + "-limited", path, lines, "--max-record-bytes", "1048576")
    m = manifest(out)["counts"]
    expect(name, m["records_read"] == 300 and m["movies_kept"] == 299 and m["rejected"] == 1,
           f"limited: 300 records, one rejected: {m}")
    e = [x for x in errors(out) if x["severity"] == "error"]
    expect(name, len(e) == 1 and e[0]["reason"] == "record_too_large" and "--max-record-bytes" in e[0]["message"],
           f"record_too_large naming the option: {e[:1]}")


def consecutive_bad_lines():
    name = "defect2-4M-bad-lines"
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        f.write(",".join(COLUMNS) + "\n" + "a\n" * 4_000_000)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc, out = etl(name, path, 4_000_001, "--max-reject-ratio", "1")
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    expect(name, proc.returncode == 0, f"exit 0 with --max-reject-ratio 1 (got {proc.returncode})")
    expect(name, manifest(out)["counts"]["rejected"] == 4_000_000, "4,000,000 rejected lines")
    # Before the fix the batch held every rejected line: about 1 GiB.
    expect(name, peak_mib < 300, f"peak RSS {peak_mib:.0f} MiB stays bounded (< 300 MiB; was ~1 GiB)")


def header_and_long_line():
    name = "defect3-duplicate-header"
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        f.write(",".join(COLUMNS + ["budget"]) + "\n" + ",".join(row(1) + ["7"]) + "\n")
    proc, _ = etl(name, path, 2)
    expect(name, proc.returncode == 2 and "'budget' twice (columns 3 and 25)" in proc.stderr,
           f"exit 2 naming the column: {proc.returncode} {proc.stderr.strip()}")
    name = "defect3-long-line"
    path = os.path.join(WORK, name)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(row(1))
    with open(path, "w") as f:
        f.write(",".join(COLUMNS) + "\n" + "x" * (64 << 20) + "\n" + buffer.getvalue())
    proc, out = etl(name, path, 3, "--max-reject-ratio", "1")
    e = errors(out)
    expect(name, e and e[0]["reason"] == "record_too_large" and "0 fields" not in e[0]["message"],
           f"a 64 MiB line is record_too_large: {e[:1]}")
    expect(name, manifest(out)["counts"]["movies_kept"] == 1, "the record after it is read")


def huge_figures():
    name = "defect4-huge-budgets"
    rows = [row(1, budget=5000000000000000000), row(2, budget=5000000000000000000),
            row(3, vote_count=9223372036854775807), row(4, revenue=9223372036854775807), row(5, budget=1000)]
    path, lines = write_csv(name, rows)
    proc, out = etl(name, path, lines, "--max-reject-ratio", "1")
    expect(name, proc.returncode == 0, f"exit 0 (got {proc.returncode}: {proc.stderr[-300:]})")
    reasons = [(x["line"], x["reason"], x["severity"]) for x in errors(out)]
    expect(name, reasons == [(2, "invalid_budget", "error"), (3, "invalid_budget", "error"),
                             (4, "invalid_number", "warning"), (5, "invalid_revenue", "error")],
           f"ceilings applied per column: {reasons}")
    expect(name, manifest(out)["counts"]["movies_kept"] == 2, "movies 3 and 5 kept")


def exact_revenue():
    name = "defect5-exact-revenue"
    # Through a double, 2 and 3 would round up (their nearest doubles end in .5).
    cases = {1: ("1.49999999999999999999", "1"), 2: ("999999999999.49999999999999999", "999999999999"),
             3: ("123456789.4999999999999999999999", "123456789"), 4: ("2.5", "3"),
             5: ("999999999999.5", "1000000000000"), 6: ("12345e-2", "123")}
    path, lines = write_csv(name, [row(i, revenue=text) for i, (text, _) in cases.items()])
    proc, out = etl(name, path, lines)
    got = {int(r["id"]): r["revenue"] for r in movie_rows(out)}
    expect(name, got == {i: want for i, (_, want) in cases.items()}, f"revenues rounded exactly: {got}")


def environment_settings():
    """A bad MARQUEE_ROLLUP_MEMORY stops only the commands that use it, naming
    the variable; the command line wins over it; a good one is applied."""
    name = "environment-rollup-memory"
    path, _ = write_csv(name, [row(1), row(2)])
    out = os.path.join(WORK, name + "-out")

    def marquee(value, *args):
        env = dict(os.environ, MARQUEE_ROLLUP_MEMORY=value)
        return subprocess.run([MARQUEE, *args], capture_output=True, text=True, timeout=120, env=env)

    proc = marquee("abc", "etl", path, "--out", out)
    expect(name, proc.returncode == 2 and "MARQUEE_ROLLUP_MEMORY (the environment variable for --rollup-memory)"
           in proc.stderr and "abc" in proc.stderr, f"exit 2 naming the variable: {proc.returncode} {proc.stderr.strip()}")
    proc = marquee("abc", "etl", path, "--out", out, "--rollup-memory", "4")
    expect(name, proc.returncode == 0, f"--rollup-memory on the command line wins: {proc.returncode} {proc.stderr.strip()}")
    proc = marquee("abc", "runs", "--data-dir", os.path.join(WORK, name + "-data"))
    expect(name, proc.returncode == 0, f"a command without the option ignores it: {proc.returncode} {proc.stderr.strip()}")
    proc = marquee("0", "etl", path, "--out", out)
    expect(name, proc.returncode == 0 and "spilled to disk" in proc.stdout,
           f"MARQUEE_ROLLUP_MEMORY=0 is applied (the rollups spill): {proc.stdout.strip()}")

    # --statsd is shared by every job command: the environment's address must
    # not replace the one the command line gives, nor be used when it does.
    name = "environment-statsd"
    listeners = []
    for _ in range(2):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(0.2)
        listeners.append(sock)
    from_env, from_line = (f"127.0.0.1:{s.getsockname()[1]}" for s in listeners)
    env = dict(os.environ, MARQUEE_STATSD=from_env)
    proc = subprocess.run([MARQUEE, "etl", path, "--out", out, "--statsd", from_line],
                          capture_output=True, text=True, timeout=120, env=env)

    def received(sock):
        count = 0
        try:
            while True:
                sock.recv(65536)
                count += 1
        except socket.timeout:
            return count

    got_env, got_line = received(listeners[0]), received(listeners[1])
    expect(name, proc.returncode == 0 and got_line > 0 and got_env == 0,
           f"metrics go to --statsd, not MARQUEE_STATSD: exit {proc.returncode}, {got_line} packets to the "
           f"command line's address, {got_env} to the environment's")
    proc = subprocess.run([MARQUEE, "etl", path, "--out", out], capture_output=True, text=True, timeout=120, env=env)
    got_env = received(listeners[0])
    expect(name, proc.returncode == 0 and got_env > 0, f"MARQUEE_STATSD alone is used: {got_env} packets")
    for sock in listeners:
        sock.close()
    bad = dict(os.environ, MARQUEE_STATSD="bad:x")
    proc = subprocess.run([MARQUEE, "etl", path, "--out", out], capture_output=True, text=True, timeout=120, env=bad)
    expect(name, proc.returncode == 2 and "MARQUEE_STATSD (the environment variable for --statsd) 'bad:x'" in proc.stderr,
           f"a bad MARQUEE_STATSD is named as the variable: {proc.returncode} {proc.stderr.strip()}")
    proc = subprocess.run([MARQUEE, "etl", path, "--out", out, "--statsd", "bad:y"], capture_output=True, text=True,
                          timeout=120, env=env)
    expect(name, proc.returncode == 2 and "--statsd 'bad:y'" in proc.stderr and "MARQUEE_STATSD" not in proc.stderr,
           f"a bad --statsd is named as the option: {proc.returncode} {proc.stderr.strip()}")


def main():
    os.makedirs(WORK, exist_ok=True)
    for case in (long_valid_field, consecutive_bad_lines, header_and_long_line, huge_figures, exact_revenue,
                 environment_settings):
        case()
    if failures:
        print("\n".join(["FAILURES:"] + failures))
        sys.exit(1)
    print("all ETL attack cases passed")


if __name__ == "__main__":
    main()
