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
configureSQLParser({
  wasm: new URL('../../../node_modules/libpg-query/wasm/libpg-query.wasm', import.meta.url).href,
})

// One IndexedDB database per run, so that files and runs never share data.
const name = `basebox-worker-test-${crypto.randomUUID()}`
// The runaway statements' budget: it counts from the call, so it must cover the parse and the
// queue before the statement reaches the worker, even on a busy machine.
const TIMEOUT_MS = 3_000
// Budgets, never asserted: booting PGlite in a worker takes 1 to 5 s on an idle machine and far
// longer on a busy one (a restart once took over 20 s at load 10 on 2 cores). Timings of the stop
// are measured by nothing here; the tests count what happened instead.
const START_BUDGET_MS = 240_000
const HOOK_BUDGET_MS = 300_000
const TEST_BUDGET_MS = 300_000

/**
 * Counts timer callbacks run on the main thread: a page blocked by the statement (PGlite on the
 * main thread) would run none before the statement's time limit fires, since that is a timer too
 * and due later than the first tick.
 */
function heartbeat() {
  let ticks = 0
  const timer = setInterval(() => {
    ticks++
  }, 10)
  return {
    get ticks() {
      return ticks
    },
    stop() {
      clearInterval(timer)
      return ticks
    },
  }
}

