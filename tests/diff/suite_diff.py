#!/usr/bin/env python3
"""`marquee diff`, the manifest's diff and GET /v1/runs/{id}/diff on hand-made
runs whose differences are known: every expected figure below is worked out
by hand from the two movie lists, not taken from Marquee's output.
  suite_diff.py --marquee BIN --work DIR"""
import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "api"))
from harness import Failure, Server, check, check_eq, claims, hs256, section  # noqa: E402

# id | release_date | budget | revenue | popularity | genres | companies (tests/store/make_movies_csv.py)
RUN_A = """
1 | 1995-03-01 | 1000 | 5000 | 10.0 | 18:Drama  | 1:Alpha,2:Beta
2 | 1995-06-01 | 300  | 0    | 2.5  | 18:Drama  | 1:Alpha
3 | 1996-07-01 | 0    | 7    |      | 28:Action | 2:Beta
4 | 1997-01-01 | 10   | 40   | 1.0  | 35:Comedy | 3:Gamma
4 | 1997-01-01 | 20   | 40   | 1.0  | 35:Comedy | 3:Gamma
"""
# Against A: movie 2's budget 300 -> 350; movie 3 removed; movie 4's first
# occurrence now has budget 20 (the duplicate that became the first); movie 5
# added (new genre 99, new company 4); company 1 renamed Alpha -> Alpha Films.
RUN_B = """
1 | 1995-03-01 | 1000 | 5000 | 10.0 | 18:Drama  | 1:Alpha Films,2:Beta
2 | 1995-06-01 | 350  | 0    | 2.5  | 18:Drama  | 1:Alpha Films
4 | 1997-01-01 | 20   | 40   | 1.0  | 35:Comedy | 3:Gamma
4 | 1997-01-01 | 10   | 40   | 1.0  | 35:Comedy | 3:Gamma
5 | 1998-01-01 | 5    | 6    | 3.0  | 99:Documentary | 4:Delta
"""


def make_csv(path, spec):
    subprocess.run([sys.executable, os.path.join(HERE, "..", "store", "make_movies_csv.py"), path],
                   input=spec, text=True, check=True)


def marquee(args, *argv, expect=0):
    out = subprocess.run([args.marquee, *argv], capture_output=True, text=True, timeout=120)
    check_eq(out.returncode, expect, f"marquee {' '.join(argv[:2])} ({out.stderr[-400:]})")
    return out.stdout


def run(args, data, csv_path, *extra):
    out = marquee(args, "run", csv_path, "--data-dir", data, *extra)
    return out.strip().splitlines()[-1].split()[1]


