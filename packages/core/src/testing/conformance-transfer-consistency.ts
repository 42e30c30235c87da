import type { TableDefinitionInput } from '@basebox/client'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Basebox } from '../basebox.js'
import type { DatabaseHandle } from '../database/database-handle.js'
import { exportCSV } from '../transfer/export-csv.js'
import { exportDatabase } from '../transfer/export-database.js'
import type { DatabaseExport, TransferProgress } from '../transfer/export-format.js'
import { exportSQL } from '../transfer/export-sql.js'
import { importDatabase } from '../transfer/import-database.js'
import type { TestHarness } from './harness.js'
import { collectText, databaseState, expectCode } from './transfer-fixtures.js'

const EVENTS: TableDefinitionInput = {
  name: 'events',
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'name', type: 'text', required: true },
  ],
}

/**
 * Imports commit in one transaction (plan, catalog, rows, audit entry) or not at all; exports
 * read one snapshot and let go of it however they end. Called by the transfer suite.
 */
export function describeTransferConsistencyConformance(
  get: () => {
    h: TestHarness
    bb: Basebox
    source: DatabaseHandle
    freshDatabase: () => Promise<DatabaseHandle>
  },
): void {
  let h: TestHarness
  let bb: Basebox
  let source: DatabaseHandle
  let freshDatabase: () => Promise<DatabaseHandle>
  beforeAll(() => {
    ;({ h, bb, source, freshDatabase } = get())
  })

  describe('one transaction', () => {
    it('a failure at row 70,000 of 100,000 leaves tables, catalog, schema version and audit log as they were', async () => {
      const target = await freshDatabase()
      await target.createTable(EVENTS)
      await target.insert('events', { id: 70_000, name: 'already here' })
      const users = (await exportDatabase(source, { format: 'json', table: 'users' })).tables[0]!
      const wider = {
        ...users,
        definition: {
          ...users.definition,
          columns: [...users.definition.columns, { name: 'team', type: 'text' as const }],
        },
      }
      const file: DatabaseExport = {
        format: 'basebox',
        version: 1,
        tables: [
          // "users" exists empty with another definition (altered), "tags" is new (created),
          // "events" exists with the same definition (appended): a plan and three loads.
          wider,
          {
            definition: {
              name: 'tags',
              columns: [
                { name: 'id', type: 'integer', primary_key: true },
                { name: 'label', type: 'text' },
              ],
            },
            rows: [
              { id: 1, label: 'a' },
              { id: 2, label: 'b' },
            ],
          },
          {
            definition: (await target.definitions()).find((t) => t.name === 'events')!,
            rows: Array.from({ length: 100_000 }, (_, i) => ({
              id: i + 1,
              name: `event ${i + 1}`,
            })),
          },
        ],
      }
      const before = await databaseState(target, bb)
      const error = await expectCode(importDatabase(target, file, { format: 'json' }), 'CONFLICT')
      expect(error.message).toMatch(/^import failed, nothing was imported/)
      expect(await databaseState(target, bb)).toEqual(before)
      expect((await target.auditLog()).entries.filter((e) => e.action === 'data.import')).toEqual(
        [],
      )

      // The same file without the clash commits everything at once, with one audit entry.
      await target.delete('events', {}, { all: true })
      const ok = await importDatabase(target, file, { format: 'json' })
      expect(ok.tables.map((t) => t.action)).toEqual(['altered', 'created', 'appended'])
      expect((await target.select('events', { count: 'exact', limit: 0 })).count).toBe(100_000)
      const entries = (await target.auditLog()).entries
      expect(entries[0]).toMatchObject({
        action: 'data.import',
        details: {
          format: 'json',
          tables: [
            { name: 'users', rows: 2 },
            { name: 'tags', rows: 2 },
            { name: 'events', rows: 100_000 },
          ],
        },
      })
      // The plan's own entry is in the same transaction, just before.
      expect(entries[1]).toMatchObject({ action: 'schema.apply' })
    })

    it('a SQL export whose rows fail to load leaves the empty database empty', async () => {
      const script = await exportDatabase(source, { format: 'sql' })
      // Edited data (allowed): "late" row 2 becomes 3, so an "early" row points nowhere.
      const edited = script.replace('(2, null);', '(3, null);')
      expect(edited).not.toBe(script)
      const target = await freshDatabase()
      const before = await databaseState(target, bb)
      const error = await expectCode(importDatabase(target, edited, { format: 'sql' }), 'CONFLICT')
      expect(error.message).toMatch(/^import failed, nothing was imported/)
      expect(await databaseState(target, bb)).toEqual(before)
    })

    it('a table changed while the import was prepared is a CONFLICT, not a half import', async () => {
      const target = await freshDatabase()
      const file = await exportDatabase(source, { format: 'json', table: 'log' })
      let changed = false
      const importing = importDatabase(target, file, {
        format: 'json',
        // Called once the rows are checked, before the transaction starts.
        onProgress: () => {
          if (!changed) {
            changed = true
            void target.createTable({
              name: 'sneaky',
              columns: [{ name: 'id', type: 'integer', primary_key: true }],
            })
          }
        },
      })
      const outcome = await importing.then(
        () => 'imported',
        (error: unknown) => (error as { code?: string }).code,
      )
      const names = (await target.definitions()).map((t) => t.name)
      // Either the import ran first (and then the table was created), or it saw the change.
      if (outcome === 'imported') {
        expect(names).toEqual(expect.arrayContaining(['log']))
      } else {
        expect(outcome).toBe('CONFLICT')
        expect(names).not.toContain('log')
      }
    })
  })

  describe('snapshot exports', () => {
    const SNAP: TableDefinitionInput = {
      name: 'snap',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'note', type: 'text' },
      ],
    }

    async function snapDatabase(): Promise<DatabaseHandle> {
      const db = await freshDatabase()
      await db.createTable(SNAP)
      await db.insert(
        'snap',
        Array.from({ length: 2500 }, (_, i) => ({ id: i + 1, note: `n${i + 1}` })),
        { returning: false },
      )
      return db
    }

    /** Locks other sessions hold on the database's tables: an open export transaction holds some. */
    async function otherLocks(db: DatabaseHandle): Promise<number> {
      const rows = await h.query<{ n: number }>(
        `select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation join pg_namespace s on s.oid = c.relnamespace
       where s.nspname = $1 and l.pid <> pg_backend_pid()`,
        [db.info.schema_name],
      )
      return rows[0]!.n
    }

    function ids(csv: string): number[] {
      return csv
        .split('\r\n')
        .slice(1, -1)
        .map((line) => Number(line.split(',')[0]))
    }

    it('rows written while a paged CSV export runs are not in it', async () => {
      const db = await snapDatabase()
      const chunks = exportCSV(db, { table: 'snap' })[Symbol.asyncIterator]()
      let text = (await chunks.next()).value as string
      text += (await chunks.next()).value as string
      const write = async () => {
        await db.insert(
          'snap',
          Array.from({ length: 100 }, (_, i) => ({ id: 2501 + i, note: 'new' })),
          { returning: false },
        )
        await db.update('snap', { id: { eq: 2000 } }, { note: 'changed' })
        await db.delete('snap', { id: { eq: 2400 } })
      }
      let written: Promise<void>
      if (bb.capabilities.supportsMultipleConnections) {
        // Other connections: the engine's pool (the export holds one of its connections) and raw.
        await write()
        await h.query(`insert into "${db.info.schema_name}".snap (id, note) values (9999, 'raw')`)
        written = Promise.resolve()
      } else {
        // PGlite has one connection, held by the export: the writes wait for it to end.
        written = write()
      }
      for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) {
        text += next.value
      }
      await written
      expect(ids(text)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1))
      expect(text).toContain('\r\n2000,n2000\r\n')
      const after = (await collectText(exportCSV(db, { table: 'snap' }))).text
      expect(ids(after)).toHaveLength(
        2500 + 100 - 1 + (bb.capabilities.supportsMultipleConnections ? 1 : 0),
      )
      expect(after).toContain('\r\n2000,changed\r\n')
      expect(await otherLocks(db)).toBe(0)
    })

    it('JSON and SQL exports read every table from one snapshot', async () => {
      const db = await snapDatabase()
      await db.createTable({
        name: 'other',
        columns: [{ name: 'id', type: 'integer', primary_key: true }],
      })
      let wrote: Promise<unknown> | undefined
      let round = 0
      // The writes start once "snap" is read; "other" is read after it.
      const onProgress = (p: TransferProgress) => {
        if (p.table === 'snap' && p.rows >= 2500 && wrote === undefined) {
          round++
          wrote = Promise.all([
            db.insert('other', { id: round }),
            db.insert('snap', { id: 5000 + round }),
          ])
        }
      }
      const file = await exportDatabase(db, { format: 'json', onProgress })
      await wrote
      expect(file.tables.find((t) => t.definition.name === 'other')!.rows).toEqual([])
      expect(file.tables.find((t) => t.definition.name === 'snap')!.rows).toHaveLength(2500)
      wrote = undefined
      const chunks: string[] = []
      for await (const chunk of exportSQL(db, { onProgress })) {
        chunks.push(chunk)
        if (wrote !== undefined && bb.capabilities.supportsMultipleConnections) {
          await wrote
        }
      }
      await wrote
      const script = chunks.join('')
      // The first round's rows were committed before this export began; the second's were not.
      expect(script).toContain('insert into "other" ("id") values\n(1);')
      expect(script).toContain('(5001, null)')
      expect(script).not.toContain('(5002, null)')
      expect((await db.select('other', { count: 'exact', limit: 0 })).count).toBe(2)
    })

    it('an export left early, or left waiting, lets go of its transaction and connection', async () => {
      const db = await snapDatabase()
      for (let i = 0; i < 6; i++) {
        for await (const chunk of exportCSV(db, { table: 'snap' })) {
          expect(chunk).toMatch(/^id,note/)
          break
        }
        for await (const chunk of exportSQL(db)) {
          expect(chunk).toMatch(/^-- Basebox SQL export/)
          break
        }
      }
      // More exports were left than the pool has connections; everything still runs.
      expect((await db.select('snap', { count: 'exact', limit: 0 })).count).toBe(2500)
      expect(await otherLocks(db)).toBe(0)

      // A reader that stops asking without saying so: let go after the idle timeout.
      const chunks = exportCSV(db, { table: 'snap', idleTimeoutMs: 200 })[Symbol.asyncIterator]()
      await chunks.next()
      await chunks.next()
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect((await db.select('snap', { count: 'exact', limit: 0 })).count).toBe(2500)
      expect(await otherLocks(db)).toBe(0)
      await expectCode(chunks.next(), 'TIMEOUT')
      expect((await chunks.next()).done).toBe(true)

      // A failure in the middle releases it too.
      await expectCode(collectText(exportCSV(db, { table: 'nope' })), 'NOT_FOUND')
      await expectCode(
        collectText(exportCSV(db, { table: 'snap', idleTimeoutMs: -1 })),
        'VALIDATION_FAILED',
      )
      expect(await otherLocks(db)).toBe(0)
    })
  })
}
