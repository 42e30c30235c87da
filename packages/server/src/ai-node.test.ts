import { createAIProvider } from '@basebox/ai'
import { createRemoteClient, type TableDefinition } from '@basebox/client'
import type { TestHarness } from '@basebox/core/testing'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { MockLanguageModelV4 } from 'ai/test'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { toNodeListener } from './adapters/node.js'
import { createHandler } from './handler.js'
import { testBackends } from './testing.js'

// The AI stream over a real socket (the Node mount on a local port): tables arrive line by line
// while the model is still writing, and a client that aborts stops the model call.

type StreamPart =
  Awaited<ReturnType<MockLanguageModelV4['doStream']>>['stream'] extends ReadableStream<infer T>
    ? T
    : never

let h: TestHarness
let server: Server
let origin: string
let controller: ReadableStreamDefaultController<StreamPart>
const state = { cancelled: false }
const model = new MockLanguageModelV4({
  doStream: async () => ({
    stream: new ReadableStream<StreamPart>({
      start(c) {
        controller = c
        c.enqueue({ type: 'stream-start', warnings: [] })
        c.enqueue({ type: 'text-start', id: 't' })
      },
      cancel() {
        state.cancelled = true
      },
    }),
  }),
})

beforeAll(async () => {
  h = await testBackends()[0]!.create()
  const handler = createHandler({
    basebox: await h.engine(),
    getOwner: (r) => r.headers.get('x-user'),
    ai: createAIProvider({ model, maxRetries: 0 }),
    log: () => {},
  })
  server = createServer(toNodeListener(handler))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise<void>((resolve) => {
    server?.close(() => resolve())
    server?.closeAllConnections()
  })
  await h?.close()
})

it('streams a table over HTTP before the model has finished, and an abort stops the model', async () => {
  const client = createRemoteClient({ url: origin, headers: { 'x-user': 'node-ai' } })
  const project = await client.createProject({ name: 'node' })
  const { id } = await client.createDatabase(project.id)
  const abort = new AbortController()
  const stream = client.generateTables(id, { description: 'a blog' }, { signal: abort.signal })
  const posts: TableDefinition = {
    name: 'posts',
    columns: [
      { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
      { name: 'title', type: 'text' },
    ],
  }
  await expect.poll(() => controller !== undefined).toBe(true)
  controller.enqueue({
    type: 'text-delta',
    id: 't',
    delta: `{"tables":[${JSON.stringify(posts)},{"name":"comm`,
  })
  const partial = stream.partial[Symbol.asyncIterator]()
  expect((await partial.next()).value?.name).toBe('posts')
  abort.abort(new Error('closed'))
  await expect(stream.result).rejects.toThrow('closed')
  await expect.poll(() => state.cancelled).toBe(true)
  expect((await client.listTables(id)).map((t) => t.name)).toEqual(['users'])
})
