import { BaseboxError, parseTableDefinition, type TableDefinition } from '@basebox/client'
import type { DatabaseHandle, Row } from '../database/database-handle.js'
import { dependencyOrder, EXPORT_FORMAT, EXPORT_VERSION, exportedColumns, type DatabaseExport, type TransferProgress } from './export-format.js'
import { readTableRows } from './read-rows.js'

/** Options shared by every export format. */
export interface ExportOptions {
  /** Export this table only. Default: every table (CSV takes exactly one). */
  table?: string
  /**
   * Default is `false`. Whether secret columns (`users.password_hash`) are exported too: a full
   * backup, from which users can still sign in. Keep such a file as safe as the database.
   */
  includeSecrets?: boolean
  /** Called after each page of rows read, per table. */
  onProgress?: (progress: TransferProgress) => void
}

/**
 * The tables an export writes, in normal form and in an order that creates referenced tables
 * first; only `table` when given (`NOT_FOUND` when there is no such table).
 * @internal
 */
export async function tablesToExport(db: DatabaseHandle, table: string | undefined): Promise<TableDefinition[]> {
  const all = dependencyOrder((await db.definitions()).map((d) => parseTableDefinition(d)))
  if (table === undefined) {
    return all
  }
  const found = all.find((t) => t.name === table)
  if (found === undefined) {
    throw new BaseboxError('NOT_FOUND', `table ${JSON.stringify(String(table).slice(0, 80))} does not exist`, { details: { table: String(table).slice(0, 80) } })
  }
  return [found]
}

/**
 * Exports a database as a {@link DatabaseExport}: every table's definition and rows, read page
 * by page through `db.select` in primary-key order. Secret columns are left out (and listed in
 * `omitted`) unless `includeSecrets`. `JSON.stringify` the result to write a file.
 *
 * Each page is its own transaction: rows written while an export runs may or may not be in it
 * (it is not a snapshot).
 *
 * ### Examples
 *
 * ```ts
 * const backup = await exportJSON(db, { includeSecrets: true })
 * const text = JSON.stringify(backup)
 * ```
 */
export async function exportJSON(db: DatabaseHandle, options: ExportOptions = {}): Promise<DatabaseExport> {
  const includeSecrets = options.includeSecrets === true
  const tables: DatabaseExport['tables'] = []
  for (const definition of await tablesToExport(db, options.table)) {
    const rows: Row[] = []
    for await (const page of readTableRows(db, definition, { includeSecrets, ...(options.onProgress ? { onProgress: options.onProgress } : {}) })) {
      for (const row of page) {
        rows.push(row)
      }
    }
    const { omitted } = exportedColumns(definition, includeSecrets)
    tables.push({ definition, rows, ...(omitted.length > 0 ? { omitted } : {}) })
  }
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, tables }
}
