// Independent reader #2: hyparquet, a pure-JavaScript Parquet implementation
// (its own Thrift decoder, RLE/bit-packing, dictionary and snappy code; ZSTD
// through fzstd, a pure-JS decoder, so not Debian's libzstd that Marquee uses).
//   node read_hyparquet.mjs FILE.parquet   -> canonical JSON (see canon.mjs)
// The JSON also carries a "footer" object (annotations, row groups, statistics)
// that compare.mjs checks against the values.
import { readFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { decompress as zstdDecompress } from 'fzstd'
import { parquetMetadata, parquetRead } from 'hyparquet'
import { canonicalValue, printMain } from './canon.mjs'

// Dates stay day counts, formatted by canon.mjs like the other reader's.
const parsers = { dateFromDays: days => days }
// hyparquet decodes SNAPPY itself; ZSTD needs a decoder plugged in.
const compressors = { ZSTD: (input, length) => zstdDecompress(input, new Uint8Array(length)) }

// A schema element -> one of canon.TYPES, or "other:..." naming what was seen.
// Accepts the logical type or the older converted type, as readers do; the
// strict footer check in compare.mjs insists on the logical type.
export function normalizeType(element) {
  const { type, converted_type: converted, logical_type: logical } = element
  const other = () => `other:${type}${converted ? `/${converted}` : ''}${logical ? `/${logical.type}` : ''}`
  if (element.num_children || element.repetition_type === 'REPEATED') return `other:nested ${element.name}`
  const integer = bits => {
    if (logical && !(logical.type === 'INTEGER' && logical.bitWidth === bits && logical.isSigned)) return false
    return !converted || converted === `INT_${bits}`
  }
  switch (type) {
    case 'INT32':
      if (logical?.type === 'DATE' || converted === 'DATE') {
        return (!logical || logical.type === 'DATE') && (!converted || converted === 'DATE') ? 'date' : other()
      }
      return integer(32) ? 'int32' : other()
    case 'INT64': return integer(64) ? 'int64' : other()
    case 'DOUBLE': return !logical && !converted ? 'double' : other()
    case 'BOOLEAN': return !logical && !converted ? 'boolean' : other()
    case 'BYTE_ARRAY':
      if ((logical?.type === 'STRING' || converted === 'UTF8') &&
          (!logical || logical.type === 'STRING') && (!converted || converted === 'UTF8')) return 'string'
      return other()
    default: return other()
  }
}

// Statistics in canonical form (min/max are the non-deprecated min_value and
// max_value; the deprecated min/max are kept apart so a check can tell them apart).
function describeStatistics(stats, type) {
  if (!stats) return null
  const canon = value => (value === undefined ? undefined : canonicalValue(type, value))
  return {
    nullCount: stats.null_count === undefined ? undefined : Number(stats.null_count),
    min: canon(stats.min_value),
    max: canon(stats.max_value),
    minExact: stats.is_min_value_exact,
    maxExact: stats.is_max_value_exact,
    deprecatedMin: canon(stats.min),
    deprecatedMax: canon(stats.max),
  }
}

function describeFooter(metadata, leaves, types) {
  return {
    createdBy: metadata.created_by ?? null,
    keyValue: Object.fromEntries((metadata.key_value_metadata ?? []).map(kv => [kv.key, kv.value ?? null])),
    annotations: leaves.map(e => ({
      physical: e.type,
      logical: e.logical_type?.type ?? null,
      converted: e.converted_type ?? null,
      repetition: e.repetition_type ?? null,
    })),
    rowGroups: metadata.row_groups.map(group => ({
      numRows: Number(group.num_rows),
      columns: group.columns.map((chunk, i) => ({
        codec: chunk.meta_data?.codec ?? null,
        encodings: chunk.meta_data?.encodings ?? [],
        statistics: describeStatistics(chunk.meta_data?.statistics, types[i]),
      })),
    })),
  }
}

export async function readWithHyparquet(path) {
  const bytes = await readFile(path)
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  const metadata = parquetMetadata(file, { parsers })
  const leaves = metadata.schema.slice(1)
  const types = leaves.map(normalizeType)
  const columns = leaves.map((e, i) => ({ name: e.name, type: types[i] }))
  let raw = []
  if (Number(metadata.num_rows) > 0) {
    await parquetRead({ file, metadata, parsers, compressors, rowFormat: 'array', onComplete: rows => { raw = rows } })
  }
  const rows = raw.map(row => row.map((value, i) => canonicalValue(types[i], value)))
  return { columns, rows, footer: describeFooter(metadata, leaves, types) }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await printMain(readWithHyparquet, process.argv.slice(2))
}
