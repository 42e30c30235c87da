/// <reference types="vite/client" />
// The benchmark page: Basebox on PGlite in a Web Worker (opfs-ahp, a fresh directory per run),
// a local client, 100,000 seeded rows in `events` (6 columns) and in `wide` (20 columns), and
// `window.bench` for the driver (run.ts) to mount a view, time its first rows and sweep it.
import {
  configureSQLParser,
  createBasebox,
  createLocalClient,
  type Basebox,
  type BaseboxClient,
} from '@basebox/core'
import { pgliteWorkerDriver } from '@basebox/core/pglite-worker'
import * as kit from '@basebox/react'
import '@basebox/react/styles.css'
import { PGliteWorker } from '@electric-sql/pglite/worker'
import { QueryClient } from '@tanstack/react-query'
import wasmURL from 'libpg-query/wasm/libpg-query.wasm?url'
import type { TableDefinitionInput } from '@basebox/client'
import type { ComponentType } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { PAGE, ROWS, type View } from './constants.js'
import { PlainTable } from './plain-table.js'

/** What the driver calls on the page. */
export interface BenchPage {
  /** Starts the engine and seeds both tables; resolves with the time it took. */
  ready: Promise<{ startMs: number; seedMs: number; tableEditor: boolean }>
  /** Unmounts what is shown, then mounts `view` of `table` with a cold cache; resolves at the first frame that shows row 1. */
  mount(
    view: View,
    table: 'events' | 'wide',
  ): Promise<{ domMs: number; paintedMs: number; columns: number }>
  /**
   * Scrolls the mounted view (of `rows` rows) by `step` px per frame for `frames` frames
   * (wrapping at the end): the rAF deltas, how far the rows got, and how long after the stop the
   * rows where it stopped were shown (`null`: not within 15 s).
   */
  sweep(
    step: number,
    frames: number,
    rows: number,
  ): Promise<{ deltas: number[]; scrolled: number; maxRowSeen: number; settleMs: number | null }>
  /** The page's and its workers' memory, when the browser can tell (cross-origin isolated pages only). */
  uaMemory(): Promise<number | null>
}

declare global {
  interface Window {
    bench: BenchPage
  }
}

const TableEditor = (kit as Record<string, unknown>).TableEditor as
  | ComponentType<{
      databaseId: string
      table: string
      height?: number
      storage?: null
      blockSize?: number
    }>
  | undefined

let engine: Basebox
let client: BaseboxClient
let databaseId = ''
let root: Root | undefined
const stage = document.getElementById('stage')!

const WIDE_COLUMNS: TableDefinitionInput['columns'] = [
  { name: 'id', type: 'integer', primary_key: true },
  { name: 'label', type: 'text', required: true },
  ...Array.from({ length: 18 }, (_, index) => {
    const types = ['text', 'integer', 'numeric', 'boolean', 'timestamptz', 'date'] as const
    return { name: `c${index + 1}`, type: types[index % types.length]! }
  }),
]

function wideSelect(): string {
  const expressions = WIDE_COLUMNS.slice(2).map((column, index) => {
    switch (column.type) {
      case 'text':
        return `'v' || (g * ${index + 7}) % 9973`
      case 'integer':
        return `(g * ${index + 3}) % 100000`
      case 'numeric':
        return `round(((g * ${index + 5}) % 100000) / 100.0, 2)`
      case 'boolean':
        return `g % ${index + 2} = 0`
      case 'timestamptz':
        return `timestamptz '2026-01-01 00:00:00+00' + g * interval '${index + 1} minutes'`
      default:
        return `date '2020-01-01' + (g % 3650)`
    }
  })
  return `insert into wide (id, label, ${WIDE_COLUMNS.slice(2)
    .map((column) => column.name)
    .join(', ')})
    select g, 'wide ' || g, ${expressions.join(', ')} from generate_series(1, ${ROWS}) g`
}

async function start(): Promise<{ startMs: number; seedMs: number; tableEditor: boolean }> {
  configureSQLParser({ wasm: new URL(wasmURL, location.href).href })
  const t0 = performance.now()
  engine = await createBasebox({
    driver: pgliteWorkerDriver({
      // Data directories must outlive a worker: a fresh one in the origin private file system.
      dataDir: `opfs-ahp://bench-react-${crypto.randomUUID()}`,
      // A first start builds the data directory: seconds when idle, much longer on a loaded machine.
      startTimeoutMs: 300_000,
      start: (options) =>
        PGliteWorker.create(
          new Worker(new URL('./pglite.worker.ts', import.meta.url), { type: 'module' }),
          options,
        ),
    }),
  })
  client = createLocalClient(engine, 'bench')
  const project = await client.createProject({ name: 'grid bench' })
  databaseId = (await client.createDatabase(project.id)).id
  const startMs = performance.now() - t0
  const t1 = performance.now()
  await client.createTable(databaseId, {
    name: 'events',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'title', type: 'text', required: true },
      { name: 'amount', type: 'numeric' },
      { name: 'done', type: 'boolean', required: true, default: false },
      { name: 'happened_at', type: 'timestamptz', required: true },
      { name: 'note', type: 'text' },
    ],
  })
  await client.createTable(databaseId, { name: 'wide', columns: WIDE_COLUMNS })
  const long = { timeoutMs: 300_000 }
  await client.runSQL(
    databaseId,
    `insert into events (id, title, amount, done, happened_at, note)
      select g, 'event ' || g, round((g % 10000) / 100.0, 2), g % 3 = 0,
        timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute',
        case when g % 5 = 0 then null else 'note of row ' || g end
      from generate_series(1, ${ROWS}) g`,
    [],
    long,
  )
  await client.runSQL(databaseId, wideSelect(), [], long)
  // No ANALYZE: db.sql() refuses it (it cannot run in the call's transaction), as for any host.
  return { startMs, seedMs: performance.now() - t1, tableEditor: TableEditor !== undefined }
}

