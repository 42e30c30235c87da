/**
 * Everything Basebox does inside node-postgres beyond its documented API, in one place. It
 * targets pg 8.23 (pg-protocol 1.16, pg-pool 3.14; pipeline mode needs pg 8.23 or later): the
 * `Query` class a client is made with (`client.constructor.Query`, `Client.Query`), the
 * `submit(connection)` and `handle*` methods pg calls on a query object, and the client's wire
 * `connection` (its `stream`, and `parse`/`bind`/`describe`/`execute`/`sync`/`close`). A pg
 * upgrade that changes them must be checked here first (atomic-batch.test.ts and the SQL
 * conformance suite exercise every override).
 * @internal
 */
import { BaseboxError } from '@basebox/client'
import type { CompiledQuery, QueryResult } from 'kysely'
import type { RawStatementResult } from '../driver.js'
import {
  preparedStatementsOf,
  retryingStale,
  StalePreparedStatement,
  type PreparedStatement,
  type ResultField,
} from '../prepared-statements.js'
import { BatchStatementError, rowFromText, toTextParameter } from '../wire.js'
import type { PgClientLike } from './pg-surface.js'

/** The parts of node-postgres' wire connection a batch writes to. */
interface PgConnection {
  stream: { cork?(): void; uncork?(): void }
  parse(query: { text: string; name?: string; types?: number[] }): void
  bind(config: { portal?: string; statement?: string; values: (string | null)[] }): void
  describe(message: { type: 'P' | 'S'; name?: string }): void
  close(message: { type: 'P' | 'S'; name: string }): void
  execute(config: { portal?: string; rows?: number }): void
  sync(): void
}

/** A pooled node-postgres client, as far as a batch needs it. */
export interface PgBatchClient {
  query(submittable: unknown): unknown
  constructor: { Query?: new (config: { text: string }) => object }
}

/**
 * Builds, for the node-postgres copy that made `client`, a query object that sends several
 * statements as ONE implicit transaction: for each, Bind and Execute (after Parse and Describe
 * the first time the connection sees it: statements are prepared by name, see
 * prepared-statements.ts), then a single Sync, in one socket write. Postgres runs the messages
 * up to a Sync as one transaction: all statements commit together at the Sync, and after an
 * error it skips the rest and rolls back. It extends the client's own `Query` class, because
 * pipeline mode only admits that class.
 */
