#!/usr/bin/env python3
"""Every endpoint and every error of `marquee serve`, over real HTTP, on one
backend; and the HTTP/1.1 behaviour: keep-alive, pipelining, concurrent
clients, HEAD, limits, timeouts, graceful shutdown.

Data: two runs loaded by the real `marquee run`:
- a hand-made run (published), whose expected figures are worked out by hand
  below, from the movie list in HAND_MOVIES;
- a generated run (`marquee generate`), read with ?run=, whose expected
  figures come from the independent Python oracle (tests/e2e/oracle.py).
Every response is also checked against the served /openapi.json.
"""
import concurrent.futures
import os
import random
import signal
import socket
import subprocess
import sys
import time

from harness import (TOKEN_SECRET, Client, Failure, Marquee, OpenApi, Server, check, check_eq, claims, hs256,
                     parse_args, raw_exchange, read_raw_responses, run_suite, section)

# id | release_date | budget | revenue | popularity | genres | companies (tests/store/make_movies_csv.py)
HAND_MOVIES = """
1 | 1995-03-01 | 1000 | 5000 | 10.0 | 18:Drama,35:Comedy | 1:Alpha Films,2:alpha beta
2 | 1995-06-01 | 3    | 0    | 2.5  | 18:Drama            | 1:Alpha Films
3 | 1995-07-01 | 0    | 7    |      | 28:Action           | 3:Beta Corp,1:Alpha Films,2:alpha beta
4 | 1996-01-01 | 10   | 4    | 1.0  | 35:Comedy           | 3:Beta Corp
5 |            | 100  | 100  | 50.0 | 18:Drama            | 1:Alpha Films
6 | 1997-05-05 | 0    | 0    | 4.0  | 35:Comedy,18:Drama  | 4:100% Pictures
7 | 1998-01-01 | 0    | 0    | 1.0  | 18:Drama            | 5:100 Monkeys
"""


def year_row(year, count, wb, wr, both, budget, revenue, profit, avg):
    return {"year": year, "movie_count": count, "movies_with_budget": wb, "movies_with_revenue": wr,
            "movies_with_both": both, "budget": budget, "revenue": revenue, "profit": profit,
            "average_popularity": avg, "rating_count": None, "rating_mean": None}


def genre_year(gid, name, year, count, wb, wr, both, budget, revenue, profit, total, avg, votes, rank):
    return {"genre_id": gid, "genre_name": name, "year": year, "movie_count": count, "movies_with_budget": wb,
            "movies_with_revenue": wr, "movies_with_both": both, "budget": budget, "revenue": revenue,
            "profit": profit, "popularity_total": total, "popularity_average": avg, "vote_count_total": votes,
            "rank_by_popularity_total": rank, "rating_count": None, "rating_mean": None}


# Worked out by hand from HAND_MOVIES (every movie has vote_count 10). Movie 5
# has no release date: it counts for its company's movie_count, in no rollup.
HAND_GENRE_YEARS = [
    genre_year(18, "Drama", 1995, 2, 2, 1, 1, 1003, 5000, 4000, 12.5, 6.25, 20, 1),
    genre_year(28, "Action", 1995, 1, 0, 1, 0, 0, 7, 0, 0, None, 10, 3),
    genre_year(35, "Comedy", 1995, 1, 1, 1, 1, 1000, 5000, 4000, 10.0, 10.0, 10, 2),
    genre_year(35, "Comedy", 1996, 1, 1, 1, 1, 10, 4, -6, 1.0, 1.0, 10, 1),
    genre_year(18, "Drama", 1997, 1, 0, 0, 0, 0, 0, 0, 4.0, 4.0, 10, 1),  # ties Comedy: lower id ranks first
    genre_year(35, "Comedy", 1997, 1, 0, 0, 0, 0, 0, 0, 4.0, 4.0, 10, 2),
    genre_year(18, "Drama", 1998, 1, 0, 0, 0, 0, 0, 0, 1.0, 1.0, 10, 1),
]
HAND_MOST_POPULAR = {
    "popularity_total": [(1995, 18, 12.5), (1996, 35, 1.0), (1997, 18, 4.0), (1998, 18, 1.0)],
    "popularity_average": [(1995, 35, 10.0), (1996, 35, 1.0), (1997, 18, 4.0), (1998, 18, 1.0)],
    "movie_count": [(1995, 18, 2), (1996, 35, 1), (1997, 18, 1), (1998, 18, 1)],
    "revenue": [(1995, 18, 5000), (1996, 35, 4), (1997, 18, 0), (1998, 18, 0)],  # 1995: 18 and 35 tie at 5000
}
GENRE_NAMES = {18: "Drama", 28: "Action", 35: "Comedy"}


