import { BaseboxError, type ColumnType } from '@basebox/client'
import type { DatabaseHandle } from '../database/database-handle.js'
import { formatCSVRecord, type CSVOptions } from './csv.js'
import { exportedColumns } from './export-format.js'
import { tablesToExport, type ExportOptions } from './export-json.js'
import { ExportReader } from './read-rows.js'

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
 * streamed: each chunk is a page of rows fetched from one server-side cursor, in primary-key
 * order, so a large table is never held whole. The rows are a snapshot (one read-only,
 * repeatable-read transaction, released when the stream ends, fails, is left with `break`, or
 * idles longer than `idleTimeoutMs`). An empty unquoted field is null and `""` the empty
 * string. Secret columns are left out unless `includeSecrets`.
 *
 * ### Examples
 *
 * ```ts
 * for await (const chunk of exportCSV(db, { table: 'posts', onProgress: ({ rows, total }) => console.log(rows, total) })) {
 *   process.stdout.write(chunk)
 * }
 * ```
 */
export async function* exportCSV(
  db: DatabaseHandle,
  options: CSVExportOptions,
): AsyncGenerator<string> {
  if (typeof options?.table !== 'string') {
    throw new BaseboxError('VALIDATION_FAILED', 'a CSV export needs the table to export')
  }
  const format = { delimiter: options.delimiter ?? ',' }
  yield* ExportReader.stream(db, options.idleTimeoutMs, async function* (reader) {
    const includeSecrets = options.includeSecrets === true
    const [table] = tablesToExport(reader.tables, options.table)
    const { written } = exportedColumns(table!, includeSecrets)
    const types = written.map((name) => table!.columns.find((c) => c.name === name)!.type)
    yield formatCSVRecord(written, format)
    for await (const page of reader.arrays(table!, {
      includeSecrets,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    })) {
      yield page
        .map((row) =>
          formatCSVRecord(
            row.map((value, i) => csvText(types[i]!, value)),
            format,
          ),
        )
        .join('')
    }
  })
}
