import {
  POSTGRES_TYPE_BY_COLUMN_TYPE,
  toDefaultFunction,
  type ColumnDefinition,
  type ColumnType,
} from '@basebox/client'
import { quoteIdentifier, quoteLiteral } from './identifier.js'

/** The Postgres type of a column type, from the allowlist only. */
export function columnTypeSQL(type: ColumnType): string {
  return POSTGRES_TYPE_BY_COLUMN_TYPE[type]
}

/**
 * The SQL of a column default: an allow-listed function, or a literal quoted for its type. The
 * value was validated against the column type before; quoting is the second line of defence.
 */
export function defaultSQL(column: Pick<ColumnDefinition, 'type' | 'default'>): string | undefined {
  const value = column.default
  if (value === undefined) {
    return undefined
  }
  if (value === null) {
    return 'null'
  }
  const fn =
    column.type === 'text' || column.type === 'jsonb' ? undefined : toDefaultFunction(value)
  if (fn !== undefined) {
    return fn
  }
  const type = columnTypeSQL(column.type)
  switch (column.type) {
    case 'text':
      return quoteLiteral(String(value))
    case 'boolean':
      return value === true ? 'true' : 'false'
    case 'jsonb':
      return `${quoteLiteral(JSON.stringify(value))}::jsonb`
    default:
      return `${quoteLiteral(String(value))}::${type}`
  }
}

const NUMERIC_TYPES: ReadonlySet<ColumnType> = new Set(['integer', 'bigint', 'numeric', 'double'])

/**
 * The expression that converts a value of type `from` (written `value`, already SQL) to `to`.
 * Used both in `ALTER COLUMN ... TYPE ... USING` and to find the rows that would not convert.
 */
export function conversionSQL(value: string, from: ColumnType, to: ColumnType): string {
  const type = columnTypeSQL(to)
  if (from === 'jsonb') {
    return to === 'text' ? `(${value} #>> '{}')` : `(${value} #>> '{}')::${type}`
  }
  if (to === 'jsonb') {
    return from === 'text' ? `${value}::jsonb` : `to_jsonb(${value})`
  }
  if (to === 'text') {
    return `${value}::text`
  }
  const direct =
    (NUMERIC_TYPES.has(from) && NUMERIC_TYPES.has(to)) ||
    (from === 'timestamptz' && to === 'date') ||
    (from === 'date' && to === 'timestamptz') ||
    (from === 'boolean' && to === 'integer') ||
    (from === 'integer' && to === 'boolean') ||
    from === 'text'
  return direct ? `${value}::${type}` : `${value}::text::${type}`
}

/** `"name" type [not null] [default ...]` for CREATE TABLE and ADD COLUMN. */
export function columnSQL(column: ColumnDefinition): string {
  const parts = [quoteIdentifier(column.name), columnTypeSQL(column.type)]
  if (column.required === true || column.primary_key === true) {
    parts.push('not null')
  }
  const fallback = defaultSQL(column)
  if (fallback !== undefined) {
    parts.push(`default ${fallback}`)
  }
  return parts.join(' ')
}
