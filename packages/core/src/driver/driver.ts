import { BaseboxError } from '@basebox/client'
import type { CompiledQuery, Dialect, QueryResult } from 'kysely'

/**
 * What a backend can do. Every flag is optional and documents its default. The conformance
 * suite branches on these flags, never on {@link Driver.name}; `bb.capabilities` has them all.
 */
export interface DriverCapabilities {
  /**
   * Default is `true`. Whether the backend runs statements on several connections at once, so
   * that a write can run while a long read (a paged export) holds a connection. PGlite
   * serialises everything through one connection: there the write waits for the read to end.
   */
  readonly supportsMultipleConnections?: boolean
  /**
   * Default is `true`. Whether user SQL runs on a connection that logged in as the database's
   * own role, so that no statement can switch to another role. PGlite runs everything as one
   * superuser: there, `SET LOCAL ROLE` confines well-behaved SQL only (advisory). Read by the
   * engine: it keeps per-database login credentials only when `true`.
   */
  readonly confinesSQL?: boolean
  /**
   * Default is `true`. Whether a user SQL statement still running when its `timeoutMs` is spent
   * is stopped mid-statement (Postgres cancels the backend; the PGlite worker driver terminates
   * the worker). When `false`, the budget is checked between statements only and one long
   * statement runs to its end: in-process PGlite cannot be interrupted.
   */
  readonly interruptsSQL?: boolean
  /**
   * Default is `true`. Whether {@link SQLConnection.query} refuses a single row larger than
   * `maxBytes` from its message header, before reading it (`LIMIT_EXCEEDED`). When `false`, the
   * row is read and left out (`truncated`).
   */
  readonly refusesOversizedRows?: boolean
}

/** Every flag of `capabilities` with its default applied. */
export function resolveCapabilities(
  capabilities: DriverCapabilities,
): Required<DriverCapabilities> {
  return {
    supportsMultipleConnections: capabilities.supportsMultipleConnections ?? true,
    confinesSQL: capabilities.confinesSQL ?? true,
    interruptsSQL: capabilities.interruptsSQL ?? true,
    refusesOversizedRows: capabilities.refusesOversizedRows ?? true,
  }
}

/**
 * The error of any call on a driver after {@link Driver.destroy}: code `UNSUPPORTED`, as for an
 * engine that was destroyed.
 */
export class DriverDestroyedError extends BaseboxError {
  constructor(driverName: string) {
    super('UNSUPPORTED', `the ${driverName} driver was destroyed (the engine was destroyed)`, {
      details: { driver: driverName },
    })
  }
}

/** How user SQL logs in to a project database: its role, the role's password and its schema. */
export interface SQLLogin {
  role: string
  password: string
  schema: string
}

/** What a driver returns for one statement of user SQL. */
export interface RawStatementResult {
  /** The command tag's verb, when the driver reports it. */
  command: string | undefined
  fields: { name: string; dataTypeID: number }[]
  /** Rows as arrays, at most the `maxRows` asked for. */
  rows: unknown[][]
  rowCount: number | null
  /** Whether rows were left unread or unkept past `maxRows` or `maxBytes`. */
  truncated: boolean
}

/** One statement runner inside an SQL session's transaction. */
export interface SQLConnection {
  /**
   * Runs one statement with its parameters and reads at most `maxRows` rows. With `maxBytes`,
   * stops keeping rows once their size passes it (`truncated`), and, where the driver can tell
   * before reading, refuses a single row larger than that with `LIMIT_EXCEEDED`.
   */
  query(
    text: string,
    params: readonly unknown[],
    maxRows: number,
    maxBytes?: number,
  ): Promise<RawStatementResult>
}

/** Options of {@link Driver.runSQLSession}. */
export interface SQLSessionOptions {
  readOnly: boolean
  /** The budget of the whole session; the driver cancels the running statement when it is spent. */
  timeoutMs: number
  /**
   * Stops the session when it aborts, as a spent budget does: the running statement is
   * cancelled where the driver can interrupt it (see `interruptsSQL`), the transaction never
   * commits, and the call rejects with the signal's reason. Default is none.
   */
  signal?: AbortSignal | undefined
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
  /**
   * Creates the kysely dialect every query goes through. Called once by the engine. Destroying
   * the dialect's kysely instance destroys the driver (see {@link Driver.destroy}).
   */
  createDialect(): Dialect
  /**
   * Releases what the driver holds: ends the pg pool (and the driver's own login connections),
   * closes PGlite, or terminates the PGlite worker (resolving once its files are released).
   * Idempotent: a second call resolves once the first is done. Afterwards every call on the
   * driver (its dialect's connections, {@link Driver.runAtomic}, {@link Driver.runSQLSession})
   * fails with a {@link DriverDestroyedError}. `Basebox.destroy()` calls it.
   */
  destroy(): Promise<void>
  /**
   * Runs queries compiled by kysely as ONE transaction, sent at once: every statement commits,
   * or (when one fails) none does. The engine runs each record operation this way (its role
   * and settings, then its statements), so that an operation costs one round trip and no
   * `begin`/`commit`. Resolves with each statement's rows (text values parsed as node-postgres
   * does by default: JSON parsed, `bigint` and `numeric` as strings); rejects with a
   * `BatchStatementError` naming the statement that failed, or with the connection's error.
   * Optional: without it the engine runs the statements in a kysely transaction, one by one.
   */
  runAtomic?(queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]>
  /**
   * Runs `fn` in one transaction as the database's role, for user SQL: commits when `fn`
   * resolves, rolls back when it throws, cancels the running statement when the time is up, and
   * leaves no session state behind (`DISCARD ALL`, or the connection is closed).
   */
  runSQLSession<T>(
    login: SQLLogin,
    options: SQLSessionOptions,
    fn: (connection: SQLConnection) => Promise<T>,
  ): Promise<T>
}
