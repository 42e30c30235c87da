// The README's hooks-only example is src/examples/hooks-only.tsx, word for word (with the
// package's own name in its import), and that file is rendered in Chromium by
// hooks-only.browser.test.tsx: what the README shows is what is tested.
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'

describe('given the package README', () => {
  it('prints the tested hooks-only example as it is', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
    const source = await readFile(new URL('./examples/hooks-only.tsx', import.meta.url), 'utf8')
    const example = source
      .split('\n')
      .filter((line) => !line.startsWith('//'))
      .join('\n')
      .replace("from '../index.js'", "from '@basebox/react'")
      .trim()
    const blocks = [...readme.matchAll(/```tsx\n([\s\S]*?)```/g)].map((match) => match[1]!.trim())
    expect(blocks).toContain(example)
  })
})
