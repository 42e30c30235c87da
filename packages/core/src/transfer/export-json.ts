import { BaseboxError, parseTableDefinition, type TableDefinition } from '@basebox/client'
import type { DatabaseHandle, Row } from '../database/database-handle.js'
import { orderByReferences } from '../ddl/order-by-references.js'
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  exportedColumns,
  type DatabaseExport,
  type TransferProgress,
} from './export-format.js'
import { ExportReader } from './read-rows.js'

/** Options shared by every export format. */
export interface ExportOptions {
  /** Export this table only. Default: every table (CSV takes exactly one). */
  table?: string
  /**
   * JSON and SQL: export these tables only, in the order that creates referenced tables first
   * (not with `table`). A reference to a table left out stays in the definitions. Default: every
   * table.
   */
  tables?: readonly string[]
  /**
   * Default is `false`. Whether secret columns (`users.password_hash`) are exported too: a full
   * backup, from which users can still sign in. Keep such a file as safe as the database.
   */
  includeSecrets?: boolean
  /** Called after each page of rows read, per table. */
  onProgress?: (progress: TransferProgress) => void
  /**
   * Default is `30000`. A streamed export (CSV, SQL) holds a snapshot, and so a connection
   * (on PGlite, the only one), while its reader consumes it: if the reader waits longer than
   * this between two chunks, the export lets go and the next chunk is a `TIMEOUT` error.
   */
  idleTimeoutMs?: number
}

/**
 * The tables an export writes, in normal form and in an order that creates referenced tables
 * first; only `table` when given (`NOT_FOUND` when there is no such table).
 * @internal
 */
export function tablesToExport(
  definitions: readonly TableDefinition[],
  table: string | undefined,
  tables?: readonly string[],
): TableDefinition[] {
  const all = orderByReferences(definitions.map((d) => parseTableDefinition(d)))
  if (table !== undefined && tables !== undefined) {
    throw new BaseboxError('VALIDATION_FAILED', 'give table or tables, not both')
  }
  const wanted = tables ?? (table === undefined ? undefined : [table])
  if (wanted === undefined) {
    return all
  }
  for (const name of wanted) {
    if (!all.some((t) => t.name === name)) {
      throw new BaseboxError(
        'NOT_FOUND',
        `table ${JSON.stringify(String(name).slice(0, 80))} does not exist`,
        { details: { table: String(name).slice(0, 80) } },
      )
    }
  }
  return all.filter((t) => wanted.includes(t.name))
}

/**
 * Exports a database as a {@link DatabaseExport}: every table's definition and rows, in
 * primary-key order, as the record APIs return them. Secret columns are left out (and listed
 * in `omitted`) unless `includeSecrets`. `JSON.stringify` the result to write a file.
 *
 * The export is a snapshot: definitions and rows are all read in one read-only,
 * repeatable-read transaction, so rows written while it runs are not in it.
 *
 * ### Examples
 *
 * ```ts
 * const backup = await exportJSON(db, { includeSecrets: true })
 * const text = JSON.stringify(backup)
 * ```
 */
export async function exportJSON(
  db: DatabaseHandle,
  options: ExportOptions = {},
): Promise<DatabaseExport> {
  const includeSecrets = options.includeSecrets === true
  const tables: DatabaseExport['tables'] = []
  const reader = await ExportReader.open(db)
  try {
    for (const definition of tablesToExport(reader.tables, options.table, options.tables)) {
      const rows: Row[] = []
      for await (const page of reader.rows(definition, {
        includeSecrets,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      })) {
        for (const row of page) {
          rows.push(row)
        }
      }
      const { omitted } = exportedColumns(definition, includeSecrets)
      tables.push({ definition, rows, ...(omitted.length > 0 ? { omitted } : {}) })
    }
  } finally {
    await reader.close()
  }
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, tables }
}
