import type { CompiledQuery, Dialect, QueryResult } from 'kysely'

/** What a backend can do. Every flag is optional and documents its default. */
export interface DriverCapabilities {
  /** Default is `true`. PGlite serialises everything through one connection. */
  readonly supportsMultipleConnections?: boolean
  /** Default is `true`. Whether `statement_timeout` is enforced by the backend. */
  readonly enforcesStatementTimeout?: boolean
}

/**
 * A Driver connects the engine to one Postgres backend: a pg pool or a PGlite instance.
 * Create one with `pgDriver(pool)` from `@basebox/core/pg` or `pgliteDriver(pglite)` from
 * `@basebox/core/pglite`.
 */
export interface Driver {
  /** Shown in logs and test titles, e.g. `'pglite'`. */
  readonly name: string
  /** What this backend can do. See {@link DriverCapabilities}. */
  readonly capabilities: DriverCapabilities
  /** Creates the kysely dialect every query goes through. Called once by the engine. */
  createDialect(): Dialect
  /**
   * Sends queries compiled by kysely on one connection without waiting for each answer, and
   * settles each. The engine uses it to send a whole transaction (`begin`, the statements,
   * `commit`) at once: with node-postgres in pipeline mode that is one network round trip.
   * kysely itself runs one query at a time per connection. Optional: without it the engine
   * runs the transaction through kysely, one statement after another.
   */
  executeBatch?(queries: readonly CompiledQuery[]): Promise<PromiseSettledResult<QueryResult<unknown>>[]>
}
