// Runs one SQL file on DuckDB over a directory of Parquet tables: each
// TABLES_DIR/<name>.parquet becomes a view <name>. Prints
// {"columns": [...], "rows": [[...], ...]} with integers as decimal strings
// (they may exceed 2^53) and doubles as JSON numbers. Used by
// tests/scale/rollup_sql.py (the portable rollup SQL of sql/rollups/) and
// tests/scale/sharded.py, which passes "-" for TABLES_DIR and a PRELUDE file
// of statements that define the views (the union of shards) instead.
//   node run_sql_duckdb.mjs TABLES_DIR|- FILE.sql [PRELUDE.sql]
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'

const [tablesDir, sqlFile, prelude] = process.argv.slice(2)
const instance = await DuckDBInstance.create(':memory:', { threads: '1' })
const connection = await instance.connect()
for (const file of tablesDir === '-' ? [] : readdirSync(tablesDir)) {
  if (!file.endsWith('.parquet')) continue
  const name = file.slice(0, -'.parquet'.length)
  if (!/^[a-z_]+$/.test(name)) continue
  const path = join(tablesDir, file).replaceAll("'", "''")
  await connection.run(`CREATE VIEW ${name} AS SELECT * FROM read_parquet('${path}')`)
}
if (prelude) {
  for (const statement of readFileSync(prelude, 'utf8').split(';')) {
    if (statement.trim()) await connection.run(statement)
  }
}
const result = await connection.runAndReadAll(readFileSync(sqlFile, 'utf8'))
const plain = v => {
  if (typeof v === 'bigint') return v.toString()
  if (v !== null && typeof v === 'object') return v.toString()  // HUGEINT, DECIMAL, DATE
  return v
}
const out = { columns: result.columnNames(), rows: result.getRows().map(r => r.map(plain)) }
process.stdout.write(JSON.stringify(out))
connection.closeSync()
