import pg from 'pg'
import { describe, it } from 'vitest'
import { describeDriverDestroyConformance } from '../../testing/conformance-destroy.js'
import { describeDriverConformance } from '../../testing/driver-conformance.js'
import { createPgHarness } from '../../testing/pg-harness.js'
import { pgDriver } from './pg-driver.js'

const url = process.env.DATABASE_URL

if (url === undefined || url === '') {
  console.warn(
    'DATABASE_URL is not set: the Postgres conformance suite is skipped (PGlite still runs)',
  )
  describe('postgres: conformance', () => {
    it.skipIf(true)('needs DATABASE_URL', () => {})
  })
} else {
  describeDriverConformance('postgres', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 4, pipeline: true } as pg.PoolConfig)
    // Fail loudly (not skip) when the server CI promised is unreachable.
    await pool.query('select 1')
    return createPgHarness(pool)
  })
  describeDriverDestroyConformance('postgres', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 2, pipeline: true } as pg.PoolConfig)
    return { driver: pgDriver(pool), released: () => pool.ended && pool.totalCount === 0 }
  })
}
