import {
  BaseboxError,
  parseTableDefinition,
  ValidationError,
  type TableDefinition,
} from '@basebox/client'
import { z } from 'zod'
import type { Row } from '../database/database-handle.js'

/** The `format` tag of a Basebox export. */
export const EXPORT_FORMAT = 'basebox'

/** The version of the export format this engine writes and reads. */
export const EXPORT_VERSION = 1

/** One table of a {@link DatabaseExport}: its definition and its rows. */
export interface ExportedTable {
  /** The table's definition, as `db.definitions()` gives it. */
  definition: TableDefinition
  /**
   * The rows in primary-key order, as the record APIs return them: bigint and numeric as
   * strings, timestamps as ISO strings, jsonb as JSON values.
   */
  rows: Row[]
  /** Secret columns whose values the export left out (an export without `includeSecrets`). */
  omitted?: string[]
}

/**
 * A whole database as JSON: `{ format: 'basebox', version: 1, tables }`, with the tables in an
 * order that creates referenced tables first. What `exportDatabase({ format: 'json' })` returns
 * and `importDatabase({ format: 'json' })` takes.
 */
export interface DatabaseExport {
  format: typeof EXPORT_FORMAT
  version: typeof EXPORT_VERSION
  tables: ExportedTable[]
}

/** What an export or import reports as it goes: rows of `table` done so far, out of `total` when known. */
export interface TransferProgress {
  table: string
  rows: number
  total?: number
}

const ExportShape = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    tables: z
      .array(
        z
          .object({
            definition: z.unknown(),
            // Rows are checked one by one against the definition when imported.
            rows: z.array(z.unknown()),
            omitted: z.array(z.string()).max(1600).optional(),
          })
          .strict(),
      )
      .max(1000),
  })
  .strict()

/**
 * Checks the outer shape of an export (format, version, definitions, no table twice, omitted
 * columns that are secret) and returns it with definitions in normal form. Rows are checked
 * against their definition by the import.
 */
export function parseDatabaseExport(input: unknown): DatabaseExport {
  const parsed = ExportShape.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    throw new ValidationError(
      `not a Basebox export (format "basebox", version 1): ${issue?.message ?? 'invalid input'}${where}`,
      parsed.error.issues.map((i) => ({
        path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        message: i.message,
      })),
    )
  }
  const seen = new Set<string>()
  const tables = parsed.data.tables.map((table, i): ExportedTable => {
    let definition: TableDefinition
    try {
      definition = parseTableDefinition(table.definition)
    } catch (error) {
      if (error instanceof ValidationError) {
        throw new ValidationError(
          `table ${i} of the export: ${error.message}`,
          error.issues.map((issue) => ({
            ...issue,
            path: ['tables', i, 'definition', ...issue.path],
          })),
          {
            code: error.code === 'INVALID_IDENTIFIER' ? 'INVALID_IDENTIFIER' : 'VALIDATION_FAILED',
          },
        )
      }
      throw error
    }
    if (seen.has(definition.name)) {
      throw new BaseboxError(
        'VALIDATION_FAILED',
        `table ${JSON.stringify(definition.name)} appears twice in the export`,
        { details: { path: ['tables', i] } },
      )
    }
    seen.add(definition.name)
    for (const name of table.omitted ?? []) {
      if (definition.columns.find((c) => c.name === name)?.secret !== true) {
        throw new BaseboxError(
          'VALIDATION_FAILED',
          `omitted column ${JSON.stringify(name)} is not a secret column of ${JSON.stringify(definition.name)}`,
          { details: { path: ['tables', i, 'omitted'] } },
        )
      }
    }
    return {
      definition,
      rows: table.rows as Row[],
      ...(table.omitted !== undefined && table.omitted.length > 0
        ? { omitted: table.omitted }
        : {}),
    }
  })
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, tables }
}

/** A definition in normal form, for comparing two definitions of a table. @internal */
export function definitionKey(definition: TableDefinition): string {
  return JSON.stringify(parseTableDefinition(definition))
}

/** The columns an export writes: every column, or every column but the secret ones. @internal */
export function exportedColumns(
  definition: TableDefinition,
  includeSecrets: boolean,
): { written: string[]; omitted: string[] } {
  return {
    written: definition.columns
      .filter((c) => includeSecrets || c.secret !== true)
      .map((c) => c.name),
    omitted: includeSecrets
      ? []
      : definition.columns.filter((c) => c.secret === true).map((c) => c.name),
  }
}
