#!/usr/bin/env python3
"""Independent oracle for the ratings stage of `marquee etl` (issue 16, part 1).

Written from the issue, docs/DATA_MODEL.md and docs/ERROR_LOG.md and the
public header src/model/ratings.hpp, never from Marquee's .cpp files or its
output. Python standard library only. The kept movies come from the movies
oracle (tests/e2e/oracle.py), itself independent of Marquee.

Rules re-implemented here:
- links.csv (movieId, imdbId, tmdbId, found by name): movieId a positive
  integer, imdbId empty or up to 12 digits, tmdbId empty or a positive
  integer, else error invalid_link (the first failing column, in that order).
  A movieId seen before: info duplicate_link (first row wins). tmdbId empty
  or not a kept movie: info link_without_movie. Otherwise the link is kept.
- ratings (userId, movieId, rating, timestamp): userId/movieId positive
  integers, timestamp a non-negative integer, else error invalid_number;
  rating 0.5..5 in steps of 0.5, else error invalid_rating; a movieId with no
  row in links.csv that passed validation: error unknown_movielens_id; one
  whose link leads to no kept movie: info rating_without_movie.
- Per file: records_read = kept + rejected + without_movie (+ duplicates).
- company_year and genre_year: rating_count = the ratings of the group's
  movies (each movie credited whole to each of its companies and genres, in
  its release year), rating_mean = their sum / that count (not a mean of the
  movies' means); 0 and null for a group none of whose movies was rated.

Usage: oracle_ratings.py MOVIES_CSV LINKS_CSV RATINGS_CSV  (prints a summary)
"""
import hashlib
import os
import sys
from collections import Counter, OrderedDict
from fractions import Fraction

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import oracle as movies_oracle  # noqa: E402

# The movies oracle's number rules, which the ratings and links files share.
DIGITS_RE = movies_oracle.DIGITS_RE
DECIMAL_RE = movies_oracle.DECIMAL_RE

SCHEMAS = OrderedDict([
    ("movie_rating", [("movie_id", "int64"), ("rating_count", "int64"), ("rating_sum", "double"),
                      ("rating_mean", "double"), ("first_rated", "int64"), ("last_rated", "int64")]),
    ("link", [("movielens_id", "int64"), ("imdb_id", "string"), ("tmdb_id", "int64")]),
])


non_negative_int = movies_oracle.parse_int64  # digits only, at most INT64_MAX


def positive_int(text):
    value = non_negative_int(text)
    return value if value else None


def half_stars(text):
    """The rating in half stars (1..10), or None."""
    if not DECIMAL_RE.match(text):
        return None
    value = Fraction(float(text)) * 2  # Marquee parses to a double first
    if value.denominator != 1 or not 1 <= value <= 10:
        return None
    return int(value)


def read_rows(path):
    """(line, fields) for each data line; the files hold no quotes, and every
    record is one physical line (the header is line 1)."""
    with open(path, "rb") as source:
        data = source.read()
    lines = data.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    rows = [(number, line[:-1] if line.endswith("\r") else line)
            for number, line in enumerate(lines, start=1)]
    header = rows[0][1].split(",")
    return data, header, [(number, text.split(",")) for number, text in rows[1:]]


class FileResult:
    def __init__(self, path, data, with_duplicates):
        self.name = os.path.basename(path)
        self.counts = OrderedDict([("name", self.name), ("size", len(data)),
                                   ("sha256", hashlib.sha256(data).hexdigest()),
                                   ("records_read", 0), ("kept", 0), ("rejected", 0),
                                   ("without_movie", 0)])
        if with_duplicates:
            self.counts["duplicates"] = 0


class Result:
    def __init__(self):
        self.tables = OrderedDict((name, []) for name in SCHEMAS)
        # (file, severity, reason, line, movie_id, column)
        self.diagnostics = []
        self.manifest = OrderedDict()
        self.rollups = {}  # see rating_rollups()


