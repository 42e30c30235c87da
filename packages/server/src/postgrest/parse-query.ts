import { BaseboxError, type Filter, type OrderBy } from '@basebox/client'
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../body.js'

/** Query parameters of the PostgREST grammar that are not column filters. */
export const RESERVED_PARAMS = new Set([
  'select',
  'order',
  'limit',
  'offset',
  'on_conflict',
  'columns',
])

const OPERATORS: Record<string, string> = {
  eq: 'eq',
  neq: 'neq',
  gt: 'gt',
  gte: 'gte',
  lt: 'lt',
  lte: 'lte',
  like: 'like',
  ilike: 'ilike',
  is: 'is',
  in: 'in',
  cs: 'contains',
}

function invalid(message: string): BaseboxError {
  return new BaseboxError('VALIDATION_FAILED', message)
}

/** Splits at top-level commas, honouring parentheses and double quotes. */
export function splitTopLevel(text: string): string[] {
  const out: string[] = []
  let depth = 0
  let quoted = false
  let current = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '"' && text[i - 1] !== '\\') {
      quoted = !quoted
    } else if (!quoted && (c === '(' || c === '{' || c === '[')) {
      depth++
    } else if (!quoted && (c === ')' || c === '}' || c === ']')) {
      depth--
      if (depth < 0) {
        throw invalid(`unbalanced parentheses in ${JSON.stringify(text.slice(0, 80))}`)
      }
    } else if (!quoted && depth === 0 && c === ',') {
      out.push(current)
      current = ''
      continue
    }
    current += c
  }
  if (depth !== 0 || quoted) {
    throw invalid(`unbalanced parentheses or quotes in ${JSON.stringify(text.slice(0, 80))}`)
  }
  out.push(current)
  return out
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1).replace(/\\(.)/g, '$1')
    : value
}

/** One filter value as PostgREST writes it: `eq.5`, `not.is.null`, `in.(1,2)`, `ilike.*pg*`. */
export function parseCondition(column: string, expression: string): Filter {
  let rest = expression
  let negate = false
  if (rest.startsWith('not.')) {
    negate = true
    rest = rest.slice(4)
  }
  const dot = rest.indexOf('.')
  if (dot === -1) {
    throw invalid(`filter ${JSON.stringify(column)} needs an operator, like eq.value`)
  }
  const operator = OPERATORS[rest.slice(0, dot)]
  const raw = rest.slice(dot + 1)
  if (operator === undefined) {
    throw invalid(
      `unknown operator ${JSON.stringify(rest.slice(0, dot))} in filter ${JSON.stringify(column)}`,
    )
  }
  let value: unknown = unquote(raw)
  if (operator === 'is') {
    value = { null: null, true: true, false: false }[raw.toLowerCase()]
    if (value === undefined) {
      throw invalid('"is" takes null, true or false')
    }
  } else if (operator === 'in') {
    if (!raw.startsWith('(') || !raw.endsWith(')')) {
      throw invalid('"in" takes a list: in.(a,b)')
    }
    value = raw.length === 2 ? [] : splitTopLevel(raw.slice(1, -1)).map(unquote)
  } else if (operator === 'like' || operator === 'ilike') {
    value = (value as string).replaceAll('*', '%')
  } else if (operator === 'contains') {
    if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) {
      throw invalid(`"cs" values nest at most ${MAX_JSON_DEPTH} levels`)
    }
    try {
      value = JSON.parse(raw)
    } catch {
      // supabase-js writes arrays as Postgres array literals: {a,b}
      if (!raw.startsWith('{') || !raw.endsWith('}')) {
        throw invalid('"cs" takes a JSON value or an array {a,b}')
      }
      value = raw.length === 2 ? [] : splitTopLevel(raw.slice(1, -1)).map(unquote)
    }
  }
  const condition: Filter = { [column]: { [operator]: value } }
  return negate ? { not: condition } : condition
}

/** How deep logical groups nest: `or=(and(or(...)))` counts one level per group. */
export const MAX_FILTER_DEPTH = 8