function batchQueryClass(Query: new (config: { text: string }) => object) {
  return class AtomicBatchQuery extends (Query as new (config: { text: string }) => {
    callback?: (error: unknown, result?: unknown) => void
  }) {
    readonly statements: readonly CompiledQuery[]
    readonly results: QueryResult<unknown>[] = []
    /** Per statement: the prepared statement it runs, or (first run) the name it is prepared under. */
    #prepared: (PreparedStatement | string)[] = []
    #cache: ReturnType<typeof preparedStatementsOf> | undefined
    #fields: readonly ResultField[] | undefined
    #rows: Record<string, unknown>[] = []
    #failed = false

    constructor(
      statements: readonly CompiledQuery[],
      callback: (error: unknown, results?: QueryResult<unknown>[]) => void,
    ) {
      super({ text: 'basebox atomic batch' }) // only for pg's own bookkeeping: submit() writes the statements
      this.statements = statements
      this.callback = callback as (error: unknown, result?: unknown) => void
    }

    submit(connection: PgConnection): Error | null {
      // Text parameters may throw while being prepared (a value that cannot be represented):
      // prepare them all before anything is written, so a failure leaves the wire untouched.
      let values: (string | null)[][]
      try {
        values = this.statements.map((s) => s.parameters.map(toTextParameter))
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error))
      }
      const cache = (this.#cache = preparedStatementsOf(connection))
      connection.stream.cork?.()
      try {
        for (const name of cache.takeClosing()) {
          connection.close({ type: 'S', name })
        }
        this.statements.forEach((statement, i) => {
          const prepared = cache.get(statement.sql)
          if (prepared !== undefined) {
            this.#prepared.push(prepared)
            connection.bind({ statement: prepared.name, values: values[i]! })
          } else {
            const name = cache.newName()
            this.#prepared.push(name)
            connection.parse({ name, text: statement.sql, types: [] })
            connection.bind({ statement: name, values: values[i]! })
            connection.describe({ type: 'P' })
          }
          connection.execute({ rows: 0 })
        })
        connection.sync()
      } finally {
        connection.stream.uncork?.()
      }
      return null
    }

    handleRowDescription(message: { fields: ResultField[] }): void {
      this.#fields = message.fields
    }

    handleDataRow(message: { fields: (string | null)[] }): void {
      // A prepared statement's run has no RowDescription: its columns were described once.
      const fields = (this.#fields ??= (
        this.#prepared[this.results.length] as PreparedStatement
      ).fields)
      this.#rows.push(rowFromText(fields, message.fields))
    }

    #complete(): void {
      const i = this.results.length
      this.#cache!.completed(this.statements[i]!.sql, this.#prepared[i]!, this.#fields ?? [])
      this.results.push({ rows: this.#rows })
      this.#rows = []
      this.#fields = undefined
    }

    handleCommandComplete(): void {
      this.#complete()
    }

    handleEmptyQuery(): void {
      this.#complete()
    }

    handlePortalSuspended(): void {
      // Never asked for (Execute reads all rows).
    }

    handleError(error: unknown): void {
      if (this.#failed) {
        return
      }
      this.#failed = true
      const failed = this.results.length
      const stale = this.#cache!.failed(this.#prepared, failed, error)
      // A statement's error has a SQLSTATE and leaves the connection usable; a FATAL one (the
      // server ending the session) is the connection's.
      const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown }
      const statement = typeof code === 'string' && severity !== 'FATAL' && severity !== 'PANIC'
      if (statement && stale) {
        this.callback?.(new StalePreparedStatement())
        return
      }
      this.callback?.(statement ? new BatchStatementError(failed, error) : error)
    }

    handleReadyForQuery(): void {
      if (!this.#failed) {
        this.callback?.(null, this.results)
      }
    }

    handleCopyInResponse(): void {
      this.handleError(new Error('COPY is not supported in a batch'))
    }

    handleCopyData(): void {}
  }
}

const classes = new WeakMap<object, ReturnType<typeof batchQueryClass>>()

/**
 * Runs `statements` on `client` as one implicit transaction in one round trip (see
 * {@link batchQueryClass}). Resolves with each statement's rows; rejects with a
 * {@link BatchStatementError} naming the statement that failed (nothing was committed), or
 * with the connection's own error.
 */
export function runPgAtomicBatch(
  client: PgBatchClient,
  statements: readonly CompiledQuery[],
): Promise<QueryResult<unknown>[]> {
  const Query = client.constructor.Query
  if (Query === undefined) {
    return Promise.reject(new Error('this node-postgres client has no Query class'))
  }
  let Batch = classes.get(Query)
  if (Batch === undefined) {
    Batch = batchQueryClass(Query)
    classes.set(Query, Batch)
  }
  // A prepared statement gone stale (see prepared-statements.ts) fails its batch before anything
  // committed: the batch is sent once more, its statements prepared afresh.
  return retryingStale(
    () =>
      new Promise<QueryResult<unknown>[]>((resolve, reject) => {
        client.query(
          new Batch(statements, (error, results) => (error ? reject(error) : resolve(results!))),
        )
      }),
  )
}

/**
 * Runs one statement of user SQL on `client` with pg's own `Query` class and reads at most
 * `maxRows + 1` rows from its portal, then closes it: a huge result never reaches this process
 * (pg's own row-limited query would keep fetching until the end). Rows past `maxBytes` are read
 * but not kept, and a row announced larger than that closes the connection before it is read
 * (`LIMIT_EXCEEDED`). Overrides the query's `handlePortalSuspended`, `handleError` and
 * `handleDataRow`.
 */
