import { BaseboxError, type ColumnType } from '@basebox/client'
import type { DatabaseHandle } from '../database/database-handle.js'
import { formatCSVRecord, type CSVOptions } from './csv.js'
import { exportedColumns } from './export-format.js'
import { tablesToExport, type ExportOptions } from './export-json.js'
import { readTableRows } from './read-rows.js'

/** Options of a CSV export: one table. */
export interface CSVExportOptions extends Omit<ExportOptions, 'table'>, CSVOptions {
  /** The table to export. */
  table: string
}

/**
 * A value as CSV text, from its JSON form: jsonb as JSON text, booleans as `true`/`false`,
 * everything else as the record APIs give it (bigint and numeric exact). `null` stays null.
 * @internal
 */
export function csvText(type: ColumnType, value: unknown): string | null {
  if (value === null || value === undefined) {
    return null
  }
  return type === 'jsonb' ? JSON.stringify(value) : String(value)
}

/**
 * Exports one table as CSV (RFC 4180: a header row, CRLF line ends, fields quoted as needed),
 * streamed: each chunk is a page of rows read through `db.select` with a keyset cursor, in
 * primary-key order, so a large table is never held whole. An empty unquoted field is null and
 * `""` the empty string. Secret columns are left out unless `includeSecrets`.
 *
 * ### Examples
 *
 * ```ts
 * for await (const chunk of exportCSV(db, { table: 'posts', onProgress: ({ rows, total }) => console.log(rows, total) })) {
 *   process.stdout.write(chunk)
 * }
 * ```
 */
export async function* exportCSV(db: DatabaseHandle, options: CSVExportOptions): AsyncGenerator<string> {
  if (typeof options?.table !== 'string') {
    throw new BaseboxError('VALIDATION_FAILED', 'a CSV export needs the table to export')
  }
  const includeSecrets = options.includeSecrets === true
  const [table] = await tablesToExport(db, options.table)
  const { written } = exportedColumns(table!, includeSecrets)
  const types = written.map((name) => table!.columns.find((c) => c.name === name)!.type)
  const format = { delimiter: options.delimiter ?? ',' }
  yield formatCSVRecord(written, format)
  for await (const page of readTableRows(db, table!, { includeSecrets, ...(options.onProgress ? { onProgress: options.onProgress } : {}) })) {
    yield page.map((row) => formatCSVRecord(written.map((name, i) => csvText(types[i]!, row[name])), format)).join('')
  }
}
