import { BaseboxError, type SelectResult, type TableDefinition } from '@basebox/client'
import { clientRoleOf, USER_ID_SETTING, USER_ROLE_SETTING } from '../ddl/compile-access.js'
import { sql, type CompiledQuery, type QueryResult, type RawBuilder } from 'kysely'
import { inTransaction, type EngineContext } from '../engine-context.js'
import { BatchStatementError } from '../driver/wire.js'
import { fromDatabaseError, isPostgresError } from '../errors/from-database-error.js'
import type { CompiledSelect } from './compile-select.js'
import { encodeCursor } from './cursor.js'
import { toRecordError } from './record-error.js'
import { tableContext, type TableContext } from './table-context.js'
import { DatabaseNotFoundError } from '../errors/not-found.js'

/** The definitions of a database as of one catalog version. @internal */
export interface SchemaSnapshot {
  version: string
  tables: readonly TableDefinition[]
  /** The compiled {@link enter} statements of this version, per role and claims. */
  entered?: Map<string, CompiledQuery>
}

/** Where record operations run: the database, and how to (re)load its definitions. @internal */
export interface RecordTarget {
  ctx: EngineContext
  databaseId: string
  schema: string
  role: string
  /** Who the operation runs for; `undefined` runs as the database's role (service access). */
  identity?: { role: 'anon' } | { role: 'authenticated'; userId: string }
  load(): Promise<SchemaSnapshot>
}

/** The role a target's statements run as, and the claims they carry. */
function session(target: RecordTarget): { role: string; sub: string; claim: string } {
  const identity = target.identity
  if (identity === undefined) {
    return { role: target.role, sub: '', claim: 'service_role' }
  }
  return {
    role: clientRoleOf(target.role),
    sub: identity.role === 'authenticated' ? identity.userId : '',
    claim: identity.role,
  }
}

