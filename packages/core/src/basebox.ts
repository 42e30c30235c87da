import { BaseboxError, isUUIDString } from '@basebox/client'
import type { DatabaseHandle } from './database/database-handle.js'
import { Kysely, sql } from 'kysely'
import { catalogNames, type CatalogNames } from './catalog/catalog-names.js'
import type { CatalogDB } from './catalog/catalog-db.js'
import { migrateCatalog } from './catalog/migrations.js'
import { resolveCapabilities, type Driver, type DriverCapabilities } from './driver/driver.js'
import { checkOwnerId, type EngineContext } from './engine-context.js'
import { fromDatabaseError } from './errors/from-database-error.js'
import { OwnerScope, type OwnerOptions } from './owner-scope.js'
import { DatabaseNotFoundError } from './errors/not-found.js'

/** Configuration of {@link createBasebox}. */
export interface BaseboxConfig {
  /** The backend: `pgDriver(pool)` or `pgliteDriver(pglite)`. */
  driver: Driver
  /**
   * The Postgres schema that holds Basebox's catalog (projects, databases, tables). At most 20
   * lowercase letters, digits and underscores. Default is `'basebox'`.
   */
  catalogSchema?: string
}

/**
 * The Basebox engine over one Postgres cluster or PGlite instance. Everything a host does goes
 * through an owner scope: `bb.owner(hostUserId)`.
 */
export class Basebox {
  readonly #ctx: EngineContext
  readonly #driver: Driver
  #destroyed = false

  /** The driver's name, e.g. `'postgres'` or `'pglite'`. */
  readonly driverName: string

  /** @internal */
  constructor(ctx: EngineContext, driver: Driver) {
    this.#ctx = ctx
    this.#driver = driver
    this.driverName = driver.name
  }

  /**
   * What the driver can do, every flag with its default applied (see {@link DriverCapabilities}):
   * for example whether user SQL is confined to its database's role (`confinesSQL`).
   */
  get capabilities(): Required<DriverCapabilities> {
    return this.#ctx.capabilities
  }

  /** The catalog schema and role names in use. */
  get catalog(): CatalogNames {
    return this.#ctx.catalog
  }

  /**
   * A scope that sees and changes only the projects of one owner (the host's user id, opaque
   * text of 1 to 256 characters). With `{ readOnly: true }` the scope only reads: every write is
   * `FORBIDDEN` (see {@link OwnerOptions.readOnly}).
   */
  owner(ownerId: string, options: OwnerOptions = {}): OwnerScope {
    if (this.#destroyed) {
      throw new BaseboxError('UNSUPPORTED', 'this Basebox engine has been destroyed')
    }
    return new OwnerScope(this.#ctx, checkOwnerId(ownerId), {
      readOnly: options?.readOnly === true,
    })
  }

  /**
   * Any owner's database by its id, for servers that answer an app's end users (the data API)
   * rather than a host user: the handle acts for the project's owner. `NOT_FOUND` for an
   * unknown id. Guard it with the database's API keys; never hand it an id from a host user
   * without checking that user owns it (use `owner(id).databaseById` for that).
   */
  async databaseById(databaseId: string): Promise<DatabaseHandle> {
    if (typeof databaseId !== 'string' || !isUUIDString(databaseId)) {
      throw new DatabaseNotFoundError()
    }
    const row = await this.#ctx.db
      .selectFrom('project_databases')
      .innerJoin('projects', 'projects.id', 'project_databases.project_id')
      .select('projects.owner_id')
      .where('project_databases.id', '=', databaseId.toLowerCase())
      .executeTakeFirst()
      .catch((error: unknown) => {
        throw fromDatabaseError(error)
      })
    if (row === undefined) {
      throw new DatabaseNotFoundError(databaseId)
    }
    return this.owner(row.owner_id).databaseById(databaseId)
  }

  /**
   * The kysely instance the engine runs on, connected as the engine's own user.
   *
   * WARNING! Queries run here bypass owner scoping and row-level security: use it for
   * administration and tests, never with input from end users.
   */
  get kysely(): Kysely<CatalogDB> {
    return this.#ctx.db
  }

  /** Ends the pool or closes PGlite ({@link Driver.destroy}). Idempotent. */
  async destroy(): Promise<void> {
    if (this.#destroyed) {
      return
    }
    this.#destroyed = true
    // kysely's teardown destroys the driver too (its dialect's pool end / PGlite close); the
    // driver's own destroy is idempotent and also covers a dialect that was never connected.
    await this.#ctx.db.destroy()
    await this.#driver.destroy()
  }
}

/**
 * Creates the Basebox engine: connects through the driver, then creates or upgrades the catalog
 * schema (safe when several processes start at once).
 *
 * ### Examples
 *
 * ```ts
 * import { PGlite } from '@electric-sql/pglite'
 * import { createBasebox } from '@basebox/core'
 * import { pgliteDriver } from '@basebox/core/pglite'
 *
 * const bb = await createBasebox({ driver: pgliteDriver(new PGlite()) })
 * const owner = bb.owner('host-user-1')
 * const project = await owner.createProject({ name: 'Blog' })
 * const db = await owner.createDatabase(project.id)
 * await db.createTable({ name: 'posts', columns: [{ name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' }] })
 * await bb.destroy()
 * ```
 */
export async function createBasebox(config: BaseboxConfig): Promise<Basebox> {
  const catalog = catalogNames(config.catalogSchema ?? 'basebox')
  const db = new Kysely<CatalogDB>({ dialect: config.driver.createDialect() })
  try {
    await migrateCatalog(db, catalog)
    const { rows } = await sql<{
      superuser: boolean
    }>`select rolsuper as superuser from pg_roles where rolname = current_user`.execute(db)
    const ctx: EngineContext = {
      db: db.withSchema(catalog.schema),
      compiler: db,
      ...(config.driver.runAtomic
        ? { runAtomic: config.driver.runAtomic.bind(config.driver) }
        : {}),
      catalog,
      capabilities: resolveCapabilities(config.driver.capabilities),
      runSQLSession: config.driver.runSQLSession.bind(config.driver),
      superuser: rows[0]?.superuser === true,
    }
    return new Basebox(ctx, config.driver)
  } catch (error) {
    await db.destroy().catch(() => {})
    await config.driver.destroy().catch(() => {})
    throw fromDatabaseError(error)
  }
}
