import type {
  AccessPolicies,
  APIKey,
  AuditLogOptions,
  AuditLogPage,
  CallOptions,
  BaseboxClient,
  CreateAPIKeyInput,
  CreatedAPIKey,
  CreateDatabaseInput,
  CreateEndUserInput,
  CreateProjectInput,
  CSVImportReport,
  DatabaseImportReport,
  EndUser,
  ExportDatabaseOptions,
  ImportDataOptions,
  WireDatabaseExport,
  EndUserPage,
  ListEndUsersOptions,
  SentPasswordReset,
  UpdateEndUserInput,
  DropTableOptions,
  FilteredRowsOptions,
  InsertRowsOptions,
  PlanOptions,
  RotateJWTSecretOptions,
  RunSQLOptions,
  UpdateProjectInput,
  UpsertRowsOptions,
} from './client.js'
import type { WireChangePlan } from './schema/plan-step.js'
import {
  BaseboxError,
  DatabaseError,
  isErrorCode,
  ValidationError,
  type ErrorCode,
  type ValidationIssue,
} from './errors.js'
import type { Filter, SelectQuery, SelectResult } from './schema/filter.js'
import type { TableDefinitionInput } from './schema/table-definition.js'
import type { Project, ProjectDatabase, SQLRunResult, TableInfo } from './types.js'
import type {
  AICallOptions,
  AISQLResult,
  AITablesResult,
  AITablesStream,
  GenerateSQLInput,
  GenerateTablesInput,
  RefineTablesInput,
  SchemaTemplateSummary,
} from './ai.js'
import { createAIStreamWriter } from './ai-stream.js'
import {
  definedOptions,
  MANAGEMENT_API,
  managementPath,
  type ManagementOperationId,
  type ManagementPathParameter,
} from './management-api.js'
import type { TableDefinition } from './schema/table-definition.js'
import type { SchemaTemplate } from './templates/schema-templates.js'

/** Headers, or a function that gives them for each request (e.g. a fresh access token). */
export type RemoteClientHeaders = HeadersInit | (() => HeadersInit | Promise<HeadersInit>)

/** Configuration of {@link createRemoteClient}. */
export interface RemoteClientConfig {
  /**
   * Where `@basebox/server`'s handler is mounted: the management API is `${url}/api/...`.
   * An absolute URL, or a path such as `''` for the page's own origin in a browser.
   */
  url: string
  /** The fetch function. Default is the global `fetch`. Pass one to add retries, logging or an in-process handler. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>
  /**
   * Headers sent with every request: how the host product tells its server who the caller is
   * (a session cookie needs none, a token goes in `authorization`). A function is called before
   * each request. Default is none.
   */
  headers?: RemoteClientHeaders
}

// When a body is not Basebox's JSON error (a proxy's HTML page, an empty 502), the status decides.
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'UNSUPPORTED',
  408: 'TIMEOUT',
  409: 'CONFLICT',
  413: 'LIMIT_EXCEEDED',
  422: 'UNSUPPORTED',
  429: 'LIMIT_EXCEEDED',
  503: 'UNAVAILABLE',
  504: 'TIMEOUT',
}

/**
 * Rebuilds the error a Basebox server sent as `{ error: { code, message, details } }`: a
 * `ValidationError` when it lists issues, a `DatabaseError` when it names a SQLSTATE, else a
 * `BaseboxError`; so callers see the same classes and codes as in local mode.
 */
function errorFromBody(status: number, statusText: string, text: string): BaseboxError {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  const error = (body as { error?: unknown } | undefined)?.error as
    { code?: unknown; message?: unknown; details?: unknown } | undefined
  const details =
    typeof error?.details === 'object' && error.details !== null && !Array.isArray(error.details)
      ? (error.details as Record<string, unknown>)
      : undefined
  if (error !== undefined && isErrorCode(error.code) && typeof error.message === 'string') {
    const { code, message } = error
    if (
      (code === 'VALIDATION_FAILED' || code === 'INVALID_IDENTIFIER') &&
      Array.isArray(details?.issues)
    ) {
      const { issues, ...rest } = details
      return new ValidationError(message, issues as ValidationIssue[], { code, details: rest })
    }
    if (typeof details?.sql_state === 'string') {
      return new DatabaseError(code, message, details.sql_state, { details })
    }
    return new BaseboxError(code, message, details === undefined ? {} : { details })
  }
  const code = CODE_BY_STATUS[status] ?? 'INTERNAL'
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200)
  return new BaseboxError(
    code,
    `the server answered ${status}${statusText ? ` ${statusText}` : ''}`,
    {
      details: { status, ...(snippet ? { body: snippet } : {}) },
    },
  )
}

