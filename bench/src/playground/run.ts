// pnpm --filter @basebox/bench bench:playground
//
// The playground's cold start: builds apps/playground with its own Vite config, serves the
// static site with Vite's preview server on 127.0.0.1, and drives Debian's Chromium with
// playwright-core. It measures the time from navigation to an interactive page: PGlite booted in
// its Web Worker, the catalog migrated, end-user auth started and the projects page showing the
// signed-in user's projects (so a click does something). Two cases, reported apart:
//
// - first-ever load: a new browser profile each time (empty HTTP cache, no IndexedDB), so the
//   page downloads and compiles PGlite's WebAssembly and creates the database cluster;
// - warm reload: the same profile reloaded, with the HTTP cache and the persisted database.
//
// Every time is read off the page's own clock (performance.now(), from navigation start), so the
// bench's own round trips do not count. It prints and never fails on a number; the target (warm
// reload under 1.5 s) is reported against.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'
import { build, preview } from 'vite'
import { writeSectionBlock } from '../readme-section.js'
import { summarize, type Summary } from '../stats.js'

const FIRST_LOADS = positiveInteger('BENCH_FIRST_LOADS', 3)
const WARM_LOADS = positiveInteger('BENCH_WARM_LOADS', 10)
/** Only full runs are recorded in the README. */
const FULL_RUN = FIRST_LOADS >= 3 && WARM_LOADS >= 10
const TARGET_WARM_MS = 1500
/** A first start creates the cluster and compiles 15 MB of WebAssembly: generous on a busy machine. */
const LOAD_TIMEOUT_MS = 180_000

const playground = fileURLToPath(new URL('../../../apps/playground/', import.meta.url))
const README = new URL('../../README.md', import.meta.url)

