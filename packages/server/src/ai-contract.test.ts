import { createAIProvider } from '@basebox/ai'
import {
  createRemoteClient,
  isBaseboxError,
  type AIProvider,
  type BaseboxClient,
  type TableDefinition,
  type TableDefinitionInput,
} from '@basebox/client'
import { createLocalClient, type Basebox } from '@basebox/core'
import type { TestHarness } from '@basebox/core/testing'
import { APICallError, simulateReadableStream } from 'ai'
import { MockLanguageModelV4 } from 'ai/test'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createHandler, type HandlerOptions } from './handler.js'
import { createRateLimiter } from './rate-limit.js'
import { testBackends } from './testing.js'

// The AI part of the BaseboxClient contract, for both implementations: the remote client over
// HTTP through the real handler (NDJSON streams), and the local client on the engine. The model
// is always an AI SDK mock model: no network.

type StreamPart =
  Awaited<ReturnType<MockLanguageModelV4['doStream']>>['stream'] extends ReadableStream<infer T>
    ? T
    : never

const USAGE = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 20, text: 20, reasoning: undefined },
}
const FINISH: StreamPart = {
  type: 'finish',
  finishReason: { unified: 'stop', raw: 'stop' },
  usage: USAGE,
}

/** A model that streams `answer` as JSON text in small chunks. */
function streamingModel(answer: unknown): MockLanguageModelV4 {
  const text = typeof answer === 'string' ? answer : JSON.stringify(answer)
  const deltas: StreamPart[] = []
  for (let i = 0; i < text.length; i += 11) {
    deltas.push({ type: 'text-delta', id: 't', delta: text.slice(i, i + 11) })
  }
  const chunks: StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 't' },
    ...deltas,
    { type: 'text-end', id: 't' },
    FINISH,
  ]
  return new MockLanguageModelV4({
    doStream: async () => ({
      stream: simulateReadableStream({ chunks, initialDelayInMs: null, chunkDelayInMs: null }),
    }),
  })
}

/** A streaming model the test writes by hand; `cancelled` turns true when the reader stops it. */
function controlledModel() {
  let controller!: ReadableStreamDefaultController<StreamPart>
  const state = { cancelled: false }
  const stream = new ReadableStream<StreamPart>({
    start(c) {
      controller = c
      c.enqueue({ type: 'stream-start', warnings: [] })
      c.enqueue({ type: 'text-start', id: 't' })
    },
    cancel() {
      state.cancelled = true
    },
  })
  return {
    model: new MockLanguageModelV4({ doStream: async () => ({ stream }) }),
    state,
    write: (delta: string) => controller.enqueue({ type: 'text-delta', id: 't', delta }),
    finish() {
      controller.enqueue({ type: 'text-end', id: 't' })
      controller.enqueue(FINISH)
      controller.close()
    },
  }
}

/** A model that answers generate calls (SQL) with `answer`. */
function answeringModel(answer: unknown): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doGenerate: async () => ({
      content: [{ type: 'text', text: JSON.stringify(answer) }],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: USAGE,
      warnings: [],
    }),
  })
}

const quotaError = () =>
  new APICallError({
    message: 'Requests rate limit exceeded',
    url: 'https://api.mistral.ai/v1/chat/completions',
    requestBodyValues: {},
    statusCode: 429,
    responseHeaders: { 'retry-after': '7' },
    isRetryable: false,
  })

const ID = { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' } as const
const TIMES = [
  { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
  { name: 'updated_at', type: 'timestamptz', required: true, default: 'now()' },
] as const
const POSTS: TableDefinitionInput = {
  name: 'posts',
  columns: [ID, { name: 'title', type: 'text', required: true }, ...TIMES],
}
const COMMENTS: TableDefinitionInput = {
  name: 'comments',
  columns: [
    ID,
    {
      name: 'post_id',
      type: 'uuid',
      required: true,
      references: { table: 'posts', column: 'id', on_delete: 'cascade' },
    },
    { name: 'body', type: 'text', required: true },
    ...TIMES,
  ],
}
const TAGS: TableDefinitionInput = {
  name: 'tags',
  columns: [ID, { name: 'name', type: 'text', required: true, unique: true }, ...TIMES],
}

/** A code from a failing promise. */
async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return isBaseboxError(error) ? { code: error.code, reason: error.details?.reason } : error
  }
  throw new Error('expected the call to fail')
}

async function tableNames(client: BaseboxClient, databaseId: string): Promise<string[]> {
  return (await client.listTables(databaseId)).map((t) => t.name).sort()
}

