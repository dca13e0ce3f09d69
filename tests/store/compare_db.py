#!/usr/bin/env python3
"""Compares one run's rows in the database with the CSV tables that
`marquee etl --format csv` wrote for the same input: same tables, same rows,
same values (doubles exactly), order ignored. Standard library only.

  compare_db.py --csv-dir DIR --run RUN_ID --sqlite FILE
  compare_db.py --csv-dir DIR --run RUN_ID --psql PSQL --pg-url URL

CSV cannot tell an empty string from a null (both are an empty field), so
both sides map "" to null; booleans are true/false in CSV, 1/0 in SQLite and
t/f in PostgreSQL.
"""
import argparse
import csv
import io
import os
import re
import sqlite3
import subprocess
import sys

BOOLEAN_COLUMNS = {("movie", "adult"), ("movie", "video")}
INT = re.compile(r"-?\d+$")
FLOAT = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|-?(inf|nan)$", re.IGNORECASE)
NULL_MARK = "\\N-marquee-null"


def normalize(table, column, value):
    if value is None or value == "" or value == NULL_MARK:
        return None
    if (table, column) in BOOLEAN_COLUMNS:
        return value in (1, True, "1", "t", "true")
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        number = value
    elif INT.match(value):
        number = int(value)
    elif FLOAT.match(value):
        number = float(value)
    else:
        return value
    if isinstance(number, float) and number.is_integer() and abs(number) < 2**63:
        return int(number)
    return number


def key(row):
    return [(type(v).__name__, repr(v)) for v in row]


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def db_rows_sqlite(db, table, columns, run):
    quoted = ", ".join('"%s"' % c for c in columns)
    return db.execute('SELECT %s FROM "%s" WHERE run_id = ?' % (quoted, table), (run,)).fetchall()


def db_rows_psql(psql, url, table, columns, run):
    quoted = ", ".join('"%s"' % c for c in columns)
    query = "COPY (SELECT %s FROM \"%s\" WHERE run_id = '%s') TO STDOUT WITH (FORMAT csv, NULL '%s')" % (
        quoted, table, run, NULL_MARK)
    out = subprocess.run([psql, url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", query],
                         check=True, capture_output=True).stdout.decode("utf-8")
    return list(csv.reader(io.StringIO(out, newline="")))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--csv-dir", required=True)
    p.add_argument("--run", required=True)
    p.add_argument("--sqlite")
    p.add_argument("--psql")
    p.add_argument("--pg-url")
    a = p.parse_args()
    db = None
    if a.sqlite:
        # A run loaded since migration V004 is a file of its own beside the
        # database (docs/STORAGE.md); its tables generate run_id.
        run_file = "%s.runs/%s.sqlite" % (a.sqlite, a.run)
        db = sqlite3.connect("file:%s?mode=ro" % run_file, uri=True) if os.path.exists(run_file) else sqlite3.connect(a.sqlite)
    tables = sorted(f[:-4] for f in os.listdir(a.csv_dir) if f.endswith(".csv"))
    if len(tables) != 13:
        sys.exit("expected 13 CSV tables in %s, found %d" % (a.csv_dir, len(tables)))
    failures = 0
    total = 0
    for table in tables:
        columns, csv_rows = read_csv(os.path.join(a.csv_dir, table + ".csv"))
        if db:
            got = db_rows_sqlite(db, table, columns, a.run)
        else:
            got = db_rows_psql(a.psql, a.pg_url, table, columns, a.run)
        want = sorted((tuple(normalize(table, c, v) for c, v in zip(columns, r)) for r in csv_rows), key=key)
        have = sorted((tuple(normalize(table, c, v) for c, v in zip(columns, r)) for r in got), key=key)
        total += len(want)
        if want != have:
            failures += 1
            print("MISMATCH in %s: %d rows in CSV, %d in the database" % (table, len(want), len(have)))
            missing = [r for r in want if r not in set(have)][:3]
            extra = [r for r in have if r not in set(want)][:3]
            for r in missing:
                print("  only in CSV:      %r" % (r,))
            for r in extra:
                print("  only in database: %r" % (r,))
    if failures:
        sys.exit(1)
    print("database run %s equals the CSV artifacts: %d tables, %d rows" % (a.run, len(tables), total))


if __name__ == "__main__":
    main()
