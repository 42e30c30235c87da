import { createBasebox, type Basebox } from '@basebox/core'
import { pgliteDriver } from '@basebox/core/pglite'
import { loadPGliteSnapshot } from '@basebox/core/testing'
import { PGlite } from '@electric-sql/pglite'
import { Hono } from 'hono'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandler, type BaseboxHandler } from '../handler.js'
import { toHonoHandler } from './hono.js'
import { toNextRouteHandlers } from './next.js'
import { toNodeListener } from './node.js'

let bb: Basebox
let handler: BaseboxHandler

beforeAll(async () => {
  bb = await createBasebox({ driver: pgliteDriver(await loadPGliteSnapshot(PGlite)) })
  handler = createHandler({ basebox: bb, getOwner: (r) => r.headers.get('x-user') })
})
afterAll(async () => {
  await bb?.destroy()
})

describe('mounts', () => {
  it('Node http: a real listening server', async () => {
    const server = createServer(toNodeListener(handler))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const created = await fetch(`${url}/api/projects`, {
        method: 'POST',
        headers: { 'x-user': 'node-user', 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Via Node' }),
      })
      expect(created.status).toBe(201)
      const listed = await fetch(`${url}/api/projects`, { headers: { 'x-user': 'node-user' } })
      expect((await listed.json()).map((p: { name: string }) => p.name)).toEqual(['Via Node'])
      expect((await fetch(`${url}/nowhere`)).status).toBe(404)
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('Next.js App Router route handlers', async () => {
    const { GET, POST } = toNextRouteHandlers(handler)
    const created = await POST(
      new Request('http://localhost/api/projects', {
        method: 'POST',
        headers: { 'x-user': 'next-user', 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Via Next' }),
      }),
    )
    expect(created.status).toBe(201)
    expect(
      (
        await (
          await GET(
            new Request('http://localhost/api/projects', { headers: { 'x-user': 'next-user' } }),
          )
        ).json()
      )[0].name,
    ).toBe('Via Next')
  })

  it('Hono', async () => {
    const app = new Hono()
    app.get('/health', (c) => c.text('ok'))
    app.all('*', toHonoHandler(handler))
    expect(await (await app.request('/health')).text()).toBe('ok')
    const created = await app.request('/api/projects', {
      method: 'POST',
      headers: { 'x-user': 'hono-user', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Via Hono' }),
    })
    expect(created.status).toBe(201)
    expect(
      (await (await app.request('/api/projects', { headers: { 'x-user': 'hono-user' } })).json())[0]
        .name,
    ).toBe('Via Hono')
  })
})

describe('Node mount: response bodies', () => {
  async function listen(
    streamHandler: BaseboxHandler,
  ): Promise<{ url: string; close(): Promise<void> }> {
    const server = createServer(toNodeListener(streamHandler))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        }),
    }
  }

  it('sends a one-chunk body whole, with its length', async () => {
    const server = await listen(async () => Response.json({ ok: true }))
    try {
      const response = await fetch(server.url)
      expect(response.headers.get('content-length')).toBe(
        String(JSON.stringify({ ok: true }).length),
      )
      expect(await response.json()).toEqual({ ok: true })
    } finally {
      await server.close()
    }
  })

  it('streams a long body chunk by chunk and cancels it when the client goes away', async () => {
    let pulled = 0
    let cancelled: () => void
    const wasCancelled = new Promise<void>((resolve) => (cancelled = resolve))
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024))
    const server = await listen(
      async () =>
        new Response(
          new ReadableStream<Uint8Array>({
            async pull(controller) {
              pulled++
              await new Promise((resolve) => setTimeout(resolve, 5))
              controller.enqueue(chunk)
            },
            cancel() {
              cancelled()
            },
          }),
        ),
    )
    try {
      const controller = new AbortController()
      const response = await fetch(server.url, { signal: controller.signal })
      expect(response.headers.get('transfer-encoding')).toBe('chunked')
      const reader = response.body!.getReader()
      let received = 0
      while (received < 512 * 1024) {
        received += (await reader.read()).value!.length
      }
      controller.abort()
      await wasCancelled // an endless body: only a cancel ends this test
      const after = pulled
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(pulled).toBeLessThanOrEqual(after + 1)
    } finally {
      await server.close()
    }
  })
})
