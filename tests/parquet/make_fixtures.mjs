// Writes Parquet + CSV pairs with DuckDB, to prove the checker (compare.mjs,
// check_dir.sh) before and independently of Marquee's own writer.
//   node make_fixtures.mjs OUT_DIR
// OUT_DIR/csv/<name>.csv and OUT_DIR/parquet/<name>.parquet:
//   edge_cases_{zstd,snappy,uncompressed}: the Parquet comes from SQL literals,
//     the CSV is the hand-written fixtures/edge_cases.csv (so the expected
//     values do not come from any of the readers under test).
//   generated: 100,000 pseudo-random rows in several row groups (nulls, empty,
//     long and non-ASCII strings, int64 beyond 2^53, NaN/inf), CSV by DuckDB.
//   empty (0 rows) and one_row.
import { copyFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DuckDBInstance } from '@duckdb/node-api'

const here = dirname(fileURLToPath(import.meta.url))

// Same rows as fixtures/edge_cases.csv, typed: keep the two in step.
const EDGE_CASES = `
SELECT * FROM (VALUES
  (1::INTEGER, 9007199254740993::BIGINT, 0.1::DOUBLE, true, 'Amélie', DATE '2001-04-25'),
  (-2147483648, -9223372036854775808, -0.0, false, '', DATE '1895-12-28'),
  (2147483647, 9223372036854775807, 1.7976931348623157e308, NULL, NULL, NULL),
  (NULL, NULL, NULL, true, '東京物語 🎬', DATE '1970-01-01'),
  (0, 0, 5e-324, false, 'comma, "quote"' || chr(13) || chr(10) || 'newline', DATE '2024-02-29'),
  (42, -1, 'nan'::DOUBLE, true, '  spaces  ', DATE '9999-12-31'),
  (7, 7, 'inf'::DOUBLE, false, 'ünïcödé ß', DATE '0001-01-01'),
  (8, 8, '-inf'::DOUBLE, NULL, 'null', DATE '1969-12-31'),
  (9, 9007199254740992, 123456789.125, true, 'x', NULL)
) AS t(id, big, score, flag, title, released)`

const GENERATED = `
SELECT
  i::INTEGER AS id,
  CASE WHEN i % 7 = 0 THEN NULL
       ELSE (hash(i) >> 1)::BIGINT * (CASE WHEN i % 2 = 0 THEN -1 ELSE 1 END) END AS big,
  CASE WHEN i % 11 = 0 THEN NULL WHEN i % 997 = 0 THEN 'nan'::DOUBLE
       ELSE (hash(i) % 1000003)::DOUBLE / 7.0 * pow(10, i % 40 - 20) END AS score,
  CASE WHEN i % 13 = 0 THEN NULL ELSE i % 3 = 0 END AS flag,
  CASE WHEN i % 17 = 0 THEN NULL
       WHEN i % 19 = 0 THEN ''
       WHEN i % 2311 = 0 THEN repeat('long ', 2000) || i::VARCHAR
       ELSE ['Amélie', '東京物語', 'plain', 'comma, here', 'quote " here', 'line' || chr(10) || 'break'][i % 6 + 1]
            || ' ' || (i % 500)::VARCHAR END AS title,
  CASE WHEN i % 29 = 0 THEN NULL ELSE DATE '1900-01-01' + (hash(i) % 60000)::INTEGER END AS released
FROM range(100000) AS r(i)`

async function main() {
  const out = process.argv[2]
  if (!out) throw new Error('usage: node make_fixtures.mjs OUT_DIR')
  mkdirSync(join(out, 'csv'), { recursive: true })
  mkdirSync(join(out, 'parquet'), { recursive: true })
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' })
  const db = await instance.connect()
  const parquet = name => join(out, 'parquet', `${name}.parquet`).replaceAll("'", "''")
  const csv = name => join(out, 'csv', `${name}.csv`).replaceAll("'", "''")

  for (const codec of ['zstd', 'snappy', 'uncompressed']) {
    const name = `edge_cases_${codec}`
    await db.run(`COPY (${EDGE_CASES}) TO '${parquet(name)}' (FORMAT parquet, COMPRESSION ${codec})`)
    copyFileSync(join(here, 'fixtures', 'edge_cases.csv'), csv(name))
  }
  const written = [
    ['generated', GENERATED, 'ROW_GROUP_SIZE 16384'],
    ['empty', `${EDGE_CASES} WHERE false`, ''],
    ['one_row', `${EDGE_CASES} LIMIT 1`, ''],
  ]
  for (const [name, query, extra] of written) {
    await db.run(`COPY (${query}) TO '${parquet(name)}' (FORMAT parquet, COMPRESSION zstd${extra ? ', ' + extra : ''})`)
    await db.run(`COPY (SELECT * FROM '${parquet(name)}') TO '${csv(name)}' (FORMAT csv, HEADER)`)
  }
  db.closeSync()
}

await main()
