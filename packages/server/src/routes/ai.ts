import {
  BaseboxError,
  getSchemaTemplate,
  listSchemaTemplates,
  renameOptions,
  type AIProvider,
  type AIProviderTablesRequest,
  type AITablesResult,
  type TableDefinitionInput,
} from '@basebox/client'
import type { DatabaseHandle } from '@basebox/core'
import { errorAnswer } from '../error-response.js'
import type { RateLimiter } from '../rate-limit.js'
import type { ManagementContext, ManagementImplementations } from './management.js'

/** What the AI routes need from the handler: the provider (or `null`: not configured) and their own rate limit. */
export interface AIContext {
  ai: AIProvider | null
  /** Checked per owner before each model call. */
  aiLimit: RateLimiter | undefined
  log: (error: unknown) => void
}

/** The provider, after the owner's AI rate limit; `AI_NOT_CONFIGURED` when the host gave none. */
async function provider(c: ManagementContext): Promise<AIProvider> {
  const ai = c.ai?.ai ?? null
  if (ai === null) {
    throw new BaseboxError('AI_NOT_CONFIGURED', 'AI is not configured on this server', {
      details: { reason: 'no_provider' },
    })
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
        plan: await db.planChanges(
          proposal.tables,
          renameOptions(proposal, await db.definitions()),
        ),
        changes: proposal.changes,
        ...(proposal.notes === undefined ? {} : { notes: proposal.notes }),
        repairs: proposal.repairs,
        warnings: proposal.warnings,
      }
      yield line({ type: 'result', result })
    } catch (error) {
      if (!controller.signal.aborted) {
        const { error: sent } = JSON.parse(errorAnswer(error, log).text!) as { error: unknown }
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
 * The AI operations of the management API: tables from a description or a chat (streamed NDJSON),
 * SQL for a question (never run), and the offline schema templates. Behind the owner check of
 * every management route (another owner's database is `NOT_FOUND`, before the body is read) and
 * the AI rate limit.
 */
export const AI_IMPLEMENTATIONS = {
  listSchemaTemplates: async () =>
    listSchemaTemplates().map((t) => ({
      id: t.id,
      title: t.title,
      description: t.description,
      tables: t.tables.map((table) => table.name),
    })),
  getSchemaTemplate: async ({ params }) => getSchemaTemplate(params.templateId!),
  generateTables: async ({ request, params, context, input }) => {
    const database = await context.owner.databaseById(params.databaseId!)
    const body = await input()
    const ai = await provider(context)
    const current =
      (body.current as TableDefinitionInput[] | undefined) ?? (await database.definitions())
    return tablesResponse(
      database,
      ai,
      (signal) => ({ mode: 'generate', description: body.description, current, signal }),
      request,
      context.ai!.log,
    )
  },
  refineTables: async ({ request, params, context, input }) => {
    const database = await context.owner.databaseById(params.databaseId!)
    const body = await input()
    const ai = await provider(context)
    const current =
      (body.current as TableDefinitionInput[] | undefined) ?? (await database.definitions())
    return tablesResponse(
      database,
      ai,
      (signal) => ({ mode: 'refine', messages: body.messages, current, signal }),
      request,
      context.ai!.log,
    )
  },
  generateSQL: async ({ request, params, context, input }) => {
    const database = await context.owner.databaseById(params.databaseId!)
    const body = await input()
    const ai = await provider(context)
    return ai.generateSQL({
      question: body.question,
      allowWrites: body.allowWrites === true,
      current: await database.definitions(),
      explain: (sql) => database.explain(sql),
      signal: request.signal,
    })
  },
} satisfies Pick<
  ManagementImplementations,
  'listSchemaTemplates' | 'getSchemaTemplate' | 'generateTables' | 'refineTables' | 'generateSQL'
>
