#!/usr/bin/env python3
"""Compares `marquee etl` output with the independent oracle (oracle.py).

Usage: compare_tables.py ORACLE_INPUT_CSV MARQUEE_OUT_DIR

Checks every table in MARQUEE_OUT_DIR/tables/<table>.csv (columns, row order,
values: exact for ints, strings, bools and dates, doubles within 1e-9
relative), manifest.json (counts, diagnostics per severity/reason, rows per
table) and errors.jsonl (the multiset of (severity, reason, line, movie_id,
column) for rejections and duplicates; counts per reason for the rest).
Exit 0 on a match, 1 on a mismatch (the first ones are printed), 77 when the
input is absent.
"""
import json
import math
import os
import re
import sys
from collections import Counter

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

MAX_REPORTED = 20
REL_TOL = 1e-9

QUOTED = re.compile(r'"((?:[^"]|"")*)"')
UNQUOTED = re.compile(r'[^,\r\n"]*')


class CsvFormatError(Exception):
    pass


def read_marquee_csv(path):
    """RFC 4180 with quotedness kept: rows of (text, was_quoted) cells.

    Marquee writes null as an unquoted empty field and "" as a quoted one, so
    the difference matters (csv.reader cannot tell them apart)."""
    with open(path, encoding="utf-8", newline="") as source:
        text = source.read()
    rows, row, pos = [], [], 0
    while pos < len(text):
        if text[pos] == '"':
            match = QUOTED.match(text, pos)
            if not match:
                raise CsvFormatError(f"{path}: unterminated quote at offset {pos}")
            row.append((match.group(1).replace('""', '"'), True))
        else:
            match = UNQUOTED.match(text, pos)
            row.append((match.group(0), False))
        pos = match.end()
        if text.startswith(",", pos):
            pos += 1
            continue
        if text.startswith("\r\n", pos):
            pos += 2
        elif text.startswith("\n", pos):
            pos += 1
        elif pos < len(text):
            raise CsvFormatError(f"{path}: unexpected {text[pos]!r} at offset {pos}")
        rows.append(row)
        row = []
    if row:
        rows.append(row)
    return rows


def parse_cell(cell, kind):
    """Marquee's text -> a Python value comparable with the oracle's."""
    text, quoted = cell
    if text == "" and not quoted:
        return None
    if kind == "str":
        return text
    if kind == "int":
        if not re.fullmatch(r"-?[0-9]+", text):
            raise ValueError(f"not an integer: {text!r}")
        return int(text)
    if kind == "double":
        return float(text)
    if kind == "bool":
        if text not in ("true", "false"):
            raise ValueError(f"not a bool: {text!r}")
        return text == "true"
    if kind == "date":
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError(f"not a date: {text!r}")
        return text
    raise AssertionError(kind)


def same_value(ours, theirs, kind):
    if ours is None or theirs is None:
        return ours is None and theirs is None
    if kind == "double":
        return math.isclose(ours, theirs, rel_tol=REL_TOL, abs_tol=1e-12)
    if kind == "int":
        return type(theirs) is int and ours == theirs
    return ours == theirs


class Report:
    def __init__(self):
        self.problems = 0

    def fail(self, message):
        self.problems += 1
        if self.problems <= 200:
            print("MISMATCH " + message)


def key_width(name):
    return {"movie": 1, "company": 1, "genre": 1, "country": 1, "language": 1,
            "collection": 1, "company_year": 2, "company_year_genre": 3,
            "genre_year": 2}.get(name, 2)


def compare_table(name, schema, expected_rows, out_dir, report):
    path = os.path.join(out_dir, "tables", name + ".csv")
    if not os.path.exists(path):
        report.fail(f"{name}: {path} is missing")
        return
    try:
        rows = read_marquee_csv(path)
    except (CsvFormatError, UnicodeDecodeError) as error:
        report.fail(f"{name}: unreadable CSV: {error}")
        return
    header = [text for text, _ in rows[0]] if rows else []
    expected_header = [column for column, _ in schema]
    if header != expected_header:
        report.fail(f"{name}: header {header} != expected {expected_header}")
        return
    actual_rows, reported = [], 0
    for index, row in enumerate(rows[1:], start=1):
        if len(row) != len(schema):
            report.fail(f"{name} row {index}: {len(row)} fields, expected {len(schema)}")
            return
        try:
            actual_rows.append([parse_cell(c, k) for c, (_, k) in zip(row, schema)])
        except ValueError as error:
            report.fail(f"{name} row {index}: {error}")
            return
    if len(actual_rows) != len(expected_rows):
        report.fail(f"{name}: {len(actual_rows)} rows, oracle has {len(expected_rows)}")
        describe_key_difference(name, actual_rows, expected_rows, report)
    width = key_width(name)
    for index, (actual, expected) in enumerate(zip(actual_rows, expected_rows), start=1):
        for value, wanted, (column, kind) in zip(actual, expected, schema):
            if not same_value(wanted, value, kind):
                reported += 1
                if reported <= MAX_REPORTED:
                    report.fail(f"{name} row {index} key {tuple(expected[:width])} "
                                f"column {column}: marquee {value!r} != oracle {wanted!r}")
                else:
                    report.problems += 1
        if reported > MAX_REPORTED * 5:
            print(f"  ... {name}: stopping after {reported} differing values")
            return
    if reported > MAX_REPORTED:
        print(f"  ... {name}: {reported} differing values in all")


