#!/usr/bin/env python3
"""Runs `marquee etl MOVIES --ratings RATINGS --links LINKS` and compares its
ratings output with the independent oracle (oracle_ratings.py):

- tables/movie_rating.parquet and tables/link.parquet, read by DuckDB
  (tests/parquet/read_duckdb.mjs, an independent Parquet reader): column names
  and types, every row in order, doubles within 1e-12 relative;
- manifest.json: "ratings" key for key (name, size, sha256, counts per file,
  movies_rated), the tables' row counts, and the ratings reasons' counts in
  "diagnostics";
- company_year and genre_year: rating_count and rating_mean of every row;
- errors.jsonl: the multiset of (file, severity, reason, line, movie_id,
  column) of every entry that names a file, and no ratings reason without one.

Usage: compare_ratings.py MARQUEE NODE MOVIES LINKS RATINGS OUT [etl options...]
Exit 0 on a match, 1 on a mismatch, 77 (skipped) when an input is absent.
"""
import json
import math
import os
import subprocess
import sys
from collections import Counter

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import oracle_ratings  # noqa: E402

READER = os.path.join(HERE, "..", "parquet", "read_duckdb.mjs")
RATINGS_REASONS = {"invalid_rating", "invalid_link", "duplicate_link", "link_without_movie",
                   "unknown_movielens_id", "rating_without_movie"}
MAX_REPORTED = 20


class Report:
    def __init__(self):
        self.problems = 0

    def fail(self, message):
        self.problems += 1
        if self.problems <= 100:
            print("MISMATCH " + message)


