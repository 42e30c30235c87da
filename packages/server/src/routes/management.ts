import { BaseboxError, SelectQuerySchema, toValidationError, type Filter } from '@basebox/client'
import type { Auth } from '@basebox/auth'
import type { DatabaseHandle, OwnerScope } from '@basebox/core'
import { exportDatabase, importFromRequest, MANAGEMENT_REQUEST_SCHEMAS } from '@basebox/core'
import { z } from 'zod'
import { json, readJSON } from '../body.js'
import type { Router } from '../router.js'
import { addAIRoutes, AI_SCHEMAS, type AIContext } from './ai.js'

/** What management routes get: the caller's owner scope and the handler's limits. */
export interface ManagementContext {
  owner: OwnerScope
  maxBodyBytes: number
  /** End-user auth, for the API key routes; without it they answer `UNSUPPORTED`. */
  auth?: Auth
  /** The AI routes' provider and rate limit (see `./ai.ts`). */
  ai?: AIContext
}

const Json = z.record(z.string(), z.unknown())

/** The request bodies of the management API, by operation: they validate requests and make the OpenAPI document. */
export const MANAGEMENT_SCHEMAS = {
  ...MANAGEMENT_REQUEST_SCHEMAS,
  insertRecords: z.object({ table: z.string(), rows: z.union([Json, z.array(Json)]), returning: z.boolean().optional() }).strict(),
  upsertRecords: z
    .object({
      table: z.string(),
      rows: z.union([Json, z.array(Json)]),
      onConflict: z.union([z.string(), z.array(z.string())]).optional(),
      resolution: z.enum(['merge', 'ignore']).optional(),
    })
    .strict(),
  queryRecords: z.object({ table: z.string(), query: SelectQuerySchema.optional() }).strict(),
  updateRecords: z.object({ table: z.string(), where: Json, patch: Json, all: z.boolean().optional() }).strict(),
  deleteRecords: z.object({ table: z.string(), where: Json, all: z.boolean().optional() }).strict(),
  updateRecord: z.object({ patch: Json }).strict(),
  aiGenerateTables: AI_SCHEMAS.generateTables,
  aiRefineTables: AI_SCHEMAS.refineTables,
  aiGenerateSQL: AI_SCHEMAS.generateSQL,
} as const

async function body<T extends z.ZodType>(request: Request, schema: T, context: ManagementContext): Promise<z.output<T>> {
  const parsed = schema.safeParse(await readJSON(request, context.maxBodyBytes))
  if (!parsed.success) {
    throw toValidationError('invalid request body', parsed.error)
  }
  return parsed.data
}

async function primaryKeyFilter(owner: OwnerScope, databaseId: string, table: string, recordId: string): Promise<Filter> {
  const info = await (await owner.databaseById(databaseId)).getTable(table)
  const pk = info.definition.columns.find((c) => c.primary_key === true)
  if (pk === undefined) {
    throw new BaseboxError('UNSUPPORTED', `${JSON.stringify(table)} has no primary key: use records/update or records/delete with a filter`)
  }
  return { [pk.name]: recordId }
}

function keys(context: ManagementContext, database: DatabaseHandle) {
  if (context.auth === undefined) {
    throw new BaseboxError('UNSUPPORTED', 'API keys and end users need end-user auth: pass auth to createHandler')
  }
  return context.auth.forDatabase(database)
}

/**
 * The management API of the original plan, for the host product's own users: projects,
 * databases, tables and plans, records, SQL and the audit log. Every route acts for the
 * caller's owner scope only.
 */