// bigint values (accepted by bigint columns) go as strings, which the engine reads back exactly.
function stringify(body: unknown): string {
  return JSON.stringify(body, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  )
}

/** A request body already written as JSON text (its size was needed first). */
class JSONText {
  constructor(readonly text: string) {}
}

/** The length of `text` in UTF-8, without encoding it. */
function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) {
      bytes += 1
    } else if (code < 0x800) {
      bytes += 2
    } else if (
      code >= 0xd800 &&
      code <= 0xdbff &&
      i + 1 < text.length &&
      (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      bytes += 4 // a surrogate pair: one code point
      i++
    } else {
      bytes += 3 // lone surrogates are sent as U+FFFD, three bytes
    }
  }
  return bytes
}

class RemoteClient implements BaseboxClient {
  readonly #base: string
  readonly #fetch: (input: string, init: RequestInit) => Promise<Response>
  readonly #headers: RemoteClientHeaders | undefined

  constructor(config: RemoteClientConfig) {
    if (typeof config?.url !== 'string') {
      throw new BaseboxError(
        'VALIDATION_FAILED',
        'createRemoteClient needs the url the Basebox server is mounted at',
      )
    }
    this.#base = config.url.replace(/\/+$/, '')
    this.#fetch = config.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.#headers = config.headers
  }

