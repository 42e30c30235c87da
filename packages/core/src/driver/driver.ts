import type { Dialect } from 'kysely'

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
}
