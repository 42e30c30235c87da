import {
  BaseboxError,
  type SQLColumn,
  type SQLRunResult,
  type SQLStatementResult,
} from '@basebox/client'
import { z } from 'zod'
import type { RawStatementResult, SQLConnection, SQLLogin } from '../driver/driver.js'
import { byteaText } from '../driver/wire.js'
import type { EngineContext } from '../engine-context.js'
import { fromDatabaseError } from '../errors/from-database-error.js'
import { parseStatements, type ParsedStatement } from './parse-statements.js'

/** Options of `db.sql()`. */
export interface SQLOptions {
  /** Default is `false`. Runs the whole text in a read-only transaction. */
  readOnly?: boolean
  /** Default is `5000`, at most `300000`. The whole run is cancelled when it is spent. */
  timeoutMs?: number
  /** Default is `1000`, at most `10000`. Rows kept per statement; the rest are not read. */
  maxRows?: number
  /**
   * Default is `10000000` (10 MB), at most `50000000`. The JSON size of the rows kept, over all
   * statements of the call: once it would be passed, no more rows are kept and the statement's
   * result says `truncated`. On Postgres a single message from the server larger than this
   * (one huge row) is not read at all: the call fails with `LIMIT_EXCEEDED` and is rolled back.
   */
  maxBytes?: number
  /**
   * Default is `false`. Runs the text and rolls the transaction back, so nothing is kept. An
   * INSERT, UPDATE or DELETE without RETURNING is run as if it ended in `returning *`, so its
   * result holds the rows it would change.
   */
  dryRun?: boolean
  /**
   * Default is none. Stops the run when it aborts: the running statement is cancelled on
   * Postgres and on a PGlite worker (which is restarted); in-process PGlite finishes the
   * statement it is in and runs no other. Nothing is committed, and the call rejects with the
   * signal's reason.
   */
  signal?: AbortSignal
}

/** The largest `maxBytes` a `db.sql()` call may ask for. */
export const MAX_SQL_RESULT_BYTES = 50_000_000

const SQLOptionsSchema = z
  .object({
    readOnly: z.boolean().default(false),
    timeoutMs: z.number().int().min(1).max(300_000).default(5_000),
    maxRows: z.number().int().min(0).max(10_000).default(1_000),
    maxBytes: z.number().int().min(0).max(MAX_SQL_RESULT_BYTES).default(10_000_000),
    dryRun: z.boolean().default(false),
  })
  .strict()

/** The longest SQL text `db.sql()` takes. */
export const MAX_SQL_LENGTH = 1_000_000

/** The most statements one `db.sql()` call runs. */
export const MAX_SQL_STATEMENTS = 100

const TYPE_NAMES: Record<number, string> = {
  16: 'boolean',
  17: 'bytea',
  18: '"char"',
  19: 'name',
  20: 'bigint',
  21: 'smallint',
  23: 'integer',
  25: 'text',
  26: 'oid',
  114: 'json',
  700: 'real',
  701: 'double precision',
  1042: 'character',
  1043: 'character varying',
  1082: 'date',
  1083: 'time without time zone',
  1114: 'timestamp without time zone',
  1184: 'timestamp with time zone',
  1186: 'interval',
  1700: 'numeric',
  2950: 'uuid',
  3802: 'jsonb',
  1000: 'boolean[]',
  1005: 'smallint[]',
  1007: 'integer[]',
  1009: 'text[]',
  1016: 'bigint[]',
  1021: 'real[]',
  1022: 'double precision[]',
  2951: 'uuid[]',
  2249: 'record',
  2278: 'void',
  705: 'unknown',
  3807: 'jsonb[]',
  199: 'json[]',
}

// What the tables of a schema look like: relations, columns, defaults, constraints, indexes.
// Only oids and node trees: nothing here depends on the search_path the user may have set.
const FINGERPRINT = `select md5(coalesce(string_agg(x, ';' order by x), '')) as f from (
  select c.relname || ':' || c.relkind::text || ':' || coalesce((
    select string_agg(a.attname || ' ' || a.atttypid::text || ' ' || a.atttypmod::text || ' ' || a.attnotnull::text || ' ' ||
                      coalesce(d.adbin::text, ''), ',' order by a.attnum)
    from pg_catalog.pg_attribute a left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '') as x
  from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where n.nspname = $1 and c.relkind in ('r', 'p', 'i', 'f')
  union all
  select k.conname || ':' || k.contype::text || ':' || k.conkey::text || ':' || coalesce(k.confrelid::text, '') || ':' ||
         coalesce(k.confkey::text, '') || ':' || k.confdeltype::text || ':' || coalesce(k.conbin::text, '')
  from pg_catalog.pg_constraint k join pg_catalog.pg_namespace n on n.oid = k.connamespace where n.nspname = $1
) s`

