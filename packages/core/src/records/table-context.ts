import {
  BaseboxError,
  POSTGRES_TYPE_BY_COLUMN_TYPE,
  type ColumnDefinition,
  type TableDefinition,
} from '@basebox/client'
import { sql, type RawBuilder } from 'kysely'
import { quoteIdentifier as q } from '../ddl/identifier.js'

/** A relation a select can expand: to-one through a reference, or to-many from referencing rows. */
export interface Relation {
  name: string
  kind: 'one' | 'many'
  /** The other table. */
  table: string
  /** The column of this table that joins (the reference, or the referenced key). */
  localColumn: string
  /** The column of the other table that joins. */
  remoteColumn: string
}

/** What the record operations need to know about one table, derived once per definition. @internal */
export interface TableContext {
  readonly schema: string
  readonly definition: TableDefinition
  readonly columns: ReadonlyMap<string, ColumnDefinition>
  /** The columns any record API may return: every column that is not secret. */
  readonly readable: readonly ColumnDefinition[]
  readonly primaryKey: ColumnDefinition | undefined
  readonly relations: ReadonlyMap<string, Relation>
  /** `"schema"."table"` */
  readonly qualified: RawBuilder<unknown>
  /** The tables of the database, by name, for relations. */
  readonly tables: ReadonlyMap<string, TableDefinition>
}

const SQL_TYPES = new Map(
  Object.entries(POSTGRES_TYPE_BY_COLUMN_TYPE).map(([type, name]) => [type, sql.raw(name)]),
)

/** The SQL type of a column, from the allowlist. */
export function sqlType(column: Pick<ColumnDefinition, 'type'>): RawBuilder<unknown> {
  return SQL_TYPES.get(column.type)!
}

// Statement pieces are immutable: each column's pieces are built once per definition (the
// definitions of a schema version are kept as long as that version is cached).
const pieces = new WeakMap<ColumnDefinition, Map<string, RawBuilder<unknown>>>()

function memo(
  column: ColumnDefinition,
  key: string,
  build: () => RawBuilder<unknown>,
): RawBuilder<unknown> {
  let map = pieces.get(column)
  if (map === undefined) {
    map = new Map()
    pieces.set(column, map)
  }
  let piece = map.get(key)
  if (piece === undefined) {
    piece = build()
    map.set(key, piece)
  }
  return piece
}

/** `"alias"."column"` */
export function columnRef(alias: string, column: ColumnDefinition): RawBuilder<unknown> {
  return memo(column, `ref:${alias}`, () => sql.raw(`${q(alias)}.${q(column.name)}`))
}

/**
 * A column as it leaves the database: bigint and numeric as text (JSON numbers would lose
 * precision), everything else as Postgres' JSON encoding gives it.
 */
/**
 * A column as a plain result column of a row, read back exactly as {@link outputColumn} reads
 * inside JSON: `date` and `timestamptz` as their JSON text (ISO 8601 whatever the session's
 * `DateStyle`), `bigint` and `numeric` as text, the rest in their own type (the driver parses
 * booleans, numbers and JSON; see `fromTextValue`).
 */
export function plainOutputColumn(alias: string, column: ColumnDefinition): RawBuilder<unknown> {
  return memo(column, `plain:${alias}`, () => buildPlainOutputColumn(alias, column))
}

function buildPlainOutputColumn(alias: string, column: ColumnDefinition): RawBuilder<unknown> {
  const ref = columnRef(alias, column)
  switch (column.type) {
    case 'date':
    case 'timestamptz':
      return sql`to_json(${ref}) as ${sql.raw(q(column.name))}`
    case 'bigint':
    case 'numeric':
      return sql`${ref}::text as ${sql.raw(q(column.name))}`
    default:
      return ref
  }
}

export function outputColumn(alias: string, column: ColumnDefinition): RawBuilder<unknown> {
  return memo(column, `json:${alias}`, () => buildOutputColumn(alias, column))
}

