import {
  BaseboxError,
  MANAGEMENT_API,
  parseManagementInput,
  type Filter,
  type ManagementInput,
  type ManagementInputOperationId,
  type ManagementOperationId,
} from '@basebox/client'
import type { Auth } from '@basebox/auth'
import type { DatabaseHandle, OwnerScope } from '@basebox/core'
import { exportDatabase, importFromRequest } from '@basebox/core'
import type { z } from 'zod'
import { jsonAnswer, readJSON, type Answer } from '../body.js'
import type { Router } from '../router.js'
import { AI_IMPLEMENTATIONS, type AIContext } from './ai.js'

/** What management routes get: the caller's owner scope and the handler's limits. */
export interface ManagementContext {
  owner: OwnerScope
  maxBodyBytes: number
  /** End-user auth, for the API key routes; without it they answer `UNSUPPORTED`. */
  auth?: Auth
  /** The AI routes' provider and rate limit (see `./ai.ts`). */
  ai?: AIContext
}

type InputSchemas = { [K in ManagementInputOperationId]: (typeof MANAGEMENT_API)[K]['input'] }
/** The AI bodies keep their historical keys in {@link MANAGEMENT_SCHEMAS}. @internal */
export const AI_SCHEMA_KEYS = {
  generateTables: 'aiGenerateTables',
  refineTables: 'aiRefineTables',
  generateSQL: 'aiGenerateSQL',
} as const
type SchemaKey<K extends ManagementInputOperationId> = K extends keyof typeof AI_SCHEMA_KEYS
  ? (typeof AI_SCHEMA_KEYS)[K]
  : K

/**
 * The request bodies of the management API, by operation: the schemas of `MANAGEMENT_API` from
 * `@basebox/client`, which validate requests and make the OpenAPI document.
 */
export const MANAGEMENT_SCHEMAS = Object.fromEntries(
  Object.entries(MANAGEMENT_API).flatMap(([id, operation]) =>
    'input' in operation
      ? [[(AI_SCHEMA_KEYS as Record<string, string>)[id] ?? id, operation.input]]
      : [],
  ),
) as { [K in ManagementInputOperationId as SchemaKey<K>]: InputSchemas[K] } satisfies Record<
  string,
  z.ZodType
>

/** One call of a management operation, as its implementation gets it. */
export interface ManagementCall<K extends ManagementOperationId> {
  readonly request: Request
  /** The path parameters, URI-decoded. */
  readonly params: Record<string, string>
  readonly context: ManagementContext
  /** Reads the JSON body and parses it with the operation's schema (`VALIDATION_FAILED` when it does not fit). */
  readonly input: () => Promise<K extends ManagementInputOperationId ? ManagementInput<K> : never>
}

/**
 * What an operation's implementation resolves to: the value its `result` answers as JSON (201
 * for `created`, nothing for `none`), or the whole answer (a text or a streamed `Response`) for `ndjson` and `export`.
 */
export type ManagementImplementation<K extends ManagementOperationId> = (
  call: ManagementCall<K>,
) => Promise<(typeof MANAGEMENT_API)[K]['result'] extends 'ndjson' | 'export' ? Answer : unknown>

/** An implementation for every operation of `MANAGEMENT_API`. @internal */
export type ManagementImplementations = {
  [K in ManagementOperationId]: ManagementImplementation<K>
}

async function primaryKeyFilter(
  owner: OwnerScope,
  databaseId: string,
  table: string,
  recordId: string,
): Promise<Filter> {
  const info = await (await owner.databaseById(databaseId)).getTable(table)
  const pk = info.definition.columns.find((c) => c.primary_key === true)
  if (pk === undefined) {
    throw new BaseboxError(
      'UNSUPPORTED',
      `${JSON.stringify(table)} has no primary key: use records/update or records/delete with a filter`,
    )
  }
  return { [pk.name]: recordId }
}

function keys(context: ManagementContext, database: DatabaseHandle) {
  if (context.auth === undefined) {
    throw new BaseboxError(
      'UNSUPPORTED',
      'API keys and end users need end-user auth: pass auth to createHandler',
    )
  }
  return context.auth.forDatabase(database)
}

const db = ({ context, params }: ManagementCall<ManagementOperationId>) =>
  context.owner.databaseById(params.databaseId!)

function csvResponse(
  database: DatabaseHandle,
  table: string,
  includeSecrets: boolean,
): Promise<Response> {
  return (async () => {
    const chunks = exportDatabase(database, { format: 'csv', table, includeSecrets })[
      Symbol.asyncIterator
    ]()
    // Read the first page before answering, so a bad table is a 4xx; then stream the rest.
    const first = await chunks.next()
    const encoder = new TextEncoder()
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        if (!first.done) {
          controller.enqueue(encoder.encode(first.value))
        }
      },
      async pull(controller) {
        if (first.done) {
          controller.close()
          return
        }
        const next = await chunks.next()
        if (next.done) {
          controller.close()
        } else {
          controller.enqueue(encoder.encode(next.value))
        }
      },
      async cancel() {
        // The client went away: end the export now, releasing its snapshot transaction.
        await chunks.return?.(undefined)
      },
    })
    return new Response(stream, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${table}.csv"`,
      },
    })
  })()
}

