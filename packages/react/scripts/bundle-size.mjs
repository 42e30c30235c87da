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
 * @returns {Promise<{ entry: string, js: { bytes: number, gzip: number }, css: { bytes: number, gzip: number }, gzip: number, budget: number, largest: { path: string, bytes: number }[], external: string[], inputs: string[], lazy: { entryPoint: string, js: { bytes: number, gzip: number }, inputs: string[] }[] }>}
 * `js`, `inputs` and `external` are the main entry's (with the chunks it imports statically); `lazy` lists each
 * dynamically imported chunk (a lazy component) with what only it brings, not counted in the budget.
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
    splitting: true,
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
  // Code splitting as a host's bundler does it: the main entry and the chunks it imports
  // statically are what every host downloads; each dynamic import (the lazy components) is a
  // chunk of its own, measured apart and not counted in the budget.
  const outputs = js.metafile.outputs
  const relative = (path) => path.slice(root.length)
  const jsOutputs = Object.keys(outputs).filter((key) => key.endsWith('.js'))
  const entryKey = jsOutputs.find(
    (key) =>
      outputs[key].entryPoint !== undefined &&
      outputs[key].entryPoint.endsWith(entry.slice(root.length)),
  )
  const closure = (start, exclude = new Set()) => {
    const seen = new Set()
    const visit = (key) => {
      if (seen.has(key) || exclude.has(key) || outputs[key] === undefined) return
      seen.add(key)
      for (const item of outputs[key].imports)
        if (!item.external && item.kind === 'import-statement') visit(item.path)
    }
    visit(start)
    return seen
  }
  const main = closure(entryKey)
  const fileOf = (key) => js.outputFiles.find((file) => relative(file.path) === key)
  const jsBytes = [...main].map((key) => fileOf(key).contents)
  const cssBytes = [...js.outputFiles, ...css.outputFiles]
    .filter((file) => file.path.endsWith('.css'))
    .map((file) => file.contents)
  const size = (chunks) => {
    const all = Buffer.concat(chunks.map((chunk) => Buffer.from(chunk)))
    return { bytes: all.length, gzip: gzipSync(all, { level: 9 }).length }
  }
  const jsSize = size(jsBytes)
  const cssSize = size(cssBytes)
  const lazyEntries = [
    ...new Set(
      jsOutputs.flatMap((key) =>
        outputs[key].imports
          .filter((item) => !item.external && item.kind === 'dynamic-import')
          .map((item) => item.path),
      ),
    ),
  ]
  const lazy = lazyEntries
    .filter((key) => !main.has(key))
    .map((key) => {
      const files = [...closure(key, main)]
      return {
        entryPoint: outputs[key].entryPoint ?? key,
        js: size(files.map((file) => fileOf(file).contents)),
        inputs: files.flatMap((file) => Object.keys(outputs[file].inputs)),
      }
    })
  const mainInputs = Object.fromEntries(
    [...main].flatMap((key) => Object.entries(outputs[key].inputs)),
  )
  const largest = Object.entries(mainInputs)
    .map(([path, info]) => ({
      path: path.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, ''),
      bytes: info.bytesInOutput,
    }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 60)
  const external = [
    ...new Set(
      [...main].flatMap((key) =>
        outputs[key].imports.filter((item) => item.external).map((item) => item.path),
      ),
    ),
  ].sort()
  const inputs = Object.keys(mainInputs)
  return {
    entry: kind,
    js: jsSize,
    css: cssSize,
    gzip: jsSize.gzip + cssSize.gzip,
    budget: BUDGET_BYTES,
    largest,
    external,
    inputs,
    lazy,
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
  for (const chunk of result.lazy) {
    console.log(
      `  lazy chunk ${chunk.entryPoint}: JS ${kB(chunk.js.bytes)} (${kB(chunk.js.gzip)} gzip), not in the budget`,
    )
  }
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
