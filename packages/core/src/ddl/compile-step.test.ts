import { PGlite } from '@electric-sql/pglite'
import { parseTableDefinition, type TableDefinition } from '@basebox/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { USERS_TABLE } from '../default-tables.js'
import { BLOG_TABLES } from '../testing/fixtures.js'
import { loadPGliteSnapshot } from '../testing/pglite-snapshot.js'
import { conversionSQL } from './column-sql.js'
import { compileCreateTable, compileStep } from './compile-step.js'
import { applyStepToModel } from './apply-step-to-model.js'
import type { DatabaseModel } from './database-model.js'
import { databaseProblems } from './database-problems.js'
import { objectName } from './identifier.js'
import type { PlanStep } from './plan-step.js'

const ctx = { schema: 'db_1' }
const posts = parseTableDefinition(BLOG_TABLES[0])
const comments = parseTableDefinition(BLOG_TABLES[1])
const MODEL: DatabaseModel = [USERS_TABLE, posts, comments]

const compile = (step: PlanStep, model: DatabaseModel = MODEL) => compileStep(ctx, model, step)

const HOSTILE_TEXT = "'); drop table users; --"

describe('compileCreateTable', () => {
  it('creates the table with keys and references, then the reference index and the indexes', () => {
    expect(compileCreateTable(ctx, posts)).toEqual([
      [
        'create table "db_1"."posts" (',
        '  "id" uuid not null default gen_random_uuid(),',
        '  "title" text not null,',
        '  "body" text,',
        `  "views" integer not null default '0'::integer,`,
        '  "published" boolean default false,',
        '  "author_id" uuid,',
        '  "created_at" timestamptz not null default now(),',
        '  constraint "posts_pkey" primary key ("id"),',
        '  constraint "posts_author_id_fkey" foreign key ("author_id") references "db_1"."users" ("id") on delete cascade',
        ')',
      ].join('\n'),
      'alter table "db_1"."posts" enable row level security',
      'create index "posts_author_id_fkey_idx" on "db_1"."posts" ("author_id")',
      'create index "posts_created_at_idx" on "db_1"."posts" ("created_at")',
    ])
  })

  it('quotes every kind of literal default for its type; a hostile text default stays a literal', () => {
    const table = parseTableDefinition({
      name: 'every_type',
      columns: [
        { name: 'a', type: 'uuid', default: '5f0c1c56-0b6e-4a39-9a40-2b8d1e3c4f5a' },
        { name: 'b', type: 'text', default: HOSTILE_TEXT },
        { name: 'c', type: 'integer', default: -7 },
        { name: 'd', type: 'bigint', default: '9007199254740993' },
        { name: 'e', type: 'numeric', default: '12.50' },
        { name: 'f', type: 'double', default: 1.5 },
        { name: 'g', type: 'boolean', default: true },
        { name: 'h', type: 'date', default: '2024-02-29' },
        { name: 'i', type: 'timestamptz', default: '2024-01-02T03:04:05Z' },
        { name: 'j', type: 'jsonb', default: { q: "it's" } },
        { name: 'k', type: 'jsonb', default: 'now()' },
        { name: 'l', type: 'date', default: 'current_date' },
        { name: 'm', type: 'text', default: null },
        { name: 'n', type: 'text', default: 'back\\slash' },
      ],
    })
    const [create] = compileCreateTable(ctx, table)
    expect(create!.split('\n').slice(1, -1)).toEqual([
      `  "a" uuid default '5f0c1c56-0b6e-4a39-9a40-2b8d1e3c4f5a'::uuid,`,
      `  "b" text default '''); drop table users; --',`,
      `  "c" integer default '-7'::integer,`,
      `  "d" bigint default '9007199254740993'::bigint,`,
      `  "e" numeric default '12.50'::numeric,`,
      `  "f" double precision default '1.5'::double precision,`,
      `  "g" boolean default true,`,
      `  "h" date default '2024-02-29'::date,`,
      `  "i" timestamptz default '2024-01-02T03:04:05Z'::timestamptz,`,
      `  "j" jsonb default '{"q":"it''s"}'::jsonb,`,
      `  "k" jsonb default '"now()"'::jsonb,`,
      `  "l" date default current_date,`,
      `  "m" text default null,`,
      `  "n" text default 'back\\slash'`,
    ])
  })

  it('gives long tables and columns hashed names of at most 63 bytes', () => {
    const long = 'a'.repeat(60)
    const table = parseTableDefinition({
      name: long,
      columns: [
        { name: 'id', type: 'uuid', primary_key: true },
        {
          name: long.replace(/^a/, 'b'),
          type: 'uuid',
          unique: true,
          references: { table: 'users' },
        },
      ],
    })
    const statements = compileCreateTable(ctx, table)
    const names = statements
      .join('\n')
      .match(/"[^"]+"/g)!
      .map((n) => n.slice(1, -1))
    expect(names.every((n) => n.length <= 63)).toBe(true)
    expect(statements.join('\n')).toContain(
      `constraint "${objectName.primaryKey(long)}" primary key`,
    )
    expect(objectName.primaryKey(long)).toMatch(/^a{54}_[0-9a-f]{8}$/)
  })
})

