import { PGlite } from '@electric-sql/pglite'
import type { Driver } from '@basebox/core'
import { pgDriver } from '@basebox/core/pg'
import { pgliteDriver } from '@basebox/core/pglite'
import pg from 'pg'
import benchPackage from '../package.json' with { type: 'json' }
import { countPGlite, countPgPool, StatementCounter } from './instrument.js'

/** Runs one raw statement; returns its rows. */
export type RawQuery = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>

/** Raw access to a backend through its own driver, beside the engine. */
export interface RawAccess {
  /** One statement, outside any explicit transaction. */
  query: RawQuery
  /** `fn` in one transaction: a pg pool client with begin/commit, or PGlite's `transaction`. */
  transaction<T>(fn: (query: RawQuery) => Promise<T>): Promise<T>
}

/** One backend to benchmark: a driver for the engine and raw access to the same database. */
export interface Backend {
  /** `'pglite'` or `'postgres'`. */
  readonly name: string
  /** A human description, e.g. `PGlite 0.5.16 (PostgreSQL 17.5)`. */
  readonly label: string
  /** Counts every statement of the engine and of the raw side. */
  readonly counter: StatementCounter
  /** The driver for `createBasebox`; the engine's `destroy()` releases it. */
  readonly driver: Driver
  readonly raw: RawAccess
  /** Releases what the engine does not (the raw pool). Call after the engine is destroyed. */
  close(): Promise<void>
}

async function serverVersion(query: RawQuery): Promise<string> {
  const [row] = await query(`select current_setting('server_version') as version`)
  return String(row?.version ?? '?').split(' ')[0]!
}

/** In-memory PGlite: the engine and the raw side share one instance. */
export async function createPGliteBackend(): Promise<Backend> {
  const counter = new StatementCounter()
  const pglite = countPGlite(await PGlite.create(), counter)
  const raw: RawAccess = {
    query: async (text, params) => (await pglite.query<Record<string, unknown>>(text, params)).rows,
    transaction: (fn) =>
      pglite.transaction((tx) =>
        fn(async (text, params) => (await tx.query<Record<string, unknown>>(text, params)).rows),
      ),
  }
  return {
    name: 'pglite',
    label: `PGlite ${dependencyVersion('@electric-sql/pglite')} in memory (PostgreSQL ${await serverVersion(raw.query)})`,
    counter,
    driver: pgliteDriver(pglite),
    raw,
    close: async () => {},
  }
}

/** A PostgreSQL server: the engine and the raw side each get a pool of the same size. */
export async function createPostgresBackend(connectionString: string): Promise<Backend> {
  const counter = new StatementCounter()
  // `pipeline: true` as `pgDriver` recommends; the same settings on both sides.
  const options = { connectionString, max: 4, pipeline: true }
  const enginePool = countPgPool(new pg.Pool(options), counter)
  const rawPool = countPgPool(new pg.Pool(options), counter)
  const raw: RawAccess = {
    query: async (text, params) => {
      const client = await rawPool.connect()
      try {
        return (await client.query(text, params)).rows
      } finally {
        client.release()
      }
    },
    async transaction(fn) {
      const client = await rawPool.connect()
      try {
        await client.query('begin')
        const result = await fn(async (text, params) => (await client.query(text, params)).rows)
        await client.query('commit')
        return result
      } catch (error) {
        await client.query('rollback').catch(() => {})
        throw error
      } finally {
        client.release()
      }
    },
  }
  return {
    name: 'postgres',
    label: `PostgreSQL ${await serverVersion(raw.query)} over pg ${dependencyVersion('pg')} (TCP, same machine)`,
    counter,
    driver: pgDriver(enginePool),
    raw,
    close: () => rawPool.end(),
  }
}

/** The version this package pins for a dependency (exact pins, so it is the installed one). */
function dependencyVersion(name: string): string {
  return (benchPackage.dependencies as Record<string, string>)[name] ?? '?'
}
