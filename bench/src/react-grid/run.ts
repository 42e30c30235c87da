// pnpm --filter @basebox/bench bench:react
//
// The @basebox/react grid benchmark: builds page.tsx with Vite's API, serves it with Vite's
// preview server on 127.0.0.1 (cross-origin isolated, so the browser can report the memory of
// the page and its PGlite worker), and drives Debian's Chromium with playwright-core. In one run
// and interleaved, on 100,000 rows: TableEditor and a plain <table> of the same first rows
// (plain-table.tsx), each measured for time to first rows after mount, p95 frame time while
// scrolling at speed, the page's memory, and time to open a 20-column table. It prints and never
// fails on a number; the targets (first rows < 300 ms, p95 frame < 16.7 ms) are reported against.
import react from '@vitejs/plugin-react'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type CDPSession, type Page } from 'playwright-core'
import { build, preview } from 'vite'
import { summarize, type Summary } from '../stats.js'
import { PAGE, ROWS, type View } from './constants.js'

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 5)
/** Pixels per frame of the scripted sweep: about 60 rows (34 px) a frame, 3,600 rows a second at 60 Hz. */
const STEP = Number(process.env.BENCH_SCROLL_STEP ?? 2000)
const FRAMES = Number(process.env.BENCH_SCROLL_FRAMES ?? 240)
const TARGET_FIRST_ROWS_MS = 300
const TARGET_P95_FRAME_MS = 16.7

const root = fileURLToPath(new URL('.', import.meta.url))
const load = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')

async function main(): Promise<void> {
  const loadBefore = load()
  const outDir = await mkdtemp(join(os.tmpdir(), 'basebox-bench-react-'))
  const shared = {
    root,
    configFile: false as const,
    logLevel: 'warn' as const,
    plugins: [react()],
    resolve: { conditions: ['@basebox/source', 'module', 'browser', 'production'] },
    worker: { format: 'es' as const },
  }
  console.log('building the page with Vite…')
  await build({
    ...shared,
    mode: 'production',
    build: { outDir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  })
  const server = await preview({
    ...shared,
    build: { outDir },
    preview: {
      host: '127.0.0.1',
      port: 0,
      strictPort: false,
      // Cross-origin isolation: performance.measureUserAgentSpecificMemory counts the workers too.
      headers:
        process.env.BENCH_ISOLATED === '0'
          ? {}
          : {
              'Cross-Origin-Opener-Policy': 'same-origin',
              'Cross-Origin-Embedder-Policy': 'require-corp',
            },
    },
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
      '--enable-blink-features=ForceEagerMeasureMemory',
    ],
  })
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } })
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error('page error:', error))
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        console.error(`page ${message.type()}: ${message.text()}`)
      }
    })
    context.on('response', (response) => {
      if (response.status() >= 400) {
        console.error(`page request ${response.status()}: ${response.url()}`)
      }
    })
    page.on('worker', (worker) => {
      worker.on('console', (message) => {
        if (message.type() === 'error') {
          console.error(`worker error: ${message.text()}`)
        }
      })
    })
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')
    await page.goto(url)
    console.log(`page at ${url}; starting PGlite in a worker and seeding 2 × 100,000 rows…`)
    const ready = await page.evaluate(() => window.bench.ready)
    console.log(
      `engine ready in ${ready.startMs.toFixed(0)} ms, seeded in ${(ready.seedMs / 1000).toFixed(1)} s; TableEditor ${ready.tableEditor ? 'found' : 'NOT exported by @basebox/react yet: plain table only'}`,
    )
    const views: View[] = ready.tableEditor ? ['editor', 'plain'] : ['plain']
    const results = new Map<View, Result>(
      views.map((view) => [
        view,
        {
          firstRows: [],
          firstRowsDOM: [],
          wide: [],
          frames: [],
          settle: [],
          deepest: 0,
          heap: [],
          uaMemory: [],
          columns: 0,
        },
      ]),
    )
    // One warm-up of each view (Vite chunks, JIT), not counted.
    for (const view of views) {
      await page.evaluate(([v]) => window.bench.mount(v, 'events'), [view] as const)
      await page.evaluate(([v]) => window.bench.mount(v, 'wide'), [view] as const)
    }
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      // Rotate the order so load changes hit both views alike.
      const order = iteration % 2 === 0 ? views : [...views].reverse()
      for (const view of order) {
        const result = results.get(view)!
        const events = await page.evaluate(([v]) => window.bench.mount(v, 'events'), [
          view,
        ] as const)
        result.firstRows.push(events.paintedMs)
        result.firstRowsDOM.push(events.domMs)
        const rows = view === 'plain' ? PAGE : ROWS
        const sweep = await page.evaluate(
          ([step, frames, total]) => window.bench.sweep(step, frames, total),
          [STEP, FRAMES, rows] as const,
        )
        result.frames.push(...sweep.deltas)
        result.settle.push(sweep.settleMs ?? Number.POSITIVE_INFINITY)
        result.deepest = Math.max(result.deepest, sweep.maxRowSeen)
        const memory = await measureMemory(page, cdp)
        result.heap.push(memory.heap)
        if (memory.ua !== null) {
          result.uaMemory.push(memory.ua)
        }
        const wide = await page.evaluate(([v]) => window.bench.mount(v, 'wide'), [view] as const)
        result.wide.push(wide.paintedMs)
        result.columns = wide.columns
      }
    }
    report(results, {
      loadBefore,
      loadAfter: load(),
      url,
      seedMs: ready.seedMs,
      chromium: browser.version(),
    })
  } finally {
    await browser.close()
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()))
    await rm(outDir, { recursive: true, force: true })
  }
}

