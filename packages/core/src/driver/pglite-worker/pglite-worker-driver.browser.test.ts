// Runs in real Chromium (vitest browser mode; see the `@basebox/core (chromium)` project in the
// root vitest.config.ts): PGlite in a Web Worker on IndexedDB, stopped mid-statement.
import { PGliteWorker } from '@electric-sql/pglite/worker'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBasebox, type Basebox } from '../../basebox.js'
import type { DatabaseHandle } from '../../database/database-handle.js'
import { expectCode } from '../../testing/expect-code.js'
import { pgliteWorkerDriver, type PGliteWorkerStop } from './pglite-worker-driver.js'
import { configureSQLParser } from '../../sql-runner/configure-sql-parser.js'

// db.sql() parses with libpg-query's WebAssembly: a browser host serves the file (here Vite).
configureSQLParser({ wasm: new URL('../../../node_modules/libpg-query/wasm/libpg-query.wasm', import.meta.url).href })

// One IndexedDB database per run, so that files and runs never share data.
const name = `basebox-worker-test-${crypto.randomUUID()}`
const TIMEOUT_MS = 1_000
// The worker must be stopped this soon after the time limit.
const STOP_WITHIN_MS = TIMEOUT_MS + 500
// db.sql() rejects after the new worker is up, since it then records the run in the audit log
// (a restart takes 1 to 5 s here).
const ERROR_WITHIN_MS = TIMEOUT_MS + 20_000

/** Counts timer ticks on the main thread and the longest gap between two. */
function heartbeat() {
  let ticks = 0
  let last = performance.now()
  let longestGapMs = 0
  const timer = setInterval(() => {
    const now = performance.now()
    longestGapMs = Math.max(longestGapMs, now - last)
    last = now
    ticks++
  }, 10)
  return {
    stop() {
      clearInterval(timer)
      return { ticks, longestGapMs: Math.max(longestGapMs, performance.now() - last) }
    },
  }
}

