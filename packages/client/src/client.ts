import type { Filter, SelectQuery, SelectResult } from './schema/filter.js'
import type {
  AccessOperation,
  AccessRule,
  TableDefinition,
  TableDefinitionInput,
} from './schema/table-definition.js'
import type { WireChangePlan, WirePlanStep } from './schema/plan-step.js'
import type { Project, ProjectDatabase, SQLRunResult, TableInfo } from './types.js'
import type {
  AICallOptions,
  AISQLResult,
  AITablesStream,
  GenerateSQLInput,
  GenerateTablesInput,
  RefineTablesInput,
  SchemaTemplateSummary,
} from './ai.js'
import type { SchemaTemplate } from './templates/schema-templates.js'

// The implementations and tools of the interface, exported with it (one line in index.ts).
export * from './remote-client.js'
export * from './management-api.js'
export * from './typegen.js'
export * from './ai.js'
export * from './ai-stream.js'
export * from './templates/schema-templates.js'

/** Input of {@link BaseboxClient.createProject}. */
export interface CreateProjectInput {
  /** 1 to 200 characters. */
  name: string
  /** At most 2,000 characters. Default is `null`. */
  description?: string | null
}

/** Input of {@link BaseboxClient.updateProject}: the fields to change. */
export interface UpdateProjectInput {
  /** 1 to 200 characters. */
  name?: string
  /** At most 2,000 characters; `null` clears it. */
  description?: string | null
}

/** Input of {@link BaseboxClient.createDatabase}. */
export interface CreateDatabaseInput {
  /** Display name. Default is `'main'`. */
  name?: string
}

/** Options of {@link BaseboxClient.planChanges} (and of core's `planChanges`, which takes the same). */
export interface PlanOptions {
  /** Tables to rename, old name -> new name (a rename cannot be told from drop + create). */
  renameTables?: Record<string, string>
  /** Columns to rename, per table (by its wanted name): old name -> new name. */
  renameColumns?: Record<string, Record<string, string>>
  /**
   * Default is `false`. Whether dropping a table or column others reference may drop those
   * references too. Without it such a plan is refused.
   */
  cascade?: boolean
}

/** Options of {@link BaseboxClient.dropTable}. */
export interface DropTableOptions {
  /** Default is `false`. Whether to drop the references other tables hold to this one. */
  cascade?: boolean
}

/** Options of {@link BaseboxClient.insertRows}. */
export interface InsertRowsOptions {
  /** Default is `true`. With `false` the rows are not sent back (faster for bulk loads) and the result is `[]`. */
  returning?: boolean
}

/** Options of {@link BaseboxClient.upsertRows}. */
export interface UpsertRowsOptions {
  /** The primary key or unique column(s) that identify an existing row. Default is the primary key. */
  onConflict?: string | string[]
  /** Default is `'merge'`: update the existing row with the given values; `'ignore'` keeps it. */
  resolution?: 'merge' | 'ignore'
}

/** Options of {@link BaseboxClient.updateRows} and {@link BaseboxClient.deleteRows}. */
export interface FilteredRowsOptions {
  /** Default is `false`. Must be `true` to update or delete with an empty filter (every row). */
  all?: boolean
}

/** Options of {@link BaseboxClient.runSQL}. */
export interface RunSQLOptions {
  /** Default is `false`. Runs the whole text in a read-only transaction. */
  readOnly?: boolean
  /** Default is `5000`, at most `300000`. The whole run is cancelled when it is spent. */
  timeoutMs?: number
  /** Default is `1000`, at most `10000`. Rows kept per statement. */
  maxRows?: number
  /**
   * Default is `false`. Runs the text and rolls the whole transaction back: nothing is kept. Each
   * INSERT, UPDATE or DELETE without a RETURNING clause returns the rows it would change (as if it
   * ended in `returning *`), so a write can be previewed before it is run for real.
   */
  dryRun?: boolean
  /**
   * Stops the run: the promise rejects with the signal's `reason`, the running statement is
   * cancelled (on Postgres, and on a PGlite worker, which restarts; in-process PGlite finishes
   * the statement it is in and runs no other) and nothing is committed. The remote client aborts
   * its request, and the server stops the run when the request goes away. An abort that comes
   * after the commit only stops the waiting. Default is none.
   */
  signal?: AbortSignal
}

