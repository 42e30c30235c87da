import { sql, type Kysely, type QueryExecutorProvider } from 'kysely'
import type { TableDefinition } from '@basebox/client'
import {
  compileAccess,
  compileAuthFunctions,
  compileSchemaPrivileges,
  databaseRoles,
} from '../ddl/compile-access.js'
import { quoteIdentifier as q, quoteLiteral } from '../ddl/identifier.js'
import { OWNER_SETTING, type CatalogNames } from './catalog-names.js'
import { migrateSchema, type SchemaMigration } from './migrate-schema.js'

/** One versioned change to the catalog schema. Versions only grow; a migration never changes. */
export type CatalogMigration = SchemaMigration<CatalogNames>

const owner = `current_setting(${quoteLiteral(OWNER_SETTING)}, true)`

/** Every migration of the catalog, in order. */
export const CATALOG_MIGRATIONS: readonly CatalogMigration[] = [
  {
    version: 1,
    name: 'projects, databases, tables, owner row-level security',
    statements: ({ schema, appRole }) => {
      const c = q(schema)
      const app = q(appRole)
      return [
        `do $$ begin
           if not exists (select from pg_roles where rolname = ${quoteLiteral(appRole)}) then
             create role ${app} nologin noinherit;
           end if;
           -- A connecting user that is not a superuser may only switch to roles it belongs to.
           if not (select rolsuper from pg_roles where rolname = current_user) then
             execute format('grant %I to %I', ${quoteLiteral(appRole)}, current_user);
           end if;
         end $$`,
        `create table ${c}.projects (
           id uuid primary key default gen_random_uuid(),
           owner_id text not null check (length(owner_id) between 1 and 256),
           name text not null check (length(name) between 1 and 200),
           description text check (description is null or length(description) <= 2000),
           created_at timestamptz not null default now(),
           updated_at timestamptz not null default now()
         )`,
        `create index projects_owner_id_idx on ${c}.projects (owner_id, created_at)`,
        `create table ${c}.project_databases (
           id uuid primary key default gen_random_uuid(),
           project_id uuid not null unique references ${c}.projects (id) on delete cascade,
           name text not null default 'main' check (length(name) between 1 and 200),
           schema_name text not null unique,
           role_name text not null unique,
           created_at timestamptz not null default now()
         )`,
        `create table ${c}.project_tables (
           id uuid primary key default gen_random_uuid(),
           database_id uuid not null references ${c}.project_databases (id) on delete cascade,
           table_name text not null,
           schema_json jsonb not null,
           position integer not null,
           created_at timestamptz not null default now(),
           updated_at timestamptz not null default now(),
           unique (database_id, table_name)
         )`,
        `alter table ${c}.projects enable row level security`,
        `alter table ${c}.project_databases enable row level security`,
        `alter table ${c}.project_tables enable row level security`,
        `create policy projects_owner on ${c}.projects for all to ${app}
           using (owner_id = ${owner}) with check (owner_id = ${owner})`,
        `create policy project_databases_owner on ${c}.project_databases for all to ${app}
           using (exists (select 1 from ${c}.projects p where p.id = project_id and p.owner_id = ${owner}))
           with check (exists (select 1 from ${c}.projects p where p.id = project_id and p.owner_id = ${owner}))`,
        `create policy project_tables_owner on ${c}.project_tables for all to ${app}
           using (exists (select 1 from ${c}.project_databases d join ${c}.projects p on p.id = d.project_id
                          where d.id = database_id and p.owner_id = ${owner}))
           with check (exists (select 1 from ${c}.project_databases d join ${c}.projects p on p.id = d.project_id
                               where d.id = database_id and p.owner_id = ${owner}))`,
        `revoke all on schema ${c} from public`,
        `grant usage on schema ${c} to ${app}`,
        `grant select, insert, update, delete on ${c}.projects, ${c}.project_databases, ${c}.project_tables to ${app}`,
        // Finds the rows whose value would not convert to a new type, for change plans. Runs as
        // the engine's own user only: the conversion is SQL the engine compiled, never input.
        `create function ${c}.conversion_failures(target regclass, key_column text, column_name text,
             conversion text, max_rows integer)
           returns table (key text, value text) language plpgsql as $fn$
         declare
           r record;
         begin
           for r in execute format('select %s::text as k, %I as v from %s where %I is not null',
               coalesce(quote_ident(key_column), 'ctid'), column_name, target, column_name) loop
             begin
               execute 'select ' || conversion using r.v;
             exception when others then
               key := r.k;
               value := left(r.v::text, 200);
               return next;
               max_rows := max_rows - 1;
               exit when max_rows <= 0;
             end;
           end loop;
         end $fn$`,
        `revoke all on function ${c}.conversion_failures(regclass, text, text, text, integer) from public`,
      ]
    },
  },
  {
    version: 2,
    name: 'schema version per database, for definition caches',
    statements: ({ schema }) => [
      `alter table ${q(schema)}.project_databases add column schema_version bigint not null default 0`,
    ],
  },
  {
    version: 3,
    name: 'schema version check for record statements',
    statements: ({ schema }) => [
      // Called first in the statement that enters a database for a record operation: it stops
      // the transaction (so the statements sent after it in the same pipeline never run) when
      // the database is gone or its definitions changed since the caller compiled them.
      `create function ${q(schema)}.check_schema_version(database_id uuid, expected bigint)
         returns boolean language plpgsql security definer set search_path = pg_catalog as $fn$
       declare
         actual bigint;
       begin
         select d.schema_version into actual from ${q(schema)}.project_databases d where d.id = database_id;
         if actual is null then
           raise exception 'database not found' using errcode = 'BB404';
         end if;
         if actual <> expected then
           raise exception 'schema changed' using errcode = 'BB409';
         end if;
         return true;
       end $fn$`,
      `revoke all on function ${q(schema)}.check_schema_version(uuid, bigint) from public`,
    ],
  },
  {
    version: 4,
    name: 'login credentials of database roles, for user SQL',
    statements: ({ schema }) => [
      // Only the engine's own user reads this table: the catalog role has no grant on it.
      `create table ${q(schema)}.database_credentials (
         database_id uuid primary key references ${q(schema)}.project_databases (id) on delete cascade,
         password text not null,
         rotated_at timestamptz not null default now()
       )`,
      `revoke all on ${q(schema)}.database_credentials from public`,
    ],
  },
  {
    version: 5,
    name: 'audit log',
    statements: ({ schema, appRole }) => {
      const c = q(schema)
      const app = q(appRole)
      const owns = `exists (select 1 from ${c}.projects p where p.id = project_id and p.owner_id = ${owner})`
      return [
        `create table ${c}.audit_log (
           id bigint generated always as identity primary key,
           project_id uuid not null references ${c}.projects (id) on delete cascade,
           database_id uuid references ${c}.project_databases (id) on delete cascade,
           actor text not null check (length(actor) between 1 and 256),
           action text not null check (action ~ '^[a-z_]+(\\.[a-z_]+)*$'),
           details jsonb not null default '{}',
           created_at timestamptz not null default clock_timestamp()
         )`,
        `create index audit_log_database_idx on ${c}.audit_log (database_id, id desc)`,
        `alter table ${c}.audit_log enable row level security`,
        // Append-only for the catalog role: it may add and read its owner's entries, never change them.
        `create policy audit_log_read on ${c}.audit_log for select to ${app} using (${owns})`,
        `create policy audit_log_write on ${c}.audit_log for insert to ${app} with check (${owns} and actor = ${owner})`,
        `grant select, insert on ${c}.audit_log to ${app}`,
      ]
    },
  },
  {
    version: 6,
    name: 'rate limit counters shared by several server instances',
    statements: ({ schema }) => [
      `create table ${q(schema)}.rate_limits (
         key text not null,
         window_start bigint not null,
         count integer not null,
         primary key (key, window_start)
       )`,
      `revoke all on ${q(schema)}.rate_limits from public`,
    ],
  },
  {
    version: 7,
    name: 'schema version check inlined in record statements',
    statements: ({ schema }) => [
      // Record operations compare the version themselves (a primary-key read of
      // project_databases in their enter statement, as the engine's user, which owns the
      // table) and call this only when it differs, to stop the transaction with the reason.
      // Calling check_schema_version every time cost more than the read it guards (a PL/pgSQL
      // call with its own search_path).
      `create function ${q(schema)}.schema_version_mismatch(database_id uuid, expected bigint)
         returns boolean language plpgsql security definer set search_path = pg_catalog as $fn$
       begin
         if not exists (select from ${q(schema)}.project_databases d where d.id = database_id) then
           raise exception 'database not found' using errcode = 'BB404';
         end if;
         raise exception 'schema changed' using errcode = 'BB409';
       end $fn$`,
      `revoke all on function ${q(schema)}.schema_version_mismatch(uuid, bigint) from public`,
    ],
  },
  {
    version: 8,
    name: 'project schemas owned by a role no tenant session can use',
    statements: () => [],
    run: moveOwnershipFromTenants,
  },
]

