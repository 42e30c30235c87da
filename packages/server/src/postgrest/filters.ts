import {
  POSTGRES_TYPE_BY_COLUMN_TYPE,
  type ColumnDefinition,
  type TableDefinition,
} from '@basebox/client'
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../body.js'
import { parseError, PostgrestError } from './errors.js'
import { splitTopLevel } from './parse-query.js'
import { parseFieldRef, type FieldRef } from './select-tree.js'
import type { SQLBuilder } from './sql.js'

/** One condition: `title=ilike.*pg*`, `meta->>color=not.eq.red`, `tags=like(any).{a*,b*}`. */
export interface Condition {
  kind: 'condition'
  field: FieldRef
  negate: boolean
  operator: string
  modifier: 'any' | 'all' | undefined
  /** The text search configuration of `fts(english)`. */
  config: string | undefined
  value: string
}

/** `or=(...)`, `and=(...)`, `not.or=(...)`. */
export interface Logical {
  kind: 'logical'
  operator: 'and' | 'or'
  negate: boolean
  items: FilterNode[]
}

export type FilterNode = Condition | Logical

/** How deep logical groups nest. */
export const MAX_LOGICAL_DEPTH = 8
/** The most conditions one request may hold, over all tables. */
export const MAX_CONDITIONS = 100
const MAX_LIST = 1000

const OPERATORS = new Set([
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'like',
  'ilike',
  'match',
  'imatch',
  'in',
  'is',
  'isdistinct',
  'cs',
  'cd',
  'ov',
  'sl',
  'sr',
  'nxl',
  'nxr',
  'adj',
  'fts',
  'plfts',
  'phfts',
  'wfts',
])
const QUANTIFIABLE = new Set([
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'like',
  'ilike',
  'match',
  'imatch',
])
const RANGE = new Set(['sl', 'sr', 'nxl', 'nxr', 'adj'])
const TEXT_SEARCH: Record<string, string> = {
  fts: 'to_tsquery',
  plfts: 'plainto_tsquery',
  phfts: 'phraseto_tsquery',
  wfts: 'websearch_to_tsquery',
}
const COMPARE: Record<string, string> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  like: 'like',
  ilike: 'ilike',
  match: '~',
  imatch: '~*',
}

export function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1).replace(/\\(.)/g, '$1')
    : value
}

/** Parses `op.value` (with `not.` and modifiers) for the field `field`. */
export function parseCondition(field: string, expression: string): Condition {
  const match = /^(not\.)?([a-z]+)(?:\(([a-z_]+)\))?\.(.*)$/s.exec(expression)
  if (!match) {
    throw parseError(
      `"${expression.slice(0, 80)}" is not a filter: use operator.value, like eq.5`,
      `filter on "${field.slice(0, 80)}"`,
    )
  }
  const [, not, operator, paren, value] = match as unknown as [
    string,
    string | undefined,
    string,
    string | undefined,
    string,
  ]
  if (!OPERATORS.has(operator)) {
    throw parseError(`unknown operator "${operator}"`, `operators: ${[...OPERATORS].join(', ')}`)
  }
  let modifier: 'any' | 'all' | undefined
  let config: string | undefined
  if (paren !== undefined) {
    if (operator in TEXT_SEARCH) {
      config = paren
    } else if ((paren === 'any' || paren === 'all') && QUANTIFIABLE.has(operator)) {
      modifier = paren
    } else {
      throw parseError(
        `"${operator}(${paren})" is not a valid operator`,
        'modifiers: (any), (all) on eq, neq, gt, gte, lt, lte, like, ilike, match, imatch; a text search configuration on fts, plfts, phfts, wfts',
      )
    }
  }
  return {
    kind: 'condition',
    field: parseFieldRef(field),
    negate: not !== undefined,
    operator,
    modifier,
    config,
    value,
  }
}

