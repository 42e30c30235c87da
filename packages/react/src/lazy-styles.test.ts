// The lazy chunks' stylesheets are generated from their .css sources (scripts/lazy-styles.mjs):
// a generated module that is out of date would ship old styles.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { LAZY_STYLES, renderLazyStyle } from '../scripts/lazy-styles.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

describe('given the stylesheets of the lazy components', () => {
  it.each(LAZY_STYLES)('$module is generated from $source and up to date', async (entry) => {
    const expected = await renderLazyStyle(entry)
    expect(readFileSync(`${root}${entry.module}`, 'utf8'), 'run node scripts/lazy-styles.mjs').toBe(
      expected,
    )
    // Bundled: a dependency's stylesheet is inlined, never left as an @import.
    expect(expected).not.toContain('@import')
  })
})
