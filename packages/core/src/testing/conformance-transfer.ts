import { beforeAll, describe, expect, it } from 'vitest'
import type { Basebox } from '../basebox.js'
import type { DatabaseHandle } from '../database/database-handle.js'
import { splitStatements } from '../sql-runner/split-statements.js'
import { exportCSV } from '../transfer/export-csv.js'
import { exportDatabase } from '../transfer/export-database.js'
import type { DatabaseExport, TransferProgress } from '../transfer/export-format.js'
import { exportSQL } from '../transfer/export-sql.js'
import { importDatabase } from '../transfer/import-database.js'
import { describeImportCancelConformance } from './conformance-transfer-cancel.js'
import { describeCSVTransferConformance } from './conformance-transfer-csv.js'
import { describeTransferConsistencyConformance } from './conformance-transfer-consistency.js'
import { BLOG_TABLES } from './fixtures.js'
import type { TestHarness } from './harness.js'
import {
  collectText,
  databaseState,
  expectCode,
  KINDS_ROWS,
  KINDS_TABLE,
  LOG_ROWS,
  LOG_TABLE,
} from './transfer-fixtures.js'

/** Export and import on one backend: round trips, secrets, all or nothing, CSV, a large table. */
export function describeTransferConformance(getHarness: () => TestHarness): void {
  let h: TestHarness
  let bb: Basebox
  let n = 0
  let source: DatabaseHandle

  async function freshDatabase(): Promise<DatabaseHandle> {
    const owner = bb.owner(`transfer-owner-${++n}`)
    return owner.createDatabase((await owner.createProject({ name: `p${n}` })).id)
  }

  beforeAll(async () => {
    h = getHarness()
    bb = await h.engine()
    source = await freshDatabase()
    for (const table of [...BLOG_TABLES, KINDS_TABLE, LOG_TABLE]) {
      await source.createTable(table)
    }
    // A table that references one created after it: creation order is not dependency order.
    await source.createTable({
      name: 'early',
      columns: [{ name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' }],
    })
    await source.createTable({
      name: 'late',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'note', type: 'text' },
      ],
    })
    await source.alterTable('early', {
      name: 'early',
      columns: [
        { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
        {
          name: 'late_id',
          type: 'integer',
          references: { table: 'late', column: 'id', on_delete: 'cascade' },
        },
      ],
    })
    const users = await source.insert(
      'users',
      [
        {
          email: 'ada@example.com',
          full_name: 'Ada Lovelace',
          password_hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
        },
        {
          email: 'zoë@example.com',
          full_name: 'Zoë "Z" O\'Brien\nsecond line',
          password_hash: null,
        },
      ],
      { allowSecret: true },
    )
    const [post] = await source.insert('posts', {
      title: 'Hello, "world"',
      body: 'line 1\r\nline 2',
      views: 7,
      author_id: users[0]!.id,
    })
    await source.insert('comments', [
      { post_id: post!.id, author_id: users[1]!.id, body: '' },
      { post_id: post!.id, body: 'anonymous' },
    ])
    await source.insert('kinds', KINDS_ROWS)
    // Values Postgres holds but the record APIs would not send: NaN and infinities.
    await source.sql(
      `update kinds set ratio = 'NaN', amount = 'NaN', day = 'infinity', at = '-infinity' where id = 23`,
    )
    await source.insert('log', LOG_ROWS)
    await source.insert('late', [
      { id: 1, note: 'first' },
      { id: 2, note: null },
    ])
    await source.insert('early', [{ late_id: 1 }, { late_id: 2 }, { late_id: null }])
  })

  describe('json', () => {
    it('round trips every column type, unicode, empty strings and nulls exactly', async () => {
      const first = await exportDatabase(source, { format: 'json' })
      expect(first.tables.map((t) => t.definition.name)).toEqual([
        'users',
        'posts',
        'comments',
        'kinds',
        'log',
        'late',
        'early',
      ])
      const kinds = first.tables.find((t) => t.definition.name === 'kinds')!
      expect(kinds.rows.map((r) => r.id)).toEqual(KINDS_ROWS.map((r) => r.id))
      expect(kinds.rows.find((r) => r.id === 20)).toMatchObject({
        big: '9223372036854775807',
        amount: '123456789012345678901234567890.123456789',
        ratio: 1e300,
        at: '2024-03-01T12:34:56.123456+00:00',
      })
      expect(kinds.rows.find((r) => r.id === 22)).toMatchObject({ amount: '1.50', doc: [] })
      expect(kinds.rows.find((r) => r.id === 23)).toMatchObject({
        ratio: 'NaN',
        amount: 'NaN',
        day: 'infinity',
        at: '-infinity',
      })
      expect(kinds.rows.find((r) => r.id === 1)).toMatchObject({ note: '' })
      expect(kinds.rows.find((r) => r.id === 24)).toMatchObject({ label: '', note: null })
      const target = await freshDatabase()
      const result = await importDatabase(
        target,
        JSON.parse(JSON.stringify(first)) as DatabaseExport,
        { format: 'json' },
      )
      expect(result.tables.map((t) => [t.name, t.action, t.rows])).toEqual([
        ['users', 'appended', 2],
        ['posts', 'created', 1],
        ['comments', 'created', 2],
        ['kinds', 'created', KINDS_ROWS.length],
        ['log', 'created', LOG_ROWS.length],
        ['late', 'created', 2],
        ['early', 'created', 3],
      ])
      const second = await exportDatabase(target, { format: 'json' })
      expect(second).toEqual(first)
      expect(JSON.stringify(second)).toBe(JSON.stringify(first))
      // The same tables; in the order an import creates them (referenced tables first).
      const byName = (tables: { name: string }[]) =>
        [...tables].sort((a, b) => a.name.localeCompare(b.name))
      expect(byName(await target.definitions())).toEqual(byName(await source.definitions()))
    })

    it('takes the export as text, and a dry run changes nothing', async () => {
      const text = JSON.stringify(await exportDatabase(source, { format: 'json', table: 'kinds' }))
      const target = await freshDatabase()
      const before = await databaseState(target, bb)
      const dry = await importDatabase(target, text, { format: 'json', dryRun: true })
      expect(dry.dryRun).toBe(true)
      expect(dry.steps.map((s) => s.kind)).toContain('create_table')
      expect(await databaseState(target, bb)).toEqual(before)
      await importDatabase(target, text, { format: 'json' })
      expect((await target.select('kinds', { count: 'exact', limit: 0 })).count).toBe(
        KINDS_ROWS.length,
      )
    })

    it('refuses what is not an export, before changing anything', async () => {
      const target = await freshDatabase()
      await expectCode(
        importDatabase(target, '{"format":"other"}', { format: 'json' }),
        'VALIDATION_FAILED',
      )
      await expectCode(importDatabase(target, 'not json', { format: 'json' }), 'VALIDATION_FAILED')
      const bad = {
        format: 'basebox',
        version: 1,
        tables: [
          {
            definition: {
              name: 'x"; drop table users; --',
              columns: [{ name: 'a', type: 'text' }],
            },
            rows: [],
          },
        ],
      }
      await expectCode(
        importDatabase(target, bad as unknown as DatabaseExport, { format: 'json' }),
        'INVALID_IDENTIFIER',
      )
      expect((await target.definitions()).map((t) => t.name)).toEqual(['users'])
    })
  })

  describe('sql', () => {
    it('round trips through importDatabase into an empty database, to the same text', async () => {
      const first = await exportDatabase(source, { format: 'sql' })
      expect(first).not.toContain(source.info.schema_name)
      const target = await freshDatabase()
      const result = await importDatabase(target, first, { format: 'sql' })
      expect(result.tables.find((t) => t.name === 'kinds')).toEqual({
        name: 'kinds',
        action: 'created',
        rows: KINDS_ROWS.length,
      })
      const second = await exportDatabase(target, { format: 'sql' })
      expect(second).toBe(first)
      expect(await exportDatabase(target, { format: 'json' })).toEqual(
        await exportDatabase(source, { format: 'json' }),
      )
    })

    it('restores into a plain schema with nothing but SQL (as psql would run it)', async () => {
      const script = await exportDatabase(source, { format: 'sql', includeSecrets: true })
      const schema = `restore_${crypto.randomUUID().slice(0, 8)}`
      const counts = await h.rolledBack(async (query) => {
        await query(`create schema ${schema}`)
        await query(`set local search_path to ${schema}`)
        for (const statement of splitStatements(script)) {
          if (!['BEGIN', 'COMMIT'].includes(statement.keyword)) {
            await query(statement.text)
          }
        }
        return query<{ t: string; n: number }>(
          `select 'users' as t, count(*)::int as n from users union all select 'kinds', count(*)::int from kinds union all select 'early', count(*)::int from early`,
        )
      })
      expect(counts).toEqual([
        { t: 'users', n: 2 },
        { t: 'kinds', n: KINDS_ROWS.length },
        { t: 'early', n: 3 },
      ])
    })

    it('streams in chunks, and refuses scripts it did not write or whose schema was edited', async () => {
      const { text, chunks } = await collectText(exportSQL(source))
      expect(chunks).toBeGreaterThan(2)
      const target = await freshDatabase()
      const before = await databaseState(target, bb)
      await expectCode(
        importDatabase(target, 'create table x (a int);', { format: 'sql' }),
        'VALIDATION_FAILED',
      )
      await expectCode(
        importDatabase(target, text.replace('"title" text not null', '"title" text'), {
          format: 'sql',
        }),
        'VALIDATION_FAILED',
      )
      await expectCode(
        importDatabase(target, text.replace('commit;', 'delete from users;\ncommit;'), {
          format: 'sql',
        }),
        'VALIDATION_FAILED',
      )
      await expectCode(
        importDatabase(
          target,
          text.replace('set standard_conforming_strings = on;', 'set role postgres;'),
          { format: 'sql' },
        ),
        'VALIDATION_FAILED',
      )
      expect(await databaseState(target, bb)).toEqual(before)
      // Data may be edited.
      const edited = text.replace("'label 3'", "'label three'")
      await importDatabase(target, edited, { format: 'sql' })
      expect((await target.select('kinds', { where: { id: { eq: 3 } } })).rows[0]!.label).toBe(
        'label three',
      )
    })
  })

  describe('secrets', () => {
    it('leaves secret columns out unless asked, and says so when such an export is imported', async () => {
      const plain = await exportDatabase(source, { format: 'json', table: 'users' })
      expect(plain.tables[0]!.omitted).toEqual(['password_hash'])
      expect(Object.keys(plain.tables[0]!.rows[0]!)).not.toContain('password_hash')
      const csv = (await collectText(exportCSV(source, { table: 'users' }))).text
      expect(csv.split('\r\n')[0]).toBe('id,email,full_name,avatar_url,created_at,updated_at')
      const target = await freshDatabase()
      const result = await importDatabase(target, plain, { format: 'json' })
      expect(result.warnings).toEqual([
        expect.stringMatching(/users: 2 rows imported without "password_hash".*cannot sign in/),
      ])
      const restored = await target.select(
        'users',
        { columns: ['email', 'password_hash'], orderBy: { column: 'email' } },
        { allowSecret: true },
      )
      expect(restored.rows.map((r) => r.password_hash)).toEqual([null, null])
    })

    it('a full backup restores password hashes, only when the import asks for them too', async () => {
      for (const format of ['json', 'sql'] as const) {
        const backup =
          format === 'json'
            ? await exportDatabase(source, { format, includeSecrets: true })
            : await exportDatabase(source, { format, includeSecrets: true })
        const target = await freshDatabase()
        const before = await databaseState(target, bb)
        await expectCode(
          format === 'json'
            ? importDatabase(target, backup as DatabaseExport, { format })
            : importDatabase(target, backup as string, { format }),
          'FORBIDDEN',
        )
        expect(await databaseState(target, bb)).toEqual(before)
        const result =
          format === 'json'
            ? await importDatabase(target, backup as DatabaseExport, {
                format,
                includeSecrets: true,
              })
            : await importDatabase(target, backup as string, { format, includeSecrets: true })
        expect(result.warnings).toEqual([])
        const hashes = await target.select(
          'users',
          { columns: ['email', 'password_hash'] },
          { allowSecret: true },
        )
        const original = await source.select(
          'users',
          { columns: ['email', 'password_hash'] },
          { allowSecret: true },
        )
        expect(hashes.rows).toEqual(original.rows)
      }
    })
  })

  describe('all or nothing', () => {
    async function withState(): Promise<DatabaseHandle> {
      const target = await freshDatabase()
      await target.createTable(LOG_TABLE)
      await target.insert('log', [{ msg: 'kept', n: 1 }])
      await target.insert('users', { email: 'already@example.com' })
      return target
    }

    it('a foreign key that fails at load leaves no table the import would have created', async () => {
      const data = await exportDatabase(source, { format: 'json', table: 'comments' })
      const posts = await exportDatabase(source, { format: 'json', table: 'posts' })
      // Comments whose post is not in the file: the database refuses them when loading.
      const broken: DatabaseExport = {
        ...data,
        tables: [{ ...posts.tables[0]!, rows: [] }, data.tables[0]!],
      }
      const target = await withState()
      const before = await databaseState(target, bb)
      const error = await expectCode(importDatabase(target, broken, { format: 'json' }), 'CONFLICT')
      expect(error.message).toMatch(/^import failed, nothing was imported/)
      expect(await databaseState(target, bb)).toEqual(before)
    })

    it('a clash with existing rows inserts nothing anywhere', async () => {
      const target = await withState()
      const file = await exportDatabase(source, { format: 'json' })
      file.tables
        .find((t) => t.definition.name === 'users')!
        .rows.push({ email: 'already@example.com' })
      // "log" exists with the same definition (rows are appended); the clash is in "users".
      const before = await databaseState(target, bb)
      await expectCode(importDatabase(target, file, { format: 'json' }), 'CONFLICT')
      expect(await databaseState(target, bb)).toEqual(before)
    })

    it('bad values, duplicates and a table that differs and holds rows are refused before any change', async () => {
      const target = await withState()
      const before = await databaseState(target, bb)
      const file = await exportDatabase(source, { format: 'json', table: 'kinds' })
      const kinds = file.tables[0]!
      const invalid = {
        ...file,
        tables: [{ ...kinds, rows: [...kinds.rows, { id: 'x', label: 'bad id' }] }],
      }
      const error = await expectCode(
        importDatabase(target, invalid, { format: 'json' }),
        'VALIDATION_FAILED',
      )
      expect(error.message).toMatch(/kinds, row \d+, column "id"/)
      const duplicate = {
        ...file,
        tables: [{ ...kinds, rows: [...kinds.rows, { ...kinds.rows[0]!, ref: null }] }],
      }
      await expectCode(importDatabase(target, duplicate, { format: 'json' }), 'VALIDATION_FAILED')
      const otherLog = {
        format: 'basebox',
        version: 1,
        tables: [
          {
            definition: { name: 'log', columns: [{ name: 'msg', type: 'text', required: true }] },
            rows: [],
          },
        ],
      } as const
      await expectCode(
        importDatabase(target, otherLog as unknown as DatabaseExport, { format: 'json' }),
        'CONFLICT',
      )
      expect(await databaseState(target, bb)).toEqual(before)
    })

    it('an empty table with another definition is changed to the imported one, and left unchanged on failure', async () => {
      const file = await exportDatabase(source, { format: 'json', table: 'users' })
      const wider = {
        ...file.tables[0]!,
        definition: {
          ...file.tables[0]!.definition,
          columns: [...file.tables[0]!.definition.columns, { name: 'team', type: 'text' as const }],
        },
      }
      const ok = await freshDatabase()
      const result = await importDatabase(ok, { ...file, tables: [wider] }, { format: 'json' })
      expect(result.tables).toEqual([{ name: 'users', action: 'altered', rows: 2 }])
      expect((await ok.definitions())[0]!.columns.at(-1)!.name).toBe('team')
      const failing = await freshDatabase()
      const before = await databaseState(failing, bb)
      const comments = await exportDatabase(source, { format: 'json', table: 'comments' })
      const posts = (await exportDatabase(source, { format: 'json', table: 'posts' })).tables[0]!
      await expectCode(
        importDatabase(
          failing,
          { ...file, tables: [wider, { ...posts, rows: [] }, comments.tables[0]!] },
          { format: 'json' },
        ),
        'CONFLICT',
      )
      expect(await databaseState(failing, bb)).toEqual(before)
    })
  })

  describe('one transaction, one snapshot', () =>
    describeTransferConsistencyConformance(() => ({ h, bb, source, freshDatabase })))

  describe('100,000 rows', () => {
    it('exports and imports a large table as JSON and CSV, page by page with progress', async () => {
      const big = await freshDatabase()
      await big.createTable({
        name: 'events',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'name', type: 'text', required: true },
          { name: 'score', type: 'double' },
          { name: 'at', type: 'timestamptz' },
        ],
      })
      const rows = Array.from({ length: 100_000 }, (_, i) => ({
        id: i + 1,
        name: `event "${i}", ok`,
        score: i % 7 === 0 ? null : i / 8,
        at: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
      }))
      await big.insert('events', rows, { returning: false })
      const progress: TransferProgress[] = []
      const file = await exportDatabase(big, {
        format: 'json',
        table: 'events',
        onProgress: (p) => progress.push(p),
      })
      expect(file.tables[0]!.rows).toHaveLength(100_000)
      expect(file.tables[0]!.rows[99_999]!.id).toBe(100_000)
      expect(progress.length).toBeGreaterThanOrEqual(100)
      expect(progress.at(-1)).toEqual({ table: 'events', rows: 100_000, total: 100_000 })
      const target = await freshDatabase()
      await importDatabase(target, file, { format: 'json' })
      expect((await target.select('events', { count: 'exact', limit: 0 })).count).toBe(100_000)

      const { text, chunks } = await collectText(exportCSV(target, { table: 'events' }))
      expect(chunks).toBeGreaterThanOrEqual(100)
      await target.delete('events', {}, { all: true })
      const result = await importDatabase(target, text, { format: 'csv', table: 'events' })
      expect(result.rows).toBe(100_000)
      const last = await target.select('events', { where: { id: { eq: 100_000 } } })
      expect(last.rows[0]).toEqual(file.tables[0]!.rows[99_999])
    })
  })

  describe('csv', () => describeCSVTransferConformance(() => ({ bb, source, freshDatabase })))

  describe('cancel and progress', () => describeImportCancelConformance(() => ({ bb })))
}
