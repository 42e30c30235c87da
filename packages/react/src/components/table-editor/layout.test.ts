import { describe, expect, it } from 'vitest'
import { layoutKey, moveColumn, readLayout, writeLayout, type LayoutStorage } from './layout.js'

function memoryStorage(): LayoutStorage & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
  }
}

describe('given a column layout storage', () => {
  it('remembers widths, hidden columns and order per database and table', () => {
    const storage = memoryStorage()
    const key = layoutKey('db1', 'posts')
    writeLayout(storage, key, {
      sizing: { title: 300 },
      visibility: { body: false },
      order: ['title', 'id'],
    })
    expect(readLayout(storage, key)).toEqual({
      sizing: { title: 300 },
      visibility: { body: false },
      order: ['title', 'id'],
    })
    expect(readLayout(storage, layoutKey('db1', 'other'))).toEqual({
      sizing: {},
      visibility: {},
      order: [],
    })
  })

  it('reads garbage and a missing storage as the empty layout, and survives a throwing one', () => {
    const storage = memoryStorage()
    storage.data.set('k', '{nope')
    expect(readLayout(storage, 'k')).toEqual({ sizing: {}, visibility: {}, order: [] })
    expect(readLayout(undefined, 'k')).toEqual({ sizing: {}, visibility: {}, order: [] })
    const full: LayoutStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error('quota')
      },
    }
    expect(() => writeLayout(full, 'k', { sizing: {}, visibility: {}, order: [] })).not.toThrow()
  })

  it('moves a column left or right, filling in columns the order does not know', () => {
    expect(moveColumn([], ['a', 'b', 'c'], 'b', -1)).toEqual(['b', 'a', 'c'])
    expect(moveColumn(['c', 'a'], ['a', 'b', 'c'], 'a', 1)).toEqual(['c', 'b', 'a'])
    expect(moveColumn(['a', 'b'], ['a', 'b'], 'a', -1)).toEqual(['a', 'b'])
  })
})
