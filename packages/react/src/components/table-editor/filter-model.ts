import {
  FILTER_OPERATORS,
  type ColumnDefinition,
  type Filter,
  type FilterOperator,
} from '@basebox/client'
import { formatValue, parseInput } from '../../values/values.js'

/** One condition of the filter builder: a column, an engine operator and the value as typed. */
export interface FilterCondition {
  kind: 'condition'
  id: string
  column: string
  operator: FilterOperator
  /** The value as the user typed it (`in`: comma-separated; `is`: `null`, `true` or `false`). */
  value: string
}

/** A group of conditions (and nested groups) joined by `and` or `or`. */
export interface FilterGroup {
  kind: 'group'
  id: string
  join: 'and' | 'or'
  items: (FilterCondition | FilterGroup)[]
}

/** The labels of {@link FILTER_OPERATORS} in the builder. */
export const FILTER_OPERATOR_LABELS: Record<FilterOperator, string> = {
  eq: '=',
  neq: '≠',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  in: 'in',
  like: 'like',
  ilike: 'ilike',
  is: 'is',
  contains: 'contains',
}

/** The operators that make sense for a column type (all are the engine's {@link FILTER_OPERATORS}). */
export function operatorsFor(column: Pick<ColumnDefinition, 'type'>): FilterOperator[] {
  switch (column.type) {
    case 'text':
      return ['eq', 'neq', 'ilike', 'like', 'in', 'gt', 'gte', 'lt', 'lte', 'is']
    case 'boolean':
      return ['eq', 'neq', 'is']
    case 'jsonb':
      return ['contains', 'is']
    case 'uuid':
      return ['eq', 'neq', 'in', 'is']
    default:
      return FILTER_OPERATORS.filter((op) => op !== 'like' && op !== 'ilike' && op !== 'contains')
  }
}

let nextId = 0

/** A fresh id for a chip. */
export function newFilterId(): string {
  nextId += 1
  return `f${nextId}`
}

/** An empty top-level group. */
export function emptyFilterGroup(): FilterGroup {
  return { kind: 'group', id: 'root', join: 'and', items: [] }
}

/** Why a condition's value cannot be sent. */
export interface ConditionProblem {
  id: string
  message: string
}

function conditionValue(
  condition: FilterCondition,
  column: ColumnDefinition,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const loose = { ...column, required: false }
  switch (condition.operator) {
    case 'is': {
      const text = condition.value.trim().toLowerCase()
      if (text === 'null' || text === '') {
        return { ok: true, value: null }
      }
      if (text === 'true' || text === 'false') {
        return { ok: true, value: text === 'true' }
      }
      return { ok: false, message: 'is takes null, true or false' }
    }
    case 'like':
    case 'ilike':
      return { ok: true, value: condition.value }
    case 'contains':
      if (column.type === 'jsonb') {
        return parseInput(loose, condition.value)
      }
      return { ok: true, value: condition.value }
    case 'in': {
      const values: unknown[] = []
      for (const part of condition.value.split(',')) {
        const parsed = parseInput(loose, column.type === 'text' ? part.trim() : part)
        if (!parsed.ok) {
          return { ok: false, message: `${JSON.stringify(part.trim())}: ${parsed.message}` }
        }
        values.push(parsed.value)
      }
      return { ok: true, value: values }
    }
    default: {
      const parsed = parseInput(loose, condition.value)
      if (parsed.ok && parsed.value === null) {
        return { ok: false, message: 'a value is needed (use "is null" for empty)' }
      }
      return parsed
    }
  }
}

/**
 * The engine {@link Filter} of a builder group: each condition becomes `{ column: { op: value } }`,
 * groups become `and`/`or` arrays. Values are parsed per column type first; a condition that
 * does not parse is reported and nothing is sent. An empty group gives `{}`.
 */
