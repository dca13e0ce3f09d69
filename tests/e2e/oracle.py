#!/usr/bin/env python3
"""Independent oracle for `marquee etl`: the documented rules, re-implemented.

Written from ISSUE2.md and the public headers only (src/csv/reader.hpp,
src/model/validate.hpp, numbers.hpp, movie.hpp, dimensions.hpp,
model_builder.hpp, rollup/rollups.hpp, job/manifest.hpp), never from
Marquee's .cpp files or output, so that the end-to-end test compares two
implementations rather than one with itself. Python standard library only.

Usage: oracle.py MOVIES_METADATA_CSV [--out DIR]
  prints a summary; with --out, also writes DIR/tables/<table>.csv in
  Marquee's CSV convention, DIR/manifest.json and DIR/errors.jsonl (to diff
  by hand, and to test compare_tables.py itself).

Deliberate simplifications (enough for the real head file, which has no
split records):
- Records are split by Python's csv module. A record with the wrong field
  count is repaired (joined with the next one) when the documented rule
  applies, else its first physical line is rejected and reading resumes at
  the next physical line, as reader.hpp says.
- Python literals are parsed by ast.literal_eval, which accepts a little more
  than Marquee's parser (e.g. adjacent string concatenation); the dataset does
  not use those forms.
"""
import ast
import csv
import datetime
import decimal
import json
import math
import os
import re
import sys
from collections import Counter, OrderedDict

csv.field_size_limit(1 << 30)

INPUT_COLUMNS = [
    "adult", "belongs_to_collection", "budget", "genres", "homepage", "id", "imdb_id",
    "original_language", "original_title", "overview", "popularity", "poster_path",
    "production_companies", "production_countries", "release_date", "revenue", "runtime",
    "spoken_languages", "status", "tagline", "title", "video", "vote_average", "vote_count",
]
TEXT_COLUMNS = ["imdb_id", "title", "original_title", "original_language", "overview",
                "tagline", "homepage", "poster_path", "status"]
INT64_MAX = 2**63 - 1

# numbers.hpp: digits ['.' digits] [('e'|'E') ['+'|'-'] digits]; no sign, no spaces.
DECIMAL_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\Z")
DIGITS_RE = re.compile(r"[0-9]+\Z")
DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")

# Output schemas: (column, kind), kind in int, double, str, bool, date.
SCHEMAS = OrderedDict([
    ("movie", [("id", "int"), ("imdb_id", "str"), ("title", "str"), ("original_title", "str"),
               ("original_language", "str"), ("overview", "str"), ("tagline", "str"),
               ("homepage", "str"), ("poster_path", "str"), ("status", "str"),
               ("adult", "bool"), ("video", "bool"), ("release_date", "date"), ("year", "int"),
               ("budget", "int"), ("revenue", "int"), ("popularity", "double"),
               ("runtime", "double"), ("vote_average", "double"), ("vote_count", "int"),
               ("collection_id", "int"), ("source_file", "str"), ("source_line", "int")]),
    ("company", [("id", "int"), ("name", "str")]),
    ("genre", [("id", "int"), ("name", "str")]),
    ("country", [("iso_3166_1", "str"), ("name", "str")]),
    ("language", [("iso_639_1", "str"), ("name", "str")]),
    ("collection", [("id", "int"), ("name", "str"), ("poster_path", "str"),
                    ("backdrop_path", "str")]),
    ("movie_company", [("movie_id", "int"), ("company_id", "int"), ("position", "int")]),
    ("movie_genre", [("movie_id", "int"), ("genre_id", "int"), ("position", "int")]),
    ("movie_country", [("movie_id", "int"), ("iso_3166_1", "str")]),
    ("movie_language", [("movie_id", "int"), ("iso_639_1", "str")]),
    ("company_year", [("company_id", "int"), ("year", "int"), ("company_name", "str"),
                      ("movie_count", "int"), ("movies_with_budget", "int"),
                      ("movies_with_revenue", "int"), ("movies_with_both", "int"),
                      ("budget", "int"), ("revenue", "int"), ("profit", "int"),
                      ("budget_split", "double"), ("revenue_split", "double"),
                      ("profit_split", "double"), ("average_popularity", "double"),
                      ("rating_count", "int"), ("rating_mean", "double")]),
    ("company_year_genre", [("company_id", "int"), ("year", "int"), ("genre_id", "int"),
                            ("genre_name", "str"), ("movie_count", "int")]),
    ("genre_year", [("genre_id", "int"), ("year", "int"), ("genre_name", "str"),
                    ("movie_count", "int"), ("movies_with_budget", "int"),
                    ("movies_with_revenue", "int"), ("movies_with_both", "int"),
                    ("budget", "int"), ("revenue", "int"), ("profit", "int"),
                    ("popularity_total", "double"), ("popularity_average", "double"),
                    ("vote_count_total", "int"), ("rank_by_popularity_total", "int"),
                    ("rating_count", "int"), ("rating_mean", "double")]),
])


