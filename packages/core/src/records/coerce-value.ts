import {
  isDateString,
  isTimestampString,
  isUUIDString,
  literalProblem,
  type ColumnDefinition,
  type ColumnType,
} from '@basebox/client'

/** The result of coercing one value: the parameter to bind, or why it does not fit. */
export type Coerced = { ok: true; value: unknown } | { ok: false; message: string }

const TRUE_STRINGS = new Set(['true', 't', '1', 'yes', 'y', 'on'])
const FALSE_STRINGS = new Set(['false', 'f', '0', 'no', 'n', 'off'])
const NUMBER_STRING = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$/i

// Dates from year 1 to 9999: what ISO 8601 writes with four digits and Postgres reads back.
function isStorableDate(value: Date): boolean {
  const year = value.getUTCFullYear()
  return !Number.isNaN(value.getTime()) && year >= 1 && year <= 9999
}

function fail(message: string): Coerced {
  return { ok: false, message }
}

/**
 * Checks a value against a column type and turns it into the parameter Basebox binds for it,
 * coercing strings the way a form or a CSV file sends them ("42", "true", "2024-01-31",
 * '{"a":1}'). bigint and numeric become strings so no precision is lost; jsonb stays a JSON
 * value (see {@link toParameter}); dates and timestamps become ISO strings. `null` is returned as is (the caller decides
 * whether the column may be null).
 */
export function coerceValue(type: ColumnType, value: unknown): Coerced {
  if (value === null) {
    return { ok: true, value: null }
  }
  switch (type) {
    case 'uuid':
      return typeof value === 'string' && isUUIDString(value.trim())
        ? { ok: true, value: value.trim().toLowerCase() }
        : fail('expected a UUID')
    case 'text':
      if (typeof value === 'number' || typeof value === 'boolean') {
        return { ok: true, value: String(value) }
      }
      if (typeof value !== 'string') {
        return fail('expected a string')
      }
      return value.includes('\u0000')
        ? fail('text cannot contain the NUL character')
        : { ok: true, value }
    case 'integer':
    case 'double': {
      const n = typeof value === 'string' && NUMBER_STRING.test(value) ? Number(value) : value
      const problem = literalProblem(type, n)
      return problem === undefined ? { ok: true, value: n } : fail(problem)
    }
    case 'bigint':
    case 'numeric': {
      const text =
        typeof value === 'string'
          ? value.trim()
          : typeof value === 'bigint'
            ? value.toString()
            : value
      const problem = literalProblem(type, text)
      return problem === undefined ? { ok: true, value: String(text) } : fail(problem)
    }
    case 'boolean':
      if (typeof value === 'boolean') {
        return { ok: true, value }
      }
      if (typeof value === 'string') {
        const lower = value.trim().toLowerCase()
        if (TRUE_STRINGS.has(lower)) {
          return { ok: true, value: true }
        }
        if (FALSE_STRINGS.has(lower)) {
          return { ok: true, value: false }
        }
      }
      if (value === 0 || value === 1) {
        return { ok: true, value: value === 1 }
      }
      return fail('expected true or false')
    case 'date':
      if (value instanceof Date) {
        return !isStorableDate(value)
          ? fail('invalid date')
          : { ok: true, value: value.toISOString().slice(0, 10) }
      }
      return typeof value === 'string' && isDateString(value.trim())
        ? { ok: true, value: value.trim() }
        : fail('expected a date written YYYY-MM-DD')
    case 'timestamptz':
      if (value instanceof Date) {
        return !isStorableDate(value)
          ? fail('invalid timestamp')
          : { ok: true, value: value.toISOString() }
      }
      return typeof value === 'string' && isTimestampString(value.trim())
        ? { ok: true, value: value.trim() }
        : fail('expected an ISO 8601 timestamp')
    case 'jsonb': {
      let json = value
      if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
        try {
          json = JSON.parse(value)
        } catch {
          return fail('expected JSON')
        }
      }
      const problem = literalProblem('jsonb', json)
      return problem === undefined ? { ok: true, value: json } : fail(problem)
    }
    default:
      return type satisfies never
  }
}

/** {@link coerceValue} for a column, refusing `null` for required columns. */
export function coerceColumnValue(column: ColumnDefinition, value: unknown): Coerced {
  if (value === null && (column.required === true || column.primary_key === true)) {
    return fail(`${JSON.stringify(column.name)} is required`)
  }
  if (value === undefined) {
    return fail('a value is missing')
  }
  return coerceValue(column.type, value)
}

/** The parameter bound for a coerced value: jsonb travels as JSON text, the rest as is. */
export function toParameter(type: ColumnType, value: unknown): unknown {
  return type === 'jsonb' && value !== null ? JSON.stringify(value) : value
}
