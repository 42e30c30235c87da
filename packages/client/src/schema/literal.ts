import type { ColumnType } from './column-type.js'

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/
const TIMESTAMP_PATTERN =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i
const INTEGER_STRING = /^[+-]?\d+$/
const DECIMAL_STRING = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i
const INT32_MIN = -2147483648
const INT32_MAX = 2147483647
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** Whether `value` is a calendar date written `YYYY-MM-DD`. */
export function isDateString(value: string): boolean {
  const match = DATE_PATTERN.exec(value)
  if (match === null) {
    return false
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (year < 1) {
    // Postgres has no year 0 (1 BC comes before 1 AD).
    return false
  }
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  )
}

/** Whether `value` is an ISO 8601 timestamp Postgres reads as `timestamptz`. */
export function isTimestampString(value: string): boolean {
  return (
    TIMESTAMP_PATTERN.test(value) &&
    isDateString(value.slice(0, 10)) &&
    !Number.isNaN(Date.parse(value.replace(' ', 'T').replace(/(t[\d:.]+[+-]\d{2})$/i, '$1:00')))
  )
}

/** Whether `value` is a UUID in its canonical text form. */
export function isUUIDString(value: string): boolean {
  return UUID_PATTERN.test(value)
}

/**
 * Why `value` cannot be stored in a column of `type`, or `undefined` when it can. Strict: no
 * coercion from strings except where the type's natural JSON form is a string (bigint and
 * numeric accept digit strings, as JSON numbers lose precision).
 */
export function literalProblem(type: ColumnType, value: unknown): string | undefined {
  switch (type) {
    case 'uuid':
      return typeof value === 'string' && isUUIDString(value) ? undefined : 'expected a UUID'
    case 'text':
      if (typeof value !== 'string') {
        return 'expected a string'
      }
      return value.includes('\u0000') ? 'text cannot contain the NUL character' : undefined
    case 'integer':
      return typeof value === 'number' &&
        Number.isInteger(value) &&
        value >= INT32_MIN &&
        value <= INT32_MAX
        ? undefined
        : 'expected an integer between -2147483648 and 2147483647'
    case 'bigint': {
      const big =
        typeof value === 'number' && Number.isSafeInteger(value)
          ? BigInt(value)
          : typeof value === 'bigint'
            ? value
            : typeof value === 'string' && INTEGER_STRING.test(value)
              ? BigInt(value)
              : undefined
      return big !== undefined && big >= INT64_MIN && big <= INT64_MAX
        ? undefined
        : 'expected a 64-bit integer (a number or a string of digits)'
    }
    case 'numeric':
      return (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'string' && DECIMAL_STRING.test(value))
        ? undefined
        : 'expected a decimal number (a number or a string of digits)'
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'expected a number'
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected true or false'
    case 'date':
      return typeof value === 'string' && isDateString(value)
        ? undefined
        : 'expected a date written YYYY-MM-DD'
    case 'timestamptz':
      return typeof value === 'string' && isTimestampString(value)
        ? undefined
        : 'expected an ISO 8601 timestamp'
    case 'jsonb':
      return isJSONValue(value, 0) ? undefined : 'expected a JSON value'
    default:
      return type satisfies never
  }
}

function isJSONValue(value: unknown, depth: number): boolean {
  if (depth > 64) {
    return false
  }
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return typeof value !== 'string' || !value.includes('\u0000')
  }
  if (typeof value === 'number') {
    return Number.isFinite(value)
  }
  if (Array.isArray(value)) {
    return value.every((item) => isJSONValue(item, depth + 1))
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.entries(value).every(
      ([key, item]) => !key.includes('\u0000') && isJSONValue(item, depth + 1),
    )
  }
  return false
}
