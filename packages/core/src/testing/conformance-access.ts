import { BaseboxError, type TableDefinitionInput } from '@basebox/client'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Basebox } from '../basebox.js'
import type { DatabaseHandle } from '../database/database-handle.js'
import type { TestHarness } from './harness.js'
import { expectCode } from './expect-code.js'

const TABLES: TableDefinitionInput[] = [
  {
    name: 'posts',
    columns: [
      { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
      { name: 'title', type: 'text', required: true },
      { name: 'author_id', type: 'uuid', references: { table: 'users', on_delete: 'cascade' } },
      { name: 'draft_notes', type: 'text', secret: true },
    ],
    access: {
      select: 'public',
      insert: 'authenticated',
      update: 'owner',
      delete: 'owner',
      owner_column: 'author_id',
    },
  },
  {
    name: 'notes',
    columns: [
      { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
      { name: 'owner_id', type: 'uuid', required: true },
      { name: 'body', type: 'text' },
    ],
    access: {
      select: 'owner',
      insert: 'owner',
      update: 'owner',
      delete: 'owner',
      owner_column: 'owner_id',
    },
  },
  {
    name: 'members',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'news', type: 'text' },
    ],
    access: { select: 'authenticated' },
  },
  {
    name: 'vault',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'code', type: 'text' },
    ],
  },
]

