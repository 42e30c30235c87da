import type { ImportProgress, TableDefinitionInput } from '@basebox/client'
import { expect, it } from 'vitest'
import type { Basebox } from '../basebox.js'
import type { DatabaseHandle } from '../database/database-handle.js'
import { createLocalClient } from '../local-client/local-client.js'
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  parseDatabaseExport,
  type DatabaseExport,
  type TransferProgress,
} from '../transfer/export-format.js'
import { importDatabase } from '../transfer/import-database.js'
import { IMPORT_BATCH_ROWS } from '../transfer/load-rows.js'
import { databaseState } from './transfer-fixtures.js'

/** More rows than two batches: a cancel after the first batch lands in the middle of the load. */
const ROWS = IMPORT_BATCH_ROWS * 2 + 1234

const ITEMS: TableDefinitionInput = {
  name: 'items',
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'label', type: 'text', required: true },
  ],
}
const TAGS: TableDefinitionInput = {
  name: 'tags',
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    {
      name: 'item_id',
      type: 'integer',
      references: { table: 'items', column: 'id', on_delete: 'cascade' },
    },
  ],
}

/** `items` (appended to: the target holds two rows of it) and `tags` (created), referencing `items`. */
function exportOf(): DatabaseExport {
  return parseDatabaseExport({
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    tables: [
      {
        definition: ITEMS,
        rows: Array.from({ length: ROWS }, (_, i) => ({ id: i + 10, label: `item ${i}` })),
      },
      {
        definition: TAGS,
        rows: Array.from({ length: 300 }, (_, i) => ({ id: i + 1, item_id: i + 10 })),
      },
    ],
  })
}

/** A CSV file for `items`, ids from `from` (the target's own rows are 1 and 2). */
function csvOf(rows: number, from = 100): string {
  return ['id,label', ...Array.from({ length: rows }, (_, i) => `${i + from},"row ${i}"`)].join(
    '\n',
  )
}

/** Checks a table's reports: rows never go down, and end at the table's total. */
function expectMonotonic(
  progress: readonly TransferProgress[],
  table: string,
  total: number,
): void {
  const rows = progress.filter((p) => p.table === table).map((p) => p.rows)
  expect(
    rows.every((n, i) => i === 0 || n >= rows[i - 1]!),
    `${table}: ${rows.join(', ')}`,
  ).toBe(true)
  expect(rows.at(-1)).toBe(total)
  expect(progress.filter((p) => p.table === table).every((p) => p.total === total)).toBe(true)
}

/**
 * Cancelling an import and following its progress on one backend (called by the transfer suite
 * with its databases): an abort at any point before the commit leaves the database as it was,
 * catalog and audit log included; progress comes per batch, never goes down and ends at the
 * total.
 */