class InputError(Exception):
    """Bad input as a whole (empty file, missing columns): exit code 2."""


class Diagnostics:
    """Collects (severity, reason, line, movie_id, column) tuples."""

    def __init__(self):
        self.items = []

    def add(self, severity, reason, line, movie_id=None, column=None):
        self.items.append((severity, reason, line, movie_id, column))

    def count(self, severity=None, reason=None):
        return sum(1 for d in self.items
                   if (severity is None or d[0] == severity) and (reason is None or d[1] == reason))


# ---------------------------------------------------------------- reading

def physical_lines(text):
    """Lines split at LF only (a CR alone is not a line end), terminators kept."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def is_blank(line):
    return line in ("\n", "\r\n", "")


def parse_record_at(lines, start):
    """One CSV record starting at physical line `start` (0-based).

    Returns (fields, lines_used), or (None, 1) when a quote never closes."""
    used = [0]

    def feed():
        for j in range(start, len(lines)):
            used[0] += 1
            yield lines[j]

    try:
        # strict=True only to detect an unterminated quote at end of input.
        fields = next(csv.reader(feed(), strict=True))
        return fields, used[0]
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            return None, 1
    used[0] = 0
    # Text after a closing quote is kept literally (non-strict), as reader.hpp says.
    fields = next(csv.reader(feed(), strict=False))
    return fields, used[0]


def read_records(text, diagnostics):
    """Yields (line, fields) for the header and then each usable record."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = physical_lines(text)
    i = 0
    while i < len(lines) and is_blank(lines[i]):
        i += 1
    if i == len(lines):
        raise InputError("empty input: no header line")
    header, used = parse_record_at(lines, i)
    if header is None:
        raise InputError("unterminated quote in the header")
    yield i + 1, header
    width = len(header)
    i += used
    while i < len(lines):
        if is_blank(lines[i]):
            i += 1
            continue
        fields, used = parse_record_at(lines, i)
        if fields is None:
            diagnostics.add("error", "unterminated_quote", i + 1)
            i += 1
            continue
        if len(fields) == width:
            yield i + 1, fields
            i += used
            continue
        joined = try_repair(lines, i, fields, used, width)
        if joined is not None:
            fields, used_total = joined
            diagnostics.add("info", "repaired", i + 1)
            yield i + 1, fields
            i += used_total
            continue
        diagnostics.add("error", "field_count", i + 1)
        i += 1


def try_repair(lines, i, fields, used, width):
    """reader.hpp: n1 (2 <= n1 < width) + n2 - 1 == width joins two records,
    the line break kept between the last field of one and the first of the next."""
    if not (2 <= len(fields) < width) or i + used >= len(lines):
        return None
    second, used2 = parse_record_at(lines, i + used)
    if second is None or len(fields) + len(second) - 1 != width:
        return None
    last_line = lines[i + used - 1]
    line_break = "\r\n" if last_line.endswith("\r\n") else "\n"
    merged = fields[:-1] + [fields[-1] + line_break + second[0]] + second[1:]
    return merged, used + used2


# ---------------------------------------------------------------- values

def has_bad_utf8(value):
    return any(0xDC80 <= ord(c) <= 0xDCFF for c in value)


def repair_utf8(value):
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


# Plausibility ceilings (docs/DATA_MODEL.md, "Numbers").
MAX_MONEY = 10 ** 12
MAX_POPULARITY = 1e9
MAX_VOTE_COUNT = 10 ** 9


def parse_int64(text):
    if not DIGITS_RE.match(text):
        return None
    value = int(text)
    return value if value <= INT64_MAX else None


def parse_non_negative_double(text):
    if not DECIMAL_RE.match(text):
        return None
    try:
        value = float(text)
    except OverflowError:
        return None
    return value if math.isfinite(value) else None


def parse_rounded(text):
    """-> (int, exact) rounded half away from zero, or None."""
    if not DECIMAL_RE.match(text):
        return None
    exact_value = decimal.Decimal(text)
    rounded = int(exact_value.to_integral_value(rounding=decimal.ROUND_HALF_UP))
    if rounded > INT64_MAX:
        return None
    return rounded, rounded == exact_value


