import { BaseboxError } from '@basebox/client'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBasebox, type Basebox } from '../../basebox.js'
import type { DatabaseHandle } from '../../database/database-handle.js'
import { dropCatalog, testCatalogName } from '../../testing/harness.js'
import { pgDriver } from './pg-driver.js'

const url = process.env.DATABASE_URL

if (url === undefined || url === '') {
  console.warn('DATABASE_URL is not set: the Postgres connection-loss tests are skipped')
}

// Postgres closes the engine's connections under it (pg_terminate_backend, as a restart or an
// idle timeout would): the process keeps running, operations in flight fail with a typed error,
// and the next ones work, user SQL included. Only this file's own backends are terminated
// (by application_name and by the database's role): other test files share the server.
describe.skipIf(url === undefined || url === '')('postgres: connection loss', () => {
  const tag = `basebox-loss-${crypto.randomUUID().slice(0, 8)}`
  const catalog = testCatalogName()
  const errors: Error[] = []
  let pool: pg.Pool
  let admin: pg.Pool
  let bb: Basebox
  let db: DatabaseHandle

  beforeAll(async () => {
    pool = new pg.Pool({
      connectionString: url,
      max: 6,
      pipeline: true,
      application_name: tag,
    } as pg.PoolConfig)
    admin = new pg.Pool({ connectionString: url, max: 1 })
    bb = await createBasebox({
      driver: pgDriver(pool, { onConnectionError: (error) => errors.push(error) }),
      catalogSchema: catalog,
    })
    const owner = bb.owner('loss')
    db = await owner.createDatabase((await owner.createProject({ name: 'Loss' })).id)
    await db.createTable({
      name: 'items',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'label', type: 'text' },
      ],
    })
    await db.insert(
      'items',
      Array.from({ length: 20 }, (_, i) => ({ id: i + 1, label: `item ${i + 1}` })),
    )
  })

  afterAll(async () => {
    await dropCatalog(bb.kysely, catalog).catch(() => {})
    await bb?.destroy()
    await admin?.end()
  })

  async function terminateAll(): Promise<number> {
    const { rows } = await admin.query<{ n: number }>(
      `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid() and (application_name = $1 or usename = $2)`,
      [tag, db.info.role_name],
    )
    return rows[0]!.n
  }

  async function settle(seen: number): Promise<void> {
    // The pool hears of each closed idle connection on a later turn of the event loop.
    for (let i = 0; i < 200 && errors.length <= seen; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  it('survives its idle connections being terminated; the next operations, user SQL first, work', async () => {
    expect((await db.sql('select count(*)::int from items')).statements[0]!.rows).toEqual([[20]])
    expect((await db.select('items', { limit: 5 })).rows).toHaveLength(5)
    const seen = errors.length
    expect(await terminateAll()).toBeGreaterThan(0)
    await settle(seen)
    expect(errors.length).toBeGreaterThan(seen)
    // The first db.sql() after its idle login connection died answers, on a new one.
    expect((await db.sql('select count(*)::int from items')).statements[0]!.rows).toEqual([[20]])
    expect((await db.select('items', { limit: 5 })).rows).toHaveLength(5)
    expect(await db.insert('items', { id: 100, label: 'after' })).toHaveLength(1)
  })

  it('fails the operations in flight with typed errors when their connections are terminated, then recovers', async () => {
    for (let round = 0; round < 3; round++) {
      const inFlight = Array.from({ length: 40 }, (_, i) =>
        i % 10 === 0
          ? db.sql('select pg_sleep(0.05), count(*) from items')
          : db.select('items', { where: { id: { gte: (i % 20) + 1 } }, limit: 3 }),
      )
      const settled = Promise.allSettled(inFlight)
      await new Promise((resolve) => setTimeout(resolve, 5))
      await terminateAll()
      const outcomes = await settled
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toBeInstanceOf(BaseboxError)
          expect((outcome.reason as BaseboxError).code).not.toBe('INTERNAL')
        }
      }
      await settle(errors.length)
      expect((await db.select('items', { limit: 1 })).rows).toHaveLength(1)
      expect((await db.sql('select 1')).statements[0]!.rows).toEqual([[1]])
    }
  })
})
