import { BaseboxError, isUUIDString, type Project, type ProjectDatabase } from '@basebox/client'
import { sql } from 'kysely'
import { databaseObjectNames } from './catalog/catalog-names.js'
import { toProject, toProjectDatabase } from './catalog/catalog-db.js'
import { recordAudit } from './catalog/audit-log.js'
import { DatabaseHandle } from './database/database-handle.js'
import { USERS_TABLE } from './default-tables.js'
import {
  compileAccess,
  compileAuthFunctions,
  compileSchemaPrivileges,
  databaseRoles,
} from './ddl/compile-access.js'
import { compileCreateTable } from './ddl/compile-step.js'
import { quoteIdentifier as q } from './ddl/identifier.js'
import {
  actAsEngine,
  actAsSchemaOwner,
  actAsOwner,
  inTransaction,
  type EngineContext,
  type EngineTransaction,
} from './engine-context.js'
import { DatabaseNotFoundError } from './errors/not-found.js'

/** Input of {@link OwnerScope.createProject}. */
export interface CreateProjectOptions {
  /** 1 to 200 characters. */
  name: string
  /** At most 2,000 characters. */
  description?: string | null
}

/** Input of {@link OwnerScope.updateProject}. */
export interface UpdateProjectOptions {
  name?: string
  description?: string | null
}

/** Options of `bb.owner(ownerId, options)`. */
export interface OwnerOptions {
  /**
   * Default is `false`. A read-only owner (a host user who may look but not change: a viewer)
   * sees the owner's projects, databases, tables, rows and audit log, and runs SQL in a
   * read-only transaction; every write (projects, databases, plans, rows, imports) is
   * `FORBIDDEN`, and each table's `permissions` say so.
   */
  readOnly?: boolean
}

/** Input of {@link OwnerScope.createDatabase}. */
export interface CreateDatabaseOptions {
  /** Display name. Default is `'main'`. */
  name?: string
}

function checkProjectId(id: unknown): string {
  if (typeof id !== 'string' || !isUUIDString(id)) {
    throw new BaseboxError(
      'NOT_FOUND',
      `project ${JSON.stringify(String(id).slice(0, 80))} not found`,
    )
  }
  return id.toLowerCase()
}

function checkName(name: unknown, what: string): string {
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 200) {
    throw new BaseboxError('VALIDATION_FAILED', `${what} must be 1 to 200 characters`)
  }
  return name
}

function checkDescription(description: unknown): string | null {
  if (description === undefined || description === null) {
    return null
  }
  if (typeof description !== 'string' || description.length > 2000) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      'a project description must be text of at most 2000 characters',
    )
  }
  return description
}

/**
 * Everything one owner (one user of the host product) can see and do: their projects and the
 * projects' databases. Scoping is enforced twice: every query filters on the owner, and it runs
 * under a role that the catalog's row-level security limits to that owner's rows.
 * Get one with `bb.owner(hostUserId)`.
 */
export class OwnerScope {
  readonly #ctx: EngineContext
  /** The host's user id this scope belongs to. */
  readonly ownerId: string
  /** Whether this owner may only read. See {@link OwnerOptions.readOnly}. */
  readonly readOnly: boolean

  /** @internal */
  constructor(ctx: EngineContext, ownerId: string, options: OwnerOptions = {}) {
    this.#ctx = ctx
    this.ownerId = ownerId
    this.readOnly = options.readOnly === true
  }

  /** Throws `FORBIDDEN` when this owner may only read; `what` names the refused write. @internal */
  assertWritable(what: string): void {
    if (this.readOnly) {
      throw new BaseboxError('FORBIDDEN', `this owner may only read: ${what} is not allowed`, {
        details: { reason: 'read_only_owner' },
      })
    }
  }

  /** Runs `fn` in a transaction that sees only this owner's catalog rows. @internal */
  async transaction<T>(fn: (trx: EngineTransaction) => Promise<T>): Promise<T> {
    return inTransaction(this.#ctx, async (trx) => {
      await actAsOwner(this.#ctx, trx, this.ownerId)
      return fn(trx)
    })
  }

  /** Creates a project owned by this owner. */
  async createProject(options: CreateProjectOptions): Promise<Project> {
    this.assertWritable('creating a project')
    const name = checkName(options?.name, 'a project name')
    const description = checkDescription(options.description)
    return this.transaction(async (trx) => {
      const row = await trx
        .insertInto('projects')
        .values({ owner_id: this.ownerId, name, description })
        .returningAll()
        .executeTakeFirstOrThrow()
      return toProject(row)
    })
  }

