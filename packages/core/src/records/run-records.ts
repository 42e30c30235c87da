import { BaseboxError, isUUIDString, type SelectResult, type TableDefinition } from '@basebox/client'
import { clientRoleOf, USER_ID_SETTING, USER_ROLE_SETTING } from '../ddl/compile-access.js'
import { quoteIdentifier, quoteLiteral } from '../ddl/identifier.js'
import { sql, type QueryResult, type RawBuilder } from 'kysely'
import { inTransaction, type EngineContext } from '../engine-context.js'
import { fromDatabaseError, isPostgresError } from '../errors/from-database-error.js'
import type { CompiledSelect } from './compile-select.js'
import { cursorKeyAliases } from './compile-select.js'
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
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each statement has its own row type
  statements: RawBuilder<any>[]
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  assemble(results: QueryResult<any>[]): T
}

class StaleSchema extends Error {}

const STALE = 'BB409'
const GONE = 'BB404'

/**
 * The statement that enters a database: checks (first, as the engine's user) that its
 * definitions are still the version the operation was compiled against, then switches the
 * transaction to the database's role, `search_path` and UTC.
 */
function enter(target: RecordTarget, version: string): RawBuilder<unknown> {
  const { role, sub, claim } = session(target)
  return sql`select ${sql.id(target.ctx.catalog.schema, 'check_schema_version')}(${target.databaseId}::uuid, ${version}::bigint), set_config('role', ${role}, true), set_config('search_path', ${target.schema}, true), set_config('timezone', 'UTC', true), set_config(${USER_ID_SETTING}, ${sub}, true), set_config(${USER_ROLE_SETTING}, ${claim}, true)`
}

/**
 * `begin` and {@link enter} as one simple-protocol message, to save a statement per operation.
 * Every value in it is the engine's own (a UUID, a number, validated role and schema names),
 * quoted as literals; no user input reaches it.
 */
function beginAndEnter(target: RecordTarget, version: string): string {
  if (!/^\d+$/.test(version) || !isUUIDString(target.databaseId)) {
    throw new BaseboxError('INTERNAL', 'invalid database state')
  }
  const { role, sub, claim } = session(target)
  if (sub !== '' && !isUUIDString(sub)) {
    throw new BaseboxError('INTERNAL', 'invalid user id')
  }
  const check = `${quoteIdentifier(target.ctx.catalog.schema)}.check_schema_version(${quoteLiteral(target.databaseId)}::uuid, ${version}::bigint)`
  return `begin; select ${check}, set_config('role', ${quoteLiteral(quoteIdentifier(role).slice(1, -1))}, true), set_config('search_path', ${quoteLiteral(quoteIdentifier(target.schema).slice(1, -1))}, true), set_config('timezone', 'UTC', true), set_config('${USER_ID_SETTING}', ${quoteLiteral(sub)}, true), set_config('${USER_ROLE_SETTING}', ${quoteLiteral(claim)}, true)`
}

function enterError(error: unknown, target: RecordTarget): Error | undefined {
  if (isPostgresError(error) && error.code === STALE) {
    return new StaleSchema()
  }
  if (isPostgresError(error) && error.code === GONE) {
    return new BaseboxError('NOT_FOUND', 'database not found', { details: { database_id: target.databaseId } })
  }
  return undefined
}

/** Sends `begin`, the statements and `commit` at once on one connection; one round trip with pipelining. */
async function runBatched<T>(target: RecordTarget, version: string, work: RecordWork<T>, table: TableContext): Promise<T> {
  const db = target.ctx.db
  const settled = await target.ctx.executeBatch!([
    sql.raw(beginAndEnter(target, version)).compile(db),
    ...work.statements.map((statement) => statement.compile(db)),
    sql.raw('commit').compile(db),
  ])
  const failed = settled.findIndex((s) => s.status === 'rejected')
  if (failed === -1) {
    return work.assemble(settled.slice(1, -1).map((s) => (s as PromiseFulfilledResult<QueryResult<unknown>>).value))
  }
  const error = (settled[failed] as PromiseRejectedResult).reason
  if (failed === 0) {
    throw enterError(error, target) ?? fromDatabaseError(error)
  }
  throw failed === settled.length - 1 ? fromDatabaseError(error) : toRecordError(error, table)
}

/** One statement at a time in a kysely transaction (PGlite: in-process, no round trips to save). */
async function runSequential<T>(target: RecordTarget, version: string, work: RecordWork<T>, table: TableContext): Promise<T> {
  return inTransaction(target.ctx, async (trx) => {
    try {
      await enter(target, version).execute(trx)
    } catch (error) {
      throw enterError(error, target) ?? error
    }
    const results: QueryResult<unknown>[] = []
    try {
      for (const statement of work.statements) {
        results.push(await statement.execute(trx))
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
      return target.ctx.executeBatch !== undefined
        ? await runBatched(target, snapshot.version, work, table)
        : await runSequential(target, snapshot.version, work, table)
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

/** The work of a select: its statement (and an EXPLAIN for an estimated count). @internal */
export function selectWork(compiled: CompiledSelect, table: TableContext): RecordWork<SelectResult> {
  const statements: RawBuilder<unknown>[] = [compiled.statement]
  if (compiled.count === 'estimated') {
    const where = compiled.where === undefined ? sql`` : sql` where ${compiled.where}`
    statements.push(sql`explain (format json) select 1 from ${table.qualified} as t${where}`)
  }
  return {
    statements,
    assemble(results) {
      const first = results[0]!.rows[0] as { rows: unknown; count?: unknown }
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
        const plan = parseJSON((results[1]!.rows[0] as { 'QUERY PLAN': unknown })['QUERY PLAN']) as { Plan: { 'Plan Rows': number } }[]
        result.count = Math.round(plan[0]!.Plan['Plan Rows'])
      }
      return result
    },
  }
}

/** The work of data-changing statements: the rows they return, gathered in order. @internal */
export function writeWork(statements: RawBuilder<{ rows: unknown; count: number | string }>[]): RecordWork<Record<string, unknown>[]> {
  return {
    statements,
    assemble(results) {
      const out: Record<string, unknown>[] = []
      for (const result of results) {
        const first = result.rows[0] as { rows: unknown }
        if (first.rows !== null && first.rows !== undefined) {
          for (const row of parseJSON(first.rows) as Record<string, unknown>[]) {
            out.push(row)
          }
        }
      }
      return out
    },
  }
}