def check_known_pair(d, a, b):
    section("movies, companies, genres: every figure as worked out by hand")
    m = d["movies"]
    check_eq((d["run_a"], d["run_b"]), (a, b), "runs")
    check_eq((m["in_a"], m["in_b"], m["added"], m["removed"], m["changed"], m["unchanged"]), (4, 4, 1, 1, 2, 1), "movie counts")
    check_eq((m["added_examples"], m["removed_examples"], m["changed_examples"]), ([5], [3], [2, 4]), "movie ids")
    check_eq(m["columns"], [{"column": "budget", "movies": 2, "examples": [
        {"id": 2, "before": "300", "after": "350"}, {"id": 4, "before": "10", "after": "20"}]}], "changed columns")
    c = d["companies"]
    check_eq((c["in_a"], c["in_b"], c["added"], c["removed"], c["renamed"]), (3, 4, 1, 0, 1), "company counts")
    check_eq(c["renamed_examples"], [{"id": 1, "before": "Alpha", "after": "Alpha Films"}], "renamed company")
    check_eq(c["added_examples"], [4], "added company")
    g = d["genres"]
    check_eq((g["added"], g["removed"], g["renamed"], g["added_examples"], g["removed_examples"]), (1, 1, 0, [99], [28]), "genres")

    section("rollups that moved most, largest |delta| first")
    budget = [(r["company_id"], r["year"], r["before"], r["after"], r["delta"]) for r in d["rollups"]["company_year"]["budget"]]
    # (1, 1995): 1000 + 300 -> 1000 + 350; (3, 1997): the first movie 4 now
    # has budget 20; (4, 1998) is new; (2, 1996) held only movie 3 (budget 0).
    check_eq(budget, [(1, 1995, 1300, 1350, 50), (3, 1997, 10, 20, 10), (4, 1998, None, 5, 5), (2, 1996, 0, None, 0)],
             "company_year budget")
    revenue = [(r["genre_id"], r["year"], r["before"], r["after"], r["delta"]) for r in d["rollups"]["genre_year"]["revenue"]]
    check_eq(revenue, [(28, 1996, 7, None, -7), (99, 1998, None, 6, 6)], "genre_year revenue")
    profit = [(r["genre_id"], r["year"], r["delta"]) for r in d["rollups"]["genre_year"]["profit"]]
    check_eq(profit[0], (35, 1997, -10), "genre_year profit: 40 - 10 -> 40 - 20")
    check_eq(d["empty"], False, "not empty")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--marquee", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    data = os.path.join(args.work, "data")
    a_csv, b_csv = os.path.join(args.work, "a.csv"), os.path.join(args.work, "b.csv")
    make_csv(a_csv, RUN_A)
    make_csv(b_csv, RUN_B)
    a = run(args, data, a_csv)
    b = run(args, data, b_csv)

    d = json.loads(marquee(args, "diff", a, b, "--data-dir", data, "--format", "json"))
    check_known_pair(d, a, b)

    section("a run against itself: empty; text output says so")
    same = json.loads(marquee(args, "diff", b, b, "--data-dir", data, "--format", "json"))
    check_eq((same["empty"], same["movies"]["changed"], same["movies"]["unchanged"]), (True, 0, 4), "self diff")
    check("no differences" in marquee(args, "diff", b, b, "--data-dir", data), "text says no differences")
    check("budget: 2 movies changed" in marquee(args, "diff", a, b, "--data-dir", data), "text lists the column")
    marquee(args, "diff", a, "nonexistent", "--data-dir", data, expect=2)

    section("the manifest of run B carries the counts against run A")
    manifest = json.load(open(os.path.join(data, "runs", b, "manifest.json")))
    check_eq(manifest["diff"], {"against": a, "movies_added": 1, "movies_removed": 1, "movies_changed": 2,
                                "companies_added": 1, "companies_removed": 0, "companies_renamed": 1,
                                "genres_added": 1, "genres_removed": 1, "genres_renamed": 0}, "manifest diff")
    check("diff" not in json.load(open(os.path.join(data, "runs", a, "manifest.json"))), "no diff without a published run")

    section("corrections: the diff shows exactly the corrected movies")
    fix_csv, delete_ids = os.path.join(args.work, "fix.csv"), os.path.join(args.work, "delete.txt")
    make_csv(fix_csv, "2 | 1995-06-01 | 999 | 0 | 2.5 | 18:Drama | 1:Alpha Films\n")
    with open(delete_ids, "w") as f:
        f.write("1\n")
    c = run(args, data, fix_csv, "--base", "published", "--delete-ids", delete_ids)
    fixed = json.loads(marquee(args, "diff", b, c, "--data-dir", data, "--format", "json"))["movies"]
    check_eq((fixed["added"], fixed["removed"], fixed["changed"], fixed["removed_examples"], fixed["changed_examples"]),
             (0, 1, 1, [1], [2]), "corrections diff")
    check_eq([(x["column"], x["examples"]) for x in fixed["columns"]],
             [("budget", [{"id": 2, "before": "350", "after": "999"}])], "only the budget of movie 2 changed")

    section("GET /v1/runs/{id}/diff: the same document, cached, with clear errors")
    secret = "diff-suite-secret-0123456789abcdef0123456789"
    with open(os.path.join(args.work, "secret"), "w") as f:
        f.write(secret)
    token = hs256(claims(), secret=secret)
    server = Server(args.marquee, ["--data-dir", data, "--jwt-secret-file", os.path.join(args.work, "secret")],
                    os.path.join(args.work, "serve.log"), token=token)
    try:
        server.wait_ready()
        reply = server.get(f"/v1/runs/{b}/diff?against={a}")
        check_eq(reply.status, 200, "diff route")
        check_eq(reply.json(), d, "the API's document = marquee diff --format json")
        check_eq(reply.headers.get("marquee-run"), b, "Marquee-Run names the newer run")
        again = server.get(f"/v1/runs/{b}/diff?against={a}", headers={"If-None-Match": reply.headers["etag"]})
        check_eq(again.status, 304, "ETag revalidation")
        check_eq(server.get(f"/v1/runs/{b}/diff").status, 400, "against is required")
        check_eq(server.get(f"/v1/runs/{b}/diff?against=20200101T000000Z-000000").json()["error"]["code"],
                 "run_not_found", "unknown run")
        check_eq(server.get(f"/v1/runs/{b}/diff?against={a}", token=None).status, 401, "token required")
        check_eq(server.stop(), 0, "serve exit code")
    finally:
        server.kill()
    print("diff suite passed")


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        print(f"FAIL: {e}")
        sys.exit(1)