class Suite:
    def __init__(self, args):
        self.args = args
        self.work = args.work
        self.mq = Marquee(args.marquee, os.path.join(args.work, "data"), args.db_url)
        self.secret_file = os.path.join(args.work, "secret")
        with open(self.secret_file, "w") as f:
            f.write(TOKEN_SECRET + "\n")
        self.token = hs256(claims())
        self.server = None
        self.api = None

    def start(self, *extra):
        server = Server(self.args.marquee, self.mq.serve_args() + ["--jwt-secret-file", self.secret_file, *extra],
                        os.path.join(self.work, "serve.log"), token=self.token)
        return server

    def get(self, path, token="default", headers=None, method="GET", status=200):
        reply = self.server.get(path, token=token, headers=headers, method=method)
        if method == "GET" and self.api.template_of(path):
            self.api.check_reply(path, reply)
        elif reply.status >= 400:  # a path the document does not have: still the documented error shape
            self.api.validate(self.api.doc["components"]["schemas"]["Error"], reply.json(), f"{path} error")
        check_eq(reply.status, status, f"status of {method} {path} ({reply.body[:300]!r})")
        return reply

    def data(self, path, **kw):
        return self.get(path, **kw).json()

    def error(self, path, status, code, parameter=None, token="default", method="GET"):
        reply = self.get(path, token=token, method=method, status=status)
        body = reply.json()
        check_eq(body["error"]["code"], code, f"error code of {path}")
        check(isinstance(body["error"]["message"], str) and body["error"]["message"], f"{path}: no message")
        if parameter is not None:
            check_eq(body["error"].get("parameter"), parameter, f"parameter named by {path}")
        return reply


def load_runs(s):
    section("load a generated run and a hand-made run with `marquee run`")
    generated_csv = os.path.join(s.work, "generated.csv")
    s.mq.generate(generated_csv, 1500, 7)
    s.generated_run = s.mq.run(generated_csv)
    hand_csv = os.path.join(s.work, "hand.csv")
    subprocess.run([sys.executable, os.path.join(s.args.source_dir, "tests/store/make_movies_csv.py"), hand_csv],
                   input=HAND_MOVIES, text=True, check=True)
    s.hand_run = s.mq.run(hand_csv)
    s.generated_csv = generated_csv


