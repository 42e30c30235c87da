import { BaseboxError } from '@basebox/client'
import type { Basebox, DatabaseHandle } from '@basebox/core'
import type { TestHarness } from '@basebox/core/testing'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toNodeListener } from './adapters/node.js'
import { MAX_JSON_DEPTH } from './body.js'
import { MAX_FILTER_DEPTH } from './postgrest/parse-query.js'
import { createHandler, type BaseboxHandler } from './handler.js'
import type { DataAPIAuth } from './routes/data-api.js'
import { testBackends } from './testing.js'

const SERVICE_KEY = 'service-key-for-hostile-input'

const staticAuth: DataAPIAuth = {
  async identify(_db, { apiKey }) {
    if (apiKey !== SERVICE_KEY) {
      throw new BaseboxError('UNAUTHENTICATED', 'invalid API key')
    }
    return 'service'
  },
}

/** One request over a real socket, the request target sent exactly as given. */
function send(
  origin: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(origin)
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** `or=(and(or(...(id.eq.1)...)))` in PostgREST's grammar: `depth + 1` groups deep, counting the outer `or`. */
function nestedFilter(depth: number, id = 1): string {
  let inner = `id.eq.${id}`
  for (let i = 0; i < depth; i++) {
    inner = `${i % 2 === 0 ? 'and' : 'or'}(${inner},id.eq.${id})`
  }
  return `or=(${inner})`
}

for (const backend of testBackends()) {
  describe(`${backend.name}: hostile input gets a typed 4xx, never a 500`, () => {
    let h: TestHarness
    let bb: Basebox
    let db: DatabaseHandle
    let handler: BaseboxHandler
    let server: Server
    let origin: string
    const errors: unknown[] = []

    beforeAll(async () => {
      h = await backend.create()
      bb = await h.engine()
      handler = createHandler({
        basebox: bb,
        getOwner: (r) => r.headers.get('x-user'),
        dataAuth: staticAuth,
        log: (e) => errors.push(e),
      })
      const owner = bb.owner('hostile-input-owner')
      db = await owner.createDatabase((await owner.createProject({ name: 'Hostile' })).id)
      await db.createTable({
        name: 'items',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'data', type: 'jsonb' },
        ],
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

    const cases = (
      deep: number,
    ): [string, string, string, string | undefined, number, string][] => {
      const rest = `/db/${db.id}/rest/v1`
      const deepArray = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
      const deepObject = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`
      return [
        ['bad percent-encoding in the table', 'GET', `${rest}/%FF`, undefined, 400, 'PGRST100'],
        [
          'bad percent-encoding in a half-escape',
          'GET',
          `${rest}/items%E0%A4`,
          undefined,
          400,
          'PGRST100',
        ],
        [
          'bad percent-encoding in the database id',
          'GET',
          `/db/%FF/rest/v1/items`,
          undefined,
          404,
          // The data API answers with PostgREST's codes; an unknown database reads as PGRST205.
          'PGRST205',
        ],
        [
          'bad percent-encoding in a filter value',
          'GET',
          `${rest}/items?id=eq.%FF`,
          undefined,
          400,
          // Postgres refuses the value itself (invalid input syntax), as under PostgREST.
          '22P02',
        ],
        [
          'bad percent-encoding in a filter name',
          'GET',
          `${rest}/items?%FF=eq.1`,
          undefined,
          400,
          'PGRST100',
        ],
        [
          'bad percent-encoding in select',
          'GET',
          `${rest}/items?select=%FF`,
          undefined,
          400,
          'PGRST100',
        ],
        [
          'bad percent-encoding in a management path',
          'GET',
          `/api/database/%FF/tables`,
          undefined,
          404,
          'NOT_FOUND',
        ],
        [
          'a filter nested deep',
          'GET',
          `${rest}/items?${nestedFilter(deep)}`,
          undefined,
          400,
          'PGRST100',
        ],
        [
          'a filter nested deep, written with =',
          'GET',
          `${rest}/items?${'or=('.repeat(deep)}id.eq.1${')'.repeat(deep)}`,
          undefined,
          400,
          'PGRST100',
        ],
        [
          'a "cs" filter value nested deep',
          'GET',
          `${rest}/items?data=cs.${'['.repeat(deep)}${']'.repeat(deep)}`,
          undefined,
          400,
          'PGRST100',
        ],
        [
          'a filter one level too deep',
          'GET',
          `${rest}/items?${nestedFilter(MAX_FILTER_DEPTH)}`,
          undefined,
          400,
          'PGRST100',
        ],
        [
          'a JSON body 100,000 arrays deep',
          'POST',
          `${rest}/items`,
          `{"id":1,"data":${deepArray}}`,
          400,
          'PGRST100',
        ],
        ['a JSON body 50,000 objects deep', 'POST', `${rest}/items`, deepObject, 400, 'PGRST100'],
        [
          'a JSON body one level too deep',
          'POST',
          `${rest}/items`,
          `{"id":1,"data":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`,
          400,
          'PGRST100',
        ],
        [
          'a deep JSON body to the management API',
          'POST',
          `/api/projects`,
          deepObject,
          400,
          'VALIDATION_FAILED',
        ],
      ]
    }

    it('through the handler', async () => {
      for (const [name, method, path, body, status, code] of cases(3000)) {
        const response = await handler(
          new Request(`http://localhost${path}`, {
            method,
            headers: {
              apikey: SERVICE_KEY,
              'x-user': 'hostile-input-owner',
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(body === undefined ? {} : { body }),
          }),
        )
        const text = await response.text()
        expect({ name, status: response.status }).toEqual({ name, status })
        const parsed = JSON.parse(text)
        expect({ name, code: parsed.code ?? parsed.error?.code }).toEqual({ name, code })
      }
      expect(errors).toEqual([])
    })

    // Node itself answers 431 to a request line over 16 KiB: 1,000 levels fit under it.
    it('through the Node mount over a real socket', async () => {
      for (const [name, method, path, body, status, code] of cases(1000)) {
        const response = await send(
          origin,
          method,
          path,
          {
            apikey: SERVICE_KEY,
            'x-user': 'hostile-input-owner',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body,
        )
        expect({ name, status: response.status }).toEqual({ name, status })
        const parsed = JSON.parse(response.body)
        expect({ name, code: parsed.code ?? parsed.error?.code }).toEqual({ name, code })
      }
      expect(errors).toEqual([])
    })

    it('still accepts a filter nested a few levels and a JSON body nested a few levels', async () => {
      let nested: unknown = { d: 'deep enough' }
      // 60 levels: jsonb columns take up to 64 (the engine's own limit).
      for (let i = 0; i < 60; i++) {
        nested = i % 2 === 0 ? [nested] : { a: nested }
      }
      const created = await handler(
        new Request(`http://localhost/db/${db.id}/rest/v1/items`, {
          method: 'POST',
          headers: {
            apikey: SERVICE_KEY,
            'content-type': 'application/json',
            prefer: 'return=representation',
          },
          body: JSON.stringify({ id: 7, data: nested }),
        }),
      )
      expect(created.status).toBe(201)
      expect((await created.json())[0].data).toEqual(nested)
      const found = await handler(
        new Request(
          `http://localhost/db/${db.id}/rest/v1/items?${nestedFilter(MAX_FILTER_DEPTH - 1, 7)}`,
          { headers: { apikey: SERVICE_KEY } },
        ),
      )
      expect(found.status).toBe(200)
      expect((await found.json()).map((r: { id: number }) => r.id)).toEqual([7])
    })
  })
}
