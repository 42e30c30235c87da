import {
  BaseboxError,
  getSchemaTemplate,
  listSchemaTemplates,
  renameOptions,
  toValidationError,
  type AIProvider,
  type AIProviderTablesRequest,
  type AITablesResult,
  type TableDefinitionInput,
} from '@basebox/client'
import type { DatabaseHandle } from '@basebox/core'
import { z } from 'zod'
import { json, readJSON } from '../body.js'
import { errorResponse } from '../error-response.js'
import type { RateLimiter } from '../rate-limit.js'
import type { Router } from '../router.js'
import type { ManagementContext } from './management.js'

// Checked in full by the AI package (the same TableDefinition schema), as `existing`/`current`.
const Tables = z.array(z.record(z.string(), z.unknown())).max(200)

/** The request bodies of the AI routes, by operation (validation and the OpenAPI document). */
export const AI_SCHEMAS = {
  generateTables: z.object({ description: z.string().trim().min(1).max(10_000), current: Tables.optional() }).strict(),
  refineTables: z
    .object({
      messages: z
        .array(z.object({ role: z.enum(['user', 'assistant']), content: z.string().trim().min(1).max(10_000) }).strict())
        .min(1)
        .max(50),
      current: Tables.optional(),
    })
    .strict(),
  generateSQL: z.object({ question: z.string().trim().min(1).max(4000), allowWrites: z.boolean().optional() }).strict(),
} as const

/** What the AI routes need from the handler: the provider (or `null`: not configured) and their own rate limit. */
export interface AIContext {
  ai: AIProvider | null
  /** Checked per owner before each model call. */
  aiLimit: RateLimiter | undefined
  log: (error: unknown) => void
}

async function body<T extends z.ZodType>(request: Request, schema: T, maxBytes: number): Promise<z.output<T>> {
  const parsed = schema.safeParse(await readJSON(request, maxBytes))
  if (!parsed.success) {
    throw toValidationError('invalid request body', parsed.error)
  }
  return parsed.data
}

/** The provider, after the owner's AI rate limit; `AI_NOT_CONFIGURED` when the host gave none. */
async function provider(c: ManagementContext): Promise<AIProvider> {
  const ai = c.ai?.ai ?? null
  if (ai === null) {
    throw new BaseboxError('AI_NOT_CONFIGURED', 'AI is not configured on this server', { details: { reason: 'no_provider' } })
  }
  await c.ai?.aiLimit?.(`ai:owner:${c.owner.ownerId}`)
  return ai
}

const NDJSON = 'application/x-ndjson; charset=utf-8'

/**
 * Streams a schema proposal as NDJSON: `{"type":"start"}`, `{"type":"table","table":...}` for each table as it
 * arrives, then `{"type":"result","result":...}` with the core's plan (never applied), or
 * `{"type":"error","error":{code,message,details}}`. The model call stops when the client goes away.
 */
function tablesResponse(
  db: DatabaseHandle,
  ai: AIProvider,
  request: (signal: AbortSignal) => AIProviderTablesRequest,
  incoming: Request,
  log: (error: unknown) => void,
): Response {
  const controller = new AbortController()
  const onGone = () => controller.abort(incoming.signal.reason)
  incoming.signal.addEventListener('abort', onGone, { once: true })
  // Started now, so a failure before the first table is still streamed as an error line.
  const stream = ai.streamTables(request(controller.signal))
  const encoder = new TextEncoder()
  const line = (value: unknown) => encoder.encode(`${JSON.stringify(value)}\n`)
  async function* lines(): AsyncGenerator<Uint8Array> {
    // A first line at once: the Node mount holds a body's first chunk until it sees a second
    // (to send one-chunk answers with a Content-Length), which would hold back the first table.
    yield line({ type: 'start' })
    try {
      for await (const table of stream.partial) {
        yield line({ type: 'table', table })
      }
      const proposal = await stream.result
      const result: AITablesResult = {
        tables: proposal.tables,
        plan: await db.planChanges(proposal.tables, renameOptions(proposal, await db.definitions())),
        changes: proposal.changes,
        ...(proposal.notes === undefined ? {} : { notes: proposal.notes }),
        repairs: proposal.repairs,
        warnings: proposal.warnings,
      }
      yield line({ type: 'result', result })
    } catch (error) {
      if (!controller.signal.aborted) {
        const { error: sent } = (await errorResponse(error, log).json()) as { error: unknown }
        yield line({ type: 'error', error: sent })
      }
    } finally {
      incoming.signal.removeEventListener('abort', onGone)
    }
  }
  const iterator = lines()
  // Pulled one line at a time, so a slow client holds the model stream back instead of a buffer.
  const body = new ReadableStream<Uint8Array>({
    async pull(out) {
      const next = await iterator.next()
      if (next.done) {
        out.close()
      } else {
        out.enqueue(next.value)
      }
    },
    cancel(reason) {
      // The client went away: stop the model call.
      controller.abort(reason)
    },
  })
  return new Response(body, { headers: { 'content-type': NDJSON, 'cache-control': 'no-store' } })
}

/**
 * The AI routes of the management API: tables from a description or a chat (streamed NDJSON),
 * SQL for a question (never run), and the offline schema templates. Behind the owner check of
 * every management route (another owner's database is `NOT_FOUND`) and the AI rate limit.
 */
export function addAIRoutes(router: Router<ManagementContext>): void {
  const db = (c: ManagementContext, p: Record<string, string>) => c.owner.databaseById(p.databaseId!)
  router
    .on('GET', '/api/ai/templates', async () =>
      json(listSchemaTemplates().map((t) => ({ id: t.id, title: t.title, description: t.description, tables: t.tables.map((table) => table.name) }))),
    )
    .on('GET', '/api/ai/templates/:templateId', async (_r, p) => json(getSchemaTemplate(p.templateId!)))
    .on('POST', '/api/database/:databaseId/ai/tables/generate', async (r, p, c) => {
      const database = await db(c, p)
      const input = await body(r, AI_SCHEMAS.generateTables, c.maxBodyBytes)
      const ai = await provider(c)
      const current = (input.current as TableDefinitionInput[] | undefined) ?? (await database.definitions())
      return tablesResponse(database, ai, (signal) => ({ mode: 'generate', description: input.description, current, signal }), r, c.ai!.log)
    })
    .on('POST', '/api/database/:databaseId/ai/tables/refine', async (r, p, c) => {
      const database = await db(c, p)
      const input = await body(r, AI_SCHEMAS.refineTables, c.maxBodyBytes)
      const ai = await provider(c)
      const current = (input.current as TableDefinitionInput[] | undefined) ?? (await database.definitions())
      return tablesResponse(database, ai, (signal) => ({ mode: 'refine', messages: input.messages, current, signal }), r, c.ai!.log)
    })
    .on('POST', '/api/database/:databaseId/ai/sql', async (r, p, c) => {
      const database = await db(c, p)
      const input = await body(r, AI_SCHEMAS.generateSQL, c.maxBodyBytes)
      const ai = await provider(c)
      return json(
        await ai.generateSQL({
          question: input.question,
          allowWrites: input.allowWrites === true,
          current: await database.definitions(),
          explain: (sql) => database.explain(sql),
          signal: r.signal,
        }),
      )
    })
}