def hand_endpoints(s):
    section("hand-made run: every endpoint, figures worked out by hand")
    run = s.hand_run
    page = s.get("/v1/companies")
    check_eq(page.headers.get("marquee-run"), run, "Marquee-Run header")
    check(page.headers.get("etag", "").startswith('"'), "ETag header")
    check_eq(page.json(), {"run": run, "total": 5, "limit": 50, "offset": 0, "q": None, "companies": [
        {"id": 1, "name": "Alpha Films", "movie_count": 4}, {"id": 2, "name": "alpha beta", "movie_count": 2},
        {"id": 3, "name": "Beta Corp", "movie_count": 2}, {"id": 4, "name": "100% Pictures", "movie_count": 1},
        {"id": 5, "name": "100 Monkeys", "movie_count": 1}]}, "/v1/companies")
    ids = lambda path: [c["id"] for c in s.data(path)["companies"]]
    check_eq(ids("/v1/companies?limit=2&offset=1"), [2, 3], "paging")
    check_eq(s.data("/v1/companies?limit=2&offset=1")["total"], 5, "total is independent of the page")
    check_eq(ids("/v1/companies?offset=5"), [], "past the end")
    check_eq(ids("/v1/companies?q=alpha"), [1, 2], "case-insensitive prefix search")
    check_eq(ids("/v1/companies?q=ALPHA+F"), [1], "search with a space")
    check_eq(ids("/v1/companies?q=beta"), [3], "prefix, not substring")
    check_eq(ids("/v1/companies?q=100%25"), [4], "% is a literal character")
    check_eq(ids("/v1/companies?q=_"), [], "_ is a literal character")
    check_eq(s.data("/v1/companies?q=alpha&limit=1")["total"], 2, "search total")

    check_eq(s.data("/v1/companies/1"), {"run": run, "company": {
        "id": 1, "name": "Alpha Films", "movie_count": 4, "first_year": 1995, "last_year": 1995}}, "company 1")

    alpha = {"id": 1, "name": "Alpha Films"}
    check_eq(s.data("/v1/companies/1/years"), {"run": run, "company": alpha, "attribution": "full", "years": [
        year_row(1995, 3, 2, 2, 1, 1003, 5007, 4000, 6.25)]}, "company 1 years (full)")
    # split: movie 1 has 2 companies, movie 2 one, movie 3 three: budget 1000/2 + 3 = 503,
    # revenue 5000/2 + 7/3 = 2502.33 -> 2502, profit 4000/2 = 2000.
    check_eq(s.data("/v1/companies/1/years?attribution=split")["years"],
             [year_row(1995, 3, 2, 2, 1, 503, 2502, 2000, 6.25)], "company 1 years (split)")
    check_eq(s.data("/v1/companies/2/years?attribution=split")["years"],
             [year_row(1995, 2, 1, 2, 1, 500, 2502, 2000, 10.0)], "company 2 years (split)")
    check_eq(s.data("/v1/companies/3/years")["years"],
             [year_row(1995, 1, 0, 1, 0, 0, 7, 0, None), year_row(1996, 1, 1, 1, 1, 10, 4, -6, 1.0)],
             "company 3 years")
    check_eq(s.data("/v1/companies/3/years?attribution=split&from=1995&to=1995")["years"],
             [year_row(1995, 1, 0, 1, 0, 0, 2, 0, None)], "company 3 split (7/3 -> 2)")
    check_eq(s.data("/v1/companies/3/years?from=1996")["years"][0]["year"], 1996, "from")
    check_eq(s.data("/v1/companies/3/years?to=1994")["years"], [], "to")

    check_eq(s.data("/v1/companies/1/genres"), {"run": run, "company": alpha, "years": [{"year": 1995, "genres": [
        {"genre_id": 18, "genre_name": "Drama", "movie_count": 2},
        {"genre_id": 28, "genre_name": "Action", "movie_count": 1},
        {"genre_id": 35, "genre_name": "Comedy", "movie_count": 1}]}]}, "company 1 genres")
    check_eq(s.data("/v1/companies/3/genres?from=1996&to=1996")["years"],
             [{"year": 1996, "genres": [{"genre_id": 35, "genre_name": "Comedy", "movie_count": 1}]}],
             "company 3 genres in 1996")

    check_eq(s.data("/v1/genres"), {"run": run, "genres": [
        {"id": 18, "name": "Drama", "movie_count": 5}, {"id": 28, "name": "Action", "movie_count": 1},
        {"id": 35, "name": "Comedy", "movie_count": 3}]}, "/v1/genres")

    check_eq(s.data("/v1/genres/years"), {"run": run, "genre_years": HAND_GENRE_YEARS}, "/v1/genres/years")
    check_eq(s.data("/v1/genres/years?genre=35&from=1996")["genre_years"],
             [g for g in HAND_GENRE_YEARS if g["genre_id"] == 35 and g["year"] >= 1996], "genre filter")

    for by, expected in HAND_MOST_POPULAR.items():
        body = s.data(f"/v1/genres/most-popular?by={by}")
        check_eq(body["by"], by, "by echoed")
        got = [(y["year"], y["genre_id"], y["value"]) for y in body["years"]]
        check_eq(got, expected, f"most popular by {by}")
        for y in body["years"]:
            check_eq(y["genre_name"], GENRE_NAMES[y["genre_id"]], "winner's name")
            if by in ("movie_count", "revenue"):
                check(isinstance(y["value"], int), f"{by} value is an integer")
    check_eq(s.data("/v1/genres/most-popular"), s.data("/v1/genres/most-popular?by=popularity_total"),
             "default measure")
    check_eq([y["year"] for y in s.data("/v1/genres/most-popular?from=1996&to=1997")["years"]], [1996, 1997],
             "year range")


def approx(a, b):
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def round_half_away(x):
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)


def ascii_lower(text):
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


