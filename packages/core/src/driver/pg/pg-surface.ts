import type { PostgresPoolClient } from 'kysely'

/**
 * The node-postgres surface Basebox uses, declared here so that `pg` stays an optional peer
 * dependency: a `pg.Pool` (pg 8.x) is one. What goes beyond pg's documented API (its `Query`
 * class, handler overrides, the wire connection) is in pg-internals.ts.
 *
 * https://node-postgres.com/apis/pool and https://node-postgres.com/apis/client
 */

/** What a node-postgres query answers, as Basebox reads it. */
export interface PgResult<R> {
  command: string | null
  rowCount: number | null
  rows: R[]
  fields: { name: string; dataTypeID: number }[]
}

/** A client checked out of the pool: kysely's subset, plus its error event and target. */
export interface PgPoolClientLike extends PostgresPoolClient {
  on(event: 'error', listener: (error: Error) => void): unknown
  /** Where the client connected (pg's `Client#connectionParameters`). */
  readonly connectionParameters?: { host?: string; port?: number; database?: string }
}

/** A client Basebox opens itself (user SQL logs in as a database's own role). */
export interface PgClientLike {
  connect(): Promise<unknown>
  query(config: object): Promise<PgResult<unknown[]>>
  query(text: string, values?: unknown[]): Promise<PgResult<Record<string, unknown>>>
  end(): Promise<void>
  on(event: 'error', listener: (error: Error) => void): unknown
  on(event: 'end', listener: () => void): unknown
  processID: number | null
}

/** The pool's `Client` class (pg-pool keeps the one it was made with). */
export interface PgClientClass {
  new (config: object): PgClientLike
  /** pg's `Query` class: see pg-internals.ts. */
  Query?: new (config: object) => object
}

/** The subset of node-postgres' `Pool` that Basebox needs. */
export interface PgPoolLike {
  /** The pool's configuration: Basebox reads `max` and `ssl`. */
  readonly options: { max?: number; ssl?: unknown }
  connect(): Promise<PgPoolClientLike>
  end(): Promise<void>
  /** pg-pool emits `'error'` when an idle client's connection fails. */
  on(event: 'error', listener: (error: Error) => void): unknown
  /** The class of the pool's clients (not in pg's type declarations, always on a `pg.Pool`). */
  readonly Client?: PgClientClass
}