export function groupToFilter(
  group: FilterGroup,
  columns: readonly ColumnDefinition[],
): { ok: true; filter: Filter } | { ok: false; problems: ConditionProblem[] } {
  const problems: ConditionProblem[] = []
  const build = (g: FilterGroup): Filter | undefined => {
    const parts: Filter[] = []
    for (const item of g.items) {
      if (item.kind === 'group') {
        const sub = build(item)
        if (sub !== undefined) {
          parts.push(sub)
        }
        continue
      }
      const column = columns.find((c) => c.name === item.column)
      if (column === undefined) {
        problems.push({ id: item.id, message: `no column ${JSON.stringify(item.column)}` })
        continue
      }
      const value = conditionValue(item, column)
      if (!value.ok) {
        problems.push({ id: item.id, message: value.message })
        continue
      }
      parts.push({ [item.column]: { [item.operator]: value.value } })
    }
    if (parts.length === 0) {
      return undefined
    }
    if (parts.length === 1) {
      return parts[0]
    }
    return { [g.join]: parts }
  }
  const filter = build(group) ?? {}
  return problems.length > 0 ? { ok: false, problems } : { ok: true, filter }
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0 &&
    Object.keys(value).every((key) => (FILTER_OPERATORS as readonly string[]).includes(key))
  )
}

function valueText(
  column: ColumnDefinition | undefined,
  operator: FilterOperator,
  value: unknown,
): string {
  if (operator === 'is') {
    return value === null ? 'null' : String(value)
  }
  if (operator === 'in' && Array.isArray(value)) {
    return value.map((v) => (column === undefined ? String(v) : formatValue(column, v))).join(', ')
  }
  if (column === undefined || typeof value !== 'string' || column.type === 'jsonb') {
    return column === undefined ? String(value) : formatValue(column, value)
  }
  return value
}

/**
 * The builder group of an engine {@link Filter} (the inverse of {@link groupToFilter}): column
 * keys become conditions (a bare value is `eq`), `and`/`or` arrays become groups. `not` has no
 * chip and is refused with `undefined`.
 */
export function filterToGroup(
  filter: Filter,
  columns: readonly ColumnDefinition[],
): FilterGroup | undefined {
  const read = (f: Filter, join: 'and' | 'or', id: string): FilterGroup | undefined => {
    const items: (FilterCondition | FilterGroup)[] = []
    for (const [key, value] of Object.entries(f)) {
      if (key === 'not') {
        return undefined
      }
      if (key === 'and' || key === 'or') {
        if (!Array.isArray(value)) {
          return undefined
        }
        const subs: (FilterCondition | FilterGroup)[] = []
        for (const sub of value as Filter[]) {
          const g = read(sub, 'and', newFilterId())
          if (g === undefined) {
            return undefined
          }
          subs.push(...(g.items.length === 1 ? g.items : [g]))
        }
        if (Object.keys(f).length === 1 && items.length === 0) {
          return { kind: 'group', id, join: key, items: subs }
        }
        items.push({ kind: 'group', id: newFilterId(), join: key, items: subs })
        continue
      }
      const column = columns.find((c) => c.name === key)
      const ops = isOperatorObject(value) ? value : { eq: value }
      for (const [op, v] of Object.entries(ops)) {
        items.push({
          kind: 'condition',
          id: newFilterId(),
          column: key,
          operator: op as FilterOperator,
          value: valueText(column, op as FilterOperator, v),
        })
      }
    }
    return { kind: 'group', id, join, items }
  }
  return read(filter, 'and', 'root')
}

/** A chip's text: `title ilike %pg%`, or a group's conditions joined by its `and`/`or`. */
export function chipLabel(item: FilterCondition | FilterGroup): string {
  if (item.kind === 'condition') {
    return `${item.column} ${FILTER_OPERATOR_LABELS[item.operator]} ${item.value}`.trim()
  }
  return `(${item.items.map(chipLabel).join(` ${item.join} `)})`
}

/**
 * The filter of the quick search box: an `or` of `ilike '%text%'` over the text columns (with
 * `%`, `_` and `\` in the text escaped), or `undefined` for an empty search or no text column.
 */
export function quickSearchFilter(
  text: string,
  columns: readonly Pick<ColumnDefinition, 'name' | 'type' | 'secret'>[],
): Filter | undefined {
  const trimmed = text.trim()
  const textColumns = columns.filter((c) => c.type === 'text' && c.secret !== true)
  if (trimmed === '' || textColumns.length === 0) {
    return undefined
  }
  const pattern = `%${trimmed.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
  const parts = textColumns.map((c) => ({ [c.name]: { ilike: pattern } }))
  return parts.length === 1 ? parts[0] : { or: parts }
}

/** Both filters together (`and`), leaving out the empty ones. */
export function combineFilters(...filters: (Filter | undefined)[]): Filter | undefined {
  const parts = filters.filter((f): f is Filter => f !== undefined && Object.keys(f).length > 0)
  if (parts.length === 0) {
    return undefined
  }
  return parts.length === 1 ? parts[0] : { and: parts }
}
