import { ColumnDefinition, TableDefinition } from '@basebox/client'
import { where, type RepairLog } from './repair-log.js'
import { toOnDelete } from './repair-values.js'
import { isRecord, type ColumnDraft } from './table-draft.js'

// How models spell the fields of a table definition, and how to read them.

/** Keys models use for column fields, and the field each one means (`null`: drop quietly). @internal */
export const COLUMN_KEYS: Readonly<Record<string, keyof ColumnDraft | 'nullable' | null>> = {
  name: 'name',
  column_name: 'name',
  type: 'type',
  data_type: 'type',
  datatype: 'type',
  type_name: 'type',
  primary_key: 'primary_key',
  primarykey: 'primary_key',
  pk: 'primary_key',
  primary: 'primary_key',
  is_primary_key: 'primary_key',
  unique: 'unique',
  is_unique: 'unique',
  required: 'required',
  not_null: 'required',
  notnull: 'required',
  is_required: 'required',
  nullable: 'nullable',
  is_nullable: 'nullable',
  default: 'default',
  default_value: 'default',
  defaultvalue: 'default',
  references: 'references',
  reference: 'references',
  foreign_key: 'references',
  fk: 'references',
  ref: 'references',
  secret: 'secret',
  is_secret: 'secret',
  sensitive: 'secret',
  hidden: 'secret',
}

// Fields of the client's definitions that the repairs do not handle themselves pass through as
// they are (the client's schema checks them), so a field added there is never dropped here.
export const TABLE_FIELDS: ReadonlySet<string> = new Set(Object.keys(TableDefinition.shape))
export const COLUMN_FIELDS: ReadonlySet<string> = new Set(Object.keys(ColumnDefinition.shape))

/** Keys models use for reference fields. */
const REFERENCE_KEYS: Readonly<Record<string, 'table' | 'column' | 'on_delete'>> = {
  table: 'table',
  table_name: 'table',
  references_table: 'table',
  ref_table: 'table',
  to: 'table',
  column: 'column',
  column_name: 'column',
  field: 'column',
  references_column: 'column',
  key: 'column',
  on_delete: 'on_delete',
  ondelete: 'on_delete',
  delete: 'on_delete',
}

/** `primaryKey`, `on-delete` and `Not Null` become `primary_key`, `on_delete`, `not_null`. */
export function keyOf(raw: string): string {
  return raw
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
}

/** Reads `"users"`, `"users.id"`, `"users(id)"` or an object into a reference draft. */
export function toReference(
  raw: unknown,
  table: string,
  column: string,
  log: RepairLog,
): ColumnDraft['references'] | undefined {
  if (typeof raw === 'string') {
    const match = /^\s*"?([^."(\s]+)"?\s*(?:[.(]\s*"?([^")\s]+)"?\s*\)?)?\s*$/.exec(raw)
    if (match === null) {
      return undefined
    }
    log.repair(
      'format',
      table,
      column,
      `wrote the reference ${JSON.stringify(raw)} of ${where(table, column)} as an object`,
    )
    return match[2] === undefined ? { table: match[1]! } : { table: match[1]!, column: match[2] }
  }
  if (!isRecord(raw)) {
    return undefined
  }
  const ref: { table?: string; column?: string; on_delete?: string } = {}
  for (const [rawKey, value] of Object.entries(raw)) {
    const key = REFERENCE_KEYS[keyOf(rawKey)]
    if (key === undefined || typeof value !== 'string') {
      log.repair(
        'unknown_field',
        table,
        column,
        `dropped the field ${JSON.stringify(rawKey)} of the reference of ${where(table, column)}`,
      )
      continue
    }
    if (key !== rawKey) {
      log.repair(
        'format',
        table,
        column,
        `read ${JSON.stringify(rawKey)} as "${key}" in the reference of ${where(table, column)}`,
      )
    }
    ref[key] = key === 'on_delete' ? toOnDelete(value) : value
  }
  if (ref.table === undefined) {
    return undefined
  }
  if (ref.on_delete !== undefined && ref.on_delete !== raw.on_delete) {
    log.repair(
      'format',
      table,
      column,
      `wrote on_delete of ${where(table, column)} as "${ref.on_delete}"`,
    )
  }
  return ref as ColumnDraft['references']
}
