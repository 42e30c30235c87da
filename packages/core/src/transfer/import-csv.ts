import {
  BaseboxError,
  parseTableDefinition,
  ValidationError,
  type TableDefinition,
  type TableDefinitionInput,
} from '@basebox/client'
import type { DatabaseHandle, Row } from '../database/database-handle.js'
import { readCSVBatches, type CSVOptions, type CSVRecord, type CSVSource } from './csv.js'
import type { TransferProgress } from './export-format.js'
import { inferTableDefinition, toColumnName } from './infer-table.js'
import {
  addToGroups,
  prepareImportRow,
  UniqueTracker,
  type PreparedImport,
} from './import-values.js'
import { applyAndLoad } from './load-rows.js'

/** Options of a CSV import. */
export interface CSVImportOptions extends CSVOptions {
  /** The table to fill: an existing one, or a new one with `create`. */
  table: string
  /**
   * Default is `false`. Create `table` from the data: its definition is inferred (see
   * {@link inferTableDefinition}) unless `definition` gives it, e.g. an inferred one the user
   * edited after a preview.
   */
  create?: boolean
  /** With `create`: the definition to create instead of the inferred one (its name is `table`). */
  definition?: Omit<TableDefinitionInput, 'name'> & { name?: string }
  /**
   * CSV header -> column, or `null` to leave a CSV column out. Headers not given here fill the
   * column of the same name (or of the same name once written as an identifier: `Full Name` ->
   * `full_name`); a header that matches nothing is an error.
   */
  columns?: Record<string, string | null>
  /** Return the first `preview` rows, checked and converted, and the rejected ones; write nothing. */
  preview?: number
  /**
   * Default is `'abort'`: one rejected row and nothing is imported (the error lists the rejected
   * rows). `'skip'` imports the other rows and reports the rejected ones.
   */
  onError?: 'abort' | 'skip'
  /** Default is `false`. Whether CSV columns may fill secret columns. */
  includeSecrets?: boolean
  /**
   * Called once the rows are read and checked (`rows: 0`), then as they are written: with it the
   * rows are written in batches of 5,000 (still in one transaction), each
   * reported once written (in one statement when the table references itself). Last, once the
   * import has committed.
   */
  onProgress?: (progress: TransferProgress) => void
  /**
   * Cancels the import: checked as the file is read, before the transaction and after each
   * statement of the load. Aborted before the commit, the transaction rolls back (nothing is
   * imported; a table it was to create is not) and the import rejects with the signal's reason.
   * Default is none.
   */
  signal?: AbortSignal
}

/** A CSV row that was not imported, and why. */
export interface RejectedRow {
  /** 1-based number of the data row (the header is not counted). */
  row: number
  /** 1-based line of the file where the row starts. */
  line: number
  reasons: { column?: string; message: string }[]
}

/** What a CSV import did (or, with `preview`, would do). */
export interface CSVImportResult {
  table: string
  /** Whether the table is new (or, in a preview, would be). */
  created: boolean
  /** The table's definition: the inferred one for a new table. */
  definition: TableDefinition
  /** For each CSV column: the table column it fills, or `null` when left out. */
  columns: { header: string; column: string | null }[]
  /** Rows imported (in a preview: rows read that would be). */
  rows: number
  /** The first {@link MAX_REJECTED_ROWS} rejected rows with their reasons. */
  rejected: RejectedRow[]
  rejectedCount: number
  /** With `preview`: the first rows as they would be stored. */
  preview?: Row[]
  /**
   * With `preview`: whether every row of the file was read. A preview into an existing table
   * stops after the rows it shows, so then `rows` and `rejectedCount` count only those.
   */
  complete?: boolean
  warnings: string[]
}

/** The most rejected rows a result lists. */
export const MAX_REJECTED_ROWS = 1000

