import { MAX_LIMIT, type SelectQuery } from '@basebox/client'

/**
 * The common case of `SelectQuerySchema.parse`, without zod. A read by id spent about as much
 * time in zod as in the rest of compiling its statement; most queries are small objects of
 * strings and numbers that a few `typeof` checks settle.
 *
 * Returns what `SelectQuerySchema.parse(input)` returns when the input is certainly valid, and
 * `undefined` whenever anything is unusual (a cursor, an unknown key, a value out of range, an
 * object that is not plain): the caller then parses with zod, which gives the errors. So this
 * never accepts what zod refuses (a property test compares the two).
 * @internal
 */
export function fastSelectQuery(input: unknown): SelectQuery | undefined {
  if (input === undefined || input === null) {
    return {}
  }
  if (!isPlain(input)) {
    return undefined
  }
  const query: SelectQuery = {}
  for (const key of Object.keys(input)) {
    const value = input[key]
    if (value === undefined) {
      if (!KEYS.has(key)) {
        return undefined
      }
      continue
    }
    switch (key) {
      case 'columns':
        if (!isStringArray(value, 1, 1600)) {
          return undefined
        }
        query.columns = value
        break
      case 'where':
        if (!isPlain(value) || notArray(value, 'and') || notArray(value, 'or')) {
          return undefined
        }
        query.where = value
        break
      case 'orderBy': {
        const orderBy = Array.isArray(value)
          ? value.length <= 16
            ? sortKeys(value)
            : undefined
          : sortKey(value)
        if (orderBy === undefined) {
          return undefined
        }
        query.orderBy = orderBy
        break
      }
      case 'limit':
        if (!isInteger(value, MAX_LIMIT)) {
          return undefined
        }
        query.limit = value
        break
      case 'offset':
        if (!isInteger(value, 1_000_000_000)) {
          return undefined
        }
        query.offset = value
        break
      case 'count':
        if (value !== 'exact' && value !== 'estimated' && value !== 'none') {
          return undefined
        }
        query.count = value
        break
      case 'expand':
        if (!isStringArray(value, 0, 16)) {
          return undefined
        }
        query.expand = value
        break
      default:
        return undefined // `cursor` (decoded by the full path) and unknown keys
    }
  }
  return query
}

const KEYS: ReadonlySet<string> = new Set([
  'columns',
  'where',
  'orderBy',
  'limit',
  'offset',
  'cursor',
  'count',
  'expand',
])

type SortKeyInput = { column: string; direction: 'asc' | 'desc'; nulls?: 'first' | 'last' }

function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) {
    return false
  }
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

function isStringArray(value: unknown, min: number, max: number): value is string[] {
  if (!Array.isArray(value) || value.length < min || value.length > max) {
    return false
  }
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') {
      return false // holes included
    }
  }
  return true
}

function isInteger(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max
}

function notArray(filter: Record<string, unknown>, key: 'and' | 'or'): boolean {
  return key in filter && !Array.isArray(filter[key])
}

/** One `orderBy` item as zod gives it back (direction defaulted), or `undefined`. */
function sortKey(value: unknown): SortKeyInput | undefined {
  if (!isPlain(value)) {
    return undefined
  }
  const { column, direction, nulls } = value
  for (const key of Object.keys(value)) {
    if (key !== 'column' && key !== 'direction' && key !== 'nulls') {
      return undefined
    }
  }
  if (
    typeof column !== 'string' ||
    (direction !== undefined && direction !== 'asc' && direction !== 'desc') ||
    (nulls !== undefined && nulls !== 'first' && nulls !== 'last')
  ) {
    return undefined
  }
  return nulls === undefined
    ? { column, direction: direction ?? 'asc' }
    : { column, direction: direction ?? 'asc', nulls }
}

function sortKeys(values: unknown[]): SortKeyInput[] | undefined {
  const keys: SortKeyInput[] = []
  for (let i = 0; i < values.length; i++) {
    const key = sortKey(values[i])
    if (key === undefined) {
      return undefined
    }
    keys.push(key)
  }
  return keys
}
