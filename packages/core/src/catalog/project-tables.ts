import type { TableDefinition, TableInfo } from '@basebox/client'
import type { PlanStep } from '../ddl/plan-step.js'
import type { EngineTransaction } from '../engine-context.js'
import { toTableInfo } from './catalog-db.js'

/**
 * The catalog's tables of one database, in creation order, with the permissions of an owner
 * (every operation, or `select` only when `readOnly`). Reads under the transaction's role.
 * @internal
 */
export async function readProjectTables(
  trx: EngineTransaction,
  databaseId: string,
  readOnly: boolean,
): Promise<TableInfo[]> {
  const rows = await trx
    .selectFrom('project_tables')
    .selectAll()
    .where('database_id', '=', databaseId)
    .orderBy('position')
    .execute()
  const allowed = !readOnly
  const permissions = { select: true, insert: allowed, update: allowed, delete: allowed }
  return rows.map((row) => ({ ...toTableInfo(row), permissions: { ...permissions } }))
}

/**
 * Writes the definitions after a plan to the catalog, keeping each table's row across renames.
 * @internal
 */
export async function writeProjectTables(
  trx: EngineTransaction,
  databaseId: string,
  before: TableInfo[],
  model: readonly TableDefinition[],
  steps: readonly PlanStep[],
): Promise<void> {
  const idByName = new Map(before.map((t) => [t.name, t.id]))
  for (const step of steps) {
    if (step.kind === 'rename_table') {
      const id = idByName.get(step.table)
      idByName.delete(step.table)
      if (id !== undefined) {
        idByName.set(step.to, id)
      }
    } else if (step.kind === 'drop_table') {
      idByName.delete(step.table)
    }
  }
  const kept = new Set(
    model.map((t) => idByName.get(t.name)).filter((id): id is string => id !== undefined),
  )
  const gone = before.filter((t) => !kept.has(t.id)).map((t) => t.id)
  if (gone.length > 0) {
    await trx.deleteFrom('project_tables').where('id', 'in', gone).execute()
  }
  const previous = new Map(before.map((t) => [t.id, t]))
  for (const [position, table] of model.entries()) {
    const id = idByName.get(table.name)
    const json = JSON.stringify(table)
    if (id === undefined) {
      await trx
        .insertInto('project_tables')
        .values({
          database_id: databaseId,
          table_name: table.name,
          schema_json: json,
          position,
        })
        .execute()
      continue
    }
    const old = previous.get(id)!
    if (
      old.name !== table.name ||
      JSON.stringify(old.definition) !== json ||
      before.indexOf(old) !== position
    ) {
      await trx
        .updateTable('project_tables')
        .set({ table_name: table.name, schema_json: json, position, updated_at: new Date() })
        .where('id', '=', id)
        .execute()
    }
  }
}

/**
 * Counts one more schema change of a database: record statements compiled against the old
 * definitions are refused from now on.
 * @internal
 */
export async function bumpSchemaVersion(trx: EngineTransaction, databaseId: string): Promise<void> {
  await trx
    .updateTable('project_databases')
    .set((eb) => ({ schema_version: eb('schema_version', '+', '1') }))
    .where('id', '=', databaseId)
    .execute()
}
