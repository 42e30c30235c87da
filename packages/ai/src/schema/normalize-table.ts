import { isColumnType } from '@basebox/client'
import { COLUMN_FIELDS, COLUMN_KEYS, keyOf, TABLE_FIELDS, toReference } from './field-names.js'
import { fixName } from './names.js'
import { where, type RepairLog } from './repair-log.js'
import { toColumnDefault, toColumnType, toFlag } from './repair-values.js'
import { isRecord, type ColumnDraft, type IndexDraft, type TableDraft } from './table-draft.js'

function normalizeColumn(
  raw: unknown,
  table: string,
  index: number,
  log: RepairLog,
): ColumnDraft | undefined {
  const path = ['tables', table, 'columns', index]
  if (!isRecord(raw)) {
    log.issue(path, 'a column must be an object with a name and a type')
    return undefined
  }
  const fields: Record<string, unknown> = {}
  const passed: Record<string, unknown> = {}
  for (const [rawKey, value] of Object.entries(raw)) {
    const key = COLUMN_KEYS[keyOf(rawKey)]
    if (key === undefined && COLUMN_FIELDS.has(rawKey)) {
      passed[rawKey] = value
      continue
    }
    if (key === undefined || key === null) {
      log.repair(
        'unknown_field',
        table,
        typeof raw.name === 'string' ? raw.name : undefined,
        `dropped the unknown field ${JSON.stringify(rawKey)} of a column of ${where(table)}`,
      )
      continue
    }
    if (key === 'nullable') {
      const flag = toFlag(value)
      if (flag !== undefined) {
        fields.required = !flag
      }
      continue
    }
    fields[key] = value
  }
  if (typeof fields.name !== 'string' || fields.name.trim() === '') {
    log.issue([...path, 'name'], 'every column needs a name')
    return undefined
  }
  const fixed = fixName(fields.name, 'column')
  if (fixed.name === undefined) {
    log.issue(
      [...path, 'name'],
      `column name ${JSON.stringify(fields.name)} cannot be made a valid name`,
    )
    return undefined
  }
  const name = fixed.name
  if (name !== fields.name) {
    log.repair(
      fixed.reserved ? 'reserved_word' : 'name',
      table,
      name,
      `renamed column ${where(table, fields.name)} to "${name}"`,
    )
  }
  const column: ColumnDraft = { name, type: '', ...passed }
  const rawType = fields.type
  const type = typeof rawType === 'string' ? toColumnType(rawType) : undefined
  if (type === undefined) {
    log.issue(
      [...path, 'type'],
      `column ${where(table, name)} has the type ${JSON.stringify(rawType)}; use one of the listed types`,
    )
    column.type = typeof rawType === 'string' ? rawType : ''
  } else {
    if (type !== rawType) {
      log.repair(
        'type',
        table,
        name,
        `changed the type of ${where(table, name)} from ${JSON.stringify(rawType)} to "${type}"`,
      )
    }
    column.type = type
  }
  for (const flag of ['primary_key', 'unique', 'required', 'secret'] as const) {
    if (fields[flag] !== undefined) {
      const value = toFlag(fields[flag])
      if (value === undefined) {
        log.issue([...path, flag], `${flag} of ${where(table, name)} must be true or false`)
      } else if (value) {
        column[flag] = true
      }
    }
  }
  if (fields.default !== undefined) {
    normalizeDefault(column, fields.default, table, log)
  }
  if (fields.references !== undefined && fields.references !== null) {
    const ref = toReference(fields.references, table, name, log)
    if (ref === undefined) {
      log.issue(
        [...path, 'references'],
        `the reference of ${where(table, name)} must be { "table": ..., "column": ..., "on_delete": ... }`,
      )
    } else {
      column.references = ref
    }
  }
  return column
}

/** Puts `value` as the column's default, in the form a definition accepts when that is obvious. */
export function normalizeDefault(
  column: ColumnDraft,
  value: unknown,
  table: string,
  log: RepairLog,
): void {
  if (value === null || (typeof value === 'string' && value.trim().toLowerCase() === 'null')) {
    log.repair(
      'default',
      table,
      column.name,
      `dropped the null default of ${where(table, column.name)} (null is the default anyway)`,
    )
    return
  }
  if (!isColumnType(column.type)) {
    column.default = value
    return
  }
  const fixed = toColumnDefault(column.type, value)
  if (fixed === undefined) {
    column.default = value
    return
  }
  if (JSON.stringify(fixed) !== JSON.stringify(value)) {
    log.repair(
      'default',
      table,
      column.name,
      `wrote the default ${JSON.stringify(value)} of ${where(table, column.name)} as ${JSON.stringify(fixed)}`,
    )
  }
  column.default = fixed
}

