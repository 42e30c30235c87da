import type { Basebox } from '@basebox/core'
import type { TestHarness } from '@basebox/core/testing'
import { BLOG_TABLES } from '@basebox/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandler, type BaseboxHandler } from './handler.js'
import { MANAGEMENT_OPERATIONS } from './openapi.js'
import { createRateLimiter } from './rate-limit.js'
import { testBackends } from './testing.js'

for (const backend of testBackends()) {
  describe(`${backend.name}: management API`, () => {
    let h: TestHarness
    let bb: Basebox
    let handler: BaseboxHandler
    const errors: unknown[] = []

    beforeAll(async () => {
      h = await backend.create()
      bb = await h.engine()
      handler = createHandler({
        basebox: bb,
        getOwner: (r) => r.headers.get('x-user'),
        maxBodyBytes: 64 * 1024,
        log: (e) => errors.push(e),
      })
    })
    afterAll(async () => {
      await h?.close()
    })

    const call = async (
      method: string,
      path: string,
      body?: unknown,
      user: string | null = 'alice',
      headers: Record<string, string> = {},
    ) => {
      const response = await handler(
        new Request(`http://localhost${path}`, {
          method,
          headers: {
            ...(user ? { 'x-user': user } : {}),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          ...(body === undefined
            ? {}
            : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        }),
      )
      const text = await response.text()
      return {
        status: response.status,
        headers: response.headers,
        body: text === '' ? undefined : JSON.parse(text),
      }
    }

    it('runs the plan’s flow: project, database, tables, records, SQL, audit', async () => {
      const project = await call('POST', '/api/projects', { name: 'Blog' })
      expect(project.status).toBe(201)
      const created = await call('POST', '/api/database/create', { projectId: project.body.id })
      expect(created.status).toBe(201)
      expect(created.body.tables.map((t: { name: string }) => t.name)).toEqual(['users'])
      const id = created.body.database.id
      for (const definition of BLOG_TABLES) {
        expect(
          (await call('POST', `/api/database/${id}/tables/create`, { definition })).status,
        ).toBe(201)
      }
      expect(
        (await call('GET', `/api/database/${id}/tables`)).body.map((t: { name: string }) => t.name),
      ).toEqual(['users', 'posts', 'comments'])
      const [user] = (
        await call('POST', `/api/database/${id}/records/create`, {
          table: 'users',
          rows: { email: 'a@example.com' },
        })
      ).body
      const posts = await call('POST', `/api/database/${id}/records/create`, {
        table: 'posts',
        rows: [{ title: 'one', author_id: user.id }, { title: 'two' }],
      })
      expect(posts.status).toBe(201)
      const query = await call('POST', `/api/database/${id}/records/query`, {
        table: 'posts',
        query: { where: { title: { ilike: 'o%' } }, expand: ['author'], count: 'exact' },
      })
      expect(query.body.count).toBe(1)
      expect(query.body.rows[0].author.email).toBe('a@example.com')
      const updated = await call('PUT', `/api/database/${id}/records/posts/${posts.body[1].id}`, {
        patch: { views: 3 },
      })
      expect(updated.body.views).toBe(3)
      expect(
        (await call('DELETE', `/api/database/${id}/records/posts/${posts.body[1].id}`)).status,
      ).toBe(200)
      expect(
        (await call('DELETE', `/api/database/${id}/records/posts/${posts.body[1].id}`)).status,
      ).toBe(404)
      const plan = await call('POST', `/api/database/${id}/tables/plan`, {
        wanted: (await call('GET', `/api/database/${id}/tables`)).body.map(
          (t: { definition: { name: string; columns: unknown[] } }) =>
            t.definition.name === 'posts'
              ? {
                  ...t.definition,
                  columns: [...t.definition.columns, { name: 'subtitle', type: 'text' }],
                }
              : t.definition,
        ),
      })
      expect(plan.body.steps).toEqual([
        { kind: 'add_column', table: 'posts', column: { name: 'subtitle', type: 'text' } },
      ])
      expect(
        (await call('POST', `/api/database/${id}/tables/apply`, { steps: plan.body.steps })).status,
      ).toBe(200)
      const sql = await call('POST', `/api/database/${id}/sql`, {
        text: 'select count(*)::int as n from posts',
        options: { readOnly: true },
      })
      expect(sql.body.statements[0].rows).toEqual([[1]])
      const audit = await call('GET', `/api/database/${id}/audit?limit=2`)
      expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual([
        'sql.run',
        'schema.apply',
      ])
      expect((await call('DELETE', `/api/database/${id}/tables/comments`)).status).toBe(204)
      expect((await call('DELETE', `/api/projects/${project.body.id}`)).status).toBe(204)
      expect((await call('GET', `/api/database/${id}`)).status).toBe(404)
    })

    it('answers a statement stopped at its time limit with 504 TIMEOUT (408 is resent by browsers)', async ({
      skip,
    }) => {
      skip(!bb.capabilities.interruptsSQL, 'the driver cannot interrupt a running statement')
      const project = (await call('POST', '/api/projects', { name: 'Runaway' })).body
      const id = (await call('POST', '/api/database/create', { projectId: project.id })).body
        .database.id
      const response = await call('POST', `/api/database/${id}/sql`, {
        text: 'select pg_sleep(600)',
        options: { timeoutMs: 300 },
      })
      expect([response.status, response.body?.error?.code]).toEqual([504, 'TIMEOUT'])
      // The message says which limit stopped it (a 5xx otherwise says only "Internal error").
      expect(response.body.error.message).toMatch(/ran longer than 300 ms/)
      // The project's SQL still runs afterwards.
      const next = await call('POST', `/api/database/${id}/sql`, { text: 'select 1 as one' })
      expect(next.body.statements[0].rows).toEqual([[1]])
    })

    it('answers bad input with 4xx and a typed body, never a 500', async () => {
      const project = (await call('POST', '/api/projects', { name: 'Bad input' })).body
      const id = (await call('POST', '/api/database/create', { projectId: project.id })).body
        .database.id
      const cases: [string, string, unknown, number, string][] = [
        ['GET', '/api/projects', undefined, 401, 'UNAUTHENTICATED'],
        ['POST', '/api/projects', '{"name": "x"', 400, 'VALIDATION_FAILED'],
        ['POST', '/api/projects', { name: 'x', extra: 1 }, 400, 'VALIDATION_FAILED'],
        [
          'POST',
          `/api/database/${id}/tables/create`,
          { definition: { name: 'x"; drop', columns: [{ name: 'id', type: 'integer' }] } },
          400,
          'INVALID_IDENTIFIER',
        ],
        ['POST', `/api/database/${id}/records/query`, { table: 'nope' }, 404, 'NOT_FOUND'],
        [
          'POST',
          `/api/database/${id}/records/query`,
          { table: 'users', query: { limit: 5000 } },
          400,
          'VALIDATION_FAILED',
        ],
        [
          'POST',
          `/api/database/${id}/records/create`,
          { table: 'users', rows: [{ email: 'x@x' }, { email: 'x@x' }] },
          409,
          'CONFLICT',
        ],
        [
          'POST',
          `/api/database/${id}/records/delete`,
          { table: 'users', where: {} },
          400,
          'VALIDATION_FAILED',
        ],
        ['POST', `/api/database/${id}/sql`, { text: 'commit' }, 422, 'UNSUPPORTED'],
        ['POST', `/api/database/${id}/sql`, { text: 'selec 1' }, 400, 'VALIDATION_FAILED'],
        ['GET', `/api/database/00000000-0000-4000-8000-000000000000`, undefined, 404, 'NOT_FOUND'],
        ['GET', `/api/database/not-a-uuid/tables`, undefined, 404, 'NOT_FOUND'],
        ['GET', '/api/nope', undefined, 404, 'NOT_FOUND'],
        ['PATCH', '/api/database/create', {}, 422, 'UNSUPPORTED'],
        ['POST', '/api/database/create', { projectId: project.id }, 409, 'CONFLICT'],
      ]
      for (const [method, path, body, status, code] of cases) {
        const user = status === 401 ? null : 'alice'
        const response = await call(method, path, body, user)
        expect([method, path, response.status, response.body?.error?.code]).toEqual([
          method,
          path,
          status,
          code,
        ])
        expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+/)
      }
      expect(
        (await call('GET', '/api/projects', undefined, null)).headers.get('www-authenticate'),
      ).toMatch(/Bearer/)
      const wrongType = await handler(
        new Request('http://localhost/api/projects', {
          method: 'POST',
          headers: { 'x-user': 'alice', 'content-type': 'text/plain' },
          body: '{}',
        }),
      )
      expect(wrongType.status).toBe(400)
      expect(errors).toEqual([])
    })

    it('exports and imports over HTTP: JSON, SQL, and CSV streamed', async () => {
      const project = (await call('POST', '/api/projects', { name: 'Moving' })).body
      const id = (await call('POST', '/api/database/create', { projectId: project.id })).body
        .database.id
      await call('POST', `/api/database/${id}/records/create`, {
        table: 'users',
        rows: [{ email: 'a@example.com', full_name: 'A, "quoted"' }, { email: 'b@example.com' }],
      })
      const exported = await call('POST', `/api/database/${id}/export`, { format: 'json' })
      expect(exported.body.tables[0].rows).toHaveLength(2)
      const post = (payload: unknown) =>
        handler(
          new Request(`http://localhost/api/database/${id}/export`, {
            method: 'POST',
            headers: { 'x-user': 'alice', 'content-type': 'application/json' },
            body: JSON.stringify(payload),
          }),
        )
      const csv = await post({ format: 'csv', table: 'users' })
      expect(csv.headers.get('content-type')).toMatch(/text\/csv/)
      const text = await csv.text()
      expect(text.split('\r\n')[0]).toContain('email')
      expect(text).toContain('"A, ""quoted"""')
      expect((await post({ format: 'csv', table: 'nope' })).status).toBe(404)
      expect(await (await post({ format: 'sql' })).text()).toMatch(/create table/i)
      const targetProject = (await call('POST', '/api/projects', { name: 'Target' })).body
      const target = (await call('POST', '/api/database/create', { projectId: targetProject.id }))
        .body.database.id
      const imported = await call('POST', `/api/database/${target}/import`, {
        format: 'json',
        data: exported.body,
      })
      expect(imported.status).toBe(200)
      const count = async () =>
        (
          await call('POST', `/api/database/${target}/records/query`, {
            table: 'users',
            query: { count: 'exact', limit: 0 },
          })
        ).body.count
      expect(await count()).toBe(2)
      const duplicate = await call('POST', `/api/database/${target}/import`, {
        format: 'csv',
        data: 'email\r\nsame@x.io\r\nsame@x.io\r\n',
        options: { table: 'users' },
      })
      expect([400, 409]).toContain(duplicate.status)
      expect(await count()).toBe(2)
    })

    it('refuses a body over the limit with 413 before reading it all', async () => {
      const big = JSON.stringify({ name: 'x'.repeat(100 * 1024) })
      expect((await call('POST', '/api/projects', big)).status).toBe(413)
      let pulled = 0
      const stream = new ReadableStream({
        pull(controller) {
          pulled++
          if (pulled > 1000) {
            controller.close()
            return
          }
          controller.enqueue(new TextEncoder().encode('x'.repeat(16 * 1024)))
        },
      })
      const response = await handler(
        new Request('http://localhost/api/projects', {
          method: 'POST',
          headers: { 'x-user': 'alice', 'content-type': 'application/json' },
          body: stream,
          duplex: 'half',
        } as RequestInit),
      )
      expect(response.status).toBe(413)
      expect(pulled).toBeLessThan(10)
    })

    it('keeps owners apart', async () => {
      const project = (await call('POST', '/api/projects', { name: 'Private' }, 'carol')).body
      const id = (await call('POST', '/api/database/create', { projectId: project.id }, 'carol'))
        .body.database.id
      expect((await call('GET', `/api/projects/${project.id}`, undefined, 'mallory')).status).toBe(
        404,
      )
      expect((await call('GET', `/api/database/${id}/tables`, undefined, 'mallory')).status).toBe(
        404,
      )
      expect(
        (await call('POST', `/api/database/${id}/sql`, { text: 'select 1' }, 'mallory')).status,
      ).toBe(404)
      expect((await call('GET', '/api/projects', undefined, 'mallory')).body).toEqual([])
    })

    it('rate limits per owner with 429 and Retry-After', async () => {
      const limited = createHandler({
        basebox: bb,
        getOwner: () => 'rate-user',
        rateLimit: createRateLimiter({ max: 3, windowMs: 60_000 }),
      })
      const statuses: number[] = []
      let last: Response | undefined
      for (let i = 0; i < 5; i++) {
        last = await limited(new Request('http://localhost/api/projects'), { clientIP: '10.0.0.1' })
        statuses.push(last.status)
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429])
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0)
    })

    it('publishes an OpenAPI document of every management route', async () => {
      const doc = (await call('GET', '/api/openapi.json', undefined, null)).body
      expect(doc.openapi).toBe('3.1.0')
      expect(Object.keys(doc.paths)).toHaveLength(
        new Set(MANAGEMENT_OPERATIONS.map((o) => o[1])).size,
      )
      const create = doc.paths['/api/database/{databaseId}/tables/create'].post
      expect(JSON.stringify(create.requestBody)).toContain('timestamptz')
    })
  })
}
