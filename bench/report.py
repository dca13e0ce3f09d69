#!/usr/bin/env python3
"""Turns bench/run.sh's results into docs/BENCHMARKS.md.

usage: report.py RESULTS_DIR OUT.md SECONDS
Every figure is the median of its runs with [min, max]; ratios are to the
baselines measured in the same run of the suite.
"""
import datetime
import json
import os
import statistics
import sys

results_dir, out_path, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3])
index = [json.loads(line) for line in open(os.path.join(results_dir, "index.jsonl"))]
machine = json.load(open(os.path.join(results_dir, "machine.json")))


def spread(values, fmt="{:.3f}"):
    return f"{fmt.format(statistics.median(values))} [{fmt.format(min(values))}, {fmt.format(max(values))}]"


def seconds_cell(times):
    median = statistics.median(times)
    if median < 1:
        return spread([t * 1000 for t in times], "{:.1f}") + " ms"
    return spread(times, "{:.2f}") + " s"


def median_of(section_prefix, command):
    for entry in index:
        if "json" in entry and entry["section"].startswith(section_prefix):
            for r in json.load(open(os.path.join(results_dir, entry["json"])))["results"]:
                if r["command"] == command:
                    return statistics.median(r["times"])
    return None


lines = []
w = lines.append
w("# Benchmarks")
w("")
w(f"Written by `bench/run.sh` on {datetime.date.today().isoformat()} (the whole suite took {seconds // 60} min "
  f"{seconds % 60} s). Every figure is the **median [min, max]** of its runs, whole processes from start "
  "to exit, input in the page cache; baselines are measured in the same run on the same files. Rerun "
  "with `bench/run.sh` (see the README).")
w("")
w("## Machine")
w("")
w("| CPU | cores | memory | kernel | OS | load average before the suite |")
w("|---|---|---|---|---|---|")
w(f"| {machine['cpu']} | {machine['cores']} | {machine['memory_gib']} GiB | {machine['kernel']} | "
  f"{machine['os']} | {' '.join(machine['load_before'])} |")
w("")
w("Other processes on the machine share its cores: the load average above says how busy it was "
  "when the suite began.")
targets_at = len(lines)  # the targets summary goes here, once every figure is known

# ---- timed sections ---------------------------------------------------------------------

def timed_section(entry, baseline_name="wc -l"):
    data = json.load(open(os.path.join(results_dir, entry["json"])))
    results = data["results"]
    bytes_ = entry.get("bytes", 0)
    base = next((r for r in results if r["command"] == baseline_name), None)
    base_median = statistics.median(base["times"]) if base else None
    w("")
    w(f"### {entry['section']}")
    w("")
    columns = ["command", "time"] + (["MB/s"] if bytes_ else []) + ([f"time / `{baseline_name}`"] if base else [])
    w("| " + " | ".join(columns) + " |")
    w("|" + "---|" * len(columns))
    for r in results:
        times = r["times"]
        cells = [r["command"], seconds_cell(times)]
        if bytes_:
            cells.append(f"{bytes_ / 1e6 / statistics.median(times):.0f}")
        if base:
            cells.append("1" if r is base else f"{statistics.median(times) / base_median:.1f}x")
        w("| " + " | ".join(cells) + " |")
    if bytes_:
        w("")
        w(f"Input: {bytes_ / 1e6:.1f} MB. MB/s = input bytes / median time.")


etl = [e for e in index if "json" in e and e["section"].startswith("etl")]
w("")
w("## ETL: `marquee etl`")
w("")
w("How the job is built for speed (src/job/batch_pipeline.hpp, src/job/etl_job.cpp): a reader thread "
  "cuts the input into 64 KiB batches of records (the RFC 4180 reader, repair and resync unchanged). "
  "The byte-level scan stays on that one thread on purpose: it runs at about 3 GB/s (BM_Reader below), a "
  "small share of the job, and because it always knows whether it is inside quotes, batches end at "
  "record boundaries by construction, line breaks in quoted fields included, with no speculative "
  "quote-parity chunking to get wrong. What runs in parallel is the costly parsing: fields, numbers, "
  "literals and validation: validation threads take batches in any order, into reused Movie objects, with an allocation-free "
  "fast path for the literal columns (src/literal/flat_dicts.hpp); then ordered stages, each on a "
  "thread of its own, see batches strictly in input order: duplicates, first names, the error log and "
  "the rollups; the movie table; the bridge tables. Everything that depends on order stays sequential, "
  "so the output is the same byte for byte whatever the number of threads (src/job/parallel_etl_test.cpp "
  "checks 1 to 4). Open-addressing tables hold the id index and the rollups; company_year_genre is "
  "counted by radix-sorting batches of keys. Parquet pages are compressed on a pool of threads "
  "beside the table writers (src/parquet/compression_pool.hpp) and assembled in order, and the three "
  "rollup tables are written at once, beside the model's last row groups. Validation and compression "
  "run at a lower priority (nice +10, src/common/thread_role.hpp), so the serial stages (the reader, "
  "the ordered stages) never wait for a core. The files are fsynced together at the end. Memory is "
  "bounded by the batches in flight, the pages queued for compression and the open row groups, plus "
  "the id index, the dimensions and the rollups.")