/**
 * A logical group: `or=(a.eq.1,and(b.gt.2,c.lt.3))`. Groups nested deeper than
 * {@link MAX_FILTER_DEPTH} are refused with `VALIDATION_FAILED` before any recursion.
 */
export function parseLogical(operator: 'and' | 'or', group: string, depth = 1): Filter {
  if (depth > MAX_FILTER_DEPTH) {
    throw invalid(`logical filters nest at most ${MAX_FILTER_DEPTH} levels`)
  }
  if (!group.startsWith('(') || !group.endsWith(')')) {
    throw invalid(`"${operator}" takes a list: ${operator}=(a.eq.1,b.is.null)`)
  }
  const parts = splitTopLevel(group.slice(1, -1)).map((part): Filter => {
    const nested = /^(not\.)?(and|or)(\(.*\))$/s.exec(part)
    if (nested) {
      const inner = parseLogical(nested[2] as 'and' | 'or', nested[3]!, depth + 1)
      return nested[1] ? { not: inner } : inner
    }
    const dot = part.indexOf('.')
    if (dot <= 0) {
      throw invalid(`malformed condition ${JSON.stringify(part.slice(0, 80))}`)
    }
    return parseCondition(part.slice(0, dot), part.slice(dot + 1))
  })
  return { [operator]: parts }
}

/** `order=created_at.desc.nullslast,title` */
export function parseOrder(order: string): OrderBy[] {
  return splitTopLevel(order).map((item) => {
    const [column, ...modifiers] = item.split('.')
    const out: OrderBy = { column: column! }
    for (const modifier of modifiers) {
      if (modifier === 'asc' || modifier === 'desc') {
        out.direction = modifier
      } else if (modifier === 'nullsfirst' || modifier === 'nullslast') {
        out.nulls = modifier === 'nullsfirst' ? 'first' : 'last'
      } else {
        throw invalid(`unknown order modifier ${JSON.stringify(modifier)}`)
      }
    }
    return out
  })
}

/** What `select=id,title,author(*),comments(id,body)` asks for. */
export interface ParsedSelect {
  /** Columns of the table, or `undefined` for all. */
  columns: string[] | undefined
  /** Relations to embed, each with its columns (`undefined` for all). */
  embeds: { name: string; columns: string[] | undefined }[]
}

/** Parses `select`. Aliases and casts are not supported. */
export function parseSelect(select: string | null): ParsedSelect {
  if (select === null || select === '' || select === '*') {
    return { columns: undefined, embeds: [] }
  }
  const columns: string[] = []
  const embeds: ParsedSelect['embeds'] = []
  let star = false
  for (const raw of splitTopLevel(select)) {
    const item = raw.trim()
    const embed = /^([a-z][a-z0-9_]*)(?:!inner)?\((.*)\)$/s.exec(item)
    if (embed) {
      const inner = embed[2]!.trim()
      embeds.push({
        name: embed[1]!,
        columns:
          inner === '' || inner === '*' ? undefined : splitTopLevel(inner).map((c) => c.trim()),
      })
    } else if (item === '*') {
      star = true
    } else if (/^[a-z][a-z0-9_]*$/.test(item)) {
      columns.push(item)
    } else {
      throw invalid(
        `unsupported select item ${JSON.stringify(item.slice(0, 80))}: use column names, * and relation(columns)`,
      )
    }
  }
  return { columns: star ? undefined : columns.length > 0 ? columns : undefined, embeds }
}

/** The filters of a request's query string (every parameter that is not reserved). */
export function parseFilters(search: URLSearchParams): Filter | undefined {
  const parts: Filter[] = []
  for (const [key, value] of search) {
    if (RESERVED_PARAMS.has(key)) {
      continue
    }
    if (key === 'or' || key === 'and') {
      parts.push(parseLogical(key, value))
    } else if (key === 'not.or' || key === 'not.and') {
      parts.push({ not: parseLogical(key.slice(4) as 'and' | 'or', value) })
    } else {
      parts.push(parseCondition(key, value))
    }
  }
  return parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { and: parts }
}