def generated_against_oracle(s):
    section("generated run via ?run=: every endpoint against the independent oracle")
    sys.path.insert(0, os.path.join(s.args.source_dir, "tests/e2e"))
    import oracle
    result = oracle.run(s.generated_csv)
    t = result.tables
    run = s.generated_run
    q = f"run={run}"

    companies = {row[0]: row[1] for row in t["company"]}
    company_movies = {}
    for movie_id, company_id, _ in t["movie_company"]:
        company_movies[company_id] = company_movies.get(company_id, 0) + 1
    served = []
    offset = 0
    while True:
        page = s.data(f"/v1/companies?limit=1000&offset={offset}&{q}")
        check_eq(page["run"], run, "body names the requested run")
        check_eq(page["total"], len(companies), "company total")
        served += page["companies"]
        offset += 1000
        if offset >= page["total"]:
            break
    check_eq(served, [{"id": i, "name": companies[i], "movie_count": company_movies.get(i, 0)}
                      for i in sorted(companies)], "every company, paged")
    prefixes = sorted({name[:3] for name in companies.values() if name[:3].isascii() and name[:3].isalpha()})[:6]
    for prefix in prefixes + ["the", "A"]:
        expected = [i for i in sorted(companies) if ascii_lower(companies[i]).startswith(ascii_lower(prefix))]
        page = s.data(f"/v1/companies?q={prefix.upper()}&limit=1000&{q}")
        check_eq([c["id"] for c in page["companies"]], expected, f"search {prefix!r}")
        check_eq(page["total"], len(expected), f"search total {prefix!r}")

    genre_names = {row[0]: row[1] for row in t["genre"]}
    genre_movies = {}
    for _, genre_id, _ in t["movie_genre"]:
        genre_movies[genre_id] = genre_movies.get(genre_id, 0) + 1
    check_eq(s.data(f"/v1/genres?{q}")["genres"],
             [{"id": g, "name": genre_names[g], "movie_count": genre_movies.get(g, 0)} for g in sorted(genre_names)],
             "genres")

    # genre_year: genre_id, year, name, count, wb, wr, both, budget, revenue, profit, pop_total, pop_avg, votes, rank
    oracle_years = sorted(t["genre_year"], key=lambda r: (r[1], r[0]))
    served_years = s.data(f"/v1/genres/years?{q}")["genre_years"]
    check_eq(len(served_years), len(oracle_years), "genre-year rows")
    keys = ["genre_id", "year", "genre_name", "movie_count", "movies_with_budget", "movies_with_revenue",
            "movies_with_both", "budget", "revenue", "profit", "popularity_total", "popularity_average",
            "vote_count_total", "rank_by_popularity_total", "rating_count", "rating_mean"]
    for row, got in zip(oracle_years, served_years):
        for key, value in zip(keys, row):
            if key.startswith("popularity"):
                check(approx(got[key], value), f"genre_year {row[:2]} {key}: {got[key]} vs oracle {value}")
            else:
                check_eq(got[key], value, f"genre_year {row[:2]} {key}")

    for by, column in [("popularity_total", 10), ("popularity_average", 11), ("movie_count", 3), ("revenue", 8)]:
        winners = {}
        for row in oracle_years:
            value = row[column]
            if value is None:
                continue
            best = winners.get(row[1])
            if best is None or value > best[1] or (value == best[1] and row[0] < best[0]):
                winners[row[1]] = (row[0], value)
        got = s.data(f"/v1/genres/most-popular?by={by}&{q}")["years"]
        check_eq([(y["year"], y["genre_id"]) for y in got], [(y, w[0]) for y, w in sorted(winners.items())],
                 f"most popular by {by}")
        for y in got:
            check(approx(y["value"], winners[y["year"]][1]), f"most popular by {by}: value in {y['year']}")

    # company_year: company_id, year, name, count, wb, wr, both, budget, revenue, profit, b_split, r_split, p_split, avg
    by_company = {}
    for row in t["company_year"]:
        by_company.setdefault(row[0], []).append(row)
    sample = sorted(by_company, key=lambda c: (-len(by_company[c]), c))[:15] + sorted(by_company)[::97]
    for company in sample:
        rows = sorted(by_company[company], key=lambda r: r[1])
        detail = s.data(f"/v1/companies/{company}?{q}")["company"]
        check_eq((detail["name"], detail["first_year"], detail["last_year"], detail["movie_count"]),
                 (companies[company], rows[0][1], rows[-1][1], company_movies[company]), f"company {company}")
        full = s.data(f"/v1/companies/{company}/years?{q}")["years"]
        split = s.data(f"/v1/companies/{company}/years?attribution=split&{q}")["years"]
        check_eq(len(full), len(rows), f"company {company} years")
        for row, f_row, s_row in zip(rows, full, split):
            expected = year_row(row[1], *row[3:10], None)
            for key in expected:
                if key != "average_popularity":
                    check_eq(f_row[key], expected[key], f"company {company} {row[1]} {key}")
            check(approx(f_row["average_popularity"], row[13]), f"company {company} {row[1]} average_popularity")
            for key, value in [("budget", row[10]), ("revenue", row[11]), ("profit", row[12])]:
                check_eq(s_row[key], round_half_away(value), f"company {company} {row[1]} split {key} ({value})")
        genres = s.data(f"/v1/companies/{company}/genres?{q}")["years"]
        expected_genres = {}
        for c, year, genre, name, count in t["company_year_genre"]:
            if c == company:
                expected_genres.setdefault(year, []).append({"genre_id": genre, "genre_name": name, "movie_count": count})
        check_eq(genres, [{"year": y, "genres": expected_genres[y]} for y in sorted(expected_genres)],
                 f"company {company} genres")