def run(movies_csv, links_csv, ratings_csv):
    movies = movies_oracle.run(movies_csv).tables
    kept_movies = {row[0] for row in movies["movie"]}
    result = Result()
    diagnose = result.diagnostics.append

    data, header, rows = read_rows(links_csv)
    links = FileResult(links_csv, data, True)
    c = links.counts
    at = [header.index(name) for name in ("movieId", "imdbId", "tmdbId")]
    targets = {}  # movielens id -> tmdb id of a kept movie, or None
    for line, fields in rows:
        c["records_read"] += 1
        if len(fields) != len(header):
            c["rejected"] += 1
            diagnose((links.name, "error", "field_count", line, None, None))
            continue
        movie_text, imdb, tmdb_text = (fields[i] for i in at)
        movie, tmdb = positive_int(movie_text), positive_int(tmdb_text)
        bad = ("movieId" if movie is None else
               "imdbId" if imdb and (not DIGITS_RE.match(imdb) or len(imdb) > 12) else
               "tmdbId" if tmdb_text and tmdb is None else None)
        if bad:
            c["rejected"] += 1
            diagnose((links.name, "error", "invalid_link", line, None, bad))
        elif movie in targets:
            c["duplicates"] += 1
            diagnose((links.name, "info", "duplicate_link", line, tmdb, "movieId"))
        elif tmdb is None or tmdb not in kept_movies:
            targets[movie] = None
            c["without_movie"] += 1
            diagnose((links.name, "info", "link_without_movie", line, tmdb, "tmdbId"))
        else:
            targets[movie] = tmdb
            c["kept"] += 1
            result.tables["link"].append([movie, imdb or None, tmdb])

    data, header, rows = read_rows(ratings_csv)
    ratings = FileResult(ratings_csv, data, False)
    c = ratings.counts
    at = [header.index(name) for name in ("userId", "movieId", "rating", "timestamp")]
    by_movie = {}  # tmdb id -> [count, half stars, first, last]
    for line, fields in rows:
        c["records_read"] += 1
        if len(fields) != len(header):
            c["rejected"] += 1
            diagnose((ratings.name, "error", "field_count", line, None, None))
            continue
        user_text, movie_text, rating_text, time_text = (fields[i] for i in at)
        movie, halves, time = positive_int(movie_text), half_stars(rating_text), non_negative_int(time_text)
        problem = (("invalid_number", "userId") if positive_int(user_text) is None else
                   ("invalid_number", "movieId") if movie is None else
                   ("invalid_rating", "rating") if halves is None else
                   ("invalid_number", "timestamp") if time is None else
                   ("unknown_movielens_id", "movieId") if movie not in targets else None)
        if problem:
            c["rejected"] += 1
            diagnose((ratings.name, "error", problem[0], line, None, problem[1]))
        elif targets[movie] is None:
            c["without_movie"] += 1
            diagnose((ratings.name, "info", "rating_without_movie", line, None, "movieId"))
        else:
            c["kept"] += 1
            entry = by_movie.setdefault(targets[movie], [0, 0, time, time])
            entry[0] += 1
            entry[1] += halves
            entry[2] = min(entry[2], time)
            entry[3] = max(entry[3], time)

    for tmdb, (count, halves, first, last) in sorted(by_movie.items()):
        result.tables["movie_rating"].append(
            [tmdb, count, halves / 2, float(Fraction(halves, 2 * count)), first, last])
    result.rollups = rating_rollups(movies, by_movie)
    result.manifest = OrderedDict([("links", links.counts), ("ratings", ratings.counts),
                                   ("movies_rated", len(by_movie))])
    return result


def rating_rollups(movies, by_movie):
    """{table: {(id, year): (rating_count, rating_mean)}} for every row of the
    movies oracle's company_year and genre_year."""
    year = {row[0]: row[13] for row in movies["movie"]}  # movie: id, ..., year (column 14)
    out = {}
    for table, bridge in (("company_year", "movie_company"), ("genre_year", "movie_genre")):
        totals = {(row[0], row[1]): [0, 0] for row in movies[table]}
        for movie_id, group_id, _ in movies[bridge]:
            if year[movie_id] is None or movie_id not in by_movie:
                continue
            count, halves = by_movie[movie_id][:2]
            totals[(group_id, year[movie_id])][0] += count
            totals[(group_id, year[movie_id])][1] += halves
        out[table] = {key: (count, float(Fraction(halves, 2 * count)) if count else None)
                      for key, (count, halves) in totals.items()}
    return out


def summary(result):
    lines = [f"{key}: {value}" for key, value in result.manifest.items()]
    lines.append("diagnostics: " + str(dict(sorted(Counter(
        f"{d[0]} {d[1]}/{d[2]}" for d in result.diagnostics).items()))))
    lines += [f"  {name}: {len(rows)} rows" for name, rows in result.tables.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    print(summary(run(*sys.argv[1:])))
