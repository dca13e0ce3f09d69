// Baseline for `bench/run.sh` (issue 11): DuckDB doing Marquee's whole job in
// SQL -- parse, validate, dedupe, the normalized tables and the three rollups,
// all written as Parquet (zstd) -- on every core. The SQL is
// bench/duckdb_job.sql (its header says where it deviates from Marquee);
// tests/bench_check checks its rollups equal Marquee's on the real sample.
//   node bench/duckdb_job.mjs FILE.csv OUT_DIR    (writes OUT_DIR/tables/*.parquet)
// DUCKDB_JOB_TIMINGS=1 prints each statement's wall time to stderr.
// DUCKDB_JOB_THREADS=N overrides the thread count (default: every core).
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import os from 'node:os'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '..', 'tests', 'parquet', 'package.json'))
const { DuckDBInstance } = require('@duckdb/node-api')

const [file, out] = process.argv.slice(2)
if (!file || !out) {
  console.error('usage: node bench/duckdb_job.mjs FILE.csv OUT_DIR')
  process.exit(2)
}
mkdirSync(path.join(out, 'tables'), { recursive: true })
const q = (s) => s.replaceAll("'", "''")
const sql = readFileSync(path.join(here, 'duckdb_job.sql'), 'utf8')
  .replaceAll('__INPUT__', q(path.resolve(file)))
  .replaceAll('__OUT__', q(path.resolve(out)))
const threads = process.env.DUCKDB_JOB_THREADS || String(os.cpus().length)
const instance = await DuckDBInstance.create(':memory:', { threads })
const connection = await instance.connect()
const statements = await connection.extractStatements(sql)
const timings = process.env.DUCKDB_JOB_TIMINGS === '1'
// Labels for the timings: each statement's first line, comments left out.
const labels = sql.split('\n').filter((l) => !l.trim().startsWith('--')).join('\n')
  .split(/;\s*\n/).map((s) => s.trim().split('\n')[0])
for (let i = 0; i < statements.count; i++) {
  const started = performance.now()
  const prepared = await statements.prepare(i)
  try {
    await prepared.run()
  } finally {
    prepared.destroySync()
  }
  if (timings) {
    console.error(`${(performance.now() - started).toFixed(1).padStart(8)} ms  ${(labels[i] ?? '').slice(0, 70)}`)
  }
}
