import { PostgresDialect, type PostgresPool } from 'kysely'
import type { Driver } from '../driver.js'

/**
 * The subset of node-postgres' `Pool` that Basebox needs. We don't use the type from `pg` here so
 * that `pg` stays an optional peer dependency.
 *
 * https://node-postgres.com/apis/pool
 */
export type PgPoolLike = PostgresPool

/**
 * A {@link Driver} over a node-postgres pool. The engine ends the pool when it is destroyed.
 *
 * ### Examples
 *
 * ```ts
 * import pg from 'pg'
 * import { createBasebox } from '@basebox/core'
 * import { pgDriver } from '@basebox/core/pg'
 *
 * const bb = await createBasebox({ driver: pgDriver(new pg.Pool({ connectionString: process.env.DATABASE_URL })) })
 * ```
 */
export function pgDriver(pool: PgPoolLike): Driver {
  return {
    name: 'postgres',
    capabilities: { supportsMultipleConnections: true, enforcesStatementTimeout: true },
    createDialect: () => new PostgresDialect({ pool }),
  }
}