function nextFrame(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(resolve))
}

/** Resolves when `test` holds for the stage's DOM (checked on every mutation). */
function until(test: () => boolean, timeoutMs = 60_000): Promise<void> {
  if (test()) {
    return Promise.resolve()
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      observer.disconnect()
      reject(new Error(`not shown in ${timeoutMs} ms: ${stage.innerHTML.slice(0, 500)}`))
    }, timeoutMs)
    const observer = new MutationObserver(() => {
      if (test()) {
        observer.disconnect()
        clearTimeout(timer)
        resolve()
      }
    })
    observer.observe(stage, { childList: true, subtree: true, characterData: true })
  })
}

/** The label of row 1 of each table: when it is in the DOM, the first rows are shown. */
const FIRST: Record<string, string> = { events: 'event 1', wide: 'wide 1' }

function cellTexts(): string[] {
  return [...stage.querySelectorAll('td, [role="gridcell"]')].map((cell) => cell.textContent ?? '')
}

async function mount(view: View, table: 'events' | 'wide') {
  root?.unmount()
  stage.replaceChildren()
  await nextFrame()
  const queryClient = new QueryClient()
  const first = FIRST[table]!
  const t0 = performance.now()
  root = createRoot(stage)
  if (view === 'editor') {
    if (TableEditor === undefined) {
      throw new Error('TableEditor is not exported by @basebox/react yet')
    }
    root.render(
      <kit.BaseboxProvider client={client} queryClient={queryClient}>
        <TableEditor
          databaseId={databaseId}
          table={table}
          height={600}
          storage={null}
          blockSize={PAGE}
        />
      </kit.BaseboxProvider>,
    )
  } else {
    root.render(
      <kit.BaseboxProvider client={client} queryClient={queryClient}>
        <PlainTable databaseId={databaseId} table={table} limit={PAGE} />
      </kit.BaseboxProvider>,
    )
  }
  await until(() => cellTexts().includes(first))
  const domMs = performance.now() - t0
  await nextFrame()
  const paintedMs = performance.now() - t0
  const header = stage.querySelectorAll('th, [role="columnheader"]').length
  return { domMs, paintedMs, columns: header }
}

/** The element that scrolls the view: the deepest one whose content overflows vertically. */
function scroller(): HTMLElement {
  const candidates = [...stage.querySelectorAll<HTMLElement>('*')].filter((element) => {
    const style = getComputedStyle(element)
    return element.scrollHeight > element.clientHeight + 50 && /(auto|scroll)/.test(style.overflowY)
  })
  const found = candidates[candidates.length - 1] ?? candidates[0]
  if (found === undefined) {
    throw new Error('nothing scrolls in the mounted view')
  }
  return found
}

function rowNumbers(): number[] {
  const numbers: number[] = []
  for (const text of cellTexts()) {
    const match = /^(?:event|wide) (\d+)$/.exec(text)
    if (match) {
      numbers.push(Number(match[1]))
    }
  }
  return numbers
}

function maxRowSeen(): number {
  return Math.max(0, ...rowNumbers())
}

async function sweep(step: number, frames: number, rows: number) {
  const element = scroller()
  element.scrollTop = 0
  await nextFrame()
  await nextFrame()
  const deltas: number[] = []
  let scrolled = 0
  let last = await nextFrame()
  let seen = 0
  for (let frame = 0; frame < frames; frame++) {
    const max = element.scrollHeight - element.clientHeight
    const next = element.scrollTop + step
    element.scrollTop = next > max ? 0 : next
    scrolled += step
    const now = await nextFrame()
    deltas.push(now - last)
    last = now
    if (frame % 30 === 0) {
      seen = Math.max(seen, maxRowSeen())
    }
  }
  // How long after the scroll stops the rows of where it stopped are shown: a row whose number is
  // within 100 of what the scroll position points at (the plain table's 100 rows always are).
  const stopped = performance.now()
  const total = element.scrollHeight
  // The grid sizes its scroll to the total it shows (aria-rowcount counts the header row), which
  // is an estimate above its count threshold: point into that, not into the seeded 100,000.
  const ariaCount = Number(stage.querySelector('[role="grid"]')?.getAttribute('aria-rowcount'))
  const sized = Number.isFinite(ariaCount) && ariaCount > 1 ? ariaCount - 1 : rows
  const pointed = (element.scrollTop / total) * sized
  let settleMs: number | null = null
  while (performance.now() - stopped < 15_000) {
    const numbers = rowNumbers()
    if (numbers.some((number) => Math.abs(number - pointed) <= 100)) {
      settleMs = performance.now() - stopped
      break
    }
    await nextFrame()
  }
  return { deltas, scrolled, maxRowSeen: Math.max(seen, maxRowSeen()), settleMs }
}

async function uaMemory(): Promise<number | null> {
  const measure = (
    performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> }
  ).measureUserAgentSpecificMemory
  if (!crossOriginIsolated || measure === undefined) {
    return null
  }
  return (await measure.call(performance)).bytes
}

window.bench = { ready: start(), mount, sweep, uaMemory }
