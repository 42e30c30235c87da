import { BaseboxError } from '@basebox/client'
import type { DatabaseHandle } from '../database/database-handle.js'
import type { CSVOptions } from './csv.js'
import { exportCSV } from './export-csv.js'
import type { DatabaseExport } from './export-format.js'
import { exportJSON, type ExportOptions } from './export-json.js'
import { exportSQL } from './export-sql.js'

/** The formats a database exports to. */
export const EXPORT_FORMATS = ['sql', 'json', 'csv'] as const

/** One of {@link EXPORT_FORMATS}. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  const parts: string[] = []
  for await (const chunk of chunks) {
    parts.push(chunk)
  }
  return parts.join('')
}

/**
 * Exports a database (or one table) in one of three formats, as a snapshot: definitions and
 * rows are read in one read-only, repeatable-read transaction as the database's role, a page of
 * 1,000 rows at a time from one cursor per table, so rows written meanwhile are not included:
 *
 * - `'json'`: a {@link DatabaseExport} object, definitions and rows (see {@link exportJSON});
 * - `'sql'`: a plain SQL script, for `psql` or `importDatabase` (see {@link exportSQL}; stream
 *   it with `exportSQL` for large databases);
 * - `'csv'`: one table (`table` is required), streamed as chunks of text (see {@link exportCSV}).
 *
 * Secret columns are left out unless `includeSecrets`. A CSV stream holds its transaction (and
 * one connection) until it ends, fails, is left with `break`/`return()`, or its reader idles for
 * `idleTimeoutMs` (default 30 s).
 *
 * ### Examples
 *
 * ```ts
 * const backup = await exportDatabase(db, { format: 'json', includeSecrets: true })
 * const script = await exportDatabase(db, { format: 'sql' })
 * for await (const chunk of exportDatabase(db, { format: 'csv', table: 'posts' })) {
 *   process.stdout.write(chunk)
 * }
 * ```
 */
export function exportDatabase(
  db: DatabaseHandle,
  options: ExportOptions & { format: 'json' },
): Promise<DatabaseExport>
export function exportDatabase(
  db: DatabaseHandle,
  options: ExportOptions & { format: 'sql' },
): Promise<string>
export function exportDatabase(
  db: DatabaseHandle,
  options: ExportOptions & CSVOptions & { format: 'csv'; table: string },
): AsyncIterable<string>
export function exportDatabase(
  db: DatabaseHandle,
  options: ExportOptions & CSVOptions & { format: ExportFormat },
): Promise<DatabaseExport> | Promise<string> | AsyncIterable<string> {
  // Who exported what, never the rows themselves.
  const audit = () =>
    db.recordAudit('data.export', {
      format: options.format,
      ...(options.table === undefined ? {} : { table: options.table }),
      ...(options.tables === undefined ? {} : { tables: [...options.tables] }),
      include_secrets: options.includeSecrets === true,
    })
  const withAudit = async <T>(work: Promise<T>): Promise<T> => {
    const result = await work
    await audit()
    return result
  }
  switch (options?.format) {
    case 'json':
      return withAudit(exportJSON(db, options))
    case 'sql':
      return withAudit(collect(exportSQL(db, options)))
    case 'csv': {
      if (options.tables !== undefined) {
        throw new BaseboxError('VALIDATION_FAILED', 'a CSV export takes one table: use table')
      }
      const rows = exportCSV(db, { ...options, table: options.table! })
      return {
        async *[Symbol.asyncIterator]() {
          await audit()
          yield* rows
        },
      }
    }
    default:
      throw new BaseboxError(
        'VALIDATION_FAILED',
        `unknown export format ${JSON.stringify(String(options?.format))}: use one of ${EXPORT_FORMATS.join(', ')}`,
      )
  }
}