describe('compileStep', () => {
  it('create_table is compileCreateTable', () => {
    expect(compile({ kind: 'create_table', table: posts }, [USERS_TABLE])).toEqual(
      compileCreateTable(ctx, posts),
    )
  })

  it('drop_table, and with cascade, first the indexes Basebox made for references to it', () => {
    expect(compile({ kind: 'drop_table', table: 'comments' })).toEqual([
      'drop table "db_1"."comments"',
    ])
    expect(compile({ kind: 'drop_table', table: 'users', cascade: true })).toEqual([
      'drop index if exists "db_1"."posts_author_id_fkey_idx"',
      'drop index if exists "db_1"."comments_author_id_fkey_idx"',
      'drop table "db_1"."users" cascade',
    ])
  })

  it('rename_table renames the key, reference and index names along with the table', () => {
    expect(compile({ kind: 'rename_table', table: 'posts', to: 'articles' })).toEqual([
      'alter table "db_1"."posts" rename to "articles"',
      'alter table "db_1"."articles" rename constraint "posts_pkey" to "articles_pkey"',
      'alter table "db_1"."articles" rename constraint "posts_author_id_fkey" to "articles_author_id_fkey"',
      'alter index "db_1"."posts_author_id_fkey_idx" rename to "articles_author_id_fkey_idx"',
      'alter index "db_1"."posts_created_at_idx" rename to "articles_created_at_idx"',
    ])
    expect(compile({ kind: 'rename_table', table: 'users', to: 'members' })).toEqual([
      'alter table "db_1"."users" rename to "members"',
      'alter table "db_1"."members" rename constraint "users_pkey" to "members_pkey"',
      'alter table "db_1"."members" rename constraint "users_email_key" to "members_email_key"',
    ])
  })

  it('add_column, with its unique key and its reference in their own statements', () => {
    expect(
      compile({
        kind: 'add_column',
        table: 'posts',
        column: { name: 'subtitle', type: 'text', default: "it's" },
      }),
    ).toEqual([`alter table "db_1"."posts" add column "subtitle" text default 'it''s'`])
    expect(
      compile({
        kind: 'add_column',
        table: 'posts',
        column: {
          name: 'editor_id',
          type: 'uuid',
          required: true,
          unique: true,
          references: { table: 'users', column: 'id', on_delete: 'set null' },
        },
      }),
    ).toEqual([
      'alter table "db_1"."posts" add column "editor_id" uuid not null',
      'alter table "db_1"."posts" add constraint "posts_editor_id_key" unique ("editor_id")',
      'alter table "db_1"."posts" add constraint "posts_editor_id_fkey" foreign key ("editor_id") references "db_1"."users" ("id") on delete set null',
      'create index "posts_editor_id_fkey_idx" on "db_1"."posts" ("editor_id")',
    ])
  })

  it('drop_column, and with cascade, first the indexes of the references to it', () => {
    expect(compile({ kind: 'drop_column', table: 'posts', column: 'body' })).toEqual([
      'alter table "db_1"."posts" drop column "body"',
    ])
    expect(compile({ kind: 'drop_column', table: 'users', column: 'id', cascade: true })).toEqual([
      'drop index if exists "db_1"."posts_author_id_fkey_idx"',
      'drop index if exists "db_1"."comments_author_id_fkey_idx"',
      'alter table "db_1"."users" drop column "id" cascade',
    ])
  })

  it('rename_column renames the unique key, the reference and the indexes that use the column', () => {
    expect(compile({ kind: 'rename_column', table: 'users', column: 'email', to: 'mail' })).toEqual(
      [
        'alter table "db_1"."users" rename column "email" to "mail"',
        'alter table "db_1"."users" rename constraint "users_email_key" to "users_mail_key"',
      ],
    )
    expect(
      compile({ kind: 'rename_column', table: 'posts', column: 'author_id', to: 'writer_id' }),
    ).toEqual([
      'alter table "db_1"."posts" rename column "author_id" to "writer_id"',
      'alter table "db_1"."posts" rename constraint "posts_author_id_fkey" to "posts_writer_id_fkey"',
      'alter index "db_1"."posts_author_id_fkey_idx" rename to "posts_writer_id_fkey_idx"',
    ])
    expect(
      compile({ kind: 'rename_column', table: 'posts', column: 'created_at', to: 'written_at' }),
    ).toEqual([
      'alter table "db_1"."posts" rename column "created_at" to "written_at"',
      'alter index "db_1"."posts_created_at_idx" rename to "posts_written_at_idx"',
    ])
    expect(
      compile({ kind: 'rename_column', table: 'posts', column: 'body', to: 'content' }),
    ).toEqual(['alter table "db_1"."posts" rename column "body" to "content"'])
  })

  it('change_type drops the old default first and converts with an explicit expression', () => {
    expect(compile({ kind: 'change_type', table: 'posts', column: 'views', to: 'bigint' })).toEqual(
      [
        'alter table "db_1"."posts" alter column "views" drop default',
        'alter table "db_1"."posts" alter column "views" type bigint using "views"::bigint',
      ],
    )
    expect(compile({ kind: 'change_type', table: 'posts', column: 'body', to: 'jsonb' })).toEqual([
      'alter table "db_1"."posts" alter column "body" type jsonb using "body"::jsonb',
    ])
    expect(compile({ kind: 'change_type', table: 'posts', column: 'body', to: 'text' })).toEqual([])
  })

  it('conversionSQL covers jsonb, text and the casts Postgres lacks', () => {
    expect(conversionSQL('"v"', 'jsonb', 'text')).toBe(`("v" #>> '{}')`)
    expect(conversionSQL('"v"', 'jsonb', 'integer')).toBe(`("v" #>> '{}')::integer`)
    expect(conversionSQL('"v"', 'integer', 'jsonb')).toBe('to_jsonb("v")')
    expect(conversionSQL('"v"', 'text', 'jsonb')).toBe('"v"::jsonb')
    expect(conversionSQL('"v"', 'uuid', 'text')).toBe('"v"::text')
    expect(conversionSQL('"v"', 'integer', 'double')).toBe('"v"::double precision')
    expect(conversionSQL('"v"', 'boolean', 'integer')).toBe('"v"::integer')
    expect(conversionSQL('"v"', 'uuid', 'integer')).toBe('"v"::text::integer')
    expect(conversionSQL('"v"', 'date', 'timestamptz')).toBe('"v"::timestamptz')
  })

  it('set_required sets or drops NOT NULL', () => {
    expect(
      compile({ kind: 'set_required', table: 'posts', column: 'body', required: true }),
    ).toEqual(['alter table "db_1"."posts" alter column "body" set not null'])
    expect(
      compile({ kind: 'set_required', table: 'posts', column: 'title', required: false }),
    ).toEqual(['alter table "db_1"."posts" alter column "title" drop not null'])
  })

  it('set_required false on the primary key changes nothing: the key keeps the column NOT NULL', () => {
    // Postgres refuses `drop not null` on a primary key column (42P16, "column is in a primary
    // key"), so a plan that only drops a redundant `required: true` from the key would fail.
    const model = [
      parseTableDefinition({
        name: 't',
        columns: [{ name: 'id', type: 'integer', primary_key: true, required: true }],
      }),
    ]
    expect(
      compile({ kind: 'set_required', table: 't', column: 'id', required: false }, model),
    ).toEqual([])
  })

  it('set_unique adds or drops the named unique key, and does nothing when already so', () => {
    expect(compile({ kind: 'set_unique', table: 'posts', column: 'title', unique: true })).toEqual([
      'alter table "db_1"."posts" add constraint "posts_title_key" unique ("title")',
    ])
    expect(compile({ kind: 'set_unique', table: 'users', column: 'email', unique: false })).toEqual(
      ['alter table "db_1"."users" drop constraint "users_email_key"'],
    )
    expect(compile({ kind: 'set_unique', table: 'users', column: 'email', unique: true })).toEqual(
      [],
    )
  })

  it('set_default quotes a literal, keeps an allow-listed function, and drops on null', () => {
    expect(
      compile({ kind: 'set_default', table: 'posts', column: 'title', default: HOSTILE_TEXT }),
    ).toEqual([
      `alter table "db_1"."posts" alter column "title" set default '''); drop table users; --'`,
    ])
    expect(compile({ kind: 'set_default', table: 'posts', column: 'views', default: 10 })).toEqual([
      `alter table "db_1"."posts" alter column "views" set default '10'::integer`,
    ])
    expect(
      compile({
        kind: 'set_default',
        table: 'posts',
        column: 'created_at',
        default: 'current_timestamp',
      }),
    ).toEqual([
      'alter table "db_1"."posts" alter column "created_at" set default current_timestamp',
    ])
    expect(
      compile({ kind: 'set_default', table: 'posts', column: 'views', default: null }),
    ).toEqual(['alter table "db_1"."posts" alter column "views" drop default'])
  })

  it('set_reference drops the old foreign key and its index, then adds the new ones', () => {
    expect(
      compile({
        kind: 'set_reference',
        table: 'comments',
        column: 'author_id',
        references: { table: 'users', column: 'id', on_delete: 'cascade' },
      }),
    ).toEqual([
      'alter table "db_1"."comments" drop constraint "comments_author_id_fkey"',
      'drop index if exists "db_1"."comments_author_id_fkey_idx"',
      'alter table "db_1"."comments" add constraint "comments_author_id_fkey" foreign key ("author_id") references "db_1"."users" ("id") on delete cascade',
      'create index "comments_author_id_fkey_idx" on "db_1"."comments" ("author_id")',
    ])
    expect(
      compile({ kind: 'set_reference', table: 'comments', column: 'author_id', references: null }),
    ).toEqual([
      'alter table "db_1"."comments" drop constraint "comments_author_id_fkey"',
      'drop index if exists "db_1"."comments_author_id_fkey_idx"',
    ])
    expect(
      compile({
        kind: 'set_reference',
        table: 'posts',
        column: 'title',
        references: { table: 'users', column: 'email', on_delete: 'restrict' },
      }),
    ).toEqual([
      'alter table "db_1"."posts" add constraint "posts_title_fkey" foreign key ("title") references "db_1"."users" ("email") on delete restrict',
      'create index "posts_title_fkey_idx" on "db_1"."posts" ("title")',
    ])
  })

  it('set_primary_key moves the key, and lets the old column be null again unless it is required', () => {
    expect(compile({ kind: 'set_primary_key', table: 'posts', column: 'title' })).toEqual([
      'alter table "db_1"."posts" drop constraint "posts_pkey"',
      'alter table "db_1"."posts" alter column "id" drop not null',
      'alter table "db_1"."posts" add constraint "posts_pkey" primary key ("title")',
    ])
    const required = [
      parseTableDefinition({
        name: 't',
        columns: [
          { name: 'a', type: 'integer', primary_key: true, required: true },
          { name: 'b', type: 'integer' },
        ],
      }),
    ]
    expect(compile({ kind: 'set_primary_key', table: 't', column: null }, required)).toEqual([
      'alter table "db_1"."t" drop constraint "t_pkey"',
    ])
    expect(compile({ kind: 'set_primary_key', table: 'posts', column: 'id' })).toEqual([])
    const keyless = [parseTableDefinition({ name: 't', columns: [{ name: 'a', type: 'integer' }] })]
    expect(compile({ kind: 'set_primary_key', table: 't', column: 'a' }, keyless)).toEqual([
      'alter table "db_1"."t" add constraint "t_pkey" primary key ("a")',
    ])
  })

  it('set_secret is catalog-only: no SQL', () => {
    expect(compile({ kind: 'set_secret', table: 'users', column: 'email', secret: true })).toEqual(
      [],
    )
  })

  it('create_index and drop_index use the derived index name', () => {
    expect(
      compile({
        kind: 'create_index',
        table: 'posts',
        index: { columns: ['title', 'views'], unique: true },
      }),
    ).toEqual(['create unique index "posts_title_views_uidx" on "db_1"."posts" ("title", "views")'])
    expect(
      compile({ kind: 'drop_index', table: 'posts', index: { columns: ['created_at'] } }),
    ).toEqual(['drop index if exists "db_1"."posts_created_at_idx"'])
  })
})

