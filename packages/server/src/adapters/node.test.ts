import { createArgon2idHasher, createAuth } from '@basebox/auth'
import type { Basebox, DatabaseHandle } from '@basebox/core'
import type { TestHarness } from '@basebox/core/testing'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandler, type BaseboxHandler, type RequestInfo } from '../handler.js'
import { authForDataAPI } from '../routes/auth-api.js'
import { testBackends } from '../testing.js'
import { toNodeListener } from './node.js'

interface Sent {
  method?: string
  path: string
  headers?: Record<string, string>
  body?: string
}

interface Received {
  status: number
  /** Every header but `date`, names lower-cased, in order of name. */
  headers: [string, string][]
  body: string
}

/** One request over a fresh connection, the request target sent as it is (no URL normalising). */
function send(origin: string, sent: Sent): Promise<Received> {
  return new Promise((resolve, reject) => {
    const url = new URL(origin)
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: sent.method ?? 'GET',
        path: sent.path,
        headers: sent.headers ?? {},
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const headers: [string, string][] = []
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i]!.toLowerCase()
            if (name !== 'date') {
              headers.push([name, res.rawHeaders[i + 1]!])
            }
          }
          headers.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
          resolve({
            status: res.statusCode!,
            headers,
            body: Buffer.concat(chunks).toString('utf8'),
          })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(sent.body)
  })
}

