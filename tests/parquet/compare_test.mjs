// Unit tests of the checker's own logic, on hand-made inputs (node --test).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatDays } from './canon.mjs'
import { actualStatistics, checkColumns, checkFooter, checkReadersAgree, csvMatches } from './compare_lib.mjs'

test('formatDays: epoch, leap day, before 1970, far years', () => {
  assert.equal(formatDays(0), '1970-01-01')
  assert.equal(formatDays(-1), '1969-12-31')
  assert.equal(formatDays(19782), '2024-02-29')
  assert.equal(formatDays(-719162), '0001-01-01')
  assert.equal(formatDays(2932896), '9999-12-31')
  assert.throws(() => formatDays(0.5))
})

test('csvMatches: null is only an unquoted empty field', () => {
  assert.ok(csvMatches('string', null, null))
  assert.ok(csvMatches('string', '', ''))
  assert.ok(!csvMatches('string', null, ''))
  assert.ok(!csvMatches('string', '', null))
  assert.ok(!csvMatches('int64', '', null))
  assert.ok(!csvMatches('int64', null, '0'))
})

test('csvMatches: int64 beyond 2^53 compares exactly', () => {
  assert.ok(csvMatches('int64', '9007199254740993', '9007199254740993'))
  assert.ok(!csvMatches('int64', '9007199254740992', '9007199254740993'))
  assert.ok(csvMatches('int64', '-9223372036854775808', '-9223372036854775808'))
  assert.ok(!csvMatches('int32', '1.0', '1'))
  assert.ok(!csvMatches('int32', ' 1', '1'))
})

test('csvMatches: doubles compare numerically, NaN and infinities included', () => {
  assert.ok(csvMatches('double', '0.1', 0.1))
  assert.ok(csvMatches('double', '1e+20', 1e20))
  assert.ok(csvMatches('double', '-0', -0))
  assert.ok(csvMatches('double', '5e-324', 5e-324))
  assert.ok(!csvMatches('double', '0.10000000000000002', 0.1))
  assert.ok(csvMatches('double', 'nan', NaN))
  assert.ok(csvMatches('double', 'inf', Infinity))
  assert.ok(csvMatches('double', '-inf', -Infinity))
  assert.ok(!csvMatches('double', 'inf', -Infinity))
  assert.ok(!csvMatches('double', '0x10', 16))
  assert.ok(!csvMatches('double', '', 0))
})

test('csvMatches: booleans, dates and strings are exact', () => {
  assert.ok(csvMatches('boolean', 'true', true))
  assert.ok(!csvMatches('boolean', 'True', true))
  assert.ok(!csvMatches('boolean', '1', true))
  assert.ok(csvMatches('date', '2024-02-29', '2024-02-29'))
  assert.ok(!csvMatches('date', '2024-2-29', '2024-02-29'))
  assert.ok(csvMatches('string', 'Amélie', 'Amélie'))
  assert.ok(!csvMatches('string', 'Ame\u0301lie', 'Amélie')) // no Unicode normalization
  assert.ok(!csvMatches('other:BLOB', 'x', 'x'))
})

const csv = { header: ['id', 'name'], rows: [] }
const table = types => ({ columns: [{ name: 'id', type: types[0] }, { name: 'name', type: types[1] }], rows: [] })

test('checkColumns: names, unsupported types, sidecar types', () => {
  let problems = []
  assert.ok(checkColumns(problems, 'r', csv, table(['int32', 'string'])))
  assert.deepEqual(problems, [])
  checkColumns(problems, 'r', { ...csv, header: ['id', 'title'] }, table(['int32', 'string']))
  assert.match(problems[0], /columns differ/)
  problems = []
  checkColumns(problems, 'r', csv, table(['int32', 'other:BLOB/BYTE_ARRAY']))
  assert.match(problems[0], /column name: unsupported type other:BLOB/)
  problems = []
  checkColumns(problems, 'r', csv, table(['int32', 'string']), { types: { id: 'int64', name: 'string' }, complete: true })
  assert.deepEqual(problems, ['r: column id: type int32, expected int64'])
  problems = []
  checkColumns(problems, 'r', csv, table(['int32', 'string']), { types: { id: 'int32' }, complete: true })
  assert.deepEqual(problems, ['r: column name: type string, expected (not in sidecar)'])
})

