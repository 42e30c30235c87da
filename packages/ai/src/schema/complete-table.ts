import { where, type RepairLog } from './repair-log.js'
import { sameJSON, type ColumnDraft, type IndexDraft, type TableDraft } from './table-draft.js'

const ID_COLUMN: ColumnDraft = {
  name: 'id',
  type: 'uuid',
  primary_key: true,
  default: 'gen_random_uuid()',
}
const TIMESTAMP_COLUMNS = ['created_at', 'updated_at'] as const
const SECRET_NAME =
  /(^|_)(password|password_hash|hashed_password|secret|api_key|private_key|access_token|refresh_token|token_hash|key_hash)$/

/**
 * Makes names unique within a table: an exact repeat of a column is dropped, a different column
 * with a taken name gets a numbered name (`status_2`). Identical indexes are kept once, and
 * index columns that are not in the table are dropped.
 * @internal
 */
export function dedupeTable(table: TableDraft, log: RepairLog): void {
  const byName = new Map<string, ColumnDraft>()
  const columns: ColumnDraft[] = []
  for (const column of table.columns) {
    const seen = byName.get(column.name)
    if (seen === undefined) {
      byName.set(column.name, column)
      columns.push(column)
      continue
    }
    if (sameJSON(seen, column)) {
      log.repair(
        'duplicate',
        table.name,
        column.name,
        `dropped a repeat of column ${where(table.name, column.name)}`,
      )
      continue
    }
    let n = 2
    while (byName.has(`${column.name}_${n}`)) {
      n += 1
    }
    const renamed = { ...column, name: `${column.name}_${n}` }
    log.repair(
      'duplicate',
      table.name,
      renamed.name,
      `renamed a second column ${where(table.name, column.name)} to "${renamed.name}"`,
    )
    byName.set(renamed.name, renamed)
    columns.push(renamed)
  }
  table.columns = columns
  if (table.indexes === undefined) {
    return
  }
  const kept: IndexDraft[] = []
  for (const index of table.indexes) {
    const unknown = index.columns.filter((c) => !byName.has(c))
    if (unknown.length > 0) {
      log.repair(
        'index',
        table.name,
        undefined,
        `dropped the index on ${JSON.stringify(index.columns.join(', '))} of "${table.name}": ${JSON.stringify(unknown[0])} is not a column`,
      )
      continue
    }
    const unique = [...new Set(index.columns)]
    const next: IndexDraft =
      index.unique === true ? { columns: unique, unique: true } : { columns: unique }
    if (kept.some((k) => sameJSON(k, next))) {
      log.repair(
        'duplicate',
        table.name,
        undefined,
        `dropped a repeat of the index on ${JSON.stringify(unique.join(', '))} of "${table.name}"`,
      )
      continue
    }
    kept.push(next)
  }
  if (kept.length > 0) {
    table.indexes = kept
  } else {
    delete table.indexes
  }
}

/**
 * Gives a new table the key and timestamps of the conventions: one `id uuid` primary key with
 * `gen_random_uuid()` (a composite key becomes a unique index, an integer `id` without a
 * default becomes a uuid), and `created_at`/`updated_at` timestamptz columns defaulting to now().
 * @internal
 */
export function completeNewTable(table: TableDraft, log: RepairLog): void {
  const keys = table.columns.filter((c) => c.primary_key === true)
  if (keys.length > 1) {
    const names = keys.map((c) => c.name)
    for (const column of keys) {
      delete column.primary_key
    }
    const index: IndexDraft = { columns: names, unique: true }
    if (!(table.indexes ?? []).some((i) => sameJSON(i, index))) {
      table.indexes = [...(table.indexes ?? []), index]
    }
    log.repair(
      'primary_key',
      table.name,
      undefined,
      `made the key on ${JSON.stringify(names.join(', '))} of "${table.name}" a unique index, as a table has one primary key column`,
    )
  }
  let key = table.columns.find((c) => c.primary_key === true)
  const id = table.columns.find((c) => c.name === 'id')
  if (key === undefined) {
    if (id === undefined) {
      table.columns.unshift({ ...ID_COLUMN })
      log.repair(
        'primary_key',
        table.name,
        'id',
        `added the primary key ${where(table.name, 'id')} (uuid, gen_random_uuid())`,
      )
      key = table.columns[0]!
    } else {
      id.primary_key = true
      key = id
      log.repair('primary_key', table.name, 'id', `made ${where(table.name, 'id')} the primary key`)
    }
  }
  if (key.name === 'id' && key.default === undefined) {
    if (key.type !== 'uuid') {
      log.repair(
        'primary_key',
        table.name,
        'id',
        `made ${where(table.name, 'id')} a uuid (it was ${key.type} with no default, and Basebox has no sequences)`,
      )
      key.type = 'uuid'
    } else {
      log.repair(
        'primary_key',
        table.name,
        'id',
        `gave ${where(table.name, 'id')} the default gen_random_uuid()`,
      )
    }
    key.default = 'gen_random_uuid()'
  }
  const added: string[] = []
  for (const name of TIMESTAMP_COLUMNS) {
    const column = table.columns.find((c) => c.name === name)
    if (column === undefined) {
      table.columns.push({ name, type: 'timestamptz', required: true, default: 'now()' })
      added.push(name)
      continue
    }
    if (column.type !== 'timestamptz') {
      log.repair(
        'timestamps',
        table.name,
        name,
        `made ${where(table.name, name)} a timestamptz with the default now() (it was ${column.type})`,
      )
      column.type = 'timestamptz'
      column.default = 'now()'
    } else if (column.default === undefined) {
      column.default = 'now()'
      log.repair(
        'timestamps',
        table.name,
        name,
        `gave ${where(table.name, name)} the default now()`,
      )
    }
  }
  if (added.length > 0) {
    log.repair(
      'timestamps',
      table.name,
      undefined,
      `added ${added.map((n) => where(table.name, n)).join(' and ')} (timestamptz, now())`,
    )
  }
  for (const column of table.columns) {
    if (column.secret !== true && SECRET_NAME.test(column.name)) {
      column.secret = true
      log.repair(
        'secret',
        table.name,
        column.name,
        `marked ${where(table.name, column.name)} secret: it holds a password, key or token`,
      )
    }
  }
}
