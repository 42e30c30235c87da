import {
  BaseboxError,
  FILTER_OPERATORS,
  MAX_FILTER_CONDITIONS,
  MAX_FILTER_DEPTH,
  type ColumnDefinition,
  type FilterOperator,
} from '@basebox/client'
import { sql, type RawBuilder } from 'kysely'
import { coerceValue, toParameter } from './coerce-value.js'
import { columnRef, requireColumn, sqlType, type TableContext } from './table-context.js'

const MAX_IN_VALUES = 1000

function invalid(message: string, path: (string | number)[]): BaseboxError {
  return new BaseboxError('VALIDATION_FAILED', `invalid filter: ${message}`, { details: { path } })
}

/**
 * Stands in a filter for one string or number value that the statement cache binds later (see
 * select-cache.ts): `index` is the value's place in the list its walk of the filter gives, so a
 * compiled statement finds each value by that place, whatever order the compiler meets them in.
 * The compiler takes it as the scalar it stands for and hands it to the binder. @internal
 */
export class ValueSlot {
  constructor(readonly index: number) {}
}

/** Whether a value is an object of named values (not an array, a date, a slot or null). @internal */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof ValueSlot)
  )
}

/** Whether a value is a `like`/`ilike` pattern: a string without NUL. @internal */
export function isPattern(value: unknown): value is string {
  return typeof value === 'string' && !value.includes('\u0000')
}

/**
 * How a filter's values become SQL: `value` for a value compared with a column (a typed
 * parameter), `pattern` for a `like`/`ilike` pattern (a text parameter). The statement cache
 * compiles a filter whose string and number values are {@link ValueSlot}s with a binder that
 * records what each slot holds.
 */
export interface FilterBinder {
  value(column: ColumnDefinition, value: unknown, path: (string | number)[]): RawBuilder<unknown>
  pattern(value: string | ValueSlot): unknown
}

const BIND: FilterBinder = {
  value: (column, value, path) => param(column, value, path),
  pattern: (value) => value,
}

/** A bound, typed parameter for a value compared with `column`. */
export function param(
  column: ColumnDefinition,
  value: unknown,
  path: (string | number)[],
): RawBuilder<unknown> {
  const coerced = coerceValue(column.type, value)
  if (!coerced.ok) {
    throw invalid(`${JSON.stringify(column.name)}: ${coerced.message}`, path)
  }
  return sql`cast(${toParameter(column.type, coerced.value)} as ${sqlType(column)})`
}

function compileOperator(
  ref: RawBuilder<unknown>,
  column: ColumnDefinition,
  operator: FilterOperator,
  value: unknown,
  path: (string | number)[],
  bind: FilterBinder,
): RawBuilder<unknown> {
  const at = [...path, operator]
  const ordered = () => {
    if (column.type === 'jsonb') {
      throw invalid(
        `operator "${operator}" does not apply to the jsonb column ${JSON.stringify(column.name)}`,
        at,
      )
    }
  }
  const notNull = () => {
    if (value === null || value === undefined) {
      throw invalid(`operator "${operator}" needs a value; use { is: null } to match nulls`, at)
    }
  }
  switch (operator) {
    case 'eq':
      notNull()
      return sql`${ref} = ${bind.value(column, value, at)}`
    case 'neq':
      notNull()
      return sql`${ref} <> ${bind.value(column, value, at)}`
    case 'gt':
      ordered()
      notNull()
      return sql`${ref} > ${bind.value(column, value, at)}`
    case 'gte':
      ordered()
      notNull()
      return sql`${ref} >= ${bind.value(column, value, at)}`
    case 'lt':
      ordered()
      notNull()
      return sql`${ref} < ${bind.value(column, value, at)}`
    case 'lte':
      ordered()
      notNull()
      return sql`${ref} <= ${bind.value(column, value, at)}`
    case 'in': {
      if (!Array.isArray(value)) {
        throw invalid('"in" takes an array of values', at)
      }
      if (value.length > MAX_IN_VALUES) {
        throw invalid(`"in" takes at most ${MAX_IN_VALUES} values`, at)
      }
      if (value.length === 0) {
        return sql`false`
      }
      return sql`${ref} in (${sql.join(
        value.map((v, i) => {
          if (v === null || v === undefined) {
            throw invalid('"in" cannot hold null; use { is: null }', [...at, i])
          }
          return bind.value(column, v, [...at, i])
        }),
      )})`
    }
    case 'like':
    case 'ilike':
      if (column.type !== 'text') {
        throw invalid(
          `operator "${operator}" applies to text columns only, not ${JSON.stringify(column.name)}`,
          at,
        )
      }
      if (!(value instanceof ValueSlot) && !isPattern(value)) {
        throw invalid(`operator "${operator}" takes a pattern string`, at)
      }
      return operator === 'like'
        ? sql`${ref} like ${bind.pattern(value)}`
        : sql`${ref} ilike ${bind.pattern(value)}`
    case 'is':
      if (value === null) {
        return sql`${ref} is null`
      }
      if (value === true || value === false) {
        if (column.type !== 'boolean') {
          throw invalid(`"is": ${String(value)} applies to boolean columns only`, at)
        }
        return value ? sql`${ref} is true` : sql`${ref} is false`
      }
      throw invalid('"is" takes null, true or false', at)
    case 'contains':
      if (column.type !== 'jsonb') {
        throw invalid(
          `operator "contains" applies to jsonb columns only, not ${JSON.stringify(column.name)}`,
          at,
        )
      }
      notNull()
      return sql`${ref} @> ${bind.value(column, value, at)}`
    default:
      return operator satisfies never
  }
}

