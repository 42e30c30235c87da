import { describe, expect, it } from 'vitest'
import { COLUMN_TYPES, type ColumnType } from './column-type.js'
import { isDateString, isTimestampString, isUUIDString, literalProblem } from './literal.js'

const ok = (type: ColumnType, value: unknown) =>
  expect(literalProblem(type, value), String(value)).toBeUndefined()
const bad = (type: ColumnType, value: unknown, message?: RegExp) =>
  expect(literalProblem(type, value), String(value)).toMatch(message ?? /./)

describe('literalProblem', () => {
  it('has a rule for every column type', () => {
    for (const type of COLUMN_TYPES) {
      // `undefined` is never a literal of any type.
      expect(literalProblem(type, undefined), type).toEqual(expect.any(String))
    }
  })

  it('uuid: the canonical text form, any case', () => {
    ok('uuid', '5f0c1c56-0b6e-4a39-9a40-2b8d1e3c4f5a')
    ok('uuid', '5F0C1C56-0B6E-4A39-9A40-2B8D1E3C4F5A')
    ok('uuid', '00000000-0000-0000-0000-000000000000')
    for (const value of [
      '5f0c1c560b6e4a399a402b8d1e3c4f5a',
      '{5f0c1c56-0b6e-4a39-9a40-2b8d1e3c4f5a}',
      '5f0c1c56-0b6e-4a39-9a40-2b8d1e3c4f5',
      'g0000000-0000-0000-0000-000000000000',
      '',
      42,
    ]) {
      bad('uuid', value, /expected a UUID/)
    }
  })

  it('text: any string without NUL', () => {
    ok('text', '')
    ok('text', 'it\'s "quoted"; drop table users; --')
    ok('text', 'ünïcödé 😀')
    bad('text', 'a\u0000b', /NUL/)
    bad('text', 1, /expected a string/)
    bad('text', null, /expected a string/)
  })

  it('integer: 32-bit integers only, as JSON numbers', () => {
    ok('integer', 0)
    ok('integer', -7)
    ok('integer', 2147483647)
    ok('integer', -2147483648)
    bad('integer', 2147483648, /between -2147483648 and 2147483647/)
    bad('integer', -2147483649)
    bad('integer', 1.5)
    bad('integer', Number.NaN)
    bad('integer', Number.POSITIVE_INFINITY)
    bad('integer', '5')
    bad('integer', 5n)
    bad('integer', true)
  })

  it('bigint: 64-bit integers as safe numbers, bigints or strings of digits', () => {
    ok('bigint', 0)
    ok('bigint', Number.MAX_SAFE_INTEGER)
    ok('bigint', Number.MIN_SAFE_INTEGER)
    ok('bigint', '9007199254740993')
    ok('bigint', '9223372036854775807')
    ok('bigint', '-9223372036854775808')
    ok('bigint', '+42')
    ok('bigint', 9223372036854775807n)
    bad('bigint', '9223372036854775808', /64-bit integer/)
    bad('bigint', '-9223372036854775809')
    bad('bigint', 9223372036854775808n)
    // A JSON number past 2^53 has already lost precision: the caller must send a string.
    bad('bigint', 2 ** 53)
    bad('bigint', 1.5)
    bad('bigint', '1.5')
    bad('bigint', '1e3')
    bad('bigint', ' 42')
    bad('bigint', '')
    bad('bigint', '0x10')
  })

  it('numeric: finite numbers or decimal strings', () => {
    ok('numeric', 12.5)
    ok('numeric', -0.001)
    ok('numeric', '12.50')
    ok('numeric', '-.5')
    ok('numeric', '5.')
    ok('numeric', '1e-3')
    ok('numeric', '123456789012345678901234567890.123456789')
    bad('numeric', Number.NaN, /decimal number/)
    bad('numeric', Number.POSITIVE_INFINITY)
    bad('numeric', 'NaN')
    bad('numeric', 'Infinity')
    bad('numeric', '1,5')
    bad('numeric', '.')
    bad('numeric', '1e')
    bad('numeric', '')
  })

  it('double: finite JSON numbers only', () => {
    ok('double', 1.5)
    ok('double', -1e308)
    ok('double', 5e-324)
    bad('double', Number.NaN, /expected a number/)
    bad('double', Number.NEGATIVE_INFINITY)
    bad('double', '1.5')
  })

  it('boolean: true or false, nothing truthy', () => {
    ok('boolean', true)
    ok('boolean', false)
    for (const value of [0, 1, 'true', 'false', null]) {
      bad('boolean', value, /expected true or false/)
    }
  })

  it('date: a real calendar day written YYYY-MM-DD', () => {
    ok('date', '2024-02-29')
    ok('date', '2000-02-29')
    ok('date', '1999-12-31')
    ok('date', '9999-12-31')
    bad('date', '2023-02-29', /YYYY-MM-DD/)
    bad('date', '1900-02-29')
    bad('date', '2024-02-30')
    bad('date', '2024-04-31')
    bad('date', '2024-13-01')
    bad('date', '2024-00-10')
    bad('date', '2024-01-00')
    bad('date', '2024-1-5')
    bad('date', '20240105')
    bad('date', '2024-01-05T00:00:00Z')
    bad('date', '0000-01-01')
    bad('date', 20240105)
  })

  it('timestamptz: ISO 8601 timestamps, as Postgres reads them', () => {
    ok('timestamptz', '2024-01-02T03:04:05Z')
    ok('timestamptz', '2024-01-02T03:04:05.123456Z')
    ok('timestamptz', '2024-01-02T03:04:05+05:30')
    ok('timestamptz', '2024-01-02T03:04:05-0800')
    ok('timestamptz', '2024-01-02 03:04:05Z')
    ok('timestamptz', '2024-01-02T03:04')
    ok('timestamptz', '2024-01-02')
    ok('timestamptz', '2024-02-29T12:00:00Z')
    bad('timestamptz', '2023-02-29T12:00:00Z', /ISO 8601/)
    bad('timestamptz', '2024-01-02T25:00:00Z')
    bad('timestamptz', '2024-01-02T03:60:00Z')
    bad('timestamptz', '2024-01-02T03:04:05.1234567Z')
    bad('timestamptz', 'now')
    bad('timestamptz', 'yesterday')
    bad('timestamptz', '2024-01-02T03:04:05Z; drop table users')
    bad('timestamptz', 1704164645000)
  })

  it('timestamptz: the hour-only offsets Postgres itself prints (`2024-01-02 03:04:05+00`)', () => {
    // `select now()::text` gives `2024-01-02 03:04:05.123456+00`; a value copied from psql
    // must be accepted, as the pattern intends (`[+-]\d{2}(?::?\d{2})?`).
    ok('timestamptz', '2024-01-02 03:04:05+00')
    ok('timestamptz', '2024-01-02 03:04:05.123456+00')
    ok('timestamptz', '2024-01-02T03:04:05+05')
    ok('timestamptz', '2024-01-02T03:04:05-08')
  })

  it('jsonb: any JSON value, without NUL in strings or keys, at most 64 levels deep', () => {
    for (const value of [
      null,
      true,
      0,
      -1.5,
      'text',
      [],
      {},
      [1, 'a', null],
      { a: { b: [1, { c: 'd' }] } },
    ]) {
      ok('jsonb', value)
    }
    bad('jsonb', undefined, /JSON value/)
    bad('jsonb', Number.NaN)
    bad('jsonb', [1, Number.POSITIVE_INFINITY])
    bad('jsonb', 'a\u0000b')
    bad('jsonb', { 'a\u0000': 1 })
    bad('jsonb', { a: ['\u0000'] })
    bad('jsonb', new Date())
    bad('jsonb', new Map())
    bad('jsonb', () => 1)
    bad('jsonb', 1n)
    let deep: unknown = 1
    for (let i = 0; i < 64; i++) {
      deep = [deep]
    }
    ok('jsonb', deep)
    bad('jsonb', [deep])
  })
})

describe('isDateString, isTimestampString, isUUIDString', () => {
  it('agree with literalProblem', () => {
    expect(isDateString('2024-02-29')).toBe(true)
    expect(isDateString('2023-02-29')).toBe(false)
    expect(isTimestampString('2024-02-29T00:00:00Z')).toBe(true)
    expect(isTimestampString('2023-02-29T00:00:00Z')).toBe(false)
    expect(isUUIDString('5f0c1c56-0b6e-4a39-9a40-2b8d1e3c4f5a')).toBe(true)
    expect(isUUIDString('5f0c1c56-0b6e-4a39-9a40-2b8d1e3c4f5a\n')).toBe(false)
  })
})
