import {
  BaseboxError,
  createAIStreamWriter,
  definedOptions,
  getSchemaTemplate,
  listSchemaTemplates,
  renameOptions,
  toBaseboxError,
  type AICallOptions,
  type AIProvider,
  type AIProviderTablesRequest,
  type AISQLResult,
  type AITablesResult,
  type AITablesStream,
  type GenerateSQLInput,
  type GenerateTablesInput,
  type RefineTablesInput,
  type SchemaTemplate,
  type SchemaTemplateSummary,
  type TableDefinition,
  type AccessPolicies,
  type APIKey,
  type AuditLogOptions,
  type AuditLogPage,
  type BaseboxClient,
  type CallOptions,
  type CreateAPIKeyInput,
  type CreatedAPIKey,
  type CreateDatabaseInput,
  type CreateEndUserInput,
  type CreateProjectInput,
  type CSVImportReport,
  type DatabaseImportReport,
  type EndUser,
  type ExportDatabaseOptions,
  type ImportDataOptions,
  type WireDatabaseExport,
  type EndUserPage,
  type ListEndUsersOptions,
  type SentPasswordReset,
  type UpdateEndUserInput,
  type DropTableOptions,
  type Filter,
  type FilteredRowsOptions,
  type InsertRowsOptions,
  type PlanOptions,
  type Project,
  type ProjectDatabase,
  type RotateJWTSecretOptions,
  type RunSQLOptions,
  type SelectQuery,
  type SelectResult,
  type SQLRunResult,
  type TableDefinitionInput,
  type TableInfo,
  type UpdateProjectInput,
  type UpsertRowsOptions,
  type WireChangePlan,
} from '@basebox/client'
import type { Basebox } from '../basebox.js'
import type { DatabaseHandle } from '../database/database-handle.js'
import type { OwnerScope } from '../owner-scope.js'
import { checkInput, checkPathSegment } from './check-arguments.js'
import { abortable, guarded } from './guarded.js'
import type { LocalClientAuth, LocalDatabaseAuth } from './local-auth.js'
import { importFromRequest } from './import-request.js'
import { exportDatabase } from '../transfer/export-database.js'
import type { TransferProgress } from '../transfer/export-format.js'

type Rows = Record<string, unknown> | Record<string, unknown>[]

/** Options of {@link createLocalClient}. */
export interface LocalClientOptions {
  /**
   * The model behind the AI methods: `createAIProvider({ model })` from `@basebox/ai`, with any
   * AI SDK model. Default is none: the templates still work, and `generateTables`,
   * `refineTables` and `generateSQL` fail with `AI_NOT_CONFIGURED`.
   */
  ai?: AIProvider
  /**
   * Default is `false`. Acts as an owner who may only read (`bb.owner(ownerId, { readOnly: true })`):
   * every write is `FORBIDDEN`, SQL runs read-only, and each table's `permissions` say so.
   */
  readOnly?: boolean
  /**
   * End-user auth, for the API key, JWT secret and end-user methods: `await createAuth({ basebox:
   * engine })` from `@basebox/auth`, on the same engine. Default is none: those methods fail with
   * `UNSUPPORTED`, as the server's routes do without `auth`.
   */
  auth?: LocalClientAuth
}

function notConfigured(): BaseboxError {
  return new BaseboxError(
    'AI_NOT_CONFIGURED',
    'no AI model is configured: pass ai to createLocalClient',
    {
      details: { reason: 'no_provider' },
    },
  )
}

class LocalClient implements BaseboxClient {
  readonly #owner: OwnerScope
  readonly #ai: AIProvider | undefined
  readonly #auth: LocalClientAuth | undefined

  constructor(engine: Basebox, ownerId: string, options: LocalClientOptions = {}) {
    this.#owner = engine.owner(ownerId, { readOnly: options.readOnly === true })
    this.#ai = options.ai
    this.#auth = options.auth
  }

