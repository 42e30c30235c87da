import type { ColumnType, TableDefinition } from '@basebox/client'
import type { DatabaseHandle } from '../database/database-handle.js'
import { compileCreateTable, compileStep } from '../ddl/compile-step.js'
import { quoteIdentifier as q, quoteLiteral } from '../ddl/identifier.js'
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  exportedColumns,
  type ExportedTable,
} from './export-format.js'
import { tablesToExport, type ExportOptions } from './export-json.js'
import { ExportReader } from './read-rows.js'

/** The comment that starts the machine-readable header line of a SQL export. */
export const SQL_EXPORT_HEADER = '-- basebox:export '

/** Rows per `insert` statement of a SQL export. */
export const SQL_INSERT_ROWS = 500

function stripReferences(table: TableDefinition): TableDefinition {
  return {
    ...table,
    columns: table.columns.map(({ references: _references, ...column }) => column),
  }
}

/**
 * The DDL of a SQL export with unqualified names, so that the script restores into whatever
 * schema it is run in: `create` per table (keys and unique constraints inline), and `after`,
 * to run once the data is in: row-level security switched on (as Basebox does; the access-rule
 * policies need Basebox's roles and are not in the script) and indexes, then every foreign key
 * with its index (so neither table order nor reference cycles matter, as in pg_dump).
 * @internal
 */
export function schemaStatements(tables: readonly TableDefinition[]): {
  create: string[]
  after: string[]
} {
  // compileCreateTable qualifies names with a schema; a random one no value can contain is
  // compiled in and then removed.
  const placeholder = `_bb${crypto.randomUUID().replaceAll('-', '')}`
  const ctx = { schema: placeholder }
  const unqualify = (statement: string) => statement.replaceAll(`${q(placeholder)}.`, '')
  const stripped = tables.map(stripReferences)
  const create: string[] = []
  const after: string[] = []
  for (const table of stripped) {
    // The table itself first; what follows it (row-level security, indexes) after the data.
    const [createTable, ...rest] = compileCreateTable(ctx, table).map(unqualify)
    create.push(createTable!)
    after.push(...rest)
  }
  for (const table of tables) {
    for (const column of table.columns) {
      if (column.references !== undefined) {
        const step = {
          kind: 'set_reference',
          table: table.name,
          column: column.name,
          references: column.references,
        } as const
        after.push(...compileStep(ctx, stripped, step).map(unqualify))
      }
    }
  }
  return { create, after }
}

/**
 * A value as an SQL literal for a column of `type`, from its JSON form (as `db.select` returns
 * it): strings quoted (bigint and numeric as text, so no precision is lost), jsonb as
 * `'...'::jsonb`, integers and doubles bare.
 * @internal
 */
export function sqlLiteral(type: ColumnType, value: unknown): string {
  if (value === null || value === undefined) {
    return 'null'
  }
  switch (type) {
    case 'boolean':
      return value === true ? 'true' : 'false'
    case 'integer':
    case 'double':
      return typeof value === 'number' ? String(value) : quoteLiteral(String(value))
    case 'jsonb':
      return `${quoteLiteral(JSON.stringify(value))}::jsonb`
    default:
      return quoteLiteral(String(value))
  }
}

function insertStatement(
  table: TableDefinition,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
): string {
  if (columns.length === 0) {
    // Nothing but secret columns, left out: each row is its defaults.
    return rows.map(() => `insert into ${q(table.name)} default values;\n`).join('') + '\n'
  }
  const types = columns.map((name) => table.columns.find((c) => c.name === name)!.type)
  const values = rows.map(
    (row) => `(${columns.map((name, i) => sqlLiteral(types[i]!, row[name])).join(', ')})`,
  )
  return `insert into ${q(table.name)} (${columns.map(q).join(', ')}) values\n${values.join(',\n')};\n\n`
}

/** The header of a SQL export: what importDatabase reads instead of parsing DDL. @internal */
export function sqlExportHeader(tables: readonly Omit<ExportedTable, 'rows'>[]): string {
  return `${SQL_EXPORT_HEADER}${JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, tables })}\n`
}

/**
 * Exports a database as a plain SQL script, streamed in chunks: `create table` statements
 * without schema names, the data as `insert ... values` batches of {@link SQL_INSERT_ROWS}
 * rows, then indexes and foreign keys, all in one transaction. It restores into a plain
 * PostgreSQL 13+ with `psql -v ON_ERROR_STOP=1 -f export.sql` (into the first schema of the
 * `search_path`), and into an empty Basebox database with `importDatabase(db, text, { format:
 * 'sql' })`, which reads the `-- basebox:export` header line for the definitions. Only scripts
 * written by Basebox import that way, and only unedited DDL (data may be edited).
 *
 * The script is a snapshot: definitions and rows are read in one read-only, repeatable-read
 * transaction, released when the stream ends, fails, is left with `break`, or idles longer
 * than `idleTimeoutMs`.
 */
export function exportSQL(db: DatabaseHandle, options: ExportOptions = {}): AsyncGenerator<string> {
  return ExportReader.stream(db, options.idleTimeoutMs, (reader) => scriptChunks(reader, options))
}

async function* scriptChunks(reader: ExportReader, options: ExportOptions): AsyncGenerator<string> {
  const includeSecrets = options.includeSecrets === true
  const tables = tablesToExport(reader.tables, options.table, options.tables)
  const described = tables.map((definition) => {
    const { omitted } = exportedColumns(definition, includeSecrets)
    return { definition, ...(omitted.length > 0 ? { omitted } : {}) }
  })
  const { create, after } = schemaStatements(tables)
  yield [
    `-- Basebox SQL export (format version ${EXPORT_VERSION}): ${tables.length} table${tables.length === 1 ? '' : 's'}${includeSecrets ? ', secret columns included' : ''}.\n`,
    '-- Restore into PostgreSQL 13 or later with: psql -v ON_ERROR_STOP=1 -f <file>\n',
    "-- or into an empty Basebox database with importDatabase(db, text, { format: 'sql' }), which reads\n",
    '-- the table definitions from the next line: edit neither it nor the table statements.\n',
    sqlExportHeader(described),
    '\n',
    "set client_encoding = 'UTF8';\n",
    'set standard_conforming_strings = on;\n',
    'begin;\n\n',
    ...create.map((s) => `${s};\n\n`),
  ].join('')
  for (const table of tables) {
    const { written } = exportedColumns(table, includeSecrets)
    let batch: Record<string, unknown>[] = []
    for await (const page of reader.rows(table, {
      includeSecrets,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    })) {
      const chunks: string[] = []
      for (const row of page) {
        batch.push(row)
        if (batch.length === SQL_INSERT_ROWS) {
          chunks.push(insertStatement(table, written, batch))
          batch = []
        }
      }
      if (chunks.length > 0) {
        yield chunks.join('')
      }
    }
    if (batch.length > 0) {
      yield insertStatement(table, written, batch)
    }
  }
  yield `${after.map((s) => `${s};\n`).join('')}${after.length > 0 ? '\n' : ''}commit;\n`
}
