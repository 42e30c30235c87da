import { BaseboxError, ValidationError } from '@basebox/client'
import { describe, expect, it } from 'vitest'
import { fieldErrors, formatValue, normalizeNumberText, parseInput } from './values.js'

describe('normalizeNumberText', () => {
  it.each([
    ['1234.5', '1234.5'],
    ['1,234.5', '1234.5'],
    ['1.234,5', '1234.5'],
    ['1 234,5', '1234.5'],
    ['1\u00a0234,5', '1234.5'],
    ["1'234.5", '1234.5'],
    ['3,5', '3.5'],
    ['1,234', '1234'],
    ['1.234.567', '1234567'],
    ['1,234,567', '1234567'],
    ['-0,25', '-0.25'],
    ['+12', '12'],
    ['1e3', '1e3'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeNumberText(input)).toBe(expected)
  })

  it.each(['', 'abc', '1,2,3.4.5', '--1', '1e', '12abc'])('%s is not a number', (input) => {
    expect(normalizeNumberText(input)).toBeUndefined()
  })
})

describe('parseInput', () => {
  it('reads each column type and refuses what cannot be one', () => {
    expect(parseInput({ type: 'integer' }, '1.234')).toEqual({ ok: true, value: 1234 })
    expect(parseInput({ type: 'integer' }, '3,5')).toMatchObject({ ok: false })
    expect(parseInput({ type: 'integer' }, '99999999999')).toMatchObject({
      ok: false,
      message: 'out of range for an integer',
    })
    expect(parseInput({ type: 'bigint' }, '9223372036854775807')).toEqual({
      ok: true,
      value: '9223372036854775807',
    })
    expect(parseInput({ type: 'bigint' }, '9223372036854775808')).toMatchObject({ ok: false })
    expect(parseInput({ type: 'numeric' }, '1.234,56')).toEqual({ ok: true, value: '1234.56' })
    expect(parseInput({ type: 'double' }, '2,5')).toEqual({ ok: true, value: 2.5 })
    expect(parseInput({ type: 'boolean' }, 'Yes')).toEqual({ ok: true, value: true })
    expect(parseInput({ type: 'boolean' }, 'maybe')).toMatchObject({ ok: false })
    expect(parseInput({ type: 'date' }, '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' })
    expect(parseInput({ type: 'date' }, '2023-02-29')).toMatchObject({ ok: false })
    expect(parseInput({ type: 'timestamptz' }, '2024-01-31T14:30:00Z')).toEqual({
      ok: true,
      value: '2024-01-31T14:30:00.000Z',
    })
    expect(parseInput({ type: 'timestamptz' }, 'tomorrow')).toMatchObject({ ok: false })
    expect(parseInput({ type: 'uuid' }, ' 0B6C8E1A-3F3B-4C1D-9C55-2D7A1F0E9B10 ')).toEqual({
      ok: true,
      value: '0b6c8e1a-3f3b-4c1d-9c55-2d7a1f0e9b10',
    })
    expect(parseInput({ type: 'uuid' }, '123')).toMatchObject({ ok: false })
    expect(parseInput({ type: 'jsonb' }, '{"a":[1,2]}')).toEqual({ ok: true, value: { a: [1, 2] } })
    expect(parseInput({ type: 'jsonb' }, '{a:1}')).toMatchObject({ ok: false })
    expect(parseInput({ type: 'text' }, '  keep spaces ')).toEqual({
      ok: true,
      value: '  keep spaces ',
    })
  })

  it('reads an empty input as null, unless the column is required', () => {
    expect(parseInput({ type: 'integer' }, '')).toEqual({ ok: true, value: null })
    expect(parseInput({ type: 'integer', required: true }, ' ')).toMatchObject({
      ok: false,
      message: 'a value is required',
    })
    expect(parseInput({ type: 'text', required: true }, '')).toMatchObject({ ok: false })
  })

  it('gives back what formatValue wrote', () => {
    const cases: [Parameters<typeof parseInput>[0], unknown][] = [
      [{ type: 'integer' }, -42],
      [{ type: 'bigint' }, '-9223372036854775808'],
      [{ type: 'numeric' }, '0.000001'],
      [{ type: 'double' }, 1.5e-7],
      [{ type: 'boolean' }, false],
      [{ type: 'date' }, '1999-12-31'],
      [{ type: 'timestamptz' }, '2024-01-31T14:30:00.000Z'],
      [{ type: 'jsonb' }, { nested: { list: [1, 'two', null] } }],
      [{ type: 'text' }, 'tab\tand\nnewline'],
      [{ type: 'integer' }, null],
    ]
    for (const [column, value] of cases) {
      expect(parseInput(column, formatValue(column, value))).toEqual({ ok: true, value })
    }
  })
})

describe('fieldErrors', () => {
  it('places validation issues at rows and columns, and database errors at their column', () => {
    const invalid = new ValidationError('bad', [
      { path: ['rows', 2, 'views'], message: 'row 2, column "views": expected an integer' },
      { path: ['patch', 'title'], message: 'column "title": a value is required' },
    ])
    expect(fieldErrors(invalid)).toEqual([
      { row: 2, column: 'views', message: 'expected an integer' },
      { column: 'title', message: 'a value is required' },
    ])
    const taken = new BaseboxError(
      'CONFLICT',
      'a row of "users" with this "email" already exists',
      { details: { column: 'email', reason: 'unique' } },
    )
    expect(fieldErrors(taken)).toEqual([{ column: 'email', message: taken.message }])
    expect(fieldErrors(new BaseboxError('FORBIDDEN', 'no'))).toEqual([{ message: 'no' }])
  })
})
