import { sql, type Kysely } from 'kysely'
import { createBasebox, type Basebox } from '../basebox.js'
import type { Driver } from '../driver/driver.js'
import { quoteIdentifier as q } from '../ddl/identifier.js'

/** Runs one raw statement and returns its rows. */
export type RawQuery = <R = Record<string, unknown>>(
  text: string,
  params?: unknown[],
) => Promise<R[]>

/**
 * A backend for the conformance suite: fresh engines on fresh catalogs over one shared
 * Postgres server or PGlite instance, plus raw access for assertions.
 */
export interface TestHarness {
  /** `'pglite'` or `'postgres'`. */
  readonly name: string
  /** A new engine on a new, uniquely named catalog schema. Dropped by {@link TestHarness.close}. */
  engine(): Promise<Basebox>
  /** Runs raw SQL as the connecting (super)user, outside any scope. */
  query: RawQuery
  /** Runs `fn` in one raw transaction that is always rolled back. */
  rolledBack<T>(fn: (query: RawQuery) => Promise<T>): Promise<T>
  /** Drops every catalog, schema and role the harness made, and releases the backend. */
  close(): Promise<void>
}

/** A unique catalog schema name for one test engine. */
export function testCatalogName(): string {
  return `t_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`
}

/**
 * Drops a catalog and everything it made: each project database's schema and role, the catalog
 * schema and its role. For tests: it destroys data.
 */
export async function dropCatalog<DB>(db: Kysely<DB>, schema: string): Promise<void> {
  const exists = await sql<{
    n: number
  }>`select count(*)::int as n from pg_namespace where nspname = ${schema}`.execute(db)
  if (exists.rows[0]?.n === 1) {
    const { rows } = await sql<{
      schema_name: string
      role_name: string
    }>`select schema_name, role_name from ${sql.id(schema, 'project_databases')}`.execute(db)
    for (const row of rows) {
      await sql.raw(`drop schema if exists ${q(row.schema_name)} cascade`).execute(db)
    }
    await sql.raw(`drop schema ${q(schema)} cascade`).execute(db)
  }
  const roles = await sql<{
    rolname: string
  }>`select rolname from pg_roles where rolname like ${`${schema.replaceAll('_', '\\_')}\\_%`}`.execute(
    db,
  )
  for (const { rolname } of roles.rows) {
    await sql.raw(`drop owned by ${q(rolname)} cascade`).execute(db)
    await sql.raw(`drop role ${q(rolname)}`).execute(db)
  }
}

/**
 * Builds a {@link TestHarness} from a way to make drivers that share one backend (their
 * `destroy` must not end it), raw access, and a way to release the backend.
 * @internal
 */
export function createHarness(options: {
  name: string
  driver: () => Driver
  query: RawQuery
  rolledBack: TestHarness['rolledBack']
  release: () => Promise<void>
}): TestHarness {
  const engines: { bb: Basebox; catalog: string }[] = []
  return {
    name: options.name,
    async engine() {
      const catalog = testCatalogName()
      const bb = await createBasebox({ driver: options.driver(), catalogSchema: catalog })
      engines.push({ bb, catalog })
      return bb
    },
    query: options.query,
    rolledBack: options.rolledBack,
    async close() {
      for (const { bb, catalog } of engines) {
        await dropCatalog(bb.kysely, catalog).catch((error) =>
          console.error(`could not drop catalog ${catalog}`, error),
        )
        await bb.destroy()
      }
      engines.length = 0
      await options.release()
    },
  }
}
