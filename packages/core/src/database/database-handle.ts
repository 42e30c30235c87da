import {
  BaseboxError,
  DatabaseError,
  parseTableDefinition,
  type ProjectDatabase,
  type TableDefinition,
  type TableDefinitionInput,
  type TableInfo,
} from '@basebox/client'
import { toTableInfo } from '../catalog/catalog-db.js'
import { planChanges as planModelChanges } from '../ddl/plan-changes.js'
import { compilePlanSQL } from '../ddl/compile-plan.js'
import {
  ChangePlanInput,
  type ChangePlan,
  type PlanChangesOptions,
  type PlanStep,
} from '../ddl/plan-step.js'
import { actAsOwner, type EngineContext, type EngineTransaction } from '../engine-context.js'
import type { OwnerScope } from '../owner-scope.js'
import { planProblemsError, runPlan } from './apply-plan.js'
import {
  toValidationError,
  type Filter,
  type SelectQuery,
  type SelectResult,
} from '@basebox/client'
import type { UpsertOptions, WriteOptions } from '../records/compile-write.js'
import {
  parseRecordIdentity,
  RecordOperations,
  type ExternalWork,
  type FilteredWriteOptions,
  type RecordIdentity,
  type Row,
} from '../records/record-operations.js'
import { DatabaseNotFoundError } from '../errors/not-found.js'

export type { FilteredWriteOptions, Row } from '../records/record-operations.js'
import type { RecordTarget, SchemaSnapshot } from '../records/run-records.js'
import { runSQL, type SQLOptions } from '../sql-runner/sql-runner.js'
import { splitStatements } from '../sql-runner/split-statements.js'
import type { SQLLogin } from '../driver/driver.js'
import type { AccessPolicies, SQLRunResult } from '@basebox/client'
import { sql as kyselySQL } from 'kysely'
import { readAudit, recordAudit, type AuditAction, type AuditPage } from '../catalog/audit-log.js'
import { actAsEngine } from '../engine-context.js'
import { quoteIdentifier, quoteLiteral } from '../ddl/identifier.js'
import { TENANT_TEMP_FILE_LIMIT } from '../catalog/migrations.js'
import { databaseRoles, describeAccess, USER_ID_SETTING, USER_ROLE_SETTING } from '../ddl/compile-access.js'
import { fromDatabaseError } from '../errors/from-database-error.js'

function newPassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24))
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')
}

/** An import's work for {@link DatabaseHandle.runImport}. @internal */
export interface ImportWork {
  /** The definitions the import was prepared against. */
  expected: readonly TableDefinition[]
  /** The schema changes to apply first (may be none). */
  steps: readonly unknown[]
  /** Writes the rows, in the import's transaction, acting as the database's role. */
  load(trx: EngineTransaction): Promise<void>
  /** The details of the `data.import` audit entry (never row data). */
  audit: Record<string, unknown>
}

/** A read-only snapshot transaction opened by {@link DatabaseHandle.openSnapshot}. @internal */
export interface DatabaseSnapshot {
  readonly trx: EngineTransaction
  /** The definitions as of the snapshot, in creation order. */
  readonly tables: TableDefinition[]
  /** Ends the transaction and frees its connection. Idempotent; never throws. */
  release(): Promise<void>
}

/** Signals a rollback of a preview transaction. */
class PreviewRollback extends Error {}

/**
 * One project database: its tables, their definitions and the changes to them. Every operation
 * runs in a transaction under the database's own role and `search_path`; the catalog is read and
 * written under the owner's row-level security. Get one with `owner.createDatabase(projectId)`
 * or `owner.database(projectId)`.
 */
export class DatabaseHandle {
  readonly #ctx: EngineContext
  readonly #owner: OwnerScope
  /** The catalog row of this database. */
  readonly info: ProjectDatabase
  readonly #cache: { snapshot?: SchemaSnapshot } = {}
  #login: SQLLogin | undefined
  readonly #target: RecordTarget
  readonly #records: RecordOperations

