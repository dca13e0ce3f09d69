#!/usr/bin/env python3
"""Sharded transform (docs/SCALE.md): `marquee split` cuts a generated input
(with defects: duplicate ids, split records, quoted line breaks) into 3 parts,
`marquee etl` transforms each part on its own, and the portable rollup SQL
(sql/rollups/) over the union of the three shards' tables, on DuckDB, gives
exactly Marquee's rollups of one `marquee etl` over the whole file.

The union resolves duplicates across shards first-wins by the lineage
columns: ORDER BY source_file (shard order: part-001 < part-002 ...), then
source_line; bridges come from the winning shard; a company's or genre's
name from the first shard that has it. Also checked: the union's movie table
holds exactly the whole run's movies, and each movie's lineage (shard file and
line) maps back to its line in the whole file. Standard library only.
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rollup_sql  # noqa: E402

BRIDGES = ["movie_company", "movie_genre"]
DIMENSIONS = ["company", "genre"]


def prelude(shard_dirs):
    def union(table):
        return " UNION ALL ".join("SELECT %d AS shard, * FROM read_parquet('%s')" % (
            i + 1, os.path.join(d, "tables", table + ".parquet")) for i, d in enumerate(shard_dirs))
    s = ["CREATE VIEW all_movie AS " + union("movie")]
    s.append("CREATE VIEW winner AS SELECT id, shard FROM (SELECT id, shard, ROW_NUMBER() OVER "
             "(PARTITION BY id ORDER BY source_file, source_line) AS rn FROM all_movie) AS ranked WHERE rn = 1")
    s.append("CREATE VIEW movie AS SELECT m.* EXCLUDE (shard) FROM all_movie AS m "
             "JOIN winner AS w ON w.id = m.id AND w.shard = m.shard")
    for b in BRIDGES:
        s.append("CREATE VIEW all_%s AS %s" % (b, union(b)))
        s.append("CREATE VIEW %s AS SELECT x.* EXCLUDE (shard) FROM all_%s AS x "
                 "JOIN winner AS w ON w.id = x.movie_id AND w.shard = x.shard" % (b, b))
    for d in DIMENSIONS:
        s.append("CREATE VIEW all_%s AS %s" % (d, union(d)))
        s.append("CREATE VIEW %s AS SELECT id, name FROM (SELECT id, name, ROW_NUMBER() OVER "
                 "(PARTITION BY id ORDER BY shard) AS rn FROM all_%s) AS first WHERE rn = 1" % (d, d))
    return ";\n".join(s) + ";\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--marquee", required=True)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--node", default="node")
    ap.add_argument("--movies", type=int, default=15000)
    ap.add_argument("--shards", type=int, default=3)
    a = ap.parse_args()

    def mq(*args):
        return subprocess.run([a.marquee, *args], check=True, capture_output=True, text=True, timeout=300).stdout

    whole = os.path.join(a.work, "movies.csv")
    mq("generate", "--movies", str(a.movies), "--seed", "1415", "--defects", "--out", whole)
    whole_dir = os.path.join(a.work, "whole")
    mq("etl", whole, "--out", whole_dir, "--threads", "1")
    parts_dir = os.path.join(a.work, "parts")
    listing = mq("split", whole, "--parts", str(a.shards), "--out", parts_dir)
    parts = [line.split("\t") for line in listing.splitlines()]
    if len(parts) != a.shards:
        print("FAIL: split printed %r" % listing, file=sys.stderr)
        return 1
    shard_dirs, first_lines = [], {}
    for path, _, records, first in parts:
        if int(records.split()[0]) == 0:
            print("FAIL: %s is empty" % path, file=sys.stderr)
            return 1
        out = os.path.join(a.work, "shard-" + os.path.basename(path)[:-4])
        mq("etl", path, "--out", out, "--threads", "1")
        shard_dirs.append(out)
        first_lines[os.path.basename(path)] = int(first.split()[-1])

    prelude_file = os.path.join(a.work, "union.sql")
    with open(prelude_file, "w") as f:
        f.write(prelude(shard_dirs))
    problems = []
    # The union's movies and their lineage, against the whole run's.
    query = os.path.join(a.work, "lineage.sql")
    with open(query, "w") as f:
        f.write("SELECT id, source_file, source_line FROM movie ORDER BY id")
    _, union_rows = rollup_sql.duckdb(a.node, a.source_dir, "-", query, prelude_file)
    _, whole_rows = rollup_sql.duckdb(a.node, a.source_dir, os.path.join(whole_dir, "tables"), query)
    whole_line = {int(r[0]): (r[1], int(r[2])) for r in whole_rows}
    if sorted(whole_line) != sorted(int(r[0]) for r in union_rows):
        problems.append("the union of the shards does not hold exactly the whole run's movies")
    for movie_id, shard_file, shard_line in union_rows:
        expected = whole_line.get(int(movie_id))
        # A part's line 1 is its header; its line 2 is the whole file's line `first`.
        mapped = int(shard_line) - 2 + first_lines[shard_file]
        if expected and (expected[0] != "movies.csv" or expected[1] != mapped):
            problems.append("movie %s: lineage %s:%s maps to line %d, the whole run says %s" % (
                movie_id, shard_file, shard_line, mapped, expected))
            break
    counts = {}
    for name in rollup_sql.TABLES:
        select_all = os.path.join(a.work, "select_%s.sql" % name)
        with open(select_all, "w") as f:
            f.write("SELECT * FROM %s" % name)
        expected = rollup_sql.duckdb(a.node, a.source_dir, os.path.join(whole_dir, "tables"), select_all)
        counts[name] = len(expected[1])
        got = rollup_sql.duckdb(a.node, a.source_dir, "-",
                                os.path.join(a.source_dir, "sql/rollups/%s.sql" % name), prelude_file)
        problems += rollup_sql.compare_table(name, expected, got, "%d shards" % a.shards)
    for p in problems:
        print("FAIL:", p, file=sys.stderr)
    if problems:
        return 1
    print("%d shards (%s) through the rollup SQL equal one marquee etl over the whole file: %s" % (
        a.shards, ", ".join("%s from line %d" % (k, v) for k, v in first_lines.items()),
        ", ".join("%s %d rows" % kv for kv in counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