function buildOutputColumn(alias: string, column: ColumnDefinition): RawBuilder<unknown> {
  const ref = columnRef(alias, column)
  return column.type === 'bigint' || column.type === 'numeric'
    ? sql`${ref}::text as ${sql.raw(q(column.name))}`
    : sql`${ref}`
}

function relationsOf(
  definition: TableDefinition,
  tables: ReadonlyMap<string, TableDefinition>,
): Map<string, Relation> {
  const relations = new Map<string, Relation>()
  const taken = new Set(definition.columns.map((c) => c.name))
  const add = (preferred: string, fallback: string, relation: Omit<Relation, 'name'>) => {
    const name = !taken.has(preferred) && !relations.has(preferred) ? preferred : fallback
    if (!relations.has(name) && !taken.has(name)) {
      relations.set(name, { name, ...relation })
    }
  }
  for (const column of definition.columns) {
    const ref = column.references
    if (ref !== undefined && tables.has(ref.table)) {
      const preferred =
        column.name.endsWith('_id') && column.name.length > 3 ? column.name.slice(0, -3) : ref.table
      add(preferred, `${column.name}_${ref.table}`, {
        kind: 'one',
        table: ref.table,
        localColumn: column.name,
        remoteColumn: ref.column,
      })
    }
  }
  for (const other of tables.values()) {
    const incoming = other.columns.filter((c) => c.references?.table === definition.name)
    for (const column of incoming) {
      const preferred = incoming.length === 1 ? other.name : `${other.name}_by_${column.name}`
      add(preferred, `${other.name}_by_${column.name}`, {
        kind: 'many',
        table: other.name,
        localColumn: column.references!.column,
        remoteColumn: column.name,
      })
    }
  }
  return relations
}

const cache = new WeakMap<readonly TableDefinition[], Map<string, TableContext>>()

/**
 * The {@link TableContext} of `name` among a database's definitions; cached until the
 * definitions change (a new array is a new version). `NOT_FOUND` for an unknown table, which
 * includes anything dotted like `other.t` or `basebox.projects`.
 */
export function tableContext(
  schema: string,
  definitions: readonly TableDefinition[],
  name: unknown,
): TableContext {
  let byName = cache.get(definitions)
  if (byName === undefined) {
    byName = new Map()
    cache.set(definitions, byName)
  }
  const key = typeof name === 'string' ? name : ''
  const found = byName.get(key)
  if (found !== undefined) {
    return found
  }
  const definition = definitions.find((t) => t.name === key)
  if (definition === undefined) {
    throw new BaseboxError(
      'NOT_FOUND',
      `table ${JSON.stringify(String(name).slice(0, 80))} does not exist`,
      {
        details: { table: String(name).slice(0, 80) },
      },
    )
  }
  const tables = new Map(definitions.map((t) => [t.name, t]))
  const context: TableContext = {
    schema,
    definition,
    columns: new Map(definition.columns.map((c) => [c.name, c])),
    readable: definition.columns.filter((c) => c.secret !== true),
    primaryKey: definition.columns.find((c) => c.primary_key === true),
    relations: relationsOf(definition, tables),
    qualified: sql.raw(`${q(schema)}.${q(definition.name)}`),
    tables,
  }
  byName.set(key, context)
  return context
}

/** The column `name` of the table, checked: it exists and, unless allowed, is not secret. */
export function requireColumn(
  table: TableContext,
  name: unknown,
  path: (string | number)[],
  options: { allowSecret?: boolean; purpose?: string } = {},
): ColumnDefinition {
  const column = typeof name === 'string' ? table.columns.get(name) : undefined
  if (column === undefined) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      `column ${JSON.stringify(String(name).slice(0, 80))} does not exist in ${JSON.stringify(table.definition.name)}`,
      {
        details: { table: table.definition.name, column: String(name).slice(0, 80), path },
      },
    )
  }
  if (column.secret === true && options.allowSecret !== true) {
    throw new BaseboxError(
      'FORBIDDEN',
      `column ${JSON.stringify(column.name)} is secret and cannot be ${options.purpose ?? 'used'}`,
      {
        details: { table: table.definition.name, column: column.name, path },
      },
    )
  }
  return column
}
