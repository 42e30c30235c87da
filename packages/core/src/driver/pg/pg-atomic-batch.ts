import type { CompiledQuery, QueryResult } from 'kysely'
import { preparedStatementsOf, retryingStale, StalePreparedStatement, type PreparedStatement, type ResultField } from '../prepared-statements.js'
import { BatchStatementError, rowFromText, toTextParameter } from '../wire.js'

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

    constructor(statements: readonly CompiledQuery[], callback: (error: unknown, results?: QueryResult<unknown>[]) => void) {
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
      const fields = (this.#fields ??= (this.#prepared[this.results.length] as PreparedStatement).fields)
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
export function runPgAtomicBatch(client: PgBatchClient, statements: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
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
        client.query(new Batch(statements, (error, results) => (error ? reject(error) : resolve(results!))))
      }),
  )
}
