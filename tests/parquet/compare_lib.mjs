// The checks behind compare.mjs, importable by compare_test.mjs.
import { createReadStream, existsSync, readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { parse } from 'csv-parse'
import { TYPES } from './canon.mjs'
import { readWithDuckDB } from './read_duckdb.mjs'
import { readWithHyparquet } from './read_hyparquet.mjs'

export const READERS = { duckdb: readWithDuckDB, hyparquet: readWithHyparquet }

// ---- CSV ------------------------------------------------------------------

// Null is told apart from "" by quoting, which csv-parse reports per field.
const castField = (value, context) => (context.quoting || value !== '' ? value : null)

export async function readCsv(path) {
  const parser = createReadStream(path).pipe(parse({ bom: true, cast: castField }))
  let header
  const rows = []
  for await (const record of parser) {
    if (!header) header = record.map(name => name ?? '')
    else rows.push(record)
  }
  if (!header) throw new Error(`${path}: empty file, no header`)
  return { header, rows }
}

// ---- value comparison -------------------------------------------------------

const INT_TEXT = /^[+-]?\d+$/
const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const SPECIAL_DOUBLES = { nan: NaN, '+nan': NaN, '-nan': NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity,
  infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity }

function parseDoubleText(text) {
  const special = SPECIAL_DOUBLES[text.toLowerCase()]
  if (special !== undefined) return special
  return FLOAT_TEXT.test(text) ? Number(text) : undefined
}

// Does CSV field `text` (string, or null for null) hold canonical `value`?
export function csvMatches(type, text, value) {
  if (text === null || value === null) return text === value
  switch (type) {
    case 'int32':
    case 'int64':
      return INT_TEXT.test(text) && BigInt(text) === BigInt(value)
    case 'double': {
      const number = parseDoubleText(text)
      return number === value || (Number.isNaN(number) && Number.isNaN(value))
    }
    case 'boolean': return text === String(value)
    case 'date':
    case 'string': return text === value
    default: return false
  }
}

function show(value) {
  if (value === null) return 'null'
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : String(value)
  const json = JSON.stringify(value)
  return json.length > 90 ? `${json.slice(0, 80)}…" (${value.length} chars)` : json
}

// ---- checks -------------------------------------------------------------------
// Each check pushes human-readable problems; the caller prints the first few.

// expected: { types: {column: type}, complete } or undefined. A complete list
// (a per-table sidecar) must name every column; a partial one (--types) pins
// only the columns it names, and each of those must exist.
export function checkColumns(problems, reader, csv, table, expected) {
  const names = table.columns.map(c => c.name)
  if (names.length !== csv.header.length || names.some((n, i) => n !== csv.header[i])) {
    problems.push(`${reader}: columns differ: csv ${show(csv.header.join(','))} vs parquet ${show(names.join(','))}`)
    return false
  }
  let ok = true
  for (const { name, type } of table.columns) {
    if (!TYPES.includes(type)) {
      problems.push(`${reader}: column ${name}: unsupported type ${type}`)
      ok = false
    }
    const want = expected?.types[name]
    if (want !== undefined ? want !== type : expected?.complete) {
      problems.push(`${reader}: column ${name}: type ${type}, expected ${want ?? '(not in sidecar)'}`)
      ok = false
    }
  }
  for (const name of Object.keys(expected?.types ?? {})) {
    if (!names.includes(name)) {
      problems.push(`${reader}: column ${name} (expected type ${expected.types[name]}) is missing`)
      ok = false
    }
  }
  return ok
}

export function checkValues(problems, reader, csv, table, limit) {
  if (csv.rows.length !== table.rows.length) {
    problems.push(`${reader}: row count: csv ${csv.rows.length}, parquet ${table.rows.length}`)
  }
  let count = 0
  const rowCount = Math.min(csv.rows.length, table.rows.length)
  for (let r = 0; r < rowCount; r++) {
    const csvRow = csv.rows[r]
    const row = table.rows[r]
    for (let c = 0; c < table.columns.length; c++) {
      const { name, type } = table.columns[c]
      if (csvMatches(type, csvRow[c], row[c])) continue
      if (++count <= limit) {
        // Rows count from 1 after the header; a quoted line break makes CSV lines differ.
        problems.push(`${reader}: row ${r + 1} column ${name} (${type}): ` +
          `csv ${show(csvRow[c])} vs parquet ${show(row[c])}`)
      }
    }
  }
  if (count > limit) problems.push(`${reader}: ... ${count - limit} more value mismatches`)
}

export function checkReadersAgree(problems, tables) {
  const [a, b] = Object.entries(tables)
  if (!a || !b) return
  const [nameA, tableA] = a
  const [nameB, tableB] = b
  const typesA = tableA.columns.map(c => `${c.name}:${c.type}`).join(',')
  const typesB = tableB.columns.map(c => `${c.name}:${c.type}`).join(',')
  if (typesA !== typesB) problems.push(`readers disagree on columns/types: ${nameA} ${typesA} vs ${nameB} ${typesB}`)
  if (tableA.rows.length !== tableB.rows.length) {
    problems.push(`readers disagree on row count: ${nameA} ${tableA.rows.length} vs ${nameB} ${tableB.rows.length}`)
  }
}

// Parquet's sort orders: signed for ints, dates and doubles, false < true,
// unsigned bytewise (UTF-8) for strings.
function compareValues(type, a, b) {
  switch (type) {
    case 'int32':
    case 'int64': {
      const x = BigInt(a), y = BigInt(b)
      return x < y ? -1 : x > y ? 1 : 0
    }
    case 'string': return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
    case 'date': return a < b ? -1 : a > b ? 1 : 0 // YYYY-MM-DD within years 0000-9999
    default: return a < b ? -1 : a > b ? 1 : 0 // doubles (NaN excluded), booleans
  }
}

export function actualStatistics(type, values) {
  let nullCount = 0, nanCount = 0, min, max
  for (const value of values) {
    if (value === null) { nullCount++; continue }
    if (type === 'double' && Number.isNaN(value)) { nanCount++; continue } // never part of min/max
    if (min === undefined || compareValues(type, value, min) < 0) min = value
    if (max === undefined || compareValues(type, value, max) > 0) max = value
  }
  return { nullCount, nanCount, min, max }
}

function checkBound(problems, where, kind, type, stated, actual, exact) {
  if (stated === undefined) return
  if (actual === undefined) {
    problems.push(`${where}: ${kind} ${show(stated)} stated, but the chunk has no non-null value`)
    return
  }
  const order = compareValues(type, stated, actual)
  const ok = exact === false ? (kind === 'min' ? order <= 0 : order >= 0) : order === 0 && !Number.isNaN(stated)
  if (!ok) problems.push(`${where}: statistics ${kind} ${show(stated)}, actual ${show(actual)}`)
}

export function checkFooter(problems, table, mode) {
  const { footer, columns, rows } = table
  const strict = mode === 'strict'
  if (strict && !footer.createdBy) problems.push('footer: no created_by')
  columns.forEach(({ name, type }, c) => {
    const { logical } = footer.annotations[c]
    if (strict && type === 'string' && logical !== 'STRING') problems.push(`footer: column ${name}: no STRING logical type`)
    if (strict && type === 'date' && logical !== 'DATE') problems.push(`footer: column ${name}: no DATE logical type`)
  })
  const groupRows = footer.rowGroups.reduce((sum, group) => sum + group.numRows, 0)
  if (groupRows !== rows.length) problems.push(`footer: row groups hold ${groupRows} rows, reader returned ${rows.length}`)
  let start = 0
  footer.rowGroups.forEach((group, g) => {
    const groupSlice = rows.slice(start, start + group.numRows)
    start += group.numRows
    columns.forEach(({ name, type }, c) => {
      if (!TYPES.includes(type)) return
      const where = `footer: row group ${g} column ${name}`
      const stats = group.columns[c].statistics
      const actual = actualStatistics(type, groupSlice.map(row => row[c]))
      if (!stats) {
        if (strict) problems.push(`${where}: no statistics`)
        return
      }
      if (stats.nullCount === undefined) {
        if (strict) problems.push(`${where}: no null_count`)
      } else if (stats.nullCount !== actual.nullCount) {
        problems.push(`${where}: statistics null_count ${stats.nullCount}, actual ${actual.nullCount}`)
      }
      // A chunk with NaN may omit min/max (parquet-format leaves NaN out of them).
      if (strict && actual.min !== undefined && actual.nanCount === 0 &&
          (stats.min === undefined || stats.max === undefined)) {
        problems.push(`${where}: no min_value/max_value`)
      }
      checkBound(problems, where, 'min', type, stats.min, actual.min, stats.minExact)
      checkBound(problems, where, 'max', type, stats.max, actual.max, stats.maxExact)
    })
  })
}

// ---- one table ---------------------------------------------------------------------

// The sidecar <csv stem>.types.json wins over the table's entry in --types.
function expectedTypes(csvPath, tableName, typesByTable) {
  const sidecar = csvPath.replace(/\.csv$/, '') + '.types.json'
  if (existsSync(sidecar)) return { types: JSON.parse(readFileSync(sidecar, 'utf8')), complete: true }
  const partial = typesByTable?.[tableName]
  return partial ? { types: partial, complete: false } : undefined
}

// options: { readers, footer, maxReport, typesByTable }
export async function comparePair({ csv: csvPath, parquet: parquetPath }, options) {
  const problems = []
  const csv = await readCsv(csvPath)
  const expected = expectedTypes(csvPath, basename(parquetPath, '.parquet'), options.typesByTable)
  const tables = {}
  for (const reader of options.readers) {
    try {
      tables[reader] = await READERS[reader](parquetPath)
    } catch (error) {
      problems.push(`${reader}: cannot read ${parquetPath}: ${error.message}`)
    }
  }
  checkReadersAgree(problems, tables)
  for (const [reader, table] of Object.entries(tables)) {
    if (checkColumns(problems, reader, csv, table, expected)) {
      checkValues(problems, reader, csv, table, options.maxReport)
    }
  }
  if (tables.hyparquet) checkFooter(problems, tables.hyparquet, options.footer)
  const any = Object.values(tables)[0]
  return { problems, rows: any ? any.rows.length : csv.rows.length, columns: csv.header.length,
    coverage: tables.hyparquet && coverageOf(tables.hyparquet) }
}

// What a table exercised, so a run can show that random tables really reach
// every type, codec, encoding, several row groups, nulls and odd strings.
function coverageOf({ columns, rows, footer }) {
  const seen = { types: new Set(), codecs: new Set(), encodings: new Set(), rowGroups: footer.rowGroups.length,
    nulls: 0, emptyStrings: 0, nonAscii: 0, longStrings: 0 }
  columns.forEach(({ type }) => seen.types.add(type))
  for (const group of footer.rowGroups) {
    for (const chunk of group.columns) {
      seen.codecs.add(chunk.codec)
      chunk.encodings.forEach(e => seen.encodings.add(e))
    }
  }
  for (const row of rows) {
    for (const value of row) {
      if (value === null) seen.nulls++
      else if (value === '') seen.emptyStrings++
      else if (typeof value === 'string' && /[^\x00-\x7f]/.test(value)) seen.nonAscii++
      if (typeof value === 'string' && value.length > 1000) seen.longStrings++
    }
  }
  return seen
}

export function mergeCoverage(total, one) {
  if (!one) return total
  if (!total) return { ...one, types: new Set(one.types), codecs: new Set(one.codecs), encodings: new Set(one.encodings),
    maxRowGroups: one.rowGroups, tables: 1 }
  for (const key of ['types', 'codecs', 'encodings']) one[key].forEach(v => total[key].add(v))
  for (const key of ['rowGroups', 'nulls', 'emptyStrings', 'nonAscii', 'longStrings']) total[key] += one[key]
  total.maxRowGroups = Math.max(total.maxRowGroups, one.rowGroups)
  total.tables++
  return total
}

export function describeCoverage(c) {
  const list = set => [...set].sort().join(' ')
  return `coverage: ${c.tables} tables; types ${list(c.types)}; codecs ${list(c.codecs)}; encodings ` +
    `${list(c.encodings)}; ${c.rowGroups} row groups (at most ${c.maxRowGroups} in a file); ${c.nulls} nulls, ` +
    `${c.emptyStrings} empty strings, ${c.nonAscii} non-ASCII strings, ${c.longStrings} strings over 1000 chars`
}
