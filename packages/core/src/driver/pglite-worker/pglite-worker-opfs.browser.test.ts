// Runs in real Chromium (vitest browser mode): the same stop on the other persisted file system,
// the origin private file system (`opfs-ahp://`), at the driver level (no engine, to keep it short).
import { PGliteWorker } from '@electric-sql/pglite/worker'
import { afterAll, expect, it } from 'vitest'
import { expectCode } from '../../testing/expect-code.js'
import { pgliteWorkerDriver } from './pglite-worker-driver.js'

const name = `basebox-worker-test-${crypto.randomUUID()}`
// Budgets, never asserted: booting PGlite in a worker takes seconds on an idle machine and far
// longer on a busy one; what the test checks is counted (starts, rows, order), not timed.
const START_BUDGET_MS = 240_000
const TEST_BUDGET_MS = 300_000

afterAll(async () => {
  const root = await navigator.storage.getDirectory()
  await root.removeEntry(name, { recursive: true }).catch(() => {})
}, TEST_BUDGET_MS)

const login = { role: 'postgres', password: '', schema: 'public' }

function openDriver(onStart: () => void) {
  const driver = pgliteWorkerDriver({
    dataDir: `opfs-ahp://${name}`,
    start: (options) => {
      onStart()
      return PGliteWorker.create(
        new Worker(new URL('./pglite-worker.test.worker.ts', import.meta.url), { type: 'module' }),
        options,
      )
    },
    startTimeoutMs: START_BUDGET_MS,
  })
  const run = (text: string) =>
    driver.runSQLSession(login, { readOnly: false, timeoutMs: START_BUDGET_MS }, (connection) =>
      connection.query(text, [], 100),
    )
  return { driver, run }
}

// The restart waits for the terminated worker's access handles (released after its Web Locks):
// a new worker that opened the pool before that never answered, and this test hung under load.
it(
  'stops a runaway statement on opfs-ahp:// and keeps what was committed',
  async () => {
    let starts = 0
    const { driver, run } = openDriver(() => starts++)
    try {
      await run('create table t (n int)')
      await run('insert into t values (1)')
      const runaway = driver.runSQLSession(
        login,
        { readOnly: false, timeoutMs: 2_000 },
        async (connection) => {
          await connection.query('insert into t values (2)', [], 0)
          return connection.query('select pg_sleep(600)', [], 1)
        },
      )
      // Called while the runaway runs: they wait for the new worker and complete in call order.
      const order: string[] = []
      const later = [
        run('select n from t order by n').then((result) => (order.push('read'), result.rows)),
        run('insert into t values (3)').then(() => order.push('insert')),
        run('select n from t order by n').then((result) => (order.push('read again'), result.rows)),
      ]
      await expectCode(runaway, 'TIMEOUT')
      const [before, , after] = await Promise.all(later)
      expect(order).toEqual(['read', 'insert', 'read again'])
      expect(before).toEqual([[1]])
      expect(after).toEqual([[1], [3]])
      expect(starts).toBe(2)
    } finally {
      await driver.destroy()
    }
    // Destroying waited for the files too: another driver opens the same directory at once.
    let reopened = 0
    const again = openDriver(() => reopened++)
    try {
      expect((await again.run('select n from t order by n')).rows).toEqual([[1], [3]])
      expect(reopened).toBe(1)
    } finally {
      await again.driver.destroy()
    }
  },
  TEST_BUDGET_MS,
)