function resolveColumns(
  header: readonly string[],
  definition: TableDefinition,
  explicit: Record<string, string | null> | undefined,
  includeSecrets: boolean,
): (string | null)[] {
  const byName = new Map(definition.columns.map((c) => [c.name, c]))
  const given = explicit ?? {}
  for (const key of Object.keys(given)) {
    if (!header.includes(key)) {
      throw new BaseboxError(
        'VALIDATION_FAILED',
        `mapped CSV column ${JSON.stringify(key)} is not in the header`,
        { details: { header: key } },
      )
    }
    if (header.indexOf(key) !== header.lastIndexOf(key)) {
      throw new BaseboxError(
        'VALIDATION_FAILED',
        `CSV column ${JSON.stringify(key)} appears twice in the header, so it cannot be mapped by name`,
        { details: { header: key } },
      )
    }
  }
  const unmatched: string[] = []
  const mapping = header.map((title, i) => {
    if (Object.hasOwn(given, title)) {
      const target = given[title] ?? null
      if (target !== null && !byName.has(target)) {
        throw new BaseboxError(
          'VALIDATION_FAILED',
          `column ${JSON.stringify(target)} does not exist in ${JSON.stringify(definition.name)}`,
          { details: { header: title, column: target } },
        )
      }
      return target
    }
    const name = byName.has(title) ? title : toColumnName(title, new Set(), i)
    if (!byName.has(name)) {
      unmatched.push(title)
    }
    return name
  })
  if (unmatched.length > 0) {
    const list = unmatched.map((h) => JSON.stringify(h)).join(', ')
    throw new BaseboxError(
      'VALIDATION_FAILED',
      `CSV column${unmatched.length === 1 ? '' : 's'} ${list} match${unmatched.length === 1 ? 'es' : ''} no column of ${JSON.stringify(definition.name)}: map them in columns, or leave them out with null`,
      {
        details: { unmatched },
      },
    )
  }
  const used = new Set<string>()
  for (const name of mapping) {
    if (name === null) {
      continue
    }
    if (used.has(name)) {
      throw new BaseboxError(
        'VALIDATION_FAILED',
        `column ${JSON.stringify(name)} is filled by two CSV columns`,
        { details: { column: name } },
      )
    }
    used.add(name)
    if (byName.get(name)!.secret === true && !includeSecrets) {
      throw new BaseboxError(
        'FORBIDDEN',
        `column ${JSON.stringify(name)} is secret: pass includeSecrets: true to import it`,
        { details: { column: name } },
      )
    }
  }
  const missing = definition.columns.filter(
    (c) =>
      (c.required === true || c.primary_key === true) &&
      c.default === undefined &&
      !used.has(c.name),
  )
  if (missing.length > 0) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      `column ${JSON.stringify(missing[0]!.name)} of ${JSON.stringify(definition.name)} is required and has no default: map a CSV column to it`,
      {
        details: { column: missing[0]!.name },
      },
    )
  }
  return mapping
}

// A blank line in a file of several columns is no row (a one-column file writes null that way).
function isBlank(record: CSVRecord, width: number): boolean {
  return (
    width > 1 &&
    record.fields.length === 1 &&
    record.fields[0] === null &&
    record.error === undefined
  )
}

/**
 * Imports a CSV file (RFC 4180, header row) into a table, all or nothing by default. Each CSV
 * column fills the table column named in `columns` or the one of the same name; each value is
 * converted as a form would send it (`"42"`, `"true"`, `"2024-01-31"`, JSON text for jsonb); an
 * empty unquoted field is null and `""` the empty string. Rows that do not fit are reported
 * with their reasons: with `onError: 'abort'` (the default) nothing is imported, with `'skip'`
 * the others are. `preview` returns the first rows without writing; `create` makes a new table
 * whose definition is inferred from the data (or given). The table's creation, the rows and
 * the audit entry commit in one transaction: if the load fails, none of them remains.
 *
 * ### Examples
 *
 * ```ts
 * const preview = await importCSV(db, file.stream(), { table: 'people', create: true, preview: 20 })
 * // show preview.definition and preview.preview, let the user edit the definition, then:
 * await importCSV(db, file.stream(), { table: 'people', create: true, definition: preview.definition })
 * ```
 */
