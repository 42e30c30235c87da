import type { TableDefinition } from '@basebox/client'

/**
 * Orders tables so that a table comes after the tables it references, keeping the given order
 * otherwise: the order a plan or an import creates them in (so that an export round trip keeps
 * it). References to tables outside the list and to the table itself are ignored. Cycles end: a
 * reference back to a table still being placed is ignored, so that table comes after the others
 * of its cycle, which a later step (a deferred reference) has to connect.
 * @internal
 */
export function orderByReferences(tables: readonly TableDefinition[]): TableDefinition[] {
  const byName = new Map<string, TableDefinition>()
  for (const table of tables) {
    if (!byName.has(table.name)) {
      byName.set(table.name, table)
    }
  }
  const done = new Set<string>()
  const visiting = new Set<string>()
  const out: TableDefinition[] = []
  const visit = (table: TableDefinition) => {
    if (done.has(table.name) || visiting.has(table.name)) {
      return
    }
    visiting.add(table.name)
    for (const column of table.columns) {
      const ref = column.references?.table
      const target = ref === undefined || ref === table.name ? undefined : byName.get(ref)
      if (target !== undefined) {
        visit(target)
      }
    }
    visiting.delete(table.name)
    done.add(table.name)
    out.push(table)
  }
  tables.forEach(visit)
  return out
}