const IMPLEMENTATIONS: ManagementImplementations = {
  listProjects: async ({ context }) => context.owner.listProjects(),
  createProject: async ({ context, input }) => context.owner.createProject(await input()),
  getProject: async ({ context, params }) => context.owner.getProject(params.projectId!),
  updateProject: async ({ context, params, input }) =>
    context.owner.updateProject(params.projectId!, await input()),
  deleteProject: async ({ context, params }) => context.owner.deleteProject(params.projectId!),
  getProjectDatabase: async ({ context, params }) => context.owner.getDatabase(params.projectId!),
  deleteDatabase: async ({ context, params }) => context.owner.deleteDatabase(params.projectId!),
  createDatabase: async ({ context, input }) => {
    const body = await input()
    const created = await context.owner.createDatabase(
      body.projectId,
      body.name === undefined ? {} : { name: body.name },
    )
    return {
      database: created.info,
      tables: await created.listTables(),
      message: 'Database created with users table',
    }
  },
  getDatabase: async (call) => (await db(call)).info,
  listTables: async (call) => (await db(call)).listTables(),
  createTable: async (call) => {
    const body = await call.input()
    return (await db(call)).createTable(body.definition)
  },
  planChanges: async (call) => {
    const body = await call.input()
    return (await db(call)).planChanges(body.wanted, body.options ?? {})
  },
  applyPlan: async (call) => (await db(call)).applyPlan(await call.input()),
  getTable: async (call) => (await db(call)).getTable(call.params.table!),
  getAccessPolicies: async (call) => (await db(call)).accessPolicies(call.params.table!),
  dropTable: async (call) => {
    const cascade = new URL(call.request.url).searchParams.get('cascade') === 'true'
    await (await db(call)).dropTable(call.params.table!, { cascade })
  },
  insertRecords: async (call) => {
    const body = await call.input()
    return (await db(call)).insert(
      body.table,
      body.rows,
      body.returning === undefined ? {} : { returning: body.returning },
    )
  },
  upsertRecords: async (call) => {
    const { table, rows, ...options } = await call.input()
    return (await db(call)).upsert(table, rows, options)
  },
  queryRecords: async (call) => {
    const body = await call.input()
    return (await db(call)).select(body.table, body.query ?? {})
  },
  updateRecords: async (call) => {
    const body = await call.input()
    return (await db(call)).update(body.table, body.where as Filter, body.patch, {
      all: body.all ?? false,
    })
  },
  deleteRecords: async (call) => {
    const body = await call.input()
    return (await db(call)).delete(body.table, body.where as Filter, { all: body.all ?? false })
  },
  updateRecord: async (call) => {
    const body = await call.input()
    const { params } = call
    const where = await primaryKeyFilter(
      call.context.owner,
      params.databaseId!,
      params.table!,
      params.recordId!,
    )
    const [row] = await (await db(call)).update(params.table!, where, body.patch)
    if (row === undefined) {
      throw new BaseboxError('NOT_FOUND', 'record not found')
    }
    return row
  },
  deleteRecord: async (call) => {
    const { params } = call
    const where = await primaryKeyFilter(
      call.context.owner,
      params.databaseId!,
      params.table!,
      params.recordId!,
    )
    const [row] = await (await db(call)).delete(params.table!, where)
    if (row === undefined) {
      throw new BaseboxError('NOT_FOUND', 'record not found')
    }
    return row
  },
  runSQL: async (call) => {
    const body = await call.input()
    // A client that goes away (or aborts its call) stops the statement, and nothing is committed.
    return (await db(call)).sql(body.text, body.params ?? [], {
      ...body.options,
      signal: call.request.signal,
    })
  },
  exportDatabase: async (call) => {
    const body = await call.input()
    const database = await db(call)
    const includeSecrets = body.includeSecrets === true
    const only = {
      ...(body.table === undefined ? {} : { table: body.table }),
      ...(body.tables === undefined ? {} : { tables: body.tables }),
    }
    if (body.format === 'json') {
      return jsonAnswer(await exportDatabase(database, { format: 'json', includeSecrets, ...only }))
    }
    if (body.format === 'sql') {
      return {
        status: 200,
        headers: { 'content-type': 'application/sql; charset=utf-8' },
        text: await exportDatabase(database, { format: 'sql', includeSecrets, ...only }),
      }
    }
    if (body.table === undefined || body.tables !== undefined) {
      throw new BaseboxError('VALIDATION_FAILED', 'a CSV export needs one table, as table')
    }
    return csvResponse(database, body.table, includeSecrets)
  },
  importDatabase: async (call) => {
    const body = await call.input()
    // A client that goes away (or aborts its call) before the commit rolls the import back.
    return importFromRequest(await db(call), body, { signal: call.request.signal })
  },
  listAPIKeys: async (call) => keys(call.context, await db(call)).listAPIKeys(),
  createAPIKey: async (call) => {
    const body = await call.input()
    const database = await db(call)
    // A key grants writes through the data API: a read-only owner may not mint one.
    database.assertWritable('creating an API key')
    const created = await keys(call.context, database).createAPIKey(body)
    await database.recordAudit('keys.create', {
      id: created.id,
      name: created.name,
      kind: created.kind,
      prefix: created.prefix,
    })
    return created
  },
  revokeAPIKey: async (call) => {
    const database = await db(call)
    database.assertWritable('revoking an API key')
    const revoked = await keys(call.context, database).revokeAPIKey(call.params.keyId!)
    await database.recordAudit('keys.revoke', { id: revoked.id, prefix: revoked.prefix })
    return revoked
  },
  rotateJWTSecret: async (call) => {
    const body = await call.input()
    const database = await db(call)
    database.assertWritable('rotating the JWT secret')
    const keepPrevious = body.keepPrevious ?? true
    await keys(call.context, database).rotateJWTSecret({ keepPrevious })
    await database.recordAudit('jwt_secret.rotate', { keep_previous: keepPrevious })
  },
  listEndUsers: async (call) => {
    const body = await call.input()
    return keys(call.context, await db(call)).admin.list(body)
  },
  createEndUser: async (call) => {
    const body = await call.input()
    const database = await db(call)
    database.assertWritable('creating an end user')
    const user = await keys(call.context, database).admin.create(body)
    await database.recordAudit('users.create', { id: user.id })
    return user
  },
  updateEndUser: async (call) => {
    const body = await call.input()
    const database = await db(call)
    database.assertWritable('changing an end user')
    const user = await keys(call.context, database).admin.update(call.params.userId!, body)
    await database.recordAudit('users.update', {
      id: user.id,
      fields: Object.keys(body).sort(),
      ...(body.disabled === undefined ? {} : { disabled: body.disabled }),
    })
    return user
  },
  deleteEndUser: async (call) => {
    const database = await db(call)
    database.assertWritable('deleting an end user')
    await keys(call.context, database).admin.delete(call.params.userId!)
    await database.recordAudit('users.delete', { id: call.params.userId! })
  },
  sendPasswordReset: async (call) => {
    const database = await db(call)
    database.assertWritable('sending a password reset')
    const sent = await keys(call.context, database).admin.sendPasswordReset(call.params.userId!)
    await database.recordAudit('users.password_reset', { id: call.params.userId! })
    return sent
  },
  revokeEndUserSessions: async (call) => {
    const database = await db(call)
    database.assertWritable("ending an end user's sessions")
    const revoked = await keys(call.context, database).admin.revokeSessions(call.params.userId!)
    await database.recordAudit('users.sessions_revoke', { id: call.params.userId!, revoked })
  },
  auditLog: async (call) => {
    const search = new URL(call.request.url).searchParams
    const limit = search.get('limit')
    return (await db(call)).auditLog({
      ...(limit === null ? {} : { limit: Number(limit) }),
      cursor: search.get('cursor'),
    })
  },
  ...AI_IMPLEMENTATIONS,
}

