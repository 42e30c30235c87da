import type { PGlite } from '@electric-sql/pglite'
import { pgliteDriver } from '../driver/pglite/pglite-driver.js'
import { createHarness, type RawQuery, type TestHarness } from './harness.js'

/**
 * A {@link TestHarness} over one in-memory PGlite instance. Pass a started instance (for example
 * one loaded from a snapshot with `loadDataDir`); it is closed by `close()`.
 */
export function createPGliteHarness(pglite: PGlite): TestHarness {
  // Engines share the instance: their destroy() must not close it.
  const shared = new Proxy(pglite, {
    get(target, key) {
      if (key === 'close') {
        return async () => {}
      }
      const value = Reflect.get(target, key, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  const query: RawQuery = async <R>(text: string, params?: unknown[]) =>
    (await pglite.query<R>(text, params)).rows
  return createHarness({
    name: 'pglite',
    driver: () => pgliteDriver(shared),
    query,
    async rolledBack(fn) {
      let result: Awaited<ReturnType<typeof fn>> | undefined
      await pglite.transaction(async (tx) => {
        result = await fn(
          async <R>(text: string, params?: unknown[]) => (await tx.query<R>(text, params)).rows,
        )
        await tx.rollback()
      })
      return result as Awaited<ReturnType<typeof fn>>
    },
    release: () => pglite.close(),
  })
}
