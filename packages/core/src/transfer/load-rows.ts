import { BaseboxError, POSTGRES_TYPE_BY_COLUMN_TYPE, type TableDefinition } from '@basebox/client'
import { CompiledQuery, sql } from 'kysely'
import type { DatabaseHandle } from '../database/database-handle.js'
import { quoteIdentifier as q } from '../ddl/identifier.js'
import { fromDatabaseError } from '../errors/from-database-error.js'
import type { TransferProgress } from './export-format.js'
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

/** Rows per statement when an import reports its progress (see {@link compileLoadBatches}). @internal */
export const IMPORT_BATCH_ROWS = 5000

/**
 * Compiles the ONE statement that inserts checked rows into several tables: each group of
 * same-shaped rows is a data-modifying CTE that expands one JSON parameter with
 * `json_to_recordset`. Foreign keys are checked at the end of the statement, so neither table
 * order nor reference cycles matter, and a failure anywhere (the 70,000th row of 100,000)
 * inserts nothing anywhere. Every name in it is quoted by `quoteIdentifier` and every value is
 * a bound parameter. `undefined` when there is nothing to insert.
 * @internal
 */
export function compileLoad(
  schemaName: string,
  loads: readonly TableLoad[],
): CompiledQuery | undefined {
  const schema = q(schemaName)
  const parts: string[] = []
  const params: string[] = []
  for (const { table, prepared } of loads) {
    for (const group of prepared.groups) {
      const target = `${schema}.${q(table)}`
      const alias = q(`w${params.length}`)
      if (group.columns.length === 0) {
        params.push(String(group.rows.length))
        parts.push(
          `${alias} as (insert into ${target} select from generate_series(1, $${params.length}::int))`,
        )
        continue
      }
      params.push(JSON.stringify(group.rows))
      const names = group.columns.map((c) => q(c.name)).join(', ')
      const record = group.columns
        .map((c) => `${q(c.name)} ${POSTGRES_TYPE_BY_COLUMN_TYPE[c.type]}`)
        .join(', ')
      parts.push(
        `${alias} as (insert into ${target} (${names}) select ${names} from json_to_recordset($${params.length}::json) as r(${record}))`,
      )
    }
  }
  if (parts.length === 0) {
    return undefined
  }
  if (parts.length > MAX_GROUPS) {
    throw new BaseboxError(
      'LIMIT_EXCEEDED',
      `an import loads at most ${MAX_GROUPS} groups of rows that give different columns`,
    )
  }
  return CompiledQuery.raw(`with ${parts.join(',\n')}\nselect 1`, params)
}

/** One statement of a batched load, and the rows it writes per table. @internal */
export interface LoadBatch {
  query: CompiledQuery
  rows: Map<string, number>
}

/**
 * Whether the rows can be written in several statements, in the order of `loads`: no written
 * column references a table written at the same place or later (itself included). Otherwise a
 * row could reference one of a later statement, which its foreign key refuses at the end of its
 * own statement.
 */
function batchable(loads: readonly TableLoad[]): boolean {
  const at = new Map(loads.map((load, i) => [load.table, i]))
  return loads.every((load, i) =>
    load.prepared.groups.every((group) =>
      group.columns.every((column) => {
        const target = column.references === undefined ? undefined : at.get(column.references.table)
        return target === undefined || target < i
      }),
    ),
  )
}

/**
 * The load as statements of at most `batchRows` rows each, in table order, for an import that
 * reports progress: all of them run in the import's one transaction, so it stays all or
 * nothing. When the tables' references do not allow that (see {@link batchable}), ONE
 * statement, as {@link compileLoad}. Empty when there is nothing to insert.
 * @internal
 */
export function compileLoadBatches(
  schemaName: string,
  loads: readonly TableLoad[],
  batchRows = IMPORT_BATCH_ROWS,
): LoadBatch[] {
  const count = (list: readonly TableLoad[]) =>
    new Map(list.map((l) => [l.table, l.prepared.count]))
  if (!batchable(loads)) {
    const query = compileLoad(schemaName, loads)
    return query === undefined ? [] : [{ query, rows: count(loads) }]
  }
  compileLoad(schemaName, loads) // the same limits as one statement (groups), before anything runs
  const batches: LoadBatch[] = []
  let current: TableLoad[] = []
  let size = 0
  const flush = () => {
    const query = compileLoad(schemaName, current)
    if (query !== undefined) {
      batches.push({ query, rows: count(current) })
    }
    current = []
    size = 0
  }
  for (const { table, prepared } of loads) {
    for (const group of prepared.groups) {
      for (let start = 0; start < group.rows.length;) {
        const rows = group.rows.slice(start, start + (batchRows - size))
        start += rows.length
        const last = current[current.length - 1]
        const piece = { columns: group.columns, rows }
        if (last?.table === table) {
          last.prepared.groups.push(piece)
          last.prepared.count += rows.length
        } else {
          current.push({ table, prepared: { groups: [piece], count: rows.length } })
        }
        size += rows.length
        if (size >= batchRows) {
          flush()
        }
      }
    }
  }
  flush()
  return batches
}