/** Parses a logical group `(a.eq.1,and(b.gt.2,c.lt.3))`. */
export function parseLogical(
  operator: 'and' | 'or',
  negate: boolean,
  group: string,
  depth = 1,
): Logical {
  if (depth > MAX_LOGICAL_DEPTH) {
    throw parseError(`logical filters nest at most ${MAX_LOGICAL_DEPTH} levels`)
  }
  if (!group.startsWith('(') || !group.endsWith(')')) {
    throw parseError(`"${operator}" takes a list: ${operator}=(a.eq.1,b.is.null)`)
  }
  const items = splitTopLevel(group.slice(1, -1)).map((raw): FilterNode => {
    const part = raw.trim()
    const nested = /^(not\.)?(and|or)(\(.*\))$/s.exec(part)
    if (nested) {
      return parseLogical(nested[2] as 'and' | 'or', nested[1] !== undefined, nested[3]!, depth + 1)
    }
    const dot = part.indexOf('.')
    if (dot <= 0) {
      throw parseError(`malformed condition "${part.slice(0, 80)}" in ${operator}`)
    }
    return parseCondition(part.slice(0, dot), part.slice(dot + 1))
  })
  return { kind: 'logical', operator, negate, items }
}

/** The SQL type of a column, from the allowlist. */
export function columnSQLType(column: ColumnDefinition): string {
  return POSTGRES_TYPE_BY_COLUMN_TYPE[column.type]
}

/**
 * A readable column of `table`: `42703` for one that does not exist, as Postgres answers, and
 * the same for a secret column (it is not there for the data API).
 */
export function readableColumn(table: TableDefinition, name: string): ColumnDefinition {
  const column = table.columns.find((c) => c.name === name)
  if (column === undefined || column.secret === true) {
    throw new PostgrestError(400, '42703', `column ${table.name}.${name} does not exist`)
  }
  return column
}

/** A column with its JSON path as SQL, and the SQL type of what it gives. */
export function fieldSQL(
  b: SQLBuilder,
  table: TableDefinition,
  alias: string,
  field: FieldRef,
): { sql: string; type: string; column: ColumnDefinition } {
  const column = readableColumn(table, field.column)
  let sql = b.ref(alias, column.name)
  if (field.path.length === 0) {
    return { sql, type: columnSQLType(column), column }
  }
  if (column.type !== 'jsonb') {
    throw parseError(
      `"${column.name}" is not a jsonb column: JSON paths apply to jsonb columns only`,
    )
  }
  for (const step of field.path) {
    sql = `(${sql} ${step.arrow} ${typeof step.key === 'number' ? b.param(step.key, 'integer') : b.param(step.key, 'text')})`
  }
  return {
    sql,
    type: field.path[field.path.length - 1]!.arrow === '->>' ? 'text' : 'jsonb',
    column,
  }
}

function list(value: string, form: 'paren' | 'brace'): string[] {
  const [open, close] = form === 'paren' ? ['(', ')'] : ['{', '}']
  if (!value.startsWith(open) || !value.endsWith(close)) {
    throw parseError(`expected a list ${open}a,b${close}, got "${value.slice(0, 80)}"`)
  }
  const items =
    value.length === 2 ? [] : splitTopLevel(value.slice(1, -1)).map((v) => unquote(v.trim()))
  if (items.length > MAX_LIST) {
    throw parseError(`a list holds at most ${MAX_LIST} values`)
  }
  return items
}

/** A JSON value as `cs`/`cd`/`ov` take it: JSON, or a Postgres array literal `{a,b}`. */
function jsonOperand(value: string): unknown {
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
    throw parseError(`JSON values nest at most ${MAX_JSON_DEPTH} levels`)
  }
  try {
    return JSON.parse(value)
  } catch {
    if (value.startsWith('{') && value.endsWith('}')) {
      return list(value, 'brace')
    }
    throw parseError(`"${value.slice(0, 80)}" is neither JSON nor an array {a,b}`)
  }
}

function pattern(value: string, operator: string): string {
  return operator === 'like' || operator === 'ilike' ? value.replaceAll('*', '%') : value
}

