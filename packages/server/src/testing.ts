import { PGlite } from '@electric-sql/pglite'
import type { TestHarness } from '@basebox/core/testing'
import { createPgHarness, createPGliteHarness, loadPGliteSnapshot } from '@basebox/core/testing'
import pg from 'pg'

/** The backends server tests run on: PGlite always, Postgres when DATABASE_URL is set. @internal */
export function testBackends(): { name: string; create: () => Promise<TestHarness> }[] {
  const backends = [
    { name: 'pglite', create: async () => createPGliteHarness(await loadPGliteSnapshot(PGlite)) },
  ]
  const url = process.env.DATABASE_URL
  if (url !== undefined && url !== '') {
    backends.push({
      name: 'postgres',
      create: async () => {
        const pool = new pg.Pool({ connectionString: url, max: 4, pipeline: true } as pg.PoolConfig)
        await pool.query('select 1')
        return createPgHarness(pool)
      },
    })
  } else {
    console.warn('DATABASE_URL is not set: server tests run on PGlite only')
  }
  return backends
}