  /** Sends a request; resolves to the response when it is a success, else throws its error. */
  async #open(
    method: string,
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
    accept: string,
  ): Promise<Response> {
    signal?.throwIfAborted()
    const headers = new Headers(
      typeof this.#headers === 'function' ? await this.#headers() : this.#headers,
    )
    headers.set('accept', accept)
    const init: RequestInit =
      signal === undefined ? { method, headers } : { method, headers, signal }
    if (body !== undefined) {
      headers.set('content-type', 'application/json')
      init.body = body instanceof JSONText ? body.text : stringify(body)
    }
    let response: Response
    let text = ''
    try {
      response = await this.#fetch(`${this.#base}${path}`, init)
      if (!response.ok) {
        text = await response.text()
      }
    } catch (error) {
      throw this.#networkError(error, method, path, signal)
    }
    // An injected fetch may ignore the signal: an aborted call still never resolves.
    signal?.throwIfAborted()
    if (!response.ok) {
      throw errorFromBody(response.status, response.statusText, text)
    }
    return response
  }

  #networkError(
    error: unknown,
    method: string,
    path: string,
    signal: AbortSignal | undefined,
  ): unknown {
    if (error instanceof BaseboxError) {
      return error
    }
    if (signal?.aborted) {
      return signal.reason
    }
    const name = (error as { name?: unknown })?.name
    const reason = error instanceof Error ? error.message : String(error)
    return new BaseboxError(
      name === 'TimeoutError' ? 'TIMEOUT' : 'INTERNAL',
      `could not reach the Basebox server for ${method} ${path}: ${reason}`,
      { cause: error, details: { reason: name === 'TimeoutError' ? 'timeout' : 'network' } },
    )
  }

  async #request<T>(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const response = await this.#open(method, path, body, signal, 'application/json')
    let text: string
    try {
      text = response.status === 204 ? '' : await response.text()
    } catch (error) {
      throw this.#networkError(error, method, path, signal)
    }
    signal?.throwIfAborted()
    if (text === '') {
      return undefined as T
    }
    try {
      return JSON.parse(text) as T
    } catch (error) {
      throw new BaseboxError(
        'INTERNAL',
        `the server answered ${method} ${path} with a body that is not JSON`,
        {
          cause: error,
          details: { status: response.status, content_type: response.headers.get('content-type') },
        },
      )
    }
  }

  /** Calls an operation of {@link MANAGEMENT_API} by its id: its method, and its path filled with `params`. */
  async #call<T>(
    id: ManagementOperationId,
    params: Partial<Record<ManagementPathParameter, string>>,
    body?: unknown,
    signal?: AbortSignal,
    search?: URLSearchParams,
  ): Promise<T> {
    return this.#request(
      MANAGEMENT_API[id].method,
      withSearch(managementPath(id, params), search),
      body,
      signal,
    )
  }

  /**
   * Reads an AI route's NDJSON answer into an {@link AITablesStream}: `{"type":"start"}` (ignored, as is any unknown type), `{"type":"table"}` lines
   * are partial tables, then one `{"type":"result"}` or `{"type":"error"}` line.
   */
  #tablesStream(
    id: 'generateTables' | 'refineTables',
    databaseId: string,
    body: unknown,
    signal: AbortSignal | undefined,
  ): AITablesStream {
    const writer = createAIStreamWriter<TableDefinition, AITablesResult>(signal)
    let path: string = MANAGEMENT_API[id].path
    const run = async () => {
      path = managementPath(id, { databaseId })
      const response = await this.#open('POST', path, body, signal, 'application/x-ndjson')
      await readNDJSON(response, signal, (line) => {
        if (line.type === 'table') {
          writer.push(line.table as TableDefinition)
        } else if (line.type === 'result') {
          writer.resolve(line.result as AITablesResult)
        } else if (line.type === 'error') {
          writer.reject(errorFromBody(0, '', JSON.stringify({ error: line.error })))
        }
      })
      writer.reject(new BaseboxError('INTERNAL', `the server ended ${path} without a result`))
    }
    run().catch((error: unknown) => writer.reject(this.#networkError(error, 'POST', path, signal)))
    return writer.stream
  }

  async listProjects(): Promise<Project[]> {
    return this.#call('listProjects', {})
  }

  async createProject(input: CreateProjectInput): Promise<Project> {
    return this.#call('createProject', {}, input)
  }

  async getProject(projectId: string): Promise<Project> {
    return this.#call('getProject', { projectId })
  }

  async updateProject(projectId: string, changes: UpdateProjectInput): Promise<Project> {
    return this.#call('updateProject', { projectId }, changes)
  }

  async deleteProject(projectId: string): Promise<void> {
    await this.#call('deleteProject', { projectId })
  }

  async createDatabase(
    projectId: string,
    input: CreateDatabaseInput = {},
  ): Promise<ProjectDatabase> {
    const created = await this.#call<{ database: ProjectDatabase }>(
      'createDatabase',
      {},
      { ...input, projectId },
    )
    return created.database
  }

  async getDatabase(projectId: string): Promise<ProjectDatabase> {
    return this.#call('getProjectDatabase', { projectId })
  }

  async deleteDatabase(projectId: string): Promise<void> {
    await this.#call('deleteDatabase', { projectId })
  }

  async listTables(databaseId: string, options?: CallOptions): Promise<TableInfo[]> {
    return this.#call('listTables', { databaseId }, undefined, options?.signal)
  }

  async getTable(databaseId: string, name: string, options?: CallOptions): Promise<TableInfo> {
    return this.#call('getTable', { databaseId, table: name }, undefined, options?.signal)
  }

  async createTable(databaseId: string, definition: TableDefinitionInput): Promise<TableInfo> {
    return this.#call('createTable', { databaseId }, { definition })
  }

  async planChanges(
    databaseId: string,
    wanted: TableDefinitionInput[],
    options?: PlanOptions,
  ): Promise<WireChangePlan> {
    return this.#call(
      'planChanges',
      { databaseId },
      options === undefined ? { wanted } : { wanted, options },
    )
  }

  async applyPlan(databaseId: string, plan: Pick<WireChangePlan, 'steps'>): Promise<TableInfo[]> {
    // Only the steps: the problems of a preview are not part of what is applied.
    return this.#call('applyPlan', { databaseId }, { steps: plan?.steps })
  }

  async dropTable(databaseId: string, name: string, options: DropTableOptions = {}): Promise<void> {
    const search = new URLSearchParams(options.cascade === true ? { cascade: 'true' } : {})
    await this.#call('dropTable', { databaseId, table: name }, undefined, undefined, search)
  }

  async getAccessPolicies(
    databaseId: string,
    table: string,
    options?: CallOptions,
  ): Promise<AccessPolicies> {
    return this.#call('getAccessPolicies', { databaseId, table }, undefined, options?.signal)
  }

  async selectRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    query?: SelectQuery,
    options?: CallOptions,
  ): Promise<SelectResult<TRow>> {
    return this.#call(
      'queryRecords',
      { databaseId },
      query === undefined ? { table } : { table, query },
      options?.signal,
    )
  }

  async insertRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    rows: Record<string, unknown> | Record<string, unknown>[],
    options: InsertRowsOptions = {},
  ): Promise<TRow[]> {
    return this.#call(
      'insertRecords',
      { databaseId },
      { table, rows, ...definedOptions(options, ['returning']) },
    )
  }

  async upsertRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    rows: Record<string, unknown> | Record<string, unknown>[],
    options: UpsertRowsOptions = {},
  ): Promise<TRow[]> {
    return this.#call(
      'upsertRecords',
      { databaseId },
      { table, rows, ...definedOptions(options, ['onConflict', 'resolution']) },
    )
  }

  async updateRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    where: Filter,
    patch: Record<string, unknown>,
    options: FilteredRowsOptions = {},
  ): Promise<TRow[]> {
    return this.#call(
      'updateRecords',
      { databaseId },
      { table, where, patch, ...definedOptions(options, ['all']) },
    )
  }

  async deleteRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    where: Filter,
    options: FilteredRowsOptions = {},
  ): Promise<TRow[]> {
    return this.#call(
      'deleteRecords',
      { databaseId },
      { table, where, ...definedOptions(options, ['all']) },
    )
  }

  async runSQL(
    databaseId: string,
    text: string,
    params?: unknown[],
    options?: RunSQLOptions,
  ): Promise<SQLRunResult> {
    const { signal, ...rest } = options ?? {}
    return this.#call(
      'runSQL',
      { databaseId },
      {
        text,
        ...(params === undefined ? {} : { params }),
        ...(options === undefined ? {} : { options: rest }),
      },
      signal,
    )
  }

  async auditLog(databaseId: string, options: AuditLogOptions = {}): Promise<AuditLogPage> {
    const search = new URLSearchParams()
    if (options.limit !== undefined) {
      search.set('limit', String(options.limit))
    }
    if (options.cursor !== undefined && options.cursor !== null) {
      search.set('cursor', options.cursor)
    }
    return this.#call('auditLog', { databaseId }, undefined, options.signal, search)
  }

  async listAPIKeys(databaseId: string, options?: CallOptions): Promise<APIKey[]> {
    return this.#call('listAPIKeys', { databaseId }, undefined, options?.signal)
  }

  async createAPIKey(databaseId: string, input: CreateAPIKeyInput): Promise<CreatedAPIKey> {
    return this.#call('createAPIKey', { databaseId }, input)
  }

  async revokeAPIKey(databaseId: string, keyId: string): Promise<APIKey> {
    return this.#call('revokeAPIKey', { databaseId, keyId })
  }

  async rotateJWTSecret(databaseId: string, options?: RotateJWTSecretOptions): Promise<void> {
    await this.#call('rotateJWTSecret', { databaseId }, options ?? {})
  }

  async listEndUsers(databaseId: string, options: ListEndUsersOptions = {}): Promise<EndUserPage> {
    const { signal, ...query } = options
    return this.#call('listEndUsers', { databaseId }, query, signal)
  }

  async createEndUser(databaseId: string, input: CreateEndUserInput): Promise<EndUser> {
    return this.#call('createEndUser', { databaseId }, input)
  }

  async updateEndUser(
    databaseId: string,
    userId: string,
    changes: UpdateEndUserInput,
  ): Promise<EndUser> {
    return this.#call('updateEndUser', { databaseId, userId }, changes)
  }

  async deleteEndUser(databaseId: string, userId: string): Promise<void> {
    await this.#call('deleteEndUser', { databaseId, userId })
  }

  async sendPasswordReset(databaseId: string, userId: string): Promise<SentPasswordReset> {
    return this.#call('sendPasswordReset', { databaseId, userId })
  }

  async revokeEndUserSessions(databaseId: string, userId: string): Promise<void> {
    await this.#call('revokeEndUserSessions', { databaseId, userId })
  }

  exportDatabase(
    databaseId: string,
    options: ExportDatabaseOptions & { format: 'json' },
  ): Promise<WireDatabaseExport>
  exportDatabase(
    databaseId: string,
    options: ExportDatabaseOptions & { format: 'sql' | 'csv' },
  ): Promise<string>
  async exportDatabase(
    databaseId: string,
    options: ExportDatabaseOptions,
  ): Promise<WireDatabaseExport | string> {
    const { signal, ...body } = options ?? ({} as ExportDatabaseOptions)
    if (body.format === 'json') {
      return this.#call('exportDatabase', { databaseId }, body, signal)
    }
    const path = managementPath('exportDatabase', { databaseId })
    const { method } = MANAGEMENT_API.exportDatabase
    const response = await this.#open(
      method,
      path,
      body,
      signal,
      body.format === 'csv' ? 'text/csv' : 'application/sql',
    )
    try {
      const text = await response.text()
      signal?.throwIfAborted()
      return text
    } catch (error) {
      throw this.#networkError(error, method, path, signal)
    }
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
    const { format, signal, onProgress, ...rest } = options ?? ({} as ImportDataOptions)
    const given = Object.fromEntries(
      Object.entries(rest).filter(([, value]) => value !== undefined),
    )
    const body = { format, data, ...(Object.keys(given).length === 0 ? {} : { options: given }) }
    if (onProgress === undefined) {
      return this.#call('importDatabase', { databaseId }, body, signal)
    }
    // fetch reports no upload progress: the size when the request goes, all of it once answered.
    const text = new JSONText(stringify(body))
    const total = utf8Length(text.text)
    onProgress({ unit: 'bytes', done: 0, total })
    const report = await this.#call<CSVImportReport | DatabaseImportReport>(
      'importDatabase',
      { databaseId },
      text,
      signal,
    )
    onProgress({ unit: 'bytes', done: total, total })
    return report
  }

  generateTables(
    databaseId: string,
    input: GenerateTablesInput,
    options?: AICallOptions,
  ): AITablesStream {
    return this.#tablesStream(
      'generateTables',
      databaseId,
      definedOptions(input ?? {}, ['description', 'current']),
      options?.signal,
    )
  }

  refineTables(
    databaseId: string,
    input: RefineTablesInput,
    options?: AICallOptions,
  ): AITablesStream {
    return this.#tablesStream(
      'refineTables',
      databaseId,
      definedOptions(input ?? {}, ['messages', 'current']),
      options?.signal,
    )
  }

  generateSQL(
    databaseId: string,
    input: GenerateSQLInput,
    options?: AICallOptions,
  ): Promise<AISQLResult> {
    return this.#call(
      'generateSQL',
      { databaseId },
      definedOptions(input ?? {}, ['question', 'allowWrites']),
      options?.signal,
    )
  }

  listSchemaTemplates(): Promise<SchemaTemplateSummary[]> {
    return this.#call('listSchemaTemplates', {})
  }

  getSchemaTemplate(id: string): Promise<SchemaTemplate> {
    return this.#call('getSchemaTemplate', { templateId: id })
  }
}

