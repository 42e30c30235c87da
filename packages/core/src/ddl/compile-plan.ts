import { compileAccess, databaseRoles } from './compile-access.js'
import { compileStep } from './compile-step.js'
import { applyStepToModel } from './apply-step-to-model.js'
import { findTable, type DatabaseModel } from './database-model.js'
import { quoteIdentifier as q } from './identifier.js'
import type { PlanStep } from './plan-step.js'

/** Where a plan's SQL is shown for: the project's schema and the database's role. */
export interface CompilePlanTarget {
  /** The Postgres schema of the project database. */
  schema: string
  /** The database's Postgres role (its client and schema-owner roles derive from it). */
  role: string
}

/**
 * The SQL each step of a plan runs, by step index, for a preview: `compileStep` on the model
 * just before the step, and for `set_access`/`set_secret` the grants and policies the table gets
 * rebuilt with. The schema name is left out (the statements run in the database's schema).
 * Throws like `applyStepToModel` when a step does not fit the model. Pure: no SQL runs.
 */
export function compilePlanSQL(
  target: CompilePlanTarget,
  current: DatabaseModel,
  steps: readonly PlanStep[],
): string[][] {
  const prefix = `${q(target.schema)}.`
  const unqualify = (statement: string) => statement.replaceAll(prefix, '')
  const roles = databaseRoles(target.role)
  let model = current
  return steps.map((step) => {
    const before = model
    model = applyStepToModel(model, step)
    if (step.kind === 'set_access' || step.kind === 'set_secret') {
      const table = findTable(model, step.table)
      return table === undefined ? [] : compileAccess(target.schema, roles, table).map(unqualify)
    }
    return compileStep({ schema: target.schema }, before, step).map(unqualify)
  })
}
