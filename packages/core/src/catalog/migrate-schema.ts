import { sql, type Kysely, type QueryExecutorProvider } from 'kysely'
import { quoteIdentifier as q } from '../ddl/identifier.js'
import { isPostgresError } from '../errors/from-database-error.js'

/**
 * One versioned change to a schema the engine owns (the catalog, or a package's own schema such
 * as auth's). Versions only grow; a migration never changes.
 * @internal
 */
export interface SchemaMigration<TNames> {
  version: number
  name: string
  statements: (names: TNames) => string[]
  /** Work that needs the schema's rows, run after the statements in the same transaction. */
  run?: (trx: QueryExecutorProvider, names: TNames) => Promise<void>
}

/**
 * Options of {@link migrateSchema}.
 * @internal
 */
export interface MigrateSchemaOptions<TNames> {
  /** The schema that holds the `migrations` table (created if missing). */
  schema: string
  /** The advisory lock key used only while the `migrations` table does not exist yet. */
  lockKey: string
  /** Every migration of the schema, in order. */
  migrations: readonly SchemaMigration<TNames>[]
  /** Passed to each migration's `statements` and `run`. */
  names: TNames
}

/**
 * Makes migrations of one schema run one at a time across processes. Once the schema's
 * `migrations` table exists, the lock is that table's (in `share row exclusive` mode, which
 * conflicts with itself): only a user with rights on it can take it, so no tenant can hold the
 * engine's migrations up. The first creation, before any tenant exists, uses an advisory lock.
 * @internal
 */
export async function lockCatalogMigrations(
  trx: QueryExecutorProvider,
  schema: string,
  key: string,
): Promise<void> {
  const table = `${q(schema)}.migrations`
  const { rows } = await sql<{
    found: boolean
  }>`select to_regclass(${table}) is not null as found`.execute(trx)
  if (rows[0]?.found === true) {
    await sql.raw(`lock table ${table} in share row exclusive mode`).execute(trx)
  } else {
    await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx)
  }
}

/**
 * Whether any of `migrations` is not recorded in `<schema>.migrations` yet (also when that table
 * does not exist), read in one statement outside any transaction or lock. A version once
 * recorded stays recorded, so "nothing pending" read here stays true; "something pending" is
 * checked again under the lock.
 */
async function hasPendingMigrations<DB>(
  db: Kysely<DB>,
  schema: string,
  migrations: readonly { version: number }[],
): Promise<boolean> {
  try {
    const { rows } = await sql<{
      version: number
    }>`select version from ${sql.id(schema, 'migrations')}`.execute(db)
    const done = new Set(rows.map((r) => Number(r.version)))
    return migrations.some((migration) => !done.has(migration.version))
  } catch (error) {
    // undefined_table, invalid_schema_name: a first start.
    if (isPostgresError(error) && (error.code === '42P01' || error.code === '3F000')) {
      return true
    }
    throw error
  }
}

/**
 * Brings one schema up to its newest migration in one transaction, as the engine's own user,
 * under {@link lockCatalogMigrations} so that two processes starting at once apply each
 * migration exactly once. Applied versions are recorded in `<schema>.migrations`
 * (`version`, `name`, `applied_at`). Returns the versions applied now.
 *
 * A schema that is up to date costs one statement (it reads the recorded versions) and no
 * transaction: the engine starts with it on every page load in the browser, where each
 * statement crosses to a worker.
 * @internal
 */
export async function migrateSchema<DB, TNames>(
  db: Kysely<DB>,
  { schema, lockKey, migrations, names }: MigrateSchemaOptions<TNames>,
): Promise<number[]> {
  if (!(await hasPendingMigrations(db, schema, migrations))) {
    return []
  }
  return db.transaction().execute(async (trx) => {
    await lockCatalogMigrations(trx, schema, lockKey)
    await sql.raw(`create schema if not exists ${q(schema)}`).execute(trx)
    await sql
      .raw(
        `create table if not exists ${q(schema)}.migrations (
           version integer primary key,
           name text not null,
           applied_at timestamptz not null default now()
         )`,
      )
      .execute(trx)
    const { rows } = await sql<{
      version: number
    }>`select version from ${sql.id(schema, 'migrations')}`.execute(trx)
    const done = new Set(rows.map((r) => Number(r.version)))
    const applied: number[] = []
    for (const migration of migrations) {
      if (done.has(migration.version)) {
        continue
      }
      for (const statement of migration.statements(names)) {
        await sql.raw(statement).execute(trx)
      }
      await migration.run?.(trx, names)
      await sql`insert into ${sql.id(schema, 'migrations')} (version, name) values (${migration.version}, ${migration.name})`.execute(
        trx,
      )
      applied.push(migration.version)
    }
    return applied
  })
}
