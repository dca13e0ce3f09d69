"""Audience ratings through the whole chain (issue 16, part 1): `marquee run`
with --ratings and --links into the database (migration V003), then the real
`marquee serve`: the most popular genre by rating_count and rating_mean, with
min_ratings, its 400s, and a run without ratings. Figures worked out by hand
below; every response checked against the served /openapi.json.
"""
import os
import sqlite3
import subprocess
import sys

from harness import Failure, OpenApi, check, check_eq, parse_args, run_suite, section
from suite_endpoints import HAND_MOVIES, Suite

# MovieLens id m links to TMDB movie m (HAND_MOVIES' ids 1..7); 9 to no movie.
LINKS = "movieId,imdbId,tmdbId\n" + "".join(f"{m},{m:07d},{m}\n" for m in range(1, 8)) + "9,0000009,999\n"
# movie 1 (Drama, Comedy; 1995): 60 ratings of 3.0; movie 2 (Drama, 1995): 5.0 twice;
# movie 3 (Action, 1995): one 5.0; movie 4 (Comedy, 1996): 4.0 and 5.0;
# movie 5 (no date): 1.0, in no rollup; movie 9: no movie, not counted.
RATINGS = ("userId,movieId,rating,timestamp\n"
           + "".join(f"{u},1,3.0,{1000 + u}\n" for u in range(1, 61))
           + "1,2,5.0,10\n2,2,5.0,20\n3,3,5.0,30\n4,4,4.0,40\n5,4,5.0,50\n6,5,1.0,60\n7,9,4.0,70\n")
# genre_year: (Drama, 1995) 62 ratings, (180 + 10) / 62; (Comedy, 1995) 60, 3.0;
# (Action, 1995) 1, 5.0; (Comedy, 1996) 2, 4.5; 1997 and 1998: 0 ratings.
DRAMA_1995_MEAN = 190 / 62
EXPECTED = {
    # the default min_ratings, 50: only 1995's Drama (62) and Comedy (60) compete
    "by=rating_count": [(1995, 18, 62)],
    "by=rating_mean": [(1995, 18, DRAMA_1995_MEAN)],
    "by=rating_mean&min_ratings=61": [(1995, 18, DRAMA_1995_MEAN)],
    "by=rating_mean&min_ratings=63": [],
    # one rating suffices: Action's single 5.0 wins 1995 -- what min_ratings prevents
    "by=rating_mean&min_ratings=1": [(1995, 28, 5.0), (1996, 35, 4.5)],
    # 0: every genre-year with a count competes; ties (0 and 0 in 1997) to the lower id
    "by=rating_count&min_ratings=0": [(1995, 18, 62), (1996, 35, 2), (1997, 18, 0), (1998, 18, 0)],
    "by=rating_mean&min_ratings=0": [(1995, 28, 5.0), (1996, 35, 4.5)],  # a mean of no rating is null
    "by=rating_count&min_ratings=2&from=1996": [(1996, 35, 2)],
}


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(text.replace("\n", "\r\n"))
    return path


def load(s):
    section("`marquee run` with --ratings/--links, and the same movies without")
    hand_csv = os.path.join(s.work, "hand.csv")
    subprocess.run([sys.executable, os.path.join(s.args.source_dir, "tests/store/make_movies_csv.py"), hand_csv],
                   input=HAND_MOVIES, text=True, check=True)
    links = write(os.path.join(s.work, "links.csv"), LINKS)
    ratings = write(os.path.join(s.work, "ratings.csv"), RATINGS)
    s.plain_run = s.mq.run(hand_csv)
    s.rated_run = s.mq.run(hand_csv, "--ratings", ratings, "--links", links)


def database_rows(s):
    if s.args.backend != "sqlite":
        return
    section("the database holds movie_rating, link and the rollups' rating columns")
    main_db = os.path.join(s.work, "data", "marquee.db")
    # Each run's own file (docs/STORAGE.md), attached under its run id; its
    # tables generate run_id, so the queries read as over shared tables.
    db = sqlite3.connect(main_db)
    for run in (s.rated_run, s.plain_run):
        db.execute("ATTACH ? AS ?", ("%s.runs/%s.sqlite" % (main_db, run), "r_" + run.replace("-", "_")))
    rated = "r_" + s.rated_run.replace("-", "_")
    plain = "r_" + s.plain_run.replace("-", "_")
    try:
        got = db.execute("SELECT movie_id, rating_count, rating_sum, rating_mean, first_rated, last_rated "
                         "FROM %s.movie_rating WHERE run_id = ? ORDER BY movie_id" % rated, (s.rated_run,)).fetchall()
        check_eq(got, [(1, 60, 180.0, 3.0, 1001, 1060), (2, 2, 10.0, 5.0, 10, 20), (3, 1, 5.0, 5.0, 30, 30),
                       (4, 2, 9.0, 4.5, 40, 50), (5, 1, 1.0, 1.0, 60, 60)], "movie_rating rows")
        check_eq(db.execute("SELECT count(*), count(imdb_id) FROM %s.link WHERE run_id = ?" % rated, (s.rated_run,)).fetchone(),
                 (7, 7), "link rows (movieId 9 leads to no movie)")
        got = db.execute("SELECT genre_id, year, rating_count, rating_mean FROM %s.genre_year WHERE run_id = ? "
                         "ORDER BY year, genre_id" % rated, (s.rated_run,)).fetchall()
        check_eq(got, [(18, 1995, 62, DRAMA_1995_MEAN), (28, 1995, 1, 5.0), (35, 1995, 60, 3.0),
                       (35, 1996, 2, 4.5), (18, 1997, 0, None), (35, 1997, 0, None), (18, 1998, 0, None)],
                 "genre_year rating columns")
        got = db.execute("SELECT company_id, year, rating_count, rating_mean FROM %s.company_year WHERE run_id = ? "
                         "AND year = 1995 ORDER BY company_id" % rated, (s.rated_run,)).fetchall()
        # Alpha Films (1): movies 1, 2, 3: 63 ratings, 195 stars; alpha beta (2): 1 and 3: 61, 185;
        # Beta Corp (3): movie 3 only.
        check_eq(got, [(1, 1995, 63, 195 / 63), (2, 1995, 61, 185 / 61), (3, 1995, 1, 5.0)],
                 "company_year rating columns")
        check_eq(db.execute("SELECT count(*) FROM %s.genre_year WHERE run_id = ? AND rating_count IS NOT NULL" % plain,
                            (s.plain_run,)).fetchone(), (0,), "a run without ratings: null rating columns")
        check_eq(db.execute("SELECT count(*) FROM %s.movie_rating WHERE run_id = ?" % plain, (s.plain_run,)).fetchone(), (0,),
                 "a run without ratings: no movie_rating rows")
    finally:
        db.close()


