import { BaseboxError } from '@basebox/client'
import { beforeAll, expect, it } from 'vitest'
import type { Basebox } from '../basebox.js'
import { exportDatabase } from '../transfer/export-database.js'
import { importDatabase } from '../transfer/import-database.js'
import type { TestHarness } from './harness.js'

/** The audit log on one backend: what is recorded, what is not, who can read it. */
export function describeAuditConformance(getHarness: () => TestHarness): void {
  let h: TestHarness
  let bb: Basebox
  beforeAll(async () => {
    h = getHarness()
    bb = await h.engine()
  })

  it('records database creation, schema changes and SQL runs, newest first, without row data', async () => {
    const owner = bb.owner('audit-owner')
    const db = await owner.createDatabase((await owner.createProject({ name: 'Audited' })).id)
    await db.createTable({
      name: 'notes',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'body', type: 'text' },
      ],
    })
    await db.sql('insert into notes values ($1, $2)', [1, 'a secret note'])
    await db.sql('select * from nope').catch(() => {})
    const { entries, nextCursor } = await db.auditLog()
    expect(entries.map((e) => e.action)).toEqual([
      'sql.run',
      'sql.run',
      'schema.apply',
      'database.create',
    ])
    expect(entries.every((e) => e.actor === 'audit-owner')).toBe(true)
    expect(entries[0]!.details).toMatchObject({ text: 'select * from nope', outcome: 'NOT_FOUND' })
    expect(entries[1]!.details).toMatchObject({
      text: 'insert into notes values ($1, $2)',
      params: 2,
      outcome: 'ok',
    })
    expect(JSON.stringify(entries)).not.toContain('a secret note')
    expect(entries[2]!.details.steps).toEqual([expect.objectContaining({ kind: 'create_table' })])
    expect(nextCursor).toBeNull()
    expect(Date.parse(entries[0]!.created_at)).toBeGreaterThanOrEqual(
      Date.parse(entries[3]!.created_at),
    )
  })

  it('records exports and imports with their format and tables, never their rows', async () => {
    const owner = bb.owner('audit-transfer')
    const db = await owner.createDatabase((await owner.createProject({ name: 'Moved' })).id)
    await db.insert('users', { email: 'exported@example.com' })
    const dump = await exportDatabase(db, { format: 'json' })
    const target = await owner.createDatabase((await owner.createProject({ name: 'Target' })).id)
    await importDatabase(target, dump, { format: 'json' })
    const [exported] = (await db.auditLog({ limit: 1 })).entries
    expect(exported).toMatchObject({
      action: 'data.export',
      details: { format: 'json', include_secrets: false },
    })
    const [imported] = (await target.auditLog({ limit: 1 })).entries
    expect(imported).toMatchObject({ action: 'data.import', details: { format: 'json' } })
    expect(JSON.stringify([exported, imported])).not.toContain('exported@example.com')
  })

  it('pages with a cursor and refuses bad paging input', async () => {
    const owner = bb.owner('audit-pager')
    const db = await owner.createDatabase((await owner.createProject({ name: 'Paged' })).id)
    for (let i = 0; i < 5; i++) {
      await db.sql(`select ${i}`)
    }
    const first = await db.auditLog({ limit: 4 })
    expect(first.entries.map((e) => e.details.text)).toEqual([
      'select 4',
      'select 3',
      'select 2',
      'select 1',
    ])
    const second = await db.auditLog({ limit: 4, cursor: first.nextCursor })
    expect(second.entries.map((e) => e.action)).toEqual(['sql.run', 'database.create'])
    expect(second.nextCursor).toBeNull()
    await expect(db.auditLog({ limit: 0 })).rejects.toBeInstanceOf(BaseboxError)
    await expect(db.auditLog({ cursor: '1; drop table x' })).rejects.toBeInstanceOf(BaseboxError)
  })

  it('is readable by its owner only, and nobody can change it', async () => {
    const alice = bb.owner('audit-alice')
    const db = await alice.createDatabase((await alice.createProject({ name: 'A' })).id)
    const c = bb.catalog.schema
    await h.rolledBack(async (query) => {
      await query(
        `select set_config('role', $1, true), set_config('basebox.owner_id', 'audit-mallory', true)`,
        [bb.catalog.appRole],
      )
      expect(await query(`select * from "${c}".audit_log where database_id = $1`, [db.id])).toEqual(
        [],
      )
      await expect(
        query(
          `insert into "${c}".audit_log (project_id, database_id, actor, action) values ($1, $2, 'audit-mallory', 'sql.run')`,
          [db.info.project_id, db.id],
        ),
      ).rejects.toThrow(/row-level security/)
    })
    await h.rolledBack(async (query) => {
      await query(
        `select set_config('role', $1, true), set_config('basebox.owner_id', 'audit-alice', true)`,
        [bb.catalog.appRole],
      )
      await expect(
        query(`delete from "${c}".audit_log where database_id = $1`, [db.id]),
      ).rejects.toThrow(/permission denied/)
    })
    await h.rolledBack(async (query) => {
      await query(
        `select set_config('role', $1, true), set_config('basebox.owner_id', 'audit-alice', true)`,
        [bb.catalog.appRole],
      )
      await expect(
        query(`update "${c}".audit_log set actor = 'someone' where database_id = $1`, [db.id]),
      ).rejects.toThrow(/permission denied/)
    })
    expect((await db.auditLog()).entries).toHaveLength(1)
  })
}
