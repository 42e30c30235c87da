import { createClient } from '@supabase/supabase-js'
import type { TestHarness } from '@basebox/core/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createHandler } from '../handler.js'
import { testBackends } from '../testing.js'

// supabase-js against the real handler on PGlite: nested embeds and numbers (issue 17, first cases).
let h: TestHarness
let client: ReturnType<typeof createClient>
beforeAll(async () => {
  h = await testBackends()[0]!.create()
  const bb = await h.engine()
  const handler = createHandler({ basebox: bb, getOwner: () => null, dataAuth: { identify: async () => 'service' } })
  const owner = bb.owner('embed-owner')
  const db = await owner.createDatabase((await owner.createProject({ name: 'Blog' })).id)
  await db.createTable({ name: 'posts', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'title', type: 'text' }, { name: 'price', type: 'numeric' }, { name: 'author_id', type: 'uuid', references: { table: 'users' } }] })
  await db.createTable({ name: 'comments', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'post_id', type: 'integer', references: { table: 'posts' } }, { name: 'user_id', type: 'uuid', references: { table: 'users' } }, { name: 'body', type: 'text' }] })
  await db.createTable({ name: 'tags', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'name', type: 'text' }] })
  await db.createTable({ name: 'post_tags', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'post_id', type: 'integer', references: { table: 'posts' } }, { name: 'tag_id', type: 'integer', references: { table: 'tags' } }] })
  const [u] = await db.insert('users', { email: 'a@example.com', full_name: 'Ann' })
  await db.insert('posts', { id: 1, title: 'Hello', price: '19.5', author_id: u!.id })
  await db.insert('comments', [{ id: 1, post_id: 1, user_id: u!.id, body: 'one' }])
  await db.insert('tags', [{ id: 1, name: 'pg' }])
  await db.insert('post_tags', [{ id: 1, post_id: 1, tag_id: 1 }])
  client = createClient(`http://localhost/db/${db.id}`, 'k', { auth: { persistSession: false }, global: { fetch: (i: RequestInfo | URL, init?: RequestInit) => handler(new Request(i, init)) } })
}, 120_000)
afterAll(async () => h?.close())

it('answers nested, aliased and many-to-many embeds with the right data, numbers as numbers', async () => {
  const r = await client.from('posts').select('headline:title,price,author:users(full_name),comments(body,users(full_name)),post_tags(tags(name)),tags(name)').single()
  expect(r.error).toBeNull()
  expect(r.data).toEqual({ headline: 'Hello', price: 19.5, author: { full_name: 'Ann' }, comments: [{ body: 'one', users: { full_name: 'Ann' } }], post_tags: [{ tags: { name: 'pg' } }], tags: [{ name: 'pg' }] })
})