  // As the server's routes: the database first (NOT_FOUND), then whether auth is configured.
  #authOf(db: DatabaseHandle): LocalDatabaseAuth {
    if (this.#auth === undefined) {
      throw new BaseboxError(
        'UNSUPPORTED',
        'API keys and end users need end-user auth: pass auth to createLocalClient',
      )
    }
    return this.#auth.forDatabase(db)
  }

  // Looked up on every call, as the server does per request: a deleted database is NOT_FOUND at once.
  #db(databaseId: string): Promise<DatabaseHandle> {
    return this.#owner.databaseById(checkPathSegment(databaseId, 'databaseId'))
  }

  listProjects(): Promise<Project[]> {
    return guarded(() => this.#owner.listProjects())
  }

  createProject(input: CreateProjectInput): Promise<Project> {
    return guarded(async () => this.#owner.createProject(checkInput('createProject', input)))
  }

  getProject(projectId: string): Promise<Project> {
    return guarded(async () => this.#owner.getProject(checkPathSegment(projectId, 'projectId')))
  }

  updateProject(projectId: string, changes: UpdateProjectInput): Promise<Project> {
    return guarded(async () => {
      const id = checkPathSegment(projectId, 'projectId')
      return this.#owner.updateProject(id, checkInput('updateProject', changes))
    })
  }

  deleteProject(projectId: string): Promise<void> {
    return guarded(async () => this.#owner.deleteProject(checkPathSegment(projectId, 'projectId')))
  }

  createDatabase(projectId: string, input?: CreateDatabaseInput): Promise<ProjectDatabase> {
    return guarded(async () => {
      const checked = checkInput('createDatabase', {
        ...(typeof input === 'object' && input !== null ? input : {}),
        projectId,
      })
      return (
        await this.#owner.createDatabase(checked.projectId, definedOptions(checked, ['name']))
      ).info
    })
  }

  getDatabase(projectId: string): Promise<ProjectDatabase> {
    return guarded(async () => this.#owner.getDatabase(checkPathSegment(projectId, 'projectId')))
  }

  deleteDatabase(projectId: string): Promise<void> {
    return guarded(async () => this.#owner.deleteDatabase(checkPathSegment(projectId, 'projectId')))
  }

  listTables(databaseId: string, options?: CallOptions): Promise<TableInfo[]> {
    return abortable(options?.signal, async () => (await this.#db(databaseId)).listTables())
  }

  getTable(databaseId: string, name: string, options?: CallOptions): Promise<TableInfo> {
    return abortable(options?.signal, async () => {
      const db = await this.#db(databaseId)
      return db.getTable(checkPathSegment(name, 'table'))
    })
  }

  createTable(databaseId: string, definition: TableDefinitionInput): Promise<TableInfo> {
    return guarded(async () => {
      const checked = checkInput('createTable', { definition })
      return (await this.#db(databaseId)).createTable(checked.definition)
    })
  }

  planChanges(
    databaseId: string,
    wanted: TableDefinitionInput[],
    options?: PlanOptions,
  ): Promise<WireChangePlan> {
    return guarded(async () => {
      const checked = checkInput('planChanges', { wanted, options })
      return (await this.#db(databaseId)).planChanges(checked.wanted, checked.options ?? {})
    })
  }

  applyPlan(databaseId: string, plan: Pick<WireChangePlan, 'steps'>): Promise<TableInfo[]> {
    return guarded(async () => {
      const checked = checkInput('applyPlan', {
        steps: (plan as { steps?: unknown } | undefined)?.steps,
      })
      return (await this.#db(databaseId)).applyPlan({ steps: checked.steps })
    })
  }

  dropTable(databaseId: string, name: string, options?: DropTableOptions): Promise<void> {
    return guarded(async () => {
      const db = await this.#db(databaseId)
      await db.dropTable(checkPathSegment(name, 'table'), { cascade: options?.cascade === true })
    })
  }

  getAccessPolicies(
    databaseId: string,
    table: string,
    options?: CallOptions,
  ): Promise<AccessPolicies> {
    return abortable(options?.signal, async () => {
      const db = await this.#db(databaseId)
      return db.accessPolicies(checkPathSegment(table, 'table'))
    })
  }

  selectRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    query?: SelectQuery,
    options?: CallOptions,
  ): Promise<SelectResult<TRow>> {
    return abortable(options?.signal, async () => {
      const checked = checkInput('queryRecords', { table, query })
      return (await (
        await this.#db(databaseId)
      ).select(checked.table, checked.query ?? {})) as SelectResult<TRow>
    })
  }

  insertRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    rows: Rows,
    options?: InsertRowsOptions,
  ): Promise<TRow[]> {
    return guarded(async () => {
      const {
        table: name,
        rows: checked,
        ...given
      } = checkInput('insertRecords', { table, rows, ...definedOptions(options, ['returning']) })
      return (await (await this.#db(databaseId)).insert(name, checked, given)) as TRow[]
    })
  }

  upsertRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    rows: Rows,
    options?: UpsertRowsOptions,
  ): Promise<TRow[]> {
    return guarded(async () => {
      const {
        table: name,
        rows: checked,
        ...given
      } = checkInput('upsertRecords', {
        table,
        rows,
        ...definedOptions(options, ['onConflict', 'resolution']),
      })
      return (await (await this.#db(databaseId)).upsert(name, checked, given)) as TRow[]
    })
  }

  updateRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    where: Filter,
    patch: Record<string, unknown>,
    options?: FilteredRowsOptions,
  ): Promise<TRow[]> {
    return guarded(async () => {
      const checked = checkInput('updateRecords', { table, where, patch, all: options?.all })
      return (await (
        await this.#db(databaseId)
      ).update(checked.table, checked.where as Filter, checked.patch, {
        all: checked.all ?? false,
      })) as TRow[]
    })
  }

  deleteRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    where: Filter,
    options?: FilteredRowsOptions,
  ): Promise<TRow[]> {
    return guarded(async () => {
      const checked = checkInput('deleteRecords', { table, where, all: options?.all })
      return (await (
        await this.#db(databaseId)
      ).delete(checked.table, checked.where as Filter, { all: checked.all ?? false })) as TRow[]
    })
  }

  runSQL(
    databaseId: string,
    text: string,
    params?: unknown[],
    options?: RunSQLOptions,
  ): Promise<SQLRunResult> {
    const { signal, ...rest } = options ?? {}
    return abortable(signal, async () => {
      const checked = checkInput('runSQL', {
        text,
        params,
        options: options === undefined ? undefined : rest,
      })
      return (await this.#db(databaseId)).sql(checked.text, checked.params ?? [], {
        ...checked.options,
        ...(signal === undefined ? {} : { signal }),
      })
    })
  }

  auditLog(databaseId: string, options?: AuditLogOptions): Promise<AuditLogPage> {
    return abortable(options?.signal, async () =>
      (await this.#db(databaseId)).auditLog({
        ...definedOptions(options, ['limit']),
        cursor: options?.cursor ?? null,
      }),
    )
  }

  /* ---- API keys and the JWT secret: the same calls and audit entries as the server's routes ---- */

  listAPIKeys(databaseId: string, options?: CallOptions): Promise<APIKey[]> {
    return abortable(options?.signal, async () =>
      this.#authOf(await this.#db(databaseId)).listAPIKeys(),
    )
  }

  createAPIKey(databaseId: string, input: CreateAPIKeyInput): Promise<CreatedAPIKey> {
    return guarded(async () => {
      const checked = checkInput('createAPIKey', input)
      const db = await this.#db(databaseId)
      db.assertWritable('creating an API key')
      const created = await this.#authOf(db).createAPIKey(checked)
      await db.recordAudit('keys.create', {
        id: created.id,
        name: created.name,
        kind: created.kind,
        prefix: created.prefix,
      })
      return created
    })
  }

  revokeAPIKey(databaseId: string, keyId: string): Promise<APIKey> {
    return guarded(async () => {
      const id = checkPathSegment(keyId, 'keyId')
      const db = await this.#db(databaseId)
      db.assertWritable('revoking an API key')
      const revoked = await this.#authOf(db).revokeAPIKey(id)
      await db.recordAudit('keys.revoke', { id: revoked.id, prefix: revoked.prefix })
      return revoked
    })
  }

  rotateJWTSecret(databaseId: string, options?: RotateJWTSecretOptions): Promise<void> {
    return guarded(async () => {
      const checked = checkInput('rotateJWTSecret', options ?? {})
      const db = await this.#db(databaseId)
      db.assertWritable('rotating the JWT secret')
      const keepPrevious = checked.keepPrevious ?? true
      await this.#authOf(db).rotateJWTSecret({ keepPrevious })
      await db.recordAudit('jwt_secret.rotate', { keep_previous: keepPrevious })
    })
  }

  /* ---- End users: the same calls and audit entries as the server's routes ---- */

  listEndUsers(databaseId: string, options?: ListEndUsersOptions): Promise<EndUserPage> {
    const { signal, ...query } = options ?? {}
    return abortable(signal, async () => {
      const checked = checkInput('listEndUsers', query)
      return this.#authOf(await this.#db(databaseId)).admin.list(checked)
    })
  }

  createEndUser(databaseId: string, input: CreateEndUserInput): Promise<EndUser> {
    return guarded(async () => {
      const checked = checkInput('createEndUser', input)
      const db = await this.#db(databaseId)
      db.assertWritable('creating an end user')
      const user = await this.#authOf(db).admin.create(checked)
      await db.recordAudit('users.create', { id: user.id })
      return user
    })
  }

  updateEndUser(databaseId: string, userId: string, changes: UpdateEndUserInput): Promise<EndUser> {
    return guarded(async () => {
      const id = checkPathSegment(userId, 'userId')
      const checked = checkInput('updateEndUser', changes)
      const db = await this.#db(databaseId)
      db.assertWritable('changing an end user')
      const user = await this.#authOf(db).admin.update(id, checked)
      await db.recordAudit('users.update', {
        id: user.id,
        fields: Object.keys(checked).sort(),
        ...(checked.disabled === undefined ? {} : { disabled: checked.disabled }),
      })
      return user
    })
  }

  deleteEndUser(databaseId: string, userId: string): Promise<void> {
    return guarded(async () => {
      const id = checkPathSegment(userId, 'userId')
      const db = await this.#db(databaseId)
      db.assertWritable('deleting an end user')
      await this.#authOf(db).admin.delete(id)
      await db.recordAudit('users.delete', { id })
    })
  }

  sendPasswordReset(databaseId: string, userId: string): Promise<SentPasswordReset> {
    return guarded(async () => {
      const id = checkPathSegment(userId, 'userId')
      const db = await this.#db(databaseId)
      db.assertWritable('sending a password reset')
      const sent = await this.#authOf(db).admin.sendPasswordReset(id)
      await db.recordAudit('users.password_reset', { id })
      return sent
    })
  }

  revokeEndUserSessions(databaseId: string, userId: string): Promise<void> {
    return guarded(async () => {
      const id = checkPathSegment(userId, 'userId')
      const db = await this.#db(databaseId)
      db.assertWritable("ending an end user's sessions")
      const revoked = await this.#authOf(db).admin.revokeSessions(id)
      await db.recordAudit('users.sessions_revoke', { id, revoked })
    })
  }

  /* ---- Export and import: the engine's transfer code, as the server's routes call it ---- */

  exportDatabase(
    databaseId: string,
    options: ExportDatabaseOptions & { format: 'json' },
  ): Promise<WireDatabaseExport>
  exportDatabase(
    databaseId: string,
    options: ExportDatabaseOptions & { format: 'sql' | 'csv' },
  ): Promise<string>
  exportDatabase(
    databaseId: string,
    options: ExportDatabaseOptions,
  ): Promise<WireDatabaseExport | string> {
    const { signal, ...rest } = options ?? ({} as ExportDatabaseOptions)
    return abortable(signal, async () => {
      const checked = checkInput('exportDatabase', rest)
      const db = await this.#db(databaseId)
      const includeSecrets = checked.includeSecrets === true
      const only = {
        ...(checked.table === undefined ? {} : { table: checked.table }),
        ...(checked.tables === undefined ? {} : { tables: checked.tables }),
      }
      if (checked.format === 'json') {
        return (await exportDatabase(db, {
          format: 'json',
          includeSecrets,
          ...only,
        })) as WireDatabaseExport
      }
      if (checked.format === 'sql') {
        return exportDatabase(db, { format: 'sql', includeSecrets, ...only })
      }
      if (checked.table === undefined || checked.tables !== undefined) {
        throw new BaseboxError('VALIDATION_FAILED', 'a CSV export needs one table, as table')
      }
      const parts: string[] = []
      for await (const chunk of exportDatabase(db, {
        format: 'csv',
        table: checked.table,
        includeSecrets,
      })) {
        parts.push(chunk)
      }
      return parts.join('')
    })
  }

  importData(
    databaseId: string,
    data: string,
    options: ImportDataOptions & { format: 'csv' },
  ): Promise<CSVImportReport>
  importData(
    databaseId: string,
    data: string | WireDatabaseExport,
    options: ImportDataOptions & { format: 'json' | 'sql' },
  ): Promise<DatabaseImportReport>
  async importData(
    databaseId: string,
    data: string | WireDatabaseExport,
    options: ImportDataOptions,
  ): Promise<CSVImportReport | DatabaseImportReport> {
    const { signal, onProgress, ...rest } = options ?? ({} as ImportDataOptions)
    try {
      signal?.throwIfAborted()
      const { format, ...others } = rest as Record<string, unknown>
      const given = Object.fromEntries(
        Object.entries(others).filter(([, value]) => value !== undefined),
      )
      const checked = checkInput('importDatabase', {
        format,
        data,
        options: Object.keys(given).length === 0 ? undefined : given,
      })
      // The engine reports per table; the caller gets the sum over the tables, in rows.
      const tables = new Map<string, { rows: number; total: number }>()
      const report = (progress: TransferProgress) => {
        tables.set(progress.table, { rows: progress.rows, total: progress.total ?? progress.rows })
        let done = 0
        let total = 0
        for (const table of tables.values()) {
          done += table.rows
          total += table.total
        }
        onProgress!({ unit: 'rows', done, total })
      }
      const result = await importFromRequest(await this.#db(databaseId), checked, {
        signal,
        onProgress: onProgress === undefined ? undefined : report,
      })
      // A JSON round trip, as the request body is: the result holds only JSON values.
      return JSON.parse(JSON.stringify(result)) as CSVImportReport | DatabaseImportReport
    } catch (error) {
      // An abort rejects with the signal's reason, as every call with a signal does.
      throw signal?.aborted === true && error === signal.reason ? error : toBaseboxError(error)
    }
  }

  /* ---- AI: the provider proposes, the engine plans, nothing is applied ---- */

  #tables(
    databaseId: string,
    check: () => {
      given: TableDefinitionInput[] | undefined
      request: (current: TableDefinitionInput[]) => AIProviderTablesRequest
    },
    signal: AbortSignal | undefined,
  ): AITablesStream {
    const writer = createAIStreamWriter<TableDefinition, AITablesResult>(signal)
    const run = async () => {
      // The database first, then the input, then the model, as the server's routes do.
      const db = await this.#db(databaseId)
      const { given, request } = check()
      const ai = this.#ai
      if (ai === undefined) {
        throw notConfigured()
      }
      const stream = ai.streamTables(request(given ?? (await db.definitions())))
      for await (const table of stream.partial) {
        writer.push(table)
      }
      const proposal = await stream.result
      const plan = await db.planChanges(
        proposal.tables,
        renameOptions(proposal, await db.definitions()),
      )
      writer.resolve({
        tables: proposal.tables,
        plan,
        changes: proposal.changes,
        ...(proposal.notes === undefined ? {} : { notes: proposal.notes }),
        repairs: proposal.repairs,
        warnings: proposal.warnings,
      })
    }
    guarded(run).catch((error: unknown) => writer.reject(error))
    return writer.stream
  }

  generateTables(
    databaseId: string,
    input: GenerateTablesInput,
    options?: AICallOptions,
  ): AITablesStream {
    const signal = options?.signal
    return this.#tables(
      databaseId,
      () => {
        const checked = checkInput(
          'generateTables',
          definedOptions(input, ['description', 'current']),
        )
        return {
          given: checked.current as TableDefinitionInput[] | undefined,
          request: (current) => ({
            mode: 'generate',
            description: checked.description,
            current,
            ...(signal ? { signal } : {}),
          }),
        }
      },
      signal,
    )
  }

  refineTables(
    databaseId: string,
    input: RefineTablesInput,
    options?: AICallOptions,
  ): AITablesStream {
    const signal = options?.signal
    return this.#tables(
      databaseId,
      () => {
        const checked = checkInput('refineTables', definedOptions(input, ['messages', 'current']))
        return {
          given: checked.current as TableDefinitionInput[] | undefined,
          request: (current) => ({
            mode: 'refine',
            messages: checked.messages,
            current,
            ...(signal ? { signal } : {}),
          }),
        }
      },
      signal,
    )
  }

  generateSQL(
    databaseId: string,
    input: GenerateSQLInput,
    options?: AICallOptions,
  ): Promise<AISQLResult> {
    const signal = options?.signal
    return abortable(signal, async () => {
      const db = await this.#db(databaseId)
      const checked = checkInput('generateSQL', definedOptions(input, ['question', 'allowWrites']))
      const ai = this.#ai
      if (ai === undefined) {
        throw notConfigured()
      }
      return ai.generateSQL({
        question: checked.question,
        allowWrites: checked.allowWrites === true,
        current: await db.definitions(),
        explain: (sql) => db.explain(sql),
        ...(signal ? { signal } : {}),
      })
    })
  }

  listSchemaTemplates(): Promise<SchemaTemplateSummary[]> {
    return guarded(async () =>
      listSchemaTemplates().map((t) => ({
        id: t.id,
        title: t.title,
        description: t.description,
        tables: t.tables.map((table) => table.name),
      })),
    )
  }

  getSchemaTemplate(id: string): Promise<SchemaTemplate> {
    return guarded(async () => getSchemaTemplate(checkPathSegment(id, 'templateId')))
  }
}

/**
 * Creates a {@link BaseboxClient} over the engine in the same process, acting for one owner
 * (the host's user id): the browser-only mode, where the React kit runs on PGlite with no
 * server. It gives the same results and the same error codes as `createRemoteClient()` against
 * `@basebox/server` (one contract test suite runs both): the same checks on arguments, only the
 * options the management API takes, and errors other than `BaseboxError` turned into `INTERNAL`.
 *
 * ### Examples
 *
 * ```ts
 * import { PGlite } from '@electric-sql/pglite'
 * import { createBasebox, createLocalClient } from '@basebox/core'
 * import { pgliteDriver } from '@basebox/core/pglite'
 *
 * const engine = await createBasebox({ driver: pgliteDriver(new PGlite('idb://my-app')) })
 * const client = createLocalClient(engine, 'local-user') // or { ai: createAIProvider({ model }) } from @basebox/ai
 * const project = await client.createProject({ name: 'Prototype' })
 * ```
 */
export function createLocalClient(
  engine: Basebox,
  ownerId: string,
  options: LocalClientOptions = {},
): BaseboxClient {
  return new LocalClient(engine, ownerId, options)
}