def parse_integral(text):
    if not DECIMAL_RE.match(text):
        return None
    exact_value = decimal.Decimal(text)
    if exact_value != exact_value.to_integral_value() or exact_value > INT64_MAX:
        return None
    return int(exact_value)


def parse_date(text):
    match = DATE_RE.match(text)
    if not match:
        return None
    try:
        return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def literal_eval(text):
    try:
        return True, ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def salvage_list(text):
    """Entries of a top-level list cut short by garbage: the longest prefix that,
    closed with ']', is a list. None if the text is not a list at all."""
    stripped = text.lstrip(" \t")
    if not stripped.startswith("["):
        return None
    for end in range(len(stripped), 0, -1):
        ok, value = literal_eval(stripped[:end] + "]")
        if ok and isinstance(value, list):
            return value
    return []


def parse_list_column(text, column, line, movie_id, diagnostics):
    """A Python-literal list's entries; one warning if salvaged or unparseable."""
    if text == "":
        return []
    ok, value = literal_eval(text)
    if ok and isinstance(value, (list, tuple)):
        return list(value)
    diagnostics.add("warning", "malformed_literal", line, movie_id, column)
    if ok:
        return []
    return salvage_list(text) or []


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def add_distinct(refs, key, name, column, line, movie_id, diagnostics):
    """A key listed twice on one movie counts once. ISSUE2: "If one company id
    appears under different names, the first name seen wins, with a warning":
    that holds within one movie too, so this is checked per record (a skipped
    duplicate record gets it as well, like every other value warning)."""
    if key not in refs:
        refs[key] = name
    elif refs[key] != name:
        diagnostics.add("warning", "conflicting_name", line, movie_id, column)


def named_refs(entries, column, line, movie_id, diagnostics):
    """Companies or genres: distinct by id, in order of first listing."""
    refs = OrderedDict()
    for entry in entries:
        ident = entry.get("id") if isinstance(entry, dict) else None
        name = entry.get("name") if isinstance(entry, dict) else None
        if not is_int(ident) or ident <= 0 or not isinstance(name, str):
            diagnostics.add("warning", "malformed_literal", line, movie_id, column)
            continue
        add_distinct(refs, ident, name, column, line, movie_id, diagnostics)
    return list(refs.items())


def code_refs(entries, key, column, line, movie_id, diagnostics):
    """Countries or languages: distinct by code, in order of first listing."""
    refs = OrderedDict()
    for entry in entries:
        code = entry.get(key) if isinstance(entry, dict) else None
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(code, str) or code == "" or not isinstance(name, str):
            diagnostics.add("warning", "malformed_literal", line, movie_id, column)
            continue
        add_distinct(refs, code, name, column, line, movie_id, diagnostics)
    return list(refs.items())


def parse_collection(text, line, movie_id, diagnostics):
    if text == "":
        return None
    ok, value = literal_eval(text)
    if ok and isinstance(value, dict) and is_int(value.get("id")) and value["id"] > 0 \
            and isinstance(value.get("name"), str):
        def path(key):
            found = value.get(key)
            return found if isinstance(found, str) else None
        return (value["id"], value["name"], path("poster_path"), path("backdrop_path"))
    diagnostics.add("warning", "malformed_literal", line, movie_id, "belongs_to_collection")
    return None


# ---------------------------------------------------------------- validation

def reject_reason(get):
    """validate.hpp: the first failing rule, in this order, with its value."""
    movie_id = parse_int64(get("id"))
    if movie_id is None or movie_id == 0:
        return ("invalid_id", "id", None), None
    budget = parse_int64(get("budget"))
    if budget is None or budget > MAX_MONEY:
        return ("invalid_budget", "budget", movie_id), movie_id
    revenue = parse_rounded(get("revenue"))
    if revenue is None or revenue[0] > MAX_MONEY:
        return ("invalid_revenue", "revenue", movie_id), movie_id
    if get("popularity") != "":
        popularity = parse_non_negative_double(get("popularity"))
        if popularity is None or popularity > MAX_POPULARITY:
            return ("invalid_popularity", "popularity", movie_id), movie_id
    if get("release_date") != "" and parse_date(get("release_date")) is None:
        return ("invalid_release_date", "release_date", movie_id), movie_id
    return None, movie_id


