#!/usr/bin/env python3
"""Self-test of the oracle (and of compare_tables' CSV reader) on tiny,
hand-made inputs whose expected results are worked out by hand in comments,
so that the end-to-end comparison rests on a verified reference."""
import csv
import io
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_tables  # noqa: E402
import oracle  # noqa: E402

DEFAULTS = {
    "adult": "False", "belongs_to_collection": "", "budget": "0", "genres": "[]",
    "homepage": "", "id": "1", "imdb_id": "tt1", "original_language": "en",
    "original_title": "T", "overview": "", "popularity": "1.0", "poster_path": "",
    "production_companies": "[]", "production_countries": "[]",
    "release_date": "2000-01-01", "revenue": "0", "runtime": "90.0", "spoken_languages": "[]",
    "status": "Released", "tagline": "", "title": "T", "video": "False",
    "vote_average": "5.0", "vote_count": "1",
}


def fields(**overrides):
    row = dict(DEFAULTS)
    row.update({k: str(v) for k, v in overrides.items()})
    return [row[c] for c in oracle.INPUT_COLUMNS]


def csv_text(*rows, header=None):
    """A movies_metadata.csv text, CRLF like Kaggle's."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header or oracle.INPUT_COLUMNS)
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def genres(*pairs):
    return str([{"id": i, "name": n} for i, n in pairs])


def companies(*pairs):
    return str([{"name": n, "id": i} for i, n in pairs])


def table(result, name):
    columns = [c for c, _ in oracle.SCHEMAS[name]]
    return [dict(zip(columns, row)) for row in result.tables[name]]


def errors(result):
    return [d for d in result.diagnostics.items if d[0] == "error"]


class ValidationTest(unittest.TestCase):
    def test_each_rejection_reason_with_its_line(self):
        text = csv_text(
            fields(id="0"),                          # line 2: id not positive
            fields(id="12a"),                        # line 3: id not an integer
            fields(id="3", budget="1.5"),            # line 4: budget not an integer
            fields(id="4", revenue="-5"),            # line 5: sign not allowed
            fields(id="5", popularity="inf"),        # line 6: not finite
            fields(id="6", release_date="2001-02-29"),  # line 7: not a calendar date
            fields(id="7", release_date="1/2/2001"),    # line 8: not YYYY-MM-DD
            fields(id="8", budget="x", revenue="y"),    # line 9: first rule only
            fields(id="9", budget=""),               # line 10: empty budget
        )
        result = oracle.run_text(text)
        self.assertEqual(errors(result), [
            ("error", "invalid_id", 2, None, "id"),
            ("error", "invalid_id", 3, None, "id"),
            ("error", "invalid_budget", 4, 3, "budget"),
            ("error", "invalid_revenue", 5, 4, "revenue"),
            ("error", "invalid_popularity", 6, 5, "popularity"),
            ("error", "invalid_release_date", 7, 6, "release_date"),
            ("error", "invalid_release_date", 8, 7, "release_date"),
            ("error", "invalid_budget", 9, 8, "budget"),
            ("error", "invalid_budget", 10, 9, "budget"),
        ])
        self.assertEqual(result.tables["movie"], [])
        self.assertEqual(result.counts["records_read"], 9)
        self.assertEqual(result.counts["rejected"], 9)

    def test_valid_number_forms(self):
        text = csv_text(
            # revenue "373554033.0" is 373554033; popularity exponent form; 2000 leap day.
            fields(id="1", revenue="373554033.0", popularity="8.2e-05",
                   release_date="2000-02-29"),
            # 2.5 rounds half away from zero to 3, with a warning; empty popularity = null.
            fields(id="2", revenue="2.5", popularity=""),
        )
        result = oracle.run_text(text)
        movies = table(result, "movie")
        self.assertEqual([m["revenue"] for m in movies], [373554033, 3])
        self.assertEqual([m["popularity"] for m in movies], [8.2e-05, None])
        self.assertEqual(movies[0]["release_date"], "2000-02-29")
        self.assertEqual(movies[0]["year"], 2000)
        self.assertEqual(result.counts["warnings"], 1)
        self.assertEqual(errors(result), [])

    def test_malformed_optional_numbers_become_null_with_a_warning(self):
        text = csv_text(fields(id="1", runtime="abc", vote_average="-1", vote_count="3.5"),
                        fields(id="2", runtime="", vote_count="5415.0", adult="maybe"))
        result = oracle.run_text(text)
        first, second = table(result, "movie")
        self.assertEqual((first["runtime"], first["vote_average"], first["vote_count"]),
                         (None, None, None))
        self.assertEqual((second["runtime"], second["vote_count"], second["adult"]),
                         (None, 5415, None))
        warnings = [d for d in result.diagnostics.items if d[0] == "warning"]
        self.assertEqual(warnings, [
            ("warning", "invalid_number", 2, 1, "runtime"),
            ("warning", "invalid_number", 2, 1, "vote_average"),
            ("warning", "invalid_number", 2, 1, "vote_count"),
            ("warning", "malformed_literal", 3, 2, "adult"),
        ])

    def test_empty_text_is_null_and_invalid_utf8_is_replaced(self):
        raw = csv_text(fields(id="1", title="Caf\udce9", tagline="")).encode(
            "utf-8", "surrogateescape")
        result = oracle.run_text(raw.decode("utf-8", "surrogateescape"))
        movie = table(result, "movie")[0]
        self.assertEqual(movie["title"], "Caf\ufffd")
        self.assertIsNone(movie["tagline"])
        self.assertEqual(result.diagnostics.items,
                         [("warning", "invalid_utf8", 2, 1, "title")])


class LiteralTest(unittest.TestCase):
    def test_salvage_keeps_entries_before_garbage(self):
        # Movie 10663 of the full file: one genre survives, with a warning.
        text = csv_text(fields(id="10663", genres="[{'id': 35, 'name': 'Comedy'} GATORADE"),
                        fields(id="2", genres="not a list"))
        result = oracle.run_text(text)
        self.assertEqual(result.tables["movie_genre"], [[10663, 35, 0]])
        self.assertEqual(result.tables["genre"], [[35, "Comedy"]])
        self.assertEqual(result.diagnostics.items, [
            ("warning", "malformed_literal", 2, 10663, "genres"),
            ("warning", "malformed_literal", 3, 2, "genres"),
        ])

    def test_double_quoted_names_and_escapes(self):
        value = "[{'name': \"Po' Boy Productions\", 'id': 7}, {'name': 'Caf\\xe9 \\u00e9', 'id': 8}]"
        result = oracle.run_text(csv_text(fields(production_companies=value)))
        self.assertEqual(result.tables["company"], [[7, "Po' Boy Productions"],
                                                    [8, "Caf\u00e9 \u00e9"]])

    def test_entries_distinct_in_first_listing_order_and_bad_entries_skipped(self):
        value = "[{'name': 'B', 'id': 2}, {'name': 'A', 'id': 1}, {'name': 'B2', 'id': 2}, " \
                "{'name': 'no id'}]"
        result = oracle.run_text(csv_text(fields(id="5", production_companies=value)))
        # Positions are 0-based among distinct entries: B then A.
        self.assertEqual(result.tables["movie_company"], [[5, 2, 0], [5, 1, 1]])
        self.assertEqual(result.tables["company"], [[1, "A"], [2, "B"]])
        # 'B2' renames company 2 within the movie: a conflict; the entry without
        # an id is skipped.
        self.assertEqual(result.diagnostics.items,
                         [("warning", "conflicting_name", 2, 5, "production_companies"),
                          ("warning", "malformed_literal", 2, 5, "production_companies")])

    def test_collection_and_codes(self):
        collection = "{'id': 10, 'name': 'Star Wars', 'poster_path': None, 'backdrop_path': '/b.jpg'}"
        result = oracle.run_text(csv_text(fields(
            id="3", belongs_to_collection=collection,
            production_countries="[{'iso_3166_1': 'US', 'name': 'United States of America'}]",
            spoken_languages="[{'iso_639_1': 'en', 'name': 'English'}, "
                             "{'iso_639_1': 'hy', 'name': ''}]")))
        self.assertEqual(result.tables["collection"], [[10, "Star Wars", None, "/b.jpg"]])
        self.assertEqual(table(result, "movie")[0]["collection_id"], 10)
        self.assertEqual(result.tables["movie_country"], [[3, "US"]])
        # An empty name is still a name (the head file has 58 such languages).
        self.assertEqual(result.tables["language"], [["en", "English"], ["hy", ""]])
        self.assertEqual(result.tables["movie_language"], [[3, "en"], [3, "hy"]])


class ModelTest(unittest.TestCase):
    def test_first_accepted_occurrence_wins(self):
        text = csv_text(fields(id="7", budget="bad"),   # line 2: rejected, not "first"
                        fields(id="7", title="Kept"),   # line 3: kept
                        fields(id="7", title="Dup"),    # line 4: duplicate of line 3
                        fields(id="8"))
        result = oracle.run_text(text)
        self.assertEqual([(m["id"], m["title"]) for m in table(result, "movie")],
                         [(7, "Kept"), (8, "T")])
        self.assertIn(("info", "duplicate_id", 4, 7, "id"), result.diagnostics.items)
        counts = result.counts
        self.assertEqual((counts["records_read"], counts["movies_kept"], counts["rejected"],
                          counts["duplicates"]), (4, 2, 1, 1))

    def test_conflicting_names_within_one_movie(self):
        # Genre 1 twice on line 2 (X then Y): X kept, one warning; listed twice
        # with the same name: no warning. Line 3 is a duplicate of id 1, yet its
        # own value warnings are still reported (validation precedes de-duplication).
        text = csv_text(fields(id="1", genres=genres((1, "X"), (1, "Y"), (1, "X"))),
                        fields(id="1", production_countries=str(
                            [{"iso_3166_1": "US", "name": "USA"},
                             {"iso_3166_1": "US", "name": "United States"}])))
        result = oracle.run_text(text)
        self.assertEqual(result.tables["genre"], [[1, "X"]])
        self.assertEqual(result.tables["movie_genre"], [[1, 1, 0]])
        self.assertEqual(result.tables["country"], [])
        self.assertEqual(result.diagnostics.items, [
            ("warning", "conflicting_name", 2, 1, "genres"),
            ("warning", "conflicting_name", 3, 1, "production_countries"),
            ("info", "duplicate_id", 3, 1, "id"),
        ])

    def test_first_name_wins_with_a_conflict_warning(self):
        text = csv_text(fields(id="1", genres=genres((18, "Drama"))),
                        fields(id="2", genres=genres((18, "Drame"))))
        result = oracle.run_text(text)
        self.assertEqual(result.tables["genre"], [[18, "Drama"]])
        self.assertEqual(result.diagnostics.items,
                         [("warning", "conflicting_name", 3, 2, "genres")])


class ReaderTest(unittest.TestCase):
    def test_bom_quoted_line_break_and_blank_line_numbering(self):
        header = ",".join(oracle.INPUT_COLUMNS)
        first = csv_text(fields(id="1", overview="two\r\nlines")).split("\r\n", 1)[1]
        second = ",".join(fields(id="2", budget="x"))
        # Line 1 header (after a BOM), lines 2-3 movie 1 (a quoted line break),
        # line 4 blank, line 5 movie 2 (rejected, so its line shows).
        text = "\ufeff" + header + "\r\n" + first + "\r\n" + second + "\r\n"
        result = oracle.run_text(text)
        self.assertEqual([m["id"] for m in table(result, "movie")], [1])
        self.assertEqual(table(result, "movie")[0]["overview"], "two\r\nlines")
        self.assertEqual(errors(result), [("error", "invalid_budget", 5, 2, "budget")])

    def test_split_record_is_repaired(self):
        # Like ids 82663, 122662, 249260 of the full file: an unquoted overview
        # with a line break gives 10 fields, then 15 (10 + 15 - 1 = 24).
        row = fields(id="82663", overview="OVERVIEW")
        first, second = ",".join(row).split("OVERVIEW")
        text = ",".join(oracle.INPUT_COLUMNS) + "\r\n" + first + "part one\r\npart two" + \
            second + "\r\n" + ",".join(fields(id="9")) + "\r\n"
        result = oracle.run_text(text)
        movies = table(result, "movie")
        self.assertEqual([m["id"] for m in movies], [82663, 9])
        self.assertEqual(movies[0]["overview"], "part one\r\npart two")
        self.assertEqual(result.diagnostics.items, [("info", "repaired", 2, None, None)])
        self.assertEqual(result.counts["records_read"], 2)
        self.assertEqual(result.counts["repaired"], 1)

    def test_resync_costs_one_physical_line(self):
        header = ",".join(oracle.INPUT_COLUMNS)
        good = [",".join(fields(id=str(i))) for i in (1, 2, 3)]
        # Line 3 has 3 fields (no repair fits: 3 + 24 - 1 != 24); line 5 opens a
        # quote that never closes (no other quote follows it).
        text = "\r\n".join([header, good[0], "a,b,c", good[1], '"stray', good[2]]) + "\r\n"
        result = oracle.run_text(text)
        self.assertEqual(errors(result), [("error", "field_count", 3, None, None),
                                          ("error", "unterminated_quote", 5, None, None)])
        self.assertEqual([m["id"] for m in table(result, "movie")], [1, 2, 3])
        self.assertEqual(result.counts["records_read"], 5)

    def test_missing_column_is_an_input_error(self):
        header = [c for c in oracle.INPUT_COLUMNS if c != "revenue"]
        with self.assertRaises(oracle.InputError):
            oracle.run_text(csv_text(header=header))

    def test_other_column_order_gives_same_result(self):
        reordered = list(reversed(oracle.INPUT_COLUMNS))
        row = fields(id="4", budget="10", revenue="30")
        by_name = dict(zip(oracle.INPUT_COLUMNS, row))
        result = oracle.run_text(csv_text([by_name[c] for c in reordered], header=reordered))
        plain = oracle.run_text(csv_text(row))
        self.assertEqual(result.tables, plain.tables)


class RollupTest(unittest.TestCase):
    """Companies A=1, B=2, C=3; genres Drama=18, Comedy=35, Action=28, Horror=27.

    M1 2000: budget 100, revenue 400, popularity 2.0, votes 10, [A, B], [Drama, Comedy]
    M2 2000: budget 0,   revenue 90,  popularity -,   votes -,  [A],    [Drama]
    M3 2001: budget 50,  revenue 0,   popularity 1.0, votes 5,  [B, A, B], [Comedy]
    M4 ----: budget 30,  revenue 10,  popularity 3.0, no date -> in no rollup
    M5 2000: budget 30,  revenue 20,  popularity 0.5, votes 7,  [C],    [Action]
    M6 2002: budget 0,   revenue 0,   popularity -,   votes -,  [],     [Horror]
    """

    @classmethod
    def setUpClass(cls):
        a, b, c = (1, "A"), (2, "B"), (3, "C")
        drama, comedy, action, horror = (18, "Drama"), (35, "Comedy"), (28, "Action"), \
            (27, "Horror")
        cls.result = oracle.run_text(csv_text(
            fields(id=1, budget=100, revenue=400, popularity="2.0", vote_count=10,
                   release_date="2000-05-01", production_companies=companies(a, b),
                   genres=genres(drama, comedy)),
            fields(id=2, budget=0, revenue=90, popularity="", vote_count="",
                   release_date="2000-12-31", production_companies=companies(a),
                   genres=genres(drama)),
            fields(id=3, budget=50, revenue=0, popularity="1.0", vote_count=5,
                   release_date="2001-01-01", production_companies=companies(b, a, b),
                   genres=genres(comedy)),
            fields(id=4, budget=30, revenue=10, popularity="3.0", release_date="",
                   production_companies=companies(a), genres=genres(comedy)),
            fields(id=5, budget=30, revenue=20, popularity="0.5", vote_count=7,
                   release_date="2000-01-01", production_companies=companies(c),
                   genres=genres(action)),
            fields(id=6, budget=0, revenue=0, popularity="", vote_count="",
                   release_date="2002-03-03", genres=genres(horror)),
        ))

    def test_company_year(self):
        # (A, 2000) = M1 + M2: 2 movies, 1 with budget, 2 with revenue, 1 with both;
        #   budget 100, revenue 400 + 90 = 490, profit 400 - 100 = 300;
        #   splits: M1 has 2 companies, M2 one: budget 100/2 = 50,
        #   revenue 400/2 + 90 = 290, profit 300/2 = 150; average popularity 2.0
        #   (M2 has none).
        # (A, 2001) = M3 (companies B, A: two distinct): budget 50, split 25.
        # (B, 2000) = M1: halves of 100, 400, 300.  (B, 2001) = M3.
        # (C, 2000) = M5: profit 20 - 30 = -10, a loss still counts.
        # Budget splits of 2000 add up to the movies' budgets: 50 + 50 + 30 = 130 = 100 + 30.
        self.assertEqual(self.result.tables["company_year"], [
            [1, 2000, "A", 2, 1, 2, 1, 100, 490, 300, 50.0, 290.0, 150.0, 2.0, None, None],
            [1, 2001, "A", 1, 1, 0, 0, 50, 0, 0, 25.0, 0.0, 0.0, 1.0, None, None],
            [2, 2000, "B", 1, 1, 1, 1, 100, 400, 300, 50.0, 200.0, 150.0, 2.0, None, None],
            [2, 2001, "B", 1, 1, 0, 0, 50, 0, 0, 25.0, 0.0, 0.0, 1.0, None, None],
            [3, 2000, "C", 1, 1, 1, 1, 30, 20, -10, 30.0, 20.0, -10.0, 0.5, None, None],
        ])

    def test_company_year_genre(self):
        # (A, 2000): Drama from M1 and M2, Comedy from M1; (A, 2001): Comedy (M3);
        # (B, 2000): Drama, Comedy (M1); (B, 2001): Comedy (M3); (C, 2000): Action.
        self.assertEqual(self.result.tables["company_year_genre"], [
            [1, 2000, 18, "Drama", 2], [1, 2000, 35, "Comedy", 1], [1, 2001, 35, "Comedy", 1],
            [2, 2000, 18, "Drama", 1], [2, 2000, 35, "Comedy", 1], [2, 2001, 35, "Comedy", 1],
            [3, 2000, 28, "Action", 1],
        ])

    def test_genre_year(self):
        # 2000: Drama total 2.0 (M1; M2 has none), Comedy 2.0 (M1), Action 0.5:
        #   Drama and Comedy tie, the lower id (18) ranks first: Drama 1, Comedy 2,
        #   Action 3. Drama's votes: 10 + null (counts as 0) = 10.
        # 2001: Comedy alone (M3), rank 1.  2002: Horror, no popularity: total 0,
        #   average null, votes 0, rank 1. M4 has no date: nowhere.
        self.assertEqual(self.result.tables["genre_year"], [
            [18, 2000, "Drama", 2, 1, 2, 1, 100, 490, 300, 2.0, 2.0, 10, 1, None, None],
            [27, 2002, "Horror", 1, 0, 0, 0, 0, 0, 0, 0.0, None, 0, 1, None, None],
            [28, 2000, "Action", 1, 1, 1, 1, 30, 20, -10, 0.5, 0.5, 7, 3, None, None],
            [35, 2000, "Comedy", 1, 1, 1, 1, 100, 400, 300, 2.0, 2.0, 10, 2, None, None],
            [35, 2001, "Comedy", 1, 1, 0, 0, 50, 0, 0, 1.0, 1.0, 5, 1, None, None],
        ])

    def test_bridges_and_dimensions(self):
        self.assertEqual(self.result.tables["movie_company"], [
            [1, 1, 0], [1, 2, 1], [2, 1, 0], [3, 2, 0], [3, 1, 1], [4, 1, 0], [5, 3, 0]])
        self.assertEqual(self.result.tables["company"], [[1, "A"], [2, "B"], [3, "C"]])
        self.assertEqual(len(self.result.tables["movie"]), 6)


class CompareToolsTest(unittest.TestCase):
    def test_reader_tells_null_from_empty_string(self):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False,
                                         encoding="utf-8", newline="") as out:
            out.write('a,b,c\n,"","x,""y""\nz"\n')
            path = out.name
        try:
            rows = compare_tables.read_marquee_csv(path)
        finally:
            os.unlink(path)
        self.assertEqual(rows[1], [("", False), ("", True), ('x,"y"\nz', True)])
        self.assertIsNone(compare_tables.parse_cell(rows[1][0], "str"))
        self.assertEqual(compare_tables.parse_cell(rows[1][1], "str"), "")

    def test_double_tolerance_is_relative(self):
        self.assertTrue(compare_tables.same_value(1e9, 1e9 * (1 + 1e-12), "double"))
        self.assertFalse(compare_tables.same_value(1.0, 1.0001, "double"))
        self.assertFalse(compare_tables.same_value(1, 2, "int"))


if __name__ == "__main__":
    unittest.main()
