import type {
  AuditLogOptions,
  AuditLogPage,
  CallOptions,
  BaseboxClient,
  CreateDatabaseInput,
  CreateProjectInput,
  DropTableOptions,
  FilteredRowsOptions,
  InsertRowsOptions,
  PlanOptions,
  RunSQLOptions,
  UpdateProjectInput,
  UpsertRowsOptions,
  WireChangePlan,
} from './client.js'
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

/**
 * One URL path segment. Empty, `.` and `..` can name nothing, and would change the path (the
 * URL parser resolves dot segments even when percent-encoded), so they are `NOT_FOUND` here.
 */
function segment(value: string, what: string): string {
  if (typeof value !== 'string' || value === '' || value === '.' || value === '..') {
    throw new BaseboxError(
      'NOT_FOUND',
      `${what} ${JSON.stringify(String(value).slice(0, 80))} not found`,
    )
  }
  return encodeURIComponent(value)
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

  async #request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted()
    const headers = new Headers(
      typeof this.#headers === 'function' ? await this.#headers() : this.#headers,
    )
    headers.set('accept', 'application/json')
    const init: RequestInit = signal === undefined ? { method, headers } : { method, headers, signal }
    if (body !== undefined) {
      headers.set('content-type', 'application/json')
      init.body = stringify(body)
    }
    let response: Response
    let text: string
    try {
      response = await this.#fetch(`${this.#base}${path}`, init)
      text = response.status === 204 ? '' : await response.text()
    } catch (error) {
      if (error instanceof BaseboxError) {
        throw error
      }
      if (signal?.aborted) {
        throw signal.reason
      }
      const name = (error as { name?: unknown })?.name
      const reason = error instanceof Error ? error.message : String(error)
      throw new BaseboxError(
        name === 'TimeoutError' ? 'TIMEOUT' : 'INTERNAL',
        `could not reach the Basebox server for ${method} ${path}: ${reason}`,
        { cause: error, details: { reason: name === 'TimeoutError' ? 'timeout' : 'network' } },
      )
    }
    // An injected fetch may ignore the signal: an aborted call still never resolves.
    signal?.throwIfAborted()
    if (!response.ok) {
      throw errorFromBody(response.status, response.statusText, text)
    }
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

  #database(databaseId: string, rest = ''): string {
    return `/api/database/${segment(databaseId, 'database')}${rest}`
  }

  async listProjects(): Promise<Project[]> {
    return this.#request('GET', '/api/projects')
  }

  async createProject(input: CreateProjectInput): Promise<Project> {
    return this.#request('POST', '/api/projects', input)
  }

  async getProject(projectId: string): Promise<Project> {
    return this.#request('GET', `/api/projects/${segment(projectId, 'project')}`)
  }

  async updateProject(projectId: string, changes: UpdateProjectInput): Promise<Project> {
    return this.#request('PATCH', `/api/projects/${segment(projectId, 'project')}`, changes)
  }

  async deleteProject(projectId: string): Promise<void> {
    await this.#request('DELETE', `/api/projects/${segment(projectId, 'project')}`)
  }

  async createDatabase(
    projectId: string,
    input: CreateDatabaseInput = {},
  ): Promise<ProjectDatabase> {
    const created = await this.#request<{ database: ProjectDatabase }>(
      'POST',
      '/api/database/create',
      { ...input, projectId },
    )
    return created.database
  }

  async getDatabase(projectId: string): Promise<ProjectDatabase> {
    return this.#request('GET', `/api/projects/${segment(projectId, 'project')}/database`)
  }

  async listTables(databaseId: string, options?: CallOptions): Promise<TableInfo[]> {
    return this.#request('GET', this.#database(databaseId, '/tables'), undefined, options?.signal)
  }

  async getTable(databaseId: string, name: string, options?: CallOptions): Promise<TableInfo> {
    return this.#request(
      'GET',
      this.#database(databaseId, `/tables/${segment(name, 'table')}`),
      undefined,
      options?.signal,
    )
  }

  async createTable(databaseId: string, definition: TableDefinitionInput): Promise<TableInfo> {
    return this.#request('POST', this.#database(databaseId, '/tables/create'), { definition })
  }

  async planChanges(
    databaseId: string,
    wanted: TableDefinitionInput[],
    options?: PlanOptions,
  ): Promise<WireChangePlan> {
    return this.#request(
      'POST',
      this.#database(databaseId, '/tables/plan'),
      options === undefined ? { wanted } : { wanted, options },
    )
  }

  async applyPlan(databaseId: string, plan: Pick<WireChangePlan, 'steps'>): Promise<TableInfo[]> {
    // Only the steps: the problems of a preview are not part of what is applied.
    return this.#request('POST', this.#database(databaseId, '/tables/apply'), {
      steps: plan?.steps,
    })
  }

  async dropTable(databaseId: string, name: string, options: DropTableOptions = {}): Promise<void> {
    await this.#request(
      'DELETE',
      this.#database(
        databaseId,
        `/tables/${segment(name, 'table')}${options.cascade === true ? '?cascade=true' : ''}`,
      ),
    )
  }

  async selectRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    query?: SelectQuery,
    options?: CallOptions,
  ): Promise<SelectResult<TRow>> {
    return this.#request(
      'POST',
      this.#database(databaseId, '/records/query'),
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
    return this.#request('POST', this.#database(databaseId, '/records/create'), {
      table,
      rows,
      ...pick(options, ['returning']),
    })
  }

  async upsertRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    rows: Record<string, unknown> | Record<string, unknown>[],
    options: UpsertRowsOptions = {},
  ): Promise<TRow[]> {
    return this.#request('POST', this.#database(databaseId, '/records/upsert'), {
      table,
      rows,
      ...pick(options, ['onConflict', 'resolution']),
    })
  }

  async updateRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    where: Filter,
    patch: Record<string, unknown>,
    options: FilteredRowsOptions = {},
  ): Promise<TRow[]> {
    return this.#request('POST', this.#database(databaseId, '/records/update'), {
      table,
      where,
      patch,
      ...pick(options, ['all']),
    })
  }

  async deleteRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    where: Filter,
    options: FilteredRowsOptions = {},
  ): Promise<TRow[]> {
    return this.#request('POST', this.#database(databaseId, '/records/delete'), {
      table,
      where,
      ...pick(options, ['all']),
    })
  }

  async runSQL(
    databaseId: string,
    text: string,
    params?: unknown[],
    options?: RunSQLOptions,
  ): Promise<SQLRunResult> {
    return this.#request('POST', this.#database(databaseId, '/sql'), {
      text,
      ...(params === undefined ? {} : { params }),
      ...(options === undefined ? {} : { options }),
    })
  }

  async auditLog(databaseId: string, options: AuditLogOptions = {}): Promise<AuditLogPage> {
    const search = new URLSearchParams()
    if (options.limit !== undefined) {
      search.set('limit', String(options.limit))
    }
    if (options.cursor !== undefined && options.cursor !== null) {
      search.set('cursor', options.cursor)
    }
    const query = search.toString()
    return this.#request(
      'GET',
      this.#database(databaseId, `/audit${query === '' ? '' : `?${query}`}`),
      undefined,
      options.signal,
    )
  }
}

// Sends only the options the route knows, and none that are undefined (the server's bodies are strict).
function pick<T extends object, K extends keyof T>(options: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {}
  for (const key of keys) {
    if (options?.[key] !== undefined) {
      out[key] = options[key]
    }
  }
  return out
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