for (const backend of testBackends()) {
  describe(`${backend.name}: BaseboxClient AI contract`, () => {
    let h: TestHarness
    let bb: Basebox
    // The model of the next call: the provider reads it per call, so one handler serves every test.
    const slot: { model: MockLanguageModelV4 | undefined } = { model: undefined }
    const switchable: AIProvider = {
      streamTables: (request) =>
        createAIProvider({ model: slot.model!, maxRetries: 0 }).streamTables(request),
      generateSQL: (request) =>
        createAIProvider({ model: slot.model!, maxRetries: 0 }).generateSQL(request),
    }
    const handlers = new Map<string, ReturnType<typeof createHandler>>()
    const remote = (ownerId: string, options: Partial<HandlerOptions> = {}, key = 'default') => {
      let handler = handlers.get(key)
      if (handler === undefined) {
        handler = createHandler({
          basebox: bb,
          getOwner: (request) => request.headers.get('x-user'),
          ai: switchable,
          aiRateLimit: null,
          log: () => {},
          ...options,
        })
        handlers.set(key, handler)
      }
      const h2 = handler
      return createRemoteClient({
        url: 'http://basebox.test',
        fetch: (input, init) => h2(new Request(input, init)),
        headers: { 'x-user': ownerId },
      })
    }

    beforeAll(async () => {
      h = await backend.create()
      bb = await h.engine()
    })
    afterAll(async () => {
      await h?.close()
    })

    const implementations = [
      {
        name: 'remote',
        create: (owner: string) => remote(owner),
        unconfigured: (owner: string) => remote(owner, { ai: null }, 'no-ai'),
      },
      {
        name: 'local',
        create: (owner: string) => createLocalClient(bb, owner, { ai: switchable }),
        unconfigured: (owner: string) => createLocalClient(bb, owner),
      },
    ] as const

    for (const impl of implementations) {
      describe(impl.name, () => {
        const setup = async (suffix: string, client = impl.create(`${impl.name}-ai-${suffix}`)) => {
          const project = await client.createProject({ name: suffix })
          const database = await client.createDatabase(project.id)
          return { client, id: database.id }
        }

        it(`${backend.name}: ${impl.name}: generateTables streams tables before the result, and the plan is not applied`, async () => {
          const { client, id } = await setup('generate')
          const model = controlledModel()
          slot.model = model.model
          const stream = client.generateTables(id, {
            description: 'A blog with posts and comments',
          })
          let settled = false
          void stream.result.then(
            () => (settled = true),
            () => (settled = true),
          )
          const text = JSON.stringify({ tables: [POSTS, COMMENTS], notes: 'Posts and comments.' })
          const cut = text.indexOf('"comments"') + 15
          model.write(text.slice(0, cut))
          const partial = stream.partial[Symbol.asyncIterator]()
          const first = await partial.next()
          expect((first.value as TableDefinition).name).toBe('posts')
          expect(settled).toBe(false)
          model.write(text.slice(cut))
          model.finish()
          const rest: string[] = []
          for (let next = await partial.next(); next.done !== true; next = await partial.next()) {
            rest.push(next.value.name)
          }
          expect(rest).toEqual(['comments'])
          const result = await stream.result
          expect(result.tables.map((t) => t.name)).toEqual(['users', 'posts', 'comments'])
          expect(
            result.plan.steps.map((s) => [
              s.kind,
              typeof s.table === 'string' ? s.table : s.table.name,
            ]),
          ).toEqual([
            ['create_table', 'posts'],
            ['create_table', 'comments'],
          ])
          expect(result.plan.problems).toEqual([])
          expect(result.notes).toBe('Posts and comments.')
          expect(await tableNames(client, id)).toEqual(['users'])
          await client.applyPlan(id, result.plan)
          expect(await tableNames(client, id)).toEqual(['comments', 'posts', 'users'])
        })

        it(`${backend.name}: ${impl.name}: refineTables plans what the message changes, and applies nothing`, async () => {
          const { client, id } = await setup('refine')
          await client.createTable(id, POSTS)
          slot.model = streamingModel({
            tables: [TAGS],
            rename_columns: [{ table: 'posts', from: 'title', to: 'headline' }],
            notes: 'Tags, and a headline.',
          })
          const stream = client.refineTables(id, {
            messages: [{ role: 'user', content: 'add tags, and call the title a headline' }],
          })
          const partial: string[] = []
          for await (const table of stream.partial) {
            partial.push(table.name)
          }
          expect(partial).toEqual(['tags'])
          const result = await stream.result
          expect(result.plan.steps).toContainEqual({
            kind: 'rename_column',
            table: 'posts',
            column: 'title',
            to: 'headline',
          })
          expect(result.plan.steps.map((s) => s.kind)).toContain('create_table')
          expect(result.plan.steps.map((s) => s.kind)).not.toContain('drop_column')
          expect(await tableNames(client, id)).toEqual(['posts', 'users'])
          expect(
            (await client.getTable(id, 'posts')).definition.columns.map((c) => c.name),
          ).toContain('title')
        })

        it(`${backend.name}: ${impl.name}: a chat over unapplied tables shows what each message changed`, async () => {
          const { client, id } = await setup('chat')
          slot.model = streamingModel({ tables: [POSTS] })
          const first = await client.generateTables(id, { description: 'a blog' }).result
          expect(first.changes.map((s) => s.kind)).toEqual(['create_table'])
          slot.model = streamingModel({ tables: [TAGS] })
          const second = await client.refineTables(id, {
            current: first.tables,
            messages: [
              { role: 'user', content: 'a blog' },
              { role: 'assistant', content: 'Posts.' },
              { role: 'user', content: 'add tags' },
            ],
          }).result
          const named = (steps: typeof second.changes) =>
            steps.map((s) => [s.kind, typeof s.table === 'string' ? s.table : s.table.name])
          // This message added tags; the plan against the database (still just users) creates both.
          expect(named(second.changes)).toEqual([['create_table', 'tags']])
          expect(named(second.plan.steps).sort()).toEqual([
            ['create_table', 'posts'],
            ['create_table', 'tags'],
          ])
          expect(second.tables.map((t) => t.name)).toEqual(['users', 'posts', 'tags'])
          expect(await tableNames(client, id)).toEqual(['users'])
          // A rename in a drafted table the database does not have yet is no rename in the
          // database: the plan creates the table with the new column name (no NOT_FOUND).
          slot.model = streamingModel({
            tables: [],
            rename_columns: [{ table: 'posts', from: 'title', to: 'headline' }],
          })
          const third = await client.refineTables(id, {
            current: second.tables,
            messages: [{ role: 'user', content: 'call the title a headline' }],
          }).result
          expect(third.changes).toContainEqual({
            kind: 'rename_column',
            table: 'posts',
            column: 'title',
            to: 'headline',
          })
          expect(third.plan.steps.map((s) => s.kind)).not.toContain('rename_column')
          const plannedPosts = third.plan.steps.find(
            (s) =>
              s.kind === 'create_table' && typeof s.table !== 'string' && s.table.name === 'posts',
          )
          expect(
            (plannedPosts!.table as { columns: { name: string }[] }).columns.map((c) => c.name),
          ).toContain('headline')
          const bad = client.refineTables(id, {
            current: [{ name: 'Bad Name', columns: [] }],
            messages: [{ role: 'user', content: 'x' }],
          })
          await expect(bad.result).rejects.toMatchObject({
            code: expect.stringMatching(/^(VALIDATION_FAILED|INVALID_IDENTIFIER)$/),
          })
        })

        it(`${backend.name}: ${impl.name}: generateSQL returns SQL planned by Postgres and never runs it`, async () => {
          const { client, id } = await setup('sql')
          await client.createTable(id, POSTS)
          await client.insertRows(id, 'posts', [{ title: 'one' }, { title: 'two' }])
          slot.model = answeringModel({
            sql: 'delete from posts',
            explanation: 'Deletes every post.',
          })
          const result = await client.generateSQL(id, {
            question: 'remove all posts',
            allowWrites: true,
          })
          expect(result).toEqual({
            sql: 'delete from posts',
            explanation: 'Deletes every post.',
            isWrite: true,
          })
          expect((await client.selectRows(id, 'posts')).rows).toHaveLength(2)
          slot.model = answeringModel({
            sql: 'delete from posts',
            explanation: 'Deletes every post.',
          })
          expect(await codeOf(client.generateSQL(id, { question: 'remove all posts' }))).toEqual({
            code: 'FORBIDDEN',
            reason: 'write_not_allowed',
          })
          expect((await client.selectRows(id, 'posts')).rows).toHaveLength(2)
        })

        it(`${backend.name}: ${impl.name}: templates work without any model; the rest is AI_NOT_CONFIGURED`, async () => {
          vi.stubEnv('MISTRAL_API_KEY', '')
          try {
            const { client, id } = await setup(
              'templates',
              impl.unconfigured(`${impl.name}-ai-templates`),
            )
            const templates = await client.listSchemaTemplates()
            expect(templates.map((t) => t.id)).toEqual([
              'blog',
              'todo',
              'crm',
              'ecommerce',
              'bookings',
              'saas',
            ])
            expect(templates[0]!.tables).toContain('posts')
            const blog = await client.getSchemaTemplate('blog')
            const current = (await client.listTables(id)).map((t) => t.definition)
            const plan = await client.planChanges(id, [...current, ...blog.tables])
            expect(plan.steps.length).toBeGreaterThan(0)
            expect(await codeOf(client.getSchemaTemplate('nope'))).toEqual({
              code: 'NOT_FOUND',
              reason: undefined,
            })
            const stream = client.generateTables(id, { description: 'a blog' })
            expect(await codeOf(stream.result)).toMatchObject({ code: 'AI_NOT_CONFIGURED' })
            await expect(stream.partial[Symbol.asyncIterator]().next()).rejects.toMatchObject({
              code: 'AI_NOT_CONFIGURED',
            })
            expect(
              await codeOf(client.generateSQL(id, { question: 'how many users?' })),
            ).toMatchObject({ code: 'AI_NOT_CONFIGURED' })
            // The owner check comes first, as everywhere.
            expect(
              await codeOf(
                impl
                  .unconfigured(`${impl.name}-ai-someone-else`)
                  .generateSQL(id, { question: 'how many users?' }),
              ),
            ).toMatchObject({ code: 'NOT_FOUND' })
            // With a provider but neither a model nor a key, the default model is not configured either.
            const keyless =
              impl.name === 'local'
                ? createLocalClient(bb, `${impl.name}-ai-templates`, { ai: createAIProvider() })
                : remote(`${impl.name}-ai-templates`, { ai: createAIProvider() }, 'keyless')
            expect(
              await codeOf(
                keyless.refineTables(id, { messages: [{ role: 'user', content: 'add tags' }] })
                  .result,
              ),
            ).toEqual({ code: 'AI_NOT_CONFIGURED', reason: 'missing_api_key' })
          } finally {
            vi.unstubAllEnvs()
          }
        })

        it(`${backend.name}: ${impl.name}: a quota error and invalid output are typed`, async () => {
          const { client, id } = await setup('errors')
          slot.model = new MockLanguageModelV4({
            doStream: async () => {
              throw quotaError()
            },
          })
          const quota = client.generateTables(id, { description: 'a blog' })
          await expect(quota.result).rejects.toMatchObject({
            code: 'AI_QUOTA_EXCEEDED',
            details: { reason: 'quota', retry_after_ms: 7000 },
          })
          slot.model = streamingModel('I would rather write a poem about databases.')
          const invalid = client.generateTables(id, { description: 'a blog' })
          await expect(invalid.result).rejects.toMatchObject({
            code: 'AI_GENERATION_FAILED',
            details: { reason: 'invalid_output' },
          })
          expect(await tableNames(client, id)).toEqual(['users'])
        })

        it(`${backend.name}: ${impl.name}: another owner's database is NOT_FOUND, and the model is not called`, async () => {
          const { id } = await setup('owner')
          const stranger = impl.create(`${impl.name}-ai-stranger`)
          const model = streamingModel({ tables: [TAGS] })
          slot.model = model
          expect(
            await codeOf(stranger.generateTables(id, { description: 'a blog' }).result),
          ).toMatchObject({ code: 'NOT_FOUND' })
          expect(
            await codeOf(stranger.generateSQL(id, { question: 'how many users?' })),
          ).toMatchObject({ code: 'NOT_FOUND' })
          expect(model.doStreamCalls).toHaveLength(0)
        })

        it(`${backend.name}: ${impl.name}: aborting stops the stream and the model call`, async () => {
          const { client, id } = await setup('abort')
          const model = controlledModel()
          slot.model = model.model
          const abort = new AbortController()
          const stream = client.generateTables(
            id,
            { description: 'a blog' },
            { signal: abort.signal },
          )
          const partial = stream.partial[Symbol.asyncIterator]()
          const text = JSON.stringify({ tables: [POSTS, COMMENTS] })
          model.write(text.slice(0, text.indexOf('"comments"') + 15))
          expect((await partial.next()).value?.name).toBe('posts')
          abort.abort(new Error('the user closed the builder'))
          await expect(partial.next()).rejects.toThrow('the user closed the builder')
          await expect(stream.result).rejects.toThrow('the user closed the builder')
          await expect.poll(() => model.state.cancelled).toBe(true)
          expect(await tableNames(client, id)).toEqual(['users'])
        })
      })
    }

    it(`${backend.name}: remote: the AI rate limit answers 429 LIMIT_EXCEEDED before the model is called`, async () => {
      const client = remote(
        'remote-ai-limit',
        { aiRateLimit: createRateLimiter({ max: 1, windowMs: 60_000 }) },
        'limited',
      )
      const project = await client.createProject({ name: 'limit' })
      const { id } = await client.createDatabase(project.id)
      slot.model = answeringModel({
        sql: 'select count(*) from users',
        explanation: 'Counts users.',
      })
      expect((await client.generateSQL(id, { question: 'how many users?' })).isWrite).toBe(false)
      const model = streamingModel({ tables: [TAGS] })
      slot.model = model
      await expect(client.generateTables(id, { description: 'tags' }).result).rejects.toMatchObject(
        { code: 'LIMIT_EXCEEDED' },
      )
      expect(model.doStreamCalls).toHaveLength(0)
      // Templates do not count against the AI limit.
      expect((await client.listSchemaTemplates()).length).toBe(6)
    })
  })
}
