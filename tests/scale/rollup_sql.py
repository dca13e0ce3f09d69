#!/usr/bin/env python3
"""The portable rollup SQL (sql/rollups/*.sql) against Marquee's own rollups.

One `marquee run` over a generated input with defects (SQLite), the same run
directory loaded into PostgreSQL when a URL is given; then each SQL file runs
  - on DuckDB over the run's Parquet tables (tests/parquet/run_sql_duckdb.mjs),
  - on SQLite over the loaded tables (Python's sqlite3 module),
  - on PostgreSQL over the loaded tables (psql --csv),
with the names movie, movie_company, ... pointed at the run's rows by views.
Every row and every value is compared with the rollup tables Marquee wrote
(read back by DuckDB from the Parquet files): keys and integers exactly,
strings exactly, doubles within a relative 1e-9 (the engines sum in their own
order; Marquee uses compensated summation). Standard library only.

Also usable as a library by sharded_test.py: compare_table().
"""
import argparse
import csv
import io
import json
import math
import os
import sqlite3
import subprocess
import sys

TABLES = {
    "company_year": ["company_id", "year"],
    "company_year_genre": ["company_id", "year", "genre_id"],
    "genre_year": ["genre_id", "year"],
}
DOUBLES = {"budget_split", "revenue_split", "profit_split", "average_popularity", "popularity_total",
           "popularity_average"}
BASE_TABLES = ["movie", "company", "genre", "movie_company", "movie_genre"]


def normalize(column, value):
    if value is None or value == "":
        return None
    if column in DOUBLES:
        return float(value)
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.lstrip("-").isdigit()):
        return int(value)
    return value


def close(a, b):
    if a is None or b is None:
        return a is b
    return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def compare_table(name, expected, got, where):
    """expected/got: (columns, rows). Returns a list of differences (empty = equal)."""
    problems = []
    e_cols, e_rows = expected
    g_cols, g_rows = got
    if list(e_cols) != list(g_cols):
        return ["%s %s: columns %s, expected %s" % (where, name, g_cols, e_cols)]
    key = [e_cols.index(k) for k in TABLES[name]]

    def index(rows):
        out = {}
        for r in rows:
            r = [normalize(c, v) for c, v in zip(e_cols, r)]
            out[tuple(r[i] for i in key)] = r
        return out

    e, g = index(e_rows), index(g_rows)
    if len(e) != len(e_rows) or len(g) != len(g_rows):
        problems.append("%s %s: duplicate keys" % (where, name))
    for k in sorted(set(e) - set(g), key=str)[:5]:
        problems.append("%s %s: missing row %s" % (where, name, k))
    for k in sorted(set(g) - set(e), key=str)[:5]:
        problems.append("%s %s: extra row %s" % (where, name, k))
    for k in sorted(set(e) & set(g), key=str):
        for c, a, b in zip(e_cols, e[k], g[k]):
            same = close(a, b) if c in DOUBLES else a == b
            if not same:
                problems.append("%s %s %s: %s = %r, expected %r" % (where, name, k, c, b, a))
                if len(problems) > 20:
                    return problems
    if not e_rows:
        problems.append("%s %s: Marquee's table is empty; the comparison proves nothing" % (where, name))
    return problems


def duckdb(node, source_dir, tables_dir, sql_file, prelude=None):
    args = [node, os.path.join(source_dir, "tests/parquet/run_sql_duckdb.mjs"), tables_dir, sql_file]
    out = subprocess.run(args + ([prelude] if prelude else []), check=True, capture_output=True, text=True,
                         timeout=300).stdout
    d = json.loads(out)
    return d["columns"], d["rows"]


def sqlite_run(db_path, run_id, sql):
    c = sqlite3.connect(db_path)
    try:
        # The run's own file (docs/STORAGE.md: one SQLite file per run),
        # attached; temp views give the rollup SQL its base table names.
        c.execute("ATTACH ? AS run", ("%s.runs/%s.sqlite" % (db_path, run_id),))
        for t in BASE_TABLES:
            # run ids are [A-Za-z0-9_.-]: safe to quote here.
            c.execute("CREATE TEMP VIEW %s AS SELECT * FROM run.%s WHERE run_id = '%s'" % (t, t, run_id))
        cur = c.execute(sql)
        return [d[0] for d in cur.description], [list(r) for r in cur.fetchall()]
    finally:
        c.close()


def postgres_run(url, run_id, sql_file, schema="run_view"):
    views = "".join("CREATE VIEW %s.%s AS SELECT * FROM public.%s WHERE run_id = '%s';" % (schema, t, t, run_id)
                    for t in BASE_TABLES)
    setup = "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s; %s" % (schema, schema, views)
    psql = ["/usr/lib/postgresql/15/bin/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url]
    subprocess.run(psql + ["-c", setup], check=True, capture_output=True, timeout=60)
    out = subprocess.run(psql + ["--csv", "-c", "SET search_path = %s" % schema, "-f", sql_file],
                         check=True, capture_output=True, text=True, timeout=300).stdout
    rows = list(csv.reader(io.StringIO(out)))
    return rows[0], rows[1:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--marquee", required=True)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--node", default="node")
    ap.add_argument("--pg-url")
    ap.add_argument("--movies", type=int, default=20000)
    a = ap.parse_args()

    data = os.path.join(a.work, "data")
    source = os.path.join(a.work, "movies.csv")
    subprocess.run([a.marquee, "generate", "--movies", str(a.movies), "--seed", "1414", "--defects", "--out", source],
                   check=True, capture_output=True, timeout=120)
    out = subprocess.run([a.marquee, "run", source, "--data-dir", data], check=True, capture_output=True, text=True,
                         timeout=300).stdout
    run_id = [l.split()[1] for l in out.splitlines() if l.startswith("run ")][0]
    run_dir = os.path.join(data, "runs", run_id)
    tables_dir = os.path.join(run_dir, "tables")
    if a.pg_url:
        subprocess.run([a.marquee, "load", run_dir, "--data-dir", data, "--db", a.pg_url], check=True,
                       capture_output=True, timeout=300)

    problems = []
    counts = {}
    for name in TABLES:
        sql_file = os.path.join(a.source_dir, "sql/rollups/%s.sql" % name)
        with open(sql_file) as f:
            sql = f.read()
        select_all = os.path.join(a.work, "select_%s.sql" % name)
        with open(select_all, "w") as f:
            f.write("SELECT * FROM %s" % name)
        expected = duckdb(a.node, a.source_dir, tables_dir, select_all)  # Marquee's own rollup table
        counts[name] = len(expected[1])
        problems += compare_table(name, expected, duckdb(a.node, a.source_dir, tables_dir, sql_file), "duckdb")
        problems += compare_table(name, expected, sqlite_run(os.path.join(data, "marquee.db"), run_id, sql), "sqlite")
        if a.pg_url:
            problems += compare_table(name, expected, postgres_run(a.pg_url, run_id, sql_file), "postgresql")
    engines = "DuckDB, SQLite" + (", PostgreSQL" if a.pg_url else "")
    for p in problems:
        print("FAIL:", p, file=sys.stderr)
    if problems:
        return 1
    print("portable rollup SQL equals Marquee's rollups on %s: %s" % (
        engines, ", ".join("%s %d rows" % (k, v) for k, v in counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
