import type { ColumnType } from './schema/column-type.js'
import type { TableDefinitionInput } from './schema/table-definition.js'

/** Options of {@link generateTypes}. */
export interface GenerateTypesOptions {
  /**
   * The schema key of the generated `Database` type. Default is `'public'`, the schema
   * `@supabase/supabase-js` uses unless told otherwise.
   */
  schema?: string
  /** A comment put at the top of the file, e.g. where the types came from. Default is none. */
  header?: string
}

/** The TypeScript type a column's values have in a row read through the record APIs or the data API. */
const ROW_TYPE_BY_COLUMN_TYPE = {
  uuid: 'string',
  text: 'string',
  integer: 'number',
  // Exact: bigint and numeric come back as strings, never as lossy numbers.
  bigint: 'string',
  numeric: 'string',
  double: 'number',
  boolean: 'boolean',
  date: 'string',
  timestamptz: 'string',
  jsonb: 'Json',
} as const satisfies Record<ColumnType, string>

/** The TypeScript type a column accepts when written: bigint and numeric also take numbers. */
const WRITE_TYPE_BY_COLUMN_TYPE = {
  ...ROW_TYPE_BY_COLUMN_TYPE,
  bigint: 'string | number',
  numeric: 'string | number',
} as const satisfies Record<ColumnType, string>

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
const MAX_NAME_BYTES = 63

// A single-quoted string literal: JSON's escapes, with ' escaped instead of ".
function quote(text: string): string {
  return `'${JSON.stringify(text).slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'")}'`
}

// A property key: bare when it is an identifier, quoted otherwise (so no name can break out).
function key(name: string): string {
  return IDENTIFIER.test(name) ? name : quote(name)
}

// The foreign key name the engine gives (core's `objectName.foreignKey`): `<table>_<column>_fkey`,
// cut and suffixed with a hash when longer than 63 bytes.
function foreignKeyName(table: string, column: string): string {
  const plain = `${table}_${column}_fkey`
  if (plain.length <= MAX_NAME_BYTES) {
    return plain
  }
  let hash = 0x811c9dc5
  for (let i = 0; i < plain.length; i++) {
    hash ^= plain.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return `${plain.slice(0, MAX_NAME_BYTES - 9)}_${(hash >>> 0).toString(16).padStart(8, '0')}`
}

type ColumnInput = TableDefinitionInput['columns'][number]

function typeOf(column: ColumnInput, types: Record<string, string>): string {
  return Object.hasOwn(types, column.type) ? types[column.type]! : 'unknown'
}

function notNull(column: ColumnInput): boolean {
  return column.required === true || column.primary_key === true
}

function block(lines: string[], indent: string): string {
  return lines.length === 0
    ? '{ [_ in never]: never }'
    : `{\n${lines.map((line) => `${indent}  ${line}`).join('\n')}\n${indent}}`
}

function tableType(table: TableDefinitionInput, indent: string): string {
  const columns = table.columns.filter((c) => c.secret !== true)
  const row = columns.map(
    (c) => `${key(c.name)}: ${typeOf(c, ROW_TYPE_BY_COLUMN_TYPE)}${notNull(c) ? '' : ' | null'}`,
  )
  const write = (c: ColumnInput) =>
    `${typeOf(c, WRITE_TYPE_BY_COLUMN_TYPE)}${notNull(c) ? '' : ' | null'}`
  const insert = columns.map(
    (c) => `${key(c.name)}${notNull(c) && c.default === undefined ? '' : '?'}: ${write(c)}`,
  )
  const update = columns.map((c) => `${key(c.name)}?: ${write(c)}`)
  const relationships = table.columns
    .filter((c) => c.references !== undefined)
    .map((c) => {
      const ref = c.references!
      const oneToOne = c.unique === true || c.primary_key === true
      return [
        '{',
        `  foreignKeyName: ${quote(foreignKeyName(table.name, c.name))}`,
        `  columns: [${quote(c.name)}]`,
        `  isOneToOne: ${oneToOne}`,
        `  referencedRelation: ${quote(ref.table)}`,
        `  referencedColumns: [${quote(ref.column ?? 'id')}]`,
        '},',
      ]
    })
  const inner = `${indent}  `
  const relationshipText =
    relationships.length === 0
      ? '[]'
      : `[\n${relationships.flatMap((lines) => lines.map((line) => `${inner}  ${line}`)).join('\n')}\n${inner}]`
  return block(
    [
      `Row: ${block(row, inner)}`,
      `Insert: ${block(insert, inner)}`,
      `Update: ${block(update, inner)}`,
      `Relationships: ${relationshipText}`,
    ],
    indent,
  )
}

/**
 * Turns a database's table definitions into TypeScript types, in the shape `supabase gen types`
 * writes: a `Database` type whose `public.Tables.<name>` has `Row` (what reads return),
 * `Insert` (what a new row needs: required columns without a default are required) and
 * `Update` (every column optional), plus `Relationships` for the foreign keys. So the file
 * works with `createClient<Database>()` of `@supabase/supabase-js` against the data API, and
 * with the row type parameters of a `BaseboxClient`.
 *
 * Columns that are not required may hold `null`. Secret columns (`users.password_hash`) are
 * left out: no API returns or writes them. `jsonb` is `Json`; `bigint` and `numeric` are read
 * as strings (exact) and may be written as numbers too; `date` and `timestamptz` are ISO
 * strings. Tables are sorted by name, columns keep their order. Pure: no I/O.
 *
 * ### Examples
 *
 * ```ts
 * const source = generateTypes((await client.listTables(databaseId)).map((t) => t.definition))
 * // write `source` to src/database.types.ts, then:
 * // const { rows } = await client.selectRows<Tables<'posts'>>(databaseId, 'posts')
 * ```
 */
export function generateTypes(
  definitions: readonly TableDefinitionInput[],
  options: GenerateTypesOptions = {},
): string {
  const schema = options.schema ?? 'public'
  const tables = [...definitions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const indent = '      '
  const tableLines = tables.map((table) => `${key(table.name)}: ${tableType(table, indent)}`)
  const s = `Database[${quote(schema)}]`
  const header =
    options.header === undefined
      ? []
      : [
          '/*',
          ...options.header
            .replaceAll('*/', '* /')
            .split('\n')
            .map((line) => ` * ${line}`.trimEnd()),
          ' */',
          '',
        ]
  return [
    ...header,
    '// Generated by Basebox (generateTypes / basebox-typegen). Do not edit: generate it again after a schema change.',
    '',
    'export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[]',
    '',
    'export type Database = {',
    `  ${key(schema)}: {`,
    `    Tables: ${block(tableLines, '    ')}`,
    '    Views: { [_ in never]: never }',
    '    Functions: { [_ in never]: never }',
    '    Enums: { [_ in never]: never }',
    '    CompositeTypes: { [_ in never]: never }',
    '  }',
    '}',
    '',
    `/** The row type of a table, as reads return it. */`,
    `export type Tables<T extends keyof ${s}['Tables']> = ${s}['Tables'][T]['Row']`,
    '',
    `/** What inserting a row of a table takes. */`,
    `export type TablesInsert<T extends keyof ${s}['Tables']> = ${s}['Tables'][T]['Insert']`,
    '',
    `/** What updating a row of a table takes. */`,
    `export type TablesUpdate<T extends keyof ${s}['Tables']> = ${s}['Tables'][T]['Update']`,
    '',
  ].join('\n')
}
