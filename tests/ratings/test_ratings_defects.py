#!/usr/bin/env python3
"""Hand-made links and ratings with one defect per line, their expected
results worked out by hand below. First the oracle is checked against them,
then Marquee against the oracle (tables through DuckDB, manifest, error log),
then the reject ratio, which applies to each file on its own.

Usage: test_ratings_defects.py MARQUEE NODE WORK_DIR
"""
import json
import os
import subprocess
import sys
import unittest
import zipfile

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import compare_ratings  # noqa: E402
import oracle_ratings  # noqa: E402
import test_oracle  # noqa: E402  (the movies oracle's helpers for a movies CSV)

MARQUEE, NODE, WORK = (sys.argv[1:4] if len(sys.argv) >= 4 else (None, None, None))

# Movies 10, 20, 30 and 40 (never rated: Horror, 2002), all kept. 10 and 20: Drama, 2000; 30: Drama and
# Comedy, 2001; companies: A on 10 and 30, B on 20.
_drama, _comedy = (18, "Drama"), (35, "Comedy")
MOVIES = test_oracle.csv_text(
    test_oracle.fields(id=10, genres=test_oracle.genres(_drama), production_companies=test_oracle.companies((1, "A"))),
    test_oracle.fields(id=20, genres=test_oracle.genres(_drama), production_companies=test_oracle.companies((2, "B"))),
    test_oracle.fields(id=30, release_date="2001-05-05", genres=test_oracle.genres(_drama, _comedy),
                       production_companies=test_oracle.companies((1, "A"))),
    test_oracle.fields(id=40, release_date="2002-01-01", genres=test_oracle.genres((27, "Horror"))))

LINKS = """movieId,imdbId,tmdbId
1,0114709,10
2,0113497,20
3,,30
4,0000001,
5,0000002,99
1,0000003,30
x,0000004,10
6,12ab,10
7,0000005,abc
8,0000006,-5
9,0000007,10,extra
0,0000008,10
"""
# line: what happens to it
#  2-4 kept (3 has no imdbId: null)     5 link_without_movie, tmdbId empty
#  6 link_without_movie (99 no movie)   7 duplicate_link of movieId 1 (movie_id 30)
#  8 movieId 'x', 9 imdbId '12ab', 10 tmdbId 'abc', 11 tmdbId '-5': invalid_link
#  12 field_count                       13 movieId 0 is not positive: invalid_link
RATINGS = """userId,movieId,rating,timestamp
1,1,4.0,100
2,1,5,50
1,2,0.5,200
1,3,3.5,300
1,4,4.0,10
1,5,4.0,10
1,77,4.0,10
1,6,4.0,10
1,1,5.5,10
1,1,0,10
1,1,3.25,10
1,1,abc,10
x,1,4.0,10
1,,4.0,10
1,1,4.0,-1
1,1,4.0,1.5
1,1,4.0
3,1,3.0,75
1,1,-1,10
"""
# line: what happens to it
#  2, 3, 19 kept for movie 10 (4.0, 5, 3.0); 4 kept for 20; 5 kept for 30
#  6, 7 rating_without_movie (links 4 and 5 lead to no movie)
#  8 movieId 77 not in links, 9 movieId 6 only on a rejected link: unknown_movielens_id
#  10 5.5, 11 0, 12 3.25, 13 abc, 20 -1: invalid_rating
#  14 userId, 15 movieId, 16 and 17 timestamp: invalid_number;  18 field_count

EXPECTED_DIAGNOSTICS = sorted([
    ("links.csv", "info", "link_without_movie", 5, None, "tmdbId"),
    ("links.csv", "info", "link_without_movie", 6, 99, "tmdbId"),
    ("links.csv", "info", "duplicate_link", 7, 30, "movieId"),
    ("links.csv", "error", "invalid_link", 8, None, "movieId"),
    ("links.csv", "error", "invalid_link", 9, None, "imdbId"),
    ("links.csv", "error", "invalid_link", 10, None, "tmdbId"),
    ("links.csv", "error", "invalid_link", 11, None, "tmdbId"),
    ("links.csv", "error", "field_count", 12, None, None),
    ("links.csv", "error", "invalid_link", 13, None, "movieId"),
    ("ratings.csv", "info", "rating_without_movie", 6, None, "movieId"),
    ("ratings.csv", "info", "rating_without_movie", 7, None, "movieId"),
    ("ratings.csv", "error", "unknown_movielens_id", 8, None, "movieId"),
    ("ratings.csv", "error", "unknown_movielens_id", 9, None, "movieId"),
    ("ratings.csv", "error", "invalid_rating", 10, None, "rating"),
    ("ratings.csv", "error", "invalid_rating", 11, None, "rating"),
    ("ratings.csv", "error", "invalid_rating", 12, None, "rating"),
    ("ratings.csv", "error", "invalid_rating", 13, None, "rating"),
    ("ratings.csv", "error", "invalid_number", 14, None, "userId"),
    ("ratings.csv", "error", "invalid_number", 15, None, "movieId"),
    ("ratings.csv", "error", "invalid_number", 16, None, "timestamp"),
    ("ratings.csv", "error", "invalid_number", 17, None, "timestamp"),
    ("ratings.csv", "error", "field_count", 18, None, None),
    ("ratings.csv", "error", "invalid_rating", 20, None, "rating"),
], key=str)