export async function runRowLimitedQuery(
  Query: new (config: object) => object,
  client: PgClientLike,
  text: string,
  params: readonly unknown[],
  maxRows: number,
  maxBytes?: number,
): Promise<RawStatementResult> {
  type Result = {
    command: string | null
    rowCount: number | null
    rows: unknown[][]
    fields: { name: string; dataTypeID: number }[]
  }
  const query = new Query({
    text,
    values: [...params],
    rowMode: 'array',
    rows: maxRows + 1,
  }) as object & {
    handlePortalSuspended(connection: { sync(): void }): void
    handleError(error: Error, connection: { sync(): void }): void
    handleDataRow(message: { fields: (string | null)[] }): void
    callback?: (error: Error | null, result: Result) => void
  }
  let suspended = false
  query.handlePortalSuspended = (connection) => {
    suspended = true
    connection.sync()
  }
  // With a row limit pg sends no Sync after Execute; after an error the server waits for one.
  const handleError = query.handleError.bind(query)
  query.handleError = (error, connection) => {
    try {
      connection.sync()
    } catch {
      // the socket is gone (see the size guard below); the error is reported all the same
    }
    handleError(error, connection)
  }
  // Rows past maxBytes (their text as sent) are read but not kept.
  let kept = 0
  let cut = false
  if (maxBytes !== undefined) {
    const handleDataRow = query.handleDataRow.bind(query)
    query.handleDataRow = (message) => {
      const size = message.fields.reduce((sum, field) => sum + 4 + (field?.length ?? 0), 0)
      if (cut || kept + size > maxBytes) {
        cut = true
        return
      }
      kept += size
      handleDataRow(message)
    }
  }
  const guard = maxBytes === undefined ? undefined : guardMessageSize(client, maxBytes)
  try {
    const result = await new Promise<Result>((resolve, reject) => {
      query.callback = (error, value) => (error ? reject(error) : resolve(value))
      void client.query(query)
    })
    const truncated = suspended || cut || result.rows.length > maxRows
    return {
      command: result.command ?? undefined,
      fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
      rows: result.rows.slice(0, maxRows),
      rowCount: result.rowCount,
      truncated,
    }
  } catch (error) {
    const oversized = guard?.oversized()
    if (oversized !== undefined) {
      throw new BaseboxError(
        'LIMIT_EXCEEDED',
        `a row of ${oversized} bytes is larger than the ${maxBytes} bytes left of maxBytes: it was not read, and the SQL was rolled back`,
        { cause: error, details: { maxBytes, size: oversized } },
      )
    }
    throw error
  } finally {
    guard?.stop()
  }
}

/** The socket of a pg `Client`, as the size guard sees it. */
interface PgStreamLike {
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown
  off(event: 'data', listener: (chunk: Uint8Array) => void): unknown
  destroy(): void
}

// Slack over maxBytes for a message's own framing (a row's field lengths, an error's fields).
const MESSAGE_SLACK = 65_536

/**
 * Postgres sends a row as one message, and pg buffers a message whole before parsing it: one
 * 150 MB value would take hundreds of MB of this process. This reads the 5-byte header of each
 * message the server sends during one query, beside pg's own parser, and closes the socket as
 * soon as a message longer than `maxBytes` is announced, before its body arrives. The closed
 * connection ends the transaction on the server (nothing commits) and is never reused.
 *
 * It starts at a message boundary: the query before it was read to its ReadyForQuery.
 */
function guardMessageSize(
  client: PgClientLike,
  maxBytes: number,
): { oversized(): number | undefined; stop(): void } | undefined {
  const stream = (client as { connection?: { stream?: PgStreamLike } }).connection?.stream
  if (stream === undefined || typeof stream.on !== 'function') {
    return undefined
  }
  const limit = maxBytes + MESSAGE_SLACK
  const header = new Uint8Array(5)
  let have = 0
  let skip = 0
  let oversized: number | undefined
  const onData = (chunk: Uint8Array) => {
    let i = 0
    while (i < chunk.length && oversized === undefined) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i)
        skip -= n
        i += n
        continue
      }
      header[have++] = chunk[i++]!
      if (have === 5) {
        have = 0
        const length =
          ((header[1]! << 24) | (header[2]! << 16) | (header[3]! << 8) | header[4]!) >>> 0
        if (length - 4 > limit) {
          oversized = length - 4
          stream.destroy()
          return
        }
        skip = length - 4
      }
    }
  }
  stream.on('data', onData)
  return {
    oversized: () => oversized,
    stop: () => {
      stream.off('data', onData)
    },
  }
}
