import { BaseboxError, type TableDefinitionInput } from '@basebox/client'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Basebox } from '../basebox.js'
import type { DatabaseHandle } from '../database/database-handle.js'
import type { TestHarness } from './harness.js'
import { catalogFingerprint } from './introspect.js'
import { migrateCatalog } from '../catalog/migrations.js'

const NOTES: TableDefinitionInput = {
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
}

/** What a hostile tenant tries to leave behind in its own schema, through its own SQL. */
const PLANTS: readonly string[] = [
  `create function steal() returns int language sql as 'select 1'`,
  `create or replace function auth_uid() returns uuid language sql stable as $$ select null::uuid $$`,
  `create function public.steal() returns int language sql as 'select 1'`,
  `create trigger plant before insert on notes for each row execute function pg_catalog.suppress_redundant_updates_trigger()`,
  `create view spy as select * from notes`,
  `create policy everyone on notes for select using (true)`,
  `alter policy basebox_service on notes using (false)`,
  `create rule plant as on insert to notes do also select pg_catalog.set_config('request.jwt.claim.sub', '', false)`,
  `alter table notes owner to current_user`,
  `alter table notes disable row level security`,
  `comment on table notes is 'mine'`,
  `create schema evil`,
  `create table public.evil (id int)`,
  `create type mood as enum ('happy')`,
  `create domain positive as integer check (value > 0)`,
  `create index on notes ((pg_catalog.length(body)))`,
  `create table sneaky (id int)`,
]

/** The objects of a schema a tenant could have planted: functions, triggers, rules, policies, views, types. */
async function plantedObjects(h: TestHarness, schema: string): Promise<unknown> {
  const [row] = await h.query<Record<string, unknown>>(
    `select
       (select coalesce(array_agg(p.proname::text order by p.proname), '{}') from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = $1) as functions,
       (select count(*)::int from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and not t.tgisinternal) as triggers,
       (select count(*)::int from pg_rules where schemaname = $1) as rules,
       (select coalesce(array_agg(policyname::text || ' ' || tablename::text order by tablename, policyname), '{}') from pg_policies where schemaname = $1) as policies,
       (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind in ('v', 'm')) as views,
       (select count(*)::int from pg_type t join pg_namespace n on n.oid = t.typnamespace where n.nspname = $1 and t.typtype in ('e', 'd')) as types,
       (select count(*)::int from pg_namespace where nspname = 'evil') as evil_schema,
       (select count(*)::int from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' and p.proname = 'steal') as public_functions,
       (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relname = 'evil') as public_tables,
       (select pg_get_userbyid(c.relowner) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = 'notes') as notes_owner,
       (select c.relacl::text from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = 'notes') as notes_acl,
       (select relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = 'notes') as notes_rls,
       (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'i') as indexes,
       (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = 'sneaky') as sneaky`,
    [schema],
  )
  return row
}

/**
 * A hostile tenant, through the public API only: what its SQL can plant in its own schema, what
 * it can set on the connections it runs on, and what reaches another tenant's next operation.
 * Each case checks that nothing of the other tenant was read or changed and that the catalog
 * still describes the real objects.
 */
