import type { TableDefinitionInput } from '@basebox/client'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Basebox } from '../basebox.js'
import type { DatabaseHandle } from '../database/database-handle.js'
import { BLOG_TABLES } from './fixtures.js'
import type { TestHarness } from './harness.js'
import {
  catalogFingerprint,
  catalogRows,
  expectedFromDefinition,
  introspectTable,
} from './introspect.js'
import { expectCode } from './expect-code.js'

/** Table definitions, every plan step, rollback and injection, on one backend. */
export function describeSchemaConformance(getHarness: () => TestHarness): void {
  let h: TestHarness
  let bb: Basebox
  let n = 0
  beforeAll(async () => {
    h = getHarness()
    bb = await h.engine()
  })

  async function freshDatabase(): Promise<DatabaseHandle> {
    const owner = bb.owner(`schema-owner-${++n}`)
    const project = await owner.createProject({ name: `p${n}` })
    return owner.createDatabase(project.id)
  }

  /** Every table's catalog definition agrees with what Postgres holds. */
  async function expectCatalogAgrees(db: DatabaseHandle): Promise<void> {
    for (const table of await db.listTables()) {
      expect(await introspectTable(h.query, db.info.schema_name, table.name), table.name).toEqual(
        expectedFromDefinition(table.definition),
      )
    }
  }

  async function blog(): Promise<DatabaseHandle> {
    const db = await freshDatabase()
    for (const table of BLOG_TABLES) {
      await db.createTable(table)
    }
    return db
  }

  function rawInto(db: DatabaseHandle, text: string, params?: unknown[]) {
    return h.query(text.replaceAll('$schema', `"${db.info.schema_name}"`), params)
  }

  describe('tables', () => {
    it('creates the blog tables with keys, references and indexes', async () => {
      const db = await blog()
      expect((await db.listTables()).map((t) => t.name)).toEqual(['users', 'posts', 'comments'])
      await expectCatalogAgrees(db)
      const [user] = await rawInto(
        db,
        `insert into $schema.users (email) values ('a@example.com') returning id`,
      )
      const [post] = await rawInto(
        db,
        `insert into $schema.posts (title, author_id) values ('hi', $1) returning id, views, published, created_at`,
        [(user as { id: string }).id],
      )
      expect(post).toMatchObject({ views: 0, published: false })
      await expect(
        rawInto(db, `insert into $schema.comments (post_id, body) values (gen_random_uuid(), 'x')`),
      ).rejects.toThrow(/foreign key/)
    })

    it('supports every column type and literal defaults', async () => {
      const db = await freshDatabase()
      const definition: TableDefinitionInput = {
        name: 'every_type',
        columns: [
          { name: 'a_uuid', type: 'uuid', default: '5f0c1c56-0b6e-4a39-9a40-2b8d1e3c4f5a' },
          { name: 'a_text', type: 'text', default: 'it\'s "quoted"; drop table users; --' },
          { name: 'an_integer', type: 'integer', default: -7 },
          { name: 'a_bigint', type: 'bigint', default: '9007199254740993' },
          { name: 'a_numeric', type: 'numeric', default: '12.50' },
          { name: 'a_double', type: 'double', default: 1.5 },
          { name: 'a_boolean', type: 'boolean', default: true },
          { name: 'a_date', type: 'date', default: '2024-02-29' },
          { name: 'a_timestamptz', type: 'timestamptz', default: '2024-01-02T03:04:05Z' },
          { name: 'a_jsonb', type: 'jsonb', default: { tags: ['x', "y'z"], n: 1 } },
          { name: 'today', type: 'date', default: 'current_date' },
        ],
      }
      await db.createTable(definition)
      await expectCatalogAgrees(db)
      const [row] = await rawInto(
        db,
        `insert into $schema.every_type default values returning *, a_bigint::text as big, a_numeric::text as num, a_date::text as d`,
      )
      expect(row).toMatchObject({
        a_uuid: '5f0c1c56-0b6e-4a39-9a40-2b8d1e3c4f5a',
        a_text: 'it\'s "quoted"; drop table users; --',
        an_integer: -7,
        big: '9007199254740993',
        num: '12.50',
        a_double: 1.5,
        a_boolean: true,
        d: '2024-02-29',
        a_jsonb: { tags: ['x', "y'z"], n: 1 },
      })
      expect(new Date((row as { a_timestamptz: string }).a_timestamptz).toISOString()).toBe(
        '2024-01-02T03:04:05.000Z',
      )
      expect(await rawInto(db, `select 1 from $schema.users`)).toEqual([])
    })

    it('creates tables that reference each other in one plan, in any order', async () => {
      const db = await freshDatabase()
      const current = await db.definitions()
      const plan = await db.planChanges([
        ...current,
        {
          name: 'b',
          columns: [
            { name: 'id', type: 'uuid', primary_key: true },
            { name: 'a_id', type: 'uuid', references: { table: 'a' } },
          ],
        },
        {
          name: 'a',
          columns: [
            { name: 'id', type: 'uuid', primary_key: true },
            { name: 'b_id', type: 'uuid', references: { table: 'b' } },
          ],
        },
      ])
      expect(plan.problems).toEqual([])
      await db.applyPlan(plan)
      await expectCatalogAgrees(db)
      expect((await db.getTable('a')).definition.columns[1]!.references).toEqual({
        table: 'b',
        column: 'id',
        on_delete: 'no action',
      })
    })
  })

  describe('plan steps', () => {
    it('adds, renames and drops columns', async () => {
      const db = await blog()
      const posts = (await db.getTable('posts')).definition
      await db.alterTable('posts', {
        ...posts,
        columns: [...posts.columns, { name: 'subtitle', type: 'text', default: 'none' }],
      })
      await db.alterTable(
        'posts',
        {
          ...posts,
          columns: [
            ...posts.columns.map((c) => (c.name === 'body' ? { ...c, name: 'content' } : c)),
            { name: 'subtitle', type: 'text', default: 'none' },
          ],
        },
        { renameColumns: { body: 'content' } },
      )
      expect((await db.getTable('posts')).definition.columns.map((c) => c.name)).toEqual([
        'id',
        'title',
        'content',
        'views',
        'published',
        'author_id',
        'created_at',
        'subtitle',
      ])
      const plan = await db.planChanges(
        (await db.definitions()).map((t) =>
          t.name === 'posts'
            ? { ...t, columns: t.columns.filter((c) => c.name !== 'subtitle') }
            : t,
        ),
      )
      expect(plan.steps).toEqual([{ kind: 'drop_column', table: 'posts', column: 'subtitle' }])
      await db.applyPlan(plan)
      await expectCatalogAgrees(db)
    })

    it('shows the SQL of each step in the plan, without the schema name', async () => {
      const db = await blog()
      const wanted = (await db.definitions()).map((t) =>
        t.name === 'posts'
          ? {
              ...t,
              columns: [
                ...t.columns,
                { name: 'subtitle', type: 'text' as const, required: true, default: 'none' },
              ],
            }
          : t,
      )
      const plan = await db.planChanges(wanted)
      expect(plan.steps).toEqual([
        {
          kind: 'add_column',
          table: 'posts',
          column: { name: 'subtitle', type: 'text', required: true, default: 'none' },
        },
      ])
      expect(plan.sql).toEqual([
        [`alter table "posts" add column "subtitle" text not null default 'none'`],
      ])
      expect(plan.sql!.flat().join('\n')).not.toContain(db.info.schema_name)
      const access = await db.planChanges(
        wanted.map((t) =>
          t.name === 'posts' ? { ...t, access: { select: 'public' as const } } : t,
        ),
      )
      const accessIndex = access.steps.findIndex((s) => s.kind === 'set_access')
      expect(
        access.sql![accessIndex]!.some((statement) =>
          statement.startsWith('create policy "basebox_select" on "posts" for select'),
        ),
      ).toBe(true)
    })

    it('reorders columns in the definition only: one step without SQL, the rows kept', async () => {
      const db = await blog()
      const author = (await db.insert('users', { email: 'order@example.com' }))[0] as { id: string }
      await db.insert('posts', { title: 'Kept', author_id: author.id })
      const defs = await db.definitions()
      const posts = defs.find((t) => t.name === 'posts')!
      const order = [...posts.columns].reverse()
      const plan = await db.planChanges(
        defs.map((t) => (t.name === 'posts' ? { ...t, columns: order } : t)),
      )
      expect(plan.steps).toEqual([
        { kind: 'reorder_columns', table: 'posts', columns: order.map((c) => c.name) },
      ])
      expect(plan.sql).toEqual([[]])
      await db.applyPlan(plan)
      expect((await db.getTable('posts')).definition.columns.map((c) => c.name)).toEqual(
        order.map((c) => c.name),
      )
      expect((await db.select('posts')).rows.map((r) => r.title)).toEqual(['Kept'])
      expect((await db.planChanges(await db.definitions())).steps).toEqual([])
      await expectCode(
        db.applyPlan({ steps: [{ kind: 'reorder_columns', table: 'posts', columns: ['id'] }] }),
        'VALIDATION_FAILED',
      )
    })

    it('renames tables and keeps references, constraint names and the catalog in step', async () => {
      const db = await blog()
      const defs = await db.definitions()
      const wanted = defs.map((t) =>
        t.name === 'posts'
          ? { ...t, name: 'articles' }
          : t.name === 'comments'
            ? {
                ...t,
                columns: t.columns.map((c) =>
                  c.name === 'post_id'
                    ? { ...c, references: { ...c.references!, table: 'articles' } }
                    : c,
                ),
              }
            : t,
      )
      const plan = await db.planChanges(wanted, { renameTables: { posts: 'articles' } })
      expect(plan.steps).toEqual([{ kind: 'rename_table', table: 'posts', to: 'articles' }])
      const postsId = (await db.getTable('posts')).id
      await db.applyPlan(plan)
      expect((await db.getTable('articles')).id).toBe(postsId)
      await expectCatalogAgrees(db)
      const names = await rawInto(
        db,
        `select conname from pg_constraint where conrelid = '$schema.articles'::regclass and contype in ('p', 'u', 'f') order by 1`,
      )
      expect(names.map((r) => (r as { conname: string }).conname)).toEqual([
        'articles_author_id_fkey',
        'articles_pkey',
      ])
    })

    it('changes types, and reports the rows that would not convert before anything runs', async () => {
      const db = await freshDatabase()
      await db.createTable({
        name: 'items',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'qty', type: 'text' },
        ],
      })
      await rawInto(
        db,
        `insert into $schema.items values (1, '10'), (2, 'ten'), (3, null), (4, '4.5'), (5, '7')`,
      )
      const wanted = (await db.definitions()).map((t) =>
        t.name === 'items'
          ? { ...t, columns: [t.columns[0]!, { name: 'qty', type: 'integer' as const }] }
          : t,
      )
      const before = await catalogFingerprint(h.query, bb.catalog.schema)
      const plan = await db.planChanges(wanted)
      expect(plan.steps).toEqual([
        { kind: 'change_type', table: 'items', column: 'qty', to: 'integer' },
      ])
      expect(plan.problems).toHaveLength(1)
      expect(plan.problems![0]!.rows).toEqual([
        { key: '2', value: 'ten' },
        { key: '4', value: '4.5' },
      ])
      expect(await catalogFingerprint(h.query, bb.catalog.schema)).toBe(before)
      const error = await expectCode(db.applyPlan(plan), 'VALIDATION_FAILED')
      expect((error.details?.problems as unknown[]).length).toBe(1)
      expect(await catalogFingerprint(h.query, bb.catalog.schema)).toBe(before)
      await rawInto(db, `update $schema.items set qty = '0' where id in (2, 4)`)
      await db.applyPlan(await db.planChanges(wanted))
      expect(await rawInto(db, `select qty from $schema.items order by id`)).toEqual([
        { qty: 10 },
        { qty: 0 },
        { qty: null },
        { qty: 0 },
        { qty: 7 },
      ])
      await expectCatalogAgrees(db)
    })

    it('converts between every pair of compatible types', async () => {
      const db = await freshDatabase()
      await db.createTable({
        name: 'conv',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'v', type: 'integer', default: 3 },
        ],
      })
      await rawInto(db, `insert into $schema.conv (id, v) values (1, 42)`)
      const chain = [
        'bigint',
        'numeric',
        'double',
        'text',
        'jsonb',
        'text',
        'integer',
        'boolean',
        'text',
      ] as const
      for (const type of chain) {
        const defs = await db.definitions()
        const wanted = defs.map((t) =>
          t.name === 'conv' ? { ...t, columns: [t.columns[0]!, { name: 'v', type }] } : t,
        )
        const plan = await db.planChanges(wanted)
        expect(plan.problems, type).toEqual([])
        await db.applyPlan(plan)
      }
      expect(await rawInto(db, `select v from $schema.conv`)).toEqual([{ v: 'true' }])
      await expectCatalogAgrees(db)
    })

    it('sets and drops required, unique, defaults, references, primary keys and indexes', async () => {
      const db = await blog()
      const [user] = (await rawInto(
        db,
        `insert into $schema.users (email) values ('u@example.com') returning id`,
      )) as { id: string }[]
      await rawInto(
        db,
        `insert into $schema.posts (title, author_id, body) values ('a', $1, 'same'), ('b', $1, 'same'), ('c', null, null)`,
        [user!.id],
      )
      const defs = await db.definitions()
      const withPosts = (change: (t: TableDefinitionInput) => TableDefinitionInput) =>
        defs.map((t) => (t.name === 'posts' ? change(t) : t))

      // required on a column with nulls: refused, naming the row
      let plan = await db.planChanges(
        withPosts((t) => ({
          ...t,
          columns: t.columns.map((c) => (c.name === 'body' ? { ...c, required: true } : c)),
        })),
      )
      expect(plan.steps).toEqual([
        { kind: 'set_required', table: 'posts', column: 'body', required: true },
      ])
      expect(plan.problems![0]!.message).toMatch(/null values/)
      expect(plan.problems![0]!.rows).toHaveLength(1)

      // unique on duplicated values: refused, naming the value
      plan = await db.planChanges(
        withPosts((t) => ({
          ...t,
          columns: t.columns.map((c) => (c.name === 'body' ? { ...c, unique: true } : c)),
        })),
      )
      expect(plan.problems![0]!.message).toMatch(/duplicate/)
      expect(plan.problems![0]!.rows[0]!.value).toBe('(same)')

      // a reference with orphans: refused
      await db.createTable({
        name: 'tags',
        columns: [{ name: 'id', type: 'integer', primary_key: true }],
      })
      await db.alterTable('posts', {
        ...(await db.getTable('posts')).definition,
        columns: [
          ...(await db.getTable('posts')).definition.columns,
          { name: 'tag_id', type: 'integer', default: 5 },
        ],
      })
      const current = await db.definitions()
      plan = await db.planChanges(
        current.map((t) =>
          t.name === 'posts'
            ? {
                ...t,
                columns: t.columns.map((c) =>
                  c.name === 'tag_id'
                    ? {
                        ...c,
                        references: { table: 'tags', column: 'id', on_delete: 'set null' as const },
                      }
                    : c,
                ),
              }
            : t,
        ),
      )
      expect(plan.steps).toEqual([
        {
          kind: 'set_reference',
          table: 'posts',
          column: 'tag_id',
          references: { table: 'tags', column: 'id', on_delete: 'set null' },
        },
      ])
      expect(plan.problems![0]!.message).toMatch(/no matching row in "tags"/)
      await rawInto(db, `insert into $schema.tags values (5)`)
      await db.applyPlan(plan)

      // defaults, required, unique, secret, index, then drop the reference again
      const posts = (await db.getTable('posts')).definition
      await db.alterTable('posts', {
        ...posts,
        columns: posts.columns.map((c) =>
          c.name === 'title'
            ? { ...c, unique: true, default: 'untitled' }
            : c.name === 'views'
              ? { ...c, default: 10 }
              : c.name === 'tag_id'
                ? { name: 'tag_id', type: 'integer' as const }
                : c.name === 'published'
                  ? { ...c, required: true, secret: true }
                  : c,
        ),
        indexes: [{ columns: ['title', 'views'], unique: true }],
      })
      await expectCatalogAgrees(db)
      const [row] = (await rawInto(
        db,
        `insert into $schema.posts default values returning title, views`,
      )) as object[]
      expect(row).toEqual({ title: 'untitled', views: 10 })

      // move the primary key
      const again = (await db.getTable('tags')).definition
      await db.alterTable('tags', {
        ...again,
        columns: [
          { name: 'id', type: 'integer' },
          { name: 'code', type: 'text', primary_key: true, default: 'x' },
        ],
      })
      await expectCatalogAgrees(db)
      const [tag] = (await rawInto(db, `select id, code from $schema.tags`)) as object[]
      expect(tag).toEqual({ id: 5, code: 'x' })
    })

    it('refuses to drop what others reference unless the plan cascades', async () => {
      const db = await blog()
      const before = await catalogFingerprint(h.query, bb.catalog.schema)
      const error = await expectCode(db.dropTable('posts'), 'CONFLICT')
      expect(error.message).toMatch(/comments\.post_id/)
      await expectCode(
        db.applyPlan({ steps: [{ kind: 'drop_column', table: 'users', column: 'id' }] }),
        'CONFLICT',
      )
      expect(await catalogFingerprint(h.query, bb.catalog.schema)).toBe(before)
      await db.dropTable('posts', { cascade: true })
      expect((await db.listTables()).map((t) => t.name)).toEqual(['users', 'comments'])
      expect(
        (await db.getTable('comments')).definition.columns.find((c) => c.name === 'post_id')!
          .references,
      ).toBeUndefined()
      await expectCatalogAgrees(db)
    })

    it('a plan whose later step fails changes nothing, catalog included', async () => {
      const db = await blog()
      await rawInto(db, `insert into $schema.users (email) values ('a@x.io'), ('b@x.io')`)
      const fingerprint = await catalogFingerprint(h.query, bb.catalog.schema)
      const rows = await catalogRows(h.query, bb.catalog.schema)
      const error = await expectCode(
        db.applyPlan({
          steps: [
            { kind: 'add_column', table: 'users', column: { name: 'nickname', type: 'text' } },
            {
              kind: 'create_table',
              table: { name: 'extra', columns: [{ name: 'id', type: 'integer' }] },
            },
            {
              kind: 'add_column',
              table: 'users',
              column: { name: 'age', type: 'integer', required: true },
            },
          ],
        }),
        'VALIDATION_FAILED',
      )
      expect(error.message).toMatch(/needs a default/)
      expect(await catalogFingerprint(h.query, bb.catalog.schema)).toBe(fingerprint)
      expect(await catalogRows(h.query, bb.catalog.schema)).toBe(rows)
    })
  })

  describe('bad input changes nothing', () => {
    const hostile: [string, unknown, string][] = [
      [
        'a name with a quote',
        { name: 'x"; drop table users; --', columns: [{ name: 'id', type: 'integer' }] },
        'INVALID_IDENTIFIER',
      ],
      [
        'a name with a semicolon',
        { name: 'posts;drop', columns: [{ name: 'id', type: 'integer' }] },
        'INVALID_IDENTIFIER',
      ],
      [
        'an uppercase name',
        { name: 'Posts', columns: [{ name: 'id', type: 'integer' }] },
        'INVALID_IDENTIFIER',
      ],
      [
        'a reserved name',
        { name: 'select', columns: [{ name: 'id', type: 'integer' }] },
        'INVALID_IDENTIFIER',
      ],
      [
        'a system column name',
        { name: 'ok', columns: [{ name: 'ctid', type: 'integer' }] },
        'INVALID_IDENTIFIER',
      ],
      [
        'a name over 63 bytes',
        { name: 'a'.repeat(64), columns: [{ name: 'id', type: 'integer' }] },
        'INVALID_IDENTIFIER',
      ],
      [
        'a column name with a quote',
        { name: 'ok', columns: [{ name: "id'--", type: 'integer' }] },
        'INVALID_IDENTIFIER',
      ],
      [
        'a dotted name',
        { name: 'basebox.projects', columns: [{ name: 'id', type: 'integer' }] },
        'INVALID_IDENTIFIER',
      ],
      [
        'an unknown type',
        { name: 'ok', columns: [{ name: 'id', type: 'varchar(10)' }] },
        'VALIDATION_FAILED',
      ],
      [
        'a type smuggling SQL',
        { name: 'ok', columns: [{ name: 'id', type: 'int); drop table users; --' }] },
        'VALIDATION_FAILED',
      ],
      [
        'duplicate columns',
        {
          name: 'ok',
          columns: [
            { name: 'id', type: 'integer' },
            { name: 'id', type: 'text' },
          ],
        },
        'VALIDATION_FAILED',
      ],
      [
        'a second primary key',
        {
          name: 'ok',
          columns: [
            { name: 'a', type: 'integer', primary_key: true },
            { name: 'b', type: 'integer', primary_key: true },
          ],
        },
        'VALIDATION_FAILED',
      ],
      [
        'a reference to a missing table',
        { name: 'ok', columns: [{ name: 'x_id', type: 'uuid', references: { table: 'nope' } }] },
        'VALIDATION_FAILED',
      ],
      [
        'a reference to a missing column',
        {
          name: 'ok',
          columns: [{ name: 'x_id', type: 'uuid', references: { table: 'users', column: 'nope' } }],
        },
        'VALIDATION_FAILED',
      ],
      [
        'a reference to a non-key column',
        {
          name: 'ok',
          columns: [
            { name: 'x', type: 'text', references: { table: 'users', column: 'full_name' } },
          ],
        },
        'VALIDATION_FAILED',
      ],
      [
        'a reference across types',
        {
          name: 'ok',
          columns: [{ name: 'x', type: 'integer', references: { table: 'users', column: 'id' } }],
        },
        'VALIDATION_FAILED',
      ],
      [
        'a default smuggling SQL',
        {
          name: 'ok',
          columns: [{ name: 'at', type: 'timestamptz', default: 'now()); drop table users; --' }],
        },
        'VALIDATION_FAILED',
      ],
      [
        'a function default not on the allow-list',
        { name: 'ok', columns: [{ name: 'n', type: 'integer', default: 'pg_sleep(10)' }] },
        'VALIDATION_FAILED',
      ],
      [
        'a default of the wrong type',
        { name: 'ok', columns: [{ name: 'n', type: 'integer', default: 'ten' }] },
        'VALIDATION_FAILED',
      ],
      [
        'an unknown field',
        { name: 'ok', columns: [{ name: 'n', type: 'integer', check: 'n > 0' }] },
        'VALIDATION_FAILED',
      ],
      ['no columns', { name: 'ok', columns: [] }, 'VALIDATION_FAILED'],
      [
        'an existing table',
        { name: 'users', columns: [{ name: 'id', type: 'integer' }] },
        'CONFLICT',
      ],
      ['not an object', 'create table x (id int)', 'VALIDATION_FAILED'],
    ]
    it.each(hostile)('refuses %s', async (_title, definition, code) => {
      const db = await freshDatabase()
      const fingerprint = await catalogFingerprint(h.query, bb.catalog.schema)
      const rows = await catalogRows(h.query, bb.catalog.schema)
      await expectCode(db.createTable(definition as TableDefinitionInput), code)
      expect(await catalogFingerprint(h.query, bb.catalog.schema)).toBe(fingerprint)
      expect(await catalogRows(h.query, bb.catalog.schema)).toBe(rows)
      expect(await rawInto(db, `select count(*)::int as n from $schema.users`)).toEqual([{ n: 0 }])
    })

    it('refuses hostile plan steps', async () => {
      const db = await freshDatabase()
      const fingerprint = await catalogFingerprint(h.query, bb.catalog.schema)
      await expectCode(
        db.applyPlan({ steps: [{ kind: 'drop_table', table: 'users"; drop schema public; --' }] }),
        'INVALID_IDENTIFIER',
      )
      await expectCode(
        db.applyPlan({ steps: [{ kind: 'raw_sql', sql: 'drop table users' }] }),
        'VALIDATION_FAILED',
      )
      await expectCode(
        db.applyPlan({ steps: [{ kind: 'rename_table', table: 'users', to: 'pg_users' }] }),
        'INVALID_IDENTIFIER',
      )
      await expectCode(
        db.applyPlan({ steps: [{ kind: 'drop_table', table: 'missing' }] }),
        'NOT_FOUND',
      )
      await expectCode(
        db.applyPlan({
          steps: [
            {
              kind: 'set_default',
              table: 'users',
              column: 'created_at',
              default: "now()'); drop table users; --",
            },
          ],
        }),
        'VALIDATION_FAILED',
      )
      expect(await catalogFingerprint(h.query, bb.catalog.schema)).toBe(fingerprint)
    })

    it('validation errors carry the JSON path of each problem', async () => {
      const db = await freshDatabase()
      const error = await expectCode(
        db.createTable({
          name: 'ok',
          columns: [
            { name: 'a', type: 'integer' },
            { name: 'B', type: 'nope' as 'text' },
          ],
        }),
        'INVALID_IDENTIFIER',
      )
      const issues = error.details?.issues as { path: unknown[] }[]
      expect(issues.map((i) => i.path)).toEqual(
        expect.arrayContaining([
          ['columns', 1, 'name'],
          ['columns', 1, 'type'],
        ]),
      )
    })
  })
}
