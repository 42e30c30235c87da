import { createClient } from '@supabase/supabase-js'
import type { DatabaseHandle } from '@basebox/core'
import type { TestHarness } from '@basebox/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandler } from '../handler.js'
import { testBackends } from '../testing.js'

// supabase-js 2.99 against the real handler (issue 17, "Select and embedding"): every request goes
// through the client's own URL building, as an app written for Supabase sends it.
for (const backend of testBackends()) {
  describe(`${backend.name}: supabase-js select and embedding`, () => {
    let h: TestHarness
    let db: DatabaseHandle
    let client: ReturnType<typeof createClient>
    let ann: string
    let bob: string

    beforeAll(async () => {
      h = await backend.create()
      const bb = await h.engine()
      const handler = createHandler({
        basebox: bb,
        getOwner: () => null,
        dataAuth: { identify: async () => 'service' },
      })
      const owner = bb.owner('embed-owner')
      db = await owner.createDatabase((await owner.createProject({ name: 'Blog' })).id)
      await db.createTable({
        name: 'posts',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'title', type: 'text' },
          { name: 'body', type: 'text' },
          { name: 'price', type: 'numeric' },
          { name: 'meta', type: 'jsonb' },
          { name: 'tags', type: 'jsonb' },
          { name: 'author_id', type: 'uuid', references: { table: 'users' } },
          { name: 'editor_id', type: 'uuid', references: { table: 'users' } },
        ],
      })
      await db.createTable({
        name: 'comments',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'post_id', type: 'integer', references: { table: 'posts' } },
          { name: 'user_id', type: 'uuid', references: { table: 'users' } },
          { name: 'body', type: 'text' },
        ],
      })
      await db.createTable({
        name: 'tags',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'name', type: 'text' },
        ],
      })
      await db.createTable({
        name: 'post_tags',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'post_id', type: 'integer', references: { table: 'posts' } },
          { name: 'tag_id', type: 'integer', references: { table: 'tags' } },
        ],
      })
      ;[ann, bob] = (
        await db.insert('users', [
          { email: 'a@example.com', full_name: 'Ann' },
          { email: 'b@example.com', full_name: 'Bob' },
        ])
      ).map((u) => u.id as string) as [string, string]
      await db.insert('posts', [
        {
          id: 1,
          title: 'Hello',
          body: 'The fat cats ate the rats',
          price: '19.5',
          meta: { color: 'red', size: 3 },
          tags: ['pg', 'sql'],
          author_id: ann,
          editor_id: bob,
        },
        {
          id: 2,
          title: 'Bye',
          body: 'A lean dog ran far away',
          price: '7',
          meta: { color: 'blue', size: 5 },
          tags: ['misc'],
          author_id: bob,
          editor_id: null,
        },
        {
          id: 3,
          title: 'Ballad',
          body: null,
          price: null,
          meta: null,
          tags: [],
          author_id: ann,
          editor_id: ann,
        },
      ])
      await db.insert('comments', [
        { id: 1, post_id: 1, user_id: ann, body: 'one' },
        { id: 2, post_id: 1, user_id: bob, body: 'two' },
        { id: 3, post_id: 1, user_id: bob, body: 'three' },
        { id: 4, post_id: 2, user_id: ann, body: 'four' },
      ])
      await db.insert('tags', [
        { id: 1, name: 'pg' },
        { id: 2, name: 'sql' },
      ])
      await db.insert('post_tags', [
        { id: 1, post_id: 1, tag_id: 1 },
        { id: 2, post_id: 1, tag_id: 2 },
      ])
      client = createClient(`http://localhost/db/${db.id}`, 'k', {
        auth: { persistSession: false },
        global: {
          fetch: (i: RequestInfo | URL, init?: RequestInit) => handler(new Request(i, init)),
        },
      })
    }, 120_000)
    afterAll(async () => h?.close())

    it('answers nested, aliased and many-to-many embeds with the right data, numbers as numbers', async () => {
      const r = await client
        .from('posts')
        .select(
          'headline:title,price,author:author_id(full_name),comments(body,users(full_name)),post_tags(tags(name)),tags:tags!post_tags(name)',
        )
        .eq('id', 1)
        .order('id', { referencedTable: 'comments' })
        .order('id', { referencedTable: 'post_tags' })
        .order('id', { referencedTable: 'tags' })
        .single()
      expect(r.error).toBeNull()
      expect(r.data).toEqual({
        headline: 'Hello',
        price: 19.5,
        author: { full_name: 'Ann' },
        comments: [
          { body: 'one', users: { full_name: 'Ann' } },
          { body: 'two', users: { full_name: 'Bob' } },
          { body: 'three', users: { full_name: 'Bob' } },
        ],
        post_tags: [{ tags: { name: 'pg' } }, { tags: { name: 'sql' } }],
        tags: [{ name: 'pg' }, { name: 'sql' }],
      })
    })

    it('embeds by table name, foreign-key column, !constraint and alias', async () => {
      const byTable = await client
        .from('comments')
        .select('body,users(full_name)')
        .eq('id', 2)
        .single()
      expect(byTable.data).toEqual({ body: 'two', users: { full_name: 'Bob' } })
      const byColumn = await client
        .from('posts')
        .select('id,author_id(full_name),editor_id(full_name)')
        .order('id')
      expect(byColumn.error).toBeNull()
      expect(byColumn.data).toEqual([
        { id: 1, author_id: { full_name: 'Ann' }, editor_id: { full_name: 'Bob' } },
        { id: 2, author_id: { full_name: 'Bob' }, editor_id: null },
        { id: 3, author_id: { full_name: 'Ann' }, editor_id: { full_name: 'Ann' } },
      ])
      const byConstraint = await client
        .from('posts')
        .select('id,writer:users!posts_author_id_fkey(full_name)')
        .eq('id', 2)
        .single()
      expect(byConstraint.error).toBeNull()
      expect(byConstraint.data).toEqual({ id: 2, writer: { full_name: 'Bob' } })
      const byHintColumn = await client
        .from('posts')
        .select('id,users!editor_id(full_name)')
        .eq('id', 1)
        .single()
      expect(byHintColumn.data).toEqual({ id: 1, users: { full_name: 'Bob' } })
      const toMany = await client
        .from('users')
        .select('full_name,posts!author_id(id)')
        .eq('id', ann)
        .order('id', { referencedTable: 'posts' })
        .single()
      expect(toMany.error).toBeNull()
      expect(toMany.data).toEqual({ full_name: 'Ann', posts: [{ id: 1 }, { id: 3 }] })
    })

    it('answers an ambiguous embed with 300 PGRST201 and the candidates', async () => {
      const r = await client.from('posts').select('id,users(full_name)')
      expect(r.status).toBe(300)
      expect(r.error).toMatchObject({
        code: 'PGRST201',
        message:
          "Could not embed because more than one relationship was found for 'posts' and 'users'",
      })
      expect(r.error?.hint).toContain("'users!posts_author_id_fkey'")
      expect(r.error?.hint).toContain("'users!posts_editor_id_fkey'")
      expect(r.error?.details).toEqual([
        {
          cardinality: 'many-to-one',
          embedding: 'posts with users',
          relationship: 'posts_author_id_fkey using posts(author_id) and users(id)',
        },
        {
          cardinality: 'many-to-one',
          embedding: 'posts with users',
          relationship: 'posts_editor_id_fkey using posts(editor_id) and users(id)',
        },
      ])
      const none = await client.from('posts').select('id,nope(id)')
      expect(none.status).toBe(400)
      expect(none.error?.code).toBe('PGRST200')
    })

    it('filters the root by an !inner embed, and filters, orders, limits and offsets embedded tables', async () => {
      const inner = await client
        .from('posts')
        .select('id,comments!inner(body)')
        .eq('comments.body', 'two')
      expect(inner.error).toBeNull()
      expect(inner.data).toEqual([{ id: 1, comments: [{ body: 'two' }] }])
      const left = await client
        .from('posts')
        .select('id,comments(body)')
        .eq('comments.body', 'two')
        .order('id')
      expect(left.data).toEqual([
        { id: 1, comments: [{ body: 'two' }] },
        { id: 2, comments: [] },
        { id: 3, comments: [] },
      ])
      const present = await client
        .from('posts')
        .select('id,comments()')
        .not('comments', 'is', null)
        .order('id')
      expect(present.data).toEqual([{ id: 1 }, { id: 2 }])
      const hiddenInner = await client
        .from('posts')
        .select('id,comments!inner()')
        .eq('comments.body', 'four')
      expect(hiddenInner.data).toEqual([{ id: 2 }])
      const hiddenUnused = await client
        .from('posts')
        .select('id,comments()')
        .eq('comments.body', 'four')
        .order('id')
      expect(hiddenUnused.data).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }])
      const ordered = await client
        .from('posts')
        .select('id,comments(id)')
        .eq('id', 1)
        .order('id', { referencedTable: 'comments', ascending: false })
        .limit(2, { referencedTable: 'comments' })
        .single()
      expect(ordered.error).toBeNull()
      expect(ordered.data).toEqual({ id: 1, comments: [{ id: 3 }, { id: 2 }] })
      const ranged = await client
        .from('posts')
        .select('id,comments(id)')
        .eq('id', 1)
        .order('id', { referencedTable: 'comments' })
        .range(1, 1, { referencedTable: 'comments' })
        .single()
      expect(ranged.data).toEqual({ id: 1, comments: [{ id: 2 }] })
      const orEmbedded = await client
        .from('posts')
        .select('id,comments(id)')
        .eq('id', 1)
        .or('body.eq.one,body.eq.three', { referencedTable: 'comments' })
        .order('id', { referencedTable: 'comments' })
        .single()
      expect(orEmbedded.data).toEqual({ id: 1, comments: [{ id: 1 }, { id: 3 }] })
      const nested = await client
        .from('users')
        .select('full_name,posts!author_id(id,comments(body))')
        .eq('id', ann)
        .eq('posts.comments.body', 'four')
        .order('id', { referencedTable: 'posts' })
        .single()
      expect(nested.data).toEqual({
        full_name: 'Ann',
        posts: [
          { id: 1, comments: [] },
          { id: 3, comments: [] },
        ],
      })
      const matched = await client
        .from('posts')
        .select('id')
        .match({ title: 'Bye', author_id: bob })
        .not('title', 'eq', 'Hello')
      expect(matched.data).toEqual([{ id: 2 }])
      const notEmbedded = await client.from('posts').select('id').eq('comments.body', 'two')
      expect(notEmbedded.status).toBe(400)
      expect(notEmbedded.error?.code).toBe('PGRST108')
    })

    it('selects and filters JSON paths', async () => {
      const r = await client
        .from('posts')
        .select('id,color:meta->>color,meta->size,first_tag:tags->0')
        .eq('meta->>color', 'red')
        .single()
      expect(r.error).toBeNull()
      expect(r.data).toEqual({ id: 1, color: 'red', size: 3, first_tag: 'pg' })
      const gt = await client.from('posts').select('id').gt('meta->size', 4)
      expect(gt.data).toEqual([{ id: 2 }])
      const notJSON = await client.from('posts').select('title->x')
      expect(notJSON.status).toBe(400)
    })

    it('runs cd, ov, isdistinct, like(any)/like(all) and refuses range operators on non-range columns', async () => {
      const cd = await client
        .from('posts')
        .select('id')
        .containedBy('tags', ['pg', 'sql', 'x'])
        .order('id')
      expect(cd.error).toBeNull()
      expect(cd.data).toEqual([{ id: 1 }, { id: 3 }])
      const ov = await client
        .from('posts')
        .select('id')
        .overlaps('tags', ['misc', 'sql'])
        .order('id')
      expect(ov.data).toEqual([{ id: 1 }, { id: 2 }])
      const distinct = await client
        .from('posts')
        .select('id')
        .filter('editor_id', 'isdistinct', bob)
        .order('id')
      expect(distinct.data).toEqual([{ id: 2 }, { id: 3 }])
      const any = await client
        .from('posts')
        .select('id')
        .likeAnyOf('title', ['He%', 'By%'])
        .order('id')
      expect(any.data).toEqual([{ id: 1 }, { id: 2 }])
      const all = await client
        .from('posts')
        .select('id')
        .likeAllOf('title', ['B%', '%e'])
        .order('id')
      expect(all.data).toEqual([{ id: 2 }])
      const iany = await client
        .from('posts')
        .select('id')
        .ilikeAnyOf('title', ['hello', 'ballad'])
        .order('id')
      expect(iany.data).toEqual([{ id: 1 }, { id: 3 }])
      const range = await client.from('posts').select('id').rangeGt('price', '[1,2]')
      expect(range.status).toBe(400)
      expect(range.error?.code).toBe('PGRST100')
    })

    it('runs full-text search: fts, plfts, phfts and wfts, with a configuration', async () => {
      const fts = await client.from('posts').select('id').textSearch('body', "'fat' & 'rats'")
      expect(fts.error).toBeNull()
      expect(fts.data).toEqual([{ id: 1 }])
      const english = await client
        .from('posts')
        .select('id')
        .textSearch('body', 'cat & rat', { config: 'english' })
      expect(english.data).toEqual([{ id: 1 }])
      const plain = await client
        .from('posts')
        .select('id')
        .textSearch('body', 'lean dog', { type: 'plain' })
      expect(plain.data).toEqual([{ id: 2 }])
      const phrase = await client
        .from('posts')
        .select('id')
        .textSearch('body', 'dog lean', { type: 'phrase' })
      expect(phrase.data).toEqual([])
      const web = await client
        .from('posts')
        .select('id')
        .textSearch('body', '"fat cats" -dog', { type: 'websearch', config: 'english' })
      expect(web.data).toEqual([{ id: 1 }])
      const badConfig = await client
        .from('posts')
        .select('id')
        .textSearch('body', 'x', { config: 'klingon' })
      expect(badConfig.status).toBe(400)
    })
  })
}
