// Runs in real Chromium (vitest browser mode): the same stop on the other persisted file system,
// the origin private file system (`opfs-ahp://`), at the driver level (no engine, to keep it short).
import { PGliteWorker } from '@electric-sql/pglite/worker'
import { afterAll, expect, it } from 'vitest'
import { expectCode } from '../../testing/expect-code.js'
import { pgliteWorkerDriver } from './pglite-worker-driver.js'

const name = `basebox-worker-test-${crypto.randomUUID()}`

afterAll(async () => {
  const root = await navigator.storage.getDirectory()
  await root.removeEntry(name, { recursive: true }).catch(() => {})
})

it('stops a runaway statement on opfs-ahp:// and keeps what was committed', async () => {
  let starts = 0
  const driver = pgliteWorkerDriver({
    dataDir: `opfs-ahp://${name}`,
    start: (options) => {
      starts++
      return PGliteWorker.create(new Worker(new URL('./pglite-worker.test.worker.ts', import.meta.url), { type: 'module' }), options)
    },
  })
  const login = { role: 'postgres', password: '', schema: 'public' }
  const run = (text: string) => driver.runSQLSession(login, { readOnly: false, timeoutMs: 30_000 }, (connection) => connection.query(text, [], 100))
  const kysely = driver.createDialect().createDriver()
  try {
    await run('create table t (n int)')
    await run('insert into t values (1)')
    const started = performance.now()
    await expectCode(
      driver.runSQLSession(login, { readOnly: false, timeoutMs: 500 }, async (connection) => {
        await connection.query('insert into t values (2)', [], 0)
        return connection.query('select pg_sleep(600)', [], 1)
      }),
      'TIMEOUT',
    )
    expect(performance.now() - started).toBeLessThan(1_500)
    expect((await run('select n from t order by n')).rows).toEqual([[1]])
    expect(starts).toBe(2)
    await run('insert into t values (3)')
    expect((await run('select n from t order by n')).rows).toEqual([[1], [3]])
  } finally {
    await kysely.init()
    await kysely.destroy()
  }
})
