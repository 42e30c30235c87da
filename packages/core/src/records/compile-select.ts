import {
  BaseboxError,
  DEFAULT_LIMIT,
  SelectQuerySchema,
  toValidationError,
  type ColumnDefinition,
  type SelectQuery,
} from '@basebox/client'
import { sql, type CompiledQuery, type RawBuilder } from 'kysely'
import { quoteIdentifier as q } from '../ddl/identifier.js'
import { compileFilter, param, type FilterBinder } from './compile-filter.js'
import {
  cachedSelect,
  COMPILE_ONLY,
  filterShape,
  rememberSelect,
  TemplateBinder,
} from './select-cache.js'
import { decodeCursor, type SortKey } from './cursor.js'
import { fastSelectQuery } from './select-query.js'
import {
  columnRef,
  outputColumn,
  plainOutputColumn,
  requireColumn,
  type TableContext,
} from './table-context.js'

/** The most rows an expanded to-many relation returns per row. */
export const MAX_EXPANDED_ROWS = 1000

/** The alias of the main table in every record statement. */
export const ROOT = 't'

/** A compiled select: the statement, and what is needed to read its result. @internal */
export interface CompiledSelect {
  /** The statement, or its compiled form when it came from the statement cache. */
  statement: RawBuilder<unknown> | CompiledQuery
  /**
   * Whether the statement returns the page as plain rows (one per record) rather than one JSON
   * array: every select without an exact count (which must answer even for an empty page).
   */
  plain: boolean
  /** The WHERE expression alone, for an estimated count. */
  where: RawBuilder<unknown> | undefined
  limit: number
  keys: SortKey[] | undefined
  /**
   * Where each sort key's value is in a returned row, for the next cursor: the column itself when
   * it is selected (its value reads back exactly as the key's would), else a hidden column.
   */
  keyFields: string[] | undefined
  /** The hidden key columns, to strip from each row before it is returned. */
  hiddenKeys: string[]
  count: 'exact' | 'estimated' | 'none'
}

function keyAlias(i: number): string {
  return `__basebox_key_${i}`
}

function ref(alias: string, column: ColumnDefinition): RawBuilder<unknown> {
  return columnRef(alias, column)
}

function sortKeys(table: TableContext, query: SelectQuery): SortKey[] {
  const list =
    query.orderBy === undefined
      ? []
      : Array.isArray(query.orderBy)
        ? query.orderBy
        : [query.orderBy]
  const keys = list.map((item, i): SortKey => {
    const column = requireColumn(table, item.column, ['orderBy', i, 'column'], {
      purpose: 'sorted on',
    })
    const direction = item.direction ?? 'asc'
    return { column, direction, nulls: item.nulls ?? (direction === 'asc' ? 'last' : 'first') }
  })
  const pk = table.primaryKey
  if (pk !== undefined && !keys.some((k) => k.column.name === pk.name)) {
    keys.push({ column: pk, direction: 'asc', nulls: 'last' })
  }
  return keys
}

/**
 * A sort key's value for the next cursor, read back the same way in both result shapes, and the
 * same way as the column's own output (`plainOutputColumn`, `outputColumn`).
 */
function keyValue(column: ColumnDefinition, plain: boolean): RawBuilder<unknown> {
  const value = ref(ROOT, column)
  if (column.type === 'bigint' || column.type === 'numeric') {
    return sql`${value}::text`
  }
  return plain && (column.type === 'date' || column.type === 'timestamptz')
    ? sql`to_json(${value})`
    : value
}

/** The keyset condition "comes after these values" for the sort keys. */
function afterCondition(keys: readonly SortKey[], values: readonly unknown[]): RawBuilder<unknown> {
  let condition: RawBuilder<unknown> | undefined
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i]!
    const column = ref(ROOT, key.column)
    const value = values[i]
    let greater: RawBuilder<unknown>
    let equal: RawBuilder<unknown>
    if (value === null) {
      greater = key.nulls === 'first' ? sql`${column} is not null` : sql`false`
      equal = sql`${column} is null`
    } else {
      const bound = param(key.column, value, ['cursor'])
      const strict = key.direction === 'asc' ? sql`${column} > ${bound}` : sql`${column} < ${bound}`
      greater = key.nulls === 'last' ? sql`(${strict} or ${column} is null)` : strict
      equal = sql`${column} = ${bound}`
    }
    condition = condition === undefined ? greater : sql`(${greater} or (${equal} and ${condition}))`
  }
  return condition ?? sql`true`
}

function expandColumns(table: TableContext, query: SelectQuery): RawBuilder<unknown>[] {
  return (query.expand ?? []).map((name, i) => {
    const relation = table.relations.get(name)
    if (relation === undefined) {
      const known = [...table.relations.keys()]
      throw new BaseboxError(
        'VALIDATION_FAILED',
        `${JSON.stringify(String(name).slice(0, 80))} is not a relation of ${JSON.stringify(table.definition.name)}${known.length > 0 ? `; expand one of ${known.join(', ')}` : ''}`,
        {
          details: { path: ['expand', i] },
        },
      )
    }
    const other = table.tables.get(relation.table)!
    const alias = `r${i}`
    const columns = other.columns
      .filter((c) => c.secret !== true)
      .map((c) => outputColumn(alias, c))
    const source = sql.raw(`${q(table.schema)}.${q(other.name)} as ${q(alias)}`)
    const join = sql.raw(
      `${q(alias)}.${q(relation.remoteColumn)} = ${q(ROOT)}.${q(relation.localColumn)}`,
    )
    const name_ = sql.raw(q(relation.name))
    if (relation.kind === 'one') {
      return sql`(select row_to_json(x) from (select ${sql.join(columns)} from ${source} where ${join} limit 1) x) as ${name_}`
    }
    const order = other.columns.find((c) => c.primary_key === true)
    const orderBy = order === undefined ? sql`` : sql.raw(` order by ${q(alias)}.${q(order.name)}`)
    return sql`(select coalesce(json_agg(x), '[]'::json) from (select ${sql.join(columns)} from ${source} where ${join}${orderBy} limit ${sql.lit(MAX_EXPANDED_ROWS)}) x) as ${name_}`
  })
}