function toJSONValue(value: unknown): unknown {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : value.toISOString()
  }
  if (value instanceof Uint8Array) {
    return byteaText(value)
  }
  if (typeof value === 'bigint') {
    return value.toString()
  }
  if (Array.isArray(value)) {
    return value.map(toJSONValue)
  }
  return value
}

/** The UTF-8 size of a row as JSON. */
function jsonBytes(row: unknown[]): number {
  const json = JSON.stringify(row)
  let bytes = json.length
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i)
    if (code >= 0x80) {
      // 2 bytes below U+0800, 3 above; a surrogate pair (4 bytes) counts 2 + 2.
      bytes += code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 1 : 2
    }
  }
  return bytes
}

async function fingerprint(connection: SQLConnection, schema: string): Promise<unknown> {
  return (await connection.query(FINGERPRINT, [schema], 1)).rows[0]?.[0]
}

async function typeNames(
  connection: SQLConnection,
  results: RawStatementResult[],
): Promise<Map<number, string>> {
  const names = new Map(Object.entries(TYPE_NAMES).map(([k, v]) => [Number(k), v]))
  const unknown = [...new Set(results.flatMap((r) => r.fields.map((f) => f.dataTypeID)))].filter(
    (oid) => !names.has(oid),
  )
  if (unknown.length > 0) {
    const found = await connection.query(
      `select oid::int, pg_catalog.format_type(oid, null) from pg_catalog.pg_type where oid = any($1::oid[])`,
      [`{${unknown.join(',')}}`],
      10_000,
    )
    for (const [oid, name] of found.rows as [number, string][]) {
      names.set(Number(oid), name)
    }
  }
  return names
}

/**
 * Runs user SQL in one transaction as the database's role (a login connection on Postgres):
 * the only raw door into a project database. Statements that would end the transaction are
 * refused; SQL that changes tables (create, alter, drop, indexes, constraints) is refused and
 * rolled back, because table definitions must only change through plans that keep the catalog
 * in step.
 * @internal
 */
export async function runSQL(
  ctx: EngineContext,
  login: () => Promise<SQLLogin>,
  text: unknown,
  params: unknown,
  optionsInput: unknown,
): Promise<SQLRunResult> {
  const { signal, ...rest } = (optionsInput ?? {}) as { signal?: unknown }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      'invalid SQL options: signal must be an AbortSignal',
    )
  }
  signal?.throwIfAborted()
  const parsed = SQLOptionsSchema.safeParse(rest)
  if (!parsed.success) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      `invalid SQL options: ${parsed.error.issues[0]?.message ?? ''}`,
    )
  }
  const options = { ...parsed.data, signal }
  if (typeof text !== 'string' || text.length === 0) {
    throw new BaseboxError('VALIDATION_FAILED', 'SQL text must be a non-empty string')
  }
  if (text.length > MAX_SQL_LENGTH) {
    throw new BaseboxError('LIMIT_EXCEEDED', `SQL text is limited to ${MAX_SQL_LENGTH} characters`)
  }
  if (text.includes('\u0000')) {
    throw new BaseboxError('VALIDATION_FAILED', 'SQL text cannot contain the NUL character')
  }
  const values = params ?? []
  if (!Array.isArray(values) || values.length > 1000) {
    throw new BaseboxError('VALIDATION_FAILED', 'params must be an array of at most 1000 values')
  }
  const statements = await parseStatements(text)
  if (statements.length === 0) {
    throw new BaseboxError('VALIDATION_FAILED', 'SQL text holds no statement')
  }
  if (statements.length > MAX_SQL_STATEMENTS) {
    throw new BaseboxError(
      'LIMIT_EXCEEDED',
      `one call runs at most ${MAX_SQL_STATEMENTS} statements`,
    )
  }
  if (values.length > 0 && statements.length > 1) {
    throw new BaseboxError('VALIDATION_FAILED', 'params can only be used with a single statement')
  }
  const started = performance.now()
  const credentials = await login()
  const raw = await runSession(ctx, credentials, options, statements, values, started)
  return { statements: raw, durationMs: Math.round(performance.now() - started) }
}

