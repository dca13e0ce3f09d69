// Independent reader #1: DuckDB (its own C++ Parquet reader, shipped as a
// native library inside the @duckdb/node-api npm package).
//   node read_duckdb.mjs FILE.parquet   -> canonical JSON (see canon.mjs)
import { pathToFileURL } from 'node:url'
import { DuckDBInstance } from '@duckdb/node-api'
import { canonicalValue, printMain } from './canon.mjs'

// DuckDB's SQL type for a column -> canon type, with the Parquet physical type
// it must come from (DuckDB also reads e.g. INT64 with a DATE annotation as
// DATE, which Marquee must not write).
const SQL_TYPES = {
  INTEGER: ['int32', 'INT32'],
  BIGINT: ['int64', 'INT64'],
  DOUBLE: ['double', 'DOUBLE'],
  BOOLEAN: ['boolean', 'BOOLEAN'],
  VARCHAR: ['string', 'BYTE_ARRAY'],
  DATE: ['date', 'INT32'],
}

function normalizeType(sqlType, physicalType) {
  const known = SQL_TYPES[sqlType]
  return known && known[1] === physicalType ? known[0] : `other:${sqlType}/${physicalType}`
}

// DATE arrives as DuckDBDateValue; hand canon.mjs the day count so both
// readers format dates with the same code.
function plainValue(value) {
  if (value !== null && typeof value === 'object' && 'days' in value) return value.days
  return value
}

let instance
async function connect() {
  // One thread: tests run in parallel on a 2-core machine.
  instance ??= await DuckDBInstance.create(':memory:', { threads: '1' })
  return instance.connect()
}

export async function readWithDuckDB(path) {
  const connection = await connect()
  try {
    const described = (await connection.runAndReadAll(
      'DESCRIBE SELECT * FROM read_parquet(?)', [path])).getRowObjects()
    // parquet_schema lists the root group first; leaves follow in column order.
    const physical = (await connection.runAndReadAll(
      'SELECT name, type, num_children FROM parquet_schema(?)', [path])).getRowObjects().slice(1)
    if (physical.length !== described.length) {
      throw new Error(`DuckDB sees ${described.length} columns but ${physical.length} leaf schema elements (nested schema?)`)
    }
    const columns = described.map((d, i) => ({
      name: d.column_name,
      type: normalizeType(d.column_type, physical[i].type),
    }))
    const result = await connection.runAndReadAll('SELECT * FROM read_parquet(?)', [path])
    const rows = result.getRows().map(row => row.map((value, i) => canonicalValue(columns[i].type, plainValue(value))))
    return { columns, rows }
  } finally {
    connection.closeSync()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await printMain(readWithDuckDB, process.argv.slice(2))
}
