import { BaseboxError } from '@basebox/client'
import type { Basebox, DatabaseHandle } from '@basebox/core'
import type { TestHarness } from '@basebox/core/testing'
import { createClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandler, type BaseboxHandler } from './handler.js'
import type { DataAPIAuth } from './routes/data-api.js'
import { testBackends } from './testing.js'

// Static keys stand in for @basebox/auth here; auth.test.ts runs the same API with real keys.
const SERVICE_KEY = 'service-key-for-tests'
const ANON_KEY = 'anon-key-for-tests'
const USER_TOKENS = new Map<string, string>()

const staticAuth: DataAPIAuth = {
  async identify(_db, { apiKey, bearer }) {
    if (apiKey !== SERVICE_KEY && apiKey !== ANON_KEY) {
      throw new BaseboxError('UNAUTHENTICATED', 'invalid API key')
    }
    if (bearer !== null) {
      const userId = USER_TOKENS.get(bearer)
      if (userId === undefined) {
        throw new BaseboxError('UNAUTHENTICATED', 'invalid token')
      }
      return { role: 'authenticated', userId }
    }
    return apiKey === SERVICE_KEY ? 'service' : { role: 'anon' }
  },
}

for (const backend of testBackends()) {
  describe(`${backend.name}: data API`, () => {
    let h: TestHarness
    let bb: Basebox
    let db: DatabaseHandle
    let handler: BaseboxHandler
    let alice: string

    beforeAll(async () => {
      h = await backend.create()
      bb = await h.engine()
      handler = createHandler({ basebox: bb, getOwner: () => null, dataAuth: staticAuth })
      const owner = bb.owner('data-api-owner')
      db = await owner.createDatabase((await owner.createProject({ name: 'App' })).id)
      await db.createTable({
        name: 'posts',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'title', type: 'text', required: true },
          { name: 'views', type: 'integer', default: 0 },
          { name: 'tags', type: 'jsonb' },
          { name: 'author_id', type: 'uuid', references: { table: 'users' } },
          { name: 'created_at', type: 'timestamptz', default: 'now()' },
        ],
        access: {
          select: 'public',
          insert: 'authenticated',
          update: 'owner',
          delete: 'owner',
          owner_column: 'author_id',
        },
      })
      await db.createTable({
        name: 'comments',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          {
            name: 'post_id',
            type: 'integer',
            references: { table: 'posts', on_delete: 'cascade' },
          },
          { name: 'body', type: 'text' },
        ],
        access: { select: 'public' },
      })
      ;[alice] = (await db.insert('users', { email: 'alice@example.com' })).map(
        (u) => u.id as string,
      ) as [string]
      USER_TOKENS.set('alice-token', alice)
      await db.insert('posts', [
        { id: 1, title: 'Hello pg', views: 10, tags: ['pg'], author_id: alice },
        { id: 2, title: 'Second', views: 5, tags: ['misc'] },
        { id: 3, title: 'Third PG', views: null },
      ])
      await db.insert('comments', [
        { id: 1, post_id: 1, body: 'first' },
        { id: 2, post_id: 1, body: 'second' },
      ])
    })
    afterAll(async () => {
      await h?.close()
    })

    const supabase = (key: string, token?: string) =>
      createClient(`http://localhost/db/${db.id}`, key, {
        auth: { persistSession: false, autoRefreshToken: false },
        global: {
          fetch: (input: RequestInfo | URL, init?: RequestInit) =>
            handler(new Request(input, init)),
          ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
        },
      })

    it('selects with filters, ordering, ranges, counts and embedded relations through supabase-js', async () => {
      const client = supabase(ANON_KEY)
      const ilike = await client
        .from('posts')
        .select('id, title')
        .ilike('title', '%pg%')
        .order('id')
      expect(ilike.error).toBeNull()
      expect(ilike.data).toEqual([
        { id: 1, title: 'Hello pg' },
        { id: 3, title: 'Third PG' },
      ])
      const ranged = await client
        .from('posts')
        .select('id', { count: 'exact' })
        .order('views', { ascending: false, nullsFirst: false })
        .range(0, 1)
      expect(ranged.data).toEqual([{ id: 1 }, { id: 2 }])
      expect(ranged.count).toBe(3)
      const or = await client.from('posts').select('id').or('views.gt.7,views.is.null').order('id')
      expect(or.data).toEqual([{ id: 1 }, { id: 3 }])
      const within = await client.from('posts').select('id').in('id', [2, 3]).neq('id', 3)
      expect(within.data).toEqual([{ id: 2 }])
      const contains = await client.from('posts').select('id').contains('tags', ['pg'])
      expect(contains.data).toEqual([{ id: 1 }])
      const embedded = await client
        .from('posts')
        .select('title, comments(body)')
        .eq('id', 1)
        .single()
      expect(embedded.error).toBeNull()
      expect(embedded.data).toEqual({
        title: 'Hello pg',
        comments: [{ body: 'first' }, { body: 'second' }],
      })
      const none = await client.from('posts').select('id').eq('id', 99).single()
      expect(none.error?.code).toBe('PGRST116')
    })

    it('inserts, updates, upserts and deletes under the access rules', async () => {
      const anon = supabase(ANON_KEY)
      const refused = await anon.from('posts').insert({ id: 10, title: 'anon' })
      expect(refused.error).not.toBeNull()
      expect(refused.status).toBe(401) // PostgREST: a refused privilege is 401 for anon, 403 when signed in
      expect(refused.error?.code).toBe('42501')
      const user = supabase(ANON_KEY, 'alice-token')
      const inserted = await user
        .from('posts')
        .insert({ id: 10, title: 'by alice' })
        .select()
        .single()
      expect(inserted.error).toBeNull()
      expect(inserted.data).toMatchObject({ id: 10, author_id: alice })
      const updated = await user.from('posts').update({ title: 'edited' }).eq('id', 10).select()
      expect(updated.data).toEqual([expect.objectContaining({ id: 10, title: 'edited' })])
      const notMine = await user.from('posts').update({ title: 'hijack' }).eq('id', 2).select()
      expect(notMine.data).toEqual([])
      const service = supabase(SERVICE_KEY)
      const upserted = await service
        .from('posts')
        .upsert(
          [
            { id: 2, title: 'Second (merged)' },
            { id: 11, title: 'new' },
          ],
          { onConflict: 'id' },
        )
        .select('id, title')
        .order('id')
      expect(upserted.error).toBeNull()
      expect(upserted.data).toEqual([
        { id: 2, title: 'Second (merged)' },
        { id: 11, title: 'new' },
      ])
      const deleted = await user.from('posts').delete().eq('id', 10).select('id')
      expect(deleted.data).toEqual([{ id: 10 }])
      expect((await service.from('posts').delete().eq('id', 11)).status).toBe(204)
      expect((await db.select('posts', { count: 'exact', limit: 0 })).count).toBe(3)
    })

    it('rejects bad keys and tokens and bad input with PostgREST-shaped errors', async () => {
      const call = async (path: string, init: RequestInit = {}, key: string | null = ANON_KEY) => {
        const response = await handler(
          new Request(`http://localhost/db/${db.id}${path}`, {
            ...init,
            headers: {
              ...(key ? { apikey: key } : {}),
              ...(init.headers as Record<string, string>),
            },
          }),
        )
        return { status: response.status, body: await response.json().catch(() => null) }
      }
      expect((await call('/rest/v1/posts', {}, null)).status).toBe(401)
      expect((await call('/rest/v1/posts', {}, 'wrong')).status).toBe(401)
      expect(
        (await call('/rest/v1/posts', { headers: { authorization: 'Bearer forged' } })).status,
      ).toBe(401)
      const bad = await call('/rest/v1/posts?title=between.1')
      expect(bad.status).toBe(400)
      expect(bad.body).toMatchObject({ code: 'PGRST100', message: expect.any(String), hint: null })
      expect((await call('/rest/v1/nope')).status).toBe(404)
      expect((await call('/rest/v1/posts?select=id,password_hash')).status).toBe(400)
      expect((await call('/rest/v1/posts?order=title.sideways')).status).toBe(400)
      expect(
        (
          await call('/rest/v1/posts', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '[{',
          })
        ).status,
      ).toBe(400)
      expect((await call('/rest/v1/users')).status).toBe(401) // anon refused a privilege: 401, as PostgREST
      expect(
        (
          await handler(
            new Request(`http://localhost/db/00000000-0000-4000-8000-000000000000/rest/v1/posts`, {
              headers: { apikey: ANON_KEY },
            }),
          )
        ).status,
      ).toBe(404)
    })
  })
}