// A path with its search parameters, when there are any.
function withSearch(path: string, search: URLSearchParams | undefined): string {
  const query = search?.toString() ?? ''
  return query === '' ? path : `${path}?${query}`
}

/** Calls `onLine` with each JSON line of a response body, until it ends or `signal` aborts. */
async function readNDJSON(
  response: Response,
  signal: AbortSignal | undefined,
  onLine: (line: Record<string, unknown>) => void,
): Promise<void> {
  if (response.body === null) {
    return
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  const cancel = () => {
    reader.cancel(signal?.reason).catch(() => {})
  }
  signal?.addEventListener('abort', cancel, { once: true })
  let buffer = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (signal?.aborted) {
        return
      }
      buffer += done ? '\n' : value
      let end: number
      while ((end = buffer.indexOf('\n')) >= 0) {
        const text = buffer.slice(0, end).trim()
        buffer = buffer.slice(end + 1)
        if (text !== '') {
          let line: unknown
          try {
            line = JSON.parse(text)
          } catch (error) {
            throw new BaseboxError('INTERNAL', 'the server sent a stream line that is not JSON', {
              cause: error,
            })
          }
          if (typeof line === 'object' && line !== null) {
            onLine(line as Record<string, unknown>)
          }
        }
      }
      if (done) {
        return
      }
    }
  } finally {
    signal?.removeEventListener('abort', cancel)
  }
}

/**
 * Creates a {@link BaseboxClient} that talks to `@basebox/server`'s management API over HTTP.
 * Errors come back as the same `BaseboxError` classes and codes the engine throws; a server
 * that cannot be reached is an `INTERNAL` error (`TIMEOUT` when the fetch timed out) whose
 * `details.reason` is `'network'`.
 *
 * ### Examples
 *
 * ```ts
 * const client = createRemoteClient({
 *   url: 'https://app.example.com/basebox',
 *   headers: async () => ({ authorization: `Bearer ${await getSessionToken()}` }),
 * })
 * const projects = await client.listProjects()
 * ```
 */
export function createRemoteClient(config: RemoteClientConfig): BaseboxClient {
  return new RemoteClient(config)
}
