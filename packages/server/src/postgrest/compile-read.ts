import { MAX_LIMIT, type TableDefinition } from '@basebox/client'
import { MAX_EXPANDED_ROWS } from '@basebox/core'
import { parseError, PostgrestError } from './errors.js'
import { compileFilters, fieldSQL, type Condition, type FilterNode } from './filters.js'
import type { LevelOptions, OrderItem } from './read-request.js'
import { resolveRelationship, type Relationship } from './relations.js'
import type { SelectEmbed, SelectItem } from './select-tree.js'
import { quoteLabel, SQLBuilder } from './sql.js'

/** What a read compiles against: the database's schema and its definitions by name. */
export interface ReadContext {
  schema: string
  tables: ReadonlyMap<string, TableDefinition>
}

/** A compiled read: its statements, the root's output names, and the page it asks for. */
export interface CompiledRead {
  statements: { sql: string; parameters: unknown[] }[]
  /** The output names of the root's select, for CSV. */
  labels: string[]
  offset: number
  limit: number
}

const NO_OPTIONS: LevelOptions = {
  filters: [],
  order: undefined,
  limit: undefined,
  offset: undefined,
}

interface State {
  b: SQLBuilder
  ctx: ReadContext
  levels: ReadonlyMap<string, LevelOptions>
  used: Set<string>
  aliases: number
  conditions: { conditions: number }
}

function labelOf(item: SelectItem): string | undefined {
  if (item.kind === 'field') {
    if (item.alias !== undefined) {
      return item.alias
    }
    const last = item.field.path[item.field.path.length - 1]
    return last !== undefined && typeof last.key === 'string' ? last.key : item.field.column
  }
  if (item.kind === 'embed') {
    return item.alias ?? item.target
  }
  return undefined
}

/** The output names of a select (for CSV headers), `*` expanded. */
function labels(table: TableDefinition, items: readonly SelectItem[]): string[] {
  return items.flatMap((item) => {
    if (item.kind === 'star') {
      return table.columns.filter((c) => c.secret !== true).map((c) => c.name)
    }
    return item.kind === 'embed' && item.children.length === 0 ? [] : [labelOf(item)!]
  })
}

function tableOf(state: State, name: string): TableDefinition {
  const table = state.ctx.tables.get(name)
  if (table === undefined) {
    throw new PostgrestError(
      404,
      'PGRST205',
      `Could not find the table 'public.${name}' in the schema cache`,
    )
  }
  return table
}

function qualified(state: State, table: TableDefinition, alias: string): string {
  return `${state.b.id(state.ctx.schema)}.${state.b.id(table.name)} as ${state.b.id(alias)}`
}

function orderSQL(
  state: State,
  table: TableDefinition,
  alias: string,
  order: readonly OrderItem[] | undefined,
  tiebreak: boolean,
): string {
  const items = (order ?? []).map((o) => {
    const { sql } = fieldSQL(state.b, table, alias, o.field)
    return `${sql}${o.direction === undefined ? '' : ` ${o.direction}`}${o.nulls === undefined ? '' : ` nulls ${o.nulls}`}`
  })
  const pk = table.columns.find((c) => c.primary_key === true)
  if (
    tiebreak &&
    pk !== undefined &&
    !(order ?? []).some((o) => o.field.column === pk.name && o.field.path.length === 0)
  ) {
    items.push(state.b.ref(alias, pk.name))
  }
  return items.length === 0 ? '' : ` order by ${items.join(', ')}`
}

/** `comments=not.is.null` on an embed: its rows exist (or not). */
function embedNullFilter(
  node: FilterNode,
  embeds: ReadonlyMap<string, unknown>,
  table: TableDefinition,
): { name: string; exists: boolean } | undefined {
  if (
    node.kind !== 'condition' ||
    node.field.path.length > 0 ||
    !embeds.has(node.field.column) ||
    table.columns.some((c) => c.name === node.field.column)
  ) {
    return undefined
  }
  const c = node as Condition
  if (c.operator !== 'is' || c.value.toLowerCase() !== 'null') {
    throw parseError(
      `an embedded resource "${c.field.column}" can only be filtered with is.null or not.is.null`,
    )
  }
  return { name: c.field.column, exists: c.negate }
}