def most_popular(s):
    section("most-popular by rating_count and rating_mean, with min_ratings")
    for query, expected in EXPECTED.items():
        body = s.data(f"/v1/genres/most-popular?run={s.rated_run}&{query}")
        got = [(y["year"], y["genre_id"], y["value"]) for y in body["years"]]
        check_eq(len(got), len(expected), f"{query}: winners")
        for (year, genre, value), (want_year, want_genre, want_value) in zip(got, expected):
            check_eq((year, genre), (want_year, want_genre), f"{query}: winner")
            check(abs(value - want_value) <= 1e-12 * max(1, abs(want_value)), f"{query}: value {value} != {want_value}")
            if "rating_count" in query:
                check(isinstance(value, int), f"{query}: an integer count")
        check_eq(body["by"], query.split("&")[0][3:], f"{query}: by echoed")
        minimum = int(query.split("min_ratings=")[1].split("&")[0]) if "min_ratings=" in query else 50
        check_eq(body["min_ratings"], minimum, f"{query}: min_ratings echoed")
    check_eq(s.data(f"/v1/genres/most-popular?run={s.rated_run}&by=revenue")["min_ratings"], None,
             "min_ratings is null with the other measures")
    section("genre years carry rating_count and rating_mean")
    rows = s.data(f"/v1/genres/years?run={s.rated_run}&from=1995&to=1996")["genre_years"]
    check_eq([(r["genre_id"], r["year"], r["rating_count"]) for r in rows],
             [(18, 1995, 62), (28, 1995, 1), (35, 1995, 60), (35, 1996, 2)], "genre years' rating counts")
    check(abs(rows[0]["rating_mean"] - DRAMA_1995_MEAN) < 1e-12, "Drama 1995's mean: sum / count over all ratings")
    rows = s.data(f"/v1/genres/years?run={s.plain_run}&from=1995&to=1995")["genre_years"]
    check_eq({(r["rating_count"], r["rating_mean"]) for r in rows}, {(None, None)}, "null without ratings")
    section("company years carry rating_count and rating_mean (whole-movie credit)")
    rows = s.data(f"/v1/companies/1/years?run={s.rated_run}&from=1995&to=1996")["years"]
    check_eq([(r["year"], r["rating_count"]) for r in rows], [(1995, 63)], "Alpha Films' rating count")
    check(abs(rows[0]["rating_mean"] - 195 / 63) < 1e-12, "Alpha Films 1995: 195 stars / 63 ratings")
    split = s.data(f"/v1/companies/1/years?run={s.rated_run}&from=1995&to=1995&attribution=split")["years"]
    check_eq(split[0]["rating_count"], 63, "ratings are not split between companies")
    section("a run without ratings has no winner by them")
    for by in ("rating_count", "rating_mean"):
        check_eq(s.data(f"/v1/genres/most-popular?run={s.plain_run}&by={by}&min_ratings=0")["years"], [],
                 f"by={by} on a run without ratings")
    section("bad values: 400 naming the parameter")
    for query, parameter in (("by=rating_median", "by"), ("by=rating_mean&min_ratings=-1", "min_ratings"),
                             ("by=rating_mean&min_ratings=x", "min_ratings"),
                             ("by=rating_count&min_ratings=", "min_ratings"),
                             ("by=rating_count&min_ratings=99999999999999999999", "min_ratings")):
        s.error(f"/v1/genres/most-popular?run={s.rated_run}&{query}", 400, "invalid_parameter", parameter)


def main():
    args = parse_args()
    s = Suite(args)
    load(s)
    database_rows(s)
    s.mq.publish(s.rated_run)
    s.server = s.start()
    try:
        s.api = OpenApi(s.server.get("/openapi.json", token=None).json())
        s.server.wait_ready()
        doc = s.api.doc["paths"]["/v1/genres/most-popular"]["get"]
        names = [s.api.resolve(p)["name"] for p in doc["parameters"]]
        check("min_ratings" in names, f"min_ratings documented ({names})")
        most_popular(s)
    except Failure:
        sys.stderr.write("--- serve log ---\n" + s.server.stderr()[-3000:] + "\n")
        raise
    finally:
        s.server.kill()


if __name__ == "__main__":
    run_suite(main)