/**
 * Compiles a select into ONE statement that returns the page (as rows, or as one JSON array with
 * the exact count when asked), so that a page costs one round trip whatever it expands. A query
 * of a shape seen before (same columns, order, limits and filter structure; other values) reuses
 * that shape's compiled statement with the new values, each checked as a fresh compile would.
 */
export function compileSelect(
  table: TableContext,
  input: unknown,
  options: { allowSecret?: boolean } = {},
): CompiledSelect {
  const query = fastSelectQuery(input) ?? parseSelectQuery(input)
  if (query.cursor !== undefined && query.offset !== undefined) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      'a query takes either a cursor or an offset, not both',
      { details: { path: ['cursor'] } },
    )
  }
  if (query.cursor !== undefined || query.count === 'estimated') {
    return buildSelect(table, query, options)
  }
  const shape = filterShape(query.where)
  if (shape === undefined) {
    return buildSelect(table, query, options)
  }
  const key = `${shape.key}|${JSON.stringify([query.columns, query.orderBy, query.limit, query.offset, query.count, query.expand, options.allowSecret === true])}`
  const cached = cachedSelect(table, key, shape.values)
  if (cached !== undefined) {
    return cached
  }
  const built = buildSelect(table, query, options) // checks everything, throws on bad input
  // The same walk again, now with the copy of the filter whose values are slots by their place.
  const slotted = filterShape(query.where, true)!
  const binder = new TemplateBinder()
  const template = buildSelect(
    table,
    { ...query, where: slotted.filter as SelectQuery['where'] },
    options,
    binder,
  )
  rememberSelect(
    table,
    key,
    slotted.values,
    { ...template, statement: template.statement.compile(COMPILE_ONLY) },
    binder,
  )
  return built
}

function parseSelectQuery(input: unknown): SelectQuery {
  const parsed = SelectQuerySchema.safeParse(input ?? {})
  if (!parsed.success) {
    throw toValidationError('invalid query', parsed.error)
  }
  return parsed.data
}

function buildSelect(
  table: TableContext,
  query: SelectQuery,
  options: { allowSecret?: boolean },
  bind?: FilterBinder,
): CompiledSelect & { statement: RawBuilder<never> } {
  const defaults = options.allowSecret === true ? table.definition.columns : table.readable
  const columns = (query.columns ?? defaults.map((c) => c.name)).map((name, i) =>
    requireColumn(table, name, ['columns', i], {
      purpose: 'read',
      allowSecret: options.allowSecret ?? false,
    }),
  )
  const keys = sortKeys(table, query)
  const cursorKeys = table.primaryKey === undefined ? undefined : keys
  if (query.cursor !== undefined && cursorKeys === undefined) {
    throw new BaseboxError(
      'UNSUPPORTED',
      `cursors need a primary key, and ${JSON.stringify(table.definition.name)} has none`,
    )
  }
  const filter = compileFilter(table, ROOT, query.where, bind)
  const conditions = [
    filter,
    query.cursor === undefined
      ? undefined
      : afterCondition(cursorKeys!, decodeCursor(table.definition.name, cursorKeys!, query.cursor)),
  ].filter((c): c is RawBuilder<unknown> => c !== undefined)
  const where = conditions.length === 0 ? sql`` : sql` where ${sql.join(conditions, sql` and `)}`
  const limit = query.limit ?? DEFAULT_LIMIT
  const count = query.count ?? 'none'
  const plain = count !== 'exact'
  // A key whose column is selected is read from it; the others come as hidden columns.
  const hidden: RawBuilder<unknown>[] = []
  const hiddenKeys: string[] = []
  const keyFields = cursorKeys?.map((k, i) => {
    if (columns.some((c) => c.name === k.column.name)) {
      return k.column.name
    }
    hiddenKeys.push(keyAlias(i))
    hidden.push(sql`${keyValue(k.column, plain)} as ${sql.raw(q(keyAlias(i)))}`)
    return keyAlias(i)
  })
  const selectList = [
    ...columns.map((c) => (plain ? plainOutputColumn(ROOT, c) : outputColumn(ROOT, c))),
    ...expandColumns(table, query),
    ...hidden,
  ]
  const orderBy =
    keys.length === 0
      ? sql``
      : sql` order by ${sql.join(keys.map((k) => sql`${ref(ROOT, k.column)} ${sql.raw(k.direction)} nulls ${sql.raw(k.nulls)}`))}`
  const offset = query.offset === undefined ? sql`` : sql` offset ${query.offset}`
  const from = sql`${table.qualified} as ${sql.raw(q(ROOT))}`
  const countColumn =
    count === 'exact'
      ? sql`, (select count(*) from ${from}${filter === undefined ? sql`` : sql` where ${filter}`}) as count`
      : sql``
  const page = sql`select ${sql.join(selectList)} from ${from}${where}${orderBy} limit ${limit}${offset}`
  const statement = plain
    ? (page as RawBuilder<never>)
    : sql<never>`select coalesce(json_agg(x), '[]'::json) as rows${countColumn} from (${page}) x`
  return { statement, plain, where: filter, limit, keys: cursorKeys, keyFields, hiddenKeys, count }
}