/** The statements of one record operation, and how to shape their results. @internal */
export interface RecordWork<T> {
  /** Statements to compile, or compiled ones (from the select statement cache). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each statement has its own row type
  statements: (RawBuilder<any> | CompiledQuery)[]
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  assemble(results: QueryResult<any>[]): T
}

function isCompiled(statement: RawBuilder<unknown> | CompiledQuery): statement is CompiledQuery {
  return typeof (statement as CompiledQuery).sql === 'string'
}

class StaleSchema extends Error {}

const STALE = 'BB409'
const GONE = 'BB404'

/**
 * The statement that enters a database: checks (first, as the engine's user) that its
 * definitions are still the version the operation was compiled against (a read of its catalog
 * row; `schema_version_mismatch` raises only when they differ), then switches the
 * transaction to the database's role and `search_path`, to UTC (only when the session is not on
 * UTC already: setting the zone costs as much as the rest of the statement) and to the caller's
 * claims. Service access carries no user id (`auth_uid()` is null). Every claim is set by every
 * operation, empty ones too, so nothing a connection carried before can stand in for one.
 */
function enter(target: RecordTarget, version: string): RawBuilder<unknown> {
  const { role, sub, claim } = session(target)
  const catalog = target.ctx.catalog.schema
  const current = sql`(select d.schema_version from ${sql.id(catalog, 'project_databases')} d where d.id operator(pg_catalog.=) ${target.databaseId}::uuid)`
  const check = sql`case when ${current} operator(pg_catalog.=) ${version}::bigint then true else ${sql.id(catalog, 'schema_version_mismatch')}(${target.databaseId}::uuid, ${version}::bigint) end`
  return sql`select ${check}, set_config('role', ${role}, true), set_config('search_path', ${target.schema}, true), case when current_setting('TimeZone') not in ('UTC', 'Etc/UTC') then set_config('TimeZone', 'UTC', true) end, set_config(${USER_ROLE_SETTING}, ${claim}, true), set_config(${USER_ID_SETTING}, ${sub}, true)`
}

/** {@link enter} compiled once per version, role and claims (the same for every operation). */
function compiledEnter(target: RecordTarget, snapshot: SchemaSnapshot): CompiledQuery {
  const { role, sub, claim } = session(target)
  const key = `${role}\u0000${sub}\u0000${claim}`
  const entered = (snapshot.entered ??= new Map())
  let compiled = entered.get(key)
  if (compiled === undefined) {
    if (entered.size >= 1_000) {
      entered.clear()
    }
    compiled = enter(target, snapshot.version).compile(target.ctx.compiler)
    entered.set(key, compiled)
  }
  return compiled
}

function enterError(error: unknown, target: RecordTarget): Error | undefined {
  if (isPostgresError(error) && error.code === STALE) {
    return new StaleSchema()
  }
  if (isPostgresError(error) && error.code === GONE) {
    return new DatabaseNotFoundError(target.databaseId)
  }
  return undefined
}

/**
 * Sends {@link enter} and the statements as one atomic batch: one round trip, no `begin` or
 * `commit` (the driver runs them as one implicit transaction).
 */
async function runAtomic<T>(
  target: RecordTarget,
  snapshot: SchemaSnapshot,
  work: RecordWork<T>,
  table: TableContext,
): Promise<T> {
  const db = target.ctx.compiler
  let results: QueryResult<unknown>[]
  try {
    results = await target.ctx.runAtomic!([
      compiledEnter(target, snapshot),
      ...work.statements.map((statement) =>
        isCompiled(statement) ? statement : statement.compile(db),
      ),
    ])
  } catch (error) {
    if (!(error instanceof BatchStatementError)) {
      throw fromDatabaseError(error)
    }
    if (error.index === 0) {
      throw enterError(error.cause, target) ?? fromDatabaseError(error.cause)
    }
    throw toRecordError(error.cause, table)
  }
  return work.assemble(results.slice(1))
}

/** One statement at a time in a kysely transaction (PGlite: in-process, no round trips to save). */
async function runSequential<T>(
  target: RecordTarget,
  version: string,
  work: RecordWork<T>,
  table: TableContext,
): Promise<T> {
  return inTransaction(target.ctx, async (trx) => {
    try {
      await enter(target, version).execute(trx)
    } catch (error) {
      throw enterError(error, target) ?? error
    }
    const results: QueryResult<unknown>[] = []
    try {
      for (const statement of work.statements) {
        results.push(
          isCompiled(statement) ? await trx.executeQuery(statement) : await statement.execute(trx),
        )
      }
    } catch (error) {
      throw toRecordError(error, table)
    }
    return work.assemble(results)
  })
}

/**
 * Runs one record operation: checks and compiles it against the cached definitions (no SQL for
 * bad input), then runs it in one transaction that first enters the database (its role,
 * `search_path`, UTC) after checking the definitions did not change meanwhile. When they did,
 * it reloads them and compiles again.
 * @internal
 */
export async function runRecords<T>(
  target: RecordTarget,
  cache: { snapshot?: SchemaSnapshot },
  tableName: string,
  build: (table: TableContext) => RecordWork<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const cached = cache.snapshot !== undefined
    const snapshot = cache.snapshot ?? (cache.snapshot = await target.load())
    let table: TableContext
    let work: RecordWork<T>
    try {
      table = tableContext(target.schema, snapshot.tables, tableName)
      work = build(table)
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
      return target.ctx.runAtomic !== undefined
        ? await runAtomic(target, snapshot, work, table)
        : await runSequential(target, snapshot.version, work, table)
    } catch (error) {
      const stale =
        error instanceof StaleSchema ||
        (error instanceof BaseboxError && error.cause instanceof StaleSchema)
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

/** The work of a select: its statement (and an EXPLAIN for an estimated count). @internal */
export function selectWork(
  compiled: CompiledSelect,
  table: TableContext,
): RecordWork<SelectResult> {
  const statements: (RawBuilder<unknown> | CompiledQuery)[] = [compiled.statement]
  if (compiled.count === 'estimated') {
    const where = compiled.where === undefined ? sql`` : sql` where ${compiled.where}`
    statements.push(sql`explain (format json) select 1 from ${table.qualified} as t${where}`)
  }
  return {
    statements,
    assemble(results) {
      const first = results[0]!.rows[0] as { rows: unknown; count?: unknown } | undefined
      const page = compiled.plain
        ? (results[0]!.rows as Record<string, unknown>[])
        : (parseJSON(first!.rows) as Record<string, unknown>[])
      const result: SelectResult = { rows: page }
      if (compiled.keys !== undefined) {
        const fields = compiled.keyFields!
        const last = page[page.length - 1]
        result.nextCursor =
          compiled.limit > 0 && page.length === compiled.limit && last !== undefined
            ? encodeCursor(
                table.definition.name,
                compiled.keys,
                fields.map((f) => last[f] ?? null),
              )
            : null
        if (compiled.hiddenKeys.length > 0) {
          for (const row of page) {
            for (const alias of compiled.hiddenKeys) {
              delete row[alias]
            }
          }
        }
      }
      if (compiled.count === 'exact') {
        result.count = Number(first!.count)
      } else if (compiled.count === 'estimated') {
        const plan = parseJSON(
          (results[1]!.rows[0] as { 'QUERY PLAN': unknown })['QUERY PLAN'],
        ) as { Plan: { 'Plan Rows': number } }[]
        result.count = Math.round(plan[0]!.Plan['Plan Rows'])
      }
      return result
    },
  }
}

/** The work of data-changing statements: the rows they return, gathered in order. @internal */
export function writeWork(
  statements: RawBuilder<{ rows: unknown; count: number | string }>[],
): RecordWork<Record<string, unknown>[]> {
  return {
    statements,
    assemble(results) {
      const out: Record<string, unknown>[] = []
      for (const result of results) {
        const first = result.rows[0] as { rows: unknown } | undefined
        if (first?.rows !== null && first?.rows !== undefined) {
          for (const row of parseJSON(first.rows) as Record<string, unknown>[]) {
            out.push(row)
          }
        }
      }
      return out
    },
  }
}
