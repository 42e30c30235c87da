import { createClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, expect, it } from 'vitest'
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
  const projects = await fetch(`${server.url}/api/projects`, { headers: { authorization: 'Bearer test-token' } })
  expect(projects.status).toBe(200)
  expect((await projects.json()).map((p: { name: string }) => p.name)).toEqual(['Demo'])
  const big = await fetch(`${server.url}/api/projects`, { method: 'POST', headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(2_000_000) }) })
  expect(big.status).toBe(413)
})

it('seeds a demo project whose data API works with supabase-js over HTTP', async () => {
  const demo = server.demo!
  const client = createClient(demo.dataURL, demo.anonKey, { auth: { persistSession: false, autoRefreshToken: false } })
  const signUp = await client.auth.signUp({ email: 'demo@example.com', password: 'demo password 123' })
  expect(signUp.error).toBeNull()
  const todo = await client.from('todos').insert({ title: 'try Basebox' }).select().single()
  expect(todo.error).toBeNull()
  expect((await client.from('todos').select('title, done')).data).toEqual([{ title: 'try Basebox', done: false }])
})