  /** This owner's projects, oldest first. */
  async listProjects(): Promise<Project[]> {
    return this.transaction(async (trx) => {
      const rows = await trx
        .selectFrom('projects')
        .selectAll()
        .where('owner_id', '=', this.ownerId)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
      return rows.map(toProject)
    })
  }

  /** One project of this owner; `NOT_FOUND` for another owner's project or an unknown id. */
  async getProject(projectId: string): Promise<Project> {
    const id = checkProjectId(projectId)
    return this.transaction(async (trx) => toProject(await this.#project(trx, id)))
  }

  /** Changes a project's name or description. */
  async updateProject(projectId: string, changes: UpdateProjectOptions): Promise<Project> {
    const id = checkProjectId(projectId)
    this.assertWritable('changing a project')
    const patch: { name?: string; description?: string | null } = {}
    if (changes.name !== undefined) {
      patch.name = checkName(changes.name, 'a project name')
    }
    if (changes.description !== undefined) {
      patch.description = checkDescription(changes.description)
    }
    return this.transaction(async (trx) => {
      await this.#project(trx, id, true)
      const row = await trx
        .updateTable('projects')
        .set({ ...patch, updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .where('owner_id', '=', this.ownerId)
        .returningAll()
        .executeTakeFirstOrThrow()
      return toProject(row)
    })
  }

  /** Renames a project. */
  async renameProject(projectId: string, name: string): Promise<Project> {
    return this.updateProject(projectId, { name })
  }

  /** Deletes a project, its database's schema with every table and row, and its role. */
  async deleteProject(projectId: string): Promise<void> {
    const id = checkProjectId(projectId)
    this.assertWritable('deleting a project')
    await this.transaction(async (trx) => {
      await this.#project(trx, id, true)
      const databases = await trx
        .selectFrom('project_databases')
        .selectAll()
        .where('project_id', '=', id)
        .execute()
      await dropSchemasAndRoles(trx, databases)
      await actAsOwner(this.#ctx, trx, this.ownerId)
      await trx
        .deleteFrom('projects')
        .where('id', '=', id)
        .where('owner_id', '=', this.ownerId)
        .execute()
    })
  }

  /**
   * Deletes a project's database in one transaction: its schema with every table and row, its
   * roles, and its catalog rows (tables, credentials, audit entries; end-user auth's sessions,
   * keys and secrets go with them). The project stays, and can get a new database with
   * {@link createDatabase}. An audit entry `database.delete` is kept on the project. `NOT_FOUND`
   * when the project has no database; `FORBIDDEN` for a read-only owner.
   */
  async deleteDatabase(projectId: string): Promise<void> {
    const id = checkProjectId(projectId)
    this.assertWritable('deleting a database')
    await this.transaction(async (trx) => {
      await this.#project(trx, id, true)
      const databases = await trx
        .selectFrom('project_databases')
        .selectAll()
        .where('project_id', '=', id)
        .execute()
      if (databases.length === 0) {
        throw new BaseboxError('NOT_FOUND', 'the project has no database')
      }
      await dropSchemasAndRoles(trx, databases)
      await actAsOwner(this.#ctx, trx, this.ownerId)
      await trx.deleteFrom('project_databases').where('project_id', '=', id).execute()
      for (const database of databases) {
        await recordAudit(trx, {
          projectId: id,
          databaseId: null,
          actor: this.ownerId,
          action: 'database.delete',
          details: { id: database.id, name: database.name },
        })
      }
    })
  }

  /**
   * Creates the project's database in one transaction: a Postgres schema owned by a role no
   * tenant session can use, the database's role and its client role with data rights on that
   * schema only, the default `users` table and the catalog rows. A project has at most one
   * database: a second call is a `CONFLICT`. On failure nothing remains.
   */
  async createDatabase(
    projectId: string,
    options: CreateDatabaseOptions = {},
  ): Promise<DatabaseHandle> {
    const id = checkProjectId(projectId)
    this.assertWritable('creating a database')
    const name = checkName(options.name ?? 'main', 'a database name')
    const info = await this.transaction(async (trx) => {
      await this.#project(trx, id, true)
      const existing = await trx
        .selectFrom('project_databases')
        .select('id')
        .where('project_id', '=', id)
        .executeTakeFirst()
      if (existing !== undefined) {
        throw new BaseboxError('CONFLICT', 'this project already has a database', {
          details: { project_id: id, database_id: existing.id },
        })
      }
      const databaseId = crypto.randomUUID()
      const names = databaseObjectNames(this.#ctx.catalog, databaseId)
      await actAsEngine(trx)
      const roles = databaseRoles(names.role)
      for (const role of [roles.owner, roles.role, roles.client]) {
        await sql.raw(`create role ${q(role)} nologin noinherit`).execute(trx)
      }
      if (!this.#ctx.superuser) {
        await sql
          .raw(`grant ${q(roles.owner)}, ${q(roles.role)}, ${q(roles.client)} to current_user`)
          .execute(trx)
      }
      await sql.raw(`create schema ${q(names.schema)} authorization ${q(roles.owner)}`).execute(trx)
      const database = { role_name: names.role, schema_name: names.schema }
      await actAsSchemaOwner(trx, database)
      for (const statement of [
        ...compileSchemaPrivileges(names.schema, roles),
        ...compileAuthFunctions(names.schema, roles),
        ...compileCreateTable({ schema: names.schema }, USERS_TABLE),
        ...compileAccess(names.schema, roles, USERS_TABLE, { fresh: true }),
      ]) {
        await sql.raw(statement).execute(trx)
      }
      await actAsOwner(this.#ctx, trx, this.ownerId)
      const row = await trx
        .insertInto('project_databases')
        .values({ id: databaseId, project_id: id, name, ...database })
        .returningAll()
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('project_tables')
        .values({
          database_id: databaseId,
          table_name: USERS_TABLE.name,
          schema_json: JSON.stringify(USERS_TABLE),
          position: 0,
        })
        .execute()
      await recordAudit(trx, {
        projectId: id,
        databaseId,
        actor: this.ownerId,
        action: 'database.create',
        details: { name, tables: [USERS_TABLE.name] },
      })
      return toProjectDatabase(row)
    })
    return new DatabaseHandle(this.#ctx, this, info)
  }

  /** The project's database; `NOT_FOUND` when it has none (or the project is not this owner's). */
  async database(projectId: string): Promise<DatabaseHandle> {
    return new DatabaseHandle(this.#ctx, this, await this.getDatabase(projectId))
  }

  /** A database of this owner by its own id; `NOT_FOUND` for an unknown id or another owner's. */
  async databaseById(databaseId: string): Promise<DatabaseHandle> {
    if (typeof databaseId !== 'string' || !isUUIDString(databaseId)) {
      throw new DatabaseNotFoundError()
    }
    const info = await this.transaction(async (trx) => {
      const row = await trx
        .selectFrom('project_databases')
        .innerJoin('projects', 'projects.id', 'project_databases.project_id')
        .selectAll('project_databases')
        .where('project_databases.id', '=', databaseId.toLowerCase())
        .where('projects.owner_id', '=', this.ownerId)
        .executeTakeFirst()
      if (row === undefined) {
        throw new DatabaseNotFoundError(databaseId)
      }
      return toProjectDatabase(row)
    })
    return new DatabaseHandle(this.#ctx, this, info)
  }

  /** The catalog row of the project's database. */
  async getDatabase(projectId: string): Promise<ProjectDatabase> {
    const id = checkProjectId(projectId)
    return this.transaction(async (trx) => {
      await this.#project(trx, id)
      const row = await trx
        .selectFrom('project_databases')
        .selectAll()
        .where('project_id', '=', id)
        .executeTakeFirst()
      if (row === undefined) {
        throw new BaseboxError('NOT_FOUND', 'this project has no database yet', {
          details: { project_id: id },
        })
      }
      return toProjectDatabase(row)
    })
  }

  async #project(trx: EngineTransaction, id: string, forUpdate = false) {
    let query = trx
      .selectFrom('projects')
      .selectAll()
      .where('id', '=', id)
      .where('owner_id', '=', this.ownerId)
    if (forUpdate) {
      query = query.forUpdate()
    }
    const row = await query.executeTakeFirst()
    if (row === undefined) {
      throw new BaseboxError('NOT_FOUND', `project ${JSON.stringify(id)} not found`, {
        details: { project_id: id },
      })
    }
    return row
  }
}

/** Drops the schemas and roles of databases, as the engine's user (the caller acts as the owner again after). */
async function dropSchemasAndRoles(
  trx: EngineTransaction,
  databases: { schema_name: string; role_name: string }[],
): Promise<void> {
  await actAsEngine(trx)
  for (const database of databases) {
    await sql.raw(`drop schema if exists ${q(database.schema_name)} cascade`).execute(trx)
    const roles = databaseRoles(database.role_name)
    for (const role of [roles.client, roles.role, roles.owner]) {
      const exists = await sql<{
        n: number
      }>`select count(*)::int as n from pg_roles where rolname = ${role}`.execute(trx)
      if (exists.rows[0]?.n === 1) {
        await sql.raw(`drop owned by ${q(role)} cascade`).execute(trx)
        await sql.raw(`drop role ${q(role)}`).execute(trx)
      }
    }
  }
}
