import { readFile } from 'node:fs/promises'
import { expect, it, vi } from 'vitest'

// The README's quick start is src/testing/readme-quick-start.ts, word for word: `tsc` checks its
// types with the rest of src (its `@basebox/auth` import resolves through the package's own
// `exports`), and this test checks the two are the same text, then runs it. What it prints must
// be what its comments say.

const PACKAGE = new URL('../', import.meta.url)

it('has a quick start that is the tested example, and runs printing what its comments say', async () => {
  const markdown = await readFile(new URL('README.md', PACKAGE), 'utf8')
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(markdown)?.[1]
  const example = await readFile(new URL('src/testing/readme-quick-start.ts', PACKAGE), 'utf8')
  expect(block).toBe(example)
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  let calls: unknown[][]
  try {
    await import('./testing/readme-quick-start.js')
  } finally {
    calls = [...log.mock.calls]
    log.mockRestore()
  }
  expect(calls).toEqual([
    ['ada@example.com'],
    ['authenticated', true],
    [['email_verification']],
    [true],
    [true],
    ['UNAUTHENTICATED'],
    ['session ended'],
    ['anon'],
  ])
}, 120_000)
