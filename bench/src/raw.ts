import type { TableDefinitionInput } from '@basebox/core'
import type { RawAccess } from './backends.js'

// The hand-written SQL the engine's operations are compared with. It does the same work as the
// engine (same objects, same catalog rows, one transaction) with none of the engine's checks:
// no owner scoping, no locks, no validation, no savepoints.

/** Double-quotes a name the bench generated itself (never input). */
const q = (name: string) => `"${name}"`

/** Where the raw side keeps its catalog rows: `<catalog>_raw`. */
export function rawCatalogSchema(catalog: string): string {
  return `${catalog}_raw`
}

/** Creates the raw catalog: one table of databases, one of table definitions. */
export async function createRawCatalog(raw: RawAccess, catalog: string): Promise<void> {
  const c = q(rawCatalogSchema(catalog))
  await raw.transaction(async (query) => {
    await query(`create schema ${c}`)
    await query(`create table ${c}.databases (
      id uuid primary key,
      project_id uuid not null unique,
      name text not null default 'main',
      schema_name text not null unique,
      role_name text not null unique,
      created_at timestamptz not null default now()
    )`)
    await query(`create table ${c}.tables (
      id uuid primary key default gen_random_uuid(),
      database_id uuid not null references ${c}.databases (id) on delete cascade,
      table_name text not null,
      schema_json jsonb not null,
      position integer not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (database_id, table_name)
    )`)
  })
}

/** A raw project database: its schema and role. */
export interface RawDatabase {
  id: string
  schema: string
  role: string
}

/** The default `users` table, as the engine stores it in the catalog. */
const USERS_JSON = JSON.stringify({
  name: 'users',
  columns: [
    { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
    { name: 'email', type: 'text', unique: true, required: true },
    { name: 'password_hash', type: 'text', secret: true },
    { name: 'full_name', type: 'text' },
    { name: 'avatar_url', type: 'text' },
    { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
    { name: 'updated_at', type: 'timestamptz', required: true, default: 'now()' },
  ],
})

/**
 * What `owner.createDatabase()` does, by hand, in one transaction: role, schema owned by the
 * role, the `users` table created as that role, then the two catalog rows.
 */
export async function rawCreateDatabase(raw: RawAccess, catalog: string): Promise<RawDatabase> {
  const id = crypto.randomUUID()
  const hex = id.replaceAll('-', '')
  const db = { id, schema: `${catalog}_s_${hex}`, role: `${catalog}_r_${hex}` }
  const c = q(rawCatalogSchema(catalog))
  await raw.transaction(async (query) => {
    await query(`create role ${q(db.role)} nologin noinherit`)
    await query(`create schema ${q(db.schema)} authorization ${q(db.role)}`)
    await query(`set local role ${q(db.role)}`)
    await query(`create table ${q(db.schema)}.users (
      id uuid not null default gen_random_uuid(),
      email text not null,
      password_hash text,
      full_name text,
      avatar_url text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint users_pkey primary key (id),
      constraint users_email_key unique (email)
    )`)
    await query(`reset role`)
    await query(
      `insert into ${c}.databases (id, project_id, schema_name, role_name) values ($1, $2, $3, $4)`,
      [db.id, crypto.randomUUID(), db.schema, db.role],
    )
    await query(
      `insert into ${c}.tables (database_id, table_name, schema_json, position) values ($1, 'users', $2, 0)`,
      [db.id, USERS_JSON],
    )
  })
  return db
}

/** The 10-column table both sides create: a key, a unique, defaults, a reference to `users`. */
export function tenColumnTable(name: string): TableDefinitionInput {
  return {
    name,
    columns: [
      { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
      { name: 'title', type: 'text', required: true },
      { name: 'slug', type: 'text', unique: true },
      { name: 'body', type: 'text' },
      { name: 'status', type: 'text', required: true, default: 'draft' },
      { name: 'views', type: 'integer', required: true, default: 0 },
      { name: 'rating', type: 'numeric' },
      { name: 'published', type: 'boolean', default: false },
      {
        name: 'author_id',
        type: 'uuid',
        references: { table: 'users', column: 'id', on_delete: 'set null' },
      },
      { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
    ],
  }
}

/** The DDL of {@link tenColumnTable}: the table, then the index on its foreign key (as the engine makes). */
function tenColumnDDL(schema: string, name: string): string[] {
  const t = `${q(schema)}.${q(name)}`
  return [
    `create table ${t} (
      id uuid not null default gen_random_uuid(),
      title text not null,
      slug text,
      body text,
      status text not null default 'draft',
      views integer not null default 0,
      rating numeric,
      published boolean default false,
      author_id uuid,
      created_at timestamptz not null default now(),
      constraint ${q(`${name}_pkey`)} primary key (id),
      constraint ${q(`${name}_slug_key`)} unique (slug),
      constraint ${q(`${name}_author_id_fkey`)} foreign key (author_id) references ${q(schema)}.users (id) on delete set null
    )`,
    `create index ${q(`${name}_author_id_idx`)} on ${t} (author_id)`,
  ]
}

/**
 * What `db.createTable()` does, by hand, in one transaction: the DDL as the database's role,
 * then the catalog row.
 */
export async function rawCreateTable(
  raw: RawAccess,
  catalog: string,
  db: RawDatabase,
  name: string,
  position: number,
): Promise<void> {
  await raw.transaction(async (query) => {
    await query(`set local role ${q(db.role)}`)
    for (const statement of tenColumnDDL(db.schema, name)) {
      await query(statement)
    }
    await query(`reset role`)
    await query(
      `insert into ${q(rawCatalogSchema(catalog))}.tables (database_id, table_name, schema_json, position) values ($1, $2, $3, $4)`,
      [db.id, name, JSON.stringify(tenColumnTable(name)), position],
    )
  })
}

/** Only the DDL of the 10-column table, each statement on its own (autocommit): the floor. */
export async function rawCreateTableDDLOnly(
  raw: RawAccess,
  db: RawDatabase,
  name: string,
): Promise<void> {
  for (const statement of tenColumnDDL(db.schema, name)) {
    await raw.query(statement)
  }
}

/** Drops a table the bench made and its catalog row (between timed runs, untimed). */
export async function rawDropTable(
  raw: RawAccess,
  catalog: string,
  db: RawDatabase,
  name: string,
): Promise<void> {
  await raw.transaction(async (query) => {
    await query(`drop table if exists ${q(db.schema)}.${q(name)}`)
    await query(
      `delete from ${q(rawCatalogSchema(catalog))}.tables where database_id = $1 and table_name = $2`,
      [db.id, name],
    )
  })
}

/** Drops the raw catalog and every raw schema and role this run made (their names share the prefix). */
export async function dropRaw(raw: RawAccess, catalog: string): Promise<void> {
  const like = `${catalog.replaceAll('_', '\\_')}\\_%`
  const schemas = await raw.query(`select nspname from pg_namespace where nspname like $1`, [like])
  for (const { nspname } of schemas) {
    await raw.query(`drop schema if exists ${q(String(nspname))} cascade`)
  }
  const roles = await raw.query(
    `select rolname from pg_roles where rolname like $1 and rolname like $2`,
    [like, `%\\_r\\_%`],
  )
  for (const { rolname } of roles) {
    await raw.query(`drop owned by ${q(String(rolname))} cascade`)
    await raw.query(`drop role ${q(String(rolname))}`)
  }
}
