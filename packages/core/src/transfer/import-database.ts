import { BaseboxError } from '@basebox/client'
import type { DatabaseHandle } from '../database/database-handle.js'
import type { CSVSource } from './csv.js'
import { parseDatabaseExport, type DatabaseExport } from './export-format.js'
import { importCSV, type CSVImportOptions, type CSVImportResult } from './import-csv.js'
import { parseSQLExport } from './import-sql.js'
import {
  importTables,
  type DatabaseImportOptions,
  type DatabaseImportResult,
} from './import-tables.js'

function parseJSONText(input: unknown): unknown {
  if (typeof input !== 'string') {
    return input
  }
  try {
    return JSON.parse(input) as unknown
  } catch (error) {
    throw new BaseboxError('VALIDATION_FAILED', 'the JSON export is not valid JSON', {
      cause: error,
    })
  }
}

/**
 * Imports data into a database, all or nothing by default:
 *
 * - `'json'`: a {@link DatabaseExport} (or its text). Missing tables are created by one plan,
 *   empty tables with another definition are changed to the imported one, and every row is
 *   loaded by one statement, all in ONE transaction with the catalog changes and the audit
 *   entry: if anything fails, nothing remains. A table that holds rows and has another
 *   definition is a `CONFLICT`.
 * - `'sql'`: a SQL export written by Basebox, into an empty database: its header gives the
 *   definitions and its `insert` statements the rows, then as for JSON. Other SQL is refused
 *   (run it with `db.sql`, which refuses DDL).
 * - `'csv'`: one table from a CSV file, with column mapping, conversion, a preview and a
 *   report of rejected rows, into an existing table or a new one inferred from the data (see
 *   {@link importCSV}).
 *
 * Values of secret columns (`users.password_hash`) are imported only with `includeSecrets`.
 * An export made without them imports too: the rows come back without those values, and the
 * result's `warnings` say so.
 *
 * ### Examples
 *
 * ```ts
 * const fresh = await owner.createDatabase(project.id)
 * const result = await importDatabase(fresh, backup, { format: 'json', includeSecrets: true })
 * console.log(result.tables, result.warnings)
 * ```
 */
export function importDatabase(
  db: DatabaseHandle,
  input: DatabaseExport | string,
  options: DatabaseImportOptions & { format: 'json' },
): Promise<DatabaseImportResult>
export function importDatabase(
  db: DatabaseHandle,
  input: string,
  options: DatabaseImportOptions & { format: 'sql' },
): Promise<DatabaseImportResult>
export function importDatabase(
  db: DatabaseHandle,
  input: CSVSource,
  options: CSVImportOptions & { format: 'csv' },
): Promise<CSVImportResult>
export async function importDatabase(
  db: DatabaseHandle,
  input: unknown,
  options:
    (DatabaseImportOptions & { format: 'json' | 'sql' }) | (CSVImportOptions & { format: 'csv' }),
): Promise<DatabaseImportResult | CSVImportResult> {
  switch (options?.format) {
    case 'json':
      return importTables(db, parseDatabaseExport(parseJSONText(input)), options, 'json')
    case 'sql':
      return importTables(db, parseSQLExport(input as string), options, 'sql')
    case 'csv':
      return importCSV(db, input as CSVSource, options)
    default:
      throw new BaseboxError(
        'VALIDATION_FAILED',
        `unknown import format ${JSON.stringify(String((options as { format?: unknown } | undefined)?.format))}: use json, sql or csv`,
      )
  }
}
