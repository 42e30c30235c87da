/**
 * The grid's selection model, as plain data: the active cell, the anchor of a range (Shift+arrows,
 * Shift+click) and the keyboard moves. Rows and columns are indexes in the grid as shown (row 0
 * is the first data row, column 0 the first visible column).
 */

/** A cell position in the grid. */
export interface CellPosition {
  row: number
  col: number
}

/** The active cell and the other corner of the selected range (the anchor). */
export interface CellSelection {
  active: CellPosition
  anchor: CellPosition
}

/** A rectangle of cells, inclusive on both ends. */
export interface CellRange {
  top: number
  left: number
  bottom: number
  right: number
}

/** The grid's size, for clamping moves. */
export interface GridSize {
  rows: number
  cols: number
  /** Rows one PageUp/PageDown moves. */
  pageRows: number
}

/** The rectangle a selection covers. */
export function selectionRange(selection: CellSelection): CellRange {
  return {
    top: Math.min(selection.active.row, selection.anchor.row),
    bottom: Math.max(selection.active.row, selection.anchor.row),
    left: Math.min(selection.active.col, selection.anchor.col),
    right: Math.max(selection.active.col, selection.anchor.col),
  }
}

/** Whether a cell lies in a range. */
export function inRange(range: CellRange, row: number, col: number): boolean {
  return row >= range.top && row <= range.bottom && col >= range.left && col <= range.right
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value))
}

/** The keys the grid moves on, with their modifiers. */
export interface MoveKey {
  key: string
  shiftKey?: boolean
  ctrlKey?: boolean
  metaKey?: boolean
}

/**
 * Where a key moves the selection, or `undefined` when the key is not a move: arrows, Home/End
 * (row start/end; with Ctrl/Cmd the first/last cell of the grid), PageUp/PageDown, Tab and
 * Shift+Tab (wrapping to the next/previous row). Shift with arrows, Home/End and PageUp/Down
 * extends the range from the anchor instead of moving it.
 */
export function moveSelection(
  selection: CellSelection,
  event: MoveKey,
  size: GridSize,
): CellSelection | undefined {
  if (size.rows === 0 || size.cols === 0) {
    return undefined
  }
  const { row, col } = selection.active
  const lastRow = size.rows - 1
  const lastCol = size.cols - 1
  const mod = event.ctrlKey === true || event.metaKey === true
  let next: CellPosition
  switch (event.key) {
    case 'ArrowUp':
      next = { row: mod ? 0 : row - 1, col }
      break
    case 'ArrowDown':
      next = { row: mod ? lastRow : row + 1, col }
      break
    case 'ArrowLeft':
      next = { row, col: mod ? 0 : col - 1 }
      break
    case 'ArrowRight':
      next = { row, col: mod ? lastCol : col + 1 }
      break
    case 'Home':
      next = mod ? { row: 0, col: 0 } : { row, col: 0 }
      break
    case 'End':
      next = mod ? { row: lastRow, col: lastCol } : { row, col: lastCol }
      break
    case 'PageUp':
      next = { row: row - Math.max(1, size.pageRows), col }
      break
    case 'PageDown':
      next = { row: row + Math.max(1, size.pageRows), col }
      break
    case 'Tab': {
      const back = event.shiftKey === true
      if (back) {
        next =
          col > 0 ? { row, col: col - 1 } : row > 0 ? { row: row - 1, col: lastCol } : { row, col }
      } else {
        next =
          col < lastCol
            ? { row, col: col + 1 }
            : row < lastRow
              ? { row: row + 1, col: 0 }
              : { row, col }
      }
      const active = { row: clamp(next.row, 0, lastRow), col: clamp(next.col, 0, lastCol) }
      return { active, anchor: active }
    }
    default:
      return undefined
  }
  const active = { row: clamp(next.row, 0, lastRow), col: clamp(next.col, 0, lastCol) }
  return event.shiftKey === true ? { active, anchor: selection.anchor } : { active, anchor: active }
}

/** The selection after clicking a cell: Shift extends the range from the anchor. */
export function clickSelection(
  selection: CellSelection | undefined,
  cell: CellPosition,
  shiftKey: boolean,
): CellSelection {
  return shiftKey && selection !== undefined
    ? { active: cell, anchor: selection.anchor }
    : { active: cell, anchor: cell }
}

/**
 * The set of selected rows (by key) after clicking a row's checkbox: a plain click toggles that
 * row alone (Ctrl/Cmd too), Shift adds every row from the last clicked one.
 */
export function toggleRowSelection(
  selected: ReadonlySet<string>,
  keys: readonly string[],
  index: number,
  lastIndex: number | undefined,
  shiftKey: boolean,
): Set<string> {
  const next = new Set(selected)
  const key = keys[index]
  if (key === undefined) {
    return next
  }
  if (shiftKey && lastIndex !== undefined) {
    const from = Math.min(index, lastIndex)
    const to = Math.max(index, lastIndex)
    for (let i = from; i <= to; i++) {
      const k = keys[i]
      if (k !== undefined) {
        next.add(k)
      }
    }
    return next
  }
  if (next.has(key)) {
    next.delete(key)
  } else {
    next.add(key)
  }
  return next
}
