import type { PGlite, Transaction } from '@electric-sql/pglite'
import type { Pool, PoolClient } from 'pg'

/**
 * Counts the statements a backend runs and the time spent waiting for them, so that a benchmark
 * can say how many round trips an operation made and how much of its time the database took.
 * Begin and commit count as statements (they are round trips too).
 */
export class StatementCounter {
  statements = 0
  /** Milliseconds spent awaiting the driver. */
  waitedMs = 0
  /** When set, every statement is recorded here with its duration. */
  trace: { sql: string; ms: number }[] | undefined

  /** Zeroes the counts; returns a function that reads them since then. */
  start(): () => { statements: number; waitedMs: number } {
    const statements = this.statements
    const waitedMs = this.waitedMs
    return () => ({ statements: this.statements - statements, waitedMs: this.waitedMs - waitedMs })
  }

  /** Runs `call` (one round trip) and records it. */
  async time<T>(sql: string, call: () => Promise<T>): Promise<T> {
    const started = performance.now()
    try {
      return await call()
    } finally {
      this.record(sql, performance.now() - started)
    }
  }

  record(sql: string, ms: number): void {
    this.statements += 1
    this.waitedMs += ms
    this.trace?.push({ sql: sql.replace(/\s+/g, ' ').trim(), ms })
  }
}

const COUNTED = Symbol('counted')

/**
 * Wraps a pg pool so that every `client.query` made on its clients is counted (the engine's
 * atomic batch, several statements ending in one Sync, is one query and one round trip). Clients keep
 * their identity (kysely caches its connection per client).
 */
export function countPgPool(pool: Pool, counter: StatementCounter): Pool {
  const connect = pool.connect.bind(pool)
  const wrapClient = (client: PoolClient & { [COUNTED]?: true }) => {
    if (client[COUNTED] !== true) {
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>
      ;(client as { query: unknown }).query = (...args: unknown[]) =>
        counter.time(typeof args[0] === 'string' ? args[0] : 'query', () => query(...args))
      client[COUNTED] = true
    }
    return client
  }
  ;(pool as { connect: unknown }).connect = async () => wrapClient(await connect())
  return pool
}

/**
 * Wraps a PGlite instance so that `query` and `exec`, on the instance and in its transactions,
 * are counted, and `execProtocol` (the engine's atomic batches: several statements in one call)
 * as one. A transaction's begin and commit are counted as two statements.
 */
export function countPGlite(pglite: PGlite, counter: StatementCounter): PGlite {
  const wrapQueries = <T extends PGlite | Transaction>(target: T): T => {
    return new Proxy(target, {
      get(object, key) {
        const value = Reflect.get(object, key, object)
        if (key === 'query' || key === 'exec' || key === 'execProtocol') {
          return (sql: string | Uint8Array, ...rest: unknown[]) =>
            counter.time(typeof sql === 'string' ? sql : '(atomic batch)', () =>
              (value as (...args: unknown[]) => Promise<unknown>).call(object, sql, ...rest),
            )
        }
        return typeof value === 'function' ? value.bind(object) : value
      },
    })
  }
  const wrapped = wrapQueries(pglite)
  return new Proxy(wrapped, {
    get(object, key) {
      if (key !== 'transaction') {
        return Reflect.get(object, key)
      }
      return async <T>(fn: (tx: Transaction) => Promise<T>): Promise<T> => {
        let mark = performance.now()
        let result: T | undefined
        await pglite.transaction(async (tx) => {
          counter.record('begin', performance.now() - mark)
          result = await fn(wrapQueries(tx))
          mark = performance.now()
        })
        counter.record('commit', performance.now() - mark)
        return result as T
      }
    },
  })
}
