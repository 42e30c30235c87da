import { BaseboxError } from '@basebox/client'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Basebox } from '../basebox.js'
import { databaseObjectNames } from '../catalog/catalog-names.js'
import { USERS_TABLE } from '../default-tables.js'
import { schemaOwnerOf } from '../ddl/compile-access.js'
import type { TestHarness } from './harness.js'
import {
  catalogFingerprint,
  catalogRows,
  expectedFromDefinition,
  introspectTable,
} from './introspect.js'
import { expectCode } from './expect-code.js'

/** Projects, databases and owner isolation, on one backend. */
export function describeLifecycleConformance(getHarness: () => TestHarness): void {
  let h: TestHarness
  let bb: Basebox
  beforeAll(async () => {
    h = getHarness()
    bb = await h.engine()
  })
  afterAll(() => {})

  describe('projects', () => {
    it(`creates, lists, gets, renames and deletes projects`, async () => {
      const owner = bb.owner('owner-projects')
      const a = await owner.createProject({ name: 'Blog', description: 'my blog' })
      const b = await owner.createProject({ name: 'Shop' })
      expect(a).toMatchObject({ name: 'Blog', description: 'my blog', owner_id: 'owner-projects' })
      expect((await owner.listProjects()).map((p) => p.name)).toEqual(['Blog', 'Shop'])
      expect(await owner.getProject(a.id)).toEqual(a)
      const renamed = await owner.renameProject(a.id, 'Journal')
      expect(renamed.name).toBe('Journal')
      expect(renamed.description).toBe('my blog')
      await owner.deleteProject(b.id)
      expect((await owner.listProjects()).map((p) => p.id)).toEqual([a.id])
      await expectCode(owner.getProject(b.id), 'NOT_FOUND')
    })

    it('refuses bad project input with typed errors', async () => {
      const owner = bb.owner('owner-bad-input')
      await expectCode(owner.createProject({ name: '' }), 'VALIDATION_FAILED')
      await expectCode(owner.createProject({ name: 'x'.repeat(201) }), 'VALIDATION_FAILED')
      await expectCode(owner.getProject('not-a-uuid'), 'NOT_FOUND')
      await expectCode(owner.getProject("'; drop table projects; --"), 'NOT_FOUND')
      expect(() => bb.owner('')).toThrow(BaseboxError)
      expect(await owner.listProjects()).toEqual([])
    })
  })

  describe('databases', () => {
    it('creates a database in one click: schema, role, users table, catalog rows', async () => {
      const owner = bb.owner('owner-db')
      const project = await owner.createProject({ name: 'Blog' })
      const db = await owner.createDatabase(project.id)
      expect(db.info).toMatchObject({ project_id: project.id, name: 'main' })
      const names = databaseObjectNames(bb.catalog, db.id)
      expect(db.info.schema_name).toBe(names.schema)
      expect(
        await h.query(`select 1 from pg_namespace where nspname = $1`, [names.schema]),
      ).toHaveLength(1)
      const [role] = await h.query<{
        rolcanlogin: boolean
        rolsuper: boolean
        rolbypassrls: boolean
      }>(`select rolcanlogin, rolsuper, rolbypassrls from pg_roles where rolname = $1`, [
        names.role,
      ])
      expect(role).toEqual({ rolcanlogin: false, rolsuper: false, rolbypassrls: false })
      const tables = await db.listTables()
      expect(tables.map((t) => t.name)).toEqual(['users'])
      expect(tables[0]!.definition).toEqual(USERS_TABLE)
      expect(await introspectTable(h.query, names.schema, 'users')).toEqual(
        expectedFromDefinition(USERS_TABLE),
      )
      const [owned] = await h.query<{ owner: string }>(
        `select pg_get_userbyid(c.relowner) as owner from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = 'users'`,
        [names.schema],
      )
      // The schema and its objects belong to a role no tenant session uses; the database's own
      // role has data privileges only: nothing it runs can create code the engine would run.
      expect(owned!.owner).toBe(schemaOwnerOf(names.role))
      const [schemaOwner] = await h.query<{ owner: string }>(
        `select pg_get_userbyid(nspowner) as owner from pg_namespace where nspname = $1`,
        [names.schema],
      )
      expect(schemaOwner!.owner).toBe(schemaOwnerOf(names.role))
      const [rights] = await h.query<Record<string, boolean>>(
        `select has_schema_privilege($1, $2, 'CREATE') as create_in_schema, has_schema_privilege($1, $2, 'USAGE') as usage,
                has_table_privilege($1, $3, 'TRIGGER') as trigger, has_table_privilege($1, $3, 'REFERENCES') as refs,
                has_table_privilege($1, $3, 'SELECT') as select, has_table_privilege($1, $3, 'INSERT') as insert,
                has_database_privilege($1, current_database(), 'CREATE') as create_in_database,
                pg_has_role($1, $4, 'MEMBER') as owner_member`,
        [names.role, names.schema, `${names.schema}.users`, schemaOwnerOf(names.role)],
      )
      expect(rights).toEqual({
        create_in_schema: false,
        usage: true,
        trigger: false,
        refs: false,
        select: true,
        insert: true,
        create_in_database: false,
        owner_member: false,
      })
      const [ownerRole] = await h.query<{ rolcanlogin: boolean }>(
        `select rolcanlogin from pg_roles where rolname = $1`,
        [schemaOwnerOf(names.role)],
      )
      expect(ownerRole).toEqual({ rolcanlogin: false })
      expect((await owner.database(project.id)).id).toBe(db.id)
    })

    it('refuses a second database for the same project and changes nothing', async () => {
      const owner = bb.owner('owner-db-twice')
      const project = await owner.createProject({ name: 'Twice' })
      await owner.createDatabase(project.id)
      const before = await catalogFingerprint(h.query, bb.catalog.schema)
      const error = await expectCode(owner.createDatabase(project.id), 'CONFLICT')
      expect(error.message).toMatch(/already has a database/)
      expect(await catalogFingerprint(h.query, bb.catalog.schema)).toBe(before)
    })

    it('leaves nothing behind when creating a database fails half-way', async () => {
      const owner = bb.owner('owner-db-fail')
      const project = await owner.createProject({ name: 'Doomed' })
      const fixed = '00000000-0000-4000-8000-00000000abcd'
      const names = databaseObjectNames(bb.catalog, fixed)
      // The schema name is taken already, so the role is created and then the schema fails.
      await h.query(`create schema ${names.schema}`)
      const before = await catalogFingerprint(h.query, bb.catalog.schema)
      const rows = await catalogRows(h.query, bb.catalog.schema)
      const spy = vi.spyOn(crypto, 'randomUUID').mockReturnValue(fixed)
      try {
        await expectCode(owner.createDatabase(project.id), 'CONFLICT')
      } finally {
        spy.mockRestore()
      }
      expect(await catalogFingerprint(h.query, bb.catalog.schema)).toBe(before)
      expect(await catalogRows(h.query, bb.catalog.schema)).toBe(rows)
      expect(await h.query(`select 1 from pg_roles where rolname = $1`, [names.role])).toHaveLength(
        0,
      )
      await h.query(`drop schema ${names.schema}`)
      await expectCode(owner.getDatabase(project.id), 'NOT_FOUND')
    })

    it('deleting a project drops its schema, tables and role', async () => {
      const owner = bb.owner('owner-delete')
      const project = await owner.createProject({ name: 'Gone' })
      const db = await owner.createDatabase(project.id)
      await db.createTable({
        name: 'notes',
        columns: [{ name: 'id', type: 'uuid', primary_key: true }],
      })
      await owner.deleteProject(project.id)
      expect(
        await h.query(`select 1 from pg_namespace where nspname = $1`, [db.info.schema_name]),
      ).toHaveLength(0)
      expect(
        await h.query(`select 1 from pg_roles where rolname = $1`, [db.info.role_name]),
      ).toHaveLength(0)
      expect(
        await h.query(`select 1 from pg_roles where rolname = any($1)`, [
          [schemaOwnerOf(db.info.role_name), `${db.info.role_name}_client`],
        ]),
      ).toHaveLength(0)
      expect(
        await h.query(`select 1 from "${bb.catalog.schema}".project_databases where id = $1`, [
          db.id,
        ]),
      ).toHaveLength(0)
      await expectCode(db.listTables(), 'NOT_FOUND')
    })

    it('deleting a database drops its schema, roles and catalog rows, keeps the project, and nothing changes on a refusal', async () => {
      const owner = bb.owner('owner-delete-db')
      const project = await owner.createProject({ name: 'Kept' })
      const db = await owner.createDatabase(project.id)
      await db.createTable({
        name: 'notes',
        columns: [{ name: 'id', type: 'uuid', primary_key: true }],
      })
      await expectCode(
        bb.owner('owner-delete-db', { readOnly: true }).deleteDatabase(project.id),
        'FORBIDDEN',
      )
      await expectCode(bb.owner('owner-delete-db-other').deleteDatabase(project.id), 'NOT_FOUND')
      expect((await owner.getDatabase(project.id)).id).toBe(db.id)
      await owner.deleteDatabase(project.id)
      expect((await owner.getProject(project.id)).name).toBe('Kept')
      await expectCode(owner.getDatabase(project.id), 'NOT_FOUND')
      await expectCode(owner.deleteDatabase(project.id), 'NOT_FOUND')
      expect(
        await h.query(
          `select 1 from pg_namespace where nspname = $1 union all select 1 from pg_roles where rolname = any($2)`,
          [
            db.info.schema_name,
            [db.info.role_name, schemaOwnerOf(db.info.role_name), `${db.info.role_name}_client`],
          ],
        ),
      ).toHaveLength(0)
      expect(
        await h.query(
          `select 1 from "${bb.catalog.schema}".project_tables where database_id = $1`,
          [db.id],
        ),
      ).toHaveLength(0)
      const again = await owner.createDatabase(project.id)
      expect((await again.listTables()).map((t) => t.name)).toEqual([USERS_TABLE.name])
    })
  })

  describe('owner isolation', () => {
    it('an owner cannot see, change or delete another owner’s projects and databases', async () => {
      const alice = bb.owner('alice')
      const bob = bb.owner('bob')
      const project = await alice.createProject({ name: 'Alice only' })
      await alice.createDatabase(project.id)
      expect(await bob.listProjects()).toEqual([])
      await expectCode(bob.getProject(project.id), 'NOT_FOUND')
      await expectCode(bob.renameProject(project.id, 'Mine now'), 'NOT_FOUND')
      await expectCode(bob.deleteProject(project.id), 'NOT_FOUND')
      await expectCode(bob.createDatabase(project.id), 'NOT_FOUND')
      await expectCode(bob.database(project.id), 'NOT_FOUND')
      expect((await alice.getProject(project.id)).name).toBe('Alice only')
    })

    it('row-level security hides other owners’ catalog rows from raw queries', async () => {
      const c = bb.catalog.schema
      const alice = bb.owner('rls-alice')
      const bob = bb.owner('rls-bob')
      const pa = await alice.createProject({ name: 'A' })
      await alice.createDatabase(pa.id)
      const pb = await bob.createProject({ name: 'B' })
      const dbB = await bob.createDatabase(pb.id)
      await h.rolledBack(async (query) => {
        await query(
          `select set_config('role', $1, true), set_config('basebox.owner_id', $2, true)`,
          [bb.catalog.appRole, 'rls-alice'],
        )
        const projects = await query<{ owner_id: string }>(`select owner_id from "${c}".projects`)
        expect(projects.map((p) => p.owner_id)).toEqual(['rls-alice'])
        const databases = await query<{ project_id: string }>(
          `select project_id from "${c}".project_databases`,
        )
        expect(databases.map((d) => d.project_id)).toEqual([pa.id])
        const tables = await query<{ database_id: string }>(
          `select database_id from "${c}".project_tables`,
        )
        expect(tables.every((t) => t.database_id !== dbB.id)).toBe(true)
        expect(await query(`select * from "${c}".projects where id = $1`, [pb.id])).toEqual([])
        const updated = await query(
          `update "${c}".projects set name = 'pwned' where id = $1 returning id`,
          [pb.id],
        )
        expect(updated).toEqual([])
        const deleted = await query(
          `delete from "${c}".project_tables where database_id = $1 returning id`,
          [dbB.id],
        )
        expect(deleted).toEqual([])
      })
      await h.rolledBack(async (query) => {
        await query(
          `select set_config('role', $1, true), set_config('basebox.owner_id', $2, true)`,
          [bb.catalog.appRole, 'rls-alice'],
        )
        await expect(
          query(`insert into "${c}".projects (owner_id, name) values ('rls-bob', 'planted')`),
        ).rejects.toThrow(/row-level security/)
      })
      await h.rolledBack(async (query) => {
        await query(`select set_config('role', $1, true)`, [bb.catalog.appRole])
        expect(await query(`select * from "${c}".projects`)).toEqual([])
      })
      expect((await bob.getProject(pb.id)).name).toBe('B')
    })

    it('a project role cannot reach another project’s schema or the catalog', async () => {
      const alice = bb.owner('role-alice')
      const bob = bb.owner('role-bob')
      const dbA = await alice.createDatabase((await alice.createProject({ name: 'A' })).id)
      const dbB = await bob.createDatabase((await bob.createProject({ name: 'B' })).id)
      for (const statement of [
        `select * from "${dbB.info.schema_name}".users`,
        `select * from "${bb.catalog.schema}".projects`,
        `create table "${dbB.info.schema_name}".planted (id int)`,
      ]) {
        await h.rolledBack(async (query) => {
          await query(`select set_config('role', $1, true)`, [dbA.info.role_name])
          await expect(query(statement)).rejects.toThrow(/permission denied/)
        })
      }
    })
  })
}
