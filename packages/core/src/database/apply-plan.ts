import {
  BaseboxError,
  ValidationError,
  type ColumnType,
  type TableDefinition,
} from '@basebox/client'
import { sql } from 'kysely'
import { conversionSQL } from '../ddl/column-sql.js'
import { compileAccess, databaseRoles } from '../ddl/compile-access.js'
import { compileStep } from '../ddl/compile-step.js'
import { applyStepToModel } from '../ddl/apply-step-to-model.js'
import { findColumn, findTable, type DatabaseModel } from '../ddl/database-model.js'
import { assertValidDatabase } from '../ddl/database-problems.js'
import { quoteIdentifier as q } from '../ddl/identifier.js'
import type { PlanProblem, PlanStep } from '../ddl/plan-step.js'
import {
  actAsEngine,
  actAsSchemaOwner,
  type EngineContext,
  type EngineTransaction,
} from '../engine-context.js'
import { fromDatabaseError, isPostgresError } from '../errors/from-database-error.js'

const MAX_PROBLEM_ROWS = 20

/** The database a plan runs against. @internal */
export interface PlanTarget {
  schema_name: string
  role_name: string
}

/** Whether a Postgres error is about the data (classes 22 and 23), not the statement. */
function isDataError(error: unknown): boolean {
  return isPostgresError(error) && (error.code.startsWith('22') || error.code.startsWith('23'))
}

function keyOf(table: TableDefinition): string {
  const pk = table.columns.find((c) => c.primary_key === true)
  return pk === undefined ? 'ctid' : q(pk.name)
}

async function rows(
  trx: EngineTransaction,
  text: string,
): Promise<{ key: unknown; value: unknown }[]> {
  const result = await sql.raw<{ key: unknown; value: unknown }>(text).execute(trx)
  return result.rows.map((r) => ({ key: r.key, value: r.value }))
}

/**
 * Finds the rows that made a step fail, so the problem can name them. Runs after the failed
 * step was rolled back to its savepoint, against the data as it is at that step.
 */
async function offendingRows(
  ctx: EngineContext,
  trx: EngineTransaction,
  target: PlanTarget,
  model: DatabaseModel,
  step: PlanStep,
): Promise<{ message: string; column?: string; rows: { key: unknown; value: unknown }[] }> {
  const table = step.kind === 'create_table' ? undefined : findTable(model, step.table)
  if (table === undefined) {
    return { message: 'the step failed', rows: [] }
  }
  const t = `${q(target.schema_name)}.${q(table.name)}`
  const key = keyOf(table)
  const nulls = async (column: string) =>
    rows(
      trx,
      `select ${key}::text as key, null as value from ${t} where ${q(column)} is null limit ${MAX_PROBLEM_ROWS}`,
    )
  const duplicates = async (columns: string[]) => {
    const list = columns.map(q).join(', ')
    return rows(
      trx,
      `select (array_agg(${key}::text))[1:5] as key, row(${list})::text as value from ${t}
       where ${columns.map((c) => `${q(c)} is not null`).join(' and ')}
       group by ${list} having count(*) > 1 limit ${MAX_PROBLEM_ROWS}`,
    )
  }
  switch (step.kind) {
    case 'change_type': {
      const column = findColumn(table, step.column)!
      const result = await sql<{
        key: string
        value: string
      }>`select key, value from ${sql.id(ctx.catalog.schema, 'conversion_failures')}(${`${target.schema_name}.${table.name}`}::regclass, ${key === 'ctid' ? null : table.columns.find((c) => c.primary_key)!.name}, ${step.column}, ${conversionSQL('$1', column.type as ColumnType, step.to)}, ${MAX_PROBLEM_ROWS})`.execute(
        trx,
      )
      return {
        column: step.column,
        message: `${result.rows.length === MAX_PROBLEM_ROWS ? 'at least ' : ''}${result.rows.length} row(s) of ${JSON.stringify(`${table.name}.${step.column}`)} cannot be converted to ${step.to}`,
        rows: result.rows,
      }
    }
    case 'set_required':
    case 'set_primary_key': {
      const column = step.column
      if (column === null) {
        break
      }
      const found = await nulls(column)
      if (found.length > 0) {
        return {
          column,
          message: `${JSON.stringify(`${table.name}.${column}`)} has null values`,
          rows: found,
        }
      }
      return {
        column,
        message: `${JSON.stringify(`${table.name}.${column}`)} has duplicate values`,
        rows: await duplicates([column]),
      }
    }
    case 'add_column':
      return {
        column: step.column.name,
        message: `${JSON.stringify(table.name)} has rows, so the new required column ${JSON.stringify(step.column.name)} needs a default`,
        rows: await rows(
          trx,
          `select ${key}::text as key, null as value from ${t} limit ${MAX_PROBLEM_ROWS}`,
        ),
      }
    case 'set_unique':
      return {
        column: step.column,
        message: `${JSON.stringify(`${table.name}.${step.column}`)} has duplicate values`,
        rows: await duplicates([step.column]),
      }
    case 'create_index':
      return {
        message: `${JSON.stringify(table.name)} has duplicate values for the unique index`,
        rows: await duplicates(step.index.columns),
      }
    case 'set_reference': {
      const ref = step.references
      if (ref === null) {
        break
      }
      return {
        column: step.column,
        message: `${JSON.stringify(`${table.name}.${step.column}`)} has values with no matching row in ${JSON.stringify(ref.table)}`,
        rows: await rows(
          trx,
          `select ${key}::text as key, ${q(step.column)}::text as value from ${t} x
           where ${q(step.column)} is not null and not exists (
             select 1 from ${q(target.schema_name)}.${q(ref.table)} r where r.${q(ref.column)} = x.${q(step.column)})
           limit ${MAX_PROBLEM_ROWS}`,
        ),
      }
    }
    default:
      break
  }
  return { message: 'the data does not fit this step', rows: [] }
}

