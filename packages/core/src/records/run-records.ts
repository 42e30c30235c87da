import { BaseboxError, type SelectResult, type TableDefinition } from '@basebox/client'
import { sql, type RawBuilder } from 'kysely'
import { inTransaction, type EngineContext, type EngineTransaction } from '../engine-context.js'
import { cursorKeyAliases, type CompiledSelect } from './compile-select.js'
import { encodeCursor } from './cursor.js'
import { toRecordError } from './record-error.js'
import { tableContext, type TableContext } from './table-context.js'

/** The definitions of a database as of one catalog version. @internal */
export interface SchemaSnapshot {
  version: string
  tables: readonly TableDefinition[]
}

/** Where record operations run: the database, and how to (re)load its definitions. @internal */
export interface RecordTarget {
  ctx: EngineContext
  databaseId: string
  schema: string
  role: string
  load(): Promise<SchemaSnapshot>
}

class StaleSchema extends Error {}

/**
 * Runs one record operation: checks and compiles it against the cached definitions (no SQL for
 * bad input), then in one transaction switches to the database's role, `search_path` and UTC
 * in the same round trip that reads the catalog version, and runs the compiled statements.
 * When the definitions changed meanwhile, it reloads them and compiles again.
 * @internal
 */
export async function runRecords<TCompiled, TResult>(
  target: RecordTarget,
  cache: { snapshot?: SchemaSnapshot },
  tableName: string,
  compile: (table: TableContext) => TCompiled,
  execute: (trx: EngineTransaction, compiled: TCompiled, table: TableContext) => Promise<TResult>,
): Promise<TResult> {
  for (let attempt = 0; ; attempt++) {
    const cached = cache.snapshot !== undefined
    const snapshot = cache.snapshot ?? (cache.snapshot = await target.load())
    let table: TableContext
    let compiled: TCompiled
    try {
      table = tableContext(target.schema, snapshot.tables, tableName)
      compiled = compile(table)
    } catch (error) {
      // Input that does not fit cached definitions may fit newer ones (a column added by
      // another process): check against fresh definitions once before refusing it.
      if (cached && error instanceof BaseboxError) {
        cache.snapshot = undefined
        continue
      }
      throw error
    }
    try {
      return await inTransaction(target.ctx, async (trx) => {
        const { rows } = await sql<{ version: string | null }>`select set_config('role', ${target.role}, true), set_config('search_path', ${target.schema}, true), set_config('timezone', 'UTC', true), (select schema_version::text from ${sql.id(target.ctx.catalog.schema, 'project_databases')} where id = ${target.databaseId}) as version`.execute(trx)
        const version = rows[0]?.version ?? null
        if (version === null) {
          throw new BaseboxError('NOT_FOUND', 'database not found', { details: { database_id: target.databaseId } })
        }
        if (version !== snapshot.version) {
          throw new StaleSchema()
        }
        try {
          return await execute(trx, compiled, table)
        } catch (error) {
          throw toRecordError(error, table)
        }
      })
    } catch (error) {
      const stale = error instanceof StaleSchema || (error instanceof BaseboxError && error.cause instanceof StaleSchema)
      if (!stale || attempt >= 2) {
        throw error
      }
      cache.snapshot = undefined
    }
  }
}

function parseJSON<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value
}

/** Runs a compiled select and shapes its page: rows, count, next cursor. @internal */
export async function executeSelect(trx: EngineTransaction, compiled: CompiledSelect, table: TableContext): Promise<SelectResult> {
  const { rows } = await compiled.statement.execute(trx)
  const first = rows[0]!
  const page = parseJSON(first.rows) as Record<string, unknown>[]
  const result: SelectResult = { rows: page }
  if (compiled.keys !== undefined) {
    const aliases = cursorKeyAliases(compiled.keys)
    const last = page[page.length - 1]
    result.nextCursor =
      compiled.limit > 0 && page.length === compiled.limit && last !== undefined
        ? encodeCursor(table.definition.name, compiled.keys, aliases.map((a) => last[a] ?? null))
        : null
    for (const row of page) {
      for (const alias of aliases) {
        delete row[alias]
      }
    }
  }
  if (compiled.count === 'exact') {
    result.count = Number(first.count)
  } else if (compiled.count === 'estimated') {
    const where = compiled.where === undefined ? sql`` : sql` where ${compiled.where}`
    const plan = await sql<{ 'QUERY PLAN': unknown }>`explain (format json) select 1 from ${table.qualified} as t${where}`.execute(trx)
    const json = parseJSON(plan.rows[0]!['QUERY PLAN']) as { Plan: { 'Plan Rows': number } }[]
    result.count = Math.round(json[0]!.Plan['Plan Rows'])
  }
  return result
}

/** Runs compiled write statements and gathers the rows they return. @internal */
export async function executeWrites(
  trx: EngineTransaction,
  statements: readonly RawBuilder<{ rows: unknown; count: number | string }>[],
): Promise<{ rows: Record<string, unknown>[]; count: number }> {
  const out: Record<string, unknown>[] = []
  let count = 0
  for (const statement of statements) {
    const { rows } = await statement.execute(trx)
    const first = rows[0]!
    count += Number(first.count)
    if (first.rows !== null && first.rows !== undefined) {
      for (const row of parseJSON(first.rows) as Record<string, unknown>[]) {
        out.push(row)
      }
    }
  }
  return { rows: out, count }
}
