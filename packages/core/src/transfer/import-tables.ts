import {
  BaseboxError,
  ValidationError,
  type TableDefinition,
  type ValidationIssue,
} from '@basebox/client'
import type { DatabaseHandle } from '../database/database-handle.js'
import { planChanges } from '../ddl/plan-changes.js'
import type { PlanStep } from '../ddl/plan-step.js'
import { definitionKey, type DatabaseExport, type TransferProgress } from './export-format.js'
import {
  addToGroups,
  prepareImportRow,
  UniqueTracker,
  type PreparedImport,
  type ValueSource,
} from './import-values.js'
import { applyAndLoad } from './load-rows.js'

/** Options of a JSON or SQL import. */
export interface DatabaseImportOptions {
  /**
   * Default is `false`. Whether values of secret columns (`users.password_hash`) in the input
   * are restored: a full backup. Without it such values are refused, so a file cannot set
   * passwords unless the caller means it.
   */
  includeSecrets?: boolean
  /** Default is `false`. Check everything and return the plan, but change nothing. */
  dryRun?: boolean
  /**
   * Called for each table once all rows are checked (`rows: 0`), then as rows are written: with
   * it the rows are written in batches of 5,000 (still in one transaction),
   * each reported once written, unless the tables reference each other in a way only one
   * statement allows (a table referencing itself, or a table imported after it). Last, once per
   * table when the import has committed.
   */
  onProgress?: (progress: TransferProgress) => void
  /**
   * Cancels the import: checked before the transaction and after each statement of the load.
   * Aborted before the commit, the transaction rolls back (nothing is imported, catalog
   * included) and the import rejects with the signal's reason. Default is none.
   */
  signal?: AbortSignal
}

/** What happened to one table of an import. */
export interface ImportedTable {
  name: string
  /**
   * `'created'`: the table did not exist; `'altered'`: it existed empty with another definition,
   * and was changed to the imported one; `'appended'`: it existed with the same definition, and
   * the rows were added to its own.
   */
  action: 'created' | 'altered' | 'appended'
  /** Rows imported (or that would be, in a dry run). */
  rows: number
}

/** What a JSON or SQL import did. */
export interface DatabaseImportResult {
  tables: ImportedTable[]
  /** The schema changes applied (or that would be, in a dry run), in order. */
  steps: PlanStep[]
  /** Things the caller should know, e.g. users imported without their passwords. */
  warnings: string[]
  dryRun: boolean
}

const MAX_ISSUES = 20

/**
 * Imports a {@link DatabaseExport} into a database, all or nothing: every row is checked
 * first; then ONE transaction applies the plan that creates the missing tables (and changes
 * empty tables whose definition differs), loads every row with ONE statement and records the
 * import in the audit log. If anything fails, the transaction rolls back and the database,
 * catalog included, is as it was. A table that exists with another definition and holds rows
 * is a `CONFLICT`, before anything changes.
 * @internal
 */
export async function importTables(
  db: DatabaseHandle,
  data: DatabaseExport,
  options: DatabaseImportOptions,
  format: 'json' | 'sql',
): Promise<DatabaseImportResult> {
  // Both formats give values as JSON: SQL literals are parsed to JSON values.
  const source: ValueSource = 'json'
  options.signal?.throwIfAborted()
  const includeSecrets = options.includeSecrets === true
  const before = await db.definitions()
  const current = new Map(before.map((t) => [t.name, t]))
  const tables: ImportedTable[] = []
  const warnings: string[] = []
  for (const { definition, rows } of data.tables) {
    const existing = current.get(definition.name)
    let action: ImportedTable['action'] = 'created'
    if (existing !== undefined) {
      action = definitionKey(existing) === definitionKey(definition) ? 'appended' : 'altered'
      if (
        action === 'altered' &&
        ((await db.select(definition.name, { limit: 0, count: 'exact' })).count ?? 0) > 0
      ) {
        throw new BaseboxError(
          'CONFLICT',
          `table ${JSON.stringify(definition.name)} exists with another definition and holds rows; import into an empty database, or make the definitions match first`,
          {
            details: { table: definition.name },
          },
        )
      }
    }
    tables.push({ name: definition.name, action, rows: rows.length })
  }

  const issues: ValidationIssue[] = []
  const loads: { table: string; prepared: PreparedImport }[] = []
  data.tables.forEach(({ definition, rows, omitted }, t) => {
    const columns = new Map(definition.columns.map((c) => [c.name, c]))
    const unique = new UniqueTracker(definition)
    const prepared: PreparedImport = { groups: [], count: 0 }
    const groupIndex = new Map<string, number>()
    rows.forEach((input, index) => {
      if (issues.length >= MAX_ISSUES) {
        return
      }
      const { row, problems } = prepareImportRow(definition, columns, input, index, {
        source,
        includeSecrets,
      })
      problems.push(...(problems.length === 0 ? unique.check(index, row) : []))
      const secret = problems.find((p) => p.secret === true)
      if (secret !== undefined) {
        throw new BaseboxError('FORBIDDEN', `${definition.name}: ${secret.message}`, {
          details: { table: definition.name, column: secret.column },
        })
      }
      if (problems.length > 0) {
        issues.push(
          ...problems.map((p) => ({
            path: ['tables', t, 'rows', index, ...(p.column === undefined ? [] : [p.column])],
            message: `${definition.name}, row ${index + 1}${p.column === undefined ? '' : `, column ${JSON.stringify(p.column)}`}: ${p.message}`,
          })),
        )
        return
      }
      unique.add(index, row)
      addToGroups(prepared, columns, row, groupIndex)
    })
    loads.push({ table: definition.name, prepared })
    for (const name of omitted ?? []) {
      if (rows.length > 0) {
        warnings.push(
          `${definition.name}: ${rows.length} row${rows.length === 1 ? '' : 's'} imported without ${JSON.stringify(name)}, a secret column the export left out` +
            (definition.name === 'users' && name === 'password_hash'
              ? '; these users cannot sign in until they set a password'
              : ''),
        )
      }
    }
  })
  if (issues.length > 0) {
    throw new ValidationError(
      `invalid rows in the import: ${issues[0]!.message}`,
      issues.slice(0, MAX_ISSUES),
    )
  }
  // Every table's total before any row is written, so that a sum over the tables is final.
  for (const { table, prepared } of loads) {
    options.onProgress?.({ table, rows: 0, total: prepared.count })
  }

  const imported = new Map(data.tables.map((t) => [t.definition.name, t.definition]))
  const wanted: TableDefinition[] = [
    ...before.map((t) => imported.get(t.name) ?? t),
    ...data.tables.filter((t) => !current.has(t.definition.name)).map((t) => t.definition),
  ]
  const { steps } = planChanges(before, wanted)
  if (options.dryRun !== true) {
    await applyAndLoad(
      db,
      before,
      steps,
      loads,
      {
        format,
        tables: tables.map((t) => ({ name: t.name, action: t.action, rows: t.rows })),
        include_secrets: includeSecrets,
      },
      { signal: options.signal, onProgress: options.onProgress },
    )
    for (const table of tables) {
      options.onProgress?.({ table: table.name, rows: table.rows, total: table.rows })
    }
  }
  return { tables, steps, warnings, dryRun: options.dryRun === true }
}
