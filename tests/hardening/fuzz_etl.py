#!/usr/bin/env python3
"""Black-box mutation fuzzer for `marquee etl`: mutates a seed CSV (the real
sample's first records when present, else a generated file with the real
file's defects planted), runs the real binary on each case, and checks every
invariant of docs/ERROR_LOG.md (etl_invariants.py): exit code 0, 1 or 2 (never
a crash), a manifest whose counts add up, an error log in input order with
documented reasons, and the movie table's row count. Bounded in time.
  fuzz_etl.py MARQUEE WORK_DIR [SECONDS] [SEED]
A failing case is kept in WORK_DIR/failures/ for replay."""
import os
import random
import shutil
import subprocess
import sys
import time

from etl_invariants import check_output

MARQUEE, WORK = sys.argv[1], sys.argv[2]
SECONDS = float(sys.argv[3]) if len(sys.argv) > 3 else 60.0
SEED = int(sys.argv[4]) if len(sys.argv) > 4 else int(time.time())
REAL = os.path.join(os.environ.get("MARQUEE_DATA_DIR", ""), "movies_metadata.head.csv")

TOKENS = [b'"', b'""', b',', b'\n', b'\r\n', b'\r', b"'", b'[', b']', b'{', b'}', b'\x00', b'\xff\xfe',
          b'\xc3', b'9223372036854775807', b'5000000000000000000', b'1e308', b'-1', b'0', b'1.5e-7',
          b"[{'id': 0, 'name': 'x'}]", b"[{'id': -3, 'name': 'y'}]", b'None', b'True', b'2020-02-30',
          b'"[{\'id\': 35, \'name\': \'Comedy\'} GATORADE"', b'\xef\xbb\xbf']


def seed_input(rng):
    if os.path.exists(REAL):
        with open(REAL, "rb") as f:
            data = f.read()
        # The header and about 150 records: small enough for many cases a minute.
        cut = 0
        for _ in range(160):
            cut = data.find(b"\r\n", cut + 1)
        return data[:cut + 2], "real sample"
    path = os.path.join(WORK, "generated.csv")
    subprocess.run([MARQUEE, "generate", "--movies", "150", "--seed", "5", "--defects", "--out", path], check=True,
                   capture_output=True)
    with open(path, "rb") as f:
        return f.read(), "generated (real sample absent)"


def mutate(data, rng):
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        kind = rng.randrange(7)
        at = rng.randrange(len(data) + 1)
        if kind == 0 and data:                      # flip a byte
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif kind == 1:                             # insert a token
            data[at:at] = rng.choice(TOKENS)
        elif kind == 2 and data:                    # delete a range
            del data[at:at + rng.randint(1, 64)]
        elif kind == 3:                             # duplicate a line
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end + 1
            data[end:end] = data[start:end]
        elif kind == 4:                             # truncate
            del data[at:]
        elif kind == 5:                             # a long run of one byte (long fields, long lines)
            data[at:at] = rng.choice([b"x", b'"', b"a\n", b","]) * rng.randint(100, 20000)
        else:                                       # replace a field with a token
            end = data.find(b",", at)
            if end > 0:
                data[at:end] = rng.choice(TOKENS)
    return bytes(data)


def physical_lines(data):
    # A final line feed ends the last line rather than starting another.
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def main():
    rng = random.Random(SEED)
    os.makedirs(WORK, exist_ok=True)
    base, origin = seed_input(rng)
    print(f"fuzz_etl: seed {SEED}, {SECONDS:.0f} s, input: {origin}")
    deadline = time.monotonic() + SECONDS
    cases = failures = 0
    case_path = os.path.join(WORK, "case.csv")
    out = os.path.join(WORK, "out")
    while time.monotonic() < deadline:
        data = mutate(base, rng)
        with open(case_path, "wb") as f:
            f.write(data)
        shutil.rmtree(out, ignore_errors=True)
        args = [MARQUEE, "etl", case_path, "--out", out, "--format", "csv", "--max-reject-ratio", "1",
                "--threads", str(rng.randint(1, 3))]
        if rng.random() < 0.3:
            args += ["--max-record-bytes", str(rng.choice([1024, 4096, 65536]))]
        proc = subprocess.run(args, capture_output=True, timeout=120)
        cases += 1
        problems = []
        if proc.returncode not in (0, 1, 2):
            problems.append(f"exit code {proc.returncode}: {proc.stderr[-400:]!r}")
        elif proc.returncode == 2:
            message = proc.stderr.decode("utf-8", "replace")
            if case_path not in message:
                problems.append(f"exit 2 without naming the input file: {message!r}")
        else:
            problems = check_output(out, proc.returncode, physical_lines(data))
        if problems:
            failures += 1
            keep = os.path.join(WORK, "failures", f"case{cases}.csv")
            os.makedirs(os.path.dirname(keep), exist_ok=True)
            shutil.copy(case_path, keep)
            print(f"FAIL case {cases} (kept as {keep}; args {' '.join(args[4:])}):")
            for p in problems[:5]:
                print("   ", p)
    print(f"fuzz_etl: {cases} cases, {failures} failed")
    sys.exit(1 if failures or cases == 0 else 0)


if __name__ == "__main__":
    main()