def validate(line, fields, positions, diagnostics):
    """-> movie dict, or None when rejected (one error reported)."""
    def get(column):
        return fields[positions[column]]

    rejection, movie_id = reject_reason(get)
    if rejection is not None:
        reason, column, ident = rejection
        diagnostics.add("error", reason, line, ident, column)
        return None

    movie = {"id": movie_id, "line": line}
    for column in TEXT_COLUMNS:
        value = get(column)
        if has_bad_utf8(value):
            diagnostics.add("warning", "invalid_utf8", line, movie_id, column)
            value = repair_utf8(value)
        movie[column] = value if value != "" else None

    for column in ("adult", "video"):
        value = get(column)
        movie[column] = {"True": True, "False": False}.get(value)
        if value != "" and movie[column] is None:
            diagnostics.add("warning", "malformed_literal", line, movie_id, column)

    date = parse_date(get("release_date")) if get("release_date") else None
    movie["release_date"] = date
    movie["year"] = date.year if date else None
    movie["budget"] = parse_int64(get("budget"))
    revenue, exact = parse_rounded(get("revenue"))
    movie["revenue"] = revenue
    if not exact:
        # Doubtful: the contract does not name the warning's reason; the
        # rule sits under invalid_revenue, so that is the reason used here.
        diagnostics.add("warning", "invalid_revenue", line, movie_id, "revenue")
    movie["popularity"] = parse_non_negative_double(get("popularity")) \
        if get("popularity") else None

    for column in ("runtime", "vote_average"):
        value = get(column)
        movie[column] = parse_non_negative_double(value) if value else None
        if value and movie[column] is None:
            diagnostics.add("warning", "invalid_number", line, movie_id, column)
    value = get("vote_count")
    movie["vote_count"] = parse_integral(value) if value else None
    if movie["vote_count"] is not None and movie["vote_count"] > MAX_VOTE_COUNT:
        movie["vote_count"] = None
    if value and movie["vote_count"] is None:
        diagnostics.add("warning", "invalid_number", line, movie_id, "vote_count")

    def list_column(column):
        return parse_list_column(get(column), column, line, movie_id, diagnostics)

    movie["collection"] = parse_collection(get("belongs_to_collection"), line, movie_id,
                                           diagnostics)
    movie["genres"] = named_refs(list_column("genres"), "genres", line, movie_id,
                                 diagnostics)
    movie["companies"] = named_refs(list_column("production_companies"),
                                    "production_companies", line, movie_id, diagnostics)
    movie["countries"] = code_refs(list_column("production_countries"), "iso_3166_1",
                                   "production_countries", line, movie_id, diagnostics)
    movie["languages"] = code_refs(list_column("spoken_languages"), "iso_639_1",
                                   "spoken_languages", line, movie_id, diagnostics)
    return movie


# ---------------------------------------------------------------- model

class Dimension:
    """First name seen for a key wins; a later different one is a conflict."""

    def __init__(self, column):
        self.column = column
        self.values = {}

    def add(self, key, value, name, movie, diagnostics):
        if key not in self.values:
            self.values[key] = value
        elif self.values[key][0] != name:
            diagnostics.add("warning", "conflicting_name", movie["line"], movie["id"],
                            self.column)

    def rows(self):
        return [[key] + list(self.values[key]) for key in sorted(self.values)]


def build_model(movies, diagnostics):
    """Kept movies (first occurrence of each id) and the normalized tables."""
    kept_lines = {}
    kept = []
    companies = Dimension("production_companies")
    genres = Dimension("genres")
    countries = Dimension("production_countries")
    languages = Dimension("spoken_languages")
    collections = Dimension("belongs_to_collection")
    for movie in movies:
        if movie["id"] in kept_lines:
            # The input column concerned by a duplicate is `id` (docs/ERROR_LOG.md:
            # "the input column concerned, or null").
            diagnostics.add("info", "duplicate_id", movie["line"], movie["id"], "id")
            continue
        kept_lines[movie["id"]] = movie["line"]
        kept.append(movie)
        for ident, name in movie["companies"]:
            companies.add(ident, (name,), name, movie, diagnostics)
        for ident, name in movie["genres"]:
            genres.add(ident, (name,), name, movie, diagnostics)
        for code, name in movie["countries"]:
            countries.add(code, (name,), name, movie, diagnostics)
        for code, name in movie["languages"]:
            languages.add(code, (name,), name, movie, diagnostics)
        if movie["collection"] is not None:
            ident, name, poster, backdrop = movie["collection"]
            collections.add(ident, (name, poster, backdrop), name, movie, diagnostics)

    tables = OrderedDict()
    tables["movie"] = [movie_row(m) for m in kept]
    tables["company"] = companies.rows()
    tables["genre"] = genres.rows()
    tables["country"] = countries.rows()
    tables["language"] = languages.rows()
    tables["collection"] = collections.rows()
    tables["movie_company"] = [[m["id"], c, p] for m in kept
                               for p, (c, _) in enumerate(m["companies"])]
    tables["movie_genre"] = [[m["id"], g, p] for m in kept
                             for p, (g, _) in enumerate(m["genres"])]
    tables["movie_country"] = [[m["id"], c] for m in kept for c, _ in m["countries"]]
    tables["movie_language"] = [[m["id"], c] for m in kept for c, _ in m["languages"]]
    names = {"company": {k: v[0] for k, v in companies.values.items()},
             "genre": {k: v[0] for k, v in genres.values.items()}}
    return kept, tables, names


