#!/usr/bin/env python3
"""Writes a small movies_metadata.csv (Kaggle's 24 columns, CRLF) from a
compact spec on stdin, one movie per line:

  id | release_date | budget | revenue | popularity | genres | companies

genres and companies: "id:Name,id:Name" (may be empty). Used by the
corrections suite, whose expected figures are worked out by hand from the
spec.
"""
import csv
import sys

COLUMNS = ["adult", "belongs_to_collection", "budget", "genres", "homepage", "id", "imdb_id",
           "original_language", "original_title", "overview", "popularity", "poster_path",
           "production_companies", "production_countries", "release_date", "revenue", "runtime",
           "spoken_languages", "status", "tagline", "title", "video", "vote_average", "vote_count"]


def literal_list(spec):
    items = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        ident, name = part.split(":", 1)
        items.append("{'id': %d, 'name': '%s'}" % (int(ident), name))
    return "[" + ", ".join(items) + "]"


def main():
    out = csv.writer(open(sys.argv[1], "w", newline="", encoding="utf-8"), lineterminator="\r\n")
    out.writerow(COLUMNS)
    for line in sys.stdin:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        ident, date, budget, revenue, popularity, genres, companies = (f.strip() for f in line.split("|"))
        row = dict.fromkeys(COLUMNS, "")
        row.update({
            "adult": "False", "video": "False", "status": "Released", "original_language": "en",
            "id": ident, "imdb_id": "tt%07d" % int(ident), "title": "Movie %s" % ident,
            "original_title": "Movie %s" % ident, "release_date": date, "budget": budget,
            "revenue": revenue, "popularity": popularity, "genres": literal_list(genres),
            "production_companies": literal_list(companies), "production_countries": "[]",
            "spoken_languages": "[]", "runtime": "90.0", "vote_average": "6.5", "vote_count": "10",
        })
        out.writerow([row[c] for c in COLUMNS])


if __name__ == "__main__":
    main()
