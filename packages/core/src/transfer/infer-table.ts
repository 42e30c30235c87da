import {
  isDateString,
  isIdentifier,
  isTimestampString,
  isUUIDString,
  MAX_IDENTIFIER_BYTES,
  parseTableDefinition,
  SYSTEM_COLUMN_NAMES,
  type ColumnDefinition,
  type ColumnType,
  type TableDefinition,
} from '@basebox/client'

/** A table definition inferred from CSV data, and which CSV column fills which table column. */
export interface InferredTable {
  definition: TableDefinition
  /** For each CSV column in order: its header and the table column it fills. */
  columns: { header: string; column: string }[]
}

const INTEGER = /^[+-]?\d+$/
const DECIMAL = /^[+-]?(?:\d+\.\d*|\.\d+|\d+)$/
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i
const BOOLEAN = new Set(['true', 'false', 't', 'f', 'yes', 'no', 'y', 'n'])
const INT32 = [-2147483648n, 2147483647n] as const
const INT64 = [-(2n ** 63n), 2n ** 63n - 1n] as const

// A leading zero means a code ("007", "01234"), not a number: keep it as text.
function hasLeadingZero(value: string): boolean {
  return /^[+-]?0\d/.test(value)
}

function inRange(value: string, [min, max]: readonly [bigint, bigint]): boolean {
  const n = BigInt(value)
  return n >= min && n <= max
}

function isJSONText(value: string): boolean {
  if (!/^\s*[[{]/.test(value)) {
    return false
  }
  try {
    JSON.parse(value)
    return true
  } catch {
    return false
  }
}

/** The candidate types, narrowest first: the first that every value fits is chosen. */
const CANDIDATES: { type: ColumnType; fits: (value: string) => boolean }[] = [
  { type: 'boolean', fits: (v) => BOOLEAN.has(v.toLowerCase()) },
  { type: 'integer', fits: (v) => INTEGER.test(v) && !hasLeadingZero(v) && inRange(v, INT32) },
  { type: 'bigint', fits: (v) => INTEGER.test(v) && !hasLeadingZero(v) && inRange(v, INT64) },
  { type: 'numeric', fits: (v) => DECIMAL.test(v) && !hasLeadingZero(v) },
  {
    type: 'double',
    fits: (v) => FLOAT.test(v) && !hasLeadingZero(v) && Number.isFinite(Number(v)),
  },
  { type: 'date', fits: isDateString },
  { type: 'timestamptz', fits: isTimestampString },
  { type: 'uuid', fits: isUUIDString },
  { type: 'jsonb', fits: isJSONText },
]

/** The type every value fits (values trimmed; text when nothing narrower fits or all are empty). */
export function inferColumnType(values: Iterable<string>): ColumnType {
  let candidates = CANDIDATES
  let any = false
  for (const raw of values) {
    const value = raw.trim()
    any = true
    if (value === '') {
      return 'text'
    }
    candidates = candidates.filter((c) => c.fits(value))
    if (candidates.length === 0) {
      return 'text'
    }
  }
  return any ? candidates[0]!.type : 'text'
}

/**
 * A valid, unused column name for a CSV header: lower case, accents dropped, anything else
 * turned into `_`, a letter first, not a reserved word, at most 63 bytes.
 */
export function toColumnName(header: string, taken: ReadonlySet<string>, position: number): string {
  let name = header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '')
  if (name === '') {
    name = `column_${position + 1}`
  }
  if (!/^[a-z]/.test(name)) {
    name = `c_${name}`
  }
  name = name.slice(0, MAX_IDENTIFIER_BYTES - 4)
  if (!isIdentifier(name) || SYSTEM_COLUMN_NAMES.has(name)) {
    name = `${name}_`
  }
  let unique = name
  for (let n = 2; taken.has(unique); n++) {
    unique = `${name}_${n}`
  }
  return unique
}

/**
 * Infers a table definition from CSV data: a column per header with the narrowest type every
 * value fits (integer, bigint, numeric, double, boolean, date, timestamptz, uuid, jsonb, else
 * text), `required` when no value is empty. A column named `id` with distinct values of a key
 * type becomes the primary key; otherwise an `id uuid` key with a generated default is added
 * first. `null` fields (empty and unquoted) count as empty.
 *
 * ### Examples
 *
 * ```ts
 * const { definition } = inferTableDefinition('people', ['Name', 'Age'], [['Ada', '36'], ['Linus', null]])
 * // columns: id uuid primary key, name text required, age integer
 * ```
 */
export function inferTableDefinition(
  table: string,
  header: readonly string[],
  rows: readonly (readonly (string | null)[])[],
): InferredTable {
  const taken = new Set<string>()
  const columns: ColumnDefinition[] = header.map((title, i) => {
    const name = toColumnName(title, taken, i)
    taken.add(name)
    const present = rows.map((r) => r[i] ?? null).filter((v): v is string => v !== null)
    const column: ColumnDefinition = { name, type: inferColumnType(present) }
    if (rows.length > 0 && present.length === rows.length) {
      column.required = true
    }
    return column
  })
  const mapping = header.map((title, i) => ({ header: title, column: columns[i]!.name }))
  const idAt = columns.findIndex((c) => c.name === 'id')
  const id = columns[idAt]
  const idValues = rows.map((r) => r[idAt]?.trim() ?? null)
  const keyLike =
    id !== undefined &&
    ['integer', 'bigint', 'uuid', 'text'].includes(id.type) &&
    rows.length > 0 &&
    idValues.every((v) => v !== null && v !== '') &&
    new Set(idValues.map((v) => (id.type === 'uuid' ? v!.toLowerCase() : v))).size ===
      idValues.length
  if (keyLike) {
    id.primary_key = true
    delete id.required
  } else {
    const key = toColumnName(id === undefined ? 'id' : 'row_id', taken, 0)
    columns.unshift({ name: key, type: 'uuid', primary_key: true, default: 'gen_random_uuid()' })
  }
  return { definition: parseTableDefinition({ name: table, columns }), columns: mapping }
}