/** The checked options of one run, with the caller's signal. */
type RunOptions = z.infer<typeof SQLOptionsSchema> & { signal: AbortSignal | undefined }

/** Thrown at the end of a dry run so the driver rolls the transaction back; carries the results. */
class DryRunRollback extends Error {
  // A string code: the Postgres driver keeps the connection for reuse, as after a statement error.
  readonly code = 'BASEBOX_DRY_RUN'
  constructor(readonly results: SQLStatementResult[]) {
    super('dry run: rolled back')
  }
}

async function runSession(
  ctx: EngineContext,
  credentials: SQLLogin,
  options: RunOptions,
  statements: ParsedStatement[],
  values: unknown[],
  started: number,
): Promise<SQLStatementResult[]> {
  try {
    return await runSessionUnmapped(ctx, credentials, options, statements, values, started)
  } catch (error) {
    // Whatever the run failed with after the caller aborted (the cancelled statement's 57014,
    // say), the call ends with the signal's reason.
    if (options.signal?.aborted === true) {
      throw options.signal.reason
    }
    if (error instanceof DryRunRollback) {
      return error.results
    }
    throw fromDatabaseError(error)
  }
}

async function runSessionUnmapped(
  ctx: EngineContext,
  credentials: SQLLogin,
  options: RunOptions,
  statements: ParsedStatement[],
  values: unknown[],
  started: number,
): Promise<SQLStatementResult[]> {
  return ctx.runSQLSession(
    credentials,
    { readOnly: options.readOnly, timeoutMs: options.timeoutMs, signal: options.signal },
    async (connection) => {
      const before = await fingerprint(connection, credentials.schema)
      const out: RawStatementResult[] = []
      let budget = options.maxBytes
      for (const [index, statement] of statements.entries()) {
        options.signal?.throwIfAborted()
        if (performance.now() - started > options.timeoutMs) {
          throw new BaseboxError(
            'TIMEOUT',
            `the SQL ran longer than ${options.timeoutMs} ms (stopped before statement ${index + 1})`,
          )
        }
        try {
          // A newline first: a trailing line comment cannot swallow the clause.
          const text =
            options.dryRun && statement.writesWithoutReturning
              ? `${statement.text}\nreturning *`
              : statement.text
          const result = await connection.query(text, values, options.maxRows, budget)
          const rows: unknown[][] = []
          let truncated = result.truncated
          for (const row of result.rows) {
            const json = row.map(toJSONValue)
            const size = jsonBytes(json)
            if (size > budget) {
              truncated = true
              break
            }
            budget -= size
            rows.push(json)
          }
          out.push({ ...result, rows, truncated })
        } catch (error) {
          const wrapped = fromDatabaseError(error)
          const position = Number((error as { position?: unknown }).position)
          throw new BaseboxError(wrapped.code, `statement ${index + 1}: ${wrapped.message}`, {
            cause: error,
            details: {
              ...wrapped.details,
              statement: index,
              ...(Number.isFinite(position) ? { position: statement.offset + position } : {}),
            },
          })
        }
      }
      if ((await fingerprint(connection, credentials.schema)) !== before) {
        throw new BaseboxError(
          'UNSUPPORTED',
          'SQL that creates, alters or drops tables, columns, constraints or indexes is refused and was rolled back: change tables with createTable, planChanges and applyPlan, which keep the definitions in step',
        )
      }
      const names = await typeNames(connection, out)
      const results = out.map((result, i): SQLStatementResult => {
        const columns: SQLColumn[] = result.fields.map((f) => ({
          name: f.name,
          type: names.get(f.dataTypeID) ?? `oid ${f.dataTypeID}`,
        }))
        return {
          command: result.command ?? statements[i]!.command,
          columns,
          rows: result.rows,
          rowCount: result.rowCount ?? result.rows.length,
          truncated: result.truncated,
        }
      })
      if (options.dryRun) {
        throw new DryRunRollback(results)
      }
      return results
    },
  )
}
