import { literalProblem, type ColumnDefinition, type TableDefinition } from '@basebox/client'
import { coerceColumnValue, type Coerced } from '../records/coerce-value.js'

/**
 * How a value arrives: `'json'` as JSON (a JSON export, or parsed SQL literals: jsonb is already
 * a JSON value) or `'text'` (a CSV field: jsonb is JSON text to parse).
 * @internal
 */
export type ValueSource = 'json' | 'text'

// Values Postgres itself writes that the record APIs' stricter checks refuse: a round trip
// must still bring them back.
const SPECIAL_NUMBERS = new Set(['NaN', 'Infinity', '-Infinity'])
const SPECIAL_TIMES = new Set(['infinity', '-infinity'])
// Years Postgres writes that ISO 8601 with four digits cannot: after 9999, or BC.
const POSTGRES_DATE =
  /^(?:\d{5,}-\d{2}-\d{2}(?:[T ][0-9:.+-]+)?(?: BC)?|\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+-]+)? BC)$/

/**
 * Checks and converts one imported value for a column, as the record APIs would
 * ({@link coerceColumnValue}), and also accepts what Postgres writes but a form would not send:
 * `NaN` and infinities, years before 1 or after 9999.
 * @internal
 */
export function coerceImportValue(
  column: ColumnDefinition,
  value: unknown,
  source: ValueSource,
): Coerced {
  if (value === null || value === undefined) {
    return coerceColumnValue(column, value === undefined ? undefined : null)
  }
  if (column.type === 'jsonb') {
    let json = value
    if (source === 'text') {
      try {
        json = JSON.parse(String(value))
      } catch {
        return { ok: false, message: 'expected JSON' }
      }
    }
    const problem = literalProblem('jsonb', json)
    return problem === undefined ? { ok: true, value: json } : { ok: false, message: problem }
  }
  const coerced = coerceColumnValue(column, value)
  if (coerced.ok || typeof value !== 'string') {
    return coerced
  }
  const special =
    ((column.type === 'double' || column.type === 'numeric') && SPECIAL_NUMBERS.has(value)) ||
    ((column.type === 'date' || column.type === 'timestamptz') &&
      (SPECIAL_TIMES.has(value) || POSTGRES_DATE.test(value)))
  return special ? { ok: true, value } : coerced
}

/** Rows checked and coerced for one table, grouped by the columns they give. @internal */
export interface PreparedImport {
  groups: { columns: ColumnDefinition[]; rows: Record<string, unknown>[] }[]
  count: number
}

/** One problem of one imported row. @internal */
export interface RowProblem {
  /** The row's index in the input. */
  index: number
  column?: string
  message: string
  /** Set when the problem is a secret column given without `includeSecrets`. */
  secret?: boolean
}

function keyOf(column: ColumnDefinition, value: unknown): string {
  return column.type === 'jsonb' ? JSON.stringify(value) : String(value)
}

/**
 * Finds values repeated within the imported rows for a primary key or unique column (which
 * Postgres would refuse for the whole statement) and names the later rows. Existing rows are
 * not looked at: a clash with them fails the load.
 * @internal
 */
export class UniqueTracker {
  readonly #seen = new Map<string, Map<string, number>>()
  readonly #columns: ColumnDefinition[]

  constructor(definition: TableDefinition) {
    this.#columns = definition.columns.filter((c) => c.primary_key === true || c.unique === true)
    for (const column of this.#columns) {
      this.#seen.set(column.name, new Map())
    }
  }

  /** The problems of a coerced row (nothing is recorded for a row with problems). */
  check(index: number, row: Record<string, unknown>): RowProblem[] {
    const problems: RowProblem[] = []
    for (const column of this.#columns) {
      const value = row[column.name]
      if (value === null || value === undefined) {
        continue
      }
      const first = this.#seen.get(column.name)!.get(keyOf(column, value))
      if (first !== undefined) {
        problems.push({
          index,
          column: column.name,
          message: `duplicate value for ${column.primary_key === true ? 'the primary key' : 'unique column'} ${JSON.stringify(column.name)} (first in row ${first + 1})`,
        })
      }
    }
    return problems
  }

  /** Records the unique values of an accepted row. */
  add(index: number, row: Record<string, unknown>): void {
    for (const column of this.#columns) {
      const value = row[column.name]
      if (value !== null && value !== undefined) {
        this.#seen.get(column.name)!.set(keyOf(column, value), index)
      }
    }
  }
}

/**
 * Checks one input row against a definition: an object, known columns, secret columns only
 * when allowed, values of the right type, required columns given unless they have a default.
 * Returns the coerced row, or its problems.
 * @internal
 */
export function prepareImportRow(
  definition: TableDefinition,
  columns: ReadonlyMap<string, ColumnDefinition>,
  input: unknown,
  index: number,
  options: { source: ValueSource; includeSecrets: boolean },
): { row: Record<string, unknown>; problems: RowProblem[] } {
  const problems: RowProblem[] = []
  const row: Record<string, unknown> = {}
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { row, problems: [{ index, message: 'a row must be an object of column values' }] }
  }
  // for...in over own keys: this runs once per imported row, and allocates no entry arrays.
  for (const name in input) {
    if (!Object.hasOwn(input, name)) {
      continue
    }
    const value = (input as Record<string, unknown>)[name]
    if (value === undefined) {
      continue
    }
    const column = columns.get(name)
    if (column === undefined) {
      problems.push({
        index,
        column: name.slice(0, 80),
        message: `column ${JSON.stringify(name.slice(0, 80))} does not exist in ${JSON.stringify(definition.name)}`,
      })
      continue
    }
    if (column.secret === true && !options.includeSecrets && value !== null) {
      problems.push({
        index,
        column: name,
        secret: true,
        message: `column ${JSON.stringify(name)} is secret: pass includeSecrets: true to import it (a full backup)`,
      })
      continue
    }
    const coerced = coerceImportValue(column, value, options.source)
    if (coerced.ok) {
      row[name] = coerced.value
    } else {
      problems.push({ index, column: name, message: coerced.message })
    }
  }
  for (const column of requiredColumns(definition)) {
    // Object.hasOwn: "constructor" is a valid column name, and `in` would find Object's.
    if (!Object.hasOwn(row, column.name) && !problems.some((p) => p.column === column.name)) {
      problems.push({
        index,
        column: column.name,
        message: `${JSON.stringify(column.name)} is required`,
      })
    }
  }
  return { row, problems }
}

const REQUIRED = new WeakMap<TableDefinition, ColumnDefinition[]>()

/** The columns a row must give: required or primary key, with no default. Cached per definition. */
function requiredColumns(definition: TableDefinition): ColumnDefinition[] {
  let required = REQUIRED.get(definition)
  if (required === undefined) {
    required = definition.columns.filter(
      (c) => (c.required === true || c.primary_key === true) && c.default === undefined,
    )
    REQUIRED.set(definition, required)
  }
  return required
}

/** Adds a coerced row to the group of rows that give the same columns. @internal */
export function addToGroups(
  prepared: PreparedImport,
  columns: ReadonlyMap<string, ColumnDefinition>,
  row: Record<string, unknown>,
  groupIndex: Map<string, number>,
): void {
  const names = Object.keys(row)
  const key = names.join(',')
  let at = groupIndex.get(key)
  if (at === undefined) {
    at = prepared.groups.length
    groupIndex.set(key, at)
    prepared.groups.push({ columns: names.map((n) => columns.get(n)!), rows: [] })
  }
  prepared.groups[at]!.rows.push(row)
  prepared.count++
}