  /** @internal */
  constructor(ctx: EngineContext, owner: OwnerScope, info: ProjectDatabase) {
    this.#ctx = ctx
    this.#owner = owner
    this.info = info
    this.#target = {
      ctx,
      databaseId: info.id,
      schema: info.schema_name,
      role: info.role_name,
      load: () => this.#loadSnapshot(),
    }
    this.#records = new RecordOperations(this.#target, this.#cache)
  }

  async #loadSnapshot(): Promise<SchemaSnapshot> {
    return this.#owner.transaction(async (trx) => {
      const row = await trx
        .selectFrom('project_databases')
        .select((eb) => eb.cast<string>('schema_version', 'text').as('version'))
        .where('id', '=', this.info.id)
        .executeTakeFirst()
      if (row === undefined) {
        throw new DatabaseNotFoundError(this.info.id)
      }
      return { version: row.version, tables: (await this.#tables(trx)).map((t) => t.definition) }
    })
  }

  /** The database's id. */
  get id(): string {
    return this.info.id
  }

  /** Whether the owner this handle acts for may only read (see `OwnerOptions.readOnly`). */
  get readOnly(): boolean {
    return this.#owner.readOnly
  }

  /** Throws `FORBIDDEN` when the owner may only read; `what` names the refused write. @internal */
  assertWritable(what: string): void {
    this.#owner.assertWritable(what)
  }

  /** Runs `fn` in an owner-scoped transaction, after checking the database still exists. @internal */
  async transaction<T>(
    fn: (trx: EngineTransaction) => Promise<T>,
    options: { lock?: boolean } = {},
  ): Promise<T> {
    return this.#owner.transaction(async (trx) => {
      // Schema changes lock the database's row so that they run one at a time; reads do not.
      let query = trx.selectFrom('project_databases').select(['id']).where('id', '=', this.info.id)
      if (options.lock === true) {
        query = query.forUpdate()
      }
      const row = await query.executeTakeFirst()
      if (row === undefined) {
        throw new DatabaseNotFoundError(this.info.id)
      }
      return fn(trx)
    })
  }

  async #tables(trx: EngineTransaction): Promise<TableInfo[]> {
    const rows = await trx
      .selectFrom('project_tables')
      .selectAll()
      .where('database_id', '=', this.info.id)
      .orderBy('position')
      .execute()
    const allowed = !this.#owner.readOnly
    const permissions = { select: true, insert: allowed, update: allowed, delete: allowed }
    return rows.map((row) => ({ ...toTableInfo(row), permissions: { ...permissions } }))
  }

  /** The tables of this database, in creation order, with their definitions. */
  async listTables(): Promise<TableInfo[]> {
    return this.transaction((trx) => this.#tables(trx))
  }

  /** One table; `NOT_FOUND` when there is no table of that name. */
  async getTable(name: string): Promise<TableInfo> {
    const table = (await this.listTables()).find((t) => t.name === name)
    if (table === undefined) {
      throw new BaseboxError(
        'NOT_FOUND',
        `table ${JSON.stringify(String(name).slice(0, 80))} does not exist`,
        {
          details: { table: name },
        },
      )
    }
    return table
  }

  /**
   * The row-level security policies and grants a table's access rules compile to, from the
   * engine's own compiler (what every plan runs for the table), without the schema name; per
   * operation the rule (`'nobody'` when unset), its policy and its grant. Nothing runs.
   * `NOT_FOUND` for an unknown table.
   */
  async accessPolicies(name: string): Promise<AccessPolicies> {
    const { definition } = await this.getTable(name)
    const described = describeAccess(this.info.schema_name, databaseRoles(this.info.role_name), definition)
    return {
      table: definition.name,
      owner_column: definition.access?.owner_column ?? null,
      policies: described.policies,
      statements: described.statements,
    }
  }

  /** The definitions of every table, in creation order: the input of {@link planChanges}. */
  async definitions(): Promise<TableDefinition[]> {
    return (await this.listTables()).map((t) => t.definition)
  }

  /**
   * Compares the database with the wanted definitions of all its tables and returns the steps
   * that would get there, with the problems the current data would cause (rows that do not
   * convert, nulls for a new required column, duplicates for a new unique key). Nothing changes:
   * the steps are tried in a transaction that is always rolled back.
   */
  async planChanges(
    wanted: readonly TableDefinitionInput[],
    options: PlanChangesOptions = {},
  ): Promise<ChangePlan> {
    if (!Array.isArray(wanted)) {
      throw new BaseboxError('VALIDATION_FAILED', 'wanted must be an array of table definitions')
    }
    const current = await this.definitions()
    const plan = planModelChanges(current, wanted, options)
    const sql = compilePlanSQL({ schema: this.info.schema_name, role: this.info.role_name }, current, plan.steps)
    return { ...plan, sql, problems: await this.#preview(plan.steps) }
  }

  async #preview(steps: PlanStep[]): Promise<ChangePlan['problems']> {
    let problems: ChangePlan['problems'] = []
    try {
      await this.transaction(async (trx) => {
        const current = (await this.#tables(trx)).map((t) => t.definition)
        problems = (await runPlan(this.#ctx, trx, this.info, current, steps)).problems
        throw new PreviewRollback()
      })
    } catch (error) {
      if (
        !(error instanceof PreviewRollback) &&
        !(error instanceof BaseboxError && error.cause instanceof PreviewRollback)
      ) {
        throw error
      }
    }
    return problems
  }

  /**
   * Applies a plan in one transaction and keeps the catalog in step. When any step fails,
   * nothing changes, catalog included: a data problem is a `VALIDATION_FAILED` error whose
   * `details.problems` name the rows.
   */
  async applyPlan(plan: ChangePlan | { steps: unknown[] }): Promise<TableInfo[]> {
    this.assertWritable('changing the schema')
    const parsed = ChangePlanInput.safeParse(plan)
    if (!parsed.success) {
      throw toValidationError('invalid plan', parsed.error)
    }
    const steps = parsed.data.steps
    return this.transaction(
      async (trx) => {
        await this.#applySteps(trx, await this.#tables(trx), steps)
        return this.#tables(trx)
      },
      { lock: true },
    )
  }

  /**
   * Runs a plan's steps in the caller's locked transaction and keeps the catalog in step (the
   * definitions, the schema version, the audit log). Leaves the transaction acting as the owner.
   */
  async #applySteps(
    trx: EngineTransaction,
    before: TableInfo[],
    steps: readonly PlanStep[],
  ): Promise<void> {
    const { model, problems } = await runPlan(
      this.#ctx,
      trx,
      this.info,
      before.map((t) => t.definition),
      steps,
    )
    if (problems.length > 0) {
      throw planProblemsError(problems)
    }
    await actAsOwner(this.#ctx, trx, this.#owner.ownerId)
    await this.#writeCatalog(trx, before, model, steps)
    await trx
      .updateTable('project_databases')
      .set((eb) => ({ schema_version: eb('schema_version', '+', '1') }))
      .where('id', '=', this.info.id)
      .execute()
    await this.#audit(trx, 'schema.apply', { steps })
    this.#cache.snapshot = undefined
  }

  /**
   * Runs an import as ONE transaction: the plan's steps with their catalog writes, then
   * `work.load` as the database's role (its `search_path`, UTC, service access), then the
   * `data.import` audit entry. Either all of it commits or none of it does. `CONFLICT` when the
   * definitions are no longer `work.expected` (the database changed while the import was
   * prepared).
   * @internal
   */
  async runImport(work: ImportWork): Promise<void> {
    this.assertWritable('importing')
    const parsed = ChangePlanInput.safeParse({ steps: work.steps })
    if (!parsed.success) {
      throw toValidationError('invalid plan', parsed.error)
    }
    await this.transaction(
      async (trx) => {
        const before = await this.#tables(trx)
        const same =
          before.length === work.expected.length &&
          before.every((t, i) => JSON.stringify(t.definition) === JSON.stringify(work.expected[i]))
        if (!same) {
          throw new BaseboxError(
            'CONFLICT',
            'the tables changed while the import was being prepared; try again',
            { details: { database_id: this.info.id } },
          )
        }
        if (parsed.data.steps.length > 0) {
          await this.#applySteps(trx, before, parsed.data.steps)
        }
        await this.#enterAsService(trx)
        await work.load(trx)
        await actAsOwner(this.#ctx, trx, this.#owner.ownerId)
        await this.#audit(trx, 'data.import', work.audit)
      },
      { lock: true },
    )
  }

  /** Switches a transaction to the database's role, schema and UTC, with service access claims. */
  async #enterAsService(trx: EngineTransaction): Promise<void> {
    await kyselySQL`select set_config('role', ${this.info.role_name}, true), set_config('search_path', ${this.info.schema_name}, true), set_config('timezone', 'UTC', true), set_config(${USER_ID_SETTING}, '', true), set_config(${USER_ROLE_SETTING}, 'service_role', true)`.execute(
      trx,
    )
  }

  /**
   * Opens a read-only, repeatable-read transaction on one connection for an export: every
   * statement in it sees the same snapshot. Reads the definitions as of that snapshot (as the
   * owner), then acts as the database's role with service access. The caller must `release()`
   * it (idempotent); until then it holds a connection (on PGlite, the only one).
   * @internal
   */
  async openSnapshot(): Promise<DatabaseSnapshot> {
    const trx = await this.#ctx.db.startTransaction().execute()
    let released: Promise<void> | undefined
    const release = () =>
      (released ??= trx
        .rollback()
        .execute()
        .catch(() => {}))
    try {
      // Kysely's PGlite driver ignores isolation options, so they are set by statement.
      await kyselySQL`set transaction isolation level repeatable read, read only`.execute(trx)
      await actAsOwner(this.#ctx, trx, this.#owner.ownerId)
      const row = await trx
        .selectFrom('project_databases')
        .select(['id'])
        .where('id', '=', this.info.id)
        .executeTakeFirst()
      if (row === undefined) {
        throw new DatabaseNotFoundError(this.info.id)
      }
      const tables = (await this.#tables(trx)).map((t) => t.definition)
      await this.#enterAsService(trx)
      return { trx, tables, release }
    } catch (error) {
      await release()
      throw fromDatabaseError(error)
    }
  }

  /** Writes the definitions after a plan to the catalog, keeping each table's row across renames. */
  async #writeCatalog(
    trx: EngineTransaction,
    before: TableInfo[],
    model: readonly TableDefinition[],
    steps: readonly PlanStep[],
  ): Promise<void> {
    const idByName = new Map(before.map((t) => [t.name, t.id]))
    for (const step of steps) {
      if (step.kind === 'rename_table') {
        const id = idByName.get(step.table)
        idByName.delete(step.table)
        if (id !== undefined) {
          idByName.set(step.to, id)
        }
      } else if (step.kind === 'drop_table') {
        idByName.delete(step.table)
      }
    }
    const kept = new Set(
      model.map((t) => idByName.get(t.name)).filter((id): id is string => id !== undefined),
    )
    const gone = before.filter((t) => !kept.has(t.id)).map((t) => t.id)
    if (gone.length > 0) {
      await trx.deleteFrom('project_tables').where('id', 'in', gone).execute()
    }
    const previous = new Map(before.map((t) => [t.id, t]))
    for (const [position, table] of model.entries()) {
      const id = idByName.get(table.name)
      const json = JSON.stringify(table)
      if (id === undefined) {
        await trx
          .insertInto('project_tables')
          .values({
            database_id: this.info.id,
            table_name: table.name,
            schema_json: json,
            position,
          })
          .execute()
        continue
      }
      const old = previous.get(id)!
      if (
        old.name !== table.name ||
        JSON.stringify(old.definition) !== json ||
        before.indexOf(old) !== position
      ) {
        await trx
          .updateTable('project_tables')
          .set({ table_name: table.name, schema_json: json, position, updated_at: new Date() })
          .where('id', '=', id)
          .execute()
      }
    }
  }

  /** Creates one table from its definition. */
  async createTable(definition: TableDefinitionInput): Promise<TableInfo> {
    const table = parseTableDefinition(definition)
    const tables = await this.applyPlan({ steps: [{ kind: 'create_table', table }] })
    return tables.find((t) => t.name === table.name)!
  }

  /**
   * Changes one table to match `wanted` (same name, or a new one with `options.renameTo`).
   * Column renames go in `options.renameColumns` (old -> new).
   */
  async alterTable(
    name: string,
    wanted: TableDefinitionInput,
    options: { renameColumns?: Record<string, string>; cascade?: boolean } = {},
  ): Promise<TableInfo> {
    const current = await this.definitions()
    if (!current.some((t) => t.name === name)) {
      throw new BaseboxError(
        'NOT_FOUND',
        `table ${JSON.stringify(String(name).slice(0, 80))} does not exist`,
        { details: { table: name } },
      )
    }
    const next = parseTableDefinition(wanted)
    const all = current.map((t) => (t.name === name ? next : t))
    const plan = planModelChanges(current, all, {
      ...(next.name !== name ? { renameTables: { [name]: next.name } } : {}),
      ...(options.renameColumns ? { renameColumns: { [next.name]: options.renameColumns } } : {}),
      ...(options.cascade ? { cascade: true } : {}),
    })
    const tables = await this.applyPlan(plan)
    return tables.find((t) => t.name === next.name)!
  }

  /** Renames a table. */
  async renameTable(name: string, to: string): Promise<TableInfo> {
    const tables = await this.applyPlan({ steps: [{ kind: 'rename_table', table: name, to }] })
    return tables.find((t) => t.name === to)!
  }

  /** Drops a table; refused while others reference it unless `cascade` (which drops those references). */
  async dropTable(name: string, options: { cascade?: boolean } = {}): Promise<void> {
    await this.applyPlan({
      steps: [{ kind: 'drop_table', table: name, ...(options.cascade ? { cascade: true } : {}) }],
    })
  }

  /* ---- Records ---- */

  /** Record operations for an app's end user (`anon` or signed in), under the access rules. */
  as(identity: RecordIdentity): RecordOperations {
    const parsed = parseRecordIdentity(identity)
    return new RecordOperations({ ...this.#target, identity: parsed }, this.#cache, parsed)
  }

  /** See {@link RecordOperations.insert}; service access. */
  insert(table: string, rows: Row | Row[], options: WriteOptions = {}): Promise<Row[]> {
    return this.#refuseWhenReadOnly('inserting rows') ?? this.#records.insert(table, rows, options)
  }

  /** See {@link RecordOperations.upsert}; service access. */
  upsert(table: string, rows: Row | Row[], options: UpsertOptions = {}): Promise<Row[]> {
    return this.#refuseWhenReadOnly('upserting rows') ?? this.#records.upsert(table, rows, options)
  }

  /** See {@link RecordOperations.select}; service access. */
  select(
    table: string,
    query: SelectQuery = {},
    options: { allowSecret?: boolean } = {},
  ): Promise<SelectResult> {
    return this.#records.select(table, query, options)
  }

  /** See {@link RecordOperations.update}; service access. */
  update(
    table: string,
    where: Filter,
    patch: Row,
    options: FilteredWriteOptions = {},
  ): Promise<Row[]> {
    return this.#refuseWhenReadOnly('updating rows') ?? this.#records.update(table, where, patch, options)
  }

  /** See {@link RecordOperations.delete}; service access. */
  delete(table: string, where: Filter, options: FilteredWriteOptions = {}): Promise<Row[]> {
    return this.#refuseWhenReadOnly('deleting rows') ?? this.#records.delete(table, where, options)
  }

  // A rejected promise (not a throw) for a read-only owner, as the record methods fail async.
  #refuseWhenReadOnly(what: string): Promise<never> | undefined {
    try {
      this.#owner.assertWritable(what)
      return undefined
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /** See {@link RecordOperations.runStatements}; service access. @internal */
  runStatements<T>(
    table: string,
    build: (context: { schema: string; tables: ReadonlyMap<string, TableDefinition> }) => ExternalWork<T>,
  ): Promise<T> {
    return this.#records.runStatements(table, build)
  }

  /* ---- SQL ---- */

  /**
   * Runs the user's own SQL: one statement or several, in one transaction, as the database's
   * role. On Postgres the statements run on a connection that logged in as that role (no
   * membership in any other role, a connection limit), so `SET ROLE`, `RESET ROLE` or
   * `set_config('role', ...)` cannot reach other projects or the catalog; the time budget is
   * enforced from outside by cancelling the backend. On PGlite (one superuser session) the
   * confinement is advisory and the timeout is checked between statements only.
   *
   * Transaction control and `COPY` are refused; SQL that changes tables is rolled back and
   * refused, as definitions change through plans only. Returns per statement its command,
   * columns with types, rows (as arrays, at most `maxRows`) and row count.
   *
   * WARNING! This is the one raw door into a database: it runs whatever the text says, with
   * every right the database's role has over its own tables. For a read-only owner the text
   * always runs in a read-only transaction (a write is `FORBIDDEN`).
   *
   * ### Examples
   *
   * ```ts
   * const { statements } = await db.sql('select title, views from posts where views > $1 order by views desc', [10], { readOnly: true, timeoutMs: 5000, maxRows: 100 })
   * ```
   */
  async sql(
    text: string,
    params: readonly unknown[] = [],
    options: SQLOptions = {},
  ): Promise<SQLRunResult> {
    if (this.#owner.readOnly) {
      options = { ...options, readOnly: true }
    }
    const started = performance.now()
    let outcome = 'ok'
    try {
      try {
        return await runSQL(this.#ctx, () => this.#sqlLogin(), text, params, options)
      } catch (error) {
        // The role's password was changed from its own SQL (`alter role current_user password`
        // inside a DO block, say): the engine sets a new one and runs the text once more.
        if (!(error instanceof DatabaseError) || error.sqlState !== '28P01') {
          throw error
        }
        await this.rotateSQLCredentials()
        return await runSQL(this.#ctx, () => this.#sqlLogin(), text, params, options)
      }
    } catch (error) {
      outcome = error instanceof BaseboxError ? error.code : 'INTERNAL'
      throw error
    } finally {
      // The text and the outcome, never the parameters or the results: they may hold row data.
      const changedRole = await this.transaction(async (trx) => {
        await this.#audit(trx, 'sql.run', {
          text: typeof text === 'string' ? text.slice(0, 10_000) : null,
          params: Array.isArray(params) ? params.length : 0,
          read_only: options?.readOnly === true,
          outcome,
          duration_ms: Math.round(performance.now() - started),
        })
        return this.#ctx.capabilities.confinesSQL && (await this.#roleSettingsChanged(trx))
      }).catch(() => false)
      if (changedRole) {
        await this.rotateSQLCredentials().catch(() => {})
      }
    }
  }

  /**
   * Whether the database role carries settings of its own beyond the engine's (`search_path`,
   * `temp_file_limit`): its SQL may `ALTER ROLE current_user SET ...` (in a `DO` block, past the
   * statement check), which would shape every later login of the role. One catalog read, in the
   * audit transaction of the run; when it finds some, the engine resets them.
   */
  async #roleSettingsChanged(trx: EngineTransaction): Promise<boolean> {
    const { rows } = await kyselySQL<{ extra: boolean }>`select exists (
        select from pg_catalog.pg_db_role_setting s, pg_catalog.unnest(s.setconfig) c
        where s.setrole = (select r.oid from pg_catalog.pg_roles r where r.rolname = ${this.info.role_name})
          and (s.setdatabase <> 0 or (c not like 'search_path=%' and c not like 'temp_file_limit=%'))
      ) as extra`.execute(trx)
    return rows[0]?.extra === true
  }

  /* ---- Audit log ---- */

  /**
   * The audit log of this database, newest first: schema changes, SQL runs (the text, not the
   * results), exports and imports, with who did them and when. Never row data or secrets.
   */
  async auditLog(options: { limit?: number; cursor?: string | null } = {}): Promise<AuditPage> {
    return this.transaction((trx) => readAudit(trx, this.info.id, options))
  }

  /** Records an entry in this database's audit log, in the given owner-scoped transaction. @internal */
  async recordAudit(action: AuditAction, details: Record<string, unknown>): Promise<void> {
    await this.transaction((trx) => this.#audit(trx, action, details))
  }

  async #audit(
    trx: EngineTransaction,
    action: AuditAction,
    details: Record<string, unknown>,
  ): Promise<void> {
    await recordAudit(trx, {
      projectId: this.info.project_id,
      databaseId: this.info.id,
      actor: this.#owner.ownerId,
      action,
      details,
    })
  }

  /**
   * Plans one statement without running it: `EXPLAIN (FORMAT JSON)` in a read-only transaction
   * as the database's role, so SQL that names other projects, the catalog or unknown tables is
   * refused as it would be when run. Returns Postgres' JSON plan. Used to check generated SQL.
   */
  async explain(text: string): Promise<unknown> {
    const statements = typeof text === 'string' ? splitStatements(text) : []
    if (statements.length !== 1) {
      throw new BaseboxError('VALIDATION_FAILED', 'explain takes exactly one statement')
    }
    const result = await runSQL(
      this.#ctx,
      () => this.#sqlLogin(),
      `explain (format json) ${statements[0]!.text}`,
      [],
      { readOnly: true, maxRows: 1 },
    )
    const plan = result.statements[0]?.rows[0]?.[0]
    return typeof plan === 'string' ? JSON.parse(plan) : plan
  }

  /**
   * Replaces the password the database's role logs in with for user SQL. The password never
   * leaves the engine: no API returns it.
   */
  async rotateSQLCredentials(): Promise<void> {
    this.#login = undefined
    await this.#sqlLogin(true)
  }

  async #sqlLogin(rotate = false): Promise<SQLLogin> {
    if (!this.#ctx.capabilities.confinesSQL) {
      return { role: this.info.role_name, password: '', schema: this.info.schema_name }
    }
    if (this.#login !== undefined && !rotate) {
      return this.#login
    }
    const password = await this.transaction(
      async (trx) => {
        await actAsEngine(trx)
        const credentials = kyselySQL.id(this.#ctx.catalog.schema, 'database_credentials')
        const { rows } = await kyselySQL<{
          password: string
        }>`select password from ${credentials} where database_id = ${this.info.id}`.execute(trx)
        if (rows[0] !== undefined && !rotate) {
          return rows[0].password
        }
        const next = newPassword()
        const role = quoteIdentifier(this.info.role_name)
        await kyselySQL
          .raw(`alter role ${role} login password ${quoteLiteral(next)} connection limit 4`)
          .execute(trx)
        // What the role's own SQL may have set on itself (`alter role current_user set ...`) goes.
        await kyselySQL.raw(`alter role ${role} reset all`).execute(trx)
        await kyselySQL
          .raw(`alter role ${role} set search_path = ${quoteIdentifier(this.info.schema_name)}`)
          .execute(trx)
        if (this.#ctx.superuser) {
          await kyselySQL
            .raw(`alter role ${role} set temp_file_limit = ${quoteLiteral(TENANT_TEMP_FILE_LIMIT)}`)
            .execute(trx)
        }
        await kyselySQL`insert into ${credentials} (database_id, password) values (${this.info.id}, ${next})
        on conflict (database_id) do update set password = excluded.password, rotated_at = now()`.execute(
          trx,
        )
        return next
      },
      { lock: true },
    )
    this.#login = { role: this.info.role_name, password, schema: this.info.schema_name }
    return this.#login
  }
}
