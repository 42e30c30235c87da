import { PGliteDialect, type PGlite } from 'kysely'
import type { Driver } from '../driver.js'
import { DriverLifetime } from '../driver-lifetime.js'
import { runPGliteAtomicBatch, supportsAtomicBatch } from './pglite-atomic-batch.js'
import { runPGliteSQLSession } from './pglite-sql-session.js'

/**
 * The subset of a PGlite instance that Basebox needs. We don't use the type from
 * `@electric-sql/pglite` here so that PGlite stays an optional peer dependency.
 *
 * https://pglite.dev/docs/api
 */
export type PGliteLike = PGlite

/**
 * `pglite` as the driver's dialect sees it: every call fails with a `DriverDestroyedError` once
 * the driver is destroyed, and closing it destroys the driver.
 * @internal
 */
export function guardPGlite(pglite: PGlite, lifetime: DriverLifetime): PGlite {
  return {
    get closed() {
      return pglite.closed
    },
    get ready() {
      return pglite.ready
    },
    get waitReady() {
      return pglite.waitReady
    },
    query: (query, params, options) => lifetime.guard(() => pglite.query(query, params, options)),
    transaction: (callback) => lifetime.guard(() => pglite.transaction(callback)),
    close: () => lifetime.destroy(),
  }
}

/**
 * A {@link Driver} over an in-process PGlite instance (Node or browser). The engine closes the
 * instance when it is destroyed ({@link Driver.destroy}). PGlite runs as a superuser over one
 * connection and cannot interrupt a running statement.
 *
 * ### Examples
 *
 * ```ts
 * import { PGlite } from '@electric-sql/pglite'
 * import { createBasebox } from '@basebox/core'
 * import { pgliteDriver } from '@basebox/core/pglite'
 *
 * const bb = await createBasebox({ driver: pgliteDriver(new PGlite()) })
 * ```
 */
export function pgliteDriver(pglite: PGliteLike): Driver {
  const lifetime = new DriverLifetime('pglite', () => pglite.close())
  return {
    name: 'pglite',
    capabilities: {
      supportsMultipleConnections: false,
      confinesSQL: false,
      interruptsSQL: false,
      refusesOversizedRows: false,
    },
    createDialect: () => new PGliteDialect({ pglite: guardPGlite(pglite, lifetime) }),
    runSQLSession: (login, options, fn) =>
      lifetime.guard(() => runPGliteSQLSession(pglite, login, options, fn)),
    ...(supportsAtomicBatch(pglite)
      ? { runAtomic: (queries) => lifetime.guard(() => runPGliteAtomicBatch(pglite, queries)) }
      : {}),
    destroy: () => lifetime.destroy(),
  }
}
