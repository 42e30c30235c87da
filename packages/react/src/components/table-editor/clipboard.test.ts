import type { ColumnDefinition } from '@basebox/client'
import { describe, expect, it } from 'vitest'
import { copyRange, planPaste } from './clipboard.js'

const columns: ColumnDefinition[] = [
  { name: 'id', type: 'integer', primary_key: true },
  { name: 'name', type: 'text', required: true },
  { name: 'qty', type: 'integer' },
  { name: 'meta', type: 'jsonb' },
]
const rows = [
  { id: 1, name: 'a', qty: 1, meta: { x: 1 } },
  { id: 2, name: 'b\tc', qty: null, meta: null },
  { id: 3, name: 'd', qty: 3, meta: [1] },
]
const getRow = (index: number) => rows[index]

describe('given a range to copy', () => {
  it('writes the formatted values as TSV, quoting what needs it', () => {
    expect(copyRange({ top: 0, bottom: 1, left: 1, right: 3 }, columns, getRow)).toBe(
      'a\t1\t{"x":1}\n"b\tc"\t\t',
    )
  })
})

describe('given a block pasted from a spreadsheet', () => {
  it('merges the parsed cells into the cached rows, keeping what the paste does not touch', () => {
    const result = planPaste('x\t1.234\ny\t\n', { row: 1, col: 1 }, columns, getRow, 'id')
    expect(result).toEqual({
      ok: true,
      plan: {
        indexes: [1, 2],
        before: [
          { name: 'b\tc', qty: null },
          { name: 'd', qty: 3 },
        ],
        rows: [
          { id: 2, name: 'x', qty: 1234, meta: null },
          { id: 3, name: 'y', qty: null, meta: [1] },
        ],
      },
    })
  })

  it('reports every cell that fails and plans nothing', () => {
    const result = planPaste('\tmany\nz\t2\nw\t3', { row: 1, col: 1 }, columns, getRow, 'id')
    expect(result).toEqual({
      ok: false,
      problems: [
        { row: 1, column: 'name', message: 'a value is required' },
        { row: 1, column: 'qty', message: 'expected a whole number' },
        { row: 3, column: 'name', message: 'no row here to paste into' },
        { row: 3, column: 'qty', message: 'no row here to paste into' },
      ],
    })
  })

  it('refuses to change a primary key or to run past the last column', () => {
    expect(planPaste('9', { row: 0, col: 0 }, columns, getRow, 'id')).toEqual({
      ok: false,
      problems: [{ row: 0, column: 'id', message: 'the primary key cannot be pasted over' }],
    })
    expect(planPaste('1\t{}\textra', { row: 0, col: 2 }, columns, getRow, 'id').ok).toBe(false)
    expect(planPaste('1', { row: 0, col: 0 }, columns, getRow, 'id').ok).toBe(true)
  })
})