describe('pgliteWorkerDriver in Chromium', () => {
  let bb: Basebox
  let db: DatabaseHandle
  const stops: (PGliteWorkerStop & { at: number })[] = []
  let starts = 0

  const titles = async () => (await db.select('items', { orderBy: [{ column: 'id' }] })).rows.map((row) => row.title)

  beforeAll(async () => {
    bb = await createBasebox({
      driver: pgliteWorkerDriver({
        dataDir: `idb://${name}`,
        start: (options) => {
          starts++
          return PGliteWorker.create(new Worker(new URL('./pglite-worker.test.worker.ts', import.meta.url), { type: 'module' }), options)
        },
        onStop: (stop) => stops.push({ ...stop, at: performance.now() }),
      }),
    })
    const owner = bb.owner('browser-owner')
    db = await owner.createDatabase((await owner.createProject({ name: 'Worker' })).id)
    await db.createTable({
      name: 'items',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'title', type: 'text', required: true },
      ],
    })
    await db.insert('items', [
      { id: 1, title: 'one' },
      { id: 2, title: 'two' },
    ])
    await db.sql(`insert into items (id, title) values (3, 'three')`)
  })

  afterAll(async () => {
    await bb?.destroy()
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(`/pglite/${name}`)
      request.onsuccess = request.onerror = request.onblocked = () => resolve()
    })
  })

  it('keeps the typed errors of the engine across the worker: unique, required, and SQL errors keep their SQLSTATE', async () => {
    // PGliteWorker posts only a failed call's message; the driver reads the answer in the page.
    const duplicate = await expectCode(db.insert('items', { id: 1, title: 'again' }), 'CONFLICT')
    expect(duplicate.details).toMatchObject({ column: 'id', reason: 'unique' })
    const missing = await expectCode(db.insert('items', { id: 9, title: null }), 'VALIDATION_FAILED')
    expect(missing.message).toContain('title')
    const sqlError = await expectCode(db.sql('insert into items (id, title) values (2, $1)', ['dup']), 'CONFLICT')
    expect(sqlError.details).toMatchObject({ sql_state: '23505' })
    expect(await titles()).toEqual(['one', 'two', 'three'])
  })

  it('stops a sleeping statement: typed error in time, page responsive, transaction lost, data kept', async () => {
    const startsBefore = starts
    const beat = heartbeat()
    const started = performance.now()
    const runaway = db.sql(`insert into items (id, title) values (100, 'doomed'); select pg_sleep(600)`, [], { timeoutMs: TIMEOUT_MS })
    // Queued behind the runaway statement: waits for the new worker, then runs.
    const queued = new Promise((resolve) => setTimeout(resolve, 200)).then(() => db.insert('items', { id: 4, title: 'four' }))
    const error = await expectCode(runaway, 'TIMEOUT')
    const elapsed = performance.now() - started
    expect(error.message).toMatch(/1000 ms/)
    expect(error.details).toEqual({ timeoutMs: TIMEOUT_MS })
    expect(stops).toEqual([{ reason: 'timeout', timeoutMs: TIMEOUT_MS, at: expect.any(Number) }])
    expect(stops[0]!.at - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 50)
    expect(stops[0]!.at - started).toBeLessThan(STOP_WITHIN_MS)
    expect(elapsed).toBeLessThan(ERROR_WITHIN_MS)

    expect(await queued).toMatchObject([{ id: 4, title: 'four' }])
    const { ticks, longestGapMs } = beat.stop()
    // The main thread kept running its timers the whole time (a blocked page would show one gap
    // as long as the statement).
    expect(longestGapMs).toBeLessThan(500)
    expect(ticks).toBeGreaterThan(TIMEOUT_MS / 10 / 4)

    expect(starts).toBe(startsBefore + 1)
    // Committed before: kept. Written by the stopped transaction: gone. Queued: written.
    expect(await titles()).toEqual(['one', 'two', 'three', 'four'])
    const after = await db.sql('select count(*)::int from items where id = 100')
    expect(after.statements[0]!.rows).toEqual([[0]])
    // The run is in the audit log, with its outcome.
    const { entries } = await db.auditLog({ limit: 5 })
    expect(entries.find((entry) => entry.action === 'sql.run' && entry.details.outcome === 'TIMEOUT')?.details.text).toMatch(/pg_sleep\(600\)/)
  })

  it('stops a CPU-bound statement the same way, and the engine keeps working', async () => {
    const beat = heartbeat()
    const started = performance.now()
    await expectCode(
      db.sql(
        `update items set title = 'changed'; select count(*) from generate_series(1, 100000) a, generate_series(1, 100000) b`,
        [],
        { timeoutMs: TIMEOUT_MS },
      ),
      'TIMEOUT',
    )
    expect(performance.now() - started).toBeLessThan(ERROR_WITHIN_MS)
    expect(stops).toHaveLength(2)
    expect(stops[1]!.at - started).toBeLessThan(STOP_WITHIN_MS)
    // Ask while the new worker starts: the call waits for it.
    expect(await titles()).toEqual(['one', 'two', 'three', 'four'])
    expect(beat.stop().longestGapMs).toBeLessThan(500)

    // Everything works on the new worker: SQL, records, schema changes, the catalog.
    expect((await db.sql('select 40 + 2')).statements[0]!.rows).toEqual([[42]])
    await db.update('items', { id: 1 }, { title: 'uno' })
    await db.createTable({ name: 'notes', columns: [{ name: 'body', type: 'text' }] })
    await db.insert('notes', { body: 'after two stops' })
    expect((await db.select('notes')).rows).toEqual([{ body: 'after two stops' }])
    expect((await db.listTables()).map((table) => table.name).sort()).toEqual(['items', 'notes', 'users'])
    expect(await titles()).toEqual(['uno', 'two', 'three', 'four'])
  })

  it('does not stop a SQL run queued behind a stopped one that finishes within its budget', async () => {
    const stopsBefore = stops.length
    const runaway = db.sql('select pg_sleep(600)', [], { timeoutMs: 500 })
    // Reaches the worker after the restart, and its budget (counted from now) covers the wait.
    const next = db.sql('select 7 from pg_sleep(0.5)', [], { timeoutMs: 30_000 })
    await expectCode(runaway, 'TIMEOUT')
    expect((await next).statements[0]!.rows).toEqual([[7]])
    expect(stops.length).toBe(stopsBefore + 1)
    expect((await db.sql('select count(*)::int from items')).statements[0]!.rows).toEqual([[4]])
  })
})
