// `@basebox/core/testing` is for any host's tests, whatever runner they use: bundled as a
// consumer would load it, it must not import vitest (the vitest helpers are `./testing/vitest`).
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

async function importsOf(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [`${root}${entry}`],
    bundle: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outdir: `${root}.no-runner`,
  })
  return Object.values(result.metafile.outputs).flatMap((output) =>
    output.imports.filter((item) => item.external).map((item) => item.path),
  )
}

describe('given the testing subpaths', () => {
  it('@basebox/core/testing loads without vitest', async () => {
    const imports = await importsOf('src/testing/index.ts')
    expect(imports.length).toBeGreaterThan(0)
    expect(imports.filter((path) => /^vitest(\/|$)/.test(path))).toEqual([])
  })

  it('@basebox/core/testing/vitest holds the vitest helpers', async () => {
    expect(await importsOf('src/testing/vitest.ts')).toContain('vitest')
  })
})