def runs_endpoint(s):
    section("/v1/runs")
    body = s.data("/v1/runs")
    check_eq(body["run"], s.hand_run, "published run")
    listed = {r["run_id"]: r for r in body["runs"]}
    check(s.hand_run in listed and s.generated_run in listed, "both runs listed")
    check(listed[s.hand_run]["published"] and not listed[s.generated_run]["published"], "published flags")
    check_eq(listed[s.generated_run]["status"], "loaded", "older run status")
    check_eq(listed[s.hand_run]["manifest"]["counts"]["movies_kept"], 7, "manifest counts")
    # The hand-made run replaced the generated one: none of its 7 ids is a generated id (those are
    # far larger), so the diff adds all 7 and removes every generated movie (tests/diff has the details).
    # On PostgreSQL this server has only --db: no run directories to read (docs/DIFF.md).
    if s.args.backend == "sqlite":
        diff = s.get(f"/v1/runs/{s.hand_run}/diff?against={s.generated_run}").json()
        generated_movies = listed[s.generated_run]["manifest"]["counts"]["movies_kept"]
        check_eq((diff["movies"]["in_a"], diff["movies"]["in_b"], diff["movies"]["added"]), (generated_movies, 7, 7),
                 "run diff")
    else:
        reply = s.get(f"/v1/runs/{s.hand_run}/diff?against={s.generated_run}", status=404)
        check_eq(reply.json()["error"]["code"], "run_files_unavailable", "no run directories without --data-dir")
    check_eq(listed[s.hand_run]["manifest"]["diff"]["against"], s.generated_run, "the manifest's diff names the run it compared with")


def conditional_requests(s):
    section("ETag, If-None-Match and 304; HEAD")
    first = s.get("/v1/genres")
    etag = first.headers["etag"]
    again = s.get("/v1/genres", headers={"If-None-Match": etag}, status=304)
    check_eq(again.body, b"", "304 has no body")
    check_eq(again.headers.get("etag"), etag, "304 repeats the ETag")
    check_eq(again.headers.get("marquee-run"), s.hand_run, "304 names the run")
    s.get("/v1/genres", headers={"If-None-Match": f'"nope", W/{etag}'}, status=304)
    s.get("/v1/genres", headers={"If-None-Match": '"nope"'}, status=200)
    other = s.get(f"/v1/genres?run={s.generated_run}")
    check(other.headers["etag"] != etag, "another run's body has another ETag")
    s.get(f"/v1/genres?run={s.generated_run}", headers={"If-None-Match": etag}, status=200)
    head = s.server.get("/v1/genres", method="HEAD")
    check_eq(head.status, 200, "HEAD status")
    check_eq(head.body, b"", "HEAD has no body")
    check_eq(int(head.headers["content-length"]), len(first.body), "HEAD Content-Length")
    check_eq(head.headers.get("etag"), etag, "HEAD ETag")
    spec = s.server.get("/openapi.json", token=None)
    s.get("/openapi.json", token=None, headers={"If-None-Match": spec.headers["etag"]}, status=304)