def movie_row(m):
    return [m["id"], m["imdb_id"], m["title"], m["original_title"], m["original_language"],
            m["overview"], m["tagline"], m["homepage"], m["poster_path"], m["status"],
            m["adult"], m["video"],
            m["release_date"].isoformat() if m["release_date"] else None, m["year"],
            m["budget"], m["revenue"], m["popularity"], m["runtime"], m["vote_average"],
            m["vote_count"], m["collection"][0] if m["collection"] else None]


# ---------------------------------------------------------------- rollups

class Money:
    """The money figures of a group of movies (exact ints, plus split parts)."""

    def __init__(self):
        self.movie_count = self.with_budget = self.with_revenue = self.with_both = 0
        self.budget = self.revenue = self.profit = 0
        self.budget_parts, self.revenue_parts, self.profit_parts = [], [], []
        self.popularities = []
        self.vote_count_total = 0

    def add(self, movie, share_count=1):
        budget, revenue = movie["budget"], movie["revenue"]
        self.movie_count += 1
        if budget > 0:
            self.with_budget += 1
            self.budget += budget
            self.budget_parts.append(budget / share_count)
        if revenue > 0:
            self.with_revenue += 1
            self.revenue += revenue
            self.revenue_parts.append(revenue / share_count)
        if budget > 0 and revenue > 0:
            self.with_both += 1
            self.profit += revenue - budget
            self.profit_parts.append((revenue - budget) / share_count)
        if movie["popularity"] is not None:
            self.popularities.append(movie["popularity"])
        self.vote_count_total += movie["vote_count"] or 0

    def counts(self):
        return [self.movie_count, self.with_budget, self.with_revenue, self.with_both,
                self.budget, self.revenue, self.profit]


# rating_count, rating_mean: null in a run without ratings (the ratings
# oracle, tests/ratings/oracle_ratings.py, checks runs with them).
NO_RATINGS = [None, None]


def build_rollups(kept, names):
    company_year, company_year_genre, genre_year = {}, {}, {}
    for movie in kept:
        year = movie["year"]
        if year is None:
            continue
        share_count = len(movie["companies"])
        for company, _ in movie["companies"]:
            company_year.setdefault((company, year), Money()).add(movie, share_count)
            for genre, _ in movie["genres"]:
                key = (company, year, genre)
                company_year_genre[key] = company_year_genre.get(key, 0) + 1
        for genre, _ in movie["genres"]:
            genre_year.setdefault((genre, year), Money()).add(movie)

    tables = OrderedDict()
    tables["company_year"] = [
        [c, y, names["company"][c]] + g.counts()
        + [math.fsum(g.budget_parts), math.fsum(g.revenue_parts), math.fsum(g.profit_parts),
           math.fsum(g.popularities) / len(g.popularities) if g.popularities else None]
        + NO_RATINGS
        for (c, y), g in sorted(company_year.items())]
    tables["company_year_genre"] = [[c, y, g, names["genre"][g], n]
                                    for (c, y, g), n in sorted(company_year_genre.items())]
    ranks = rank_by_popularity(genre_year)
    tables["genre_year"] = [
        [g, y, names["genre"][g]] + m.counts()
        + [math.fsum(m.popularities),
           math.fsum(m.popularities) / len(m.popularities) if m.popularities else None,
           m.vote_count_total, ranks[(g, y)]]
        + NO_RATINGS
        for (g, y), m in sorted(genre_year.items())]
    return tables


