import { describe, expect, it } from 'vitest'
import { configureSQLParser } from './configure-sql-parser.js'
import { parseStatements } from './parse-statements.js'

// Core runs in the browser too (PGlite in a worker). A browser host serves libpg-query.wasm and
// tells core its URL; here Vite serves the package's own file.
const wasm = new URL('../../node_modules/libpg-query/wasm/libpg-query.wasm', import.meta.url).href

describe('parseStatements in the browser', () => {
  it('loads the grammar from the configured URL and refuses what it refuses in Node', async () => {
    const fetch = globalThis.fetch
    const asked: string[] = []
    globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      asked.push(input instanceof Request ? input.url : String(input))
      return fetch(input, init)
    }
    try {
      configureSQLParser({ wasm })
      expect(
        (await parseStatements('/* /* */ commit */ select 1; select 2')).map((s) => s.kind),
      ).toEqual(['SelectStmt', 'SelectStmt'])
      await expect(
        parseStatements('/* -- */ commit; insert into t values (1)'),
      ).rejects.toMatchObject({
        code: 'UNSUPPORTED',
        details: { statement: 0 },
      })
    } finally {
      globalThis.fetch = fetch
    }
    // Emscripten may ask twice (streaming compile, then bytes): only ever for the configured file.
    expect(asked.length).toBeGreaterThan(0)
    expect(new Set(asked)).toEqual(new Set([wasm]))
  })
})
