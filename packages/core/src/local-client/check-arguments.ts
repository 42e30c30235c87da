import {
  BaseboxError,
  SelectQuerySchema,
  TableDefinition,
  toValidationError,
  type Filter,
  type TableDefinitionInput,
} from '@basebox/client'
import { z } from 'zod'
import { ChangePlanInput } from '../ddl/plan-step.js'

// The same shapes the management API checks request bodies against (server/src/routes/
// management.ts `MANAGEMENT_SCHEMAS`), so that the local client refuses what the remote one is
// refused, with the same code and before the database is looked up.
const Json = z.record(z.string(), z.unknown())
const Rows = z.union([Json, z.array(Json)])

/**
 * The request bodies of the management API that both the server and the local client check, so
 * that both refuse the same input with the same code. The server adds its transport-only ones.
 */
export const MANAGEMENT_REQUEST_SCHEMAS = {
  createProject: z.object({ name: z.string().min(1).max(200), description: z.string().max(2000).nullable().optional() }).strict(),
  updateProject: z.object({ name: z.string().min(1).max(200).optional(), description: z.string().max(2000).nullable().optional() }).strict(),
  createDatabase: z.object({ projectId: z.string().uuid(), name: z.string().min(1).max(200).optional() }).strict(),
  createTable: z.object({ definition: TableDefinition }).strict(),
  planChanges: z
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
  applyPlan: ChangePlanInput,
  runSQL: z
    .object({
      text: z.string(),
      params: z.array(z.unknown()).optional(),
      options: z.object({ readOnly: z.boolean().optional(), timeoutMs: z.number().optional(), maxRows: z.number().optional(), dryRun: z.boolean().optional() }).strict().optional(),
    })
    .strict(),
  createApiKey: z.object({ name: z.string().min(1).max(100), kind: z.enum(['anon', 'service']) }).strict(),
  rotateJwtSecret: z.object({ keepPrevious: z.boolean().optional() }).strict(),
  // Auth checks the values (email, password, metadata); these fix the shapes both clients send.
  listEndUsers: z
    .object({
      search: z.string().max(200).optional(),
      orderBy: z
        .object({ column: z.enum(['created_at', 'updated_at', 'email', 'full_name']), direction: z.enum(['asc', 'desc']).optional() })
        .strict()
        .optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      offset: z.number().int().min(0).max(1_000_000_000).optional(),
    })
    .strict(),
  createEndUser: z.object({ email: z.string(), password: z.string().optional(), email_confirm: z.boolean().optional(), user_metadata: Json.optional() }).strict(),
  updateEndUser: z.object({ email: z.string().optional(), disabled: z.boolean().optional(), user_metadata: Json.optional() }).strict(),
  exportDatabase: z
    .object({ format: z.enum(['json', 'sql', 'csv']), table: z.string().optional(), tables: z.array(z.string()).max(1000).optional(), includeSecrets: z.boolean().optional() })
    .strict(),
  importDatabase: z
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
} as const

const SCHEMAS = {
  ...MANAGEMENT_REQUEST_SCHEMAS,
  writeRows: z.object({ table: z.string(), rows: Rows }),
  selectRows: z.object({ table: z.string(), query: SelectQuerySchema.optional() }),
  updateRows: z.object({ table: z.string(), where: Json, patch: Json, all: z.boolean().optional() }),
  deleteRows: z.object({ table: z.string(), where: Json, all: z.boolean().optional() }),
} as const

type Schemas = typeof SCHEMAS

// `undefined` fields are left out, as JSON leaves them out of a request body.
function defined(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined))
}

function parse<K extends keyof Schemas>(name: K, input: unknown): z.output<Schemas[K]> {
  const value = typeof input === 'object' && input !== null && !Array.isArray(input) ? defined(input as Record<string, unknown>) : input
  const parsed = SCHEMAS[name].safeParse(value)
  if (!parsed.success) {
    throw toValidationError('invalid arguments', parsed.error)
  }
  return parsed.data as z.output<Schemas[K]>
}

/**
 * A name or id that becomes one URL path segment in remote mode: empty, `.` and `..` can never
 * name anything, and remotely would change the path, so both clients answer `NOT_FOUND`.
 */
function pathSegment(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '' || value === '.' || value === '..') {
    throw new BaseboxError('NOT_FOUND', `${what} ${JSON.stringify(String(value).slice(0, 80))} not found`)
  }
  return value
}

/** The checks the local client runs before it calls the engine. @internal */
export const checkArguments = {
  pathSegment,
  createProject: (input: unknown) => parse('createProject', input),
  updateProject: (input: unknown) => parse('updateProject', input),
  createDatabase: (projectId: unknown, input: unknown) =>
    parse('createDatabase', { ...(typeof input === 'object' && input !== null ? input : {}), projectId }),
  createTable: (definition: unknown): TableDefinitionInput => parse('createTable', { definition }).definition,
  planChanges: (wanted: unknown, options: unknown) => parse('planChanges', { wanted, options }),
  applyPlan: (plan: unknown) => parse('applyPlan', { steps: (plan as { steps?: unknown } | undefined)?.steps }),
  writeRows: (table: unknown, rows: unknown) => parse('writeRows', { table, rows }),
  selectRows: (table: unknown, query: unknown) => parse('selectRows', { table, query }),
  updateRows: (table: unknown, where: unknown, patch: unknown, all: unknown) => {
    const checked = parse('updateRows', { table, where, patch, all })
    return { ...checked, where: checked.where as Filter, all: checked.all ?? false }
  },
  deleteRows: (table: unknown, where: unknown, all: unknown) => {
    const checked = parse('deleteRows', { table, where, all })
    return { ...checked, where: checked.where as Filter, all: checked.all ?? false }
  },
  runSQL: (text: unknown, params: unknown, options: unknown) => parse('runSQL', { text, params, options }),
  createApiKey: (input: unknown) => parse('createApiKey', input),
  rotateJwtSecret: (options: unknown) => parse('rotateJwtSecret', options ?? {}),
  listEndUsers: (options: unknown) => parse('listEndUsers', options ?? {}),
  createEndUser: (input: unknown) => parse('createEndUser', input),
  updateEndUser: (changes: unknown) => parse('updateEndUser', changes),
  exportDatabase: (options: unknown) => parse('exportDatabase', options),
  importDatabase: (data: unknown, options: unknown) => {
    const { format, ...rest } = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>
    return parse('importDatabase', { format, data, options: Object.keys(defined(rest)).length === 0 ? undefined : rest })
  },
}
