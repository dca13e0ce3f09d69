// Checks Parquet files against the CSV files of the same tables, through
// independent readers (DuckDB, hyparquet): column names, types, row counts,
// every value, and (from hyparquet's view of the footer) row groups and
// column-chunk statistics.
//
//   node compare.mjs [--reader duckdb|hyparquet|both] [--footer strict|lenient]
//                    [--types FILE] [--max-report N] CSV PARQUET [CSV PARQUET ...]
//
// CSV convention (Marquee's, see src/table/csv_writer.hpp): RFC 4180; an
// unquoted empty field is null, a quoted empty field "" is the empty string;
// ints as decimal text, doubles as round-trip text (compared numerically),
// booleans true/false, dates YYYY-MM-DD.
// A CSV has no types. With --reader both the two readers must agree on every
// column's type. Expected types can also be pinned: by a sidecar
// <csv stem>.types.json beside the CSV ({"column": "int64", ...}, every column),
// or by --types FILE ({"table": {"column": "date", ...}}, only the columns named).
// --footer strict (the default) also requires what the issue requires of
// Marquee's files: STRING/DATE logical types (not only the deprecated converted
// types), created_by, and min/max/null_count statistics on every column chunk.
// lenient checks only the statistics that are present (DuckDB writes files
// without logical types, and the self-test uses those).
//
// Exit status: 0 all tables match, 1 a mismatch, 2 bad usage or unreadable input.
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { READERS, comparePair, describeCoverage, mergeCoverage } from './compare_lib.mjs'

function usage(message) {
  process.stderr.write(`compare.mjs: ${message}\n` +
    'usage: node compare.mjs [--reader duckdb|hyparquet|both] [--footer strict|lenient] ' +
    '[--types FILE] [--max-report N] CSV PARQUET [CSV PARQUET ...]\n')
  process.exit(2)
}

function parseArgs(argv) {
  const options = { readers: ['duckdb', 'hyparquet'], footer: 'strict', maxReport: 10, pairs: [] }
  const files = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${arg} needs a value`))
    if (arg === '--reader') {
      const reader = value()
      if (reader === 'both') options.readers = ['duckdb', 'hyparquet']
      else if (READERS[reader]) options.readers = [reader]
      else usage(`unknown reader ${reader}`)
    } else if (arg === '--footer') {
      options.footer = value()
      if (!['strict', 'lenient'].includes(options.footer)) usage(`unknown footer mode ${options.footer}`)
    } else if (arg === '--types') {
      options.typesByTable = JSON.parse(readFileSync(value(), 'utf8'))
    } else if (arg === '--max-report') {
      options.maxReport = Number(value())
      if (!(options.maxReport >= 1)) usage('--max-report needs a positive number')
    } else if (arg.startsWith('--')) {
      usage(`unknown option ${arg}`)
    } else {
      files.push(arg)
    }
  }
  if (files.length === 0 || files.length % 2) usage('expected CSV PARQUET pairs')
  for (let i = 0; i < files.length; i += 2) options.pairs.push({ csv: files[i], parquet: files[i + 1] })
  return options
}

async function main() {
  const options = parseArgs(process.argv.slice(2))
  let failed = 0
  let coverage
  for (const pair of options.pairs) {
    const name = basename(pair.parquet).replace(/\.parquet$/, '')
    let result
    try {
      result = await comparePair(pair, options)
    } catch (error) {
      process.stdout.write(`FAIL ${name}: cannot compare: ${error.message}\n`)
      process.exitCode = 2
      failed++
      continue
    }
    const { problems, rows, columns } = result
    coverage = mergeCoverage(coverage, result.coverage)
    if (problems.length === 0) {
      process.stdout.write(`OK   ${name}: ${rows} rows, ${columns} columns (${options.readers.join(', ')})\n`)
      continue
    }
    failed++
    process.stdout.write(`FAIL ${name}: ${pair.csv} vs ${pair.parquet}\n`)
    for (const problem of problems.slice(0, 4 * options.maxReport)) process.stdout.write(`  ${name}: ${problem}\n`)
    if (problems.length > 4 * options.maxReport) {
      process.stdout.write(`  ${name}: ... ${problems.length - 4 * options.maxReport} more problems\n`)
    }
  }
  if (coverage) process.stdout.write(describeCoverage(coverage) + '\n')
  if (failed && !process.exitCode) process.exitCode = 1
}

await main()
