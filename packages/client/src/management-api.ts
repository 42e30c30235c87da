import { z } from 'zod'
import type { BaseboxClient } from './client.js'
import { BaseboxError } from './errors.js'
import { SelectQuerySchema } from './schema/filter.js'
import { ChangePlanInput } from './schema/plan-step.js'
import { TableDefinition, toValidationError } from './schema/table-definition.js'

/**
 * What a management operation answers on success: `json` (200 with a JSON body), `created`
 * (201 with a JSON body), `none` (204, no body), `ndjson` (a stream of JSON lines) or `export`
 * (JSON, SQL or CSV, by the request's `format`).
 */
export type ManagementResult = 'json' | 'created' | 'none' | 'ndjson' | 'export'

/** One operation of the management API: how it is called over HTTP, and what it checks. */
export interface ManagementOperation {
  /** The HTTP method. */
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** The path, with `:name` for each path parameter (see {@link MANAGEMENT_PATH_PARAMETERS}). */
  readonly path: string
  /** The JSON request body's schema; none for an operation without a body. */
  readonly input?: z.ZodType
  /** The search parameters the operation reads, if any. */
  readonly query?: readonly string[]
  /** What a success answers. */
  readonly result: ManagementResult
  /** The {@link BaseboxClient} method that calls it, or `null` for an HTTP-only operation. */
  readonly client: keyof BaseboxClient | null
}

/** The path parameters of the management API, with the noun a `NOT_FOUND` message names. */
export const MANAGEMENT_PATH_PARAMETERS = {
  projectId: 'project',
  databaseId: 'database',
  table: 'table',
  recordId: 'record',
  keyId: 'API key',
  userId: 'user',
  templateId: 'schema template',
} as const

/** One of {@link MANAGEMENT_PATH_PARAMETERS}. */
export type ManagementPathParameter = keyof typeof MANAGEMENT_PATH_PARAMETERS

const Json = z.record(z.string(), z.unknown())
const Rows = z.union([Json, z.array(Json)])
// Checked in full by the AI package (the same TableDefinition schema), as `existing`/`current`.
const Tables = z.array(z.record(z.string(), z.unknown())).max(200)

/**
 * The management API, one entry per operation: method, path, request body schema and result.
 * The server's router and OpenAPI document, the remote client's requests and the local client's
 * checks all come from this table, so that both clients refuse the same input with the same
 * code. Adding an operation is one entry here, plus its route and its client methods.
 */