const NO_CONTENT: Answer = { status: 204, headers: {}, text: null }

/** Answers a call as the operation's `result` says: JSON (200 or 201), 204, or the implementation's own answer. */
function answer(
  result: (typeof MANAGEMENT_API)[ManagementOperationId]['result'],
  value: unknown,
): Answer {
  switch (result) {
    case 'json':
      return jsonAnswer(value)
    case 'created':
      return jsonAnswer(value, 201)
    case 'none':
      return NO_CONTENT
    case 'ndjson':
    case 'export':
      return value as Answer
  }
  return result satisfies never
}

/**
 * The management API of the original plan, for the host product's own users: projects,
 * databases, tables and plans, records, SQL, the audit log, API keys, end users, export and
 * import, and AI. One route per operation of `MANAGEMENT_API` (from `@basebox/client`), in its
 * order; every route acts for the caller's owner scope only.
 */
export function addManagementRoutes(router: Router<ManagementContext>): void {
  for (const id of Object.keys(MANAGEMENT_API) as ManagementOperationId[]) {
    const operation = MANAGEMENT_API[id]
    const implementation = IMPLEMENTATIONS[id] as ManagementImplementation<ManagementOperationId>
    router.on(operation.method, operation.path, async (request, params, context) => {
      const input = async () =>
        parseManagementInput(
          id as ManagementInputOperationId,
          await readJSON(request, context.maxBodyBytes),
        ) as never
      return answer(operation.result, await implementation({ request, params, context, input }))
    })
  }
}