def write(directory, name, text):
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(text.replace("\n", "\r\n"))  # CRLF, like the originals
    return path


def inputs(directory, links=LINKS, ratings=RATINGS):
    return (write(directory, "movies_metadata.csv", MOVIES), write(directory, "links.csv", links),
            write(directory, "ratings.csv", ratings))


class OracleOnHandMadeFiles(unittest.TestCase):
    def setUp(self):
        self.result = oracle_ratings.run(*inputs(os.path.join(WORK or "/tmp", "oracle")))

    def test_tables(self):
        self.assertEqual(self.result.tables["movie_rating"], [
            [10, 3, 12.0, 4.0, 50, 100],  # 4.0 + 5 + 3.0 = 12.0 over 3 ratings
            [20, 1, 0.5, 0.5, 200, 200],
            [30, 1, 3.5, 3.5, 300, 300],
        ])
        self.assertEqual(self.result.tables["link"], [[1, "0114709", 10], [2, "0113497", 20], [3, None, 30]])

    def test_rollups(self):
        # (Drama, 2000) = movies 10 and 20: 3 + 1 ratings, (12.0 + 0.5) / 4 = 3.125,
        #   not the mean of the means (4.0 + 0.5) / 2 = 2.25.
        # (Drama, 2001) = (Comedy, 2001) = movie 30: 1 rating, 3.5.
        # (Horror, 2002) = movie 40, never rated: 0 ratings, mean null.
        # (A, 2000) = movie 10: 3, 4.0; (B, 2000) = movie 20: 1, 0.5; (A, 2001) = movie 30.
        self.assertEqual(self.result.rollups["genre_year"],
                         {(18, 2000): (4, 3.125), (18, 2001): (1, 3.5), (35, 2001): (1, 3.5),
                          (27, 2002): (0, None)})
        self.assertEqual(self.result.rollups["company_year"],
                         {(1, 2000): (3, 4.0), (2, 2000): (1, 0.5), (1, 2001): (1, 3.5)})

    def test_diagnostics(self):
        self.assertEqual(sorted(self.result.diagnostics, key=str), EXPECTED_DIAGNOSTICS)

    def test_counts(self):
        links, ratings = self.result.manifest["links"], self.result.manifest["ratings"]
        self.assertEqual([links[k] for k in ("records_read", "kept", "rejected", "without_movie", "duplicates")],
                         [12, 3, 6, 2, 1])
        self.assertEqual([ratings[k] for k in ("records_read", "kept", "rejected", "without_movie")],
                         [19, 5, 12, 2])
        self.assertEqual(self.result.manifest["movies_rated"], 3)


def good_links(n):
    return "movieId,imdbId,tmdbId\n" + "".join(f"{i},{i:07d},{10 * (1 + i % 3)}\n" for i in range(1, n + 1))


def good_ratings(n):
    return "userId,movieId,rating,timestamp\n" + "".join(f"{i},{1 + i % 100},{1 + i % 5}.0,{1000 + i}\n"
                                                        for i in range(1, n + 1))


def with_bad_lines(text, bad, count):
    lines = text.splitlines(keepends=True)
    return "".join(lines[:2] + [bad] * count + lines[2 + count:])


