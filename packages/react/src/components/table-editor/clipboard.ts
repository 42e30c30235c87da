import type { ColumnDefinition } from '@basebox/client'
import { formatValue, parseInput } from '../../values/values.js'
import type { CellRange } from './selection.js'
import { decodeTSV, encodeTSV } from './tsv.js'

type Row = Record<string, unknown>

/** The TSV of a range of cells: each value as {@link formatValue} writes it. Unloaded rows are skipped. */
export function copyRange(
  range: CellRange,
  columns: readonly ColumnDefinition[],
  getRow: (index: number) => Row | undefined,
): string {
  const out: string[][] = []
  for (let r = range.top; r <= range.bottom; r++) {
    const row = getRow(r)
    if (row === undefined) {
      continue
    }
    const cells: string[] = []
    for (let c = range.left; c <= range.right; c++) {
      const column = columns[c]
      if (column !== undefined) {
        cells.push(formatValue(column, row[column.name]))
      }
    }
    out.push(cells)
  }
  return encodeTSV(out)
}

/** A cell a paste or clear could not write, by grid position. */
export interface CellProblem {
  row: number
  column: string
  message: string
}

/** The rows a paste writes: full rows (cached values with the pasted cells over them), in grid order. */
export interface PastePlan {
  /** Grid index of each written row. */
  indexes: number[]
  /** What each row held before (only the pasted columns), for undo. */
  before: Row[]
  /** The rows to upsert on the primary key. */
  rows: Row[]
}

/**
 * Plans a paste of TSV at a grid cell: every cell is parsed with `parseInput` for its column
 * first; any cell that does not parse (or lands past the loaded rows or columns, or would change
 * a primary key) is a problem, and then nothing is written. Else each touched row is its cached
 * row with the pasted cells merged in, ready for ONE upsert keyed on the primary key.
 */
export function planPaste(
  text: string,
  at: { row: number; col: number },
  columns: readonly ColumnDefinition[],
  getRow: (index: number) => Row | undefined,
  primaryKey: string,
): { ok: true; plan: PastePlan } | { ok: false; problems: CellProblem[] } {
  const cells = decodeTSV(text)
  const problems: CellProblem[] = []
  const plan: PastePlan = { indexes: [], before: [], rows: [] }
  cells.forEach((line, r) => {
    const index = at.row + r
    const row = getRow(index)
    const next: Row = row === undefined ? {} : { ...row }
    const before: Row = {}
    line.forEach((cellText, c) => {
      const column = columns[at.col + c]
      if (column === undefined) {
        problems.push({
          row: index,
          column: columns[columns.length - 1]?.name ?? '',
          message: 'past the last column',
        })
        return
      }
      if (row === undefined) {
        problems.push({ row: index, column: column.name, message: 'no row here to paste into' })
        return
      }
      const parsed = parseInput(column, cellText)
      if (!parsed.ok) {
        problems.push({ row: index, column: column.name, message: parsed.message })
        return
      }
      if (column.name === primaryKey && String(parsed.value) !== String(row[primaryKey])) {
        problems.push({
          row: index,
          column: column.name,
          message: 'the primary key cannot be pasted over',
        })
        return
      }
      before[column.name] = row[column.name]
      next[column.name] = parsed.value
    })
    if (row !== undefined) {
      plan.indexes.push(index)
      plan.before.push(before)
      plan.rows.push(next)
    }
  })
  return problems.length > 0 ? { ok: false, problems } : { ok: true, plan }
}