function normalizeIndex(raw: unknown, table: string, log: RepairLog): IndexDraft | undefined {
  const columns = isRecord(raw) ? (raw.columns ?? raw.fields) : raw
  const list = typeof columns === 'string' ? columns.split(',').map((c) => c.trim()) : columns
  if (!Array.isArray(list) || list.length === 0 || !list.every((c) => typeof c === 'string')) {
    log.repair(
      'index',
      table,
      undefined,
      `dropped an index of ${where(table)} that names no columns`,
    )
    return undefined
  }
  const index: IndexDraft = { columns: list as string[] }
  if (isRecord(raw) && toFlag(raw.unique) === true) {
    index.unique = true
  }
  return index
}

/**
 * Reads one table of a model's output into a draft: known field spellings (camel case, `pk`,
 * `nullable`), names made valid, types and defaults written the way a definition wants them.
 * What cannot be read safely is logged as an issue for the model to fix.
 * @internal
 */
export function normalizeTable(
  raw: unknown,
  position: number,
  log: RepairLog,
): TableDraft | undefined {
  if (!isRecord(raw)) {
    log.issue(['tables', position], 'a table must be an object with a name and columns')
    return undefined
  }
  const rawName = raw.name ?? raw.table_name ?? raw.tableName
  if (typeof rawName !== 'string' || rawName.trim() === '') {
    log.issue(['tables', position, 'name'], 'every table needs a name')
    return undefined
  }
  const fixed = fixName(rawName, 'table')
  if (fixed.name === undefined) {
    log.issue(
      ['tables', position, 'name'],
      `table name ${JSON.stringify(rawName)} cannot be made a valid name`,
    )
    return undefined
  }
  const name = fixed.name
  if (name !== rawName) {
    log.repair(
      fixed.reserved ? 'reserved_word' : 'name',
      name,
      undefined,
      `renamed table ${JSON.stringify(rawName)} to "${name}"`,
    )
  }
  for (const key of Object.keys(raw)) {
    if (!TABLE_FIELDS.has(key) && !['table_name', 'tableName', 'fields', 'indices'].includes(key)) {
      log.repair(
        'unknown_field',
        name,
        undefined,
        `dropped the unknown field ${JSON.stringify(key)} of table "${name}"`,
      )
    }
  }
  const rawColumns = raw.columns ?? raw.fields
  if (!Array.isArray(rawColumns) || rawColumns.length === 0) {
    log.issue(['tables', name, 'columns'], `table "${name}" needs a non-empty "columns" array`)
    return { name, columns: [] }
  }
  // Remember each raw column name's fixed name, so indexes that use the raw names still match.
  const renames = new Map<string, string>()
  const columns: ColumnDraft[] = []
  rawColumns.forEach((rawColumn, i) => {
    const column = normalizeColumn(rawColumn, name, i, log)
    if (column !== undefined) {
      if (isRecord(rawColumn) && typeof rawColumn.name === 'string') {
        renames.set(rawColumn.name, column.name)
      }
      columns.push(column)
    }
  })
  const table: TableDraft = { name, columns }
  const rawIndexes = raw.indexes ?? raw.indices
  if (Array.isArray(rawIndexes)) {
    const indexes = rawIndexes
      .map((rawIndex) => normalizeIndex(rawIndex, name, log))
      .filter((index): index is IndexDraft => index !== undefined)
      .map((index) => ({
        ...index,
        columns: index.columns.map((c) => renames.get(c) ?? fixName(c, 'column').name ?? c),
      }))
    if (indexes.length > 0) {
      table.indexes = indexes
    }
  } else if (rawIndexes !== undefined) {
    log.repair('index', name, undefined, `dropped the "indexes" of "${name}": it was not a list`)
  }
  for (const key of TABLE_FIELDS) {
    if (!['name', 'columns', 'indexes', 'access'].includes(key) && raw[key] !== undefined) {
      ;(table as unknown as Record<string, unknown>)[key] = raw[key]
    }
  }
  if (isRecord(raw.access)) {
    const access = { ...raw.access }
    if (typeof access.owner_column === 'string') {
      access.owner_column = renames.get(access.owner_column) ?? access.owner_column
    }
    table.access = access
  } else if (raw.access !== undefined && raw.access !== null) {
    log.issue(['tables', name, 'access'], `the access rules of "${name}" must be an object`)
  }
  return table
}
