/**
 * What the drivers' atomic batches share: how a JavaScript value travels as a text parameter,
 * how a text column comes back, and the error that says which statement of a batch failed.
 *
 * Batches send every parameter in text format with an unspecified type (as node-postgres
 * does), so Postgres infers each type from the statement; the engine's statements cast their
 * values (`cast($1 as integer)`), so nothing depends on the guess.
 */

/** Why an atomic batch failed: the statement at `index` raised `cause` (a Postgres error). */
export class BatchStatementError extends Error {
  readonly index: number
  override readonly cause: unknown

  constructor(index: number, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause))
    this.name = 'BatchStatementError'
    this.index = index
    this.cause = cause
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** Bytes as Postgres writes a bytea in text (`\x` and two hex digits a byte): the one encoder. @internal */
export function byteaText(bytes: Uint8Array): string {
  let out = '\\x'
  for (let i = 0; i < bytes.length; i++) {
    out += HEX[bytes[i]!]
  }
  return out
}

function arrayElement(value: unknown): string {
  if (value === null || value === undefined) {
    return 'NULL'
  }
  if (Array.isArray(value)) {
    return arrayLiteral(value)
  }
  const text = toTextParameter(value)!
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

function arrayLiteral(values: readonly unknown[]): string {
  return `{${values.map(arrayElement).join(',')}}`
}

/**
 * A JavaScript value as a Postgres text parameter (`null` for SQL NULL): strings as they are,
 * numbers and booleans as Postgres reads them, dates in ISO 8601 with their zone, bytes as
 * `bytea` hex, arrays as array literals, other objects as JSON.
 */
export function toTextParameter(value: unknown): string | null {
  if (value === null || value === undefined) {
    return null
  }
  switch (typeof value) {
    case 'string':
      return value
    case 'number':
    case 'bigint':
      return String(value)
    case 'boolean':
      return value ? 'true' : 'false'
    default:
      break
  }
  if (value instanceof Date) {
    return value.toISOString()
  }
  if (value instanceof Uint8Array) {
    return byteaText(value)
  }
  if (Array.isArray(value)) {
    return arrayLiteral(value)
  }
  return JSON.stringify(value)
}

const BOOL = 16
const INT8 = 20
const INT2 = 21
const INT4 = 23
const OID = 26
const JSON_ = 114
const FLOAT4 = 700
const FLOAT8 = 701
const JSONB = 3802

/**
 * A text-format column value as JavaScript, as node-postgres returns it by default: JSON
 * parsed, booleans and 2/4-byte integers and floats as numbers (NaN and infinities as their
 * text, as in JSON), `bigint` and `numeric` as strings (they may not fit a number), everything
 * else as its text.
 */
export function fromTextValue(dataTypeID: number, text: string | null): unknown {
  if (text === null) {
    return null
  }
  switch (dataTypeID) {
    case JSON_:
    case JSONB:
      return JSON.parse(text)
    case BOOL:
      return text === 't'
    case INT2:
    case INT4:
    case OID:
      return Number(text)
    case FLOAT4:
    case FLOAT8: {
      // NaN and ±Infinity stay text, as Postgres writes them in JSON (`to_json('NaN'::float8)`).
      const n = Number(text)
      return Number.isFinite(n) ? n : text
    }
    case INT8:
    default:
      return text
  }
}

/** Builds row objects from column names, type ids and text values. */
export function rowFromText(
  fields: readonly { name: string; dataTypeID: number }[],
  values: readonly (string | null)[],
): Record<string, unknown> {
  const row: Record<string, unknown> = {}
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!
    row[field.name] = fromTextValue(field.dataTypeID, values[i] ?? null)
  }
  return row
}
