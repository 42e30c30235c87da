import { PGliteDialect, type PGlite } from 'kysely'
import type { Driver } from '../driver.js'
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
 * A {@link Driver} over an in-process PGlite instance (Node or browser). The engine closes the
 * instance when it is destroyed. PGlite runs as a superuser over one connection and does not
 * enforce `statement_timeout`.
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
  return {
    name: 'pglite',
    capabilities: { supportsMultipleConnections: false, enforcesStatementTimeout: false, confinesSQL: false },
    createDialect: () => new PGliteDialect({ pglite }),
    runSQLSession: (login, options, fn) => runPGliteSQLSession(pglite, login, options, fn),
    ...(supportsAtomicBatch(pglite) ? { runAtomic: (queries) => runPGliteAtomicBatch(pglite, queries) } : {}),
  }
}
