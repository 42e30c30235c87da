import { BaseboxError, POSTGRES_TYPE_BY_COLUMN_TYPE, type TableDefinition } from '@basebox/client'
import { CompiledQuery, sql } from 'kysely'
import type { DatabaseHandle } from '../database/database-handle.js'
import { quoteIdentifier as q } from '../ddl/identifier.js'
import { fromDatabaseError } from '../errors/from-database-error.js'
import type { PreparedImport } from './import-values.js'

/** The most groups of same-shaped rows one load sends (one bound parameter each). */
const MAX_GROUPS = 1000

/** The time budget of the one statement that loads an import. */
const LOAD_TIMEOUT_MS = 300_000

/** One table's checked rows, for {@link compileLoad}. @internal */
export interface TableLoad {
  table: string
  prepared: PreparedImport
}

/**
 * Compiles the ONE statement that inserts checked rows into several tables: each group of
 * same-shaped rows is a data-modifying CTE that expands one JSON parameter with
 * `json_to_recordset`. Foreign keys are checked at the end of the statement, so neither table
 * order nor reference cycles matter, and a failure anywhere (the 70,000th row of 100,000)
 * inserts nothing anywhere. Every name in it is quoted by `quoteIdentifier` and every value is
 * a bound parameter. `undefined` when there is nothing to insert.
 * @internal
 */
export function compileLoad(schemaName: string, loads: readonly TableLoad[]): CompiledQuery | undefined {
  const schema = q(schemaName)
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
    return undefined
  }
  if (parts.length > MAX_GROUPS) {
    throw new BaseboxError('LIMIT_EXCEEDED', `an import loads at most ${MAX_GROUPS} groups of rows that give different columns`)
  }
  return CompiledQuery.raw(`with ${parts.join(',\n')}\nselect 1`, params)
}

/**
 * Imports, all or nothing, in ONE transaction ({@link DatabaseHandle.runImport}): the schema
 * changes `steps` with their catalog writes, then the rows (one statement, as the database's
 * role), then the `data.import` audit entry. When any part fails nothing remains: no table,
 * no row, no catalog change, no audit entry. The error says so.
 * @internal
 */
export async function applyAndLoad(
  db: DatabaseHandle,
  before: readonly TableDefinition[],
  steps: readonly unknown[],
  loads: readonly TableLoad[],
  audit: Record<string, unknown>,
): Promise<void> {
  const load = compileLoad(db.info.schema_name, loads)
  await db.runImport({
    expected: before,
    steps,
    audit,
    async load(trx) {
      if (load === undefined) {
        return
      }
      try {
        // The engine's own statement, not a user's: a budget of its own, set for this
        // transaction only (PGlite does not enforce it).
        await sql`select set_config('statement_timeout', ${String(LOAD_TIMEOUT_MS)}, true)`.execute(trx)
        await trx.executeQuery(load)
      } catch (error) {
        const base = fromDatabaseError(error)
        throw new BaseboxError(base.code, `import failed, nothing was imported: ${base.message}`, { cause: error, ...(base.details === undefined ? {} : { details: base.details }) })
      }
    },
  })
}
