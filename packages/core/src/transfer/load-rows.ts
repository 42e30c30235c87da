import { BaseboxError, POSTGRES_TYPE_BY_COLUMN_TYPE, type TableDefinition } from '@basebox/client'
import type { DatabaseHandle } from '../database/database-handle.js'
import { planChanges } from '../ddl/plan-changes.js'
import { quoteIdentifier as q } from '../ddl/identifier.js'
import { definitionKey } from './export-format.js'
import type { PreparedImport } from './import-values.js'

/** The most groups of same-shaped rows one load sends (one bound parameter each). */
const MAX_GROUPS = 1000

/** The time budget of the one statement that loads an import. */
const LOAD_TIMEOUT_MS = 300_000

/**
 * Inserts checked rows into several tables in ONE statement, and so in one transaction: each
 * group of same-shaped rows is a data-modifying CTE that expands one JSON parameter with
 * `json_to_recordset`. Foreign keys are checked at the end of the statement, so neither table
 * order nor reference cycles matter, and a failure anywhere inserts nothing anywhere.
 *
 * It runs through `db.sql()`, as the database's own role (on Postgres, its own login), like
 * any SQL a user of the database may run; every name in it is quoted by `quoteIdentifier` and
 * every value is a bound parameter.
 * @internal
 */
export async function loadRows(db: DatabaseHandle, loads: readonly { table: string; prepared: PreparedImport }[]): Promise<void> {
  const schema = q(db.info.schema_name)
  const parts: string[] = []
  const params: string[] = []
  for (const { table, prepared } of loads) {
    for (const group of prepared.groups) {
      const target = `${schema}.${q(table)}`
      const alias = q(`w${params.length}`)
      if (group.columns.length === 0) {
        params.push(String(group.rows.length))
        parts.push(`${alias} as (insert into ${target} select from generate_series(1, $${params.length}::int))`)
        continue
      }
      params.push(JSON.stringify(group.rows))
      const names = group.columns.map((c) => q(c.name)).join(', ')
      const record = group.columns.map((c) => `${q(c.name)} ${POSTGRES_TYPE_BY_COLUMN_TYPE[c.type]}`).join(', ')
      parts.push(`${alias} as (insert into ${target} (${names}) select ${names} from json_to_recordset($${params.length}::json) as r(${record}))`)
    }
  }
  if (parts.length === 0) {
    return
  }
  if (parts.length > MAX_GROUPS) {
    throw new BaseboxError('LIMIT_EXCEEDED', `an import loads at most ${MAX_GROUPS} groups of rows that give different columns`)
  }
  await db.sql(`with ${parts.join(',\n')}\nselect 1`, params, { timeoutMs: LOAD_TIMEOUT_MS, maxRows: 0 })
}

/**
 * Undoes the schema changes of an import whose rows failed to load: plans the way from the
 * definitions the import left (`after`) back to `before` and applies it. The tables it created
 * are dropped (they are empty: the load inserts all or nothing), and tables it changed are
 * changed back. Returns whether the definitions are now exactly `before`.
 * @internal
 */
export async function undoSchemaChanges(db: DatabaseHandle, after: readonly TableDefinition[], before: readonly TableDefinition[]): Promise<boolean> {
  const plan = planChanges(after, before, { cascade: true })
  if (plan.steps.length > 0) {
    await db.applyPlan(plan)
  }
  const now = await db.definitions()
  return now.length === before.length && now.every((t, i) => definitionKey(t) === definitionKey(before[i]!))
}

/**
 * Applies `steps`, loads the rows, and when the load fails undoes the steps before rethrowing:
 * all or nothing as seen from outside, except for the moment between the two transactions.
 * The error says whether the undo worked (`details.undone`).
 * @internal
 */
export async function applyAndLoad(
  db: DatabaseHandle,
  before: readonly TableDefinition[],
  steps: readonly unknown[],
  loads: readonly { table: string; prepared: PreparedImport }[],
): Promise<void> {
  const after = steps.length > 0 ? (await db.applyPlan({ steps: [...steps] })).map((t) => t.definition) : undefined
  try {
    await loadRows(db, loads)
  } catch (error) {
    if (after === undefined) {
      throw error
    }
    let undone = false
    let undoError: unknown
    try {
      undone = await undoSchemaChanges(db, after, before)
    } catch (e) {
      undoError = e
    }
    const base = error instanceof BaseboxError ? error : new BaseboxError('DATABASE_ERROR', 'the import failed', { cause: error })
    const what = undone ? 'nothing was imported' : 'no row was imported, but undoing its table changes failed: check the tables'
    throw new BaseboxError(base.code, `import failed, ${what}: ${base.message}`, {
      cause: error,
      details: { ...base.details, undone, ...(undoError instanceof BaseboxError ? { undo_error: undoError.message } : {}) },
    })
  }
}
