import { parseTableDefinition } from '@basebox/client'
import { describe, expect, it } from 'vitest'
import { BLOG_TABLES } from '../testing/fixtures.js'
import { USERS_TABLE } from '../default-tables.js'
import { schemaStatements, sqlExportHeader, sqlLiteral } from './export-sql.js'
import { parseSQLExport } from './import-sql.js'

const tables = [USERS_TABLE, ...BLOG_TABLES.map((t) => parseTableDefinition(t))]

describe('schemaStatements', () => {
  it('creates tables without schema names, and adds indexes and foreign keys after the data', () => {
    const { create, after } = schemaStatements(tables)
    expect(create[1]).toMatchInlineSnapshot(`
      "create table "posts" (
        "id" uuid not null default gen_random_uuid(),
        "title" text not null,
        "body" text,
        "views" integer not null default '0'::integer,
        "published" boolean default false,
        "author_id" uuid,
        "created_at" timestamptz not null default now(),
        constraint "posts_pkey" primary key ("id")
      )"
    `)
    expect(after).toMatchInlineSnapshot(`
      [
        "alter table "users" enable row level security",
        "alter table "posts" enable row level security",
        "create index "posts_created_at_idx" on "posts" ("created_at")",
        "alter table "comments" enable row level security",
        "alter table "posts" add constraint "posts_author_id_fkey" foreign key ("author_id") references "users" ("id") on delete cascade",
        "create index "posts_author_id_fkey_idx" on "posts" ("author_id")",
        "alter table "comments" add constraint "comments_post_id_fkey" foreign key ("post_id") references "posts" ("id") on delete cascade",
        "create index "comments_post_id_fkey_idx" on "comments" ("post_id")",
        "alter table "comments" add constraint "comments_author_id_fkey" foreign key ("author_id") references "users" ("id") on delete set null",
        "create index "comments_author_id_fkey_idx" on "comments" ("author_id")",
      ]
    `)
  })
})

describe('sqlLiteral', () => {
  it('quotes text, keeps bigint and numeric exact, casts jsonb', () => {
    expect(sqlLiteral('text', "it's")).toBe("'it''s'")
    expect(sqlLiteral('text', null)).toBe('null')
    expect(sqlLiteral('bigint', '9223372036854775807')).toBe("'9223372036854775807'")
    expect(sqlLiteral('numeric', '1.50')).toBe("'1.50'")
    expect(sqlLiteral('double', 1e300)).toBe('1e+300')
    expect(sqlLiteral('double', 'NaN')).toBe("'NaN'")
    expect(sqlLiteral('integer', -5)).toBe('-5')
    expect(sqlLiteral('boolean', false)).toBe('false')
    expect(sqlLiteral('jsonb', { "it's": [1] })).toBe(`'{"it''s":[1]}'::jsonb`)
    expect(sqlLiteral('jsonb', 'text')).toBe(`'"text"'::jsonb`)
  })
})

describe('parseSQLExport', () => {
  const header = sqlExportHeader([{ definition: USERS_TABLE }])
  const { create, after } = schemaStatements([USERS_TABLE])
  const ddl = [...create, ...after].map((s) => `${s};\n`).join('')

  it('reads the rows of its own insert statements, with awkward values', () => {
    const script = `${header}begin;\n${ddl}insert into "users" ("email", "full_name") values\n('a@x.io', 'it''s; -- not a comment'),\n('b@x.io', null);\ninsert into "users" default values;\ncommit;\n`
    const parsed = parseSQLExport(script)
    expect(parsed.tables[0]!.rows).toEqual([
      { email: 'a@x.io', full_name: "it's; -- not a comment" },
      { email: 'b@x.io', full_name: null },
      {},
    ])
  })

  it.each([
    ['no header', 'insert into "users" ("email") values (\'a\');'],
    ['another statement', `${header}${ddl}delete from "users";`],
    ['a table not in the header', `${header}${ddl}insert into "other" ("a") values (1);`],
    ['an unknown column', `${header}${ddl}insert into "users" ("nope") values (1);`],
    ['an expression', `${header}${ddl}insert into "users" ("email") values (lower('A'));`],
    ['a subquery', `${header}${ddl}insert into "users" ("email") select 'a';`],
    ['edited DDL', `${header}${ddl.replace('not null', '')}`],
    ['missing DDL', header],
    ['an unclosed string', `${header}${ddl}insert into "users" ("email") values ('a);`],
  ])('refuses %s', (_, script) => {
    expect(() => parseSQLExport(script)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })
})