/**
 * Per-call options of the read methods ({@link BaseboxClient.selectRows},
 * {@link BaseboxClient.listTables}, {@link BaseboxClient.getTable}, {@link BaseboxClient.auditLog}).
 */
export interface CallOptions {
  /**
   * Aborts the call: the promise rejects with the signal's `reason` (an `AbortError` DOMException
   * by default) instead of a `BaseboxError`. The remote client aborts its request; the local
   * client stops waiting and drops the result. Default is none. React Query passes its own signal,
   * so a query that goes out of view is cancelled.
   */
  signal?: AbortSignal
}

/** Options of {@link BaseboxClient.auditLog}. */
export interface AuditLogOptions extends CallOptions {
  /** Default is `50`, at most `500`. */
  limit?: number
  /** The `nextCursor` of the previous page. */
  cursor?: string | null
}

/** One entry of a database's audit log: who did what, when. Never row data or secrets. */
export interface AuditLogEntry {
  id: string
  database_id: string | null
  /** The owner (host user) who acted. */
  actor: string
  /** What happened, e.g. `schema.apply`, `sql.run`, `data.export`. */
  action: string
  details: Record<string, unknown>
  /** ISO 8601 timestamp. */
  created_at: string
}

/** A page of the audit log, newest first. */
export interface AuditLogPage {
  entries: AuditLogEntry[]
  /** Pass as `cursor` for the next (older) page; `null` on the last page. */
  nextCursor: string | null
}

/* ---- API keys and the JWT secret ---- */

/** What an API key opens: `anon` (public, for browsers, under the tables' access rules) or `service` (secret, for servers: every row). */
export type APIKeyKind = 'anon' | 'service'

/** An API key of a project database as listed: never the key itself, only its public prefix. */
export interface APIKey {
  /** UUID. */
  id: string
  name: string
  kind: APIKeyKind
  /** The start of the key (`bb_anon_…`, `bb_service_…`), to recognise it. */
  prefix: string
  /** ISO 8601 timestamp. */
  created_at: string
  /** ISO 8601 timestamp, or `null` while the key works. */
  revoked_at: string | null
  /**
   * ISO 8601 timestamp of the key's last accepted use, or `null` if never used. Recorded at most
   * once a minute per key, so the key may have been used up to a minute after it.
   */
  last_used_at: string | null
}

/** What {@link BaseboxClient.createAPIKey} returns: the listing, and the whole key, shown this once. */
export interface CreatedAPIKey extends APIKey {
  /** The whole key. Only its digest is stored: it cannot be shown again. */
  key: string
}

/** Input of {@link BaseboxClient.createAPIKey}. */
export interface CreateAPIKeyInput {
  /** 1 to 100 characters, to tell keys apart. */
  name: string
  kind: APIKeyKind
}

/** Options of {@link BaseboxClient.rotateJWTSecret}. */
export interface RotateJWTSecretOptions {
  /**
   * Default is `true`: access tokens signed with the old secret keep verifying until they expire
   * (at most the access token lifetime, 15 minutes by default). `false` refuses them at once
   * (after a leak): every signed-in end user must refresh or sign in again.
   */
  keepPrevious?: boolean
}

/* ---- End users ---- */

/**
 * An end user of a project's app (a row of its `users` table, with what auth keeps beside it),
 * as the project's owner manages it. Never a password hash.
 */
export interface EndUser {
  /** UUID. */
  id: string
  /** Lowercase. */
  email: string
  full_name: string | null
  avatar_url: string | null
  /** GoTrue's `user_metadata`: the user's own keys, with `full_name` and `avatar_url` when set. */
  user_metadata: Record<string, unknown>
  /** When the current email was proven (ISO 8601), or `null`. */
  email_verified_at: string | null
  /** Whether the owner disabled the user: no sign-in, refresh or password reset until enabled. */
  disabled: boolean
  /** When the user was disabled (ISO 8601), or `null`. */
  disabled_at: string | null
  /** ISO 8601 timestamp. */
  created_at: string
  /** ISO 8601 timestamp. */
  updated_at: string
}

