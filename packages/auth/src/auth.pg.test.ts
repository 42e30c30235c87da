import { createPgHarness } from '@basebox/core/testing'
import pg from 'pg'
import { describe, it } from 'vitest'
import { describeAuthSuite, methodCounter } from './testing/auth-suite.js'

const url = process.env.DATABASE_URL

if (url === undefined || url === '') {
  console.warn('DATABASE_URL is not set: the Postgres auth suite is skipped (PGlite still runs)')
  describe('postgres: auth', () => {
    it.skipIf(true)('needs DATABASE_URL', () => {})
  })
} else {
  describeAuthSuite('postgres', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 4, pipeline: true } as pg.PoolConfig)
    // Fail loudly (not skip) when the server CI promised is unreachable.
    await pool.query('select 1')
    // Every statement goes through a pooled client's query().
    return { harness: createPgHarness(pool), count: methodCounter(pg.Client.prototype, ['query']) }
  })
}