interface CompiledEmbed {
  label: string
  /** The scalar subquery giving the embed's JSON. */
  value: string
  /** `exists (...)`: its rows exist, for `!inner` and `embed=not.is.null`. */
  exists: string
  inner: boolean
}

/**
 * One table of the request: its select list and the conditions its rows must meet (its own
 * filters, and the existence of `!inner` embeds), with every embed below it compiled.
 */
function compileLevel(
  state: State,
  table: TableDefinition,
  alias: string,
  items: readonly SelectItem[],
  path: string[],
  depth: number,
): { list: string[]; conditions: string[]; options: LevelOptions } {
  const key = path.join('.')
  state.used.add(key)
  const options = state.levels.get(key) ?? NO_OPTIONS
  const list: string[] = []
  const embeds = new Map<string, CompiledEmbed>()
  const hidden = new Set<string>()
  for (const item of items) {
    if (item.kind === 'star') {
      for (const column of table.columns) {
        if (column.secret !== true) {
          list.push(state.b.ref(alias, column.name))
        }
      }
    } else if (item.kind === 'field') {
      const field = fieldSQL(state.b, table, alias, item.field)
      list.push(
        `${item.cast === undefined ? field.sql : `(${field.sql})::${item.cast}`} as ${quoteLabel(labelOf(item)!)}`,
      )
    } else {
      const embed = compileEmbed(state, table, alias, item, [...path, labelOf(item)!], depth + 1)
      if (embeds.has(embed.label)) {
        throw parseError(`"${embed.label}" is embedded twice: give one of them an alias`)
      }
      embeds.set(embed.label, embed)
      if (item.children.length === 0) {
        // `comments()`: filtered on (`comments=not.is.null`, `!inner`), not returned, as PostgREST
        hidden.add(embed.label)
        continue
      }
      list.push(`${embed.value} as ${quoteLabel(embed.label)}`)
    }
  }
  const filters: FilterNode[] = []
  const conditions: string[] = []
  for (const node of options.filters) {
    const onEmbed = embedNullFilter(node, embeds, table)
    if (onEmbed !== undefined) {
      const embed = embeds.get(onEmbed.name)!
      hidden.delete(onEmbed.name)
      conditions.push(onEmbed.exists ? embed.exists : `not ${embed.exists}`)
    } else {
      filters.push(node)
    }
  }
  const own = compileFilters(state.b, table, alias, filters, state.conditions)
  if (own !== undefined) {
    conditions.unshift(own)
  }
  for (const embed of embeds.values()) {
    if (embed.inner) {
      conditions.push(embed.exists)
    } else if (hidden.has(embed.label)) {
      // Neither returned nor filtered on: still named, so that its parameters are typed.
      conditions.push(`(${embed.exists} or true)`)
    }
  }
  return { list, conditions, options }
}

function compileEmbed(
  state: State,
  parent: TableDefinition,
  parentAlias: string,
  embed: SelectEmbed,
  path: string[],
  depth: number,
): CompiledEmbed {
  const relationship: Relationship = resolveRelationship(
    state.ctx.tables,
    parent.name,
    embed.target,
    embed.hint,
  )
  const table = tableOf(state, relationship.table)
  const alias = `t${++state.aliases}`
  const b = state.b
  let from: string
  let join: string
  if (relationship.kind === 'm2m') {
    const junction = tableOf(state, relationship.junction)
    const jAlias = `${alias}_j`
    from = `${qualified(state, table, alias)} inner join ${qualified(state, junction, jAlias)} on ${b.ref(jAlias, relationship.junctionTarget)} = ${b.ref(alias, relationship.targetKey)}`
    join = `${b.ref(jAlias, relationship.junctionSource)} = ${b.ref(parentAlias, relationship.sourceKey)}`
  } else {
    from = qualified(state, table, alias)
    join = `${b.ref(alias, relationship.remoteColumn)} = ${b.ref(parentAlias, relationship.localColumn)}`
  }
  const level = compileLevel(state, table, alias, embed.children, path, depth)
  const where = [join, ...level.conditions].join(' and ')
  const label = embed.alias ?? embed.target
  const exists = `exists (select 1 from ${from} where ${where})`
  const rowAlias = `e${state.aliases}`
  if (relationship.kind === 'one') {
    if (
      level.options.order !== undefined ||
      level.options.limit !== undefined ||
      level.options.offset !== undefined
    ) {
      throw parseError(
        `"${label}" is a to-one embed: order, limit and offset apply to to-many embeds only`,
      )
    }
    return {
      label,
      value: `(select to_json(${b.id(rowAlias)}) from (select ${level.list.join(', ')} from ${from} where ${where} limit 1) as ${b.id(rowAlias)})`,
      exists,
      inner: embed.inner,
    }
  }
  const limit = Math.min(level.options.limit ?? MAX_EXPANDED_ROWS, MAX_EXPANDED_ROWS)
  const offset =
    level.options.offset === undefined || level.options.offset === 0
      ? ''
      : ` offset ${level.options.offset}`
  const order = orderSQL(state, table, alias, level.options.order, true)
  return {
    label,
    value: `(select coalesce(json_agg(${b.id(rowAlias)}), '[]'::json) from (select ${level.list.join(', ')} from ${from} where ${where}${order} limit ${limit}${offset}) as ${b.id(rowAlias)})`,
    exists,
    inner: embed.inner,
  }
}