/** The columns {@link BaseboxClient.listEndUsers} sorts by. */
export type EndUserOrderColumn = 'created_at' | 'updated_at' | 'email' | 'full_name'

/** Options of {@link BaseboxClient.listEndUsers}. */
export interface ListEndUsersOptions extends CallOptions {
  /** Keeps users whose email or full name contains this text, ignoring case; `%` and `_` are literal. At most 200 characters. Default is none. */
  search?: string
  /** Default is `{ column: 'created_at', direction: 'asc' }` (oldest first); the id breaks ties. */
  orderBy?: { column: EndUserOrderColumn; direction?: 'asc' | 'desc' }
  /** Default is `50`, at most `1000`. */
  limit?: number
  /** Default is `0`. */
  offset?: number
}

/** A page of end users. */
export interface EndUserPage {
  users: EndUser[]
  /** How many users match the search (all pages). */
  total: number
}

/** Input of {@link BaseboxClient.createEndUser}. */
export interface CreateEndUserInput {
  email: string
  /** 8 to 256 characters. Default is none: the user cannot sign in until a password is set (by a reset). */
  password?: string
  /** Default is `false`. Whether the email counts as verified at once. */
  email_confirm?: boolean
  /** Any JSON object, at most 16 KB; `full_name` and `avatar_url` go to the `users` table. */
  user_metadata?: Record<string, unknown>
}

/** Input of {@link BaseboxClient.updateEndUser}: the fields to change. */
export interface UpdateEndUserInput {
  email?: string
  /** `true` disables the user (every session ends, pending reset tokens are void); `false` enables it. */
  disabled?: boolean
  /** Merged key by key into the stored metadata; a key set to `null` is removed. */
  user_metadata?: Record<string, unknown>
}

/** What {@link BaseboxClient.sendPasswordReset} reports: where the reset email went. Never the token. */
export interface SentPasswordReset {
  email: string
  /** When the token expires (ISO 8601). */
  expires_at: string
}

/* ---- Export and import ---- */

/** The formats of {@link BaseboxClient.exportDatabase} and {@link BaseboxClient.importData}. */
export type TransferFormat = 'json' | 'sql' | 'csv'

/** A whole database (or one table) as JSON: what a `json` export returns and a `json` import takes. */
export interface WireDatabaseExport {
  /** Always `'basebox'`. */
  format: 'basebox'
  /** `1`. */
  version: number
  /** Referenced tables first. */
  tables: {
    definition: TableDefinition
    /** In primary-key order: bigint and numeric as strings, timestamps as ISO strings. */
    rows: Record<string, unknown>[]
    /** Secret columns whose values were left out (an export without `includeSecrets`). */
    omitted?: string[]
  }[]
}

/** Options of {@link BaseboxClient.exportDatabase}. */
export interface ExportDatabaseOptions extends CallOptions {
  /** `'json'` (a {@link WireDatabaseExport}), `'sql'` (a script for `psql` or `importData`), or `'csv'` (one table). */
  format: TransferFormat
  /** Export this table only. Default is every table; a CSV export needs one. */
  table?: string
  /** JSON and SQL: export these tables only (not with `table`), referenced tables first. Default is every table. */
  tables?: string[]
  /**
   * Default is `false`. Whether secret columns (`users.password_hash`) are exported too: a full
   * backup from which end users can still sign in. Keep such a file as safe as the database.
   */
  includeSecrets?: boolean
}

/**
 * How far an {@link BaseboxClient.importData} has got, given to `onProgress`. `done` never
 * decreases, and the last call before the import resolves has `done === total`.
 *
 * - The local client counts `'rows'` written by the engine, reported after each batch of 5,000
 *   (a JSON or SQL import whose tables reference themselves or a table imported after them is
 *   written in one statement, so it goes from 0 to all at once). `total` is the sum over the
 *   tables reported so far: it is final before the first row is written.
 * - The remote client counts `'bytes'` of the request: `fetch` reports no upload progress, so
 *   it reports `0` of the body's size (in UTF-8) when the request is sent, and the size once the
 *   server has answered with the import's report.
 */
