#!/usr/bin/env python3
"""Marquee against a real S3 server that checks signatures and payload hashes:
OpenStack Swift with s3api (swift.sh), started once for the whole suite on
free loopback ports and torn down at the end. The bucket is set up and
checked with s3tool.py (its own SigV4 signer), never with Marquee; expected
hashes are computed here from the local bytes. Exit 77 (skipped, saying why)
without Swift or without the real data file.

  suite_s3.py --marquee BIN --work DIR --data DIR(the-movies-dataset)
"""
import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "api"))
sys.path.insert(0, HERE)
from harness import Failure, Server, check, check_eq, run_suite, section  # noqa: E402
import s3tool  # noqa: E402
from relay import Relay  # noqa: E402

IN, ARCHIVE = "marquee-in", "marquee-archive"
PART = 5 << 20  # S3's (and Swift's, and Marquee's) smallest part
BAD_SECRET = "wrong-secret-9f3c1d7e5b"


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Swift:
    """swift_driver.sh: the servers live exactly as long as its stdin."""

    def __init__(self):
        self.proc = subprocess.Popen(["bash", os.path.join(HERE, "swift_driver.sh")], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.env = {}

    def wait_ready(self):
        for line in self.proc.stdout:
            line = line.strip()
            if line.startswith("ENV "):
                name, _, value = line[4:].partition("=")
                self.env[name] = value
            elif line == "READY":
                os.environ.update(self.env)  # for s3tool
                return
        code = self.proc.wait()
        if code == 77:
            sys.exit(77)
        raise Failure(f"Swift did not start (exit {code})")

    def command(self, what):
        self.proc.stdin.write(what + "\n")
        self.proc.stdin.flush()
        check_eq(self.proc.stdout.readline().strip(), "OK", f"swift {what}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=120)


class Suite:
    def __init__(self, args, swift):
        self.marquee_bin, self.work, self.swift = args.marquee, args.work, swift

    def marquee(self, *argv, expect=0, env=None, timeout=300):
        full_env = {**os.environ, **self.swift.env, **(env or {})}
        full_env.pop("MARQUEE_ARCHIVE", None)
        out = subprocess.run([self.marquee_bin, *argv], capture_output=True, text=True, timeout=timeout, env=full_env)
        if expect is not None:
            check(out.returncode == expect,
                  f"marquee {' '.join(argv)}: exit {out.returncode}, expected {expect}\n{out.stdout[-800:]}{out.stderr[-1500:]}")
        return out

    def run(self, source, data, *extra, env=None):
        out = self.marquee("run", source, "--data-dir", data, *extra, env=env)
        run_id = next(l.split()[1] for l in out.stdout.splitlines() if l.startswith("run ") and "published" in l)
        return run_id, out

    def dir(self, name):
        path = os.path.join(self.work, name)
        shutil.rmtree(path, ignore_errors=True)
        return path


def s3_keys(bucket, prefix):
    status, data = s3tool.request("GET", bucket, query={"prefix": prefix})
    check_eq(status, 200, f"list s3://{bucket}/{prefix}")
    ns = {"s3": "http://s3.amazonaws.com/doc/2006-03-01/"}
    return {c.find("s3:Key", ns).text[len(prefix):]: int(c.find("s3:Size", ns).text)
            for c in ET.fromstring(data).findall("s3:Contents", ns)}


def s3_sha256(bucket, key):
    status, data = s3tool.request("GET", bucket, key)
    check_eq(status, 200, f"GET s3://{bucket}/{key}")
    return hashlib.sha256(data).hexdigest()


def put(bucket, key, path):
    with open(path, "rb") as f:
        status, data = s3tool.request("PUT", bucket, key, body=f.read())
    check(status == 200, f"s3tool PUT s3://{bucket}/{key}: HTTP {status} {data[:200]!r}")


def manifest(run_dir):
    with open(os.path.join(run_dir, "manifest.json")) as f:
        return json.load(f)


# Fields that name the run or the moment (input.name, where the input was
# read from, is left out below).
VARYING = ("run_id", "created_at", "timings_ms", "archive")


def comparable(m):
    m = {k: v for k, v in m.items() if k not in VARYING}
    m["input"] = {k: v for k, v in m["input"].items() if k in ("size", "sha256")}
    return m


def check_same_run(base_dir, other_dir, what):
    """Every table and errors.jsonl byte for byte, once the other run's id is
    put in place of its own (each Parquet file names its run in its key-value
    metadata; ids have one length, so nothing else moves); the manifests apart
    from VARYING and the files' checksums that the run id changes."""
    base_id, other_id = manifest(base_dir)["run_id"].encode(), manifest(other_dir)["run_id"].encode()
    check_eq(len(other_id), len(base_id), f"{what}: run id length")
    base_files = sorted(manifest(base_dir)["files"])
    check_eq(sorted(manifest(other_dir)["files"]), base_files, f"{what}: files")
    for name in base_files:
        with open(os.path.join(base_dir, name), "rb") as a, open(os.path.join(other_dir, name), "rb") as b:
            base, other = a.read(), b.read()
        check(base.count(base_id) == other.count(other_id), f"{what}: {name}: the run id appears a different number of times")
        check(other.replace(other_id, base_id) == base, f"{what}: {name} differs from the local run's")
    without_sums = lambda m: {**comparable(m), "files": {n: f["size"] for n, f in m["files"].items()}}  # noqa: E731
    check_eq(without_sums(manifest(other_dir)), without_sums(manifest(base_dir)), f"{what}: manifest")


def published_figures(data_dir):
    """Every snapshot table's rows of the published run, run_id left out."""
    db = sqlite3.connect(os.path.join(data_dir, "marquee.db"))
    try:
        (run_id,) = db.execute("SELECT run_id FROM published").fetchone()
        db.close()
        # The run's own file (docs/STORAGE.md); table_xinfo lists its
        # generated run_id column too.
        db = sqlite3.connect("file:%s?mode=ro" % os.path.join(data_dir, "marquee.db.runs", run_id + ".sqlite"), uri=True)
        figures = {}
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            columns = [c[1] for c in db.execute(f"PRAGMA table_xinfo({table})")]
            if "run_id" not in columns or table in ("runs", "published"):
                continue
            kept = ", ".join(c for c in columns if c != "run_id")
            figures[table] = db.execute(f"SELECT {kept} FROM {table} WHERE run_id = ? ORDER BY {kept}", (run_id,)).fetchall()
        return run_id, figures
    finally:
        db.close()


def published_run(data_dir):
    path = os.path.join(data_dir, "marquee.db")
    if not os.path.exists(path):
        return None
    db = sqlite3.connect(path)
    try:
        row = db.execute("SELECT run_id FROM published").fetchone() if db.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'published'").fetchone() else None
        return row[0] if row else None
    finally:
        db.close()


def check_no_secret(texts, data_dir, what):
    for text in texts:
        check(BAD_SECRET not in text and "testing" not in text, f"{what}: a secret appears in the output")
    for root, _, files in os.walk(data_dir):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                content = f.read()
            check(BAD_SECRET.encode() not in content, f"{what}: the secret appears in {os.path.join(root, name)}")


def check_archived(run_dir, bucket, prefix, what):
    """The archive holds exactly the run's files and its manifest, same bytes."""
    files = manifest(run_dir)["files"]
    keys = s3_keys(bucket, prefix)
    check_eq(sorted(keys), sorted(list(files) + ["manifest.json"]), f"{what}: archived keys")
    for name in list(files) + ["manifest.json"]:
        check_eq(s3_sha256(bucket, prefix + name), sha256_file(os.path.join(run_dir, name)), f"{what}: sha256 of {name}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--marquee", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--data", required=True)
    args = parser.parse_args()
    head = os.path.join(args.data, "movies_metadata.head.csv")
    if not os.path.exists(head):
        print(f"SKIPPED: {head} is absent (the real data file; see tests/e2e)", file=sys.stderr)
        sys.exit(77)
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    # Swift takes up to a minute to start on a loaded machine: it boots while
    # the local runs it will be compared with are made.
    swift = Swift()
    try:
        suite = Suite(args, swift)
        run_suite(lambda: cases(suite, swift, head))
    finally:
        swift.stop()


def cases(t, swift, head):
    section("local reference runs (Swift starting meanwhile)")
    local = os.path.join(t.work, "local")
    os.makedirs(local)
    csv = os.path.join(local, "movies_metadata.csv")
    shutil.copyfile(head, csv)
    # In a folder inside the zip: lineage keeps the member's base name, so the
    # zip's run must equal the plain file's byte for byte.
    dataset_zip = os.path.join(local, "the-movies-dataset.zip")
    with zipfile.ZipFile(dataset_zip, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(csv, "the-movies-dataset/movies_metadata.csv")
    ref_data = t.dir("ref")
    ref_id, _ = t.run(csv, ref_data)
    ref_dir = os.path.join(ref_data, "runs", ref_id)
    check_eq(manifest(ref_dir)["input"]["sha256"], sha256_file(csv), "reference run: input sha256")
    # A table above the part size, for the multipart case: uncompressed
    # Parquet of a generated file.
    big_csv = os.path.join(local, "big.csv")
    t.marquee("generate", "--movies", "30000", "--seed", "12", "--out", big_csv)
    big_data = t.dir("big")
    big_id, _ = t.run(big_csv, big_data, "--compression", "none")
    big_dir = os.path.join(big_data, "runs", big_id)
    big_files = {n: os.path.getsize(os.path.join(big_dir, n)) for n in manifest(big_dir)["files"]}
    check(max(big_files.values()) > 2 * PART, f"no table over two parts: {big_files}")

    swift.wait_ready()
    section("buckets and inputs, written with s3tool")
    for bucket in (IN, ARCHIVE):
        for attempt in range(30):  # the first account request can race Swift's autocreate
            status, data = s3tool.request("PUT", bucket)
            if status in (200, 409):
                break
            time.sleep(1)
        check(status == 200, f"create bucket {bucket}: HTTP {status} {data[:200]!r}")
    put(IN, "movies_metadata.csv", csv)
    put(IN, "the-movies-dataset.zip", dataset_zip)
    put(IN, "monthly/2024-05/movies_metadata.csv", csv)

    section("a. run from s3:// CSV, zip and prefix == the local run, byte for byte")
    for url in (f"s3://{IN}/movies_metadata.csv", f"s3://{IN}/the-movies-dataset.zip",
                f"s3://{IN}/monthly/2024-05/"):
        data = t.dir("a-" + url.rsplit("/", 2)[-2 if url.endswith("/") else -1])
        run_id, _ = t.run(url, data)
        run_dir = os.path.join(data, "runs", run_id)
        check_same_run(ref_dir, run_dir, url)
        check_eq(manifest(run_dir)["input"]["sha256"], sha256_file(csv), f"{url}: input sha256")
        print(f"  {url}: same tables, input sha256 of the local file", flush=True)
    # `etl` writes no run id: its output from S3 and from disk are equal outright.
    etl_local, etl_s3 = t.dir("etl-local"), t.dir("etl-s3")
    t.marquee("etl", csv, "--out", etl_local)
    t.marquee("etl", f"s3://{IN}/movies_metadata.csv", "--out", etl_s3)
    for name in sorted(os.listdir(os.path.join(etl_local, "tables"))):
        with open(os.path.join(etl_local, "tables", name), "rb") as a, open(os.path.join(etl_s3, "tables", name), "rb") as b:
            check(a.read() == b.read(), f"etl from S3: tables/{name} differs from etl from disk")

    section("b. run --archive, then load s3:// into a fresh data dir: same published figures")
    b_data = t.dir("b")
    b_id, out = t.run(f"s3://{IN}/movies_metadata.csv", b_data, "--archive", f"s3://{ARCHIVE}/runs")
    b_dir = os.path.join(b_data, "runs", b_id)
    check_eq(manifest(b_dir).get("archive"), {"url": f"s3://{ARCHIVE}/runs/{b_id}/"}, "manifest's archive")
    check_archived(b_dir, ARCHIVE, f"runs/{b_id}/", "archive")
    fresh = t.dir("b-fresh")
    out = t.marquee("load", f"s3://{ARCHIVE}/runs/{b_id}", "--data-dir", fresh, "--publish")
    original_id, original = published_figures(b_data)
    restored_id, restored = published_figures(fresh)
    check_eq(restored_id, original_id, "published run after the restore")
    check(sum(len(rows) for rows in original.values()) > 10000, "the figures are not empty")
    for table in original:
        check(restored[table] == original[table], f"restored {table} differs from the original")
    check(not any(n.startswith(".restore") for n in os.listdir(fresh)), "the download directory was left behind")
    print(f"  {len(original)} tables equal, {sum(len(r) for r in original.values())} rows", flush=True)

    section("b'. a tampered archive is refused (exit 2), nothing loaded")
    tampered = t.dir("b-tampered")
    status, _ = s3tool.request("PUT", ARCHIVE, f"runs/{b_id}/errors.jsonl", body=b'{"tampered": true}\n')
    check_eq(status, 200, "tamper with the archive")
    out = t.marquee("load", f"s3://{ARCHIVE}/runs/{b_id}", "--data-dir", tampered, "--publish", expect=2)
    check("errors.jsonl" in out.stderr, f"the refusal names the file: {out.stderr[-400:]}")
    check_eq(published_run(tampered), None, "published after a refused load")

    section("c. multipart upload of a table over the part size")
    out = t.marquee("archive", big_id, "--to", f"s3://{ARCHIVE}/big", "--data-dir", big_data,
                    env={"MARQUEE_S3_PART_SIZE": str(PART)})
    check_archived(big_dir, ARCHIVE, f"big/{big_id}/", "multipart archive")
    largest = max(big_files, key=big_files.get)
    status, headers, _ = s3tool.request_full("HEAD", ARCHIVE, f"big/{big_id}/{largest}")
    parts = -(-big_files[largest] // PART)
    # A multipart object's ETag is "md5-of-part-md5s-N": made of N parts.
    check(headers.get("etag", "").strip('"').endswith(f"-{parts}"),
          f"{largest} ({big_files[largest]} bytes) is not a {parts}-part upload: ETag {headers.get('etag')}")
    print(f"  {largest}: {big_files[largest]} bytes in {parts} parts, sha256 equal", flush=True)

    section("d. wrong secret: clear error naming the URL, exit 2, nothing published, no secret shown")
    d_data = t.dir("d")
    url = f"s3://{IN}/movies_metadata.csv"
    out = t.marquee("run", url, "--data-dir", d_data, expect=2, env={"AWS_SECRET_ACCESS_KEY": BAD_SECRET})
    check(url in out.stderr and "SignatureDoesNotMatch" in out.stderr, f"error: {out.stderr[-400:]}")
    print("  " + out.stderr.strip().splitlines()[-1], flush=True)
    check_eq(published_run(d_data), None, "published after a refused input")
    check_no_secret([out.stdout, out.stderr], d_data, "wrong secret (input)")
    # The same secret on the archive: the run is published (archiving follows
    # publishing), the archive is refused, the secret is nowhere.
    d2 = t.dir("d-archive")
    out = t.marquee("run", csv, "--data-dir", d2, "--archive", f"s3://{ARCHIVE}/denied", expect=2,
                    env={"AWS_SECRET_ACCESS_KEY": BAD_SECRET})
    check(f"s3://{ARCHIVE}/denied/" in out.stderr and "SignatureDoesNotMatch" in out.stderr, f"error: {out.stderr[-400:]}")
    check(published_run(d2) is not None, "the run is published even though its archive failed")
    check_eq(s3_keys(ARCHIVE, "denied/"), {}, "objects written with a wrong secret")
    check_no_secret([out.stdout, out.stderr], d2, "wrong secret (archive)")

    section("e. missing key, missing bucket, unreachable endpoint")
    e_data = t.dir("e")
    for url, code in ((f"s3://{IN}/no/such/movies_metadata.csv", "NoSuchKey"),
                      ("s3://no-such-bucket-4711/movies_metadata.csv", "NoSuchBucket"),
                      (f"s3://{ARCHIVE}/runs/20200101T000000Z-abcdef", "NoSuchKey")):
        verb = "load" if "/runs/" in url else "run"
        out = t.marquee(verb, url, "--data-dir", e_data, expect=2)
        check(url in out.stderr and code in out.stderr, f"{verb} {url}: {out.stderr[-400:]}")
        print(f"  {verb} {url}: exit 2, {code}", flush=True)
    url = f"s3://{IN}/movies_metadata.csv"
    out = t.marquee("run", url, "--data-dir", e_data, expect=2, env={"AWS_REGION": "eu-west-1"})
    check(url in out.stderr and "AuthorizationHeaderMalformed" in out.stderr, f"wrong region: {out.stderr[-400:]}")
    print("  wrong region: " + out.stderr.strip().splitlines()[-1], flush=True)
    out = t.marquee("archive", ref_id, "--to", "s3://no-such-bucket-4711/runs", "--data-dir", ref_data, expect=2)
    check("s3://no-such-bucket-4711/runs/" in out.stderr and "NoSuchBucket" in out.stderr, out.stderr[-400:])
    closed = Relay(1)  # bound then closed: a loopback port nothing listens on
    closed.close()
    url = f"s3://{IN}/movies_metadata.csv"
    out = t.marquee("run", url, "--data-dir", e_data, expect=1, env={"AWS_ENDPOINT_URL": closed.url})
    check(url in out.stderr and "cannot reach" in out.stderr, f"unreachable: {out.stderr[-400:]}")
    # Checked before any work: no run is made, so none is left unarchived.
    out = t.marquee("run", csv, "--data-dir", e_data, "--archive", f"s3://{ARCHIVE}/runs", expect=2,
                    env={"AWS_ACCESS_KEY_ID": ""})
    check(f"s3://{ARCHIVE}/runs" in out.stderr and "AWS_ACCESS_KEY_ID" in out.stderr, f"no credentials: {out.stderr[-400:]}")
    out = t.marquee("run", csv, "--data-dir", e_data, "--archive", "s3://Bad_Bucket/runs", expect=2)
    check("s3://Bad_Bucket/runs" in out.stderr and "invalid bucket name" in out.stderr, f"bad bucket: {out.stderr[-400:]}")
    check_eq(published_run(e_data), None, "published after failed inputs")

    section("f. the store fails in the middle of an archive; `marquee archive` finishes it")
    f_data = t.dir("f")
    puts = []

    def stop_backend_after_first_upload(method, path, status):
        if method == "PUT" and status == 200:
            puts.append(path)
            if len(puts) == 1:
                swift.command("stop_object")

    relay = Relay(int(swift.env["AWS_ENDPOINT_URL"].rsplit(":", 1)[1]), after_response=stop_backend_after_first_upload)
    out = t.marquee("run", csv, "--data-dir", f_data, "--archive", f"s3://{ARCHIVE}/flaky", expect=1,
                    env={"AWS_ENDPOINT_URL": relay.url})
    f_id = published_run(f_data)
    check(f_id is not None, "the run is not published after a failed archive")
    check(f"run {f_id} published" in out.stdout, f"stdout: {out.stdout[-300:]}")
    check(f"s3://{ARCHIVE}/flaky/{f_id}/" in out.stderr and "(HTTP 503)" in out.stderr and "ServiceUnavailable" in out.stderr,
          f"the error names the object and S3's error code: {out.stderr[-600:]}")
    check(f"marquee archive {f_id} --to s3://{ARCHIVE}/flaky" in out.stderr, "the error says how to finish")
    print("  " + "\n  ".join(out.stderr.strip().splitlines()[-2:]), flush=True)
    server = Server(t.marquee_bin, ["--data-dir", f_data, "--no-auth"], os.path.join(t.work, "f-serve.log"))
    try:
        server.wait_ready()
        check_eq(json.loads(server.get("/readyz").body)["run"], f_id, "served run after the failed archive")
        genres = server.get("/v1/genres")
        check(genres.status == 200 and json.loads(genres.body)["genres"], "the published run's figures are served")
    finally:
        server.kill()
    swift.command("start_object")
    partial = s3_keys(ARCHIVE, f"flaky/{f_id}/")
    check_eq(len(partial), 1, f"objects of the interrupted archive: {partial}")
    check("manifest.json" not in partial, "an incomplete archive has a manifest")
    f_dir = os.path.join(f_data, "runs", f_id)
    out = t.marquee("load", f_dir, "--data-dir", t.dir("f-check"))  # the local run is intact
    relay.after_response = None
    relay.log.clear()
    t.marquee("archive", f_id, "--to", f"s3://{ARCHIVE}/flaky", "--data-dir", f_data,
              env={"AWS_ENDPOINT_URL": relay.url})
    check_archived(f_dir, ARCHIVE, f"flaky/{f_id}/", "finished archive")
    uploads = [path for method, path, _, status in relay.log if method == "PUT"]
    check(uploads and uploads[-1].endswith("/manifest.json"), f"manifest.json is not the last upload: {uploads}")
    check_eq(sum(p.endswith("/manifest.json") for p in uploads), 1, "manifest uploads")
    relay.close()

    section("g. a GET cut after 100000 body bytes resumes from there")
    cut = Relay(int(swift.env["AWS_ENDPOINT_URL"].rsplit(":", 1)[1]), cut_get_after=100000)
    g_data = t.dir("g")
    g_id, _ = t.run(f"s3://{IN}/movies_metadata.csv", g_data, env={"AWS_ENDPOINT_URL": cut.url})
    check_eq(cut.cuts, 1, "connections cut")
    g_dir = os.path.join(g_data, "runs", g_id)
    check_eq(manifest(g_dir)["input"]["sha256"], sha256_file(csv), "input sha256 after the resume")
    check_same_run(ref_dir, g_dir, "resumed run")
    gets = [(rng, status) for method, _, rng, status in cut.log if method == "GET"]
    cut_at = next(i for i, (_, status) in enumerate(gets) if status < 0)
    start = lambda rng: int(rng.split("=")[1].split("-")[0])  # noqa: E731
    check(cut_at + 1 < len(gets) and start(gets[cut_at + 1][0]) == start(gets[cut_at][0]) + 100000,
          f"the GET after the cut does not resume 100000 bytes further: {gets}")
    # The cut must hit the read that was parsed, not `run`'s early check that
    # the input exists: after the cut, no GET starts over from byte 0.
    check(all(start(rng) > 0 for rng, _ in gets[cut_at + 1:]), f"the input was read again from the start: {gets}")
    cut.close()
    print(f"  GETs: {gets}", flush=True)


if __name__ == "__main__":
    main()
