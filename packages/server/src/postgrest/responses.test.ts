import { BaseboxError } from '@basebox/client'
import type { DatabaseHandle } from '@basebox/core'
import type { TestHarness } from '@basebox/core/testing'
import { createClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandler, type BaseboxHandler } from '../handler.js'
import type { DataAPIAuth } from '../routes/data-api.js'
import { testBackends } from '../testing.js'

// supabase-js 2.99 against the real handler (issue 17, "Responses"): page caps, CSV and object
// representations, counts on writes, and PostgREST's error codes.
const SERVICE_KEY = 'service-key'
const ANON_KEY = 'anon-key'
const TOKENS = new Map<string, string>()

const staticAuth: DataAPIAuth = {
  async identify(_db, { apiKey, bearer }) {
    if (apiKey !== SERVICE_KEY && apiKey !== ANON_KEY) {
      throw new BaseboxError('UNAUTHENTICATED', 'invalid API key')
    }
    if (bearer !== null && TOKENS.has(bearer)) {
      return { role: 'authenticated', userId: TOKENS.get(bearer)! }
    }
    return apiKey === SERVICE_KEY ? 'service' : { role: 'anon' }
  },
}

for (const backend of testBackends()) {
  describe(`${backend.name}: supabase-js responses and errors`, () => {
    let h: TestHarness
    let db: DatabaseHandle
    let handler: BaseboxHandler
    let ann: string
    let bob: string

    beforeAll(async () => {
      h = await backend.create()
      const bb = await h.engine()
      handler = createHandler({ basebox: bb, getOwner: () => null, dataAuth: staticAuth })
      const owner = bb.owner('responses-owner')
      db = await owner.createDatabase((await owner.createProject({ name: 'Shop' })).id)
      await db.createTable({
        name: 'items',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'name', type: 'text', required: true },
          { name: 'sku', type: 'text', unique: true },
          { name: 'price', type: 'numeric' },
          { name: 'owner_id', type: 'uuid', references: { table: 'users' } },
        ],
        access: {
          select: 'public',
          insert: 'owner',
          update: 'owner',
          delete: 'owner',
          owner_column: 'owner_id',
        },
      })
      await db.createTable({
        name: 'numbers',
        columns: [{ name: 'id', type: 'integer', primary_key: true }],
      })
      ;[ann, bob] = (
        await db.insert('users', [{ email: 'ann@example.com' }, { email: 'bob@example.com' }])
      ).map((u) => u.id as string) as [string, string]
      TOKENS.set('ann-token', ann)
      await db.insert('items', [
        { id: 1, name: 'Pen, blue', sku: 'P1', price: '1.5', owner_id: ann },
        { id: 2, name: 'Say "hi"', sku: 'S2', price: '20', owner_id: ann },
        { id: 3, name: 'Cup', sku: 'C3', price: null, owner_id: bob },
      ])
      await db.insert(
        'numbers',
        Array.from({ length: 1005 }, (_, i) => ({ id: i + 1 })),
      )
    }, 120_000)
    afterAll(async () => h?.close())

    const supabase = (key: string, token?: string) =>
      createClient(`http://localhost/db/${db.id}`, key, {
        auth: { persistSession: false, autoRefreshToken: false },
        global: {
          fetch: (input: RequestInfo | URL, init?: RequestInit) =>
            handler(new Request(input, init)),
          ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
        },
      })

    it('answers a limit or range beyond the page cap with the capped rows', async () => {
      const client = supabase(SERVICE_KEY)
      const limited = await client.from('numbers').select('id').order('id').limit(5000)
      expect(limited.error).toBeNull()
      expect(limited.data).toHaveLength(1000)
      const ranged = await client
        .from('numbers')
        .select('id', { count: 'exact' })
        .order('id')
        .range(3, 4002)
      expect(ranged.error).toBeNull()
      expect(ranged.data).toHaveLength(1000)
      expect(ranged.data?.[0]).toEqual({ id: 4 })
      expect(ranged.count).toBe(1005)
      expect(ranged.status).toBe(206)
    })

    it('answers .csv(), .single() and .maybeSingle() in PostgREST representations', async () => {
      const client = supabase(ANON_KEY)
      const csv = await client.from('items').select('id,name,price').order('id').csv()
      expect(csv.error).toBeNull()
      expect(csv.data).toBe('id,name,price\n1,"Pen, blue",1.5\n2,"Say ""hi""",20\n3,Cup,')
      const single = await client.from('items').select('id,price').eq('id', 1).single()
      expect(single.data).toEqual({ id: 1, price: 1.5 })
      const none = await client.from('items').select('id').eq('id', 99).single()
      expect(none.status).toBe(406)
      expect(none.error).toMatchObject({ code: 'PGRST116', details: 'The result contains 0 rows' })
      const many = await client.from('items').select('id').single()
      expect(many.error).toMatchObject({ code: 'PGRST116', details: 'The result contains 3 rows' })
      expect((await client.from('items').select('id').geojson()).status).toBe(406)
      const explain = await client.from('items').select('id').explain()
      expect(explain.status).toBe(406)
      expect(explain.error?.code).toBe('PGRST107')
      const maybe = await client.from('items').select('id').eq('id', 99).maybeSingle()
      expect(maybe.error).toBeNull()
      expect(maybe.data).toBeNull()
    })

    it('counts updated and deleted rows with count: exact, and estimates as PostgREST', async () => {
      const client = supabase(SERVICE_KEY)
      await client.from('numbers').insert([{ id: 2001 }, { id: 2002 }, { id: 2003 }])
      const updated = await client
        .from('numbers')
        .update({ id: 3001 }, { count: 'exact' })
        .eq('id', 2001)
      expect(updated.error).toBeNull()
      expect(updated.count).toBe(1)
      expect(updated.data).toBeNull()
      const deleted = await client
        .from('numbers')
        .delete({ count: 'exact' })
        .in('id', [2002, 2003, 3001])
      expect(deleted.error).toBeNull()
      expect(deleted.count).toBe(3)
      const small = await client.from('items').select('*', { count: 'estimated', head: true })
      expect(small.count).toBe(3)
      const large = await client.from('numbers').select('*', { count: 'estimated', head: true })
      expect(large.error).toBeNull()
      expect(large.count).toBeGreaterThan(1000)
    })

    it("carries PostgREST's code, message, details and hint with PostgREST's statuses", async () => {
      const service = supabase(SERVICE_KEY)
      const duplicate = await service.from('items').insert({ id: 1, name: 'again' })
      expect(duplicate.status).toBe(409)
      // Postgres leaves out the key's `detail` on a table under row-level security.
      expect(duplicate.error).toMatchObject({
        code: '23505',
        message: 'duplicate key value violates unique constraint "items_pkey"',
        hint: null,
      })
      const missing = await service.from('items').insert({ id: 9, name: null })
      expect(missing.status).toBe(400)
      expect(missing.error?.code).toBe('23502')
      const dangling = await service
        .from('items')
        .insert({ id: 9, name: 'x', owner_id: '00000000-0000-4000-8000-000000000000' })
      expect(dangling.status).toBe(409)
      expect(dangling.error?.code).toBe('23503')
      const badValue = await service.from('items').select('id').eq('id', 'abc')
      expect(badValue.status).toBe(400)
      expect(badValue.error?.code).toBe('22P02')
      const badColumn = await service.from('items').select('id,nope')
      expect(badColumn.status).toBe(400)
      expect(badColumn.error).toMatchObject({
        code: '42703',
        message: 'column items.nope does not exist',
      })
      const unknownOnWrite = await service.from('items').insert({ id: 9, name: 'x', nope: 1 })
      expect(unknownOnWrite.status).toBe(400)
      expect(unknownOnWrite.error).toMatchObject({
        code: 'PGRST204',
        message: "Could not find the 'nope' column of 'items' in the schema cache",
      })
      const unknownOnUpdate = await service.from('items').update({ nope: 1 }).eq('id', 1)
      expect(unknownOnUpdate.error?.code).toBe('PGRST204')
      const anon = await supabase(ANON_KEY).from('items').insert({ id: 9, name: 'x' })
      expect(anon.status).toBe(401)
      expect(anon.error?.code).toBe('42501')
      const forOther = await supabase(ANON_KEY, 'ann-token')
        .from('items')
        .insert({ id: 9, name: 'x', owner_id: bob })
      expect(forOther.status).toBe(403)
      expect(forOther.error?.code).toBe('42501')
      expect(await db.select('items', { where: { id: { eq: 9 } } })).toMatchObject({ rows: [] })
    })

    it('refuses what it would not honour: maxAffected() and a schema other than public', async () => {
      const client = supabase(SERVICE_KEY)
      // maxAffected() is typed for PostgREST 13 clients only; the request is the same for any.
      const update = client.from('items').update({ price: 2 }).gt('id', 0) as unknown as {
        maxAffected(n: number): PromiseLike<{ status: number; error: unknown }>
      }
      const capped = await update.maxAffected(1)
      expect(capped.status).toBe(400)
      expect(capped.error).toMatchObject({
        code: 'PGRST122',
        message: 'Invalid preferences given with handling=strict: max-affected=1',
      })
      expect((await client.from('items').select('price').eq('id', 1).single()).data).toEqual({
        price: 1.5,
      })
      // Writes take the basic operators only (see the README); the others are refused, not ignored.
      const anyOf = await client.from('items').update({ price: 3 }).likeAnyOf('name', ['Pen%'])
      expect(anyOf.status).toBe(400)
      const deletePath = await client.from('items').delete().eq('name->>x', 'y')
      expect(deletePath.status).toBe(400)
      expect((await client.from('items').select('id', { count: 'exact', head: true })).count).toBe(
        3,
      )
      const other = await client.schema('private').from('items').select('id')
      expect(other.status).toBe(406)
      expect(other.error?.code).toBe('PGRST106')
    })

    it('answers rpc() with a PostgREST 404 PGRST202 that says why, after checking the key', async () => {
      const call = await supabase(SERVICE_KEY).rpc('add_one', { x: 1 })
      expect(call.status).toBe(404)
      expect(call.error).toMatchObject({
        code: 'PGRST202',
        message: 'Could not find the function public.add_one in the schema cache',
      })
      expect(call.error?.details).toContain('SQL runner')
      const read = await supabase(ANON_KEY).rpc('add_one', { x: 1 }, { get: true })
      expect(read.error?.code).toBe('PGRST202')
      expect((await supabase('wrong-key').rpc('add_one')).status).toBe(401)
    })
  })
}