def read_parquet(node, path):
    out = subprocess.run([node, READER, path], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def same(value, wanted, kind):
    if value is None or wanted is None:
        return value is None and wanted is None
    if kind == "int64":
        return value == str(wanted)
    if kind == "double":
        return isinstance(value, (int, float)) and math.isclose(value, wanted, rel_tol=1e-12)
    return value == wanted


def compare_table(node, name, schema, expected, out_dir, report):
    path = os.path.join(out_dir, "tables", name + ".parquet")
    if not os.path.exists(path):
        report.fail(f"{name}: {path} is missing")
        return
    table = read_parquet(node, path)
    columns = [(c["name"], c["type"]) for c in table["columns"]]
    if columns != schema:
        report.fail(f"{name}: columns {columns} != {schema}")
        return
    rows = table["rows"]
    if len(rows) != len(expected):
        report.fail(f"{name}: {len(rows)} rows, oracle has {len(expected)}")
    reported = 0
    for index, (row, wanted) in enumerate(zip(rows, expected), start=1):
        for value, want, (column, kind) in zip(row, wanted, schema):
            if not same(value, want, kind):
                reported += 1
                if reported <= MAX_REPORTED:
                    report.fail(f"{name} row {index} ({wanted[0]}) {column}: marquee {value!r} != oracle {want!r}")
    print(f"{name}: {len(rows)} rows compared")


def compare_rollup(node, name, expected, out_dir, report):
    """rating_count and rating_mean of every row, by (id, year)."""
    table = read_parquet(node, os.path.join(out_dir, "tables", name + ".parquet"))
    names = [c["name"] for c in table["columns"]]
    if names[-2:] != ["rating_count", "rating_mean"] or \
            [c["type"] for c in table["columns"][-2:]] != ["int64", "double"]:
        report.fail(f"{name}: last columns {table['columns'][-2:]}, expected rating_count int64, rating_mean double")
        return
    got = {(int(row[0]), int(row[1])): (int(row[-2]) if row[-2] is not None else None, row[-1])
           for row in table["rows"]}
    if set(got) != set(expected):
        report.fail(f"{name}: keys differ: {len(set(got) - set(expected))} only in marquee, "
                    f"{len(set(expected) - set(got))} only in the oracle")
    reported, rated = 0, 0
    for key, (count, mean) in sorted(expected.items()):
        if key not in got:
            continue
        rated += count > 0
        if got[key][0] != count or not same(got[key][1], mean, "double"):
            reported += 1
            if reported <= MAX_REPORTED:
                report.fail(f"{name} {key}: marquee {got[key]} != oracle {(count, mean)}")
    print(f"{name}: {len(got)} rows compared, {rated} with ratings")


def compare_manifest(result, out_dir, report):
    with open(os.path.join(out_dir, "manifest.json"), encoding="utf-8") as source:
        manifest = json.load(source)
    if manifest.get("status") != "succeeded":
        report.fail(f"manifest status {manifest.get('status')!r}: {manifest.get('failure')}")
    got = manifest.get("ratings")
    if got != json.loads(json.dumps(result.manifest)):
        report.fail(f"manifest ratings: marquee {got} != oracle {dict(result.manifest)}")
    for name, rows in result.tables.items():
        n = manifest.get("tables", {}).get(name, {}).get("rows")
        if n != len(rows):
            report.fail(f"manifest tables.{name}.rows: marquee {n!r} != oracle {len(rows)}")
    wanted = Counter(f"{d[1]}/{d[2]}" for d in result.diagnostics
                     if d[2] in RATINGS_REASONS or (d[1], d[2]) == ("error", "invalid_number"))
    diagnostics = manifest.get("diagnostics", {})
    got = Counter({k: v for k, v in diagnostics.items()
                   if k.split("/")[1] in RATINGS_REASONS or k == "error/invalid_number"})
    if +got != +wanted:
        report.fail(f"manifest diagnostics: marquee {dict(got)} != oracle {dict(wanted)}")


def compare_error_log(result, out_dir, report):
    actual = []
    with open(os.path.join(out_dir, "errors.jsonl"), encoding="utf-8") as source:
        for number, text in enumerate(source, start=1):
            entry = json.loads(text)
            if "file" in entry:
                if not entry["message"].startswith(entry["file"] + ": "):
                    report.fail(f"errors.jsonl line {number}: message does not name its file")
                actual.append((entry["file"], entry["severity"], entry["reason"], entry["line"],
                               entry["movie_id"], entry["column"]))
            elif entry["reason"] in RATINGS_REASONS:
                report.fail(f"errors.jsonl line {number}: {entry['reason']} without a file")
    actual, expected = Counter(actual), Counter(result.diagnostics)
    for d in sorted((expected - actual).elements(), key=str)[:MAX_REPORTED]:
        report.fail(f"errors.jsonl lacks {d}")
    for d in sorted((actual - expected).elements(), key=str)[:MAX_REPORTED]:
        report.fail(f"errors.jsonl has unexpected {d}")
    print(f"errors.jsonl: {sum(actual.values())} ratings/links entries compared")


def run_marquee(marquee, movies, links, ratings, out, extra):
    subprocess.run(["rm", "-rf", out], check=True)
    command = [marquee, "etl", movies, "--ratings", ratings, "--links", links, "--out", out] + extra
    return subprocess.run(command, capture_output=True, text=True)


def compare(marquee, node, movies, links, ratings, out, extra):
    """Runs marquee and compares; the number of mismatches."""
    done = run_marquee(marquee, movies, links, ratings, out, extra)
    if done.returncode != 0:
        print(f"marquee etl exited {done.returncode}:\n{done.stdout}{done.stderr}")
        return 1
    result = oracle_ratings.run(movies, links, ratings)
    print(oracle_ratings.summary(result))
    report = Report()
    for name, schema in oracle_ratings.SCHEMAS.items():
        compare_table(node, name, schema, result.tables[name], out, report)
    for name, expected in result.rollups.items():
        compare_rollup(node, name, expected, out, report)
    compare_manifest(result, out, report)
    compare_error_log(result, out, report)
    return report.problems


def main(argv):
    if len(argv) < 7:
        print(__doc__, file=sys.stderr)
        return 2
    marquee, node, movies, links, ratings, out = argv[1:7]
    for path in (movies, links, ratings):
        if not os.path.isfile(path):
            print(f"SKIPPED: input {path} is absent")
            return 77
    problems = compare(marquee, node, movies, links, ratings, out, argv[7:])
    if problems:
        print(f"FAILED: {problems} mismatches between marquee and the oracle")
        return 1
    print("OK: movie_rating, link, the manifest's ratings and the error log match the oracle")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
