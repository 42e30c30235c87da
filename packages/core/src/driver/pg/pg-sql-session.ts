import { BaseboxError } from '@basebox/client'
import type { PostgresPool } from 'kysely'
import type { RawStatementResult, SQLConnection, SQLLogin, SQLSessionOptions } from '../driver.js'

/**
 * The subset of a node-postgres `Client` the SQL runner needs.
 *
 * https://node-postgres.com/apis/client
 */
export interface PgClientLike {
  connect(): Promise<unknown>
  query(config: object): Promise<{
    command: string | null
    rowCount: number | null
    rows: unknown[][]
    fields: { name: string; dataTypeID: number }[]
  }>
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>
  end(): Promise<void>
  on(event: 'error', listener: (error: Error) => void): unknown
  on(event: 'end', listener: () => void): unknown
  processID: number | null
  connectionParameters?: { host?: string; port?: number; database?: string }
}

interface PgClientClass {
  new (config: object): PgClientLike
  Query?: new (config: object) => object
}

/** The pool as the SQL runner sees it: kysely's subset, plus what pg-pool exposes. */
export type PgPoolWithClient = Omit<PostgresPool, 'Client' | 'options'> & {
  Client?: PgClientClass
  options?: Record<string, unknown>
}

const IDLE_MS = 10_000
const MAX_IDLE = 50

interface Idle {
  client: PgClientLike
  password: string
  timer: ReturnType<typeof setTimeout>
}

// Login connections whose socket failed or closed (a terminated backend, a restart, an
// `idle_session_timeout` the tenant set): never reused.
const dead = new WeakSet<PgClientLike>()

/**
 * Runs user SQL on connections that log in as a project database's role: opened on demand,
 * kept idle for a few seconds after `DISCARD ALL`, then closed, so that thousands of projects
 * hold no connections. Statements that run past the budget are cancelled with
 * `pg_cancel_backend` from the engine's pool (a user can `SET statement_timeout = 0`), and
 * terminated if cancelling does not end them.
 * @internal
 */
export class PgSQLSessions {
  readonly #pool: PgPoolWithClient
  readonly #idle = new Map<string, Idle>()
  #target: { host?: string; port?: number; database?: string } | undefined

  constructor(pool: PgPoolWithClient) {
    this.#pool = pool
  }