describe('derived names across a database', () => {
  /** Every name a model puts in the schema's relation namespace: tables and the indexes of keys. */
  function relationNames(model: readonly TableDefinition[]): string[] {
    return model.flatMap((t) => [
      t.name,
      ...t.columns.flatMap((c) => [
        ...(c.primary_key ? [objectName.primaryKey(t.name)] : []),
        ...(c.unique ? [objectName.unique(t.name, c.name)] : []),
        ...(c.references ? [objectName.foreignKeyIndex(t.name, c.name)] : []),
      ]),
      ...(t.indexes ?? []).map((i) => objectName.index(t.name, i.columns, i.unique === true)),
    ])
  }

  it.each<[string, unknown[]]>([
    [
      'a unique column of "blog" and of "blog_post"',
      [
        { name: 'blog', columns: [{ name: 'post_slug', type: 'text', unique: true }] },
        { name: 'blog_post', columns: [{ name: 'slug', type: 'text', unique: true }] },
      ],
    ],
    [
      'a table named like the key index of another',
      [
        { name: 'users', columns: [{ name: 'id', type: 'uuid', primary_key: true }] },
        { name: 'users_pkey', columns: [{ name: 'id', type: 'uuid' }] },
      ],
    ],
    [
      'the same index twice in one table',
      [
        {
          name: 't',
          columns: [{ name: 'a', type: 'text' }],
          indexes: [{ columns: ['a'] }, { columns: ['a'] }],
        },
      ],
    ],
  ])(
    'never collide in a model databaseProblems accepts (Postgres would refuse with 42P07): %s',
    (_title, input) => {
      const model = input.map(parseTableDefinition)
      const names = relationNames(model)
      const collisions = names.filter((n, i) => names.indexOf(n) !== i)
      // Either fix will do: names that cannot collide, or a clear refusal before any SQL runs.
      if (collisions.length > 0) {
        expect(databaseProblems(model), `${collisions.join(', ')} would be made twice`).not.toEqual(
          [],
        )
      }
    },
  )
})

