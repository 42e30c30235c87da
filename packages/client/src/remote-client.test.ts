import { afterEach, describe, expect, it, vi } from 'vitest'
import { BaseboxError, DatabaseError, ValidationError } from './errors.js'
import { createRemoteClient } from './remote-client.js'

interface Sent {
  url: string
  method: string
  headers: Record<string, string>
  body: unknown
}

/** A fake server: records each request and answers with `respond`. */
function fakeFetch(respond: (sent: Sent) => Response | Promise<Response>) {
  const sent: Sent[] = []
  const fetch = async (input: string, init: RequestInit) => {
    const request = {
      url: input,
      method: init.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: init.body === undefined ? undefined : JSON.parse(String(init.body)),
    }
    sent.push(request)
    return respond(request)
  }
  return { sent, fetch }
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

async function failure(call: Promise<unknown>): Promise<BaseboxError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(BaseboxError)
  return error as BaseboxError
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('createRemoteClient', () => {
  it('calls the management API paths with JSON bodies and the host headers', async () => {
    const { sent, fetch } = fakeFetch(() => json([]))
    const client = createRemoteClient({
      url: 'https://example.com/basebox/',
      fetch,
      headers: { 'x-user': 'alice' },
    })
    await client.listProjects()
    await client.createTable('db-1', { name: 'posts', columns: [{ name: 'id', type: 'integer' }] })
    await client.planChanges('db-1', [], { cascade: true })
    await client.insertRows('db-1', 'posts', { id: 1 }, {
      returning: false,
      allowSecret: true,
    } as never)
    await client.upsertRows('db-1', 'posts', [{ id: 2 }], { onConflict: 'id' })
    await client.updateRows('db-1', 'posts', { id: 1 }, { id: 3 }, { all: false })
    await client.deleteRows('db-1', 'posts', { id: 3 })
    await client.selectRows('db-1', 'posts')
    await client.runSQL('db-1', 'select $1', [1], { readOnly: true })
    await client.auditLog('db-1', { limit: 5, cursor: '42' })
    await client.auditLog('db-1')
    expect(sent.map((s) => [s.method, s.url, s.body])).toEqual([
      ['GET', 'https://example.com/basebox/api/projects', undefined],
      [
        'POST',
        'https://example.com/basebox/api/database/db-1/tables/create',
        { definition: { name: 'posts', columns: [{ name: 'id', type: 'integer' }] } },
      ],
      [
        'POST',
        'https://example.com/basebox/api/database/db-1/tables/plan',
        { wanted: [], options: { cascade: true } },
      ],
      [
        'POST',
        'https://example.com/basebox/api/database/db-1/records/create',
        { table: 'posts', rows: { id: 1 }, returning: false },
      ],
      [
        'POST',
        'https://example.com/basebox/api/database/db-1/records/upsert',
        { table: 'posts', rows: [{ id: 2 }], onConflict: 'id' },
      ],
      [
        'POST',
        'https://example.com/basebox/api/database/db-1/records/update',
        { table: 'posts', where: { id: 1 }, patch: { id: 3 }, all: false },
      ],
      [
        'POST',
        'https://example.com/basebox/api/database/db-1/records/delete',
        { table: 'posts', where: { id: 3 } },
      ],
      ['POST', 'https://example.com/basebox/api/database/db-1/records/query', { table: 'posts' }],
      [
        'POST',
        'https://example.com/basebox/api/database/db-1/sql',
        { text: 'select $1', params: [1], options: { readOnly: true } },
      ],
      ['GET', 'https://example.com/basebox/api/database/db-1/audit?limit=5&cursor=42', undefined],
      ['GET', 'https://example.com/basebox/api/database/db-1/audit', undefined],
    ])
    expect(sent[0]!.headers).toEqual({ accept: 'application/json', 'x-user': 'alice' })
    expect(sent[1]!.headers).toEqual({
      accept: 'application/json',
      'content-type': 'application/json',
      'x-user': 'alice',
    })
  })

  it('asks a headers function before every request', async () => {
    const { sent, fetch } = fakeFetch(() => json([]))
    let n = 0
    const client = createRemoteClient({
      url: '',
      fetch,
      headers: async () => ({ authorization: `Bearer token-${++n}` }),
    })
    await client.listProjects()
    await client.listProjects()
    expect(sent.map((s) => [s.url, s.headers.authorization])).toEqual([
      ['/api/projects', 'Bearer token-1'],
      ['/api/projects', 'Bearer token-2'],
    ])
  })

  it('uses the global fetch by default', async () => {
    const { sent, fetch } = fakeFetch(() => json({ id: 'p' }))
    vi.stubGlobal('fetch', fetch)
    expect(await createRemoteClient({ url: 'http://localhost:3000' }).getProject('p')).toEqual({
      id: 'p',
    })
    expect(sent[0]!.url).toBe('http://localhost:3000/api/projects/p')
  })

  it('encodes path segments, and refuses empty and dot segments without a request', async () => {
    const { sent, fetch } = fakeFetch(() => new Response(null, { status: 204 }))
    const client = createRemoteClient({ url: 'http://x', fetch })
    await client.dropTable('db/1', 'a b?c', { cascade: true })
    expect(sent[0]!.url).toBe('http://x/api/database/db%2F1/tables/a%20b%3Fc?cascade=true')
    for (const call of [
      client.getProject(''),
      client.getTable('db', '..'),
      client.listTables('.'),
      client.deleteProject(''),
    ]) {
      expect((await failure(call)).code).toBe('NOT_FOUND')
    }
    expect(sent).toHaveLength(1)
  })

  it('answers 204 with undefined and returns the created database of createDatabase', async () => {
    const { sent, fetch } = fakeFetch((s) =>
      s.method === 'DELETE'
        ? new Response(null, { status: 204 })
        : json({ database: { id: 'db' }, tables: [], message: 'x' }, 201),
    )
    const client = createRemoteClient({ url: 'http://x', fetch })
    expect(await client.deleteProject('p')).toBeUndefined()
    expect(await client.createDatabase('p', { name: 'main' })).toEqual({ id: 'db' })
    expect(sent[1]!.body).toEqual({ name: 'main', projectId: 'p' })
  })

  it('sends bigint values as exact strings', async () => {
    const { sent, fetch } = fakeFetch(() => json([]))
    await createRemoteClient({ url: 'http://x', fetch }).insertRows('db', 't', {
      n: 9007199254740993n,
    } as never)
    expect(sent[0]!.body).toEqual({ table: 't', rows: { n: '9007199254740993' } })
  })

  it('sends only the steps of a plan', async () => {
    const { sent, fetch } = fakeFetch(() => json([]))
    await createRemoteClient({ url: 'http://x', fetch }).applyPlan('db', {
      steps: [{ kind: 'drop_table', table: 't' }],
      problems: [],
    } as never)
    expect(sent[0]!.body).toEqual({ steps: [{ kind: 'drop_table', table: 't' }] })
  })

  describe('given an error answer', () => {
    const answer = (response: () => Response) =>
      createRemoteClient({ url: 'http://x', fetch: async () => response() })

    it('rebuilds the BaseboxError of the body', async () => {
      const error = await failure(
        answer(() =>
          json(
            {
              error: {
                code: 'NOT_FOUND',
                message: 'database not found',
                details: { database_id: 'd' },
              },
            },
            404,
          ),
        ).listTables('d'),
      )
      expect(error).not.toBeInstanceOf(ValidationError)
      expect([error.code, error.message, error.details]).toEqual([
        'NOT_FOUND',
        'database not found',
        { database_id: 'd' },
      ])
    })

    it('rebuilds a ValidationError with its issues', async () => {
      const issues = [{ path: ['definition', 'name'], message: 'bad name' }]
      const error = await failure(
        answer(() =>
          json(
            {
              error: {
                code: 'INVALID_IDENTIFIER',
                message: 'invalid request body: bad name',
                details: { issues },
              },
            },
            400,
          ),
        ).listProjects(),
      )
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).issues).toEqual(issues)
      expect(error.code).toBe('INVALID_IDENTIFIER')
      expect(error.details).toEqual({ issues })
    })

    it('rebuilds a DatabaseError when the details name a SQLSTATE', async () => {
      const error = await failure(
        answer(() =>
          json(
            {
              error: {
                code: 'CONFLICT',
                message: 'duplicate',
                details: { sql_state: '23505', table: 't' },
              },
            },
            409,
          ),
        ).listProjects(),
      )
      expect(error).toBeInstanceOf(DatabaseError)
      expect((error as DatabaseError).sqlState).toBe('23505')
    })

    it('falls back on the status for bodies that are not Basebox errors', async () => {
      const cases: [Response, string][] = [
        [
          new Response('<html><body>Bad Gateway</body></html>', {
            status: 502,
            statusText: 'Bad Gateway',
            headers: { 'content-type': 'text/html' },
          }),
          'INTERNAL',
        ],
        [new Response('Not Found', { status: 404 }), 'NOT_FOUND'],
        [new Response('', { status: 429 }), 'LIMIT_EXCEEDED'],
        [new Response('', { status: 401 }), 'UNAUTHENTICATED'],
        [
          json({ error: { code: 'SOMETHING_NEW', message: 'from a newer server' } }, 409),
          'CONFLICT',
        ],
        [json({ message: 'not ours' }, 418), 'INTERNAL'],
      ]
      for (const [response, code] of cases) {
        const error = await failure(answer(() => response).listProjects())
        expect([response.status, error.code]).toEqual([response.status, code])
        expect(error.details?.status).toBe(response.status)
      }
      const html = await failure(
        answer(
          () =>
            new Response('<html><body>Bad   Gateway</body></html>', {
              status: 502,
              statusText: 'Bad Gateway',
            }),
        ).listProjects(),
      )
      expect(html.message).toBe('the server answered 502 Bad Gateway')
      expect(html.details).toEqual({ status: 502, body: '<html><body>Bad Gateway</body></html>' })
    })

    it('refuses a successful answer that is not JSON', async () => {
      const error = await failure(
        answer(
          () =>
            new Response('<!doctype html>', {
              status: 200,
              headers: { 'content-type': 'text/html' },
            }),
        ).listProjects(),
      )
      expect([error.code, error.details]).toEqual([
        'INTERNAL',
        { status: 200, content_type: 'text/html' },
      ])
    })
  })

  it('turns a network failure into INTERNAL and a timeout into TIMEOUT, keeping the cause', async () => {
    const offline = new TypeError('fetch failed')
    const network = await failure(
      createRemoteClient({ url: 'http://x', fetch: () => Promise.reject(offline) }).listProjects(),
    )
    expect([network.code, network.details, network.cause]).toEqual([
      'INTERNAL',
      { reason: 'network' },
      offline,
    ])
    expect(network.message).toBe(
      'could not reach the Basebox server for GET /api/projects: fetch failed',
    )
    const slow = await failure(
      createRemoteClient({
        url: 'http://x',
        fetch: () => Promise.reject(new DOMException('timed out', 'TimeoutError')),
      }).listProjects(),
    )
    expect([slow.code, slow.details]).toEqual(['TIMEOUT', { reason: 'timeout' }])
  })

  it('needs a url', () => {
    expect(() => createRemoteClient({} as never)).toThrow(BaseboxError)
  })

  it('passes the abort signal of a read to fetch, and rejects with its reason', async () => {
    const signals: (AbortSignal | null | undefined)[] = []
    const fetch = (_input: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        signals.push(init.signal)
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason))
      })
    const client = createRemoteClient({ url: 'https://example.com', fetch })
    const controller = new AbortController()
    const pending = client.selectRows('db-1', 'posts', { limit: 1 }, { signal: controller.signal })
    await vi.waitFor(() => expect(signals).toHaveLength(1))
    controller.abort()
    const error = await pending.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(DOMException)
    expect((error as DOMException).name).toBe('AbortError')
    expect(signals[0]).toBe(controller.signal)

    // Already aborted: nothing is sent.
    await expect(client.listTables('db-1', { signal: controller.signal })).rejects.toBe(
      controller.signal.reason,
    )
    await expect(client.getTable('db-1', 'posts', { signal: controller.signal })).rejects.toBe(
      controller.signal.reason,
    )
    await expect(client.auditLog('db-1', { signal: controller.signal })).rejects.toBe(
      controller.signal.reason,
    )
    expect(signals).toHaveLength(1)
  })

  it('imports with a signal and reports the bytes of the request: none when sent, all once answered', async () => {
    const bodies: string[] = []
    const report = { tables: [], steps: [], warnings: [], dryRun: false }
    const client = createRemoteClient({
      url: 'https://example.com',
      fetch: async (_input, init) => {
        bodies.push(String(init.body))
        expect(init.signal).toBeInstanceOf(AbortSignal)
        return json(report)
      },
    })
    const progress: unknown[] = []
    const data = 'id,name\n1,Zoë 👋\n'
    const result = await client.importData('db-1', data, {
      format: 'csv',
      table: 'people',
      signal: new AbortController().signal,
      onProgress: (p) => progress.push(p),
    })
    expect(result).toEqual(report)
    // Neither the signal nor the callback is sent; the size is the body's, in UTF-8.
    expect(JSON.parse(bodies[0]!)).toEqual({ format: 'csv', data, options: { table: 'people' } })
    const size = new TextEncoder().encode(bodies[0]!).length
    expect(progress).toEqual([
      { unit: 'bytes', done: 0, total: size },
      { unit: 'bytes', done: size, total: size },
    ])

    const controller = new AbortController()
    const hanging = createRemoteClient({
      url: 'https://example.com',
      fetch: (_input, init) =>
        new Promise<Response>((_resolve, reject) =>
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        ),
    })
    const seen: unknown[] = []
    const pending = hanging.importData('db-1', data, {
      format: 'csv',
      table: 'people',
      signal: controller.signal,
      onProgress: (p) => seen.push(p),
    })
    await vi.waitFor(() => expect(seen).toHaveLength(1))
    controller.abort()
    await expect(pending).rejects.toBe(controller.signal.reason)
    expect(seen).toHaveLength(1) // no "done" for a cancelled import
  })
})
