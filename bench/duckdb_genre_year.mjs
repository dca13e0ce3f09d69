// Baseline for `bench/run.sh`: DuckDB (the @duckdb/node-api package the
// Parquet tests install) reads movies_metadata.csv and computes a genre_year
// rollup in SQL, using every core. What it does: parse the CSV, cast
// budget/revenue/popularity/release_date, pull genre ids out of the
// Python-literal list with a regular expression, group by (genre, year).
// What it does not do (and Marquee does): validate or reject rows, repair
// split records, resync after a stray quote, drop duplicate ids, parse the
// literals for real (names, escapes, salvage), keep an error log, build the
// normalized tables or the other two rollups, write any file.
//   node bench/duckdb_genre_year.mjs FILE.csv   -> prints the row count
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import os from 'node:os'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '..', 'tests', 'parquet', 'package.json'))
const { DuckDBInstance } = require('@duckdb/node-api')

const file = process.argv[2]
const instance = await DuckDBInstance.create(':memory:', { threads: String(os.cpus().length) })
const connection = await instance.connect()
const quoted = file.replaceAll("'", "''")
const sql = `
WITH m AS (
  SELECT TRY_CAST(budget AS BIGINT) AS budget,
         TRY_CAST(round(TRY_CAST(revenue AS DOUBLE)) AS BIGINT) AS revenue,
         TRY_CAST(popularity AS DOUBLE) AS popularity,
         year(TRY_CAST(release_date AS DATE)) AS year,
         genres
  FROM read_csv('${quoted}', header = true, all_varchar = true)
), g AS (
  SELECT budget, revenue, popularity, year,
         unnest(regexp_extract_all(genres, '''id'': (\\d+)', 1)) AS genre_id
  FROM m WHERE year IS NOT NULL
)
SELECT CAST(genre_id AS BIGINT) AS genre_id, year, count(*) AS movie_count,
       sum(CASE WHEN budget > 0 THEN budget ELSE 0 END) AS budget,
       sum(CASE WHEN revenue > 0 THEN revenue ELSE 0 END) AS revenue,
       sum(CASE WHEN budget > 0 AND revenue > 0 THEN revenue - budget ELSE 0 END) AS profit,
       sum(popularity) AS popularity_total
FROM g GROUP BY ALL ORDER BY genre_id, year`
const reader = await connection.runAndReadAll(sql)
console.log(`${reader.getRows().length} genre_year rows`)
