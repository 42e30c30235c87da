import { describe, expect, it } from 'vitest'
import { createAIStreamWriter } from './ai-stream.js'
import { createRemoteClient } from './remote-client.js'

describe('createAIStreamWriter', () => {
  it('buffers partial values until read, ends with the result', async () => {
    const writer = createAIStreamWriter<number, string>()
    writer.push(1)
    writer.push(2)
    writer.resolve('done')
    writer.push(3) // after the result: dropped
    const seen: number[] = []
    for await (const value of writer.stream.partial) {
      seen.push(value)
    }
    expect(seen).toEqual([1, 2])
    expect(await writer.stream.result).toBe('done')
  })

  it('rejects partial and result with the abort reason', async () => {
    const abort = new AbortController()
    const writer = createAIStreamWriter<number, string>(abort.signal)
    const next = writer.stream.partial[Symbol.asyncIterator]().next()
    abort.abort(new Error('stop'))
    await expect(next).rejects.toThrow('stop')
    await expect(writer.stream.result).rejects.toThrow('stop')
    writer.resolve('late')
    await expect(writer.stream.result).rejects.toThrow('stop')
  })
})

describe('remote generateTables', () => {
  // The body as a server may send it: lines split anywhere across chunks.
  const answer =
    (chunks: string[], status = 200) =>
    async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(c) {
            for (const chunk of chunks) {
              c.enqueue(new TextEncoder().encode(chunk))
            }
            c.close()
          },
        }),
        {
          status,
          headers: { 'content-type': status === 200 ? 'application/x-ndjson' : 'application/json' },
        },
      )

  it('reads NDJSON lines split across chunks', async () => {
    const text = [
      JSON.stringify({ type: 'table', table: { name: 'posts', columns: [] } }),
      JSON.stringify({ type: 'table', table: { name: 'tags', columns: [] } }),
      JSON.stringify({
        type: 'result',
        result: { tables: [], plan: { steps: [], problems: [] }, repairs: [], warnings: [] },
      }),
    ].join('\n')
    const chunks = [text.slice(0, 7), text.slice(7, 60), text.slice(60, 61), text.slice(61)]
    const client = createRemoteClient({ url: 'http://x.test', fetch: answer(chunks) })
    const stream = client.generateTables('db1', { description: 'a blog' })
    const names: string[] = []
    for await (const table of stream.partial) {
      names.push(table.name)
    }
    expect(names).toEqual(['posts', 'tags'])
    expect((await stream.result).plan).toEqual({ steps: [], problems: [] })
  })

  it('rebuilds an error line and an error status as typed errors, and a cut stream as INTERNAL', async () => {
    const line = JSON.stringify({
      type: 'error',
      error: { code: 'AI_QUOTA_EXCEEDED', message: 'quota', details: { retry_after_ms: 5 } },
    })
    const failed = createRemoteClient({
      url: 'http://x.test',
      fetch: answer([line]),
    }).generateTables('db1', { description: 'a' })
    await expect(failed.result).rejects.toMatchObject({
      name: 'BaseboxError',
      code: 'AI_QUOTA_EXCEEDED',
      details: { retry_after_ms: 5 },
    })
    const refused = createRemoteClient({
      url: 'http://x.test',
      fetch: answer(
        [JSON.stringify({ error: { code: 'AI_NOT_CONFIGURED', message: 'no model' } })],
        503,
      ),
    })
    await expect(
      refused.refineTables('db1', { messages: [{ role: 'user', content: 'a' }] }).result,
    ).rejects.toMatchObject({ code: 'AI_NOT_CONFIGURED' })
    const cut = createRemoteClient({
      url: 'http://x.test',
      fetch: answer([JSON.stringify({ type: 'table', table: { name: 'posts', columns: [] } })]),
    })
    await expect(cut.generateTables('db1', { description: 'a' }).result).rejects.toMatchObject({
      code: 'INTERNAL',
    })
  })
})