interface FilterState {
  conditions: number
  bind: FilterBinder
}

function compileNode(
  table: TableContext,
  alias: string,
  filter: unknown,
  path: (string | number)[],
  depth: number,
  state: FilterState,
): RawBuilder<unknown>[] {
  if (!isPlainObject(filter)) {
    throw invalid('a filter must be an object', path)
  }
  if (depth > MAX_FILTER_DEPTH) {
    throw invalid(`filters nest at most ${MAX_FILTER_DEPTH} levels`, path)
  }
  const parts: RawBuilder<unknown>[] = []
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) {
      continue
    }
    const at = [...path, key]
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value) || value.length === 0) {
        throw invalid(`"${key}" takes a non-empty array of filters`, at)
      }
      const branches = value.map((branch, i) => {
        const inner = compileNode(table, alias, branch, [...at, i], depth + 1, state)
        return inner.length === 0 ? sql`true` : sql`(${sql.join(inner, sql` and `)})`
      })
      parts.push(sql`(${sql.join(branches, key === 'and' ? sql` and ` : sql` or `)})`)
      continue
    }
    if (key === 'not') {
      const inner = compileNode(table, alias, value, at, depth + 1, state)
      parts.push(inner.length === 0 ? sql`false` : sql`not (${sql.join(inner, sql` and `)})`)
      continue
    }
    const column = requireColumn(table, key, at, { purpose: 'filtered on' })
    const ref = columnRef(alias, column)
    const operators: [FilterOperator, unknown][] =
      isPlainObject(value) &&
      !(
        column.type === 'jsonb' &&
        !Object.keys(value).every((k) => (FILTER_OPERATORS as readonly string[]).includes(k))
      )
        ? Object.entries(value).map(([op, v]) => {
            if (!(FILTER_OPERATORS as readonly string[]).includes(op)) {
              throw invalid(
                `unknown operator ${JSON.stringify(op.slice(0, 40))}; use one of ${FILTER_OPERATORS.join(', ')}`,
                [...at, op],
              )
            }
            return [op as FilterOperator, v]
          })
        : [[value === null ? 'is' : 'eq', value]]
    if (operators.length === 0) {
      throw invalid(`no operator given for ${JSON.stringify(column.name)}`, at)
    }
    for (const [operator, operand] of operators) {
      state.conditions += 1
      if (state.conditions > MAX_FILTER_CONDITIONS) {
        throw invalid(`a filter holds at most ${MAX_FILTER_CONDITIONS} conditions`, path)
      }
      parts.push(compileOperator(ref, column, operator, operand, at, state.bind))
    }
  }
  return parts
}

/**
 * Compiles a filter (data, never SQL) into a WHERE expression over `alias`: every column is
 * checked against the definition (secret columns refused), every operator against the column
 * type, every value coerced and bound as a typed parameter. Returns `undefined` for an empty
 * filter.
 */
export function compileFilter(
  table: TableContext,
  alias: string,
  filter: unknown,
  bind: FilterBinder = BIND,
): RawBuilder<unknown> | undefined {
  if (filter === undefined || filter === null) {
    return undefined
  }
  const parts = compileNode(table, alias, filter, ['where'], 0, { conditions: 0, bind })
  return parts.length === 0 ? undefined : sql.join(parts, sql` and `)
}