def errors(s):
    section("errors: 400 naming the parameter, 401, 403, 404, 405")
    bad = [
        ("/v1/companies?limit=0", "limit"), ("/v1/companies?limit=1001", "limit"),
        ("/v1/companies?limit=abc", "limit"), ("/v1/companies?limit=1.5", "limit"),
        ("/v1/companies?offset=-1", "offset"), ("/v1/companies?offset=99999999999", "offset"),
        ("/v1/companies?q=" + "x" * 201, "q"), ("/v1/companies?sort=name", "sort"),
        ("/v1/companies?limit=5&limit=6", "limit"), ("/v1/companies/abc", "id"), ("/v1/companies/0", "id"),
        ("/v1/companies/99999999999999999999", "id"), ("/v1/companies/1/years?from=19x5", "from"),
        ("/v1/companies/1/years?to=-1", "to"), ("/v1/companies/1/years?from=2000&to=1999", "from"),
        ("/v1/companies/1/years?attribution=FULL", "attribution"), ("/v1/companies/1/genres?by=revenue", "by"),
        ("/v1/genres?from=1990", "from"), ("/v1/genres/years?genre=-4", "genre"),
        ("/v1/genres/years?genre=x", "genre"), ("/v1/genres/most-popular?by=votes", "by"),
        ("/v1/genres/most-popular?to=10000", "to"), ("/v1/genres?run=bad%21id", "run"),
        ("/v1/genres?run=" + "a" * 41, "run"), ("/v1/runs?run=x", "run"), ("/healthz?verbose=1", "verbose"),
    ]
    for path, parameter in bad:
        s.error(path, 400, "invalid_parameter", parameter)
    s.error("/v1/genres?q=%ZZ", 400, "invalid_request")
    s.error("/v1/genres?q=%C3", 400, "invalid_request")

    s.error("/v1/genres", 401, "unauthorized", token=None)
    reply = s.server.get("/v1/genres", token=None)
    check(reply.headers.get("www-authenticate", "").startswith("Bearer"), "401 carries WWW-Authenticate")
    s.error("/v1/genres", 401, "invalid_token", token="garbage")
    s.error("/v1/genres", 403, "insufficient_scope", token=hs256(claims(scope="marquee:write")))

    s.error("/v1/nothing", 404, "not_found")
    s.error("/v1/companies/", 404, "not_found")
    s.error("/v1/companies/999999", 404, "not_found")
    s.error("/v1/companies/999999/years", 404, "not_found")
    s.error("/v1/companies/999999/genres", 404, "not_found")
    s.error("/v1/genres/years?genre=999", 404, "not_found")
    s.error("/v1/genres?run=20000101T000000Z-000000", 404, "run_not_found", "run")
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        reply = s.server.get("/v1/genres", method=method)
        check_eq(reply.status, 405, f"{method} status")
        check_eq(reply.json()["error"]["code"], "method_not_allowed", f"{method} code")
        check_eq(reply.headers.get("allow"), "GET, HEAD", "Allow header")

    section("errors at the HTTP layer: 413, 431, malformed requests")
    get = lambda extra: f"GET /v1/genres HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {s.token}\r\n{extra}\r\n"
    replies = raw_exchange(s.server.port, (get("Content-Length: 100000\r\n")).encode(), 1)
    check_eq([r.status for r in replies], [413], "oversized body")
    check_eq(replies[0].json()["error"]["code"], "payload_too_large", "413 code")
    replies = raw_exchange(s.server.port, get("X-Filler: " + "a" * 20000 + "\r\n").encode(), 1)
    check_eq([r.status for r in replies], [431], "oversized headers")
    check_eq(replies[0].json()["error"]["code"], "headers_too_large", "431 code")
    check_eq([r.status for r in raw_exchange(s.server.port, b"HELLO\r\n\r\n", 1)], [400], "not HTTP")
    check_eq([r.status for r in raw_exchange(s.server.port, b"GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n", 1)],
             [400], "malformed header line")
    check_eq(s.server.get("/healthz", token=None).status, 200, "still serving after bad input")


def robustness(s):
    section("random and hostile input: never a 5xx, never a crash")
    rng = random.Random(5)
    pieces = list("abc/?&=%+.-_~019") + ["%00", "%ff", "%C3%A9", "%", "..", "//", "{id}", "\x7f", "run=", "limit=",
                                          "q=", "from=", "by=", "\xc3", "\xff", "#", ";", "*"]
    bases = ["/v1/companies", "/v1/companies/1/years", "/v1/genres/most-popular", "/v1/genres/years", "/v1/runs",
             "/healthz", "/", ""]
    auth = f"Authorization: Bearer {s.token}\r\n"
    for _ in range(250):
        target = rng.choice(bases) + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        request = b"GET " + target.encode("latin-1", "replace") + b" HTTP/1.1\r\nHost: x\r\n" + auth.encode() + b"\r\n"
        replies = raw_exchange(s.server.port, request, 1)
        check(not replies or replies[0].status < 500, f"{target!r}: {replies}")
        if replies and replies[0].status >= 400:
            check("error" in replies[0].json(), f"{target!r}: error body")
    for size in (1, 7, 100, 5000):
        with socket.create_connection(("127.0.0.1", s.server.port), timeout=5) as sock:
            try:  # the server may answer 400 and close before all of it is sent
                sock.sendall(bytes(rng.getrandbits(8) for _ in range(size)) + b"\r\n\r\n")
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                data = b""
            check(data == b"" or data.startswith(b"HTTP/1.1 4"), f"garbage answered with {data[:40]!r}")
    long_target = "/v1/companies?q=" + "a" * 12000
    replies = raw_exchange(s.server.port, f"GET {long_target} HTTP/1.1\r\n{auth}\r\n".encode(), 1)
    check_eq(replies[0].status, 400, "a 12 KB target: q too long")
    check_eq(s.server.get("/healthz", token=None).status, 200, "alive after all of it")