/**
 * Runs plan steps inside the caller's transaction: each step's DDL runs under the database's
 * role in a savepoint; a step the data refuses is rolled back to its savepoint and reported with
 * the offending rows. Returns the model after the plan and the problems found. The caller
 * commits only when there are no problems.
 * @internal
 */
export async function runPlan(
  ctx: EngineContext,
  trx: EngineTransaction,
  target: PlanTarget,
  current: DatabaseModel,
  steps: readonly PlanStep[],
): Promise<{ model: DatabaseModel; problems: PlanProblem[] }> {
  // Check every step against the model before any SQL runs.
  const models: DatabaseModel[] = [current]
  for (const step of steps) {
    models.push(applyStepToModel(models[models.length - 1]!, step))
  }
  const final = models[models.length - 1]!
  assertValidDatabase(final)

  const problems: PlanProblem[] = []
  await actAsSchemaOwner(trx, target)
  for (const [index, step] of steps.entries()) {
    const statements = compileStep({ schema: target.schema_name }, models[index]!, step)
    if (statements.length === 0) {
      continue
    }
    await sql.raw('savepoint basebox_step').execute(trx)
    try {
      for (const statement of statements) {
        await sql.raw(statement).execute(trx)
      }
      await sql.raw('release savepoint basebox_step').execute(trx)
    } catch (error) {
      await sql.raw('rollback to savepoint basebox_step').execute(trx)
      const table = step.kind === 'create_table' ? step.table.name : step.table
      if (!isDataError(error) && problems.length === 0) {
        throw fromDatabaseError(error)
      }
      if (isDataError(error)) {
        await actAsEngine(trx)
        const found = await offendingRows(ctx, trx, target, models[index]!, step)
        await actAsSchemaOwner(trx, target)
        problems.push({ step: index, table, ...found })
      } else {
        problems.push({ step: index, table, message: fromDatabaseError(error).message, rows: [] })
      }
    }
  }
  if (problems.length === 0) {
    // Grants and policies follow the final definitions of each table the plan touched.
    const roles = databaseRoles(target.role_name)
    const touched = touchedTables(steps)
    const created = new Set(steps.flatMap((s) => (s.kind === 'create_table' ? [s.table.name] : [])))
    for (const table of final.filter((t) => touched.has(t.name))) {
      for (const statement of compileAccess(target.schema_name, roles, table, {
        fresh: created.has(table.name) && !current.some((c) => c.name === table.name),
      })) {
        await sql.raw(statement).execute(trx)
      }
    }
  }
  return { model: final, problems }
}

/** The final names of the tables a plan creates or changes (renames followed). */
function touchedTables(steps: readonly PlanStep[]): Set<string> {
  const touched = new Set<string>()
  for (const step of steps) {
    if (step.kind === 'create_table') {
      touched.add(step.table.name)
    } else if (step.kind === 'rename_table') {
      touched.delete(step.table)
      touched.add(step.to)
    } else if (step.kind !== 'drop_table') {
      touched.add(step.table)
    }
  }
  return touched
}

/** The error `applyPlan` throws when the data does not fit the plan. @internal */
export function planProblemsError(problems: PlanProblem[]): BaseboxError {
  return new ValidationError(
    `the plan cannot be applied to the current data: ${problems[0]!.message}`,
    problems.map((p) => ({ path: ['steps', p.step], message: p.message })),
    { details: { problems } },
  )
}
