import type { Pool } from 'pg'
import { pgDriver } from '../driver/pg/pg-driver.js'
import { createHarness, type RawQuery, type TestHarness } from './harness.js'

/** A {@link TestHarness} over a node-postgres pool; the pool is ended by `close()`. */
export function createPgHarness(pool: Pool): TestHarness {
  const shared = new Proxy(pool, {
    get(target, key) {
      if (key === 'end') {
        return async () => {}
      }
      const value = Reflect.get(target, key, target)
      // Methods are bound to the pool; the Client class keeps its static members (Query).
      return typeof value === 'function' && key !== 'Client' ? value.bind(target) : value
    },
  })
  const query: RawQuery = async (text, params) => (await pool.query(text, params)).rows
  return createHarness({
    name: 'postgres',
    driver: () => pgDriver(shared),
    query,
    async rolledBack(fn) {
      const client = await pool.connect()
      try {
        await client.query('begin')
        return await fn(async (text, params) => (await client.query(text, params)).rows)
      } finally {
        await client.query('rollback').catch(() => {})
        client.release()
      }
    },
    release: () => pool.end(),
  })
}
