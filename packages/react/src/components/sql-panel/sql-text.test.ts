import { describe, expect, it } from 'vitest'
import {
  addHistory,
  errorRange,
  looksLikeWrite,
  readHistory,
  readSnippets,
  removeSnippet,
  resultToCSV,
  resultToJSON,
  saveSnippet,
  SQL_HISTORY_LIMIT,
  type SQLPanelStorage,
} from './sql-text.js'

const memory = (): SQLPanelStorage => {
  const data = new Map<string, string>()
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) }
}

describe('looksLikeWrite', () => {
  it('sees writes outside comments and quotes, and not inside them', () => {
    expect(looksLikeWrite('select 1')).toBe(false)
    expect(looksLikeWrite("select 'delete from x' -- update\n/* drop */")).toBe(false)
    expect(looksLikeWrite('select "update" from t')).toBe(false)
    expect(looksLikeWrite('select $$ insert $$')).toBe(false)
    expect(looksLikeWrite('DELETE FROM t')).toBe(true)
    expect(looksLikeWrite('with x as (update t set a = 1 returning *) select * from x')).toBe(true)
    expect(looksLikeWrite('select * into copy_of from t')).toBe(true)
    expect(looksLikeWrite('select 1; truncate t')).toBe(true)
  })
})

describe('errorRange', () => {
  it('underlines the word at a 1-based position, shifted by the selection offset', () => {
    const doc = 'select 1;\nselect nosuch from t'
    expect(errorRange(doc, 0, 18)).toEqual({ from: 17, to: 23 })
    expect(doc.slice(17, 23)).toBe('nosuch')
    expect(errorRange(doc, 10, 8)).toEqual({ from: 17, to: 23 })
    // At the end of the text: the last character.
    expect(errorRange('select', 0, 7)).toEqual({ from: 5, to: 6 })
  })
})

describe('exports', () => {
  const result = {
    columns: [
      { name: 'n', type: 'integer' },
      { name: 'n', type: 'text' },
      { name: 'j', type: 'jsonb' },
    ],
    rows: [
      [1, 'a,"b"', { k: 1 }],
      [null, ' x', null],
    ],
  }
  it('writes RFC 4180 CSV with NULL as an empty field', () => {
    expect(resultToCSV(result)).toBe('n,n,j\r\n1,"a,""b""","{""k"":1}"\r\n," x",\r\n')
  })
  it('writes JSON objects, repeated names suffixed', () => {
    expect(JSON.parse(resultToJSON(result))).toEqual([
      { n: 1, n_2: 'a,"b"', j: { k: 1 } },
      { n: null, n_2: ' x', j: null },
    ])
  })
})

describe('history and snippets', () => {
  it('keep per database, newest first, bounded', () => {
    const storage = memory()
    for (let i = 0; i < SQL_HISTORY_LIMIT + 5; i++) {
      addHistory(storage, 'db-a', {
        sql: `select ${i}`,
        at: new Date(i).toISOString(),
        outcome: 'ok',
      })
    }
    const history = readHistory(storage, 'db-a')
    expect(history).toHaveLength(SQL_HISTORY_LIMIT)
    expect(history[0]!.sql).toBe(`select ${SQL_HISTORY_LIMIT + 4}`)
    expect(readHistory(storage, 'db-b')).toEqual([])
    saveSnippet(storage, 'db-a', { name: 'b', sql: 'select 2' })
    saveSnippet(storage, 'db-a', { name: 'a', sql: 'select 1' })
    saveSnippet(storage, 'db-a', { name: 'b', sql: 'select 3' })
    expect(readSnippets(storage, 'db-a')).toEqual([
      { name: 'a', sql: 'select 1' },
      { name: 'b', sql: 'select 3' },
    ])
    expect(removeSnippet(storage, 'db-a', 'a')).toEqual([{ name: 'b', sql: 'select 3' }])
    expect(readSnippets(storage, 'db-b')).toEqual([])
  })
  it('read garbage as empty', () => {
    const storage = memory()
    storage.setItem('basebox:sql-history:x', '{not json')
    expect(readHistory(storage, 'x')).toEqual([])
    expect(readHistory(undefined, 'x')).toEqual([])
  })
})