def rank_by_popularity(genre_year):
    """Rank 1 = highest popularity_total within its year; ties to the lower id."""
    by_year = {}
    for (genre, year), money in genre_year.items():
        by_year.setdefault(year, []).append((-math.fsum(money.popularities), genre))
    ranks = {}
    for year, entries in by_year.items():
        for rank, (_, genre) in enumerate(sorted(entries), start=1):
            ranks[(genre, year)] = rank
    return ranks


# ---------------------------------------------------------------- the run

class Result:
    def __init__(self, tables, diagnostics, counts):
        self.tables = tables            # name -> list of rows (see SCHEMAS)
        self.diagnostics = diagnostics  # Diagnostics
        self.counts = counts            # manifest.json "counts"


def run_text(text, source_file="input.csv"):
    """source_file: the input's file name, for the movie table's lineage columns."""
    diagnostics = Diagnostics()
    records = read_records(text, diagnostics)
    _, header = next(records)
    missing = [c for c in INPUT_COLUMNS if c not in header]
    if missing:
        raise InputError("header lacks columns: " + ", ".join(missing))
    positions = {c: header.index(c) for c in INPUT_COLUMNS}
    movies, records_read = [], 0
    for line, fields in records:
        records_read += 1
        movie = validate(line, fields, positions, diagnostics)
        if movie is not None:
            movies.append(movie)
    kept, tables, names = build_model(movies, diagnostics)
    for row, movie in zip(tables["movie"], kept):
        row += [source_file, movie["line"]]  # lineage: the file's name and the record's first line
    tables.update(build_rollups(kept, names))
    rejected = diagnostics.count("error")
    counts = OrderedDict([
        ("records_read", records_read + diagnostics.count("error", "field_count")
         + diagnostics.count("error", "unterminated_quote")),
        ("movies_kept", len(kept)),
        ("rejected", rejected),
        ("repaired", diagnostics.count("info", "repaired")),
        ("duplicates", diagnostics.count("info", "duplicate_id")),
        ("warnings", diagnostics.count("warning")),
    ])
    return Result(tables, diagnostics, counts)


def run(path):
    with open(path, "rb") as source:
        data = source.read()
    if not data:
        raise InputError(f"{path}: empty file")
    return run_text(data.decode("utf-8", "surrogateescape"), os.path.basename(path))


# ---------------------------------------------------------------- output

def format_cell(value, kind):
    """Marquee's CSV convention: null = empty, "" = empty string."""
    if value is None:
        return ""
    if kind == "bool":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    if kind == "str":
        if value == "" or any(c in value for c in ',"\r\n'):
            return '"' + value.replace('"', '""') + '"'
        return value
    return str(value)


def write_tables(result, directory):
    os.makedirs(os.path.join(directory, "tables"), exist_ok=True)
    for name, schema in SCHEMAS.items():
        with open(os.path.join(directory, "tables", name + ".csv"), "w", encoding="utf-8",
                  newline="") as out:
            out.write(",".join(c for c, _ in schema) + "\n")
            for row in result.tables[name]:
                out.write(",".join(format_cell(v, k) for v, (_, k) in zip(row, schema)) + "\n")


def write_logs(result, directory):
    """manifest.json (counts, diagnostics, rows) and errors.jsonl, minimal."""
    manifest = {"status": "succeeded", "counts": result.counts,
                "diagnostics": dict(Counter(f"{d[0]}/{d[1]}" for d in result.diagnostics.items)),
                "tables": {name: {"rows": len(rows)} for name, rows in result.tables.items()}}
    with open(os.path.join(directory, "manifest.json"), "w", encoding="utf-8") as out:
        json.dump(manifest, out, indent=2)
    with open(os.path.join(directory, "errors.jsonl"), "w", encoding="utf-8") as out:
        for severity, reason, line, movie_id, column in result.diagnostics.items:
            out.write(json.dumps({"severity": severity, "reason": reason, "line": line,
                                  "movie_id": movie_id, "column": column}) + "\n")


def summary(result):
    lines = ["counts: " + json.dumps(result.counts)]
    by_reason = Counter(f"{d[0]}/{d[1]}" for d in result.diagnostics.items)
    lines.append("diagnostics: " + json.dumps(dict(sorted(by_reason.items()))))
    for name in SCHEMAS:
        lines.append(f"  {name}: {len(result.tables[name])} rows")
    return "\n".join(lines)


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--out"):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        result = run(argv[1])
    except (OSError, InputError) as error:
        print(f"oracle: {error}", file=sys.stderr)
        return 2
    print(summary(result))
    if len(argv) == 4:
        write_tables(result, argv[3])
        write_logs(result, argv[3])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
