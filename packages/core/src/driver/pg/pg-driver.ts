import { PostgresDialect, type CompiledQuery, type PostgresPool, type QueryResult } from 'kysely'
import type { Driver } from '../driver.js'
import { PgSQLSessions, type PgPoolWithClient } from './pg-sql-session.js'

/**
 * The subset of node-postgres' `Pool` that Basebox needs. We don't use the type from `pg` here so
 * that `pg` stays an optional peer dependency.
 *
 * https://node-postgres.com/apis/pool
 */
export type PgPoolLike = PostgresPool

/**
 * A {@link Driver} over a node-postgres pool. The engine ends the pool when it is destroyed.
 * Create the pool with `pipeline: true` (node-postgres 8.23 or later) so that a record
 * operation's transaction travels in one network round trip.
 *
 * ### Examples
 *
 * ```ts
 * import pg from 'pg'
 * import { createBasebox } from '@basebox/core'
 * import { pgDriver } from '@basebox/core/pg'
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, pipeline: true })
 * const bb = await createBasebox({ driver: pgDriver(pool) })
 * ```
 */
export function pgDriver(pool: PgPoolLike): Driver {
  const sessions = new PgSQLSessions(pool as unknown as PgPoolWithClient)
  return {
    name: 'postgres',
    capabilities: { supportsMultipleConnections: true, enforcesStatementTimeout: true, confinesSQL: true },
    createDialect: () =>
      new PostgresDialect({
        pool: {
          options: pool.options,
          connect: () => pool.connect(),
          end: async () => {
            await sessions.close()
            await pool.end()
          },
        },
      }),
    runSQLSession: (login, options, fn) => sessions.run(login, options, fn),
    async executeBatch(queries: readonly CompiledQuery[]): Promise<PromiseSettledResult<QueryResult<unknown>>[]> {
      const client = await pool.connect()
      let broken: unknown
      try {
        const run = async (query: CompiledQuery): Promise<QueryResult<unknown>> => {
          const result = await client.query<unknown>(query.sql, [...query.parameters])
          return { rows: result.rows }
        }
        let settled: PromiseSettledResult<QueryResult<unknown>>[]
        if ((client as { pipeline?: boolean }).pipeline === true) {
          // Pipeline mode: every query goes on the wire now, the answers come back in order.
          settled = await Promise.allSettled(queries.map(run))
        } else {
          // Without it pg would queue them anyway (and warn): send them one after another.
          settled = []
          for (const query of queries) {
            settled.push(await run(query).then((value) => ({ status: 'fulfilled' as const, value }), (reason: unknown) => ({ status: 'rejected' as const, reason })))
          }
        }
        // A failure without a SQLSTATE is the connection's, not the statement's: don't reuse it.
        broken = settled.find(
          (s): s is PromiseRejectedResult => s.status === 'rejected' && typeof (s.reason as { code?: unknown })?.code !== 'string',
        )?.reason
        return settled
      } finally {
        client.release(broken !== undefined)
      }
    },
  }
}