/** How an import runs its load: cancelled by `signal`, and reporting rows written per table. @internal */
export interface LoadOptions {
  /** Checked before the load and after each statement: aborted, the transaction rolls back and the import rejects with the signal's reason. */
  signal?: AbortSignal | undefined
  /** With it, the rows are written in batches ({@link compileLoadBatches}), each reported once written. */
  onProgress?: ((progress: TransferProgress) => void) | undefined
}

/**
 * Imports, all or nothing, in ONE transaction ({@link DatabaseHandle.runImport}): the schema
 * changes `steps` with their catalog writes, then the rows (one statement, or batches when
 * progress is asked for, as the database's role), then the `data.import` audit entry. When any
 * part fails, or `signal` aborts before the transaction commits, nothing remains: no table, no
 * row, no catalog change, no audit entry. The error says so; an abort rejects with the
 * signal's reason.
 * @internal
 */
export async function applyAndLoad(
  db: DatabaseHandle,
  before: readonly TableDefinition[],
  steps: readonly unknown[],
  loads: readonly TableLoad[],
  audit: Record<string, unknown>,
  options: LoadOptions = {},
): Promise<void> {
  const { signal, onProgress } = options
  const batches: LoadBatch[] =
    onProgress === undefined
      ? single(compileLoad(db.info.schema_name, loads), loads)
      : compileLoadBatches(db.info.schema_name, loads)
  signal?.throwIfAborted()
  try {
    await runLoad(db, before, steps, batches, loads, audit, options)
  } catch (error) {
    // The transaction turns what fails in it into a BaseboxError; an abort stays the signal's reason.
    if (
      signal?.aborted === true &&
      (error === signal.reason || (error as { cause?: unknown } | null)?.cause === signal.reason)
    ) {
      throw signal.reason
    }
    throw error
  }
}

async function runLoad(
  db: DatabaseHandle,
  before: readonly TableDefinition[],
  steps: readonly unknown[],
  batches: readonly LoadBatch[],
  loads: readonly TableLoad[],
  audit: Record<string, unknown>,
  { signal, onProgress }: LoadOptions,
): Promise<void> {
  await db.runImport({
    expected: before,
    steps,
    audit,
    async load(trx) {
      const written = new Map(loads.map((l) => [l.table, 0]))
      const total = new Map(loads.map((l) => [l.table, l.prepared.count]))
      signal?.throwIfAborted()
      if (batches.length > 0) {
        try {
          // The engine's own statements, not a user's: a budget of its own, set for this
          // transaction only (PGlite does not enforce it).
          await sql`select set_config('statement_timeout', ${String(LOAD_TIMEOUT_MS)}, true)`.execute(
            trx,
          )
          for (const batch of batches) {
            await trx.executeQuery(batch.query)
            signal?.throwIfAborted()
            for (const [table, rows] of batch.rows) {
              written.set(table, written.get(table)! + rows)
              onProgress?.({ table, rows: written.get(table)!, total: total.get(table)! })
            }
          }
        } catch (error) {
          if (signal?.aborted && error === signal.reason) {
            throw error
          }
          const base = fromDatabaseError(error)
          throw new BaseboxError(
            base.code,
            `import failed, nothing was imported: ${base.message}`,
            { cause: error, ...(base.details === undefined ? {} : { details: base.details }) },
          )
        }
      }
      // The last moment to cancel: the audit entry and the commit follow.
      signal?.throwIfAborted()
    },
  })
}

function single(query: CompiledQuery | undefined, loads: readonly TableLoad[]): LoadBatch[] {
  return query === undefined
    ? []
    : [{ query, rows: new Map(loads.map((l) => [l.table, l.prepared.count])) }]
}
