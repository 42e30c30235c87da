import { parseError } from './errors.js'
import { parseCondition, parseLogical, type FilterNode } from './filters.js'
import { parseFieldRef, type FieldRef } from './select-tree.js'

/** One `order` item: `created_at.desc.nullslast`, `meta->>rank.asc`. */
export interface OrderItem {
  field: FieldRef
  direction: 'asc' | 'desc' | undefined
  nulls: 'first' | 'last' | undefined
}

/** What the query string asks of one table of the request: the root (path `''`) or an embed. */
export interface LevelOptions {
  filters: FilterNode[]
  order: OrderItem[] | undefined
  limit: number | undefined
  offset: number | undefined
}

/** Parameters that are not filters. */
const NOT_FILTERS = new Set(['select', 'columns', 'on_conflict'])

/** `order=created_at.desc.nullslast,title` */
export function parseOrder(order: string): OrderItem[] {
  return order.split(',').map((raw) => {
    const item = raw.trim()
    const [field, ...modifiers] = item.split('.')
    if (field === undefined || field === '' || field.includes('(')) {
      throw parseError(
        `"${item.slice(0, 80)}" is not an order item: column.asc|desc.nullsfirst|nullslast`,
      )
    }
    const out: OrderItem = { field: parseFieldRef(field), direction: undefined, nulls: undefined }
    for (const modifier of modifiers) {
      if (modifier === 'asc' || modifier === 'desc') {
        out.direction = modifier
      } else if (modifier === 'nullsfirst' || modifier === 'nullslast') {
        out.nulls = modifier === 'nullsfirst' ? 'first' : 'last'
      } else {
        throw parseError(`unknown order modifier "${modifier.slice(0, 40)}"`)
      }
    }
    return out
  })
}

function integer(value: string, name: string): number {
  if (!/^\d{1,9}$/.test(value)) {
    throw parseError(`"${name}" must be a non-negative integer`)
  }
  return Number(value)
}

/**
 * Sorts the query string's parameters by the table they are about: `title=eq.x` is the root's,
 * `comments.body=eq.x`, `comments.order=...`, `comments.limit=2` are the `comments` embed's
 * (keys are embed paths joined by `.`; the root is `''`).
 */
export function parseLevels(search: URLSearchParams): Map<string, LevelOptions> {
  const levels = new Map<string, LevelOptions>()
  const level = (path: string[]): LevelOptions => {
    const key = path.join('.')
    let found = levels.get(key)
    if (found === undefined) {
      found = { filters: [], order: undefined, limit: undefined, offset: undefined }
      levels.set(key, found)
    }
    return found
  }
  for (const [key, value] of search) {
    if (NOT_FILTERS.has(key)) {
      continue
    }
    const segments = key.split('.')
    const last = segments[segments.length - 1]!
    if (
      segments.length >= 2 &&
      segments[segments.length - 2] === 'not' &&
      (last === 'or' || last === 'and')
    ) {
      level(segments.slice(0, -2)).filters.push(parseLogical(last, true, value))
      continue
    }
    const target = level(segments.slice(0, -1))
    switch (last) {
      case 'order':
        target.order = parseOrder(value)
        break
      case 'limit':
        target.limit = integer(value, key)
        break
      case 'offset':
        target.offset = integer(value, key)
        break
      case 'or':
      case 'and':
        target.filters.push(parseLogical(last, false, value))
        break
      default:
        target.filters.push(parseCondition(last, value))
    }
  }
  return levels
}
