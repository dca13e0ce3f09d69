// Compares the tables of two `marquee etl`-style output directories row by
// row, in file order (so the row order is checked too): same schema (column
// names and Parquet types), same row count, and every value equal -- doubles
// within a relative tolerance of 1e-9 (Marquee and DuckDB sum in different
// orders), everything else exactly (null = null).
//   node compare.mjs EXPECTED_DIR ACTUAL_DIR TABLE [TABLE...]
// Prints one line per table and up to 10 differing values per table; exit 1
// on any difference.
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '..', 'parquet', 'package.json'))
const { DuckDBInstance } = require('@duckdb/node-api')

const [expectedDir, actualDir, ...tables] = process.argv.slice(2)
if (!actualDir || tables.length === 0) {
  console.error('usage: node compare.mjs EXPECTED_DIR ACTUAL_DIR TABLE [TABLE...]')
  process.exit(2)
}
const instance = await DuckDBInstance.create(':memory:', { threads: '1' })
const connection = await instance.connect()
const rows = async (sql) => (await connection.runAndReadAll(sql)).getRowObjects()
const q = (s) => s.replaceAll("'", "''")
const show = (v) => (typeof v === 'bigint' ? v.toString() : JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? x.toString() : x)))

let failed = false
for (const table of tables) {
  const files = [expectedDir, actualDir].map((d) => q(path.join(d, 'tables', `${table}.parquet`)))
  const schemas = []
  for (const f of files) {
    schemas.push(await rows(`SELECT name, type FROM parquet_schema('${f}') WHERE type IS NOT NULL`))
  }
  const [se, sa] = schemas.map((s) => s.map((c) => `${c.name}:${c.type}`).join(','))
  if (se !== sa) {
    console.log(`${table}: schemas differ\n  expected ${se}\n  actual   ${sa}`)
    failed = true
    continue
  }
  const columns = schemas[0]
  const [[{ n: ne }], [{ n: na }]] = [
    await rows(`SELECT count(*) AS n FROM read_parquet('${files[0]}')`),
    await rows(`SELECT count(*) AS n FROM read_parquet('${files[1]}')`)]
  const same = columns.map(({ name, type }) => {
    const e = `e."${name}"`, a = `a."${name}"`
    return type === 'DOUBLE'
      ? `(${e} IS NULL AND ${a} IS NULL) OR abs(${e} - ${a}) <= 1e-9 * greatest(1, abs(${e}))`
      : `${e} IS NOT DISTINCT FROM ${a}`
  })
  const diffs = await rows(`
    WITH e AS (SELECT *, file_row_number AS r FROM read_parquet('${files[0]}', file_row_number = true)),
         a AS (SELECT *, file_row_number AS r FROM read_parquet('${files[1]}', file_row_number = true)),
         d AS (
           SELECT r, ${columns.map(({ name }, i) => `CASE WHEN NOT coalesce(${same[i]}, false) THEN {'column': '${name}', 'expected': CAST(e."${name}" AS VARCHAR), 'actual': CAST(a."${name}" AS VARCHAR)} END AS c${i}`).join(',\n')}
           FROM e FULL JOIN a USING (r))
    SELECT * FROM (SELECT r, unnest([${columns.map((_, i) => `c${i}`).join(', ')}]) AS diff FROM d)
    WHERE diff IS NOT NULL ORDER BY r`)
  const ok = ne === na && diffs.length === 0
  console.log(`${table}: ${ne} rows expected, ${na} rows actual, ${diffs.length} differing values${ok ? ': equal' : ''}`)
  for (const d of diffs.slice(0, 10)) console.log(`  row ${show(d.r)}: ${show(d.diff.entries ?? d.diff)}`)
  if (!ok) failed = true
}
process.exit(failed ? 1 : 0)