describe('pgliteWorkerDriver in Chromium', () => {
  let bb: Basebox
  let db: DatabaseHandle
  /** Each stop, with the heartbeat ticks the page ran while the stopped statement was running. */
  const stops: (PGliteWorkerStop & { ticksWhileRunning: number })[] = []
  let beat: ReturnType<typeof heartbeat> | undefined
  let starts = 0
  /** Called as a SQL run reaches the driver (parsed, logged in, about to queue for the worker). */
  let onSession: (() => void) | undefined

  const titles = async () =>
    (await db.select('items', { orderBy: [{ column: 'id' }] })).rows.map((row) => row.title)

  beforeAll(async () => {
    const driver = pgliteWorkerDriver({
      dataDir: `idb://${name}`,
      start: (options) => {
        starts++
        return PGliteWorker.create(
          new Worker(new URL('./pglite-worker.test.worker.ts', import.meta.url), {
            type: 'module',
          }),
          options,
        )
      },
      startTimeoutMs: START_BUDGET_MS,
      onStop: (stop) => stops.push({ ...stop, ticksWhileRunning: beat?.ticks ?? 0 }),
    })
    bb = await createBasebox({
      driver: {
        ...driver,
        runSQLSession: (login, options, fn) => {
          onSession?.()
          return driver.runSQLSession(login, options, fn)
        },
      },
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
  }, HOOK_BUDGET_MS)

  afterAll(async () => {
    beat?.stop()
    await bb?.destroy()
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(`/pglite/${name}`)
      request.onsuccess = request.onerror = request.onblocked = () => resolve()
    })
  }, HOOK_BUDGET_MS)

  it(
    'keeps the typed errors of the engine across the worker: unique, required, and SQL errors keep their SQLSTATE',
    async () => {
      // PGliteWorker posts only a failed call's message; the driver reads the answer in the page.
      const duplicate = await expectCode(db.insert('items', { id: 1, title: 'again' }), 'CONFLICT')
      expect(duplicate.details).toMatchObject({ column: 'id', reason: 'unique' })
      const missing = await expectCode(
        db.insert('items', { id: 9, title: null }),
        'VALIDATION_FAILED',
      )
      expect(missing.message).toContain('title')
      const sqlError = await expectCode(
        db.sql('insert into items (id, title) values (2, $1)', ['dup']),
        'CONFLICT',
      )
      expect(sqlError.details).toMatchObject({ sql_state: '23505' })
      expect(await titles()).toEqual(['one', 'two', 'three'])
    },
    TEST_BUDGET_MS,
  )

  it(
    'stops a sleeping statement: typed error, page responsive, transaction lost, data kept',
    async () => {
      const startsBefore = starts
      beat = heartbeat()
      const runaway = db.sql(
        `insert into items (id, title) values (100, 'doomed'); select pg_sleep(600)`,
        [],
        { timeoutMs: TIMEOUT_MS },
      )
      // Queued behind the runaway statement (called while it runs): waits for the new worker, then runs.
      const queued = db.insert('items', { id: 4, title: 'four' })
      const error = await expectCode(runaway, 'TIMEOUT')
      expect(error.message).toMatch(`ran longer than ${TIMEOUT_MS} ms and was stopped`)
      expect(error.details).toEqual({ timeoutMs: TIMEOUT_MS })
      expect(stops).toEqual([
        { reason: 'timeout', timeoutMs: TIMEOUT_MS, ticksWhileRunning: expect.any(Number) },
      ])
      // The page answered its timers while the statement ran.
      expect(stops[0]!.ticksWhileRunning).toBeGreaterThan(0)

      expect(await queued).toMatchObject([{ id: 4, title: 'four' }])
      beat.stop()
      expect(starts).toBe(startsBefore + 1)
      // Committed before: kept. Written by the stopped transaction: gone. Queued: written.
      expect(await titles()).toEqual(['one', 'two', 'three', 'four'])
      const after = await db.sql('select count(*)::int from items where id = 100')
      expect(after.statements[0]!.rows).toEqual([[0]])
      // The run is in the audit log, with its outcome.
      const { entries } = await db.auditLog({ limit: 5 })
      expect(
        entries.find((entry) => entry.action === 'sql.run' && entry.details.outcome === 'TIMEOUT')
          ?.details.text,
      ).toMatch(/pg_sleep\(600\)/)
    },
    TEST_BUDGET_MS,
  )

  it(
    'stops a CPU-bound statement the same way, and the engine keeps working',
    async () => {
      beat = heartbeat()
      const cpuBound = db.sql(
        `update items set title = 'changed'; select count(*) from generate_series(1, 100000) a, generate_series(1, 100000) b`,
        [],
        { timeoutMs: TIMEOUT_MS },
      )
      // Asked while the statement runs: waits for the new worker and sees nothing of the update.
      const seen = titles()
      await expectCode(cpuBound, 'TIMEOUT')
      expect(stops).toHaveLength(2)
      expect(stops[1]!.ticksWhileRunning).toBeGreaterThan(0)
      expect(await seen).toEqual(['one', 'two', 'three', 'four'])
      beat.stop()

      // Everything works on the new worker: SQL, records, schema changes, the catalog.
      expect((await db.sql('select 40 + 2')).statements[0]!.rows).toEqual([[42]])
      await db.update('items', { id: 1 }, { title: 'uno' })
      await db.createTable({ name: 'notes', columns: [{ name: 'body', type: 'text' }] })
      await db.insert('notes', { body: 'after two stops' })
      expect((await db.select('notes')).rows).toEqual([{ body: 'after two stops' }])
      expect((await db.listTables()).map((table) => table.name).sort()).toEqual([
        'items',
        'notes',
        'users',
      ])
      expect(await titles()).toEqual(['uno', 'two', 'three', 'four'])
    },
    TEST_BUDGET_MS,
  )

  it(
    'does not stop a SQL run queued behind a stopped one that finishes within its budget',
    async () => {
      const stopsBefore = stops.length
      const runaway = db.sql('select pg_sleep(600)', [], { timeoutMs: 500 })
      // Reaches the worker after the restart, and its budget (counted from now) covers the wait.
      const next = db.sql('select 7 from pg_sleep(0.5)', [], { timeoutMs: START_BUDGET_MS })
      await expectCode(runaway, 'TIMEOUT')
      expect((await next).statements[0]!.rows).toEqual([[7]])
      expect(stops.length).toBe(stopsBefore + 1)
      expect((await db.sql('select count(*)::int from items')).statements[0]!.rows).toEqual([[4]])
    },
    TEST_BUDGET_MS,
  )

  it(
    'stops a sleeping statement when its signal aborts, long before its budget: rejects with the reason, nothing kept',
    async () => {
      const stopsBefore = stops.length
      const startsBefore = starts
      const cancel = new AbortController()
      const reached = new Promise<void>((resolve) => (onSession = resolve))
      const runaway = db.sql(
        `insert into items (id, title) values (200, 'cancelled'); select pg_sleep(600)`,
        [],
        { signal: cancel.signal, timeoutMs: START_BUDGET_MS },
      )
      runaway.catch(() => {})
      // Nothing is queued before it: once it reaches the driver, it runs on the worker.
      await reached
      onSession = undefined
      await new Promise((resolve) => setTimeout(resolve, 200))
      cancel.abort(new Error('the user pressed Cancel'))
      await expect(runaway).rejects.toBe(cancel.signal.reason)
      expect(stops.slice(stopsBefore)).toEqual([
        { reason: 'abort', timeoutMs: START_BUDGET_MS, ticksWhileRunning: expect.any(Number) },
      ])
      expect((await db.sql('select count(*)::int from items')).statements[0]!.rows).toEqual([[4]])
      expect(starts).toBe(startsBefore + 1)
    },
    TEST_BUDGET_MS,
  )
})
