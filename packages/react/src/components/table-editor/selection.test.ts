import { describe, expect, it } from 'vitest'
import {
  clickSelection,
  inRange,
  moveSelection,
  selectionRange,
  toggleRowSelection,
  type CellSelection,
} from './selection.js'

const size = { rows: 100, cols: 5, pageRows: 10 }
const at = (row: number, col: number): CellSelection => ({
  active: { row, col },
  anchor: { row, col },
})

describe('given a grid selection', () => {
  it('moves with arrows, clamped to the grid', () => {
    expect(moveSelection(at(0, 0), { key: 'ArrowUp' }, size)).toEqual(at(0, 0))
    expect(moveSelection(at(0, 0), { key: 'ArrowDown' }, size)).toEqual(at(1, 0))
    expect(moveSelection(at(3, 4), { key: 'ArrowRight' }, size)).toEqual(at(3, 4))
    expect(moveSelection(at(3, 4), { key: 'ArrowLeft' }, size)).toEqual(at(3, 3))
  })

  it('goes to row ends with Home/End and to grid corners with Ctrl or Cmd', () => {
    expect(moveSelection(at(7, 2), { key: 'Home' }, size)).toEqual(at(7, 0))
    expect(moveSelection(at(7, 2), { key: 'End' }, size)).toEqual(at(7, 4))
    expect(moveSelection(at(7, 2), { key: 'Home', ctrlKey: true }, size)).toEqual(at(0, 0))
    expect(moveSelection(at(7, 2), { key: 'End', metaKey: true }, size)).toEqual(at(99, 4))
  })

  it('pages by pageRows', () => {
    expect(moveSelection(at(5, 1), { key: 'PageDown' }, size)).toEqual(at(15, 1))
    expect(moveSelection(at(5, 1), { key: 'PageUp' }, size)).toEqual(at(0, 1))
    expect(moveSelection(at(95, 1), { key: 'PageDown' }, size)).toEqual(at(99, 1))
  })

  it('tabs right and wraps to the next row, Shift+Tab back to the previous one', () => {
    expect(moveSelection(at(2, 3), { key: 'Tab' }, size)).toEqual(at(2, 4))
    expect(moveSelection(at(2, 4), { key: 'Tab' }, size)).toEqual(at(3, 0))
    expect(moveSelection(at(3, 0), { key: 'Tab', shiftKey: true }, size)).toEqual(at(2, 4))
    expect(moveSelection(at(99, 4), { key: 'Tab' }, size)).toEqual(at(99, 4))
  })

  it('extends a range with Shift+arrows, keeping the anchor', () => {
    const first = moveSelection(at(2, 1), { key: 'ArrowDown', shiftKey: true }, size)!
    const second = moveSelection(first, { key: 'ArrowRight', shiftKey: true }, size)!
    expect(second).toEqual({ active: { row: 3, col: 2 }, anchor: { row: 2, col: 1 } })
    const range = selectionRange(second)
    expect(range).toEqual({ top: 2, bottom: 3, left: 1, right: 2 })
    expect(inRange(range, 3, 1)).toBe(true)
    expect(inRange(range, 4, 1)).toBe(false)
  })

  it('ignores keys that are not moves, and empty grids', () => {
    expect(moveSelection(at(0, 0), { key: 'a' }, size)).toBeUndefined()
    expect(
      moveSelection(at(0, 0), { key: 'ArrowDown' }, { rows: 0, cols: 3, pageRows: 1 }),
    ).toBeUndefined()
  })

  it('extends from the anchor on Shift+click', () => {
    expect(clickSelection(at(1, 1), { row: 4, col: 3 }, true)).toEqual({
      active: { row: 4, col: 3 },
      anchor: { row: 1, col: 1 },
    })
    expect(clickSelection(at(1, 1), { row: 4, col: 3 }, false)).toEqual(at(4, 3))
  })
})

describe('given selected rows', () => {
  const keys = ['a', 'b', 'c', 'd', 'e']
  it('toggles one row on click and adds the span on Shift-click', () => {
    let selected = toggleRowSelection(new Set(), keys, 1, undefined, false)
    expect([...selected]).toEqual(['b'])
    selected = toggleRowSelection(selected, keys, 3, 1, true)
    expect([...selected].sort()).toEqual(['b', 'c', 'd'])
    selected = toggleRowSelection(selected, keys, 2, 3, false)
    expect([...selected].sort()).toEqual(['b', 'd'])
  })
})