/** The root of a read: page size, count. */
export interface ReadOptions {
  /** Rows to skip and take (the `Range` header, or `offset`/`limit`), before the cap. */
  offset: number
  limit: number | undefined
  count: 'exact' | 'estimated' | undefined
}

/** The count threshold under which `count=estimated` is exact, as PostgREST's `max-rows`. */
export const ESTIMATE_THRESHOLD = MAX_LIMIT

/**
 * Compiles a PostgREST read into ONE statement returning `page_total`, `body` (the page as JSON
 * text, built by Postgres: numbers stay numbers, to the digit) and the count asked for. Every
 * identifier comes from the definitions and is quoted, every value is a parameter. A second
 * statement (an EXPLAIN of the root filter) comes with `count=estimated`.
 */
export function compileRead(
  ctx: ReadContext,
  tableName: string,
  items: readonly SelectItem[],
  levels: ReadonlyMap<string, LevelOptions>,
  options: ReadOptions,
): CompiledRead {
  const state: State = {
    b: new SQLBuilder(),
    ctx,
    levels,
    used: new Set(),
    aliases: 0,
    conditions: { conditions: 0 },
  }
  const table = tableOf(state, tableName)
  const level = compileLevel(state, table, 't0', items, [], 1)
  for (const key of levels.keys()) {
    if (!state.used.has(key)) {
      throw new PostgrestError(
        400,
        'PGRST108',
        `'${key.split('.').pop()}' is not an embedded resource in this request`,
        {
          hint: `Verify that '${key.split('.').pop()}' is included in the 'select' query parameter.`,
        },
      )
    }
  }
  const b = state.b
  const where = level.conditions.length === 0 ? '' : ` where ${level.conditions.join(' and ')}`
  const from = qualified(state, table, 't0')
  // `limit`/`offset` parameters apply within the `Range` header's page, as PostgREST's.
  const requested = Math.min(level.options.limit ?? Infinity, options.limit ?? Infinity)
  const limit = Math.min(requested, MAX_LIMIT)
  const offset = (level.options.offset ?? 0) + options.offset
  const order = orderSQL(state, table, 't0', level.options.order, true)
  const list = level.list.length === 0 ? '' : level.list.join(', ')
  const page = `select ${list} from ${from}${where}${order} limit ${limit}${offset > 0 ? ` offset ${offset}` : ''}`
  let total = ''
  if (options.count === 'exact') {
    total = `, (select count(*) from ${from}${where})::bigint::text as total`
  } else if (options.count === 'estimated') {
    total = `, (select count(*) from (select 1 from ${from}${where} limit ${ESTIMATE_THRESHOLD + 1}) as c)::bigint::text as total`
  }
  const statements = [
    {
      sql: `select count(*)::integer as page_total, coalesce(json_agg(p), '[]'::json)::text as body${total} from (${page}) as p`,
      parameters: b.parameters,
    },
  ]
  if (options.count === 'estimated') {
    // The planner's row estimate of the root filter; the select list names every parameter (so
    // that all are typed) without changing the estimate.
    const declared = b.allParameters()
    statements.push({
      sql: `explain (format json) select ${declared.length === 0 ? '1' : declared.join(', ')} from ${from}${where}`,
      parameters: b.parameters,
    })
  }
  return { statements, labels: labels(table, items), offset, limit }
}
