import {
  POSTGRES_TYPE_BY_COLUMN_TYPE,
  type ColumnType,
  type TableDefinition,
} from '@basebox/client'
import type { RawQuery } from './harness.js'

/** What Postgres itself says about a table, in the shape of a definition (defaults left out). */
export interface IntrospectedTable {
  name: string
  columns: {
    name: string
    type: ColumnType
    required: boolean
    primary_key: boolean
    unique: boolean
    references?: { table: string; column: string; on_delete: string }
  }[]
  indexes: { columns: string[]; unique: boolean }[]
}

const COLUMN_TYPE_BY_POSTGRES = {
  ...Object.fromEntries(Object.entries(POSTGRES_TYPE_BY_COLUMN_TYPE).map(([k, v]) => [v, k])),
  'timestamp with time zone': 'timestamptz',
} as Record<string, ColumnType>

const ON_DELETE: Record<string, string> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
}

function sortIndexes<T>(indexes: T[]): T[] {
  return [...indexes].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
}

/** Reads a table's columns, keys, references and indexes from `pg_catalog`. */
export async function introspectTable(
  query: RawQuery,
  schema: string,
  table: string,
): Promise<IntrospectedTable> {
  const columns = await query<{ name: string; type: string; required: boolean }>(
    `select a.attname as name, format_type(a.atttypid, null) as type, a.attnotnull as required
     from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = $2 and a.attnum > 0 and not a.attisdropped order by a.attnum`,
    [schema, table],
  )
  const constraints = await query<{
    type: string
    columns: string[]
    ref_table: string | null
    ref_columns: string[] | null
    on_delete: string
  }>(
    `select k.contype as type,
            array(select attname::text from pg_attribute where attrelid = k.conrelid and attnum = any(k.conkey) order by attnum) as columns,
            r.relname as ref_table,
            case when k.confrelid = 0 then null else array(select attname::text from pg_attribute where attrelid = k.confrelid and attnum = any(k.confkey)) end as ref_columns,
            k.confdeltype as on_delete
     from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
     left join pg_class r on r.oid = k.confrelid
     where n.nspname = $1 and c.relname = $2`,
    [schema, table],
  )
  const indexes = await query<{ columns: string[]; unique: boolean }>(
    `select array(select a.attname::text from unnest(i.indkey) with ordinality as k(attnum, ord)
                  join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum order by k.ord) as columns,
            i.indisunique as unique
     from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = $2
       and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`,
    [schema, table],
  )
  const has = (type: string, column: string) =>
    constraints.some((k) => k.type === type && k.columns.length === 1 && k.columns[0] === column)
  return {
    name: table,
    columns: columns.map((c) => {
      const fk = constraints.find((k) => k.type === 'f' && k.columns[0] === c.name)
      return {
        name: c.name,
        type: COLUMN_TYPE_BY_POSTGRES[c.type] ?? (c.type as ColumnType),
        required: c.required,
        primary_key: has('p', c.name),
        unique: has('u', c.name),
        ...(fk
          ? {
              references: {
                table: fk.ref_table!,
                column: fk.ref_columns![0]!,
                on_delete: ON_DELETE[fk.on_delete]!,
              },
            }
          : {}),
      }
    }),
    indexes: sortIndexes(indexes.map((i) => ({ columns: i.columns, unique: i.unique }))),
  }
}

/** The {@link IntrospectedTable} a definition should produce: what the catalog promises. */
export function expectedFromDefinition(definition: TableDefinition): IntrospectedTable {
  const fkIndexes = definition.columns
    .filter((c) => c.references)
    .map((c) => ({ columns: [c.name], unique: false }))
  return {
    name: definition.name,
    columns: definition.columns.map((c) => ({
      name: c.name,
      type: c.type,
      required: c.required === true || c.primary_key === true,
      primary_key: c.primary_key === true,
      unique: c.unique === true,
      ...(c.references
        ? {
            references: {
              table: c.references.table,
              column: c.references.column,
              on_delete: c.references.on_delete,
            },
          }
        : {}),
    })),
    indexes: sortIndexes([
      ...fkIndexes,
      ...(definition.indexes ?? []).map((i) => ({ columns: i.columns, unique: i.unique === true })),
    ]),
  }
}

/**
 * What `pg_catalog` holds for one catalog: its schema, every schema owned by one of its roles
 * (the project databases), their relations, columns and constraints, and its roles. Compared
 * before and after a refused operation to prove it changed nothing. Scoped to the catalog so
 * that other catalogs working in parallel on the same server do not disturb it.
 */
export async function catalogFingerprint(query: RawQuery, catalog: string): Promise<string> {
  const prefix = `${catalog.replaceAll('_', '\\_')}\\_%`
  const scope = `(select n.oid from pg_namespace n where n.nspname = $1 or pg_get_userbyid(n.nspowner) like $2)`
  const params = [catalog, prefix]
  const schemas = await query(
    `select nspname from pg_namespace where oid in ${scope} order by 1`,
    params,
  )
  const relations = await query(
    `select n.nspname, c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.oid in ${scope} order by 1, 2`,
    params,
  )
  const attributes = await query(
    `select n.nspname, c.relname, a.attname, a.atttypid, a.attnotnull from pg_attribute a join pg_class c on c.oid = a.attrelid
     join pg_namespace n on n.oid = c.relnamespace
     where n.oid in ${scope} and a.attnum > 0 and not a.attisdropped order by 1, 2, 3`,
    params,
  )
  const constraints = await query(
    `select conname, contype from pg_constraint where connamespace in ${scope} order by 1, 2`,
    params,
  )
  const roles = await query(
    `select rolname from pg_roles where rolname like $2 or rolname = $1 order by 1`,
    params,
  )
  return JSON.stringify({ schemas, relations, attributes, constraints, roles })
}

/** Every row of the catalog tables, for before/after comparisons. */
export async function catalogRows(query: RawQuery, catalog: string): Promise<string> {
  const projects = await query(`select * from "${catalog}".projects order by id`)
  const databases = await query(`select * from "${catalog}".project_databases order by id`)
  const tables = await query(
    `select id, table_name, schema_json, position from "${catalog}".project_tables order by id`,
  )
  return JSON.stringify({ projects, databases, tables })
}
