// The canonical form both independent readers reduce a Parquet file to, so
// that their outputs can be compared with each other and with a CSV file:
//   { columns: [{ name, type }], rows: [[value, ...], ...] }
// type is one of TYPES, or "other:<what the reader saw>" for anything Marquee
// must never write. Values: null; int32/int64 as decimal strings (int64 can
// exceed 2^53, so never through a JS number); doubles as JS numbers; booleans;
// dates as "YYYY-MM-DD"; strings as strings.

export const TYPES = ['int32', 'int64', 'double', 'boolean', 'string', 'date']

const MS_PER_DAY = 86_400_000

// Days since 1970-01-01 -> "YYYY-MM-DD" (proleptic Gregorian, like Parquet's
// DATE). Uses JS Date rather than a civil-from-days formula so that it is
// independent of the algorithm Marquee's C++ uses.
export function formatDays(days) {
  if (!Number.isInteger(days)) throw new Error(`date is not a whole day count: ${days}`)
  const date = new Date(days * MS_PER_DAY)
  if (Number.isNaN(date.getTime())) throw new Error(`date out of range: ${days} days`)
  const year = date.getUTCFullYear()
  const yyyy = year >= 0 && year <= 9999
    ? String(year).padStart(4, '0')
    : (year < 0 ? '-' : '+') + String(Math.abs(year)).padStart(6, '0')
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0')
  const dd = String(date.getUTCDate()).padStart(2, '0')
  return `${yyyy}-${mm}-${dd}`
}

// One value as the reader delivered it -> canonical value for `type`.
export function canonicalValue(type, value) {
  if (value === null || value === undefined) return null
  switch (type) {
    case 'int32':
    case 'int64':
      if (typeof value === 'bigint') return value.toString()
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
      throw new Error(`${type} value is not an integer: ${String(value)} (${typeof value})`)
    case 'double':
      if (typeof value === 'number') return value
      throw new Error(`double value is not a number: ${String(value)} (${typeof value})`)
    case 'boolean':
      if (typeof value === 'boolean') return value
      throw new Error(`boolean value is not a boolean: ${String(value)} (${typeof value})`)
    case 'string':
      if (typeof value === 'string') return value
      throw new Error(`string value is not a string: ${String(value)} (${typeof value})`)
    case 'date':
      if (typeof value === 'number') return formatDays(value)
      if (value instanceof Date) return formatDays(Math.round(value.getTime() / MS_PER_DAY))
      throw new Error(`date value is neither a day count nor a Date: ${String(value)}`)
    default:
      // An unsupported type is reported through its name; keep the value readable.
      return typeof value === 'bigint' ? value.toString() : value
  }
}

// JSON has no NaN/Infinity: print them as strings so they stay visible.
export function toJson(table) {
  return JSON.stringify(table, (_key, v) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v)
    if (typeof v === 'bigint') return v.toString()
    return v
  })
}

// Shared main() for the read_*.mjs scripts: read one file, print its JSON.
export async function printMain(read, argv) {
  if (argv.length !== 1) {
    process.stderr.write('usage: node <reader>.mjs FILE.parquet\n')
    process.exit(2)
  }
  try {
    process.stdout.write(toJson(await read(argv[0])) + '\n')
  } catch (error) {
    process.stderr.write(`error: ${argv[0]}: ${error.message}\n`)
    process.exit(2)
  }
}