w("")
w("`marquee etl INPUT --out DIR` validates every record and writes the 13 tables (Parquet, zstd, unless "
  "`--format csv`), errors.jsonl and manifest.json, all fsynced. Default threads: one per core; the "
  "output is the same byte for byte whatever the number. `wc -l` on the same file is the floor: reading "
  "the bytes once. The DuckDB line is a fair but much smaller job: DuckDB (all cores) reads the CSV, casts "
  "budget/revenue/popularity/date, pulls genre ids out of the literal with a regular expression and "
  "computes one rollup (genre_year's sums) in SQL. It does not validate or reject rows, repair split "
  "records, resync after a stray quote, drop duplicate ids, parse the literals (names, escapes, "
  "salvage), keep an error log, build the normalized tables or the other rollups, or write files "
  "(bench/duckdb_genre_year.mjs).")
for entry in etl:
    timed_section(entry)

rss = [e for e in index if e.get("section") == "peak_rss"]
if rss:
    w("")
    w("### Peak memory (one run each)")
    w("")
    w("| run | peak RSS |")
    w("|---|---|")
    for e in rss:
        w(f"| {e['name']} | {e['kib'] / 1024:.0f} MiB |")


# ---- profile and memory growth (issue 11) --------------------------------------------------

STAGES = {
    "marquee-read": "reader: bytes, RFC 4180 records, repair and resync, SHA-256 of the input",
    "marquee-check": "validation (any order, one thread per core): fields, numbers, dates, the literals",
    "marquee": "ordered stage 0: error log, counts, duplicate ids, dimensions, rollup sums",
    "marquee-stage1": "ordered stage 1: movie table rows, Parquet encoding",
    "marquee-stage2": "ordered stage 2: bridge table rows, Parquet encoding",
    "marquee-compres": "Parquet page compression pool (zstd)",
    "marquee-finish": "end: dimension and rollup tables, sorted and written",
}
profile = [e for e in index if e.get("section") == "profile"]
if profile:
    w("")
    w("### Where the CPU goes, per stage")
    w("")
    records = profile[0]["records"]
    w(f"`perf record -e cpu-clock` of one `marquee etl` of the real-shaped input ({records:,} records), "
      "samples grouped by thread (every stage runs on threads named after it) and by library. Shares "
      "of the process's CPU time, all threads together.")
    for e in profile:
        w("")
        if e["by"] == "comm":
            w("| thread | what it does | share of CPU |")
            w("|---|---|---|")
            for name, share in sorted(e["shares"].items(), key=lambda kv: -kv[1]):
                w(f"| {name} | {STAGES.get(name, '')} | {share:.1f}% |")
        else:
            w("| library | share of CPU |")
            w("|---|---|")
            for name, share in sorted(e["shares"].items(), key=lambda kv: -kv[1]):
                if share >= 0.5:
                    w(f"| {name} | {share:.1f}% |")

