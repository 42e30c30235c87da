import { createClient } from '@supabase/supabase-js'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from './server.js'

let server: RunningServer

beforeAll(async () => {
  server = await startServer({ dataDir: 'memory://', port: 0, ownerToken: 'test-token' })
})
afterAll(async () => {
  await server?.close()
})

it('serves the management API over a real socket', async () => {
  const unauthorized = await fetch(`${server.url}/api/projects`)
  expect(unauthorized.status).toBe(401)
  const projects = await fetch(`${server.url}/api/projects`, {
    headers: { authorization: 'Bearer test-token' },
  })
  expect(projects.status).toBe(200)
  expect((await projects.json()).map((p: { name: string }) => p.name)).toEqual(['Demo'])
  const big = await fetch(`${server.url}/api/projects`, {
    method: 'POST',
    headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'x'.repeat(2_000_000) }),
  })
  expect(big.status).toBe(413)
})

it("manages the demo database's end users and API keys through the management API", async () => {
  const headers = { authorization: 'Bearer test-token', 'content-type': 'application/json' }
  const base = `${server.url}/api/database/${server.demo!.databaseId}`
  const key = await fetch(`${base}/keys`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'from the test', kind: 'anon' }),
  })
  expect(key.status).toBe(201)
  expect((await key.json()).key.length).toBeGreaterThan(20)
  const user = await fetch(`${base}/users`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ email: 'admin-made@example.com', password: 'long enough 1' }),
  })
  expect(user.status).toBe(201)
  const users = await fetch(`${base}/users/query`, { method: 'POST', headers, body: '{}' })
  expect(users.status).toBe(200)
  expect((await users.json()).users.map((u: { email: string }) => u.email)).toContain(
    'admin-made@example.com',
  )
})

it('seeds a demo project whose data API works with supabase-js over HTTP', async () => {
  const demo = server.demo!
  const client = createClient(demo.dataURL, demo.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  })
  const signUp = await client.auth.signUp({
    email: 'demo@example.com',
    password: 'demo password 123',
  })
  expect(signUp.error).toBeNull()
  const todo = await client.from('todos').insert({ title: 'try Basebox' }).select().single()
  expect(todo.error).toBeNull()
  expect((await client.from('todos').select('title, done')).data).toEqual([
    { title: 'try Basebox', done: false },
  ])
})

// On PostgreSQL: Postgres ending the server's connections (a restart, a failover,
// pg_terminate_backend) must neither kill the process nor turn into 500s.
describe.runIf(process.env.DATABASE_URL)(
  'on PostgreSQL, when Postgres ends its connections',
  () => {
    const name = `basebox_app_${randomUUID().replaceAll('-', '').slice(0, 16)}`
    let admin: pg.Client
    let pgServer: RunningServer
    const logged: string[] = []

    beforeAll(async () => {
      admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
      await admin.connect()
      await admin.query(`create database ${name}`)
      const url = new URL(process.env.DATABASE_URL!)
      url.pathname = `/${name}`
      pgServer = await startServer({
        databaseURL: url.toString(),
        port: 0,
        ownerToken: 'pg-token',
        log: (message) => logged.push(message),
      })
    })
    afterAll(async () => {
      await pgServer?.close()
      await admin?.query(`drop database if exists ${name} with (force)`)
      await admin?.end()
    })

    /** Ends every backend of this test's own database (never another's: the server is shared). */
    const terminate = async (): Promise<number> =>
      (
        await admin.query(
          'select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
          [name],
        )
      ).rowCount ?? 0

    const projects = () =>
      fetch(`${pgServer.url}/api/projects`, { headers: { authorization: 'Bearer pg-token' } })

    it('keeps serving after its idle connections are terminated', async () => {
      const demo = pgServer.demo!
      const client = createClient(demo.dataURL, demo.anonKey, {
        auth: { persistSession: false, autoRefreshToken: false },
      })
      expect(
        (await client.auth.signUp({ email: 'pg@example.com', password: 'pg password 1234' })).error,
      ).toBeNull()
      expect((await projects()).status).toBe(200)
      expect(await terminate()).toBeGreaterThan(0)
      const statuses: number[] = []
      for (let i = 0; i < 5; i++) {
        const response = await projects()
        statuses.push(response.status)
        if (response.status !== 200) {
          expect(response.status).toBe(503)
          expect((await response.json()).error.code).toBe('UNAVAILABLE')
        } else {
          await response.body?.cancel()
        }
      }
      expect(statuses.at(-1)).toBe(200)
      const todo = await client
        .from('todos')
        .insert({ title: 'after the restart' })
        .select()
        .single()
      expect(todo.error?.code ?? null).toBe(null)
      expect(todo.data?.title).toBe('after the restart')
    })

    it('answers a request whose connection is terminated under it with a typed 503, then recovers', async () => {
      const sql = fetch(`${pgServer.url}/api/database/${pgServer.demo!.databaseId}/sql`, {
        method: 'POST',
        headers: { authorization: 'Bearer pg-token', 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'select pg_sleep(30)' }),
      })
      let seen = 0
      for (let i = 0; i < 500 && seen === 0; i++) {
        seen =
          (
            await admin.query(
              `select 1 from pg_stat_activity where datname = $1 and state = 'active' and query like '%pg_sleep(30)%'`,
              [name],
            )
          ).rowCount ?? 0
        if (seen === 0) {
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
      }
      expect(seen).toBe(1)
      expect(await terminate()).toBeGreaterThan(0)
      const response = await sql
      expect(response.status).toBe(503)
      expect((await response.json()).error.code).toBe('UNAVAILABLE')
      let last = 0
      for (let i = 0; i < 5 && last !== 200; i++) {
        const next = await projects()
        last = next.status
        await next.body?.cancel()
      }
      expect(last).toBe(200)
    })
  },
)
