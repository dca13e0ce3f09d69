// Baseline for `bench/run.sh` (issue 11): DuckDB's plain transcode of the CSV
// to Parquet -- every column as text, no validation, no model, no rollups:
//   COPY (SELECT * FROM read_csv(f, all_varchar=true)) TO out (FORMAT parquet, COMPRESSION zstd)
// the floor of what any CSV-to-Parquet job costs, on every core.
//   node bench/duckdb_transcode.mjs FILE.csv OUT.parquet
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import os from 'node:os'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '..', 'tests', 'parquet', 'package.json'))
const { DuckDBInstance } = require('@duckdb/node-api')

const [file, out] = process.argv.slice(2)
const instance = await DuckDBInstance.create(':memory:', { threads: String(os.cpus().length) })
const connection = await instance.connect()
const q = (s) => s.replaceAll("'", "''")
await connection.run(`COPY (SELECT * FROM read_csv('${q(file)}', all_varchar=true)) TO '${q(out)}' (FORMAT parquet, COMPRESSION zstd)`)