@unittest.skipUnless(MARQUEE, "needs MARQUEE NODE WORK_DIR")
class MarqueeOnHandMadeFiles(unittest.TestCase):
    def test_matches_oracle(self):
        movies, links, ratings = inputs(os.path.join(WORK, "defects"))
        problems = compare_ratings.compare(MARQUEE, NODE, movies, links, ratings,
                                           os.path.join(WORK, "defects-out"), ["--max-reject-ratio", "1"])
        self.assertEqual(problems, 0)

    def run_ratio_case(self, name, links, ratings, ratio):
        movies, links, ratings = inputs(os.path.join(WORK, name), links, ratings)
        out = os.path.join(WORK, name + "-out")
        done = compare_ratings.run_marquee(MARQUEE, movies, links, ratings, out, ["--max-reject-ratio", ratio])
        with open(os.path.join(out, "manifest.json"), encoding="utf-8") as source:
            return done, json.load(source)

    def test_ratio_applies_per_file(self):
        # 2 bad ratings of 100: 2% of ratings.csv, but under 1.5% of the 203
        # records read in all; the run must fail, naming ratings.csv.
        bad = with_bad_lines(good_ratings(100), "1,1,9.0,5\n", 2)
        done, manifest = self.run_ratio_case("ratio-ratings", good_links(100), bad, "0.015")
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertEqual(manifest["status"], "failed")
        self.assertTrue(manifest["failure"].startswith("ratings.csv: 2 of 100 records rejected"), manifest["failure"])
        self.assertFalse(os.path.exists(os.path.join(WORK, "ratio-ratings-out", "tables", "movie_rating.parquet")))
        # The same links with 2 bad rows fail the run by themselves.
        bad = with_bad_lines(good_links(100), "y,1,10\n", 2)
        done, manifest = self.run_ratio_case("ratio-links", bad, good_ratings(100), "0.015")
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertTrue(manifest["failure"].startswith("links.csv: 2 of 100 records rejected"), manifest["failure"])
        # Under the ratio the run succeeds.
        done, manifest = self.run_ratio_case("ratio-ok", good_links(100),
                                             with_bad_lines(good_ratings(100), "1,1,9.0,5\n", 2), "0.03")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(manifest["ratings"]["ratings"]["rejected"], 2)

    def test_missing_column_fails_before_work(self):
        movies, links, ratings = inputs(os.path.join(WORK, "no-column"), LINKS,
                                        RATINGS.replace("rating,", "stars,", 1))
        done = compare_ratings.run_marquee(MARQUEE, movies, links, ratings,
                                           os.path.join(WORK, "no-column-out"), [])
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("ratings.csv: no column 'rating'", done.stderr)

    def run_dataset(self, name, members):
        """marquee etl on a dataset directory and the same as a zip; their manifests."""
        directory = os.path.join(WORK, name)
        subprocess.run(["rm", "-rf", directory], check=True)
        for member, text in members.items():
            write(directory, member, text)
        archive = directory + ".zip"
        with zipfile.ZipFile(archive, "w") as z:
            for member in members:
                z.write(os.path.join(directory, member), "the-movies-dataset/" + member)
        manifests = []
        for source in (directory, archive):
            out = source + "-out"
            subprocess.run(["rm", "-rf", out], check=True)
            done = subprocess.run([MARQUEE, "etl", source, "--out", out, "--max-reject-ratio", "1"],
                                  capture_output=True, text=True)
            self.assertEqual(done.returncode, 0, done.stderr)
            with open(os.path.join(out, "manifest.json"), encoding="utf-8") as m:
                manifests.append(json.load(m))
        return manifests

    def test_dataset_directory_and_zip_find_ratings(self):
        small = RATINGS.replace("3,1,3.0,75\n", "")  # one rating fewer than RATINGS
        members = {"movies_metadata.csv": MOVIES, "links.csv": LINKS, "ratings_small.csv": small}
        for manifest in self.run_dataset("dataset-small", members):
            self.assertTrue(manifest["ratings"]["ratings"]["name"].endswith("ratings_small.csv"))
            self.assertEqual(manifest["ratings"]["ratings"]["records_read"], 18)
            self.assertEqual(manifest["tables"]["movie_rating"]["rows"], 3)
        # ratings.csv, when there, is preferred to ratings_small.csv.
        members["ratings.csv"] = RATINGS
        for manifest in self.run_dataset("dataset-full", members):
            self.assertTrue(manifest["ratings"]["ratings"]["name"].endswith("ratings.csv"))
            self.assertEqual(manifest["ratings"]["ratings"]["records_read"], 19)
        # Without links.csv there are no ratings, and no rating tables.
        del members["links.csv"]
        for manifest in self.run_dataset("dataset-no-links", members):
            self.assertNotIn("ratings", manifest)
            self.assertNotIn("movie_rating", manifest["tables"])

    def test_generated_ratings_match_oracle(self):
        # `marquee generate --ratings N` writes links.csv and ratings.csv beside
        # the movies; the whole directory then goes through the comparison.
        directory = os.path.join(WORK, "generated")
        subprocess.run(["rm", "-rf", directory], check=True)
        os.makedirs(directory)
        movies = os.path.join(directory, "movies_metadata.csv")
        done = subprocess.run([MARQUEE, "generate", "--movies", "3000", "--seed", "7", "--out", movies,
                               "--ratings", "20000"], capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        links, ratings = os.path.join(directory, "links.csv"), os.path.join(directory, "ratings.csv")
        with open(ratings, encoding="utf-8") as source:
            self.assertEqual(sum(1 for _ in source), 20001)
        with open(links, encoding="utf-8") as source:
            self.assertEqual(sum(1 for _ in source), 3001)
        problems = compare_ratings.compare(MARQUEE, NODE, movies, links, ratings,
                                           os.path.join(WORK, "generated-out"), [])
        self.assertEqual(problems, 0)

    def test_ratings_needs_links(self):
        movies, _, ratings = inputs(os.path.join(WORK, "alone"))
        done = subprocess.run([MARQUEE, "etl", movies, "--ratings", ratings, "--out",
                               os.path.join(WORK, "alone-out")], capture_output=True, text=True)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("--links", done.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
