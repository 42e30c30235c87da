import {
  POSTGRES_TYPE_BY_COLUMN_TYPE,
  type ColumnDefinition,
  type TableDefinition,
} from '@basebox/client'

/** At most this many sample rows per table reach the model. */
export const MAX_SAMPLE_ROWS = 3
/** Longer sample values are cut to this many characters. */
const MAX_SAMPLE_CHARS = 200

function describeColumn(column: ColumnDefinition): string {
  const parts = [column.name, POSTGRES_TYPE_BY_COLUMN_TYPE[column.type]]
  if (column.primary_key === true) {
    parts.push('primary key')
  }
  if (column.required === true && column.primary_key !== true) {
    parts.push('not null')
  }
  if (column.unique === true) {
    parts.push('unique')
  }
  if (column.references !== undefined) {
    parts.push(
      `references ${column.references.table}(${column.references.column}) on delete ${column.references.on_delete}`,
    )
  }
  return parts.join(' ')
}

/**
 * The database as the model sees it: tables, columns, types, keys and relations. Secret columns
 * are left out, and a table that has some is marked so the model never selects `*` from it.
 * @internal
 */
export function describeDatabase(tables: readonly TableDefinition[]): string {
  const blocks = tables.map((table) => {
    const hidden = table.columns.some((c) => c.secret === true)
    const columns = table.columns
      .filter((c) => c.secret !== true)
      .map((c) => `  ${describeColumn(c)}`)
    const indexes = (table.indexes ?? []).map(
      (i) => `  ${i.unique === true ? 'unique ' : ''}index (${i.columns.join(', ')})`,
    )
    return [
      `table ${table.name}${hidden ? ' -- has hidden columns' : ''}`,
      ...columns,
      ...indexes,
    ].join('\n')
  })
  return `<database>\n${blocks.join('\n\n').replaceAll('<', '\\u003c')}\n</database>`
}

function sampleValue(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.length > MAX_SAMPLE_CHARS ? `${value.slice(0, MAX_SAMPLE_CHARS)}…` : value
  }
  if (value !== null && typeof value === 'object') {
    const json = JSON.stringify(value) ?? ''
    return json.length > MAX_SAMPLE_CHARS ? `${json.slice(0, MAX_SAMPLE_CHARS)}…` : value
  }
  return value
}

/**
 * Sample rows as the model sees them: only known tables, only listed non-secret columns, at most
 * {@link MAX_SAMPLE_ROWS} rows per table, long values cut. `undefined` when there are none.
 * @internal
 */
export function describeSampleRows(
  tables: readonly TableDefinition[],
  sampleRows: Readonly<Record<string, readonly Record<string, unknown>[]>> | undefined,
): string | undefined {
  if (sampleRows === undefined) {
    return undefined
  }
  const out: Record<string, Record<string, unknown>[]> = {}
  for (const table of tables) {
    const rows = sampleRows[table.name]
    if (!Array.isArray(rows) || rows.length === 0) {
      continue
    }
    const visible = table.columns.filter((c) => c.secret !== true).map((c) => c.name)
    out[table.name] = rows
      .slice(0, MAX_SAMPLE_ROWS)
      .map((row) =>
        Object.fromEntries(
          visible
            .filter((name) => Object.hasOwn(row ?? {}, name))
            .map((name) => [name, sampleValue(row[name])]),
        ),
      )
  }
  return Object.keys(out).length === 0
    ? undefined
    : `<rows>${JSON.stringify(out).replaceAll('<', '\\u003c')}</rows>`
}

/** The names of secret columns that no other column shares, and the tables that have secrets. @internal */
export function secretNames(tables: readonly TableDefinition[]): {
  columns: Set<string>
  tables: Set<string>
} {
  const secret = new Set<string>()
  const open = new Set<string>()
  const withSecrets = new Set<string>()
  for (const table of tables) {
    for (const column of table.columns) {
      if (column.secret === true) {
        secret.add(column.name)
        withSecrets.add(table.name)
      } else {
        open.add(column.name)
      }
    }
  }
  return { columns: new Set([...secret].filter((name) => !open.has(name))), tables: withSecrets }
}
