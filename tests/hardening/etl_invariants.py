"""The invariants of docs/ERROR_LOG.md, checked on one `marquee etl` output
directory. Shared by the attack cases and the mutation fuzzer."""
import csv
import json
import os

csv.field_size_limit(1 << 30)

REASONS = {
    "field_count": {"error"}, "unterminated_quote": {"error"}, "record_too_large": {"error"},
    "invalid_id": {"error"}, "invalid_budget": {"error"}, "invalid_revenue": {"error", "warning"},
    "invalid_popularity": {"error"}, "invalid_release_date": {"error"}, "invalid_number": {"warning"},
    "malformed_literal": {"warning"}, "invalid_utf8": {"warning"}, "duplicate_id": {"info"},
    "repaired": {"info"}, "conflicting_name": {"warning"}, "sum_overflow": {"error"},
}
KEYS = ["severity", "reason", "line", "movie_id", "column", "message", "excerpt"]


def check_output(out_dir, exit_code, physical_lines):
    """Returns a list of broken invariants (empty when all hold)."""
    problems = []
    manifest_path = os.path.join(out_dir, "manifest.json")
    if not os.path.exists(manifest_path):
        return [f"exit {exit_code} but no manifest.json"]
    manifest = json.load(open(manifest_path))
    c = manifest["counts"]
    if c["records_read"] != c["movies_kept"] + c["rejected"] + c["duplicates"]:
        problems.append(f"records_read {c['records_read']} != kept + rejected + duplicates {c}")
    entries = []
    with open(os.path.join(out_dir, "errors.jsonl"), "rb") as f:
        for n, raw in enumerate(f, 1):
            try:
                entry = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as e:
                problems.append(f"errors.jsonl line {n} is not UTF-8 JSON: {e}")
                continue
            if list(entry) != KEYS:
                problems.append(f"errors.jsonl line {n}: keys {list(entry)}")
                continue
            if entry["severity"] not in REASONS.get(entry["reason"], set()):
                problems.append(f"errors.jsonl line {n}: {entry['severity']}/{entry['reason']} is not documented")
            if not (1 <= entry["line"] <= physical_lines):
                problems.append(f"errors.jsonl line {n}: line {entry['line']} outside 1..{physical_lines}")
            if len(entry["excerpt"].encode()) > 200:
                problems.append(f"errors.jsonl line {n}: excerpt over 200 bytes")
            entries.append(entry)
    lines = [e["line"] for e in entries]
    if lines != sorted(lines):
        problems.append("errors.jsonl is not in input order")
    rejected = sum(1 for e in entries if e["severity"] == "error" and e["reason"] != "sum_overflow")
    if rejected != c["rejected"]:
        problems.append(f"{rejected} error lines but counts.rejected {c['rejected']}")
    duplicates = sum(1 for e in entries if e["reason"] == "duplicate_id")
    if duplicates != c["duplicates"]:
        problems.append(f"{duplicates} duplicate_id lines but counts.duplicates {c['duplicates']}")
    repaired = sum(1 for e in entries if e["reason"] == "repaired")
    if repaired != c["repaired"]:
        problems.append(f"{repaired} repaired lines but counts.repaired {c['repaired']}")
    warnings = sum(1 for e in entries if e["severity"] == "warning")
    if warnings != c["warnings"]:
        problems.append(f"{warnings} warning lines but counts.warnings {c['warnings']}")
    by_reason = {}
    for e in entries:
        key = f"{e['severity']}/{e['reason']}"
        by_reason[key] = by_reason.get(key, 0) + 1
    if by_reason != {k: v for k, v in manifest["diagnostics"].items() if v}:
        problems.append(f"manifest diagnostics {manifest['diagnostics']} != errors.jsonl {by_reason}")
    succeeded = manifest["status"] == "succeeded"
    if succeeded != (exit_code == 0):
        problems.append(f"status {manifest['status']} with exit code {exit_code}")
    tables = os.path.join(out_dir, "tables")
    if succeeded:
        movie_csv = os.path.join(tables, "movie.csv")
        if os.path.exists(movie_csv):
            with open(movie_csv, newline="", encoding="utf-8") as f:
                rows = sum(1 for _ in csv.reader(f)) - 1
            if rows != c["movies_kept"]:
                problems.append(f"movie.csv has {rows} rows, movies_kept {c['movies_kept']}")
    elif os.path.exists(tables):
        problems.append("a failed job left tables/")
    return problems