export const MANAGEMENT_API = {
  listProjects: { method: 'GET', path: '/api/projects', result: 'json', client: 'listProjects' },
  createProject: {
    method: 'POST',
    path: '/api/projects',
    input: z
      .object({
        name: z.string().min(1).max(200),
        description: z.string().max(2000).nullable().optional(),
      })
      .strict(),
    result: 'created',
    client: 'createProject',
  },
  getProject: {
    method: 'GET',
    path: '/api/projects/:projectId',
    result: 'json',
    client: 'getProject',
  },
  updateProject: {
    method: 'PATCH',
    path: '/api/projects/:projectId',
    input: z
      .object({
        name: z.string().min(1).max(200).optional(),
        description: z.string().max(2000).nullable().optional(),
      })
      .strict(),
    result: 'json',
    client: 'updateProject',
  },
  deleteProject: {
    method: 'DELETE',
    path: '/api/projects/:projectId',
    result: 'none',
    client: 'deleteProject',
  },
  getProjectDatabase: {
    method: 'GET',
    path: '/api/projects/:projectId/database',
    result: 'json',
    client: 'getDatabase',
  },
  deleteDatabase: {
    method: 'DELETE',
    path: '/api/projects/:projectId/database',
    result: 'none',
    client: 'deleteDatabase',
  },
  createDatabase: {
    method: 'POST',
    path: '/api/database/create',
    input: z
      .object({ projectId: z.string().uuid(), name: z.string().min(1).max(200).optional() })
      .strict(),
    result: 'created',
    client: 'createDatabase',
  },
  getDatabase: { method: 'GET', path: '/api/database/:databaseId', result: 'json', client: null },
  listTables: {
    method: 'GET',
    path: '/api/database/:databaseId/tables',
    result: 'json',
    client: 'listTables',
  },
  createTable: {
    method: 'POST',
    path: '/api/database/:databaseId/tables/create',
    input: z.object({ definition: TableDefinition }).strict(),
    result: 'created',
    client: 'createTable',
  },
  planChanges: {
    method: 'POST',
    path: '/api/database/:databaseId/tables/plan',
    input: z
      .object({
        wanted: z.array(TableDefinition),
        options: z
          .object({
            renameTables: z.record(z.string(), z.string()).optional(),
            renameColumns: z.record(z.string(), z.record(z.string(), z.string())).optional(),
            cascade: z.boolean().optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    result: 'json',
    client: 'planChanges',
  },
  applyPlan: {
    method: 'POST',
    path: '/api/database/:databaseId/tables/apply',
    input: ChangePlanInput,
    result: 'json',
    client: 'applyPlan',
  },
  getTable: {
    method: 'GET',
    path: '/api/database/:databaseId/tables/:table',
    result: 'json',
    client: 'getTable',
  },
  getAccessPolicies: {
    method: 'GET',
    path: '/api/database/:databaseId/tables/:table/access',
    result: 'json',
    client: 'getAccessPolicies',
  },
  dropTable: {
    method: 'DELETE',
    path: '/api/database/:databaseId/tables/:table',
    query: ['cascade'],
    result: 'none',
    client: 'dropTable',
  },
  insertRecords: {
    method: 'POST',
    path: '/api/database/:databaseId/records/create',
    input: z.object({ table: z.string(), rows: Rows, returning: z.boolean().optional() }).strict(),
    result: 'created',
    client: 'insertRows',
  },
  upsertRecords: {
    method: 'POST',
    path: '/api/database/:databaseId/records/upsert',
    input: z
      .object({
        table: z.string(),
        rows: Rows,
        onConflict: z.union([z.string(), z.array(z.string())]).optional(),
        resolution: z.enum(['merge', 'ignore']).optional(),
      })
      .strict(),
    result: 'json',
    client: 'upsertRows',
  },
  queryRecords: {
    method: 'POST',
    path: '/api/database/:databaseId/records/query',
    input: z.object({ table: z.string(), query: SelectQuerySchema.optional() }).strict(),
    result: 'json',
    client: 'selectRows',
  },
  updateRecords: {
    method: 'POST',
    path: '/api/database/:databaseId/records/update',
    input: z
      .object({ table: z.string(), where: Json, patch: Json, all: z.boolean().optional() })
      .strict(),
    result: 'json',
    client: 'updateRows',
  },
  deleteRecords: {
    method: 'POST',
    path: '/api/database/:databaseId/records/delete',
    input: z.object({ table: z.string(), where: Json, all: z.boolean().optional() }).strict(),
    result: 'json',
    client: 'deleteRows',
  },
  updateRecord: {
    method: 'PUT',
    path: '/api/database/:databaseId/records/:table/:recordId',
    input: z.object({ patch: Json }).strict(),
    result: 'json',
    client: null,
  },
  deleteRecord: {
    method: 'DELETE',
    path: '/api/database/:databaseId/records/:table/:recordId',
    result: 'json',
    client: null,
  },
  runSQL: {
    method: 'POST',
    path: '/api/database/:databaseId/sql',
    input: z
      .object({
        text: z.string(),
        params: z.array(z.unknown()).optional(),
        options: z
          .object({
            readOnly: z.boolean().optional(),
            timeoutMs: z.number().optional(),
            maxRows: z.number().optional(),
            dryRun: z.boolean().optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    result: 'json',
    client: 'runSQL',
  },
  exportDatabase: {
    method: 'POST',
    path: '/api/database/:databaseId/export',
    input: z
      .object({
        format: z.enum(['json', 'sql', 'csv']),
        table: z.string().optional(),
        tables: z.array(z.string()).max(1000).optional(),
        includeSecrets: z.boolean().optional(),
      })
      .strict(),
    result: 'export',
    client: 'exportDatabase',
  },
  importDatabase: {
    method: 'POST',
    path: '/api/database/:databaseId/import',
    input: z
      .object({
        format: z.enum(['json', 'sql', 'csv']),
        data: z.union([z.string(), z.record(z.string(), z.unknown())]),
        options: z
          .object({
            table: z.string().optional(),
            create: z.boolean().optional(),
            definition: Json.optional(),
            columns: z.record(z.string(), z.string().nullable()).optional(),
            delimiter: z.string().optional(),
            preview: z.number().int().min(1).max(1000).optional(),
            onError: z.enum(['abort', 'skip']).optional(),
            includeSecrets: z.boolean().optional(),
            dryRun: z.boolean().optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    result: 'json',
    client: 'importData',
  },
  listAPIKeys: {
    method: 'GET',
    path: '/api/database/:databaseId/keys',
    result: 'json',
    client: 'listAPIKeys',
  },
  createAPIKey: {
    method: 'POST',
    path: '/api/database/:databaseId/keys',
    input: z
      .object({ name: z.string().min(1).max(100), kind: z.enum(['anon', 'service']) })
      .strict(),
    result: 'created',
    client: 'createAPIKey',
  },
  revokeAPIKey: {
    method: 'DELETE',
    path: '/api/database/:databaseId/keys/:keyId',
    result: 'json',
    client: 'revokeAPIKey',
  },
  rotateJWTSecret: {
    method: 'POST',
    path: '/api/database/:databaseId/jwt-secret/rotate',
    input: z.object({ keepPrevious: z.boolean().optional() }).strict(),
    result: 'none',
    client: 'rotateJWTSecret',
  },
  // Auth checks the values (email, password, metadata); these fix the shapes both clients send.
  listEndUsers: {
    method: 'POST',
    path: '/api/database/:databaseId/users/query',
    input: z
      .object({
        search: z.string().max(200).optional(),
        orderBy: z
          .object({
            column: z.enum(['created_at', 'updated_at', 'email', 'full_name']),
            direction: z.enum(['asc', 'desc']).optional(),
          })
          .strict()
          .optional(),
        limit: z.number().int().min(1).max(1000).optional(),
        offset: z.number().int().min(0).max(1_000_000_000).optional(),
      })
      .strict(),
    result: 'json',
    client: 'listEndUsers',
  },
  createEndUser: {
    method: 'POST',
    path: '/api/database/:databaseId/users',
    input: z
      .object({
        email: z.string(),
        password: z.string().optional(),
        email_confirm: z.boolean().optional(),
        user_metadata: Json.optional(),
      })
      .strict(),
    result: 'created',
    client: 'createEndUser',
  },
  updateEndUser: {
    method: 'PATCH',
    path: '/api/database/:databaseId/users/:userId',
    input: z
      .object({
        email: z.string().optional(),
        disabled: z.boolean().optional(),
        user_metadata: Json.optional(),
      })
      .strict(),
    result: 'json',
    client: 'updateEndUser',
  },
  deleteEndUser: {
    method: 'DELETE',
    path: '/api/database/:databaseId/users/:userId',
    result: 'none',
    client: 'deleteEndUser',
  },
  sendPasswordReset: {
    method: 'POST',
    path: '/api/database/:databaseId/users/:userId/password-reset',
    result: 'json',
    client: 'sendPasswordReset',
  },
  revokeEndUserSessions: {
    method: 'DELETE',
    path: '/api/database/:databaseId/users/:userId/sessions',
    result: 'none',
    client: 'revokeEndUserSessions',
  },
  auditLog: {
    method: 'GET',
    path: '/api/database/:databaseId/audit',
    query: ['limit', 'cursor'],
    result: 'json',
    client: 'auditLog',
  },
  listSchemaTemplates: {
    method: 'GET',
    path: '/api/ai/templates',
    result: 'json',
    client: 'listSchemaTemplates',
  },
  getSchemaTemplate: {
    method: 'GET',
    path: '/api/ai/templates/:templateId',
    result: 'json',
    client: 'getSchemaTemplate',
  },
  // The AI operations check the database first, then the body (the tables stream, see ai.ts).
  generateTables: {
    method: 'POST',
    path: '/api/database/:databaseId/ai/tables/generate',
    input: z
      .object({ description: z.string().trim().min(1).max(10_000), current: Tables.optional() })
      .strict(),
    result: 'ndjson',
    client: 'generateTables',
  },
  refineTables: {
    method: 'POST',
    path: '/api/database/:databaseId/ai/tables/refine',
    input: z
      .object({
        messages: z
          .array(
            z
              .object({
                role: z.enum(['user', 'assistant']),
                content: z.string().trim().min(1).max(10_000),
              })
              .strict(),
          )
          .min(1)
          .max(50),
        current: Tables.optional(),
      })
      .strict(),
    result: 'ndjson',
    client: 'refineTables',
  },
  generateSQL: {
    method: 'POST',
    path: '/api/database/:databaseId/ai/sql',
    input: z
      .object({ question: z.string().trim().min(1).max(4000), allowWrites: z.boolean().optional() })
      .strict(),
    result: 'json',
    client: 'generateSQL',
  },
} as const satisfies Record<string, ManagementOperation>

/** The id of an operation of {@link MANAGEMENT_API} (its OpenAPI `operationId`). */
export type ManagementOperationId = keyof typeof MANAGEMENT_API

/** The operations that take a JSON request body. */
export type ManagementInputOperationId = {
  [K in ManagementOperationId]: (typeof MANAGEMENT_API)[K] extends { input: z.ZodType } ? K : never
}[ManagementOperationId]

/** The request body of an operation, as its schema gives it after parsing. */
export type ManagementInput<K extends ManagementInputOperationId> = z.output<
  (typeof MANAGEMENT_API)[K]['input']
>

/**
 * Checks a value that becomes one URL path segment. Empty, `.` and `..` can name nothing, and
 * remotely would change the path (the URL parser resolves dot segments even when
 * percent-encoded), so both clients answer `NOT_FOUND`, naming the parameter's noun.
 */
export function checkPathSegment(value: unknown, parameter: ManagementPathParameter): string {
  if (typeof value !== 'string' || value === '' || value === '.' || value === '..') {
    throw new BaseboxError(
      'NOT_FOUND',
      `${MANAGEMENT_PATH_PARAMETERS[parameter]} ${JSON.stringify(String(value).slice(0, 80))} not found`,
    )
  }
  return value
}

/**
 * The URL path of an operation, each `:name` replaced by `params[name]`, checked with
 * {@link checkPathSegment} and percent-encoded.
 */
export function managementPath(
  id: ManagementOperationId,
  params: Partial<Record<ManagementPathParameter, string>> = {},
): string {
  return MANAGEMENT_API[id].path.replace(/:(\w+)/g, (_match, name: string) =>
    encodeURIComponent(
      checkPathSegment(params[name as ManagementPathParameter], name as ManagementPathParameter),
    ),
  )
}

/**
 * Parses an operation's request body with its schema from {@link MANAGEMENT_API}; a
 * `ValidationError` (`VALIDATION_FAILED`) with `message` and the zod issues when it does not fit.
 */
export function parseManagementInput<K extends ManagementInputOperationId>(
  id: K,
  body: unknown,
  message = 'invalid request body',
): ManagementInput<K> {
  const parsed = (MANAGEMENT_API[id].input as z.ZodType).safeParse(body)
  if (!parsed.success) {
    throw toValidationError(message, parsed.error)
  }
  return parsed.data as ManagementInput<K>
}

/**
 * The options of `keys` that are set: what both clients pass on to an operation, so that the
 * server's strict bodies never see an unknown or an `undefined` option (nor internals such as
 * `allowSecret`). @internal
 */
export function definedOptions<T extends object, K extends keyof T>(
  options: T | undefined,
  keys: K[],
): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {}
  for (const key of keys) {
    if (options?.[key] !== undefined) {
      out[key] = options[key]
    }
  }
  return out
}