export function addManagementRoutes(router: Router<ManagementContext>): void {
  const db = (context: ManagementContext, params: Record<string, string>) => context.owner.databaseById(params.databaseId!)
  router
    .on('GET', '/api/projects', async (_r, _p, c) => json(await c.owner.listProjects()))
    .on('POST', '/api/projects', async (r, _p, c) => json(await c.owner.createProject(await body(r, MANAGEMENT_SCHEMAS.createProject, c)), 201))
    .on('GET', '/api/projects/:projectId', async (_r, p, c) => json(await c.owner.getProject(p.projectId!)))
    .on('PATCH', '/api/projects/:projectId', async (r, p, c) => json(await c.owner.updateProject(p.projectId!, await body(r, MANAGEMENT_SCHEMAS.updateProject, c))))
    .on('DELETE', '/api/projects/:projectId', async (_r, p, c) => {
      await c.owner.deleteProject(p.projectId!)
      return new Response(null, { status: 204 })
    })
    .on('GET', '/api/projects/:projectId/database', async (_r, p, c) => json(await c.owner.getDatabase(p.projectId!)))
    .on('DELETE', '/api/projects/:projectId/database', async (_r, p, c) => {
      await c.owner.deleteDatabase(p.projectId!)
      return new Response(null, { status: 204 })
    })
    .on('POST', '/api/database/create', async (r, _p, c) => {
      const input = await body(r, MANAGEMENT_SCHEMAS.createDatabase, c)
      const created = await c.owner.createDatabase(input.projectId, input.name === undefined ? {} : { name: input.name })
      return json({ database: created.info, tables: await created.listTables(), message: 'Database created with users table' }, 201)
    })
    .on('GET', '/api/database/:databaseId', async (_r, p, c) => json((await db(c, p)).info))
    .on('GET', '/api/database/:databaseId/tables', async (_r, p, c) => json(await (await db(c, p)).listTables()))
    .on('POST', '/api/database/:databaseId/tables/create', async (r, p, c) => {
      const input = await body(r, MANAGEMENT_SCHEMAS.createTable, c)
      return json(await (await db(c, p)).createTable(input.definition), 201)
    })
    .on('POST', '/api/database/:databaseId/tables/plan', async (r, p, c) => {
      const input = await body(r, MANAGEMENT_SCHEMAS.planChanges, c)
      return json(await (await db(c, p)).planChanges(input.wanted, input.options ?? {}))
    })
    .on('POST', '/api/database/:databaseId/tables/apply', async (r, p, c) => json(await (await db(c, p)).applyPlan(await body(r, MANAGEMENT_SCHEMAS.applyPlan, c))))
    .on('GET', '/api/database/:databaseId/tables/:table', async (_r, p, c) => json(await (await db(c, p)).getTable(p.table!)))
    .on('GET', '/api/database/:databaseId/tables/:table/access', async (_r, p, c) => json(await (await db(c, p)).accessPolicies(p.table!)))
    .on('DELETE', '/api/database/:databaseId/tables/:table', async (r, p, c) => {
      const cascade = new URL(r.url).searchParams.get('cascade') === 'true'
      await (await db(c, p)).dropTable(p.table!, { cascade })
      return new Response(null, { status: 204 })
    })
    .on('POST', '/api/database/:databaseId/records/create', async (r, p, c) => {
      const input = await body(r, MANAGEMENT_SCHEMAS.insertRecords, c)
      return json(await (await db(c, p)).insert(input.table, input.rows, input.returning === undefined ? {} : { returning: input.returning }), 201)
    })
    .on('POST', '/api/database/:databaseId/records/upsert', async (r, p, c) => {
      const { table, rows, ...options } = await body(r, MANAGEMENT_SCHEMAS.upsertRecords, c)
      return json(await (await db(c, p)).upsert(table, rows, options))
    })
    .on('POST', '/api/database/:databaseId/records/query', async (r, p, c) => {
      const input = await body(r, MANAGEMENT_SCHEMAS.queryRecords, c)
      return json(await (await db(c, p)).select(input.table, input.query ?? {}))
    })
    .on('POST', '/api/database/:databaseId/records/update', async (r, p, c) => {
      const input = await body(r, MANAGEMENT_SCHEMAS.updateRecords, c)
      return json(await (await db(c, p)).update(input.table, input.where as Filter, input.patch, { all: input.all ?? false }))
    })
    .on('POST', '/api/database/:databaseId/records/delete', async (r, p, c) => {
      const input = await body(r, MANAGEMENT_SCHEMAS.deleteRecords, c)
      return json(await (await db(c, p)).delete(input.table, input.where as Filter, { all: input.all ?? false }))
    })
    .on('PUT', '/api/database/:databaseId/records/:table/:recordId', async (r, p, c) => {
      const input = await body(r, MANAGEMENT_SCHEMAS.updateRecord, c)
      const where = await primaryKeyFilter(c.owner, p.databaseId!, p.table!, p.recordId!)
      const [row] = await (await db(c, p)).update(p.table!, where, input.patch)
      if (row === undefined) {
        throw new BaseboxError('NOT_FOUND', 'record not found')
      }
      return json(row)
    })
    .on('DELETE', '/api/database/:databaseId/records/:table/:recordId', async (_r, p, c) => {
      const where = await primaryKeyFilter(c.owner, p.databaseId!, p.table!, p.recordId!)
      const [row] = await (await db(c, p)).delete(p.table!, where)
      if (row === undefined) {
        throw new BaseboxError('NOT_FOUND', 'record not found')
      }
      return json(row)
    })
    .on('POST', '/api/database/:databaseId/sql', async (r, p, c) => {
      const input = await body(r, MANAGEMENT_SCHEMAS.runSQL, c)
      return json(await (await db(c, p)).sql(input.text, input.params ?? [], input.options ?? {}))
    })
    .on('POST', '/api/database/:databaseId/export', async (r, p, c) => {
      const input = await body(r, MANAGEMENT_SCHEMAS.exportDatabase, c)
      const database = await db(c, p)
      const includeSecrets = input.includeSecrets === true
      const only = { ...(input.table === undefined ? {} : { table: input.table }), ...(input.tables === undefined ? {} : { tables: input.tables }) }
      if (input.format === 'json') {
        return json(await exportDatabase(database, { format: 'json', includeSecrets, ...only }))
      }
      if (input.format === 'sql') {
        return new Response(await exportDatabase(database, { format: 'sql', includeSecrets, ...only }), { headers: { 'content-type': 'application/sql; charset=utf-8' } })
      }
      if (input.table === undefined || input.tables !== undefined) {
        throw new BaseboxError('VALIDATION_FAILED', 'a CSV export needs one table, as table')
      }
      const chunks = exportDatabase(database, { format: 'csv', table: input.table, includeSecrets })[Symbol.asyncIterator]()
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
      return new Response(stream, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${input.table}.csv"` } })
    })
    .on('POST', '/api/database/:databaseId/import', async (r, p, c) => {
      const input = await body(r, MANAGEMENT_SCHEMAS.importDatabase, c)
      return json(await importFromRequest(await db(c, p), input))
    })
    .on('GET', '/api/database/:databaseId/keys', async (_r, p, c) => json(await keys(c, await db(c, p)).listApiKeys()))
    .on('POST', '/api/database/:databaseId/keys', async (r, p, c) => {
      const input = await body(r, MANAGEMENT_SCHEMAS.createApiKey, c)
      const database = await db(c, p)
      // A key grants writes through the data API: a read-only owner may not mint one.
      database.assertWritable('creating an API key')
      const created = await keys(c, database).createApiKey(input)
      await database.recordAudit('keys.create', { id: created.id, name: created.name, kind: created.kind, prefix: created.prefix })
      return json(created, 201)
    })
    .on('DELETE', '/api/database/:databaseId/keys/:keyId', async (_r, p, c) => {
      const database = await db(c, p)
      database.assertWritable('revoking an API key')
      const revoked = await keys(c, database).revokeApiKey(p.keyId!)
      await database.recordAudit('keys.revoke', { id: revoked.id, prefix: revoked.prefix })
      return json(revoked)
    })
    .on('POST', '/api/database/:databaseId/jwt-secret/rotate', async (r, p, c) => {
      const input = await body(r, MANAGEMENT_SCHEMAS.rotateJwtSecret, c)
      const database = await db(c, p)
      database.assertWritable('rotating the JWT secret')
      const keepPrevious = input.keepPrevious ?? true
      await keys(c, database).rotateJwtSecret({ keepPrevious })
      await database.recordAudit('jwt_secret.rotate', { keep_previous: keepPrevious })
      return new Response(null, { status: 204 })
    })
    .on('POST', '/api/database/:databaseId/users/query', async (r, p, c) => {
      const input = await body(r, MANAGEMENT_SCHEMAS.listEndUsers, c)
      return json(await keys(c, await db(c, p)).admin.list(input))
    })
    .on('POST', '/api/database/:databaseId/users', async (r, p, c) => {
      const input = await body(r, MANAGEMENT_SCHEMAS.createEndUser, c)
      const database = await db(c, p)
      database.assertWritable('creating an end user')
      const user = await keys(c, database).admin.create(input)
      await database.recordAudit('users.create', { id: user.id })
      return json(user, 201)
    })
    .on('PATCH', '/api/database/:databaseId/users/:userId', async (r, p, c) => {
      const input = await body(r, MANAGEMENT_SCHEMAS.updateEndUser, c)
      const database = await db(c, p)
      database.assertWritable('changing an end user')
      const user = await keys(c, database).admin.update(p.userId!, input)
      await database.recordAudit('users.update', { id: user.id, fields: Object.keys(input).sort(), ...(input.disabled === undefined ? {} : { disabled: input.disabled }) })
      return json(user)
    })
    .on('DELETE', '/api/database/:databaseId/users/:userId', async (_r, p, c) => {
      const database = await db(c, p)
      database.assertWritable('deleting an end user')
      await keys(c, database).admin.delete(p.userId!)
      await database.recordAudit('users.delete', { id: p.userId! })
      return new Response(null, { status: 204 })
    })
    .on('POST', '/api/database/:databaseId/users/:userId/password-reset', async (_r, p, c) => {
      const database = await db(c, p)
      database.assertWritable('sending a password reset')
      const sent = await keys(c, database).admin.sendPasswordReset(p.userId!)
      await database.recordAudit('users.password_reset', { id: p.userId! })
      return json(sent)
    })
    .on('DELETE', '/api/database/:databaseId/users/:userId/sessions', async (_r, p, c) => {
      const database = await db(c, p)
      database.assertWritable("ending an end user's sessions")
      const revoked = await keys(c, database).admin.revokeSessions(p.userId!)
      await database.recordAudit('users.sessions_revoke', { id: p.userId!, revoked })
      return new Response(null, { status: 204 })
    })
    .on('GET', '/api/database/:databaseId/audit', async (r, p, c) => {
      const search = new URL(r.url).searchParams
      const limit = search.get('limit')
      return json(await (await db(c, p)).auditLog({ ...(limit === null ? {} : { limit: Number(limit) }), cursor: search.get('cursor') }))
    })
  addAIRoutes(router)
}
