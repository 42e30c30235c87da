import { BaseboxError } from '@basebox/client'
import type { Basebox, DatabaseHandle } from '@basebox/core'
import type { TestHarness } from '@basebox/core/testing'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toNodeListener } from './adapters/node.js'
import type { CorsOptions } from './cors.js'
import { createHandler, type BaseboxHandler } from './handler.js'
import type { DataAPIAuth } from './routes/data-api.js'
import { testBackends } from './testing.js'

const SERVICE_KEY = 'service-key-for-cors'
const APP = 'https://app.example.com'
const EVIL = 'https://evil.example.net'
const MISSING_DATABASE = '00000000-0000-4000-8000-000000000000'

/** What supabase-js sends in a preflight for an insert with `select()`. */
const SUPABASE_REQUEST_HEADERS =
  'apikey,authorization,content-type,prefer,x-client-info,accept-profile,content-profile,x-supabase-api-version,range,accept'

interface Received {
  status: number
  headers: Record<string, string>
  body: string
}

function send(
  origin: string,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<Received> {
  return new Promise((resolve, reject) => {
    const url = new URL(origin)
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers as Record<string, string>,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end()
  })
}

const corsHeaders = (headers: Record<string, string>) =>
  Object.keys(headers).filter((name) => name.startsWith('access-control-'))

for (const backend of testBackends()) {
  describe(`${backend.name}: CORS`, () => {
    let h: TestHarness
    let bb: Basebox
    let db: DatabaseHandle
    const touched: string[] = []
    const auth: DataAPIAuth = {
      async identify(_db, { apiKey }) {
        touched.push('identify')
        if (apiKey !== SERVICE_KEY) {
          throw new BaseboxError('UNAUTHENTICATED', 'invalid API key')
        }
        return 'service'
      },
    }
    const make = (cors?: CorsOptions): BaseboxHandler =>
      createHandler({
        basebox: bb,
        getOwner: (request) => {
          touched.push('getOwner')
          return request.headers.get('x-user')
        },
        dataAuth: auth,
        ...(cors === undefined ? {} : { cors }),
      })
    let handler: BaseboxHandler
    let server: Server
    let origin: string

    beforeAll(async () => {
      h = await backend.create()
      bb = await h.engine()
      const owner = bb.owner('cors-owner')
      db = await owner.createDatabase((await owner.createProject({ name: 'CORS' })).id)
      await db.createTable({
        name: 'items',
        columns: [{ name: 'id', type: 'integer', primary_key: true }],
      })
      await db.insert('items', [{ id: 1 }, { id: 2 }])
      handler = make({ origins: [APP], maxAgeSeconds: 3600 })
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

    const preflight = (from: string, path: string) =>
      new Request(`http://localhost${path}`, {
        method: 'OPTIONS',
        headers: {
          origin: from,
          'access-control-request-method': 'POST',
          'access-control-request-headers': SUPABASE_REQUEST_HEADERS,
        },
      })

    it('answers a preflight from an allowed origin with 204, before any route, database or getOwner', async () => {
      touched.length = 0
      for (const path of [
        `/db/${MISSING_DATABASE}/rest/v1/items`,
        `/db/${db.id}/auth/v1/token`,
        '/api/projects',
        '/nowhere',
      ]) {
        const response = await handler(preflight(APP, path))
        expect(response.status).toBe(204)
        expect(await response.text()).toBe('')
        expect(response.headers.get('access-control-allow-origin')).toBe(APP)
        expect(response.headers.get('vary')).toBe('Origin')
        expect(response.headers.get('access-control-allow-methods')).toBe(
          'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
        )
        expect(response.headers.get('access-control-max-age')).toBe('3600')
        expect(response.headers.get('access-control-allow-credentials')).toBeNull()
        const allowed = response.headers.get('access-control-allow-headers')!.split(', ')
        for (const name of SUPABASE_REQUEST_HEADERS.split(',')) {
          expect(allowed).toContain(name)
        }
      }
      expect(touched).toEqual([])
    })

    it('refuses a preflight from any other origin with 403 and no CORS header', async () => {
      touched.length = 0
      for (const from of [EVIL, 'null', `${APP}.evil.example.net`]) {
        const response = await handler(preflight(from, `/db/${db.id}/rest/v1/items`))
        expect(response.status).toBe(403)
        expect((await response.json()).error.code).toBe('FORBIDDEN')
        expect(corsHeaders(Object.fromEntries(response.headers))).toEqual([])
      }
      expect(touched).toEqual([])
    })

    it('marks answers for an allowed origin and exposes the data API headers; others get none', async () => {
      const get = (from: string | undefined, path: string, headers: Record<string, string> = {}) =>
        handler(
          new Request(`http://localhost${path}`, {
            headers: { ...(from ? { origin: from } : {}), ...headers },
          }),
        )
      const data = await get(APP, `/db/${db.id}/rest/v1/items`, {
        apikey: SERVICE_KEY,
        prefer: 'count=exact',
      })
      expect(data.status).toBe(200)
      expect(data.headers.get('access-control-allow-origin')).toBe(APP)
      expect(data.headers.get('vary')).toBe('Origin')
      expect(data.headers.get('content-range')).toBe('0-1/2')
      const exposed = data.headers.get('access-control-expose-headers')!.split(', ')
      for (const name of [
        'content-range',
        'content-location',
        'location',
        'preference-applied',
        'range-unit',
        'x-total-count',
        'retry-after',
      ]) {
        expect(exposed).toContain(name)
      }
      // Errors (here a 401) carry them too, or the page could not read why it failed.
      const refused = await get(APP, `/db/${db.id}/rest/v1/items`, { apikey: 'wrong' })
      expect(refused.status).toBe(401)
      expect(refused.headers.get('access-control-allow-origin')).toBe(APP)
      const management = await get(APP, '/api/projects', { 'x-user': 'cors-owner' })
      expect(management.status).toBe(200)
      expect(management.headers.get('access-control-allow-origin')).toBe(APP)
      for (const from of [EVIL, undefined]) {
        const other = await get(from, `/db/${db.id}/rest/v1/items`, { apikey: SERVICE_KEY })
        expect(other.status).toBe(200)
        expect(corsHeaders(Object.fromEntries(other.headers))).toEqual([])
      }
    })

    it('sends no CORS header at all without the option', async () => {
      const plain = make()
      const pre = await plain(preflight(APP, `/db/${db.id}/rest/v1/items`))
      expect(corsHeaders(Object.fromEntries(pre.headers))).toEqual([])
      const data = await plain(
        new Request(`http://localhost/db/${db.id}/rest/v1/items`, {
          headers: { origin: APP, apikey: SERVICE_KEY },
        }),
      )
      expect(data.status).toBe(200)
      expect(corsHeaders(Object.fromEntries(data.headers))).toEqual([])
      expect(data.headers.get('vary')).toBeNull()
    })

    it("takes '*' and a function, echoes the origin and allows credentials when asked", async () => {
      const any = make({ origins: '*', credentials: true })
      const pre = await any(preflight(EVIL, '/api/projects'))
      expect(pre.status).toBe(204)
      expect(pre.headers.get('access-control-allow-origin')).toBe(EVIL)
      expect(pre.headers.get('access-control-allow-credentials')).toBe('true')
      expect(pre.headers.get('access-control-max-age')).toBe('600')
      const byFunction = make({ origins: (o) => o.endsWith('.example.com') })
      expect(
        (await byFunction(preflight('https://other.example.com', '/api/projects'))).status,
      ).toBe(204)
      expect((await byFunction(preflight(EVIL, '/api/projects'))).status).toBe(403)
      const throwing = make({
        origins: () => {
          throw new Error('broken predicate')
        },
      })
      expect((await throwing(preflight(APP, '/api/projects'))).status).toBe(403)
    })

    it('applies through the Node mount over a real socket, on its fast path too', async () => {
      touched.length = 0
      const pre = await send(origin, 'OPTIONS', `/db/${MISSING_DATABASE}/rest/v1/items`, {
        origin: APP,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': SUPABASE_REQUEST_HEADERS,
      })
      expect(pre.status).toBe(204)
      expect(pre.headers['access-control-allow-origin']).toBe(APP)
      expect(pre.headers['access-control-allow-methods']).toContain('PATCH')
      expect(pre.headers['access-control-allow-headers']).toContain('x-supabase-api-version')
      const evil = await send(origin, 'OPTIONS', `/db/${db.id}/rest/v1/items`, {
        origin: EVIL,
        'access-control-request-method': 'GET',
      })
      expect(evil.status).toBe(403)
      expect(corsHeaders(evil.headers)).toEqual([])
      expect(touched).toEqual([])
      // A data API answer (written by the fast path without a Response) and a HEAD (no body).
      for (const method of ['GET', 'HEAD']) {
        const data = await send(origin, method, `/db/${db.id}/rest/v1/items`, {
          origin: APP,
          apikey: SERVICE_KEY,
        })
        expect(data.status).toBe(200)
        expect(data.headers['access-control-allow-origin']).toBe(APP)
        expect(data.headers['access-control-expose-headers']).toContain('content-range')
        expect(data.headers['content-range']).toBe('0-1/*')
      }
      const management = await send(origin, 'GET', '/api/projects', {
        origin: APP,
        'x-user': 'cors-owner',
      })
      expect(management.status).toBe(200)
      expect(management.headers['access-control-allow-origin']).toBe(APP)
      // A request target that is not a URL is refused before any route: with CORS headers still.
      const broken = await send(origin, 'GET', 'http://[bad/x', { origin: APP })
      expect(broken.status).toBe(400)
      expect(broken.headers['access-control-allow-origin']).toBe(APP)
      const other = await send(origin, 'GET', `/db/${db.id}/rest/v1/items`, {
        origin: EVIL,
        apikey: SERVICE_KEY,
      })
      expect(other.status).toBe(200)
      expect(corsHeaders(other.headers)).toEqual([])
    })
  })
}
