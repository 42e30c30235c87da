import { BaseboxError, type Filter } from '@basebox/client'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Basebox } from '../basebox.js'
import type { DatabaseHandle, Row } from '../database/database-handle.js'
import { BLOG_TABLES } from './fixtures.js'
import type { TestHarness } from './harness.js'
import { expectCode } from './expect-code.js'

interface Item {
  id: number
  name: string | null
  qty: number | null
  price: string | null
  big: string | null
  active: boolean | null
  day: string | null
  at: string | null
  meta: unknown
}

const ITEMS: Item[] = Array.from({ length: 40 }, (_, i) => ({
  id: i + 1,
  name: i % 7 === 0 ? null : `item ${String.fromCharCode(97 + (i % 26))}${i}`,
  qty: i % 5 === 0 ? null : (i * 37) % 11,
  price: i % 6 === 0 ? null : `${(i * 13) % 50}.${i % 10}0`,
  big: i % 4 === 0 ? null : String(9007199254740993n + BigInt(i)),
  active: i % 3 === 0 ? null : i % 2 === 0,
  day: i % 8 === 0 ? null : `2024-0${1 + (i % 9)}-1${i % 10}`,
  at: i % 9 === 0 ? null : new Date(Date.UTC(2024, 0, 1 + i, i % 24)).toISOString(),
  meta: i % 10 === 0 ? null : { tags: i % 2 === 0 ? ['even'] : ['odd'], n: i },
}))