describe('compiled SQL on PGlite', () => {
  let pglite: PGlite
  beforeAll(async () => {
    pglite = await loadPGliteSnapshot(PGlite)
    await pglite.exec(`create schema db_1`)
    for (const statement of compileCreateTable(ctx, USERS_TABLE)) {
      await pglite.exec(statement)
    }
  })
  afterAll(async () => {
    await pglite?.close()
  })

  it('a hostile text default is stored as text and drops nothing', async () => {
    const table = parseTableDefinition({
      name: 'notes',
      columns: [
        { name: 'a', type: 'text', default: HOSTILE_TEXT },
        { name: 'b', type: 'text', default: "\\'; select pg_sleep(10); --" },
        { name: 'c', type: 'jsonb', default: { sql: "'); drop table users; --" } },
      ],
    })
    for (const statement of compileCreateTable(ctx, table)) {
      await pglite.exec(statement)
    }
    const { rows } = await pglite.query(`insert into db_1.notes default values returning *`)
    expect(rows).toEqual([
      {
        a: HOSTILE_TEXT,
        b: "\\'; select pg_sleep(10); --",
        c: { sql: "'); drop table users; --" },
      },
    ])
    expect((await pglite.query(`select count(*)::int as n from db_1.users`)).rows).toEqual([
      { n: 0 },
    ])
  })

  it('dropping a redundant required from a primary key runs', async () => {
    const before = parseTableDefinition({
      name: 'keyed',
      columns: [{ name: 'id', type: 'integer', primary_key: true, required: true }],
    })
    for (const statement of compileCreateTable(ctx, before)) {
      await pglite.exec(statement)
    }
    const step: PlanStep = { kind: 'set_required', table: 'keyed', column: 'id', required: false }
    const model = [USERS_TABLE, before]
    for (const statement of compileStep(ctx, model, step)) {
      await pglite.exec(statement)
    }
    expect(applyStepToModel(model, step)[1]!.columns[0]).toEqual({
      name: 'id',
      type: 'integer',
      primary_key: true,
    })
    await expect(pglite.query(`insert into db_1.keyed values (null)`)).rejects.toThrow(/null value/)
  })
})