  async #connectionTarget(): Promise<{ host?: string; port?: number; database?: string }> {
    if (this.#target === undefined) {
      const probe = (await this.#pool.connect()) as unknown as PgClientLike & { release(): void }
      try {
        const { host, port, database } = probe.connectionParameters ?? {}
        this.#target = {
          ...(host ? { host } : {}),
          ...(port ? { port } : {}),
          ...(database ? { database } : {}),
        }
      } finally {
        probe.release()
      }
    }
    return this.#target
  }

  /** An idle login connection of the role when one is alive, else a new one (`fresh`). */
  async #take(login: SQLLogin): Promise<{ client: PgClientLike; fresh: boolean }> {
    const idle = this.#idle.get(login.role)
    if (idle !== undefined) {
      this.#idle.delete(login.role)
      clearTimeout(idle.timer)
      if (idle.password === login.password && !dead.has(idle.client)) {
        return { client: idle.client, fresh: false }
      }
      await idle.client.end().catch(() => {})
    }
    return { client: await this.#open(login), fresh: true }
  }

  async #open(login: SQLLogin): Promise<PgClientLike> {
    const Client = this.#pool.Client
    if (Client === undefined) {
      throw new BaseboxError(
        'UNSUPPORTED',
        'the pg pool does not expose its Client class; pass a pg.Pool',
      )
    }
    const ssl = this.#pool.options?.ssl
    const client = new Client({
      ...(await this.#connectionTarget()),
      user: login.role,
      password: login.password,
      ...(ssl ? { ssl } : {}),
      application_name: 'basebox sql',
    })
    client.on('error', () => {
      dead.add(client)
    })
    client.on('end', () => {
      dead.add(client)
    })
    await client.connect()
    return client
  }

  async #giveBack(login: SQLLogin, client: PgClientLike, reusable: boolean): Promise<void> {
    if (reusable) {
      try {
        await client.query('discard all')
      } catch {
        reusable = false
      }
    }
    if (
      !reusable ||
      dead.has(client) ||
      this.#idle.has(login.role) ||
      this.#idle.size >= MAX_IDLE
    ) {
      await client.end().catch(() => {})
      return
    }
    const timer = setTimeout(() => {
      if (this.#idle.get(login.role)?.client === client) {
        this.#idle.delete(login.role)
      }
      void client.end().catch(() => {})
    }, IDLE_MS)
    timer.unref?.()
    this.#idle.set(login.role, { client, password: login.password, timer })
  }

  /** Closes the idle connection of a role (after its password changed or it was dropped). */
  async forget(role: string): Promise<void> {
    const idle = this.#idle.get(role)
    if (idle !== undefined) {
      this.#idle.delete(role)
      clearTimeout(idle.timer)
      await idle.client.end().catch(() => {})
    }
  }

  /** Closes every idle connection. */
  async close(): Promise<void> {
    await Promise.all([...this.#idle.keys()].map((role) => this.forget(role)))
  }

  /**
   * Takes a login connection and begins the transaction. An idle connection that died while it
   * waited (its `begin` fails without a SQLSTATE) is dropped, and one new connection is tried.
   */
  async #begin(login: SQLLogin, readOnly: boolean): Promise<PgClientLike> {
    const begin = readOnly ? 'begin read only' : 'begin read write'
    const taken = await this.#take(login)
    try {
      await taken.client.query(begin)
      return taken.client
    } catch (error) {
      const code = (error as { code?: unknown })?.code
      const lost =
        dead.has(taken.client) ||
        typeof code !== 'string' ||
        !/^[0-9A-Z]{5}$/.test(code) ||
        /^(08|57P)/.test(code)
      dead.add(taken.client)
      await taken.client.end().catch(() => {})
      if (taken.fresh || !lost) {
        throw error
      }
    }
    const client = await this.#open(login)
    try {
      await client.query(begin)
    } catch (error) {
      await client.end().catch(() => {})
      throw error
    }
    return client
  }

  async run<T>(
    login: SQLLogin,
    options: SQLSessionOptions,
    fn: (connection: SQLConnection) => Promise<T>,
  ): Promise<T> {
    const client = await this.#begin(login, options.readOnly)
    let reusable = true
    let timedOut = false
    let killer: ReturnType<typeof setTimeout> | undefined
    const pid = client.processID
    const timer = setTimeout(() => {
      timedOut = true
      reusable = false
      void this.#pool
        .connect()
        .then(async (c) => {
          const engine = c as unknown as PgClientLike & { release(): void }
          try {
            await engine.query('select pg_cancel_backend($1)', [pid])
          } finally {
            engine.release()
          }
        })
        .catch(() => {})
      // A backend that ignores the cancel is terminated.
      killer = setTimeout(() => {
        void this.#pool
          .connect()
          .then(async (c) => {
            const engine = c as unknown as PgClientLike & { release(): void }
            try {
              await engine.query('select pg_terminate_backend($1)', [pid])
            } finally {
              engine.release()
            }
          })
          .catch(() => {})
      }, 2_000)
    }, options.timeoutMs)
    const connection: SQLConnection = {
      query: (text, params, maxRows, maxBytes) =>
        this.#query(client, text, params, maxRows, maxBytes),
    }
    try {
      let result: T
      try {
        result = await fn(connection)
      } catch (error) {
        await client.query('rollback').catch(() => {
          reusable = false
        })
        throw error
      }
      await client.query('commit')
      return result
    } catch (error) {
      if (timedOut) {
        throw new BaseboxError(
          'TIMEOUT',
          `the SQL ran longer than ${options.timeoutMs} ms and was cancelled`,
          { cause: error },
        )
      }
      if (typeof (error as { code?: unknown })?.code !== 'string') {
        reusable = false
      }
      throw error
    } finally {
      clearTimeout(timer)
      if (killer !== undefined) {
        clearTimeout(killer)
      }
      await this.#giveBack(login, client, reusable)
    }
  }

  async #query(
    client: PgClientLike,
    text: string,
    params: readonly unknown[],
    maxRows: number,
    maxBytes?: number,
  ): Promise<RawStatementResult> {
    const Query = this.#pool.Client?.Query
    if (Query === undefined) {
      throw new BaseboxError('UNSUPPORTED', 'the pg Client class does not expose Query')
    }
    // Read at most maxRows + 1 rows from the portal, then close it: a huge result never reaches
    // this process. (pg's own row-limited query would keep fetching until the end.)
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
