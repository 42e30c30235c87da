import { BaseboxError } from '@basebox/client'
import type { RawStatementResult, SQLConnection, SQLLogin, SQLSessionOptions } from '../driver.js'
import { runRowLimitedQuery } from './pg-internals.js'
import type { PgClientLike, PgPoolLike } from './pg-surface.js'

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
  readonly #pool: PgPoolLike
  readonly #idle = new Map<string, Idle>()
  #target: { host?: string; port?: number; database?: string } | undefined

  constructor(pool: PgPoolLike) {
    this.#pool = pool
  }

  async #connectionTarget(): Promise<{ host?: string; port?: number; database?: string }> {
    if (this.#target === undefined) {
      const probe = await this.#pool.connect()
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
    const ssl = this.#pool.options.ssl
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
    const { signal } = options
    signal?.throwIfAborted()
    const client = await this.#begin(login, options.readOnly)
    let reusable = true
    let timedOut = false
    let stopped = false
    let killer: ReturnType<typeof setTimeout> | undefined
    const pid = client.processID
    const stop = () => {
      if (stopped) {
        return
      }
      stopped = true
      reusable = false
      void this.#pool
        .connect()
        .then(async (engine) => {
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
          .then(async (engine) => {
            try {
              await engine.query('select pg_terminate_backend($1)', [pid])
            } finally {
              engine.release()
            }
          })
          .catch(() => {})
      }, 2_000)
    }
    const timer = setTimeout(() => {
      timedOut = true
      stop()
    }, options.timeoutMs)
    signal?.addEventListener('abort', stop, { once: true })
    const connection: SQLConnection = {
      query: (text, params, maxRows, maxBytes) =>
        this.#query(client, text, params, maxRows, maxBytes),
    }
    try {
      let result: T
      try {
        result = await fn(connection)
        // Aborted while the last statement ran: it is not committed.
        signal?.throwIfAborted()
      } catch (error) {
        await client.query('rollback').catch(() => {
          reusable = false
        })
        throw error
      }
      await client.query('commit')
      return result
    } catch (error) {
      if (signal?.aborted === true && !timedOut) {
        throw signal.reason
      }
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
      signal?.removeEventListener('abort', stop)
      if (killer !== undefined) {
        clearTimeout(killer)
      }
      await this.#giveBack(login, client, reusable)
    }
  }

  #query(
    client: PgClientLike,
    text: string,
    params: readonly unknown[],
    maxRows: number,
    maxBytes?: number,
  ): Promise<RawStatementResult> {
    const Query = this.#pool.Client?.Query
    if (Query === undefined) {
      return Promise.reject(
        new BaseboxError('UNSUPPORTED', 'the pg Client class does not expose Query'),
      )
    }
    return runRowLimitedQuery(Query, client, text, params, maxRows, maxBytes)
  }
}