/** Record operations on one backend: every operator, pagination, expansion, errors, isolation. */
export function describeRecordsConformance(getHarness: () => TestHarness): void {
  let h: TestHarness
  let bb: Basebox
  let n = 0
  let items: DatabaseHandle
  beforeAll(async () => {
    h = getHarness()
    bb = await h.engine()
    items = await freshDatabase()
    await items.createTable({
      name: 'items',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'name', type: 'text' },
        { name: 'qty', type: 'integer' },
        { name: 'price', type: 'numeric' },
        { name: 'big', type: 'bigint' },
        { name: 'active', type: 'boolean' },
        { name: 'day', type: 'date' },
        { name: 'at', type: 'timestamptz' },
        { name: 'meta', type: 'jsonb' },
      ],
    })
    await items.insert('items', ITEMS as unknown as Row[])
  })

  async function freshDatabase(): Promise<DatabaseHandle> {
    const owner = bb.owner(`records-owner-${++n}`)
    const project = await owner.createProject({ name: `p${n}` })
    return owner.createDatabase(project.id)
  }

  async function blog(): Promise<DatabaseHandle> {
    const db = await freshDatabase()
    for (const table of BLOG_TABLES) {
      await db.createTable(table)
    }
    return db
  }

  async function ids(filter: Filter): Promise<number[]> {
    const { rows } = await items.select('items', { where: filter, columns: ['id'], limit: 1000 })
    return rows.map((r) => r.id as number)
  }

  function expected(predicate: (item: Item) => boolean): number[] {
    return ITEMS.filter(predicate).map((i) => i.id)
  }

  describe('insert', () => {
    it('inserts one row and many, fills defaults and returns the stored rows without secrets', async () => {
      const db = await blog()
      const [user] = await db.insert('users', { email: 'ada@example.com', full_name: 'Ada' })
      expect(Object.keys(user!).sort()).toEqual([
        'avatar_url',
        'created_at',
        'email',
        'full_name',
        'id',
        'updated_at',
      ])
      expect(user!.id).toMatch(/^[0-9a-f-]{36}$/)
      const posts = await db.insert('posts', [
        { title: 'one', author_id: user!.id },
        { title: 'two', author_id: user!.id, views: 3 },
      ])
      expect(posts.map((p) => [p.title, p.views, p.published])).toEqual([
        ['one', 0, false],
        ['two', 3, false],
      ])
      expect(await db.insert('posts', [])).toEqual([])
      expect(await db.insert('posts', { title: 'quiet' }, { returning: false })).toEqual([])
      expect((await db.select('posts', { count: 'exact', limit: 0 })).count).toBe(3)
    })

    it('coerces strings as forms and CSV send them, and keeps bigint and numeric exact', async () => {
      const db = await freshDatabase()
      await db.createTable({
        name: 'typed',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'n', type: 'integer' },
          { name: 'big', type: 'bigint' },
          { name: 'num', type: 'numeric' },
          { name: 'd', type: 'double' },
          { name: 'b', type: 'boolean' },
          { name: 'day', type: 'date' },
          { name: 'at', type: 'timestamptz' },
          { name: 'j', type: 'jsonb' },
          { name: 'u', type: 'uuid' },
        ],
      })
      const [row] = await db.insert('typed', {
        id: '1',
        n: ' 42 ',
        big: '9223372036854775807',
        num: '123456789012345678901234567890.123456789',
        d: '1.5e3',
        b: 'yes',
        day: '2024-02-29',
        at: '2024-03-01T12:00:00+02:00',
        j: '{"a":[1,2,{"b":null}]}',
        u: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
      })
      expect(row).toEqual({
        id: 1,
        n: 42,
        big: '9223372036854775807',
        num: '123456789012345678901234567890.123456789',
        d: 1500,
        b: true,
        day: '2024-02-29',
        at: '2024-03-01T10:00:00+00:00',
        j: { a: [1, 2, { b: null }] },
        u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      })
      const [plain] = await db.insert('typed', {
        id: 2,
        j: 'just text',
        b: false,
        at: new Date('2024-01-01T00:00:00Z'),
      })
      expect(plain).toMatchObject({ j: 'just text', b: false, at: '2024-01-01T00:00:00+00:00' })
    })

    it('a bulk insert with one bad row writes nothing and names the row and column', async () => {
      const db = await freshDatabase()
      await db.createTable({
        name: 'bulk',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'label', type: 'text', required: true },
          { name: 'score', type: 'double' },
        ],
      })
      const rows = Array.from({ length: 10_000 }, (_, i) => ({
        id: i + 1,
        label: `row ${i}`,
        score: i / 7,
      }))
      const bad = rows.map((r, i) => (i === 7311 ? { ...r, score: 'not a number' } : r))
      const error = await expectCode(db.insert('bulk', bad), 'VALIDATION_FAILED')
      expect(error.details).toMatchObject({ row: 7311, column: 'score' })
      expect(error.message).toMatch(/row 7311, column "score"/)
      expect((await db.select('bulk', { count: 'exact', limit: 0 })).count).toBe(0)
      // the same rows, all valid, go in as one transaction
      const stored = await db.insert('bulk', rows)
      expect(stored).toHaveLength(10_000)
      expect(stored[9_999]).toEqual({ id: 10_000, label: 'row 9999', score: 9_999 / 7 })
      // a database error half-way (a duplicate key in the last chunk) also writes nothing
      const more = Array.from({ length: 8_000 }, (_, i) => ({ id: 10_001 + i, label: 'x' }))
      more[7_999] = { id: 1, label: 'duplicate' }
      await expectCode(db.insert('bulk', more), 'CONFLICT')
      expect((await db.select('bulk', { count: 'exact', limit: 0 })).count).toBe(10_000)
    })

    it('upserts: merge on the primary key or a unique column, or ignore', async () => {
      const db = await blog()
      const [a] = await db.insert('users', { email: 'a@example.com', full_name: 'A' })
      const merged = await db.upsert(
        'users',
        { email: 'a@example.com', full_name: 'A2' },
        { onConflict: 'email' },
      )
      expect(merged).toMatchObject([{ id: a!.id, full_name: 'A2' }])
      expect(merged[0]!.updated_at).not.toBe(a!.updated_at)
      const ignored = await db.upsert(
        'users',
        [{ email: 'a@example.com', full_name: 'A3' }, { email: 'b@example.com' }],
        { onConflict: 'email', resolution: 'ignore' },
      )
      expect(ignored.map((u) => u.email)).toEqual(['b@example.com'])
      const byId = await db.upsert('users', {
        id: a!.id,
        email: 'a@example.com',
        avatar_url: 'x.png',
      })
      expect(byId[0]).toMatchObject({ id: a!.id, full_name: 'A2', avatar_url: 'x.png' })
      await expectCode(
        db.upsert('users', { email: 'c@example.com' }, { onConflict: 'full_name' }),
        'VALIDATION_FAILED',
      )
      expect((await db.select('users', { count: 'exact', limit: 0 })).count).toBe(2)
    })
  })

  describe('select', () => {
    it('filters with every operator', async () => {
      expect(await ids({ qty: 3 })).toEqual(expected((i) => i.qty === 3))
      expect(await ids({ qty: { eq: '3' } })).toEqual(expected((i) => i.qty === 3))
      expect(await ids({ qty: { neq: 3 } })).toEqual(expected((i) => i.qty !== null && i.qty !== 3))
      expect(await ids({ qty: { gt: 5 } })).toEqual(expected((i) => i.qty !== null && i.qty > 5))
      expect(await ids({ qty: { gte: 5, lt: 8 } })).toEqual(
        expected((i) => i.qty !== null && i.qty >= 5 && i.qty < 8),
      )
      expect(await ids({ qty: { lte: 2 } })).toEqual(expected((i) => i.qty !== null && i.qty <= 2))
      expect(await ids({ qty: { in: [1, 2, '3'] } })).toEqual(
        expected((i) => i.qty !== null && [1, 2, 3].includes(i.qty)),
      )
      expect(await ids({ qty: { in: [] } })).toEqual([])
      expect(await ids({ name: { like: 'item a%' } })).toEqual(
        expected((i) => i.name !== null && i.name.startsWith('item a')),
      )
      expect(await ids({ name: { ilike: 'ITEM B%' } })).toEqual(
        expected((i) => i.name !== null && i.name.startsWith('item b')),
      )
      expect(await ids({ name: { is: null } })).toEqual(expected((i) => i.name === null))
      expect(await ids({ name: null })).toEqual(expected((i) => i.name === null))
      expect(await ids({ active: { is: true } })).toEqual(expected((i) => i.active === true))
      expect(await ids({ active: { is: false } })).toEqual(expected((i) => i.active === false))
      expect(await ids({ meta: { contains: { tags: ['even'] } } })).toEqual(
        expected((i) => (i.meta as { tags?: string[] } | null)?.tags?.[0] === 'even'),
      )
      expect(await ids({ meta: { n: 5, tags: ['odd'] } })).toEqual(expected((i) => i.id === 6))
      expect(await ids({ price: { gt: '40.5' } })).toEqual(
        expected((i) => i.price !== null && Number(i.price) > 40.5),
      )
      expect(await ids({ big: { gte: '9007199254741020' } })).toEqual(
        expected((i) => i.big !== null && BigInt(i.big) >= 9007199254741020n),
      )
      expect(await ids({ day: { lt: '2024-03-01' } })).toEqual(
        expected((i) => i.day !== null && i.day < '2024-03-01'),
      )
      expect(await ids({ at: { gte: '2024-01-20T00:00:00Z' } })).toEqual(
        expected((i) => i.at !== null && i.at >= '2024-01-20T00:00:00.000Z'),
      )
    })

    it('nests and, or and not', async () => {
      expect(await ids({ or: [{ qty: 1 }, { qty: 2 }], active: true })).toEqual(
        expected((i) => (i.qty === 1 || i.qty === 2) && i.active === true),
      )
      expect(await ids({ not: { qty: { is: null } } })).toEqual(expected((i) => i.qty !== null))
      expect(
        await ids({
          and: [
            { or: [{ id: { lt: 5 } }, { id: { gt: 35 } }] },
            { not: { or: [{ id: 2 }, { id: 38 }] } },
          ],
        }),
      ).toEqual(expected((i) => (i.id < 5 || i.id > 35) && i.id !== 2 && i.id !== 38))
    })

    it('repeated query shapes with new values answer as a first compile does (statement cache)', async () => {
      // The same shapes many times over, each value checked against the table's own rows.
      for (let round = 0; round < 3; round++) {
        for (const item of ITEMS.slice(0, 12)) {
          const { rows } = await items.select('items', { where: { id: item.id } })
          expect(rows).toHaveLength(1)
          expect(rows[0]!.id).toBe(item.id)
          expect(await ids({ id: { eq: String(item.id) } })).toEqual([item.id])
          expect(await ids({ qty: { gte: item.id % 11, lt: (item.id % 11) + 3 } })).toEqual(
            expected((i) => i.qty !== null && i.qty >= item.id % 11 && i.qty < (item.id % 11) + 3),
          )
          const list = ITEMS.slice(0, (item.id % 4) + 1).map((i) => i.id)
          expect(await ids({ id: { in: list } })).toEqual(list)
          const prefix = `item ${String.fromCharCode(97 + (item.id % 26))}%`
          expect(await ids({ name: { like: prefix } })).toEqual(
            expected((i) => i.name !== null && i.name.startsWith(prefix.slice(0, -1))),
          )
          expect(
            await ids({ or: [{ id: item.id }, { name: { ilike: prefix.toUpperCase() } }] }),
          ).toEqual(
            expected(
              (i) =>
                i.id === item.id || (i.name !== null && i.name.startsWith(prefix.slice(0, -1))),
            ),
          )
          expect(await ids({ active: item.id % 2 === 0 })).toEqual(
            expected((i) => i.active === (item.id % 2 === 0)),
          )
          expect(await ids({ name: item.id % 2 === 0 ? null : { is: null } })).toEqual(
            expected((i) => i.name === null),
          )
        }
      }
      // A value that does not fit a shape seen before gets the same error as on first sight.
      const first = await items
        .select('items', { where: { qty: { gt: 'x' } } })
        .catch((e: unknown) => e)
      await items.select('items', { where: { qty: { gt: 4 } } })
      const again = await items
        .select('items', { where: { qty: { gt: 'x' } } })
        .catch((e: unknown) => e)
      expect(first).toBeInstanceOf(BaseboxError)
      expect((again as BaseboxError).code).toBe('VALIDATION_FAILED')
      expect((again as BaseboxError).message).toBe((first as BaseboxError).message)
      await expectCode(
        items.select('items', { where: { id: { in: [1, 'two'] } } }),
        'VALIDATION_FAILED',
      )
      await expectCode(
        items.select('items', { where: { name: { like: 'a\u0000b' } } }),
        'VALIDATION_FAILED',
      )
      await expectCode(items.select('items', { where: { id: 1.5 } }), 'VALIDATION_FAILED')
      expect(await ids({ id: 2 })).toEqual([2])
    })

    it('orders by several columns with nulls first or last', async () => {
      const { rows } = await items.select('items', {
        columns: ['id', 'qty', 'name'],
        orderBy: [
          { column: 'qty', direction: 'desc', nulls: 'last' },
          { column: 'name', direction: 'asc', nulls: 'first' },
        ],
        limit: 1000,
      })
      const sorted = [...ITEMS].sort((a, b) => {
        if (a.qty !== b.qty) {
          return a.qty === null ? 1 : b.qty === null ? -1 : b.qty - a.qty
        }
        if (a.name !== b.name) {
          return a.name === null ? -1 : b.name === null ? 1 : a.name < b.name ? -1 : 1
        }
        return a.id - b.id
      })
      expect(rows.map((r) => r.id)).toEqual(sorted.map((i) => i.id))
    })

    it('pages with limit and offset, and counts exactly or by estimate', async () => {
      const first = await items.select('items', {
        columns: ['id'],
        limit: 10,
        offset: 5,
        count: 'exact',
      })
      expect(first.rows.map((r) => r.id)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
      expect(first.count).toBe(40)
      expect(
        (await items.select('items', { where: { qty: { gt: 5 } }, limit: 1, count: 'exact' }))
          .count,
      ).toBe(expected((i) => i.qty !== null && i.qty > 5).length)
      const estimate = await items.select('items', { limit: 1, count: 'estimated' })
      expect(estimate.count).toBeGreaterThanOrEqual(0)
      expect((await items.select('items', { limit: 1 })).count).toBeUndefined()
      expect((await items.select('items', { limit: 0 })).rows).toEqual([])
    })

    it('walks every row with keyset cursors, ties in the sort key included', async () => {
      for (const orderBy of [
        [{ column: 'qty' }],
        [{ column: 'qty', direction: 'desc' as const, nulls: 'last' as const }],
        [
          { column: 'active', nulls: 'first' as const },
          { column: 'price', direction: 'desc' as const },
        ],
        [{ column: 'at', direction: 'desc' as const }],
        [{ column: 'big' }],
      ]) {
        const all = (
          await items.select('items', { columns: ['id'], orderBy, limit: 1000 })
        ).rows.map((r) => r.id)
        // The sort keys read from hidden columns (only `id` selected) or from the selected
        // columns themselves, in plain rows and in the JSON page of an exact count.
        for (const shape of [{ columns: ['id'] }, {}, { count: 'exact' as const }]) {
          const walked: unknown[] = []
          let cursor: string | undefined
          for (let page = 0; page < 20; page++) {
            const result = await items.select('items', {
              ...shape,
              orderBy,
              limit: 7,
              ...(cursor ? { cursor } : {}),
            })
            for (const row of result.rows) {
              expect(Object.keys(row).filter((k) => k.startsWith('__basebox'))).toEqual([])
            }
            walked.push(...result.rows.map((r) => r.id))
            if (result.nextCursor === null) {
              break
            }
            cursor = result.nextCursor!
          }
          expect(walked, JSON.stringify([orderBy, shape])).toEqual(all)
        }
      }
    })

    it('cursors stay stable while rows are inserted before and after them', async () => {
      const db = await freshDatabase()
      await db.createTable({
        name: 'feed',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'rank', type: 'integer', required: true },
        ],
      })
      await db.insert(
        'feed',
        Array.from({ length: 30 }, (_, i) => ({ id: i + 1, rank: i % 3 })),
      )
      const orderBy = [{ column: 'rank' }]
      const seen: number[] = []
      let result = await db.select('feed', { orderBy, limit: 10, columns: ['id'] })
      seen.push(...result.rows.map((r) => r.id as number))
      // rows that sort before the cursor and rows that sort after it
      await db.insert('feed', [
        { id: 100, rank: -1 },
        { id: 101, rank: 5 },
        { id: 102, rank: 1 },
      ])
      while (result.nextCursor) {
        result = await db.select('feed', {
          orderBy,
          limit: 10,
          columns: ['id'],
          cursor: result.nextCursor,
        })
        seen.push(...result.rows.map((r) => r.id as number))
      }
      expect(new Set(seen).size).toBe(seen.length)
      for (let id = 1; id <= 30; id++) {
        expect(seen).toContain(id)
      }
      expect(seen).toContain(101)
      expect(seen).not.toContain(100)
    })

    it('an operation sees definitions changed through another handle (another process) since it cached them', async () => {
      const owner = bb.owner(`records-owner-${++n}`)
      const project = await owner.createProject({ name: `p${n}` })
      const a = await owner.createDatabase(project.id)
      const columns = [
        { name: 'id', type: 'integer' as const, primary_key: true },
        { name: 'body', type: 'text' as const },
        { name: 'token', type: 'text' as const },
      ]
      await a.createTable({ name: 'notes', columns })
      await a.insert('notes', { id: 1, body: 'x', token: 'tok' })
      expect((await a.select('notes', { where: { id: 1 } })).rows).toEqual([
        { id: 1, body: 'x', token: 'tok' },
      ]) // cached now
      // A second handle has its own cache, as another server process would.
      const b = await owner.databaseById(a.info.id)
      await b.alterTable('notes', {
        name: 'notes',
        columns: [
          columns[0]!,
          columns[1]!,
          { ...columns[2]!, secret: true },
          { name: 'extra', type: 'integer' },
        ],
      })
      // The same query again: the version check stops the stale statement, `a` reloads and
      // neither returns the column made secret nor misses the new one.
      expect((await a.select('notes', { where: { id: 1 } })).rows).toEqual([
        { id: 1, body: 'x', extra: null },
      ])
      await expectCode(a.select('notes', { where: { token: 'tok' } }), 'FORBIDDEN')
      await a.update('notes', { id: 1 }, { extra: 5 })
      await owner.deleteProject(project.id)
      await expectCode(a.select('notes', { where: { id: 1 } }), 'NOT_FOUND')
      await expectCode(a.insert('notes', { id: 2, body: 'y' }), 'NOT_FOUND')
    })

    it('expands references one level, to-one and to-many', async () => {
      const db = await blog()
      const [ada] = await db.insert('users', { email: 'ada@example.com', password_hash: undefined })
      const [post] = await db.insert('posts', { title: 'hello', author_id: ada!.id })
      await db.insert('comments', [
        { post_id: post!.id, body: 'first', author_id: ada!.id },
        { post_id: post!.id, body: 'second' },
      ])
      const { rows } = await db.select('posts', { expand: ['author', 'comments'] })
      expect(rows[0]!.author).toMatchObject({ id: ada!.id, email: 'ada@example.com' })
      expect(rows[0]!.author).not.toHaveProperty('password_hash')
      expect((rows[0]!.comments as Row[]).map((c) => c.body).sort()).toEqual(['first', 'second'])
      const users = await db.select('users', { expand: ['posts', 'comments'] })
      expect((users.rows[0]!.posts as Row[]).map((p) => p.title)).toEqual(['hello'])
      const comments = await db.select('comments', {
        expand: ['post', 'author'],
        where: { body: 'second' },
      })
      expect(comments.rows[0]).toMatchObject({ post: { title: 'hello' }, author: null })
      await expectCode(db.select('posts', { expand: ['nope'] }), 'VALIDATION_FAILED')
    })
  })

  describe('update and delete', () => {
    it('updates matching rows, bumps updated_at and returns them', async () => {
      const db = await blog()
      const [a] = await db.insert('users', { email: 'a@example.com' })
      await db.insert('users', { email: 'b@example.com' })
      const updated = await db.update('users', { email: 'a@example.com' }, { full_name: 'Ada' })
      expect(updated).toHaveLength(1)
      expect(updated[0]).toMatchObject({ id: a!.id, full_name: 'Ada' })
      expect(Date.parse(updated[0]!.updated_at as string)).toBeGreaterThanOrEqual(
        Date.parse(a!.updated_at as string),
      )
      expect(updated[0]!.updated_at).not.toBe(a!.updated_at)
      expect(await db.update('users', { email: 'nobody@example.com' }, { full_name: 'x' })).toEqual(
        [],
      )
      await expectCode(db.update('users', {}, { full_name: 'everyone' }), 'VALIDATION_FAILED')
      expect((await db.update('users', {}, { avatar_url: 'a.png' }, { all: true })).length).toBe(2)
      await expectCode(db.update('users', { email: 'a@example.com' }, {}), 'VALIDATION_FAILED')
    })

    it('deletes matching rows and returns them; an empty filter needs all', async () => {
      const db = await blog()
      await db.insert('users', [
        { email: 'a@example.com' },
        { email: 'b@example.com' },
        { email: 'c@example.com' },
      ])
      const removed = await db.delete('users', {
        email: { in: ['a@example.com', 'b@example.com'] },
      })
      expect(removed.map((u) => u.email).sort()).toEqual(['a@example.com', 'b@example.com'])
      await expectCode(db.delete('users', {}), 'VALIDATION_FAILED')
      await expectCode(db.delete('users', undefined as unknown as Filter), 'VALIDATION_FAILED')
      expect((await db.select('users', { count: 'exact', limit: 0 })).count).toBe(1)
      expect(await db.delete('users', {}, { all: true })).toHaveLength(1)
    })
  })

  describe('errors name the column and change nothing', () => {
    it('maps Postgres errors to typed errors', async () => {
      const db = await blog()
      const [user] = await db.insert('users', { email: 'a@example.com' })
      const unique = await expectCode(db.insert('users', { email: 'a@example.com' }), 'CONFLICT')
      expect(unique.details).toMatchObject({ column: 'email', reason: 'unique' })
      const reference = await expectCode(
        db.insert('posts', { title: 'x', author_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }),
        'CONFLICT',
      )
      expect(reference.details).toMatchObject({
        column: 'author_id',
        references: 'users',
        reason: 'reference',
      })
      const [post] = await db.insert('posts', { title: 'x', author_id: user!.id })
      await db.createTable({
        name: 'pins',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'post_id', type: 'uuid', references: { table: 'posts' } },
        ],
      })
      await db.insert('pins', { id: 1, post_id: post!.id })
      const referenced = await expectCode(db.delete('posts', { id: post!.id }), 'CONFLICT')
      expect(referenced.details).toMatchObject({ referenced_by: 'pins' })
      const required = await expectCode(
        db.insert('posts', { body: 'no title' }),
        'VALIDATION_FAILED',
      )
      expect(required.details).toMatchObject({ column: 'title' })
      await expectCode(db.update('posts', { id: post!.id }, { title: null }), 'VALIDATION_FAILED')
      expect((await db.select('posts')).rows).toHaveLength(1)
    })

    it('never returns, filters on or sorts on a secret column', async () => {
      const db = await blog()
      await db.insert(
        'users',
        { email: 'a@example.com', password_hash: '$argon2id$x' },
        { allowSecret: true },
      )
      const { rows } = await db.select('users')
      expect(rows[0]).not.toHaveProperty('password_hash')
      expect(
        await db.update('users', { email: 'a@example.com' }, { full_name: 'A' }),
      ).not.toContainEqual(expect.objectContaining({ password_hash: expect.anything() }))
      await expectCode(db.select('users', { columns: ['password_hash'] }), 'FORBIDDEN')
      await expectCode(
        db.select('users', { where: { password_hash: { like: '$argon2%' } } }),
        'FORBIDDEN',
      )
      await expectCode(
        db.select('users', { where: { or: [{ password_hash: { is: null } }] } }),
        'FORBIDDEN',
      )
      await expectCode(db.select('users', { orderBy: { column: 'password_hash' } }), 'FORBIDDEN')
      await expectCode(
        db.insert('users', { email: 'b@example.com', password_hash: 'plain' }),
        'FORBIDDEN',
      )
      await expectCode(
        db.update('users', { email: 'a@example.com' }, { password_hash: 'plain' }),
        'FORBIDDEN',
      )
      await expectCode(
        db.upsert('users', { email: 'a@example.com' }, { onConflict: 'password_hash' }),
        'FORBIDDEN',
      )
      expect((await db.select('users', { count: 'exact' })).count).toBe(1)
    })

    const bad: [string, (db: DatabaseHandle) => Promise<unknown>, string][] = [
      ['an unknown table', (db) => db.select('nope'), 'NOT_FOUND'],
      ['a table in another schema', (db) => db.select('other.t'), 'NOT_FOUND'],
      ['the catalog', (db) => db.select('basebox.projects'), 'NOT_FOUND'],
      [
        'a quoted table name',
        (db) => db.insert('users"; drop table users; --', { email: 'x' }),
        'NOT_FOUND',
      ],
      ['an unknown column', (db) => db.select('items', { columns: ['nope'] }), 'VALIDATION_FAILED'],
      [
        'an unknown filter column',
        (db) => db.select('items', { where: { 'id" or 1=1 --': 1 } }),
        'VALIDATION_FAILED',
      ],
      [
        'an unknown operator',
        (db) => db.select('items', { where: { id: { between: [1, 2] } } }),
        'VALIDATION_FAILED',
      ],
      [
        'an operator on the wrong type',
        (db) => db.select('items', { where: { id: { like: '1%' } } }),
        'VALIDATION_FAILED',
      ],
      [
        'a wrong value type',
        (db) => db.select('items', { where: { qty: 'many' } }),
        'VALIDATION_FAILED',
      ],
      [
        'SQL in a value',
        (db) => db.select('items', { where: { qty: '1; drop table items; --' } }),
        'VALIDATION_FAILED',
      ],
      ['a limit below 0', (db) => db.select('items', { limit: -1 }), 'VALIDATION_FAILED'],
      [
        'a limit above the maximum',
        (db) => db.select('items', { limit: 1001 }),
        'VALIDATION_FAILED',
      ],
      [
        'a malformed cursor',
        (db) => db.select('items', { cursor: 'eyJub3QiOiJtaW5lIn0' }),
        'VALIDATION_FAILED',
      ],
      [
        'a cursor of another order',
        (db) =>
          db
            .select('items', { limit: 1 })
            .then((p) => db.select('items', { cursor: p.nextCursor!, orderBy: { column: 'qty' } })),
        'VALIDATION_FAILED',
      ],
      [
        'a cursor and an offset',
        (db) =>
          db
            .select('items', { limit: 1 })
            .then((p) => db.select('items', { cursor: p.nextCursor!, offset: 1 })),
        'VALIDATION_FAILED',
      ],
      [
        'a wrong value on insert',
        (db) => db.insert('items', { id: 1000, qty: 1.5 }),
        'VALIDATION_FAILED',
      ],
      [
        'an unknown column on insert',
        (db) => db.insert('items', { id: 1000, nope: 1 }),
        'VALIDATION_FAILED',
      ],
      [
        'a missing primary key on insert',
        (db) => db.insert('items', { qty: 1 }),
        'VALIDATION_FAILED',
      ],
      [
        'a non-object row',
        (db) => db.insert('items', ['id', 1] as unknown as Row),
        'VALIDATION_FAILED',
      ],
      [
        'a patch of the wrong type',
        (db) => db.update('items', { id: 1 }, { active: 'maybe' }),
        'VALIDATION_FAILED',
      ],
      [
        'a too deep filter',
        (db) =>
          db.select('items', {
            where: JSON.parse('{"not":'.repeat(12) + '{"id":1}' + '}'.repeat(12)),
          }),
        'VALIDATION_FAILED',
      ],
    ]
    it.each(bad)('refuses %s and changes nothing', async (_title, call, code) => {
      const before = (await items.select('items', { limit: 1000 })).rows
      await expectCode(call(items), code)
      expect((await items.select('items', { limit: 1000 })).rows).toEqual(before)
    })

    it('fuzzed filters and rows give a result or a typed error, nothing else', async () => {
      const value = fc.oneof(
        fc.constant(null),
        fc.boolean(),
        fc.integer(),
        fc.double(),
        fc.string(),
        fc.date({ noInvalidDate: true }),
        fc.array(fc.integer(), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
      )
      const column = fc.constantFrom(
        'id',
        'name',
        'qty',
        'price',
        'big',
        'active',
        'day',
        'at',
        'meta',
        'nope',
        'password_hash',
        '"; drop',
      )
      const operator = fc.constantFrom(
        'eq',
        'neq',
        'gt',
        'gte',
        'lt',
        'lte',
        'in',
        'like',
        'ilike',
        'is',
        'contains',
        'between',
        'or',
      )
      const leaf = fc
        .tuple(column, fc.oneof(value, fc.dictionary(operator, value, { maxKeys: 2 })))
        .map(([k, v]) => ({ [k]: v }))
      const filter = fc.letrec((tie) => ({
        node: fc.oneof(
          { depthSize: 'small' },
          leaf,
          fc.record({ or: fc.array(tie('node'), { maxLength: 3 }) }),
          fc.record({ not: tie('node') }),
          fc.record({ and: fc.array(tie('node'), { maxLength: 3 }) }),
        ),
      })).node
      const before = (await items.select('items', { limit: 1000 })).rows
      await fc.assert(
        fc.asyncProperty(
          filter,
          fc.dictionary(column, value, { maxKeys: 4 }),
          async (where, row) => {
            for (const call of [
              () => items.select('items', { where: where as Filter, limit: 5 }),
              () => items.update('items', { and: [{ id: -1 }, where as Filter] }, row),
            ]) {
              try {
                await call()
              } catch (error) {
                if (
                  !(error instanceof BaseboxError) ||
                  error.code === 'INTERNAL' ||
                  error.code === 'DATABASE_ERROR'
                ) {
                  throw error
                }
              }
            }
          },
        ),
        { numRuns: 150 },
      )
      expect((await items.select('items', { limit: 1000 })).rows).toEqual(before)
    })
  })

  describe('isolation', () => {
    it('a call for database A can never read or write database B', async () => {
      const a = await blog()
      const b = await blog()
      await b.insert('users', { email: 'secret@b.example' })
      expect((await a.select('users')).rows).toEqual([])
      await expectCode(a.select(`${b.info.schema_name}.users`), 'NOT_FOUND')
      await expectCode(
        a.insert(`${b.info.schema_name}.users`, { email: 'x@a.example' }),
        'NOT_FOUND',
      )
      await a.insert('users', { email: 'mine@a.example' })
      await a.delete('users', {}, { all: true })
      expect((await b.select('users')).rows.map((u) => u.email)).toEqual(['secret@b.example'])
      // another owner cannot get a handle on A at all
      const stranger = bb.owner('records-stranger')
      await expectCode(stranger.database(a.info.project_id), 'NOT_FOUND')
    })

    it('a second handle sees schema changes made through the first', async () => {
      const db = await blog()
      const owner = bb.owner(`records-owner-${n}`)
      const other = await owner.database(db.info.project_id)
      await other.select('posts')
      const posts = (await db.getTable('posts')).definition
      await db.alterTable('posts', {
        ...posts,
        columns: [...posts.columns, { name: 'subtitle', type: 'text' }],
      })
      const [row] = await other.insert('posts', { title: 't', subtitle: 'sub' })
      expect(row!.subtitle).toBe('sub')
    })
  })
}
