#!/usr/bin/env python3
"""Scales the real sample up into a real-shaped input: the records of
movies_metadata.head.csv (the first 4,627 of the Kaggle file) copied N times,
with the movie id offset in every copy (so copies are new movies, not
duplicates) and the company ids offset in every other copy (so the number of
distinct companies grows too). Everything else -- the literals, the text, the
quirks, the id ranges -- keeps the real file's shape. Never commit the output.
  scale_sample.py SRC COPIES OUT"""
import ast
import csv
import sys

ID_OFFSET = 10_000_000       # above every real TMDB id of the dataset
COMPANY_OFFSET = 1_000_000   # above every real company id


def shifted_companies(text, offset):
    try:
        companies = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text  # keep a malformed literal malformed
    if not isinstance(companies, list):
        return text
    for entry in companies:
        if isinstance(entry, dict) and isinstance(entry.get("id"), int):
            entry["id"] += offset
    return repr(companies)


def main():
    src, copies, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    csv.field_size_limit(1 << 30)
    with open(src, newline="", encoding="utf-8", errors="surrogateescape") as f:
        rows = list(csv.reader(f))
    header, records = rows[0], rows[1:]
    id_col, companies_col = header.index("id"), header.index("production_companies")
    with open(out, "w", newline="", encoding="utf-8", errors="surrogateescape") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(header)
        for copy in range(copies):
            for record in records:
                record = list(record)
                if copy and record[id_col].isdigit():
                    record[id_col] = str(int(record[id_col]) + copy * ID_OFFSET)
                if copy % 2 == 1:
                    record[companies_col] = shifted_companies(record[companies_col], (copy // 2 + 1) * COMPANY_OFFSET)
                writer.writerow(record)


if __name__ == "__main__":
    main()
