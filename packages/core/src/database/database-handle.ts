import {
  BaseboxError,
  DatabaseError,
  parseTableDefinition,
  toValidationError,
  type AccessPolicies,
  type Filter,
  type ProjectDatabase,
  type SelectQuery,
  type SelectResult,
  type SQLRunResult,
  type TableDefinition,
  type TableDefinitionInput,
  type TableInfo,
} from '@basebox/client'
import { readAudit, recordAudit, type AuditAction, type AuditPage } from '../catalog/audit-log.js'
import {
  bumpSchemaVersion,
  readProjectTables,
  writeProjectTables,
} from '../catalog/project-tables.js'
import { compilePlanSQL } from '../ddl/compile-plan.js'
import { databaseRoles, describeAccess } from '../ddl/compile-access.js'
import { planChanges as planModelChanges } from '../ddl/plan-changes.js'
import {
  ChangePlanInput,
  type ChangePlan,
  type PlanOptions,
  type PlanStep,
} from '../ddl/plan-step.js'
import { actAsOwner, type EngineContext, type EngineTransaction } from '../engine-context.js'
import { DatabaseNotFoundError } from '../errors/not-found.js'
import type { OwnerScope } from '../owner-scope.js'
import type { UpsertOptions, WriteOptions } from '../records/compile-write.js'
import {
  parseRecordIdentity,
  RecordOperations,
  type ExternalWork,
  type FilteredWriteOptions,
  type RecordIdentity,
  type Row,
} from '../records/record-operations.js'
import type { RecordTarget, SchemaSnapshot } from '../records/run-records.js'
import { roleSettingsChanged, SQLCredentials } from '../sql-runner/sql-credentials.js'
import { runSQL, type SQLOptions } from '../sql-runner/sql-runner.js'
import { splitStatements } from '../sql-runner/split-statements.js'
import { openDatabaseSnapshot, type DatabaseSnapshot } from '../transfer/database-snapshot.js'
import { runDatabaseImport, type ImportWork } from '../transfer/run-import.js'
import { planProblemsError, runPlan } from './apply-plan.js'
import type { DatabaseInternals } from './database-internals.js'

export type { FilteredWriteOptions, Row } from '../records/record-operations.js'
export type { DatabaseSnapshot } from '../transfer/database-snapshot.js'
export type { ImportWork } from '../transfer/run-import.js'

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
  readonly #target: RecordTarget
  readonly #records: RecordOperations
  readonly #internals: DatabaseInternals
  readonly #credentials: SQLCredentials

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
    this.#internals = {
      ctx,
      info,
      ownerId: owner.ownerId,
      assertWritable: (what) => this.assertWritable(what),
      transaction: (fn, options) => this.transaction(fn, options),
      tables: (trx) => this.#tables(trx),
      applySteps: (trx, before, steps) => this.#applySteps(trx, before, steps),
      audit: (trx, action, details) => this.#audit(trx, action, details),
    }
    this.#credentials = new SQLCredentials(this.#internals)
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
    return readProjectTables(trx, this.info.id, this.#owner.readOnly)
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
    const described = describeAccess(
      this.info.schema_name,
      databaseRoles(this.info.role_name),
      definition,
    )
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
    options: PlanOptions = {},
  ): Promise<ChangePlan> {
    if (!Array.isArray(wanted)) {
      throw new BaseboxError('VALIDATION_FAILED', 'wanted must be an array of table definitions')
    }
    const current = await this.definitions()
    const plan = planModelChanges(current, wanted, options)
    const sql = compilePlanSQL(
      { schema: this.info.schema_name, role: this.info.role_name },
      current,
      plan.steps,
    )
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
    await writeProjectTables(trx, this.info.id, before, model, steps)
    await bumpSchemaVersion(trx, this.info.id)
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
    return runDatabaseImport(this.#internals, work)
  }

  /**
   * Opens a read-only, repeatable-read transaction on one connection for an export: every
   * statement in it sees the same snapshot. Reads the definitions as of that snapshot (as the
   * owner), then acts as the database's role with service access. The caller must `release()`
   * it (idempotent); until then it holds a connection (on PGlite, the only one).
   * @internal
   */
  async openSnapshot(): Promise<DatabaseSnapshot> {
    return openDatabaseSnapshot(this.#internals)
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
    return (
      this.#refuseWhenReadOnly('updating rows') ??
      this.#records.update(table, where, patch, options)
    )
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
    build: (context: {
      schema: string
      tables: ReadonlyMap<string, TableDefinition>
    }) => ExternalWork<T>,
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
        return await runSQL(this.#ctx, () => this.#credentials.login(), text, params, options)
      } catch (error) {
        // The role's password was changed from its own SQL (`alter role current_user password`
        // inside a DO block, say): the engine sets a new one and runs the text once more.
        if (!(error instanceof DatabaseError) || error.sqlState !== '28P01') {
          throw error
        }
        await this.rotateSQLCredentials()
        return await runSQL(this.#ctx, () => this.#credentials.login(), text, params, options)
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
        return (
          this.#ctx.capabilities.confinesSQL &&
          (await roleSettingsChanged(trx, this.info.role_name))
        )
      }).catch(() => false)
      if (changedRole) {
        await this.rotateSQLCredentials().catch(() => {})
      }
    }
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
      () => this.#credentials.login(),
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
    await this.#credentials.rotate()
  }
}