export function describeAttackConformance(getHarness: () => TestHarness): void {
  let h: TestHarness
  let bb: Basebox
  let mallory: DatabaseHandle
  let victim: DatabaseHandle
  let alice: string

  beforeAll(async () => {
    h = getHarness()
    bb = await h.engine()
    const attacker = bb.owner('attacker')
    mallory = await attacker.createDatabase((await attacker.createProject({ name: 'Attacker' })).id)
    await mallory.createTable(NOTES)
    const owner = bb.owner('victim')
    victim = await owner.createDatabase((await owner.createProject({ name: 'Victim' })).id)
    await victim.createTable(NOTES)
    ;[alice] = (await victim.insert('users', [{ email: 'alice@example.com' }])).map(
      (u) => u.id as string,
    ) as [string]
    await victim.insert('notes', { owner_id: alice, body: 'alice private' })
  })

  describe('tenant code', () => {
    it('cannot be created in, or around, its own schema: functions, triggers, views, rules, policies, grants, types', async () => {
      const before = await plantedObjects(h, mallory.info.schema_name)
      const catalog = await catalogFingerprint(h.query, bb.catalog.schema)
      for (const text of PLANTS) {
        const error = await mallory.sql(text).then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(error, text).toBeInstanceOf(BaseboxError)
        expect(['FORBIDDEN', 'UNSUPPORTED'], `${text}: ${(error as Error).message}`).toContain(
          (error as BaseboxError).code,
        )
      }
      // A grant of what it holds without the grant option succeeds with a warning and grants nothing.
      await mallory.sql('grant select, insert on notes to public').catch(() => {})
      expect(await plantedObjects(h, mallory.info.schema_name)).toEqual(before)
      expect(await catalogFingerprint(h.query, bb.catalog.schema)).toBe(catalog)
      // Its data rights are whole: it reads and writes its own rows.
      const { statements } = await mallory.sql(
        `insert into notes (owner_id, body) values (gen_random_uuid(), 'mine') returning body`,
      )
      expect(statements[0]!.rows).toEqual([['mine']])
    })

    it('cannot get out of its login role, even from a DO block (Postgres: the SQL session logs in as the role)', async ({
      skip,
    }) => {
      skip(
        !bb.capabilities.confinesSQL,
        'the driver confines user SQL by SET LOCAL ROLE only (advisory)',
      )
      for (const text of [
        `do $$ begin execute 'reset role'; execute 'create function steal() returns int language sql as ''select 1'''; end $$`,
        `do $$ begin execute 'set role postgres'; end $$`,
        `do $$ begin perform pg_catalog.set_config('role', 'postgres', true); end $$`,
        `select * from pg_catalog.pg_authid`,
      ]) {
        const error = await mallory.sql(text).then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(error, text).toBeInstanceOf(BaseboxError)
        expect(
          ['FORBIDDEN', 'UNSUPPORTED', 'DATABASE_ERROR'],
          `${text}: ${(error as Error).message}`,
        ).toContain((error as BaseboxError).code)
      }
      const credentials = await mallory
        .sql(`select count(*) from ${bb.catalog.schema}.database_credentials`)
        .then(
          () => 'read',
          (e: BaseboxError) => e.code,
        )
      expect(credentials).not.toBe('read')
      const other = await mallory.sql(`select count(*) from ${victim.info.schema_name}.notes`).then(
        () => 'read',
        (e: BaseboxError) => e.code,
      )
      expect(other).toBe('FORBIDDEN')
    })
  })

  describe('its own login role (Postgres)', () => {
    beforeEach(({ skip }) => {
      skip(
        !bb.capabilities.confinesSQL,
        'user SQL does not log in as the database role on this driver',
      )
    })
    it('changing its password or settings from its own SQL costs it nothing that outlives the run', async () => {
      await mallory.sql(`do $$ begin
          execute 'alter role current_user password ''chosen-by-the-tenant''';
          execute 'alter role current_user set default_transaction_read_only = on';
        end $$`)
      // Its idle login connection goes; the next run logs in anew with the engine's password.
      await h.query(`select pg_terminate_backend(pid) from pg_stat_activity where usename = $1`, [
        mallory.info.role_name,
      ])
      const { statements } = await mallory.sql(
        `insert into notes (owner_id, body) values (gen_random_uuid(), 'after') returning body`,
      )
      expect(statements[0]!.rows).toEqual([['after']])
      const [settings] = await h.query<{ n: number }>(
        `select count(*)::int as n from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
         where r.rolname = $1 and exists (select from unnest(s.setconfig) c where c like 'default_transaction_read_only%')`,
        [mallory.info.role_name],
      )
      expect(settings!.n).toBe(0)
    })
  })

  describe('existing databases', () => {
    it('are moved by catalog migration 8: what the tenant planted goes, the schema changes hands, data and rules stay', async () => {
      const owner = bb.owner('legacy')
      const legacy = await owner.createDatabase((await owner.createProject({ name: 'Legacy' })).id)
      await legacy.createTable(NOTES)
      const [bob] = (await legacy.insert('users', [{ email: 'bob@example.com' }])).map(
        (u) => u.id as string,
      ) as [string]
      await legacy.insert('notes', { owner_id: bob, body: 'bob private' })
      const s = `"${legacy.info.schema_name}"`
      const role = `"${legacy.info.role_name}"`
      // The state of a database made before migration 8, with what a tenant could plant then.
      await h.query(`reassign owned by "${legacy.info.role_name}_owner" to ${role}`)
      await h.query(`grant create on schema ${s} to ${role}`)
      await h.query(
        `create function ${s}.plant() returns trigger language plpgsql as $$ begin perform pg_catalog.set_config('request.jwt.claim.sub', '', false); return new; end $$`,
      )
      await h.query(
        `create trigger plant before insert on ${s}.notes for each row execute function ${s}.plant()`,
      )
      await h.query(`create policy everyone on ${s}.notes for select to public using (true)`)
      await h.query(
        `create or replace function ${s}.auth_uid() returns uuid language sql stable as $$ select '${bob}'::uuid $$`,
      )
      await h.query(`alter function ${s}.plant() owner to ${role}`)
      await h.query(`delete from "${bb.catalog.schema}".migrations where version = 8`)

      expect(await migrateCatalog(bb.kysely, bb.catalog)).toEqual([8])

      const planted = (await plantedObjects(h, legacy.info.schema_name)) as Record<string, unknown>
      expect(planted).toMatchObject({
        functions: ['auth_uid'],
        triggers: 0,
        rules: 0,
        views: 0,
        notes_owner: `${legacy.info.role_name}_owner`,
        notes_rls: true,
      })
      expect(planted.policies).toEqual([
        'basebox_delete notes',
        'basebox_insert notes',
        'basebox_select notes',
        'basebox_service notes',
        'basebox_update notes',
        'basebox_service users',
      ])
      const [rights] = await h.query<Record<string, boolean>>(
        `select has_schema_privilege($1, $2, 'CREATE') as create_in_schema, has_table_privilege($1, $3, 'TRIGGER') as trigger`,
        [legacy.info.role_name, legacy.info.schema_name, `${legacy.info.schema_name}.notes`],
      )
      expect(rights).toEqual({ create_in_schema: false, trigger: false })
      expect((await legacy.select('notes')).rows.map((r) => r.body)).toEqual(['bob private'])
      expect((await legacy.as({ role: 'anon' }).select('notes')).rows).toEqual([])
      expect(
        (await legacy.as({ role: 'authenticated', userId: bob }).select('notes')).rows.map(
          (r) => r.body,
        ),
      ).toEqual(['bob private'])
      await expect(
        legacy.sql(`create function steal() returns int language sql as 'select 1'`),
      ).rejects.toBeInstanceOf(BaseboxError)
      expect((await legacy.sql('select count(*)::int from notes')).statements[0]!.rows).toEqual([
        [1],
      ])
    })
  })

  describe('session state', () => {
    it("that a tenant's SQL sets never reaches another tenant's operations, nor its own next run", async () => {
      for (let round = 0; round < 4; round++) {
        await mallory.sql(
          `select pg_catalog.set_config('request.jwt.claim.sub', $1, false), pg_catalog.set_config('request.jwt.claim.role', 'authenticated', false),
                  pg_catalog.set_config('default_transaction_read_only', 'on', false), pg_catalog.set_config('search_path', 'public', false),
                  pg_catalog.set_config('TimeZone', 'America/New_York', false), pg_catalog.set_config('basebox.owner_id', 'victim', false),
                  pg_catalog.set_config('lock_timeout', '1', false)`,
          [alice],
        )
        // The victim's anon requests see none of alice's owner-only rows and cannot write as her.
        expect((await victim.as({ role: 'anon' }).select('notes')).rows).toEqual([])
        await expect(
          victim.as({ role: 'anon' }).insert('notes', { owner_id: alice, body: 'forged' }),
        ).rejects.toBeInstanceOf(BaseboxError)
        // Its signed-in users still see their own rows only, and writes are not read-only.
        expect(
          (await victim.as({ role: 'authenticated', userId: alice }).select('notes')).rows.map(
            (r) => r.body,
          ),
        ).toEqual(['alice private'])
        const written = await victim.insert('notes', { owner_id: alice, body: `round ${round}` })
        await victim.delete('notes', { id: written[0]!.id as string })
        // The attacker's own next run starts clean.
        const { statements } = await mallory.sql(
          `select coalesce(current_setting('request.jwt.claim.sub', true), ''), current_setting('default_transaction_read_only'), current_setting('TimeZone') <> 'America/New_York'`,
        )
        expect(statements[0]!.rows[0]).toEqual(['', 'off', true])
      }
      const rows = await victim.select('notes')
      expect(rows.rows.map((r) => r.body)).toEqual(['alice private'])
      expect((await bb.owner('attacker').listProjects()).map((p) => p.name)).toEqual(['Attacker'])
    })
  })
}
