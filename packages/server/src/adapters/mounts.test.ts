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
      const created = await fetch(`${url}/api/projects`, { method: 'POST', headers: { 'x-user': 'node-user', 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Via Node' }) })
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
    const created = await POST(new Request('http://localhost/api/projects', { method: 'POST', headers: { 'x-user': 'next-user', 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Via Next' }) }))
    expect(created.status).toBe(201)
    expect((await (await GET(new Request('http://localhost/api/projects', { headers: { 'x-user': 'next-user' } }))).json())[0].name).toBe('Via Next')
  })

  it('Hono', async () => {
    const app = new Hono()
    app.get('/health', (c) => c.text('ok'))
    app.all('*', toHonoHandler(handler))
    expect(await (await app.request('/health')).text()).toBe('ok')
    const created = await app.request('/api/projects', { method: 'POST', headers: { 'x-user': 'hono-user', 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Via Hono' }) })
    expect(created.status).toBe(201)
    expect((await (await app.request('/api/projects', { headers: { 'x-user': 'hono-user' } })).json())[0].name).toBe('Via Hono')
  })
})