export interface ImportProgress {
  /** What `done` and `total` count. */
  unit: 'rows' | 'bytes'
  done: number
  total: number
}

/** Options of {@link BaseboxClient.importData}. */
export interface ImportDataOptions {
  format: TransferFormat
  /**
   * Cancels the import: the promise rejects with the signal's `reason` (an `AbortError`
   * DOMException by default). The local client rolls the import's transaction back (nothing is
   * imported, catalog included) if the signal aborts before it commits; it checks between
   * batches, so it stops within one batch. The remote client aborts its request: cut during the
   * upload, the server never starts the import; once the server has the whole body, it may still
   * finish it, and the answer is dropped. Default is none.
   */
  signal?: AbortSignal
  /** Called as the import goes: see {@link ImportProgress} for what each client reports. A preview or dry run reports no writes. */
  onProgress?: (progress: ImportProgress) => void
  /** CSV: the table to fill, an existing one or a new one with `create`. */
  table?: string
  /** CSV: default is `false`. Create `table`, with the definition inferred from the data (or `definition`). */
  create?: boolean
  /** CSV with `create`: the definition to create instead of the inferred one, e.g. the preview's, edited. */
  definition?: Omit<TableDefinitionInput, 'name'> & { name?: string }
  /** CSV: header -> column, or `null` to leave a CSV column out. Other headers fill the column of the same (identifier) name. */
  columns?: Record<string, string | null>
  /** CSV: default is `','`. */
  delimiter?: string
  /** CSV: return the first `preview` rows (1 to 1000), converted, the mapping and the rejected rows; write nothing. */
  preview?: number
  /** CSV: default is `'abort'` (one rejected row and nothing is imported); `'skip'` imports the others and reports the rejected ones. */
  onError?: 'abort' | 'skip'
  /** JSON and SQL: default is `false`. Check everything and return the plan, writing nothing. */
  dryRun?: boolean
  /** Default is `false`. Whether values of secret columns in the input are restored (a full backup). */
  includeSecrets?: boolean
}

/** What a JSON or SQL {@link BaseboxClient.importData} did, or would do in a dry run. */
export interface DatabaseImportReport {
  /** `created`: new table; `altered`: an empty table changed to the imported definition; `appended`: rows added to a table of the same definition. */
  tables: { name: string; action: 'created' | 'altered' | 'appended'; rows: number }[]
  /** The schema changes applied (or that would be), in order. */
  steps: WirePlanStep[]
  /** E.g. users imported without their passwords. */
  warnings: string[]
  dryRun: boolean
}

/** What a CSV {@link BaseboxClient.importData} did, or with `preview` would do. */
export interface CSVImportReport {
  table: string
  /** Whether the table is new (or, in a preview, would be). */
  created: boolean
  /** The table's definition: the inferred one for a new table. */
  definition: TableDefinition
  /** The mapping: for each CSV column, the table column it fills, or `null` when left out. */
  columns: { header: string; column: string | null }[]
  /** Rows imported (in a preview: rows read that would be). */
  rows: number
  /** The first 1,000 rejected rows: 1-based row and file line, and why. */
  rejected: { row: number; line: number; reasons: { column?: string; message: string }[] }[]
  rejectedCount: number
  /** With `preview`: the first rows as they would be stored. */
  preview?: Record<string, unknown>[]
  /**
   * With `preview`: whether every row of the file was read. A preview into an existing table
   * stops after the rows it shows, so then `rows` and `rejectedCount` count only those.
   */
  complete?: boolean
  warnings: string[]
}

/* ---- Access rules ---- */

/** One operation's rule of a table and the policy it compiles to. */
export interface AccessPolicy {
  operation: AccessOperation
  /** The table's rule for the operation; `'nobody'` when the definition sets none. */
  rule: AccessRule
  /** The policy's name (`basebox_select` ...), or `null` for `'nobody'` (no policy: nothing allowed). */
  name: string | null
  /** The `create policy` statement, without the schema name, or `null` for `'nobody'`. */
  sql: string | null
  /** The `grant` to end users' role that goes with it (the non-secret columns), or `null`. */
  grant: string | null
}