export function describeImportCancelConformance(get: () => { bb: Basebox }): void {
  let n = 0
  /** A new database of its own owner (the local client acts as that owner). */
  async function fresh(): Promise<{ db: DatabaseHandle; ownerId: string }> {
    const ownerId = `import-cancel-owner-${++n}`
    const owner = get().bb.owner(ownerId)
    return {
      db: await owner.createDatabase((await owner.createProject({ name: `cancel ${n}` })).id),
      ownerId,
    }
  }
  async function target(): Promise<DatabaseHandle> {
    const { db } = await fresh()
    await db.createTable(ITEMS)
    await db.insert('items', [
      { id: 1, label: 'kept' },
      { id: 2, label: 'kept too' },
    ])
    return db
  }

  it('reports a JSON import per batch, per table, up to each total', async () => {
    const db = await target()
    const progress: TransferProgress[] = []
    await importDatabase(db, exportOf(), {
      format: 'json',
      onProgress: (p) => progress.push({ ...p }),
    })
    expectMonotonic(progress, 'items', ROWS)
    expectMonotonic(progress, 'tags', 300)
    // Batches: every table's total first, then rows written after each statement.
    expect(progress.slice(0, 2)).toEqual([
      { table: 'items', rows: 0, total: ROWS },
      { table: 'tags', rows: 0, total: 300 },
    ])
    expect(progress.filter((p) => p.table === 'items').map((p) => p.rows)).toEqual([
      0,
      IMPORT_BATCH_ROWS,
      2 * IMPORT_BATCH_ROWS,
      ROWS,
      ROWS,
    ])
    expect((await db.select('items', { limit: 0, count: 'exact' })).count).toBe(ROWS + 2)
    expect((await db.select('tags', { limit: 0, count: 'exact' })).count).toBe(300)
  })

  it('a JSON import cancelled after its first batch leaves the database as it was', async () => {
    const { bb } = get()
    const db = await target()
    const before = await databaseState(db, bb)
    const controller = new AbortController()
    const progress: TransferProgress[] = []
    const error = await importDatabase(db, exportOf(), {
      format: 'json',
      signal: controller.signal,
      onProgress: (p) => {
        progress.push({ ...p })
        if (p.rows > 0) {
          controller.abort()
        }
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBe(controller.signal.reason)
    expect((error as DOMException).name).toBe('AbortError')
    expect(progress.at(-1)).toEqual({ table: 'items', rows: IMPORT_BATCH_ROWS, total: ROWS }) // stopped mid-load
    expect(await databaseState(db, bb)).toEqual(before) // no row, no new table, no catalog change, no audit entry
    // Nothing is held: the same import runs to the end afterwards.
    await importDatabase(db, exportOf(), { format: 'json' })
    expect((await db.select('items', { limit: 0, count: 'exact' })).count).toBe(ROWS + 2)
  })

  it('a CSV import into a new table, cancelled mid-load or before it starts, creates nothing', async () => {
    const { bb } = get()
    const { db } = await fresh()
    const before = await databaseState(db, bb)
    const controller = new AbortController()
    const error = await importDatabase(db, csvOf(ROWS), {
      format: 'csv',
      table: 'people',
      create: true,
      signal: controller.signal,
      onProgress: (p) => p.rows > 0 && controller.abort(),
    }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBe(controller.signal.reason)
    expect(await databaseState(db, bb)).toEqual(before)
    const seen: TransferProgress[] = []
    await expect(
      importDatabase(db, csvOf(3), {
        format: 'csv',
        table: 'people',
        create: true,
        signal: AbortSignal.abort(),
        onProgress: (p) => seen.push(p),
      }),
    ).rejects.toMatchObject({ name: 'AbortError' })
    expect(seen).toEqual([])
    expect(await databaseState(db, bb)).toEqual(before)
  })

  it('a table that references itself loads in one statement: its progress goes from none to all', async () => {
    const { db } = await fresh()
    const tree: TableDefinitionInput = {
      name: 'tree',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'parent_id', type: 'integer', references: { table: 'tree', column: 'id' } },
      ],
    }
    // Each row's parent comes after it: only one statement (checked at its end) accepts them.
    const rows = Array.from({ length: IMPORT_BATCH_ROWS + 10 }, (_, i) => ({
      id: i + 1,
      parent_id: i + 2 > IMPORT_BATCH_ROWS + 10 ? null : i + 2,
    }))
    const progress: TransferProgress[] = []
    await importDatabase(
      db,
      parseDatabaseExport({
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        tables: [{ definition: tree, rows }],
      }),
      { format: 'json', onProgress: (p) => progress.push({ ...p }) },
    )
    expect(progress.map((p) => p.rows)).toEqual([0, rows.length, rows.length])
  })

  it('the local client sums the tables into one progress in rows, and cancels as the engine does', async () => {
    const { bb } = get()
    const { db, ownerId } = await fresh()
    await db.createTable(ITEMS)
    const client = createLocalClient(bb, ownerId)
    const progress: ImportProgress[] = []
    await client.importData(db.id, exportOf(), {
      format: 'json',
      onProgress: (p) => progress.push(p),
    })
    const done = progress.map((p) => p.done)
    expect(
      done.every((n, i) => i === 0 || n >= done[i - 1]!),
      done.join(', '),
    ).toBe(true)
    expect(progress.every((p) => p.unit === 'rows' && p.done <= p.total)).toBe(true)
    expect(progress.at(-1)).toEqual({ unit: 'rows', done: ROWS + 300, total: ROWS + 300 })
    // The total is final before the first row is written.
    expect(progress.filter((p) => p.done > 0).every((p) => p.total === ROWS + 300)).toBe(true)

    const before = await databaseState(db, bb)
    const controller = new AbortController()
    const cancelled = client.importData(db.id, csvOf(ROWS, 100_000), {
      format: 'csv',
      table: 'items',
      signal: controller.signal,
      onProgress: (p) => p.done > 0 && controller.abort(),
    })
    const error = await cancelled.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBe(controller.signal.reason) // the signal's reason, not a BaseboxError
    expect(await databaseState(db, bb)).toEqual(before)
  })
}