export async function importCSV(
  db: DatabaseHandle,
  source: CSVSource,
  options: CSVImportOptions,
): Promise<CSVImportResult> {
  const includeSecrets = options.includeSecrets === true
  const previewing = options.preview !== undefined
  if (previewing && (!Number.isInteger(options.preview) || options.preview! < 0)) {
    throw new BaseboxError('VALIDATION_FAILED', 'preview must be a whole number of rows')
  }
  // Records come a chunk at a time: one await per chunk of the file, not per record.
  const batches = readCSVBatches(source, options)
  let batch: CSVRecord[] = []
  let at = 0
  const more = async (): Promise<boolean> => {
    while (at >= batch.length) {
      options.signal?.throwIfAborted()
      const next = await batches.next()
      if (next.done === true) {
        return false
      }
      batch = next.value
      at = 0
    }
    return true
  }
  if (!(await more())) {
    throw new BaseboxError('VALIDATION_FAILED', 'the CSV file is empty: it needs a header row')
  }
  const first = batch[at++]!
  if (first.error !== undefined) {
    await batches.return(undefined)
    throw new BaseboxError('VALIDATION_FAILED', `the header row is malformed: ${first.error}`)
  }
  const header = first.fields.map((f) => f ?? '')
  let before: TableDefinition[]
  let existing: TableDefinition | undefined
  const create = options.create === true
  const data: CSVRecord[] = []
  // Whether every record was read (false only when a preview stopped at its rows).
  let complete = true
  try {
    before = await db.definitions()
    existing = before.find((t) => t.name === options.table)
    if (create && existing !== undefined) {
      throw new BaseboxError('CONFLICT', `table ${JSON.stringify(options.table)} already exists`, {
        details: { table: options.table },
      })
    }
    if (!create && existing === undefined) {
      throw new BaseboxError(
        'NOT_FOUND',
        `table ${JSON.stringify(String(options.table).slice(0, 80))} does not exist; pass create: true to create it from the data`,
        { details: { table: String(options.table).slice(0, 80) } },
      )
    }
    // A preview into an existing table reads only the rows it shows; anything else reads all.
    const limit = previewing && !create ? options.preview! : Infinity
    while (data.length < limit && (at < batch.length || (await more()))) {
      const record = batch[at++]!
      if (!isBlank(record, header.length)) {
        data.push(record)
      }
    }
    // Stopped at the limit: the file is read whole only when nothing but blank lines is left.
    if (data.length >= limit) {
      while (complete && (at < batch.length || (await more()))) {
        complete = isBlank(batch[at++]!, header.length)
      }
    }
  } finally {
    // Stops reading the source (and releases a stream's reader) however this ends.
    await batches.return(undefined)
  }

  let definition: TableDefinition
  let mapping: (string | null)[]
  if (create && options.definition === undefined) {
    // Columns mapped to null are left out of the new table; columns mapped to a name take it.
    const given = options.columns ?? {}
    const kept = header
      .map((_, i) => i)
      .filter((i) => !Object.hasOwn(given, header[i]!) || given[header[i]!] !== null)
    const usable = data
      .filter((r) => r.error === undefined && r.fields.length === header.length)
      .map((r) => kept.map((i) => r.fields[i]!))
    const hints = kept.map((i) =>
      Object.hasOwn(given, header[i]!) ? given[header[i]!]! : header[i]!,
    )
    const inferred = inferTableDefinition(options.table, hints, usable)
    definition = inferred.definition
    mapping = header.map(() => null)
    kept.forEach((i, k) => {
      mapping[i] = inferred.columns[k]!.column
    })
  } else {
    definition = create
      ? parseTableDefinition({ ...options.definition, name: options.table })
      : existing!
    mapping = resolveColumns(header, definition, options.columns, includeSecrets)
  }

  const columns = new Map(definition.columns.map((c) => [c.name, c]))
  const unique = new UniqueTracker(definition)
  const prepared: PreparedImport = { groups: [], count: 0 }
  const groupIndex = new Map<string, number>()
  const rejected: RejectedRow[] = []
  let rejectedCount = 0
  const preview: Row[] = []
  data.forEach((record, index) => {
    let reasons: RejectedRow['reasons']
    let row: Record<string, unknown> = {}
    if (record.error !== undefined) {
      reasons = [{ message: record.error }]
    } else if (record.fields.length !== header.length) {
      reasons = [{ message: `expected ${header.length} fields, found ${record.fields.length}` }]
    } else {
      const input: Record<string, unknown> = {}
      mapping.forEach((name, i) => {
        if (name !== null) {
          input[name] = record.fields[i]
        }
      })
      const checked = prepareImportRow(definition, columns, input, index, {
        source: 'text',
        includeSecrets,
      })
      row = checked.row
      reasons = checked.problems.length > 0 ? checked.problems : unique.check(index, row)
    }
    if (reasons.length > 0) {
      rejectedCount++
      if (rejected.length < MAX_REJECTED_ROWS) {
        rejected.push({
          row: index + 1,
          line: record.line,
          reasons: reasons.map((r) =>
            r.column === undefined
              ? { message: r.message }
              : { column: r.column, message: r.message },
          ),
        })
      }
      return
    }
    unique.add(index, row)
    addToGroups(prepared, columns, row, groupIndex)
    if (previewing && preview.length < options.preview!) {
      preview.push(row)
    }
  })
  options.onProgress?.({ table: definition.name, rows: 0, total: prepared.count })
  const result: CSVImportResult = {
    table: definition.name,
    created: create,
    definition,
    columns: header.map((h, i) => ({ header: h, column: mapping[i] ?? null })),
    rows: prepared.count,
    rejected,
    rejectedCount,
    warnings: [],
  }
  if (previewing) {
    return { ...result, preview, complete }
  }
  if (rejectedCount > 0 && options.onError !== 'skip') {
    const issues = rejected.slice(0, 100).flatMap((r) =>
      r.reasons.map((reason) => ({
        path: ['rows', r.row, ...(reason.column === undefined ? [] : [reason.column])],
        message: `row ${r.row} (line ${r.line})${reason.column === undefined ? '' : `, column ${JSON.stringify(reason.column)}`}: ${reason.message}`,
      })),
    )
    throw new ValidationError(
      `${rejectedCount} row${rejectedCount === 1 ? '' : 's'} of the CSV file cannot be imported, so none was: ${issues[0]!.message}`,
      issues,
      {
        details: { rejected: rejected.slice(0, 100), rejectedCount },
      },
    )
  }
  await applyAndLoad(
    db,
    before,
    create ? [{ kind: 'create_table', table: definition }] : [],
    [{ table: definition.name, prepared }],
    {
      format: 'csv',
      tables: [
        {
          name: definition.name,
          action: create ? 'created' : 'appended',
          rows: prepared.count,
          rejected: rejectedCount,
        },
      ],
      include_secrets: includeSecrets,
    },
    { signal: options.signal, onProgress: options.onProgress },
  )
  options.onProgress?.({ table: definition.name, rows: prepared.count, total: prepared.count })
  if (rejectedCount > 0) {
    result.warnings.push(
      `${rejectedCount} row${rejectedCount === 1 ? ' was' : 's were'} skipped; see rejected`,
    )
  }
  return result
}