def no_published_run(s):
    section("503 when no run is published (a migrated, empty database)")
    empty = Marquee(s.args.marquee, os.path.join(s.work, "empty"), s.args.empty_db_url)
    os.makedirs(empty.data_dir, exist_ok=True)
    empty.cli("migrate", *empty.store_args())
    server = Server(s.args.marquee, empty.serve_args() + ["--jwt-secret-file", s.secret_file],
                    os.path.join(s.work, "serve-empty.log"), token=s.token)
    try:
        for path in ("/v1/genres", "/v1/companies/1", "/v1/genres/most-popular"):
            reply = server.get(path)
            check_eq(reply.status, 503, f"{path} without a published run")
            check_eq(reply.json()["error"]["code"], "no_run_published", "503 code")
            s.api.check_reply(path, reply)
        reply = server.get("/readyz", token=None)
        check_eq(reply.status, 503, "/readyz without a published run")
        s.api.check_reply("/readyz", reply)
        check_eq(server.get("/healthz", token=None).status, 200, "/healthz still 200")
        check_eq(server.get("/v1/runs").json(), {"run": None, "runs": []}, "/v1/runs on an empty database")
    finally:
        check_eq(server.stop(), 0, "exit code")


def protocol(s):
    section("keep-alive, pipelining, HTTP/1.0, concurrent clients")
    paths = ["/v1/genres", "/v1/companies?limit=3", "/v1/companies/1/years", "/v1/genres/most-popular",
             "/v1/companies/2", "/healthz", "/v1/genres/years?from=1996", "/v1/companies/1/genres"]
    expected = {p: s.server.get(p).body for p in paths}
    auth = f"Authorization: Bearer {s.token}\r\n"

    with socket.create_connection(("127.0.0.1", s.server.port), timeout=10) as sock, sock.makefile("rb") as f:
        for p in paths * 2:  # one connection, request after request
            sock.sendall(f"GET {p} HTTP/1.1\r\nHost: x\r\n{auth}\r\n".encode())
            reply = read_raw_responses(f, 1)[0]
            check_eq(reply.body, expected[p], f"keep-alive reply to {p}")
            check(reply.headers.get("connection", "").lower() != "close", "connection kept open")

    burst = "".join(f"GET {p} HTTP/1.1\r\nHost: x\r\n{auth}\r\n" for p in paths)
    replies = raw_exchange(s.server.port, burst.encode(), len(paths))
    check_eq([r.body for r in replies], [expected[p] for p in paths], "pipelined replies, in order")

    replies = raw_exchange(s.server.port, f"GET /v1/genres HTTP/1.0\r\n{auth}\r\n".encode(), 2)
    check_eq(len(replies), 1, "HTTP/1.0: one reply, then close")
    check_eq(replies[0].body, expected["/v1/genres"], "HTTP/1.0 reply")
    replies = raw_exchange(s.server.port, f"GET /v1/genres HTTP/1.1\r\nConnection: close\r\n{auth}\r\n"
                                          f"GET /healthz HTTP/1.1\r\n\r\n".encode(), 2)
    check_eq(len(replies), 1, "Connection: close is honoured")

    def client_work(n):
        client = Client(s.server.port, s.token)
        try:
            for i in range(40):
                p = paths[(n + i) % len(paths)]
                reply = client.request(p)
                if reply.status != 200 or reply.body != expected[p]:
                    return f"{p}: {reply.status}"
            return None
        finally:
            client.close()

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        problems = [p for p in pool.map(client_work, range(16)) if p]
    check_eq(problems, [], "16 concurrent keep-alive clients x 40 requests")


def timeouts(s):
    section("idle and read timeouts close connections")
    with socket.create_connection(("127.0.0.1", s.server.port), timeout=10) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        with sock.makefile("rb") as f:
            check_eq(read_raw_responses(f, 1)[0].status, 200, "first request")
            start = time.monotonic()
            check_eq(f.read(1), b"", "idle connection closed by the server")
            waited = time.monotonic() - start
            check(0.5 < waited < 5, f"closed after the 1s idle timeout (took {waited:.2f}s)")
    with socket.create_connection(("127.0.0.1", s.server.port), timeout=10) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finished
        start = time.monotonic()
        check_eq(sock.recv(100), b"", "half-sent request cut off")
        waited = time.monotonic() - start
        check(1.5 < waited < 6, f"cut off after the 2s read timeout (took {waited:.2f}s)")


def connection_limit(s):
    section("--max-connections: connections beyond the limit are closed at once; freed slots are reused")
    server = s.start("--max-connections", "2", "--idle-timeout", "30s")
    held = []
    try:
        request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        for i in range(2):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            sock.sendall(request)
            reply = read_raw_responses(sock.makefile("rb"), 1)[0]
            check_eq(reply.status, 200, f"connection {i + 1} of 2 served")
            held.append(sock)
        extra = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        try:
            extra.sendall(request)
            refused = extra.recv(100)
        except (ConnectionResetError, BrokenPipeError):
            refused = b""
        check_eq(refused, b"", "a third connection is closed without an answer")
        extra.close()
        held.pop().close()
        # The freed slot is reused once the server has seen the close.
        deadline = time.monotonic() + 5
        served = False
        while not served and time.monotonic() < deadline:
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            try:
                sock.sendall(request)
                served = sock.recv(12).startswith(b"HTTP/1.1 200")
            except (ConnectionResetError, BrokenPipeError):
                pass
            sock.close()
            if not served:
                time.sleep(0.05)
        check(served, "a new connection is served once one of the two has closed")
    finally:
        for sock in held:
            sock.close()
        check_eq(server.stop(), 0, "exit code")