function positiveInteger(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a whole number of at least 1`)
  }
  return value
}

const load = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')

/** What one load of the page measured, in ms from navigation start. */
interface Load {
  /** PGlite answered in its worker (the database files are loaded from IndexedDB). */
  pglite: number
  /** The engine is up: PGlite answered in the worker and the catalog is migrated. */
  engine: number
  /** End-user auth is started too: the boot screen gives way to the app. */
  ready: number
  /** The projects page lists the signed-in user's projects. */
  interactive: number
}

/**
 * Runs in the page before its scripts: watches the DOM until the projects list has loaded (the
 * "Your projects" card shows a project link or "No projects yet") and records the time. Page code
 * is kept as text: tsx's name-keeping helpers would not exist in the page.
 */
const WATCH_INTERACTIVE = `
window.__interactive = new Promise(function (resolve) {
  var observer = new MutationObserver(check)
  function check() {
    var card = document.querySelector('section[aria-labelledby="pg-projects"]')
    if (card !== null && (card.querySelector('a') !== null || /No projects yet/.test(card.textContent || ''))) {
      observer.disconnect()
      resolve(performance.now())
    }
  }
  observer.observe(document, { childList: true, subtree: true, characterData: true })
  check()
})`

/** Reads the boot's user-timing marks (apps/playground/src/boot.tsx) and the bytes fetched. */
const READ_LOAD = `
(async function () {
  var interactive = await window.__interactive
  function mark(name) {
    var entry = performance.getEntriesByName(name, 'mark')[0]
    if (entry === undefined) throw new Error('the page set no ' + name + ' mark')
    return entry.startTime
  }
  return {
    pglite: mark('basebox-playground:pglite-ready'),
    engine: mark('basebox-playground:engine-ready'),
    ready: mark('basebox-playground:ready'),
    interactive: interactive,
  }
})()`

/** The bytes of every response of `context` (the page's and its worker's) until the returned function is called. */
function countBytes(context: BrowserContext): () => number {
  let bytes = 0
  const onResponse = (response: { headers(): Record<string, string> }) => {
    bytes += Number(response.headers()['content-length'] ?? 0)
  }
  context.on('response', onResponse)
  return () => {
    context.off('response', onResponse)
    return bytes
  }
}

async function measureLoad(context: BrowserContext, url: string, reload: boolean): Promise<Load> {
  const page = context.pages()[0] ?? (await context.newPage())
  if (reload) {
    await page.reload({ waitUntil: 'commit' })
  } else {
    await page.goto(url, { waitUntil: 'commit' })
  }
  return (await page.evaluate(READ_LOAD)) as Load
}

async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  await context.addInitScript({ content: WATCH_INTERACTIVE })
  // Signed in as a host user already, so the page goes straight to the projects list.
  await context.addInitScript({
    content: "localStorage.setItem('basebox-playground:user', 'bench')",
  })
  const page = await context.newPage()
  page.setDefaultTimeout(LOAD_TIMEOUT_MS)
  page.on('pageerror', (error) => console.error('page error:', error))
  page.on('console', (message) => {
    if (message.type() === 'error') {
      console.error(`page error: ${message.text()}`)
    }
  })
  return context
}

async function main(): Promise<void> {
  const loadBefore = load()
  const outDir = await mkdtemp(join(os.tmpdir(), 'basebox-bench-playground-'))
  const shared = {
    root: playground,
    configFile: join(playground, 'vite.config.ts'),
    logLevel: 'warn' as const,
  }
  console.log('building the playground with Vite…')
  await build({
    ...shared,
    mode: 'production',
    build: { outDir, emptyOutDir: true, reportCompressedSize: false },
  })
  const server = await preview({
    ...shared,
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  })
  const url = server.resolvedUrls?.local[0]
  if (url === undefined) {
    throw new Error('the preview server has no local URL')
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // As in vitest.config.ts; never `playwright install`.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  try {
    console.log(`serving ${url}; ${FIRST_LOADS} first-ever loads, then ${WARM_LOADS} warm reloads`)
    const first: Load[] = []
    const downloaded: number[] = []
    let warmContext: BrowserContext | null = null
    for (let k = 0; k < FIRST_LOADS; k++) {
      const context = await newContext(browser)
      const bytes = countBytes(context)
      first.push(await measureLoad(context, url, false))
      downloaded.push(bytes())
      console.log(`  first-ever load ${k + 1}: interactive at ${ms(first.at(-1)!.interactive)}`)
      if (k === FIRST_LOADS - 1) {
        warmContext = context
      } else {
        await context.close()
      }
    }
    const warm: Load[] = []
    for (let k = 0; k < WARM_LOADS; k++) {
      warm.push(await measureLoad(warmContext!, url, true))
    }
    await warmContext!.close()
    const report = formatReport(first, downloaded, warm, {
      loadBefore,
      loadAfter: load(),
      chromium: browser.version(),
    })
    console.log(`\n${report}`)
    if (FULL_RUN) {
      await writeSectionBlock(README, 'playground', 'playground-results', report)
      console.log('\nrecorded in bench/README.md')
    }
  } finally {
    await browser.close()
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()))
    await rm(outDir, { recursive: true, force: true })
  }
}

const ms = (value: number) => `${value.toFixed(0)} ms`
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

function row(name: string, summary: Summary, unit: (value: number) => string = ms): string {
  return `| ${name} | ${unit(summary.median)} | ${unit(summary.p95)} | ${unit(summary.max)} | ${summary.n} |`
}

function formatReport(
  first: readonly Load[],
  downloaded: readonly number[],
  warm: readonly Load[],
  run: { loadBefore: string; loadAfter: string; chromium: string },
): string {
  const interactiveWarm = summarize(warm.map((entry) => entry.interactive))
  const table = (loads: readonly Load[]) => [
    '| from navigation start to | median | p95 | max | n |',
    '| --- | ---: | ---: | ---: | ---: |',
    row(
      'PGlite up in the worker (data loaded from IndexedDB)',
      summarize(loads.map((entry) => entry.pglite)),
    ),
    row('engine up (catalog migrated)', summarize(loads.map((entry) => entry.engine))),
    row('app shown (end-user auth started)', summarize(loads.map((entry) => entry.ready))),
    row('**interactive** (projects listed)', summarize(loads.map((entry) => entry.interactive))),
  ]
  return [
    `Chromium ${run.chromium} headless, ${os.cpus().length} cores, Node ${process.version}; load average (1/5/15 min) ${run.loadBefore} before, ${run.loadAfter} after. Served from 127.0.0.1 (no network latency).`,
    '',
    `**First-ever load** (new profile: downloads and compiles the WebAssembly, creates the cluster in IndexedDB):`,
    '',
    ...table(first),
    '',
    `It downloads ${mb(summarize(downloaded).median)} (the page, its worker, PGlite's WebAssembly and data, libpg-query's WebAssembly).`,
    '',
    `**Warm reload** (HTTP cache and the persisted database): target under ${ms(TARGET_WARM_MS)}, ${interactiveWarm.median < TARGET_WARM_MS ? 'met' : 'NOT met'} (median).`,
    '',
    ...table(warm),
  ].join('\n')
}

await main()