/** Access rules on one backend: every preset, as anon, user A, user B and the service. */
export function describeAccessConformance(getHarness: () => TestHarness): void {
  let h: TestHarness
  let bb: Basebox
  let db: DatabaseHandle
  let alice: string
  let bob: string

  beforeAll(async () => {
    h = getHarness()
    bb = await h.engine()
    const owner = bb.owner('access-owner')
    db = await owner.createDatabase((await owner.createProject({ name: 'App' })).id)
    for (const table of TABLES) {
      await db.createTable(table)
    }
    ;[alice, bob] = (
      await db.insert('users', [{ email: 'alice@example.com' }, { email: 'bob@example.com' }])
    ).map((u) => u.id as string) as [string, string]
    await db.insert(
      'posts',
      [
        { title: 'by alice', author_id: alice, draft_notes: 'x' },
        { title: 'by bob', author_id: bob },
      ],
      { allowSecret: true },
    )
    await db.insert('notes', [
      { owner_id: alice, body: 'alice private' },
      { owner_id: bob, body: 'bob private' },
    ])
    await db.insert('members', { id: 1, news: 'members only' })
    await db.insert('vault', { id: 1, code: '1234' })
  })

  const anon = () => db.as({ role: 'anon' })
  const as = (userId: string) => db.as({ role: 'authenticated', userId })

  describe('nobody (the default)', () => {
    it('keeps every end user out; the service still reaches everything', async () => {
      for (const client of [anon(), as(alice)]) {
        await expectCode(client.select('vault'), 'FORBIDDEN')
        await expectCode(client.insert('vault', { id: 2 }), 'FORBIDDEN')
        await expectCode(client.update('vault', { id: 1 }, { code: 'x' }), 'FORBIDDEN')
        await expectCode(client.delete('vault', { id: 1 }), 'FORBIDDEN')
        await expectCode(client.select('users'), 'FORBIDDEN')
      }
      expect((await db.select('vault')).rows).toEqual([{ id: 1, code: '1234' }])
    })
  })

  describe('public read, signed-in insert, owner update and delete', () => {
    it('anon reads but cannot write, and never sees secret columns', async () => {
      const { rows } = await anon().select('posts', { orderBy: { column: 'title' } })
      expect(rows.map((r) => r.title)).toEqual(['by alice', 'by bob'])
      expect(rows[0]).not.toHaveProperty('draft_notes')
      await expectCode(anon().select('posts', { columns: ['draft_notes'] }), 'FORBIDDEN')
      await expectCode(anon().select('posts', {}, { allowSecret: true }), 'FORBIDDEN')
      await expectCode(anon().insert('posts', { title: 'anon post' }), 'FORBIDDEN')
      // anon and signed-in users share the client role: the owner rule leaves anon no row to change
      expect(await anon().update('posts', { title: 'by alice' }, { title: 'defaced' })).toEqual([])
      expect(await anon().delete('posts', { title: 'by alice' })).toEqual([])
      expect((await db.select('posts', { where: { title: 'by alice' } })).rows).toHaveLength(1)
    })

    it('a signed-in user inserts as the owner, and only edits their own rows', async () => {
      const [post] = await as(alice).insert('posts', { title: 'alice again' })
      expect(post!.author_id).toBe(alice)
      // the insert rule is "authenticated", not "owner": naming another author is allowed here
      // (the owner rule on notes below refuses it)
      expect(await as(alice).update('posts', { title: 'by bob' }, { title: 'hijacked' })).toEqual(
        [],
      )
      expect(await as(alice).delete('posts', { title: 'by bob' })).toEqual([])
      expect(
        (await as(alice).update('posts', { id: post!.id as string }, { title: 'alice edited' }))[0]!
          .title,
      ).toBe('alice edited')
      await expectCode(
        as(alice).update('posts', { id: post!.id as string }, { author_id: bob }),
        'FORBIDDEN',
      )
      expect(await as(bob).delete('posts', { id: post!.id as string })).toEqual([])
      expect((await as(alice).delete('posts', { id: post!.id as string })).length).toBe(1)
      expect((await db.select('posts', { where: { title: 'by bob' } })).rows).toHaveLength(1)
    })
  })

  describe('owner only', () => {
    it('each user sees and changes only their own rows', async () => {
      expect((await as(alice).select('notes')).rows.map((r) => r.body)).toEqual(['alice private'])
      expect((await as(bob).select('notes')).rows.map((r) => r.body)).toEqual(['bob private'])
      expect((await as(alice).select('notes', { where: { owner_id: bob } })).rows).toEqual([])
      expect((await as(alice).select('notes', { count: 'exact', limit: 0 })).count).toBe(1)
      expect((await anon().select('notes')).rows).toEqual([])
      const [mine] = await as(bob).insert('notes', { body: 'bob again' })
      expect(mine!.owner_id).toBe(bob)
      await expectCode(as(bob).insert('notes', { owner_id: alice, body: 'planted' }), 'FORBIDDEN')
      expect(await as(bob).update('notes', { owner_id: alice }, { body: 'read you' })).toEqual([])
      expect(await as(bob).delete('notes', {}, { all: true })).toHaveLength(2)
      expect((await db.select('notes')).rows.map((r) => r.body)).toEqual(['alice private'])
    })
  })

  describe('signed-in users', () => {
    it('lets any signed-in user read, nobody else', async () => {
      expect((await as(bob).select('members')).rows).toEqual([{ id: 1, news: 'members only' }])
      expect((await anon().select('members')).rows).toEqual([])
      await expectCode(as(bob).insert('members', { id: 2 }), 'FORBIDDEN')
    })

    it('expanding a relation the user may not read is refused', async () => {
      await expectCode(anon().select('posts', { expand: ['author'] }), 'FORBIDDEN')
      await db.applyPlan({
        steps: [
          { kind: 'set_access', table: 'users', access: { select: 'owner', owner_column: 'id' } },
        ],
      })
      const { rows } = await as(alice).select('posts', {
        expand: ['author'],
        where: { title: { in: ['by alice', 'by bob'] } },
        orderBy: { column: 'title' },
      })
      expect(rows.map((r) => (r.author as { email?: string } | null)?.email ?? null)).toEqual([
        'alice@example.com',
        null,
      ])
      await db.applyPlan({ steps: [{ kind: 'set_access', table: 'users', access: null }] })
    })
  })

  describe('rules change through plans', () => {
    it('a rule change is a plan step, applied with its policies', async () => {
      const defs = await db.definitions()
      const plan = await db.planChanges(
        defs.map((t) => (t.name === 'vault' ? { ...t, access: { select: 'public' as const } } : t)),
      )
      expect(plan.steps).toEqual([
        { kind: 'set_access', table: 'vault', access: { select: 'public' } },
      ])
      await expectCode(anon().select('vault'), 'FORBIDDEN')
      await db.applyPlan(plan)
      expect((await anon().select('vault')).rows).toEqual([{ id: 1, code: '1234' }])
      await db.applyPlan({ steps: [{ kind: 'set_access', table: 'vault', access: null }] })
      await expectCode(anon().select('vault'), 'FORBIDDEN')
      const policies = await h.query<{ n: number }>(
        `select count(*)::int as n from pg_policies where schemaname = $1 and tablename = 'vault' and policyname <> 'basebox_service'`,
        [db.info.schema_name],
      )
      expect(policies[0]!.n).toBe(0)
    })

    it('refuses rules that do not fit the table', async () => {
      await expectCode(
        db.applyPlan({
          steps: [{ kind: 'set_access', table: 'vault', access: { select: 'owner' } }],
        }),
        'VALIDATION_FAILED',
      )
      await expectCode(
        db.applyPlan({
          steps: [
            {
              kind: 'set_access',
              table: 'vault',
              access: { select: 'owner', owner_column: 'code' },
            },
          ],
        }),
        'VALIDATION_FAILED',
      )
      await expectCode(
        db.applyPlan({
          steps: [{ kind: 'set_access', table: 'vault', access: { select: 'everyone' } }],
        }),
        'VALIDATION_FAILED',
      )
      await expectCode(
        db.applyPlan({ steps: [{ kind: 'drop_column', table: 'notes', column: 'owner_id' }] }),
        'CONFLICT',
      )
    })

    it('refuses a malformed identity', async () => {
      expect(() => db.as({ role: 'authenticated', userId: "x' or 1=1" } as never)).toThrow(
        BaseboxError,
      )
      expect(() => db.as({ role: 'service' } as never)).toThrow(BaseboxError)
    })
  })
}
