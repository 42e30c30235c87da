import type { TableDefinitionInput } from '@basebox/client'
import { sql } from 'kysely'
import type { Basebox } from '../basebox.js'
import type { DatabaseHandle, Row } from '../database/database-handle.js'

/** Every column type, a self-reference, a unique key, defaults and an index. */
export const KINDS_TABLE: TableDefinitionInput = {
  name: 'kinds',
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'label', type: 'text', required: true, default: 'untitled' },
    { name: 'note', type: 'text' },
    { name: 'big', type: 'bigint' },
    { name: 'amount', type: 'numeric' },
    { name: 'ratio', type: 'double' },
    { name: 'flag', type: 'boolean', default: false },
    { name: 'day', type: 'date' },
    { name: 'at', type: 'timestamptz' },
    { name: 'ref', type: 'uuid', unique: true },
    { name: 'doc', type: 'jsonb' },
    {
      name: 'parent_id',
      type: 'integer',
      references: { table: 'kinds', column: 'id', on_delete: 'set null' },
    },
  ],
  indexes: [{ columns: ['day', 'flag'] }],
  access: { select: 'public', insert: 'authenticated' },
}

/** Text that breaks naive CSV, SQL, JSON or psql handling. */
export const AWKWARD_TEXTS = [
  '',
  "it's",
  'say "hi"',
  'two\nlines',
  'cr\r\nlf',
  ' padded ',
  'comma, here',
  'Zoë 🏔 日本語 עברית',
  'back\\slash \\. \\N',
  '-- not a comment',
  "'); drop table kinds; --",
  ":var $1 $$ E'x'",
  '\t tab',
] as const

/** Rows of {@link KINDS_TABLE}: extremes of each type, nulls, and a row whose parent comes later. */
export const KINDS_ROWS: Row[] = [
  ...AWKWARD_TEXTS.map((note, i) => ({ id: i + 1, label: `label ${i + 1}`, note })),
  {
    id: 20,
    label: 'extremes high',
    big: '9223372036854775807',
    amount: '123456789012345678901234567890.123456789',
    ratio: 1e300,
    flag: true,
    day: '9999-12-31',
    at: '2024-03-01T12:34:56.123456Z',
    ref: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    doc: { a: [1, 2.5, { b: null }], 'k"ey': "va'lue\n", deep: { emoji: '🏔' } },
    parent_id: 21,
  },
  {
    id: 21,
    label: 'extremes low',
    big: '-9223372036854775808',
    amount: '-0.000001',
    ratio: -2.5e-300,
    flag: false,
    day: '0100-01-01',
    at: '1970-01-01T00:00:00Z',
    ref: 'B0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12',
    doc: 'just a string',
    parent_id: 20,
  },
  { id: 22, label: 'trailing zeros', amount: '1.50', ratio: 0.1, big: '0', doc: [], parent_id: 22 },
  { id: 23, label: 'numbers in json', ratio: 3.141592653589793, doc: 42 },
  { id: 24, label: '', note: null, doc: true },
]

/** A table with no primary key, with repeated rows. */
export const LOG_TABLE: TableDefinitionInput = {
  name: 'log',
  columns: [
    { name: 'msg', type: 'text' },
    { name: 'n', type: 'integer' },
  ],
}

/** Rows of {@link LOG_TABLE}. */
export const LOG_ROWS: Row[] = [
  { msg: 'b', n: 1 },
  { msg: 'a', n: 2 },
  { msg: 'a', n: 2 },
  { msg: null, n: null },
  { msg: '', n: 0 },
]

/** Expects a promise to reject with a `BaseboxError` of `code`, and returns the error. */
export { expectCode } from './expect-code.js'

/**
 * What an import must leave as it was when it fails: the definitions and row counts; with the
 * engine, also the catalog (`project_tables` rows, the schema version), the audit log, and the
 * relations Postgres holds in the database's schema (tables, indexes, sequences).
 */
export async function databaseState(
  db: DatabaseHandle,
  bb?: Basebox,
): Promise<Record<string, unknown>> {
  const definitions = await db.definitions()
  const counts: Record<string, number> = {}
  for (const table of definitions) {
    counts[table.name] = (await db.select(table.name, { limit: 0, count: 'exact' })).count!
  }
  if (bb === undefined) {
    return { definitions, counts }
  }
  const catalog = bb.catalog.schema
  const tables = await sql<
    Record<string, unknown>
  >`select id, table_name, schema_json::text as schema_json, position, updated_at::text as updated_at from ${sql.id(catalog, 'project_tables')} where database_id = ${db.id} order by position`.execute(
    bb.kysely,
  )
  const version = await sql<{
    v: string
  }>`select schema_version::text as v from ${sql.id(catalog, 'project_databases')} where id = ${db.id}`.execute(
    bb.kysely,
  )
  const relations = await sql<{
    name: string
    kind: string
  }>`select c.relname as name, c.relkind::text as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${db.info.schema_name} order by 1`.execute(
    bb.kysely,
  )
  const audit = (await db.auditLog({ limit: 100 })).entries.map((e) => `${e.id} ${e.action}`)
  return {
    definitions,
    counts,
    catalog: tables.rows,
    schemaVersion: version.rows[0]?.v,
    relations: relations.rows,
    audit,
  }
}

/** Collects a stream of text chunks. */
export async function collectText(
  chunks: AsyncIterable<string>,
): Promise<{ text: string; chunks: number }> {
  let text = ''
  let count = 0
  for await (const chunk of chunks) {
    text += chunk
    count++
  }
  return { text, chunks: count }
}
