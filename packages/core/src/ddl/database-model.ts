import type { ColumnDefinition, TableDefinition } from '@basebox/client'

/** The tables of one project database, in creation order: what the catalog holds. */
export type DatabaseModel = readonly TableDefinition[]

/** The table named `name` in `model`, or `undefined`. */
export function findTable(model: DatabaseModel, name: string): TableDefinition | undefined {
  return model.find((table) => table.name === name)
}

/** The column named `name` of `table`, or `undefined`. */
export function findColumn(table: TableDefinition, name: string): ColumnDefinition | undefined {
  return table.columns.find((column) => column.name === name)
}

/** The columns of any table in `model` that reference `table` (and `column`, when given). */
export function referencesTo(
  model: DatabaseModel,
  table: string,
  column?: string,
): { table: string; column: string }[] {
  const found: { table: string; column: string }[] = []
  for (const t of model) {
    for (const c of t.columns) {
      if (
        c.references?.table === table &&
        (column === undefined || c.references.column === column)
      ) {
        found.push({ table: t.name, column: c.name })
      }
    }
  }
  return found
}

/** Whether `column` is a key another column may reference: the primary key or unique. */
export function isKey(table: TableDefinition, column: ColumnDefinition): boolean {
  return (
    column.primary_key === true ||
    column.unique === true ||
    (table.indexes ?? []).some(
      (i) => i.unique && i.columns.length === 1 && i.columns[0] === column.name,
    )
  )
}