def metrics(s):
    section("/metrics")
    text = s.get("/metrics", token=None).body.decode()
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    check(values.get('marquee_http_requests_total{route="/v1/genres",status="200"}', 0) >= 5, "200s counted")
    check(values.get('marquee_http_requests_total{route="/v1/companies",status="400"}', 0) >= 5, "400s counted")
    check(values.get('marquee_http_requests_total{route="unmatched",status="404"}', 0) >= 2, "404s counted")
    check(values.get('marquee_http_requests_total{route="/v1/genres",status="405"}', 0) >= 5, "405s counted")
    check(values.get('marquee_http_request_duration_seconds_count{route="/v1/genres"}', 0) >= 5, "histogram")
    check('marquee_http_request_duration_seconds_bucket{route="/v1/genres",le="+Inf"}' in values, "+Inf bucket")
    check(values.get('marquee_cache_hits_total{layer="memory"}', 0) > 100, "memory cache hits")
    check(values.get('marquee_cache_misses_total{layer="memory"}', 0) > 10, "memory cache misses")
    check_eq(values.get(f'marquee_current_run_info{{run_id="{s.hand_run}"}}'), 1.0, "current run")
    check(values.get('marquee_auth_failures_total{reason="missing"}', 0) >= 1, "auth failures")
    check(values.get("marquee_cache_bytes", 0) > 0, "cache bytes")


def openapi_coverage(s):
    section("every documented route answered, each response matching its schema")
    for template in s.api.doc["paths"]:
        if template == "/v1/runs/{id}/diff" and s.args.backend != "sqlite":
            continue  # needs run directories: answered 200 on SQLite here, and in tests/diff
        check((template, 200) in s.api.seen, f"{template} was never answered 200 in this suite")


def graceful_shutdown(s):
    section("SIGTERM: finish the request in flight, close idle connections, exit 0")
    idle = socket.create_connection(("127.0.0.1", s.server.port), timeout=10)
    busy = socket.create_connection(("127.0.0.1", s.server.port), timeout=10)
    busy.sendall(f"GET /v1/genres HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {s.token}\r\n".encode())
    time.sleep(0.2)
    s.server.process.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    check_eq(idle.recv(10), b"", "idle connection closed at shutdown")
    busy.sendall(b"\r\n")  # the rest of the request in flight
    with busy.makefile("rb") as f:
        replies = read_raw_responses(f, 1)
    check_eq([r.status for r in replies], [200], "in-flight request answered")
    check_eq(replies[0].headers.get("connection", "").lower(), "close", "answered with Connection: close")
    # One SIGTERM only: the server must exit 0 by itself (stop() would signal
    # again if it had not exited yet).
    check_eq(s.server.wait_exit(timeout=15), 0, "exit code after SIGTERM")
    try:
        socket.create_connection(("127.0.0.1", s.server.port), timeout=2).close()
        raise Failure("still accepting connections after shutdown")
    except ConnectionRefusedError:
        pass
    idle.close()
    busy.close()


def main():
    args = parse_args()
    s = Suite(args)
    load_runs(s)
    s.server = s.start("--idle-timeout", "1s", "--read-timeout", "2s")
    try:
        s.api = OpenApi(s.server.get("/openapi.json", token=None).json())
        s.get("/openapi.json", token=None)
        s.server.wait_ready()
        check_eq(s.data("/healthz", token=None), {"status": "ok"}, "/healthz")
        check_eq(s.data("/readyz", token=None)["run"], s.hand_run, "/readyz names the published run")
        hand_endpoints(s)
        generated_against_oracle(s)
        runs_endpoint(s)
        conditional_requests(s)
        errors(s)
        robustness(s)
        protocol(s)
        timeouts(s)
        connection_limit(s)
        metrics(s)
        openapi_coverage(s)
        no_published_run(s)
        graceful_shutdown(s)
    except Failure:
        sys.stderr.write("--- serve log ---\n" + s.server.stderr()[-3000:] + "\n")
        raise
    finally:
        s.server.kill()


if __name__ == "__main__":
    run_suite(main)