growth = [e for e in index if e.get("section") == "memory_growth"]
if growth:
    w("")
    w("### Peak memory as the input grows")
    w("")
    w("`marquee etl` of real-shaped inputs (bench/scale_sample.py; \"company offset\" 2 gives every other "
      "copy new company ids, 1 every copy). One run each.")
    w("")
    w("| copies | company offset | movies | companies | company-years | peak RSS |")
    w("|---|---|---|---|---|---|")
    for e in growth:
        w(f"| {e['copies']} | {e['company_every']} | {e['movies']:,} | {e['companies']:,} | "
          f"{e['company_years']:,} | {e['kib'] / 1024:.0f} MiB |")
    # Marginal costs between the two largest inputs with the usual company mix,
    # and between the two company mixes at the largest size. Below about 1000
    # copies the Parquet writers' fixed buffers (up to about 150 MiB) are still
    # filling, so slopes measured there over-state the growth.
    usual = sorted((e for e in growth if e["company_every"] == 2), key=lambda e: e["copies"])
    if len(usual) >= 2:
        a, b = usual[-2], usual[-1]
        many = next((e for e in growth if e["company_every"] == 1 and e["copies"] == b["copies"]), None)
        w("")
        w(f"Between {a['copies']} and {b['copies']} copies: "
          f"{(b['kib'] - a['kib']) / 1024 / ((b['movies'] - a['movies']) / 1e6):.0f} MiB more per million more movies "
          f"(with their companies in the usual mix).")
        if many is not None and many["companies"] != b["companies"]:
            per_company = (many["kib"] - b["kib"]) / 1024 / ((many["companies"] - b["companies"]) / 1e6)
            w(f"At {b['copies']} copies, giving every copy companies of its own: "
              f"{per_company:.0f} MiB more per million more companies (each brings its company-years too).")
            if b["copies"] >= 1000:
                at = b["kib"] / 1024 + per_company * (2.5 - b["companies"] / 1e6)
                w(f"Interpolated for {b['movies'] / 1e6:.1f} million movies and 2.5 million companies: {at:.0f} MiB.")
        if b["copies"] < 1000:
            w("")
            w("These inputs are small enough that fixed buffers still fill as they grow: run with "
              "`BENCH_HUGE=1` for the 1000x figures the growth is judged on.")

# ---- load ---------------------------------------------------------------------------------

loads = [e for e in index if "json" in e and ("load" in e["section"] or e["section"].startswith("marquee run"))
         and not e["section"].startswith("load real-shaped")]
load_real = [e for e in index if "json" in e and e["section"].startswith("load real-shaped")]
retires = [e for e in index if e.get("section") == "retire"]
w("")
w("## Load into the database")
w("")
w("`marquee load RUN_DIR` loads a run's Parquet tables into a fresh database (SQLite, or PostgreSQL "
  "with COPY); publishing is one short transaction afterwards. `marquee run` is the whole pipeline: "
  "ETL, load and publish. The PostgreSQL server is the test suites' throw-away one "
  "(tests/lib/postgres.sh), which runs with fsync=off.")
if not loads:
    w("")
    w("Not yet measured (see below).")
for entry in loads:
    timed_section(entry)

if load_real:
    w("")
    w("Issue 11's target: `marquee run` (ETL, load, publish, retention) at most 1.5x `marquee etl` alone, on "
      "the real-shaped input, in the same section (a fresh data directory, and database, before every run). "
      "SQLite writes each run into a file of its own with no journal and builds its indexes after the rows "
      "(docs/STORAGE.md); PostgreSQL copies the tables on up to four sessions at once into plain tables, "
      "builds their indexes after the rows, and attaches them in one transaction.")
for entry in load_real:
    timed_section(entry, baseline_name="marquee etl (Parquet)")
if retires:
    w("")
    w("Retiring a run of that size (the second of two runs with `--keep 1`, as the job reports it): " +
      ", ".join(f"{e['name']} {e['ms']} ms" for e in retires) + ".")

# The 100x loads are timed as whole `marquee run`s; the ETL alone was timed above.
etl_100x = median_of("etl 100x", "marquee etl (Parquet)")
derived = []
for backend in ("PostgreSQL", "SQLite"):
    run = median_of(f"marquee run 100x into {backend}", "marquee run")
    if run is not None and etl_100x is not None:
        derived.append(f"| {backend} | {run:.0f} s | {etl_100x:.1f} s | {run - etl_100x:.0f} s |")
if derived:
    w("")
    w("### 100x: load and publish, derived")
    w("")
    w("| database | `marquee run` (ETL + load + publish) | `marquee etl` alone (median above) | load + publish |")
    w("|---|---|---|---|")
    for line in derived:
        w(line)

# ---- API ----------------------------------------------------------------------------------

api = [e for e in index if e.get("section") == "api" and "name" in e]
w("")
w("## API: `marquee serve` under wrk")
w("")
if not api:
    w("Not yet measured (see below).")
else:
    w("wrk, 2 threads, 32 connections, on loopback, a valid JWT on every request; 3 runs each. "
      "The cached route is answered from the in-process response cache; the uncached one asks for a "
      "random company and year each time, so nearly every request goes to the database (SQLite). "
      "nginx serves the cached route's exact JSON body as a static file, in the same run: the limit "
      "of this machine for a tiny HTTP response.")
    w("")
    w("| server, route | requests/s | p50 | p99 | requests/s vs nginx | errors |")
    w("|---|---|---|---|---|---|")
    names = list(dict.fromkeys(e["name"] for e in api))
    nginx = [e["rps"] for e in api if e["name"].startswith("nginx")]
    for name in names:
        runs = [e for e in api if e["name"] == name]
        rps = [e["rps"] for e in runs]
        ratio = f"{statistics.median(rps) / statistics.median(nginx):.2f}" if nginx else "-"
        w(f"| {name} | {spread(rps, '{:.0f}')} | {spread([e['p50_us'] / 1000 for e in runs], '{:.2f}')} ms | "
          f"{spread([e['p99_us'] / 1000 for e in runs], '{:.2f}')} ms | {ratio} | "
          f"{sum(e['errors'] for e in runs)} |")