/** The temporary-file budget of one tenant statement, set on every database role that logs in. */
export const TENANT_TEMP_FILE_LIMIT = '256MB'

/**
 * Migration 8: each project schema, and everything in it, moves from the database's own role
 * (which user SQL logs in as) to `<role>_owner`, a role that cannot log in and that only the
 * engine's user belongs to. What a tenant could plant while it owned the schema goes first:
 * triggers, rules, policies other than Basebox's (they are rebuilt from the catalog), and every
 * function, procedure and aggregate but `auth_uid()` (rewritten), with what depends on them.
 * Then the database role keeps data privileges only, and its role settings are reset.
 */
async function moveOwnershipFromTenants(
  trx: QueryExecutorProvider,
  names: CatalogNames,
): Promise<void> {
  const c = q(names.schema)
  const superuser =
    (
      await sql<{
        s: boolean
      }>`select rolsuper as s from pg_roles where rolname = current_user`.execute(trx)
    ).rows[0]?.s === true
  const { rows: databases } = await sql<{ id: string; schema_name: string; role_name: string }>`
    select d.id, d.schema_name, d.role_name from ${sql.raw(c)}.project_databases d
    where exists (select from pg_namespace n where n.nspname = d.schema_name) order by d.created_at`.execute(
    trx,
  )
  for (const database of databases) {
    const schema = database.schema_name
    const s = q(schema)
    const roles = databaseRoles(database.role_name)
    const run = (statement: string) => sql.raw(statement).execute(trx)
    await run(`do $$ begin
        if not exists (select from pg_roles where rolname = ${quoteLiteral(roles.owner)}) then
          create role ${q(roles.owner)} nologin noinherit;
        end if;
      end $$`)
    if (!superuser) {
      await run(`grant ${q(roles.owner)} to current_user`)
    }
    await run(`do $$
      declare
        x record;
      begin
        for x in select t.tgname, c.relname from pg_trigger t join pg_class c on c.oid = t.tgrelid
                 join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${quoteLiteral(schema)} and not t.tgisinternal loop
          execute format('drop trigger %I on %I.%I', x.tgname, ${quoteLiteral(schema)}, x.relname);
        end loop;
        for x in select rulename, tablename from pg_rules where schemaname = ${quoteLiteral(schema)} loop
          execute format('drop rule %I on %I.%I', x.rulename, ${quoteLiteral(schema)}, x.tablename);
        end loop;
        for x in select policyname, tablename from pg_policies where schemaname = ${quoteLiteral(schema)} loop
          execute format('drop policy %I on %I.%I', x.policyname, ${quoteLiteral(schema)}, x.tablename);
        end loop;
        for x in select p.oid::regprocedure::text as sig, p.prokind from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                 where n.nspname = ${quoteLiteral(schema)} and not (p.proname = 'auth_uid' and p.pronargs = 0) loop
          execute format('drop %s if exists %s cascade', case x.prokind when 'p' then 'procedure' when 'a' then 'aggregate' else 'function' end, x.sig);
        end loop;
      end $$`)
    await run(`reassign owned by ${q(roles.role)} to ${q(roles.owner)}`)
    await run(`alter schema ${s} owner to ${q(roles.owner)}`)
    await run(`revoke all on all tables in schema ${s} from ${q(roles.role)}`)
    await run(
      `grant select, insert, update, delete, truncate on all tables in schema ${s} to ${q(roles.role)}`,
    )
    await run(`revoke all on all sequences in schema ${s} from ${q(roles.role)}`)
    await run(`grant usage, select, update on all sequences in schema ${s} to ${q(roles.role)}`)
    await run(
      `revoke all on all functions in schema ${s} from public, ${q(roles.role)}, ${q(roles.client)}`,
    )
    const { rows: tables } = await sql<{ schema_json: TableDefinition | string }>`
      select schema_json from ${sql.raw(c)}.project_tables where database_id = ${database.id} order by position`.execute(
      trx,
    )
    await run(`select set_config('role', ${quoteLiteral(roles.owner)}, true)`)
    for (const statement of [
      ...compileSchemaPrivileges(schema, roles),
      ...compileAuthFunctions(schema, roles, { replace: true }),
    ]) {
      await run(statement)
    }
    for (const row of tables) {
      const table =
        typeof row.schema_json === 'string'
          ? (JSON.parse(row.schema_json) as TableDefinition)
          : row.schema_json
      for (const statement of compileAccess(schema, roles, table)) {
        await run(statement)
      }
    }
    await run(`select set_config('role', 'none', true)`)
    await run(`alter role ${q(roles.role)} reset all`)
    await run(`alter role ${q(roles.role)} set search_path = ${s}`)
    if (superuser) {
      await run(
        `alter role ${q(roles.role)} set temp_file_limit = ${quoteLiteral(TENANT_TEMP_FILE_LIMIT)}`,
      )
    }
  }
}

/** The newest catalog version this build of Basebox knows. */
export const CATALOG_VERSION = CATALOG_MIGRATIONS[CATALOG_MIGRATIONS.length - 1]!.version

/**
 * Brings the catalog schema up to {@link CATALOG_VERSION} in one transaction, under a lock
 * (see `lockCatalogMigrations`) so that two processes starting at once apply each
 * migration exactly once. Returns the versions applied now.
 */
export async function migrateCatalog<DB>(db: Kysely<DB>, names: CatalogNames): Promise<number[]> {
  return migrateSchema(db, {
    schema: names.schema,
    lockKey: `basebox catalog ${names.schema}`,
    migrations: CATALOG_MIGRATIONS,
    names,
  })
}