test('checkColumns: a partial list pins only its columns, which must exist', () => {
  let problems = []
  assert.ok(checkColumns(problems, 'r', csv, table(['int32', 'string']), { types: { id: 'int32' }, complete: false }))
  assert.deepEqual(problems, [])
  checkColumns(problems, 'r', csv, table(['int32', 'string']), { types: { released: 'date' }, complete: false })
  assert.deepEqual(problems, ['r: column released (expected type date) is missing'])
})

test('checkReadersAgree: types and row counts', () => {
  const problems = []
  checkReadersAgree(problems, { duckdb: table(['int32', 'string']), hyparquet: table(['int32', 'string']) })
  assert.deepEqual(problems, [])
  checkReadersAgree(problems, { duckdb: table(['int32', 'string']), hyparquet: { ...table(['int64', 'string']), rows: [[]] } })
  assert.equal(problems.length, 2)
})

test('actualStatistics: strings order by UTF-8 bytes, NaN left out', () => {
  // 'Z' < 'é' < '東' in UTF-8 byte order, and '\uFFFF' < '😀' (a surrogate pair in UTF-16).
  assert.deepEqual(actualStatistics('string', ['é', null, 'Z', '東']), { nullCount: 1, nanCount: 0, min: 'Z', max: '東' })
  assert.equal(actualStatistics('string', ['\uFFFF', '😀']).max, '😀')
  assert.deepEqual(actualStatistics('double', [NaN, 2, -1, null]), { nullCount: 1, nanCount: 1, min: -1, max: 2 })
  assert.deepEqual(actualStatistics('int64', ['9007199254740993', '9007199254740992']),
    { nullCount: 0, nanCount: 0, min: '9007199254740992', max: '9007199254740993' })
})

function footerTable(stats, { logical = 'STRING', numRows = 3 } = {}) {
  return {
    columns: [{ name: 'title', type: 'string' }],
    rows: [['b'], [null], ['a']],
    footer: {
      createdBy: 'test',
      annotations: [{ physical: 'BYTE_ARRAY', logical, converted: 'UTF8', repetition: 'OPTIONAL' }],
      rowGroups: [{ numRows, columns: [{ statistics: stats }] }],
    },
  }
}

test('checkFooter: correct statistics pass', () => {
  const problems = []
  checkFooter(problems, footerTable({ nullCount: 1, min: 'a', max: 'b' }), 'strict')
  assert.deepEqual(problems, [])
})

test('checkFooter: wrong null_count, min or max are caught', () => {
  const problems = []
  checkFooter(problems, footerTable({ nullCount: 0, min: 'b', max: 'c' }), 'lenient')
  assert.equal(problems.length, 3)
  assert.match(problems[0], /null_count 0, actual 1/)
  assert.match(problems[1], /min "b", actual "a"/)
  assert.match(problems[2], /max "c", actual "b"/)
})

test('checkFooter: inexact (truncated) bounds only need to bound', () => {
  const problems = []
  checkFooter(problems, footerTable({ nullCount: 1, min: '', max: 'c', minExact: false, maxExact: false }), 'strict')
  assert.deepEqual(problems, [])
  checkFooter(problems, footerTable({ nullCount: 1, min: 'b', max: 'a', minExact: false, maxExact: false }), 'strict')
  assert.equal(problems.length, 2)
})

test('checkFooter: strict requires statistics, logical types and consistent row groups', () => {
  let problems = []
  checkFooter(problems, footerTable(null), 'lenient')
  assert.deepEqual(problems, [])
  checkFooter(problems, footerTable(null), 'strict')
  assert.deepEqual(problems, ['footer: row group 0 column title: no statistics'])
  problems = []
  checkFooter(problems, footerTable({ nullCount: 1 }), 'strict')
  assert.match(problems[0], /no min_value\/max_value/)
  problems = []
  checkFooter(problems, footerTable({ nullCount: 1, min: 'a', max: 'b' }, { logical: null }), 'strict')
  assert.deepEqual(problems, ['footer: column title: no STRING logical type'])
  problems = []
  checkFooter(problems, footerTable({ nullCount: 1, min: 'a', max: 'b' }, { numRows: 2 }), 'lenient')
  assert.match(problems[0], /row groups hold 2 rows, reader returned 3/)
})