/**
 * How a table's access rules are carried out for the apps' end users (the data API's `anon` and
 * signed-in requests): Postgres row-level security policies and column grants for the
 * database's client role, as the engine compiles them from the definition.
 */
export interface AccessPolicies {
  table: string
  /** The uuid column the `'owner'` rule compares with the signed-in user's id, or `null`. */
  owner_column: string | null
  /** Per operation, in the order select, insert, update, delete. */
  policies: AccessPolicy[]
  /**
   * Every statement, in order, as for a new table: the service policy (the database's own role
   * sees every row), then each allowed operation's grant and policy. A plan that changes the
   * rules first revokes the grants and drops Basebox's policies, then runs these.
   */
  statements: string[]
}

/**
 * What a host's UI (the React kit, a script) needs from Basebox, for one owner: projects, their
 * databases, tables and plans, records, SQL and the audit log. Every method is async, takes
 * ids as strings, and fails with a `BaseboxError` whose `code` is the same whichever
 * implementation answers.
 *
 * Two implementations: `createRemoteClient()` (over the HTTP management API of
 * `@basebox/server`) and `createLocalClient(engine, ownerId)` from `@basebox/core` (in-process,
 * e.g. on PGlite in the browser). One contract test suite runs against both.
 *
 * ### Examples
 *
 * ```ts
 * const client: BaseboxClient = createRemoteClient({ url: 'https://example.com', headers: { authorization: `Bearer ${token}` } })
 * const project = await client.createProject({ name: 'Blog' })
 * const database = await client.createDatabase(project.id)
 * await client.createTable(database.id, { name: 'posts', columns: [{ name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' }, { name: 'title', type: 'text', required: true }] })
 * await client.insertRows(database.id, 'posts', { title: 'Hello' })
 * const { rows } = await client.selectRows(database.id, 'posts', { orderBy: { column: 'title' }, limit: 20 })
 * ```
 */
export interface BaseboxClient {
  /* ---- Projects ---- */

  /** The owner's projects, oldest first. */
  listProjects(): Promise<Project[]>
  /** Creates a project. */
  createProject(input: CreateProjectInput): Promise<Project>
  /** One project; `NOT_FOUND` for an unknown id or another owner's project. */
  getProject(projectId: string): Promise<Project>
  /** Changes a project's name or description. */
  updateProject(projectId: string, changes: UpdateProjectInput): Promise<Project>
  /** Deletes a project with its database, every table and row. */
  deleteProject(projectId: string): Promise<void>

  /* ---- Databases ---- */

  /** Creates the project's database with the default `users` table; `CONFLICT` when it has one. */
  createDatabase(projectId: string, input?: CreateDatabaseInput): Promise<ProjectDatabase>
  /** The project's database; `NOT_FOUND` when it has none yet. */
  getDatabase(projectId: string): Promise<ProjectDatabase>
  /**
   * Deletes the project's database: its Postgres schema with every table and row, its roles,
   * its catalog rows and audit entries, and end-user auth's users' sessions, API keys and JWT
   * secrets. The project stays (a `database.delete` entry is kept on it) and can get a new
   * database with `createDatabase`. `NOT_FOUND` when the project has none.
   */
  deleteDatabase(projectId: string): Promise<void>

  /* ---- Tables and plans ---- */

  /** The database's tables in creation order, with their definitions. */
  listTables(databaseId: string, options?: CallOptions): Promise<TableInfo[]>
  /** One table; `NOT_FOUND` when there is no table of that name. */
  getTable(databaseId: string, name: string, options?: CallOptions): Promise<TableInfo>
  /** Creates a table from its definition. */
  createTable(databaseId: string, definition: TableDefinitionInput): Promise<TableInfo>
  /**
   * The steps that turn the database's tables into `wanted` (the definitions of all of them),
   * with the problems the current data would cause. Nothing changes.
   */
  planChanges(
    databaseId: string,
    wanted: TableDefinitionInput[],
    options?: PlanOptions,
  ): Promise<WireChangePlan>
  /** Applies a plan in one transaction (nothing changes when a step fails); returns the tables after it. */
  applyPlan(databaseId: string, plan: Pick<WireChangePlan, 'steps'>): Promise<TableInfo[]>
  /** Drops a table. */
  dropTable(databaseId: string, name: string, options?: DropTableOptions): Promise<void>
  /**
   * The Postgres policies and grants a table's access rules compile to (the engine's own
   * compiler, the statements every plan runs for the table), to show what a rule means in SQL.
   * Nothing runs. `NOT_FOUND` for an unknown table.
   */
  getAccessPolicies(
    databaseId: string,
    table: string,
    options?: CallOptions,
  ): Promise<AccessPolicies>

