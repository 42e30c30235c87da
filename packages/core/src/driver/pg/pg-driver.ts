import { PostgresDialect } from 'kysely'
import type { Driver } from '../driver.js'
import { DriverLifetime } from '../driver-lifetime.js'
import { PgLanes } from './pg-lanes.js'
import { PgSQLSessions } from './pg-sql-session.js'
import type { PgPoolClientLike, PgPoolLike } from './pg-surface.js'

export type { PgPoolLike } from './pg-surface.js'

/** Options of {@link pgDriver}. */
export interface PgDriverOptions {
  /**
   * Told when a connection of the pool fails (Postgres closed it, the network broke). The
   * operation that was using it, if any, fails with a typed error; the pool opens a new
   * connection for the next one. Default: a `console.warn`.
   */
  onConnectionError?: (error: Error) => void
}

function warnConnectionError(error: Error): void {
  console.warn(`basebox: a Postgres connection failed: ${error.message}`)
}

// One 'error' listener per pool, whatever the number of engines made over it (tests make many).
const poolListeners = new WeakMap<object, Set<(error: Error) => void>>()

function listen(pool: PgPoolLike, onError: (error: Error) => void): () => void {
  let listeners = poolListeners.get(pool)
  if (listeners === undefined) {
    const all = new Set<(error: Error) => void>()
    listeners = all
    poolListeners.set(pool, all)
    pool.on('error', (error) => {
      for (const listener of all) {
        listener(error)
      }
    })
  }
  listeners.add(onError)
  const registered = listeners
  return () => {
    registered.delete(onError)
  }
}

// Clients given to kysely: pg-pool listens for errors on idle clients only, and an 'error'
// event on a checked-out client with no listener ends the process.
const watched = new WeakSet<object>()

function watch(client: PgPoolClientLike, onError: (error: Error) => void): PgPoolClientLike {
  if (!watched.has(client)) {
    watched.add(client)
    client.on('error', onError)
  }
  return client
}

/**
 * A {@link Driver} over a node-postgres pool. The engine ends the pool when it is destroyed
 * ({@link Driver.destroy}).
 * Create the pool with `pipeline: true` (node-postgres 8.23 or later): record operations then
 * travel on up to four of the pool's connections, at most half of them ("lanes", given back
 * when idle), each operation one implicit transaction in one round trip, and the operations
 * issued together leave in one socket write. Without pipeline mode each operation takes a connection of its own.
 *
 * ### Examples
 *
 * ```ts
 * import pg from 'pg'
 * import { createBasebox } from '@basebox/core'
 * import { pgDriver } from '@basebox/core/pg'
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, pipeline: true })
 * // pgDriver listens for the pool's connection errors, so a Postgres restart never ends the process
 * const bb = await createBasebox({ driver: pgDriver(pool) })
 * ```
 */
export function pgDriver(pool: PgPoolLike, options: PgDriverOptions = {}): Driver {
  const onError = options.onConnectionError ?? warnConnectionError
  // An idle pooled connection that Postgres closes (a restart, `pg_terminate_backend`, an idle
  // timeout) makes the pool emit 'error': without a listener, Node ends the process.
  const stopListening = listen(pool, onError)
  const sessions = new PgSQLSessions(pool)
  const poolSize = pool.options.max ?? 10
  // A few deep pipelines share more socket writes than many shallow ones (measured: 4 lanes
  // of up to 8 batches beat 8 lanes of 4 by 10-20 % at 16 operations in flight).
  const lanes = new PgLanes(() => pool.connect(), Math.min(4, Math.floor(poolSize / 2)))
  const lifetime = new DriverLifetime('postgres', async () => {
    stopListening()
    lanes.close()
    await sessions.close()
    await pool.end()
  })
  return {
    name: 'postgres',
    capabilities: {
      supportsMultipleConnections: true,
      confinesSQL: true,
      interruptsSQL: true,
      refusesOversizedRows: true,
    },
    createDialect: () =>
      new PostgresDialect({
        pool: {
          options: pool.options,
          connect: () => lifetime.guard(async () => watch(await pool.connect(), onError)),
          end: () => lifetime.destroy(),
        },
      }),
    runSQLSession: (login, options, fn) => lifetime.guard(() => sessions.run(login, options, fn)),
    runAtomic: (queries) => lifetime.guard(() => lanes.run(queries)),
    destroy: () => lifetime.destroy(),
  }
}