function compileCondition(
  b: SQLBuilder,
  table: TableDefinition,
  alias: string,
  c: Condition,
): string {
  const target = fieldSQL(b, table, alias, c.field)
  const textual =
    c.operator === 'like' ||
    c.operator === 'ilike' ||
    c.operator === 'match' ||
    c.operator === 'imatch'
  const ref = textual && target.type !== 'text' ? `${target.sql}::text` : target.sql
  const type = textual ? 'text' : target.type
  let out: string
  if (c.operator in COMPARE) {
    const op = COMPARE[c.operator]!
    if (c.modifier !== undefined) {
      const values = list(c.value, 'brace')
      if (values.length === 0) {
        out = c.modifier === 'any' ? 'false' : 'true'
      } else {
        out = `${ref} ${op} ${c.modifier}(array[${values.map((v) => b.param(pattern(v, c.operator), type)).join(', ')}])`
      }
    } else {
      out = `${ref} ${op} ${b.param(pattern(unquote(c.value), c.operator), type)}`
    }
  } else if (c.operator === 'in') {
    const values = list(c.value, 'paren')
    out =
      values.length === 0
        ? 'false'
        : `${ref} in (${values.map((v) => b.param(v, type)).join(', ')})`
  } else if (c.operator === 'is') {
    const value = c.value.toLowerCase()
    const keyword = {
      null: 'null',
      not_null: 'not null',
      true: 'true',
      false: 'false',
      unknown: 'unknown',
    }[value]
    if (keyword === undefined) {
      throw parseError('"is" takes null, not_null, true, false or unknown')
    }
    out = `${ref} is ${keyword}`
  } else if (c.operator === 'isdistinct') {
    out = `${ref} is distinct from ${b.param(unquote(c.value), type)}`
  } else if (c.operator === 'cs' || c.operator === 'cd' || c.operator === 'ov') {
    if (type !== 'jsonb') {
      throw parseError(
        `"${c.operator}" applies to jsonb values here; "${c.field.column}" is ${type}`,
      )
    }
    const operand = jsonOperand(c.value)
    if (c.operator === 'ov') {
      if (!Array.isArray(operand)) {
        throw parseError('"ov" takes an array: ov.{a,b}')
      }
      out =
        operand.length === 0
          ? 'false'
          : `(${operand.map((v) => `${ref} @> ${b.param(JSON.stringify([v]), 'jsonb')}`).join(' or ')})`
    } else {
      out = `${ref} ${c.operator === 'cs' ? '@>' : '<@'} ${b.param(JSON.stringify(operand), 'jsonb')}`
    }
  } else if (RANGE.has(c.operator)) {
    throw parseError(
      `"${c.operator}" applies to range columns, and Basebox tables have none ("${c.field.column}" is ${type})`,
    )
  } else if (c.operator in TEXT_SEARCH) {
    if (c.config !== undefined && !/^[a-z_]{1,63}$/.test(c.config)) {
      throw parseError(`invalid text search configuration "${c.config.slice(0, 40)}"`)
    }
    const config = c.config === undefined ? '' : `${b.param(c.config, 'regconfig')}, `
    const document = type === 'text' || type === 'jsonb' ? ref : `${ref}::text`
    out = `to_tsvector(${config}${document}) @@ ${TEXT_SEARCH[c.operator]}(${config}${b.param(unquote(c.value), 'text')})`
  } else {
    throw parseError(`unknown operator "${c.operator}"`)
  }
  return c.negate ? `not (${out})` : out
}

/** Compiles filters over `alias` of `table` into one SQL condition (`undefined` for none). */
export function compileFilters(
  b: SQLBuilder,
  table: TableDefinition,
  alias: string,
  nodes: readonly FilterNode[],
  budget: { conditions: number },
): string | undefined {
  const compileNode = (node: FilterNode): string => {
    if (node.kind === 'condition') {
      if (++budget.conditions > MAX_CONDITIONS) {
        throw parseError(`a request holds at most ${MAX_CONDITIONS} conditions`)
      }
      return compileCondition(b, table, alias, node)
    }
    const inner =
      node.items.length === 0
        ? node.operator === 'and'
          ? 'true'
          : 'false'
        : node.items
            .map((n) => `(${compileNode(n)})`)
            .join(node.operator === 'and' ? ' and ' : ' or ')
    return node.negate ? `not (${inner})` : `(${inner})`
  }
  if (nodes.length === 0) {
    return undefined
  }
  return nodes.map((n) => `(${compileNode(n)})`).join(' and ')
}
