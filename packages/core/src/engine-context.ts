import { BaseboxError } from '@basebox/client'
import { sql, type Kysely, type Transaction } from 'kysely'
import { OWNER_SETTING, type CatalogNames } from './catalog/catalog-names.js'
import type { CatalogDB } from './catalog/catalog-db.js'
import type { Driver, DriverCapabilities } from './driver/driver.js'
import { fromDatabaseError } from './errors/from-database-error.js'
import { schemaOwnerOf } from './ddl/compile-access.js'

/** A transaction over the catalog and the project schemas. @internal */
export type EngineTransaction = Transaction<CatalogDB>

/**
 * What every part of the engine shares: the kysely instance, the catalog names, the driver's
 * capabilities. @internal
 */
export interface EngineContext {
  readonly db: Kysely<CatalogDB>
  /**
   * The same kysely instance without the catalog's `withSchema` plugin, to compile statements
   * whose every name is already qualified (record operations): the plugin walks each statement.
   */
  readonly compiler: Kysely<CatalogDB>
  readonly catalog: CatalogNames
  readonly capabilities: Required<DriverCapabilities>
  /** Whether the connecting user is a superuser (else it must be granted each project role). */
  readonly superuser: boolean
  /** The driver's atomic batch runner, when it has one. See {@link Driver.runAtomic}. */
  readonly runAtomic?: Driver['runAtomic']
  /** The driver's runner of user SQL. See {@link Driver.runSQLSession}. */
  readonly runSQLSession: Driver['runSQLSession']
}

/**
 * Runs `fn` in one transaction and turns any failure into a `BaseboxError`. Nothing the
 * transaction did remains when it fails.
 */
export async function inTransaction<T>(
  ctx: EngineContext,
  fn: (trx: EngineTransaction) => Promise<T>,
): Promise<T> {
  try {
    return await ctx.db.transaction().execute(fn)
  } catch (error) {
    throw fromDatabaseError(error)
  }
}

/**
 * Switches the transaction to the catalog role, scoped to one owner: from here the catalog's
 * row-level security shows only that owner's rows. One round trip.
 */
export async function actAsOwner(
  ctx: EngineContext,
  trx: EngineTransaction,
  ownerId: string,
): Promise<void> {
  await sql`select set_config('role', ${ctx.catalog.appRole}, true), set_config(${OWNER_SETTING}, ${ownerId}, true), set_config('search_path', ${ctx.catalog.schema}, true), set_config('standard_conforming_strings', 'on', true)`.execute(
    trx,
  )
}

/**
 * Switches the transaction to a project database's role and schema: from here statements can
 * reach that schema only. One round trip.
 */
export async function actAsDatabase(
  trx: EngineTransaction,
  database: { role_name: string; schema_name: string },
): Promise<void> {
  await sql`select set_config('role', ${database.role_name}, true), set_config('search_path', ${database.schema_name}, true)`.execute(
    trx,
  )
}

/**
 * Switches the transaction to the role that owns a project database's schema, for the DDL of
 * plans: the only role that can create or change the schema's objects. Tenant sessions never
 * act as it. One round trip.
 */
export async function actAsSchemaOwner(
  trx: EngineTransaction,
  database: { role_name: string; schema_name: string },
): Promise<void> {
  await sql`select set_config('role', ${schemaOwnerOf(database.role_name)}, true), set_config('search_path', ${database.schema_name}, true)`.execute(
    trx,
  )
}

/** Switches the transaction back to the engine's own (connecting) user, for schema and role DDL. */
export async function actAsEngine(trx: EngineTransaction): Promise<void> {
  await sql`select set_config('role', 'none', true)`.execute(trx)
}

/** Checks a host-given owner id: opaque, non-empty text of at most 256 characters. */
export function checkOwnerId(ownerId: unknown): string {
  if (
    typeof ownerId !== 'string' ||
    ownerId.length === 0 ||
    ownerId.length > 256 ||
    ownerId.includes('\u0000')
  ) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      'an owner id must be a non-empty string of at most 256 characters',
    )
  }
  return ownerId
}
