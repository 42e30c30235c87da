import { isBaseboxError, type ColumnDefinition, type ColumnType } from '@basebox/client'

/** What parsing a user's input gave: the value to send, or why it is not one. */
export type ParsedInput = { ok: true; value: unknown } | { ok: false; message: string }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * Reads a number the way people type or paste it, whatever the locale: `1,234.5`, `1.234,5`,
 * `1 234,5` and `1234.5` are all 1234.5; a lone comma is a decimal comma (`3,5` is 3.5) unless
 * it groups exactly three digits in an integer-looking text (`1,234`). Returns the canonical
 * text (`-1234.5`), or `undefined` when it is not a number.
 */
export function normalizeNumberText(input: string): string | undefined {
  let text = input.trim().replace(/[\s\u00a0\u202f']/g, '')
  if (text === '') {
    return undefined
  }
  const sign = text.startsWith('-') ? '-' : ''
  text = text.replace(/^[+-]/, '')
  const commas = (text.match(/,/g) ?? []).length
  const dots = (text.match(/\./g) ?? []).length
  if (commas > 0 && dots > 0) {
    // The last separator is the decimal one; the other groups.
    const decimal = text.lastIndexOf(',') > text.lastIndexOf('.') ? ',' : '.'
    const group = decimal === ',' ? '.' : ','
    text = text.split(group).join('').replace(decimal, '.')
  } else if (commas > 1) {
    text = text.split(',').join('')
  } else if (commas === 1) {
    text = /^\d{1,3},\d{3}$/.test(text) ? text.replace(',', '') : text.replace(',', '.')
  } else if (dots > 1) {
    text = text.split('.').join('')
  }
  if (!/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) {
    return undefined
  }
  return `${sign}${text}`
}

function isRealDate(text: string): boolean {
  const match = DATE.exec(text)
  if (match === null) {
    return false
  }
  const [, y, m, d] = match.map(Number) as [number, number, number, number]
  const date = new Date(Date.UTC(y, m - 1, d))
  return (
    y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
  )
}

/**
 * Turns what a user typed (or pasted from a spreadsheet) into the value of a column, or says why
 * it cannot be one. An empty input is `null`. The engine checks again; this only catches what is
 * surely wrong before anything is sent.
 */
export function parseInput(
  column: Pick<ColumnDefinition, 'type' | 'required'>,
  input: string,
): ParsedInput {
  const text = column.type === 'text' ? input : input.trim()
  if (text === '' && column.type !== 'text') {
    return column.required
      ? { ok: false, message: 'a value is required' }
      : { ok: true, value: null }
  }
  switch (column.type) {
    case 'text':
      return text === '' && column.required
        ? { ok: false, message: 'a value is required' }
        : { ok: true, value: text }
    case 'uuid':
      return UUID.test(text)
        ? { ok: true, value: text.toLowerCase() }
        : { ok: false, message: 'expected a UUID' }
    case 'integer':
    case 'bigint': {
      // In a whole-number column, a dot or comma before exactly three digits groups them, in
      // every locale (`1.234` and `1,234` are both 1234).
      const grouped = /^[+-]?\d{1,3}([.,\s\u00a0\u202f']\d{3})+$/.test(text)
        ? text.replace(/[.,\s\u00a0\u202f']/g, '')
        : text
      const normal = normalizeNumberText(grouped)
      if (normal === undefined || !/^-?\d+$/.test(normal)) {
        return { ok: false, message: 'expected a whole number' }
      }
      if (column.type === 'integer') {
        const n = Number(normal)
        return n >= -2147483648 && n <= 2147483647
          ? { ok: true, value: n }
          : { ok: false, message: 'out of range for an integer' }
      }
      const n = BigInt(normal)
      return n >= -(2n ** 63n) && n < 2n ** 63n
        ? { ok: true, value: normal }
        : { ok: false, message: 'out of range for a bigint' }
    }
    case 'numeric': {
      const normal = normalizeNumberText(text)
      return normal === undefined
        ? { ok: false, message: 'expected a number' }
        : { ok: true, value: normal }
    }
    case 'double': {
      const normal = normalizeNumberText(text)
      const n = normal === undefined ? Number.NaN : Number(normal)
      return Number.isFinite(n)
        ? { ok: true, value: n }
        : { ok: false, message: 'expected a number' }
    }
    case 'boolean': {
      const lower = text.toLowerCase()
      if (['true', 't', 'yes', 'y', '1', 'on', '✓'].includes(lower)) {
        return { ok: true, value: true }
      }
      if (['false', 'f', 'no', 'n', '0', 'off'].includes(lower)) {
        return { ok: true, value: false }
      }
      return { ok: false, message: 'expected true or false' }
    }
    case 'date':
      return isRealDate(text)
        ? { ok: true, value: text }
        : { ok: false, message: 'expected a date written YYYY-MM-DD' }
    case 'timestamptz': {
      // A timestamp without an offset is read in the browser's time zone, as a picker shows it.
      const withT = text.replace(' ', 'T')
      const ms = Date.parse(withT)
      if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms)) {
        return { ok: false, message: 'expected a date and time, e.g. 2024-01-31 14:30' }
      }
      return { ok: true, value: new Date(ms).toISOString() }
    }
    case 'jsonb':
      try {
        return { ok: true, value: JSON.parse(text) as unknown }
      } catch (error) {
        return {
          ok: false,
          message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}`,
        }
      }
    default:
      column.type satisfies never
      return { ok: false, message: 'unknown column type' }
  }
}

/**
 * The text of a stored value as a cell shows it and a copy puts it on the clipboard: `null` is
 * empty, JSON is compact JSON, timestamps stay ISO 8601 (the grid's renderer shows them in the
 * viewer's time zone). `parseInput(column, formatValue(column, v))` gives `v` back.
 */
export function formatValue(column: Pick<ColumnDefinition, 'type'>, value: unknown): string {
  if (value === null || value === undefined) {
    return ''
  }
  if (column.type === 'jsonb') {
    return JSON.stringify(value)
  }
  return String(value)
}

/** The short label of a column type shown in headers and forms. */
export const COLUMN_TYPE_LABELS: Record<ColumnType, string> = {
  uuid: 'uuid',
  text: 'text',
  integer: 'int4',
  bigint: 'int8',
  numeric: 'numeric',
  double: 'float8',
  boolean: 'bool',
  date: 'date',
  timestamptz: 'timestamptz',
  jsonb: 'jsonb',
}

/** One problem of a failed write, placed at a row (index in the write) and a column when known. */
export interface FieldError {
  /** The row's index in the write (`rows[i]`), when the error names one. */
  row?: number
  /** The column, when the error names one. */
  column?: string
  message: string
}

/**
 * Places the engine's typed errors at their cells or form fields: `VALIDATION_FAILED` issues at
 * `['rows', i, column]` or `['patch', column]`, and unique, reference and required violations
 * by their `details.column`. An error that names no column gives one entry without `column`.
 */
export function fieldErrors(error: unknown): FieldError[] {
  if (!isBaseboxError(error)) {
    return [{ message: error instanceof Error ? error.message : String(error) }]
  }
  const details = error.details ?? {}
  const issues = Array.isArray(details.issues)
    ? (details.issues as { path?: unknown[]; message?: string }[])
    : []
  const placed: FieldError[] = []
  for (const issue of issues) {
    const path = Array.isArray(issue.path) ? issue.path : []
    const message = String(issue.message ?? error.message).replace(
      /^row \d+, column "[^"]*": |^column "[^"]*": /,
      '',
    )
    if (path[0] === 'rows' && typeof path[1] === 'number') {
      placed.push({
        row: path[1],
        ...(typeof path[2] === 'string' ? { column: path[2] } : {}),
        message,
      })
    } else if (path[0] === 'patch' && typeof path[1] === 'string') {
      placed.push({ column: path[1], message })
    } else if (typeof path[path.length - 1] === 'string' && path.length === 1) {
      placed.push({ column: path[0] as string, message })
    }
  }
  if (placed.length > 0) {
    return placed
  }
  if (typeof details.column === 'string') {
    return [{ column: details.column, message: error.message }]
  }
  return [{ message: error.message }]
}