def describe_key_difference(name, actual_rows, expected_rows, report):
    width = key_width(name)
    actual_keys = Counter(tuple(r[:width]) for r in actual_rows)
    expected_keys = Counter(tuple(r[:width]) for r in expected_rows)
    missing = list((expected_keys - actual_keys).elements())
    extra = list((actual_keys - expected_keys).elements())
    print(f"  {name}: {len(missing)} keys only in oracle, e.g. {missing[:10]}")
    print(f"  {name}: {len(extra)} keys only in marquee, e.g. {extra[:10]}")


def compare_manifest(result, out_dir, report):
    path = os.path.join(out_dir, "manifest.json")
    try:
        with open(path, encoding="utf-8") as source:
            manifest = json.load(source)
    except (OSError, ValueError) as error:
        report.fail(f"manifest: cannot read {path}: {error}")
        return
    if manifest.get("status") != "succeeded":
        report.fail(f"manifest: status {manifest.get('status')!r}, expected 'succeeded'")
    counts = manifest.get("counts", {})
    for key, wanted in result.counts.items():
        if counts.get(key) != wanted:
            report.fail(f"manifest counts.{key}: marquee {counts.get(key)!r} != oracle {wanted}")
    wanted_diagnostics = Counter(f"{d[0]}/{d[1]}" for d in result.diagnostics.items)
    got_diagnostics = Counter(manifest.get("diagnostics", {}))
    if +got_diagnostics != +wanted_diagnostics:
        report.fail(f"manifest diagnostics: marquee {dict(sorted(got_diagnostics.items()))} "
                    f"!= oracle {dict(sorted(wanted_diagnostics.items()))}")
    tables = manifest.get("tables", {})
    for name, rows in result.tables.items():
        got = tables.get(name, {}).get("rows")
        if got != len(rows):
            report.fail(f"manifest tables.{name}.rows: marquee {got!r} != oracle {len(rows)}")


def is_exact(diagnostic):
    """Compared one by one: rejections and duplicates; the rest by count."""
    return diagnostic[0] == "error" or diagnostic[1] == "duplicate_id"


def compare_error_log(result, out_dir, report):
    path = os.path.join(out_dir, "errors.jsonl")
    actual = []
    try:
        with open(path, encoding="utf-8") as source:
            for number, text in enumerate(source, start=1):
                entry = json.loads(text)
                actual.append((entry["severity"], entry["reason"], entry["line"],
                               entry["movie_id"], entry["column"]))
                if len(entry.get("excerpt", "").encode("utf-8")) > 200:
                    report.fail(f"errors.jsonl line {number}: excerpt over 200 bytes")
    except (OSError, ValueError, KeyError) as error:
        report.fail(f"errors.jsonl: cannot read {path}: {error}")
        return
    expected = result.diagnostics.items
    exact_actual = Counter(d for d in actual if is_exact(d))
    exact_expected = Counter(d for d in expected if is_exact(d))
    for diagnostic in sorted((exact_expected - exact_actual).elements(), key=str)[:MAX_REPORTED]:
        report.fail(f"errors.jsonl lacks {diagnostic}")
    for diagnostic in sorted((exact_actual - exact_expected).elements(), key=str)[:MAX_REPORTED]:
        report.fail(f"errors.jsonl has unexpected {diagnostic}")
    actual_reasons = Counter(d[:2] for d in actual if not is_exact(d))
    expected_reasons = Counter(d[:2] for d in expected if not is_exact(d))
    for key in sorted(set(actual_reasons) | set(expected_reasons)):
        if actual_reasons[key] != expected_reasons[key]:
            report.fail(f"errors.jsonl {key[0]}/{key[1]}: marquee {actual_reasons[key]} "
                        f"!= oracle {expected_reasons[key]}")
    repaired = lambda items: sorted(d[2] for d in items if d[1] == "repaired")  # noqa: E731
    if repaired(actual) != repaired(expected):
        report.fail(f"errors.jsonl repaired lines: marquee {repaired(actual)[:10]} "
                    f"!= oracle {repaired(expected)[:10]}")


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    input_csv, out_dir = argv[1], argv[2]
    if not os.path.isfile(input_csv):
        print(f"SKIPPED: input {input_csv} is absent")
        return 77
    result = oracle.run(input_csv)
    print(oracle.summary(result))
    report = Report()
    for name, schema in oracle.SCHEMAS.items():
        compare_table(name, schema, result.tables[name], out_dir, report)
    compare_manifest(result, out_dir, report)
    compare_error_log(result, out_dir, report)
    if report.problems:
        print(f"FAILED: {report.problems} mismatches between marquee and the oracle")
        return 1
    print("OK: marquee's tables, manifest and error log match the oracle")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
