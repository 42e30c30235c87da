// The size of @basebox/react as a host's bundler ships it: the whole package (every export, so an
// upper bound of what tree-shaking leaves), bundled with esbuild, minified, ESM, for browsers, and
// gzipped. Peers (react, react-dom, @tanstack/react-query, react-hook-form, zod) are the host's
// and are left out; the dependencies (@basebox/client, @tanstack/react-table,
// @tanstack/react-virtual, radix-ui, @hookform/resolvers) are counted, and so is styles.css. Fails above the
// budget (100 kB gzipped, JS and CSS together).
//
//   node scripts/bundle-size.mjs            measures dist/index.js (after tsup; `pnpm build` runs it)
//   node scripts/bundle-size.mjs --source   measures src/index.ts (what src/bundle-size.test.ts does)
import { build } from 'esbuild'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

/** The budget, in bytes of gzip: 100 kB. */
export const BUDGET_BYTES = 100 * 1000

/** Modules the host provides once (peer dependencies); not counted. */
export const PEERS = [
  'react',
  'react-dom',
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  'react-dom/client',
  '@tanstack/react-query',
  // zod and react-hook-form are peers too: one copy shared with the host, so its own forms
  // (FormProvider context, zod's instanceof checks) work with the kit's; @basebox/client and
  // @hookform/resolvers use the same copies.
  'react-hook-form',
  'zod',
  'zod/*',
]

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * Bundles the package and measures it.
 * @param {{ entry?: 'source' | 'dist' }} [options] Default is `'dist'` when dist/index.js exists, else `'source'`.
 * @returns {Promise<{ entry: string, js: { bytes: number, gzip: number }, css: { bytes: number, gzip: number }, gzip: number, budget: number, largest: { path: string, bytes: number }[], external: string[], inputs: string[] }>}
 */
export async function measureBundle(options = {}) {
  const dist = `${root}dist/index.js`
  const kind = options.entry ?? (existsSync(dist) ? 'dist' : 'source')
  const entry = kind === 'dist' ? dist : `${root}src/index.ts`
  const common = {
    bundle: true,
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    platform: 'browser',
    target: 'es2022',
    // Workspace packages from their source (a test run has no dist of @basebox/client).
    conditions: ['@basebox/source'],
    absWorkingDir: root,
  }
  const js = await build({
    ...common,
    entryPoints: [entry],
    format: 'esm',
    external: PEERS,
    define: { 'process.env.NODE_ENV': '"production"' },
    // CSS imported from JS (if any) goes to its own output, measured with the stylesheet below.
    outdir: `${root}.bundle-size`,
    loader: { '.css': 'css' },
  })
  const css = await build({
    ...common,
    entryPoints: [`${root}src/styles.css`],
    outfile: `${root}.bundle-size/styles.css`,
  })
  const jsBytes = js.outputFiles
    .filter((file) => file.path.endsWith('.js'))
    .map((file) => file.contents)
  const cssBytes = [...js.outputFiles, ...css.outputFiles]
    .filter((file) => file.path.endsWith('.css'))
    .map((file) => file.contents)
  const size = (chunks) => {
    const all = Buffer.concat(chunks.map((chunk) => Buffer.from(chunk)))
    return { bytes: all.length, gzip: gzipSync(all, { level: 9 }).length }
  }
  const jsSize = size(jsBytes)
  const cssSize = size(cssBytes)
  const output = Object.values(js.metafile.outputs).find((out) => out.entryPoint !== undefined)
  const largest = Object.entries(output?.inputs ?? {})
    .map(([path, info]) => ({
      path: path.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, ''),
      bytes: info.bytesInOutput,
    }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 60)
  const external = [
    ...new Set((output?.imports ?? []).filter((item) => item.external).map((item) => item.path)),
  ].sort()
  const inputs = Object.keys(output?.inputs ?? {})
  return {
    entry: kind,
    js: jsSize,
    css: cssSize,
    gzip: jsSize.gzip + cssSize.gzip,
    budget: BUDGET_BYTES,
    largest,
    external,
    inputs,
  }
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await measureBundle({
    entry: process.argv.includes('--source')
      ? 'source'
      : process.argv.includes('--dist')
        ? 'dist'
        : undefined,
  })
  console.log(
    `@basebox/react bundle (${result.entry}, minified ESM, peers external): ` +
      `JS ${kB(result.js.bytes)} (${kB(result.js.gzip)} gzip) + CSS ${kB(result.css.bytes)} (${kB(result.css.gzip)} gzip) = ` +
      `${kB(result.gzip)} gzip of a ${kB(result.budget)} budget`,
  )
  console.log(
    `  largest inputs (minified bytes): ${result.largest.map((input) => `${input.path} ${kB(input.bytes)}`).join(', ')}`,
  )
  if (result.gzip > result.budget) {
    console.error(
      `@basebox/react is ${kB(result.gzip - result.budget)} over its ${kB(result.budget)} gzip budget`,
    )
    process.exit(1)
  }
}
