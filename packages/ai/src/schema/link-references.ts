import {
  isColumnType,
  literalProblem,
  toDefaultFunction,
  DEFAULT_FUNCTIONS,
  type ColumnType,
} from '@basebox/client'
import { fixName, PERSON_ROLES, pluralCandidates } from './names.js'
import { where, type RepairLog } from './repair-log.js'
import type { ColumnDraft, TableDraft } from './table-draft.js'

function keyOf(table: TableDraft): ColumnDraft | undefined {
  return table.columns.find((c) => c.primary_key === true)
}

function isKeyColumn(table: TableDraft, column: ColumnDraft): boolean {
  return (
    column.primary_key === true ||
    column.unique === true ||
    (table.indexes ?? []).some(
      (i) => i.unique === true && i.columns.length === 1 && i.columns[0] === column.name,
    )
  )
}

/** Whether `value` is still a valid default once the column has type `type`. */
function defaultFits(type: ColumnType, value: unknown): boolean {
  const fn = toDefaultFunction(value)
  if (fn !== undefined && type !== 'text' && type !== 'jsonb') {
    return (DEFAULT_FUNCTIONS[fn] as readonly string[]).includes(type)
  }
  return literalProblem(type, value) === undefined
}

/** Gives a referencing column the type of the key it references. */
function matchType(
  table: TableDraft,
  column: ColumnDraft,
  target: ColumnDraft,
  targetTable: string,
  log: RepairLog,
): void {
  if (column.type === target.type || !isColumnType(target.type)) {
    return
  }
  log.repair(
    'reference',
    table.name,
    column.name,
    `made ${where(table.name, column.name)} a ${target.type} like ${where(targetTable, target.name)}, which it references`,
  )
  column.type = target.type
  if (column.default !== undefined && !defaultFits(target.type, column.default)) {
    delete column.default
  }
}

/** The table a reference or `_id` column most likely means, among `tables`. */
function findTarget(
  tables: readonly TableDraft[],
  name: string,
  self: string,
): TableDraft | undefined {
  const fixed = fixName(name, 'table').name ?? name
  const candidates = [...new Set([name, fixed, ...pluralCandidates(fixed)])]
  const found = tables.filter((t) => candidates.includes(t.name))
  return (
    found.find((t) => t.name === name) ??
    found.find((t) => t.name === fixed) ??
    found.find((t) => t.name !== self)
  )
}

function repairReference(
  tables: readonly TableDraft[],
  table: TableDraft,
  column: ColumnDraft,
  log: RepairLog,
): void {
  const ref = column.references!
  let target = tables.find((t) => t.name === ref.table)
  if (target === undefined) {
    target = findTarget(tables, ref.table, table.name)
    if (target === undefined) {
      return
    }
    log.repair(
      'reference',
      table.name,
      column.name,
      `pointed ${where(table.name, column.name)} at table "${target.name}" (it named ${JSON.stringify(ref.table)})`,
    )
    ref.table = target.name
  }
  const key = keyOf(target)
  let targetColumn = target.columns.find((c) => c.name === (ref.column ?? 'id'))
  if (
    (targetColumn === undefined || !isKeyColumn(target, targetColumn)) &&
    key !== undefined &&
    (ref.column === undefined || ref.column === 'id' || targetColumn === undefined)
  ) {
    if (ref.column !== undefined && ref.column !== key.name) {
      log.repair(
        'reference',
        table.name,
        column.name,
        `pointed ${where(table.name, column.name)} at the key ${where(target.name, key.name)} (it named ${JSON.stringify(ref.column)})`,
      )
    }
    ref.column = key.name
    targetColumn = key
  }
  if (targetColumn !== undefined && isKeyColumn(target, targetColumn)) {
    matchType(table, column, targetColumn, target.name, log)
  }
  if (ref.on_delete === 'set null' && (column.required === true || column.primary_key === true)) {
    delete column.required
    log.repair(
      'reference',
      table.name,
      column.name,
      `made ${where(table.name, column.name)} optional: on_delete "set null" needs a column that may be null`,
    )
  }
}

/** Adds the reference an `_id` column names, when exactly one table fits. */
function inferReference(
  tables: readonly TableDraft[],
  table: TableDraft,
  column: ColumnDraft,
  log: RepairLog,
): void {
  const base = column.name.slice(0, -3)
  let target = base === 'parent' ? table : findTarget(tables, base, table.name)
  if (target?.name === table.name && base !== 'parent') {
    target = undefined
  }
  if (
    target === undefined &&
    PERSON_ROLES.has(base) &&
    (column.type === 'uuid' || column.type === 'text')
  ) {
    target = tables.find((t) => t.name === 'users')
  }
  const key = target === undefined ? undefined : keyOf(target)
  if (target === undefined || key === undefined) {
    log.warn(
      `${where(table.name, column.name)} looks like a reference, but no table "${base}" or "${base}s" exists`,
    )
    return
  }
  column.references = { table: target.name, column: key.name }
  log.repair(
    'reference',
    table.name,
    column.name,
    `made ${where(table.name, column.name)} reference ${where(target.name, key.name)}`,
  )
  matchType(table, column, key, target.name, log)
}

/**
 * Fixes the references of new columns across the whole database: a reference to a near name
 * (`user`, `Users`) points at the table that exists, a reference without a key column points at
 * the primary key, a referencing column takes the type of its key, and an `_id` column without a
 * reference gets one when exactly one table fits (`author_id` -> `users` when there is no
 * `authors` table).
 * @internal
 */
export function linkReferences(
  tables: readonly TableDraft[],
  isNew: (table: string, column: string) => boolean,
  log: RepairLog,
): void {
  for (const table of tables) {
    for (const column of table.columns) {
      if (!isNew(table.name, column.name)) {
        continue
      }
      if (column.references !== undefined) {
        repairReference(tables, table, column, log)
      } else if (
        column.name.endsWith('_id') &&
        column.name.length > 3 &&
        column.primary_key !== true
      ) {
        inferReference(tables, table, column, log)
      }
    }
  }
}