  /* ---- Records ---- */

  /** A page of rows: columns, filter, order, limit/offset or cursor, count, expanded relations. */
  selectRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    query?: SelectQuery,
    options?: CallOptions,
  ): Promise<SelectResult<TRow>>
  /** Inserts one row or many, all or none; returns the stored rows. */
  insertRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    rows: Record<string, unknown> | Record<string, unknown>[],
    options?: InsertRowsOptions,
  ): Promise<TRow[]>
  /** Inserts rows, or merges them into (or keeps) the existing rows with the same key. */
  upsertRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    rows: Record<string, unknown> | Record<string, unknown>[],
    options?: UpsertRowsOptions,
  ): Promise<TRow[]>
  /** Updates the rows matching `where`; an empty filter needs `options.all`. Returns the rows. */
  updateRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    where: Filter,
    patch: Record<string, unknown>,
    options?: FilteredRowsOptions,
  ): Promise<TRow[]>
  /** Deletes the rows matching `where`; an empty filter needs `options.all`. Returns the rows. */
  deleteRows<TRow = Record<string, unknown>>(
    databaseId: string,
    table: string,
    where: Filter,
    options?: FilteredRowsOptions,
  ): Promise<TRow[]>

  /* ---- SQL and audit ---- */

  /** Runs the user's own SQL in one transaction as the database's role (see `db.sql()` in core). */
  runSQL(
    databaseId: string,
    text: string,
    params?: unknown[],
    options?: RunSQLOptions,
  ): Promise<SQLRunResult>
  /** The database's audit log, newest first. */
  auditLog(databaseId: string, options?: AuditLogOptions): Promise<AuditLogPage>

  /* ---- API keys and the JWT secret (need end-user auth: `auth` given to the handler or the local client, else `UNSUPPORTED`) ---- */

  /** The database's API keys, oldest first, revoked ones included, by prefix only (never a key). */
  listAPIKeys(databaseId: string, options?: CallOptions): Promise<APIKey[]>
  /**
   * Creates an API key for the data API. The returned `key` is shown this once: only its digest
   * is kept. `FORBIDDEN` for a read-only owner (a key grants writes). Audited as `keys.create`.
   */
  createAPIKey(databaseId: string, input: CreateAPIKeyInput): Promise<CreatedAPIKey>
  /**
   * Revokes an API key: it stops working at once in this process, within 30 s in other server
   * processes. Returns the key's listing; `NOT_FOUND` for an unknown id. Audited as `keys.revoke`.
   */
  revokeAPIKey(databaseId: string, keyId: string): Promise<APIKey>
  /**
   * Replaces the secret the database's end-user access tokens (JWTs) are signed with. By default
   * tokens signed before keep verifying until they expire; with `keepPrevious: false` they stop
   * verifying at once. Refresh tokens keep working (a refresh signs with the new secret). Audited
   * as `jwt_secret.rotate`.
   */
  rotateJWTSecret(databaseId: string, options?: RotateJWTSecretOptions): Promise<void>

  /* ---- End users (need end-user auth, as the API keys do) ---- */

  /** A page of the database's end users with the number that match; never a password hash. */
  listEndUsers(databaseId: string, options?: ListEndUsersOptions): Promise<EndUserPage>
  /** Creates an end user; `CONFLICT` (`details.reason: 'email_exists'`) when the email has an account. Audited as `users.create`. */
  createEndUser(databaseId: string, input: CreateEndUserInput): Promise<EndUser>
  /**
   * Changes an end user: email, metadata, or `disabled` (a disabled user cannot sign in, refresh
   * or reset the password, and every session ends at once; access tokens already out still
   * verify until they expire, 15 minutes by default). `NOT_FOUND` for an unknown id. Audited as
   * `users.update`.
   */
  updateEndUser(databaseId: string, userId: string, changes: UpdateEndUserInput): Promise<EndUser>
  /** Deletes an end user: the `users` row, sessions, metadata. `NOT_FOUND` for an unknown id. Audited as `users.delete`. */
  deleteEndUser(databaseId: string, userId: string): Promise<void>
  /**
   * Sends the end user a password reset: a one-time token (1 hour) handed to the `sendEmail` hook
   * the host gave `createAuth`, as a `password_reset` email; the token is never returned here.
   * `UNSUPPORTED` without `sendEmail`, `FORBIDDEN` for a disabled user, `LIMIT_EXCEEDED` past a
   * few emails per address per hour. Audited as `users.password_reset`.
   */
  sendPasswordReset(databaseId: string, userId: string): Promise<SentPasswordReset>
  /**
   * Ends every session of the end user: refresh tokens stop working at once; access tokens
   * already out verify until they expire. Audited as `users.sessions_revoke`.
   */
  revokeEndUserSessions(databaseId: string, userId: string): Promise<void>

  /* ---- Export and import ---- */

  /**
   * Exports the database, or one table, as a snapshot: `json` gives a {@link WireDatabaseExport},
   * `sql` a plain SQL script, `csv` one table's rows (`table` is required). Secret columns are
   * left out unless `includeSecrets`. Audited as `data.export`; a read-only owner may export.
   */
  exportDatabase(
    databaseId: string,
    options: ExportDatabaseOptions & { format: 'json' },
  ): Promise<WireDatabaseExport>
  exportDatabase(
    databaseId: string,
    options: ExportDatabaseOptions & { format: 'sql' | 'csv' },
  ): Promise<string>
  /**
   * Imports a CSV file into one table (existing, or new with `create`), with the column mapping,
   * conversion and rejected rows the engine reports; `preview` writes nothing and returns the
   * first rows. All or nothing unless `onError: 'skip'`. Audited as `data.import`.
   */
  importData(
    databaseId: string,
    data: string,
    options: ImportDataOptions & { format: 'csv' },
  ): Promise<CSVImportReport>
  /**
   * Imports a JSON export (object or text) or a Basebox SQL export, all or nothing in one
   * transaction: missing tables are created, empty ones changed, rows loaded. `dryRun` checks
   * and returns the plan, writing nothing. A table with rows and another definition is a
   * `CONFLICT`. Audited as `data.import`.
   */
  importData(
    databaseId: string,
    data: string | WireDatabaseExport,
    options: ImportDataOptions & { format: 'json' | 'sql' },
  ): Promise<DatabaseImportReport>

  /* ---- AI (see ./ai.ts): proposals with the engine's plan, never applied ---- */

  /**
   * Designs tables from a description, streamed: new tables as the model writes them, then the
   * result with the core's plan against the database's current tables. Nothing is applied.
   * `AI_NOT_CONFIGURED` when no model is set up.
   */
  generateTables(
    databaseId: string,
    input: GenerateTablesInput,
    options?: AICallOptions,
  ): AITablesStream
  /**
   * Changes the database's current tables by a chat message ("add tags to posts"), streamed;
   * the result's plan is what the last message changes. Nothing is applied.
   */
  refineTables(
    databaseId: string,
    input: RefineTablesInput,
    options?: AICallOptions,
  ): AITablesStream
  /** SQL for a question about the database, planned by Postgres and never run. */
  generateSQL(
    databaseId: string,
    input: GenerateSQLInput,
    options?: AICallOptions,
  ): Promise<AISQLResult>
  /** The offline schema templates; works without any model. */
  listSchemaTemplates(): Promise<SchemaTemplateSummary[]>
  /** One schema template with its tables; `NOT_FOUND` for an unknown id. Plan it with `planChanges`. */
  getSchemaTemplate(id: string): Promise<SchemaTemplate>
}