# ---- micro-benchmarks -------------------------------------------------------------------------

w("")
w("## Micro-benchmarks (Google Benchmark, 3 repetitions)")
w("")
w("Beside the code they measure (`src/<stage>/*_bench.cpp`); one thread. Throughput as reported by "
  "each benchmark: bytes/s of input, or items/s (records, values).")
for name in sorted(f for f in os.listdir(results_dir) if f.startswith("micro_")):
    data = json.load(open(os.path.join(results_dir, name)))
    runs = {}
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate":
            continue
        runs.setdefault(b["run_name"], []).append(b)
    w("")
    w(f"### {name[len('micro_'):-len('.json')]}")
    w("")
    w("| benchmark | time per iteration | bytes/s | items/s |")
    w("|---|---|---|---|")
    for run_name, reps in runs.items():
        unit = reps[0].get("time_unit", "ns")
        cpu = spread([r["cpu_time"] for r in reps], "{:.3g}") + f" {unit}"
        bps = spread([r["bytes_per_second"] / 1e6 for r in reps], "{:.0f}") + " MB/s" if "bytes_per_second" in reps[0] else ""
        ips = spread([r["items_per_second"] / 1e6 for r in reps], "{:.2f}") + " M/s" if "items_per_second" in reps[0] else ""
        label = f" ({reps[0]['label']})" if reps[0].get("label") else ""
        w(f"| {run_name}{label} | {cpu} | {bps} | {ips} |")

# ---- targets ------------------------------------------------------------------------------

targets = []
head = median_of("etl real sample", "marquee etl (Parquet)")
if head is not None:
    targets.append(("real sample (4,627 records) in under 50 ms", f"{head * 1000:.1f} ms", head < 0.05))
big = median_of("etl 100x", "marquee etl (Parquet)")
if big is not None:
    targets.append(("100x (4.5 M movies) to Parquet in under 15 s", f"{big:.1f} s", big < 15))
for e in rss:
    if "100x" in e["name"]:
        targets.append(("peak RSS at 100x under 1 GiB", f"{e['kib'] / 1024:.0f} MiB", e["kib"] < 2**20))
for e in growth:
    if e["copies"] == 1000:
        targets.append((f"peak RSS at 1000x real-shaped ({e['movies']:,} movies, {e['companies']:,} companies) "
                        "at most 1 GiB (issue 11)", f"{e['kib'] / 1024:.0f} MiB", e["kib"] <= 2**20))
if api:
    cached = [e for e in api if "cached:" in e["name"] and "uncached" not in e["name"]]
    nginx = [e["rps"] for e in api if e["name"].startswith("nginx")]
    if cached and nginx:
        ratio = statistics.median([e["rps"] for e in cached]) / statistics.median(nginx)
        targets.append(("cached route at least half of nginx's rate", f"{ratio:.2f} of nginx", ratio >= 0.5))
        p99 = statistics.median([e["p99_us"] for e in cached]) / 1000
        targets.append(("cached route p99 under 5 ms", f"{p99:.2f} ms", p99 < 5))
if targets:
    summary = ["", "## Targets (issue 6), as measured in this run", "",
               "| target | measured (median) | met |", "|---|---|---|"]
    summary += [f"| {what} | {value} | {'yes' if met else '**no**'} |" for what, value, met in targets]
    lines[targets_at:targets_at] = summary

skipped = [e for e in index if "skipped" in e]
w("")
w("## Not measured in this run")
w("")
if skipped:
    for e in skipped:
        w(f"- {e['section']}: {e['skipped']}")
else:
    w("Nothing: every benchmark ran.")
w("")
# Sections measured by other scripts (the scale-out stack, hand-run profiles)
# follow this marker; a rewrite keeps them rather than dropping their figures.
KEEP_MARKER = "<!-- Sections below are not written by bench/report.py, which keeps them. -->"
kept = ""
if os.path.exists(out_path):
    old = open(out_path).read()
    if KEEP_MARKER in old:
        kept = old[old.index(KEEP_MARKER):]
if kept:
    w(kept.rstrip("\n"))
    w("")
open(out_path, "w").write("\n".join(lines))