interface Result {
  firstRows: number[]
  firstRowsDOM: number[]
  wide: number[]
  frames: number[]
  /** Per sweep, ms from the stop until the rows there were shown (Infinity: not within 15 s). */
  settle: number[]
  deepest: number
  heap: number[]
  uaMemory: number[]
  columns: number
}

async function measureMemory(
  page: Page,
  cdp: CDPSession,
): Promise<{ heap: number; ua: number | null }> {
  await cdp.send('HeapProfiler.collectGarbage')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const heap = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? Number.NaN
  const ua = await page.evaluate(() => window.bench.uaMemory()).catch(() => null)
  return { heap, ua }
}

const ms = (value: number) => `${value.toFixed(1)} ms`
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`
const line = (name: string, summary: Summary, unit: (value: number) => string = ms) =>
  `${name.padEnd(34)} median ${unit(summary.median).padStart(9)}   p95 ${unit(summary.p95).padStart(9)}   max ${unit(summary.max).padStart(9)}   (n=${summary.n})`

function report(
  results: Map<View, Result>,
  run: { loadBefore: string; loadAfter: string; url: string; seedMs: number; chromium: string },
): void {
  console.log('')
  console.log(
    `@basebox/react grid on 100,000 rows, Chromium ${run.chromium} headless, PGlite in a worker (opfs-ahp); ${ITERATIONS} iterations after one warm-up`,
  )
  console.log(
    `scroll sweep: ${STEP} px per frame for ${FRAMES} frames; load average (1/5/15 min) ${run.loadBefore} before, ${run.loadAfter} after`,
  )
  for (const [view, result] of results) {
    const name = view === 'editor' ? 'TableEditor' : 'plain <table> (first page, not virtualized)'
    const first = summarize(result.firstRows)
    const frames = summarize(result.frames)
    console.log('')
    console.log(name)
    console.log(
      line('time to first rows (painted)', first) +
        `   target < ${TARGET_FIRST_ROWS_MS} ms: ${first.median < TARGET_FIRST_ROWS_MS ? 'met' : 'NOT met'} (median)`,
    )
    console.log(line('time to first rows (in the DOM)', summarize(result.firstRowsDOM)))
    console.log(
      line('frame time while scrolling', frames) +
        `   target p95 < ${TARGET_P95_FRAME_MS} ms: ${frames.p95 < TARGET_P95_FRAME_MS ? 'met' : 'NOT met'}`,
    )
    console.log(
      `${''.padEnd(34)} frames over 16.7 ms: ${((100 * result.frames.filter((delta) => delta > 16.7).length) / result.frames.length).toFixed(1)} %; deepest row shown during the sweeps: ${result.deepest.toLocaleString('en')}`,
    )
    const settled = result.settle.filter(Number.isFinite)
    console.log(
      settled.length > 0
        ? line('rows shown after the scroll stops', summarize(settled)) +
            (settled.length < result.settle.length
              ? `   (${result.settle.length - settled.length} sweeps: not within 15 s)`
              : '')
        : 'rows shown after the scroll stops  never within 15 s',
    )
    console.log(
      line('open the 20-column table', summarize(result.wide)) +
        `   (${result.columns} column headers in the DOM)`,
    )
    console.log(line('page JS heap after GC (main thread)', summarize(result.heap), mb))
    if (result.uaMemory.length > 0) {
      console.log(line('page + workers (UA-specific memory)', summarize(result.uaMemory), mb))
    } else {
      console.log('page + workers (UA-specific memory)  not available in this browser')
    }
  }
}

await main()