async function listen(
  listener: Parameters<typeof createServer>[1],
): Promise<{ server: Server; origin: string }> {
  const server = createServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

async function close(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

for (const backend of testBackends()) {
  describe(`${backend.name}: Node mount, fast path and Web path`, () => {
    let h: TestHarness
    let bb: Basebox
    let db: DatabaseHandle
    let handler: BaseboxHandler
    let anonKey: string
    let serviceKey: string
    const owners: Request[] = []
    // The same handler twice: `toNodeListener(handler)` takes the fast path; a plain function
    // over it takes the Web path that every other mount takes.
    let fast: { server: Server; origin: string }
    let web: { server: Server; origin: string }

    beforeAll(async () => {
      h = await backend.create()
      bb = await h.engine()
      const auth = await createAuth({
        basebox: bb,
        passwordHasher: createArgon2idHasher({ memoryKiB: 64, iterations: 1, parallelism: 1 }),
      })
      handler = createHandler({
        basebox: bb,
        getOwner: (request) => {
          owners.push(request)
          return request.headers.get('x-user')
        },
        dataAuth: authForDataAPI(auth),
        maxBodyBytes: 4096,
        log: () => {},
      })
      const owner = bb.owner('node-mount-owner')
      db = await owner.createDatabase((await owner.createProject({ name: 'Mount' })).id)
      await db.createTable({
        name: 'items',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'name', type: 'text' },
        ],
        access: { select: 'public', insert: 'public', update: 'public', delete: 'public' },
      })
      await db.insert(
        'items',
        [1, 2, 3, 4, 5].map((id) => ({ id, name: `item ${id}` })),
      )
      const keys = auth.forDatabase(db)
      anonKey = (await keys.createAPIKey({ name: 'browser', kind: 'anon' })).key
      serviceKey = (await keys.createAPIKey({ name: 'server', kind: 'service' })).key
      fast = await listen(toNodeListener(handler))
      web = await listen(toNodeListener((request, info) => handler(request, info)))
    }, 60_000)
    afterAll(async () => {
      await Promise.all([fast && close(fast.server), web && close(web.server)])
      await h?.close()
    })

    it('answers the data API exactly as the Web path does: status, headers, body', async () => {
      const rest = `/db/${db.id}/rest/v1`
      const key = { apikey: anonKey }
      const json = { ...key, 'content-type': 'application/json' }
      const requests: Sent[] = [
        { path: `${rest}/items?id=eq.2&select=*`, headers: key },
        {
          path: `${rest}/items?select=id,name&order=id.desc&limit=2`,
          headers: { ...key, prefer: 'count=exact', range: '1-2' },
        },
        {
          path: `${rest}/items?id=eq.3`,
          headers: { ...key, accept: 'application/vnd.pgrst.object+json' },
        },
        {
          path: `${rest}/items?id=gt.1`,
          headers: { ...key, accept: 'application/vnd.pgrst.object+json' },
        },
        {
          path: `${rest}/items?or=(id.eq.1,name.eq.item%205)&name=neq.it'em&order=id`,
          headers: key,
        },
        {
          path: `${rest}/items?name=eq."item 2"`.replace(' ', '%20'),
          headers: { apikey: serviceKey },
        },
        {
          method: 'HEAD',
          path: `${rest}/items?id=lt.3`,
          headers: { ...key, prefer: 'count=exact' },
        },
        { path: `${rest}/it%65ms?id=eq.1`, headers: key },
        { path: `${rest}/../v1/items?id=eq.1`, headers: key },
        { path: `${rest}/./items?id=eq.1`, headers: key },
        { path: `${rest}/items?id=eq.1#fragment`, headers: key },
        { path: `${rest}/items?id=eq.1`, headers: { apikey: 'bb_anon_not-a-real-key' } },
        { path: `${rest}/items?id=eq.1` },
        { path: `${rest}/items?id=zz.1`, headers: key },
        { path: `${rest}/nothing?id=eq.1`, headers: key },
        { path: `${rest}/items/extra`, headers: key },
        { method: 'PUT', path: `${rest}/items`, headers: key },
        {
          method: 'POST',
          path: `${rest}/items`,
          headers: { ...json, prefer: 'return=representation' },
          body: JSON.stringify({ id: 10, name: 'ten' }),
        },
        {
          method: 'POST',
          path: `${rest}/items`,
          headers: json,
          body: JSON.stringify([{ id: 11 }]),
        },
        { method: 'POST', path: `${rest}/items`, headers: json, body: '{not json' },
        {
          method: 'POST',
          path: `${rest}/items`,
          headers: { ...key, 'content-type': 'text/plain' },
          body: '{}',
        },
        {
          method: 'PATCH',
          path: `${rest}/items?id=eq.10`,
          headers: { ...json, prefer: 'return=representation' },
          body: JSON.stringify({ name: 'TEN' }),
        },
        { method: 'DELETE', path: `${rest}/items?id=in.(10,11)`, headers: key },
        { path: `/db/${db.id}/auth/v1/user`, headers: key },
        { path: `/db/${db.id}/auth/v1/user` },
        { path: '/db/00000000-0000-0000-0000-000000000000/rest/v1/items', headers: key },
        { path: '/nowhere?x=1' },
        { path: '/api/projects', headers: { 'x-user': 'node-mount-owner' } },
        { path: '/api/projects' },
        { method: 'DELETE', path: '/api/projects' },
        { path: '/api/openapi.json' },
      ]
      // The writes leave the table as they found it, so the list runs whole on one path, then
      // on the other.
      const answers = async (origin: string) => {
        const out: (Received & { sent: Sent })[] = []
        for (const sent of requests) {
          out.push({ sent, ...(await send(origin, sent)) })
        }
        return out
      }
      const viaFast = await answers(fast.origin)
      const viaWeb = await answers(web.origin)
      viaFast.forEach((answer, i) => expect(answer).toEqual(viaWeb[i]))
      expect(viaFast.map((a) => a.status)).toEqual([
        // As PostgREST: a partial range with count=exact is 206; PUT without the primary key
        // filters is PGRST105 (405). The management API's DELETE stays Basebox's 422.
        200, 206, 200, 406, 200, 200, 200, 200, 200, 200, 200, 401, 401, 400, 404, 404, 405, 201,
        201, 400, 400, 200, 204, 401, 401, 404, 404, 200, 401, 422, 200,
      ])
    })

    it('gives getOwner a real Request with the real method, URL and headers', async () => {
      owners.length = 0
      const answer = await send(fast.origin, {
        method: 'POST',
        path: '/api/projects?from=node',
        headers: { 'x-user': 'owner-check', 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Checked' }),
      })
      expect(answer.status).toBe(201)
      expect(owners).toHaveLength(1)
      const request = owners[0]!
      expect(request).toBeInstanceOf(Request)
      expect(request.method).toBe('POST')
      expect(request.url).toBe(`${fast.origin}/api/projects?from=node`)
      expect(request.headers.get('x-user')).toBe('owner-check')
      expect(request.headers.get('host')).toBe(new URL(fast.origin).host)
    })

    it('refuses a data API body over the limit with 413, declared or streamed, and closes that connection', async () => {
      const path = `/db/${db.id}/rest/v1/items`
      const headers = { apikey: anonKey, 'content-type': 'application/json' }
      const declared = await send(fast.origin, {
        method: 'POST',
        path,
        headers,
        body: JSON.stringify({ id: 20, name: 'x'.repeat(8192) }),
      })
      expect(declared.status).toBe(413)
      expect(declared.headers).toContainEqual(['connection', 'close'])
      // No Content-Length: the stream is counted as it comes, and refused past the limit
      // before the rest is read (the client is still sending when the answer comes).
      const streamed = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
        const url = new URL(fast.origin)
        let sent = 0
        let answered = false
        const req = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path,
            headers: { ...headers, 'transfer-encoding': 'chunked' },
            agent: false,
          },
          (res) => {
            answered = true
            res.resume()
            resolve({ status: res.statusCode!, sent })
          },
        )
        req.on('error', (error) => (answered ? undefined : reject(error)))
        const chunk = 'x'.repeat(1024)
        const write = () => {
          while (!answered && sent < 64 * 1024 * 1024) {
            sent += chunk.length
            if (!req.write(chunk)) {
              req.once('drain', write)
              return
            }
          }
          if (!answered) {
            req.end()
          }
        }
        req.write('{"name":"')
        write()
      })
      expect(streamed.status).toBe(413)
      expect(streamed.sent).toBeLessThan(64 * 1024 * 1024)
      expect((await db.select('items', { where: { id: { eq: 20 } } })).rows).toEqual([])
    })

    it('keeps serving after a client goes away mid-request', async () => {
      const url = new URL(fast.origin)
      await new Promise<void>((resolve) => {
        const req = httpRequest({
          host: url.hostname,
          port: url.port,
          path: `/db/${db.id}/rest/v1/items?select=*`,
          headers: { apikey: anonKey },
          agent: false,
        })
        req.on('error', () => resolve())
        req.on('socket', (socket) => socket.on('connect', () => setImmediate(() => req.destroy())))
        req.end()
      })
      const after = await send(fast.origin, {
        path: `/db/${db.id}/rest/v1/items?id=eq.1`,
        headers: { apikey: anonKey },
      })
      expect(after.status).toBe(200)
      expect(JSON.parse(after.body)).toEqual([{ id: 1, name: 'item 1' }])
    })

    it('streams a CSV export through the fast path as the Web path does', async () => {
      const sent: Sent = {
        method: 'POST',
        path: `/api/database/${db.id}/export`,
        headers: { 'x-user': 'node-mount-owner', 'content-type': 'application/json' },
        body: JSON.stringify({ format: 'csv', table: 'items' }),
      }
      const a = await send(fast.origin, sent)
      const b = await send(web.origin, sent)
      expect(a.status).toBe(200)
      expect(a.headers).toContainEqual(['transfer-encoding', 'chunked'])
      expect(a.body).toContain('item 5')
      expect(a).toEqual(b)
    })

    it('takes the fast path for a wrapper that carries the handler core, the Web path for one that does not', async () => {
      const calls = { carried: 0, plain: 0 }
      const carried = Object.assign(
        async (request: Request, info?: RequestInfo) => {
          calls.carried++
          return handler(request, info)
        },
        { core: handler.core },
      )
      const plain = async (request: Request, info?: RequestInfo) => {
        calls.plain++
        return handler(request, info)
      }
      const servers = [await listen(toNodeListener(carried)), await listen(toNodeListener(plain))]
      try {
        const sent: Sent = {
          path: `/db/${db.id}/rest/v1/items?id=eq.2&select=name`,
          headers: { apikey: anonKey },
        }
        const [a, b] = [await send(servers[0]!.origin, sent), await send(servers[1]!.origin, sent)]
        expect(a.status).toBe(200)
        expect(JSON.parse(a.body)).toEqual([{ name: 'item 2' }])
        expect(a).toEqual(b)
        expect(calls).toEqual({ carried: 0, plain: 1 })
      } finally {
        await Promise.all(servers.map((s) => close(s.server)))
      }
    })

    it('answers 400 to a request target that is not a URL, on both paths', async () => {
      for (const origin of [fast.origin, web.origin]) {
        const answer = await send(origin, { path: 'http://[bad/x' })
        expect(answer.status).toBe(400)
      }
    })
  })
}
