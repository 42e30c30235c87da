import {
  BaseboxError,
  ValidationError,
  type ColumnDefinition,
  type ValidationIssue,
} from '@basebox/client'
import { sql, type RawBuilder } from 'kysely'
import { quoteIdentifier as q } from '../ddl/identifier.js'
import { coerceColumnValue, toParameter } from './coerce-value.js'
import { compileFilter, isPlainObject } from './compile-filter.js'
import { ROOT } from './compile-select.js'
import { outputColumn, requireColumn, sqlType, type TableContext } from './table-context.js'

/** The most rows one insert call takes. */
export const MAX_INSERT_ROWS = 100_000

/** Rows per statement of a bulk insert: bounded so one statement stays a few MB. */
export const INSERT_CHUNK_ROWS = 5_000

/** Options shared by the write operations. */
export interface WriteOptions {
  /**
   * Default is `true`. Whether to return the rows written (without secret columns). With
   * `false` only the number of rows is returned, which is faster for bulk loads.
   */
  returning?: boolean
  /** @internal Lets the auth package write secret columns such as `password_hash`. */
  allowSecret?: boolean
}

/** Options of `upsert`. */
export interface UpsertOptions extends WriteOptions {
  /** The primary key or unique column(s) that identify an existing row. Default is the primary key. */
  onConflict?: string | string[]
  /** Default is `'merge'`: update the existing row with the given values; `'ignore'` keeps it. */
  resolution?: 'merge' | 'ignore'
}

/** Rows checked and coerced, grouped by the set of columns they give (defaults fill the rest). */
export interface PreparedRows {
  groups: { columns: ColumnDefinition[]; rows: Record<string, unknown>[] }[]
  count: number
}

/**
 * Checks every row against the definition before any SQL runs: unknown and secret columns,
 * values of the wrong type, required columns without a value or default. The error names the
 * row (its index) and the column; nothing is written.
 */
export function prepareRows(
  table: TableContext,
  input: unknown,
  options: WriteOptions,
): PreparedRows {
  const rows = Array.isArray(input) ? input : [input]
  if (rows.length === 0) {
    return { groups: [], count: 0 }
  }
  if (rows.length > MAX_INSERT_ROWS) {
    throw new BaseboxError('LIMIT_EXCEEDED', `one call inserts at most ${MAX_INSERT_ROWS} rows`)
  }
  const issues: ValidationIssue[] = []
  const groups = new Map<string, { columns: ColumnDefinition[]; rows: Record<string, unknown>[] }>()
  const needed = table.definition.columns.filter(
    (c) => (c.required === true || c.primary_key === true) && c.default === undefined,
  )
  const allowSecret = options.allowSecret ?? false
  // Rows of a bulk load mostly share their keys, in the same order: the columns looked up for
  // the previous row's keys serve the next one when its keys are the same.
  let lastKeys: string[] = []
  let lastColumns: ColumnDefinition[] = []
  let lastGroup: { columns: ColumnDefinition[]; rows: Record<string, unknown>[] } | undefined
  for (let index = 0; index < rows.length && issues.length < 20; index++) {
    const row: unknown = rows[index]
    if (!isPlainObject(row)) {
      issues.push({ path: ['rows', index], message: `row ${index} is not an object` })
      continue
    }
    const keys = Object.keys(row)
    let same = keys.length === lastKeys.length
    for (let k = 0; same && k < keys.length; k++) {
      same = keys[k] === lastKeys[k]
    }
    if (!same) {
      lastKeys = keys
      lastColumns = new Array<ColumnDefinition>(keys.length)
      lastGroup = undefined
    }
    const out: Record<string, unknown> = {}
    let given: ColumnDefinition[] | undefined
    for (let k = 0; k < keys.length; k++) {
      const name = keys[k]!
      const value = row[name]
      if (value === undefined) {
        // An undefined value is a column not given: this row's shape differs from its keys.
        given ??= lastColumns.slice(0, k).filter((c) => c.name in out)
        continue
      }
      const column = (lastColumns[k] ??= requireColumn(table, name, ['rows', index, name], {
        allowSecret,
        purpose: 'written',
      }))
      const coerced = coerceColumnValue(column, value)
      if (!coerced.ok) {
        issues.push({
          path: ['rows', index, name],
          message: `row ${index}, column ${JSON.stringify(name)}: ${coerced.message}`,
        })
        given ??= lastColumns.slice(0, k).filter((c) => c.name in out)
        continue
      }
      out[name] = coerced.value
      given?.push(column)
    }
    for (const column of needed) {
      if (!(column.name in out)) {
        issues.push({
          path: ['rows', index, column.name],
          message: `row ${index}, column ${JSON.stringify(column.name)}: a value is required`,
        })
      }
    }
    let group: { columns: ColumnDefinition[]; rows: Record<string, unknown>[] } | undefined
    if (given === undefined && lastGroup !== undefined) {
      group = lastGroup
    } else {
      const columns = given ?? lastColumns
      const key = columns.map((c) => c.name).join(',')
      group = groups.get(key)
      if (group === undefined) {
        group = { columns, rows: [] }
        groups.set(key, group)
      }
      if (given === undefined) {
        lastGroup = group
      }
    }
    group.rows.push(out)
  }
  if (issues.length > 0) {
    throw new ValidationError(
      `invalid rows for ${JSON.stringify(table.definition.name)}: ${issues[0]!.message}`,
      issues,
      {
        details: {
          table: table.definition.name,
          row: issues[0]!.path[1],
          column: issues[0]!.path[2],
        },
      },
    )
  }
  return { groups: [...groups.values()], count: rows.length }
}

function returningList(table: TableContext, alias: string): RawBuilder<unknown> {
  return sql.join(table.readable.map((c) => outputColumn(alias, c)))
}

/** Wraps a data-changing statement so its rows come back as one JSON array (or runs it bare, without rows). */
function asJSON(
  table: TableContext,
  statement: RawBuilder<unknown>,
  returning: boolean,
): RawBuilder<{ rows: unknown; count: number | string }> {
  return returning
    ? sql`with w as (${statement} returning ${returningList(table, ROOT)}) select coalesce(json_agg(w), '[]'::json) as rows, count(*) as count from w`
    : (statement as RawBuilder<{ rows: unknown; count: number | string }>)
}

/**
 * The statements of an insert (or upsert): each group of same-shaped rows is sent in chunks as
 * ONE JSON parameter expanded by `json_to_recordset`, so a bulk load is a handful of
 * statements whatever its size, far under the parameter limit.
 */
export function compileInsert(
  table: TableContext,
  prepared: PreparedRows,
  options: UpsertOptions & { upsert?: boolean },
): RawBuilder<{ rows: unknown; count: number | string }>[] {
  const conflict = options.upsert === true ? conflictClause(table, prepared, options) : sql``
  const statements: RawBuilder<{ rows: unknown; count: number | string }>[] = []
  for (const group of prepared.groups) {
    const target = sql`${table.qualified} as ${sql.raw(q(ROOT))}`
    if (group.columns.length === 0) {
      for (let i = 0; i < group.rows.length; i++) {
        statements.push(
          asJSON(
            table,
            sql`insert into ${target} default values${conflict}`,
            options.returning !== false,
          ),
        )
      }
      continue
    }
    const names = sql.raw(group.columns.map((c) => q(c.name)).join(', '))
    const record = sql.join(group.columns.map((c) => sql`${sql.raw(q(c.name))} ${sqlType(c)}`))
    for (let start = 0; start < group.rows.length; start += INSERT_CHUNK_ROWS) {
      const chunk = group.rows.slice(start, start + INSERT_CHUNK_ROWS)
      const source =
        chunk.length === 1
          ? sql`values (${sql.join(group.columns.map((c) => sql`cast(${toParameter(c.type, chunk[0]![c.name])} as ${sqlType(c)})`))})`
          : sql`select ${names} from json_to_recordset(cast(${JSON.stringify(chunk)} as json)) as r(${record})`
      statements.push(
        asJSON(
          table,
          sql`insert into ${target} (${names}) ${source}${conflict}`,
          options.returning !== false,
        ),
      )
    }
  }
  return statements
}

function conflictClause(
  table: TableContext,
  prepared: PreparedRows,
  options: UpsertOptions,
): RawBuilder<unknown> {
  const targets =
    options.onConflict === undefined
      ? table.primaryKey
        ? [table.primaryKey.name]
        : []
      : Array.isArray(options.onConflict)
        ? options.onConflict
        : [options.onConflict]
  if (targets.length === 0) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      `${JSON.stringify(table.definition.name)} has no primary key: name the unique column(s) in onConflict`,
    )
  }
  const columns = targets.map((name, i) =>
    requireColumn(table, name, ['onConflict', i], { purpose: 'used as a conflict target' }),
  )
  const unique =
    (columns.length === 1 && (columns[0]!.primary_key === true || columns[0]!.unique === true)) ||
    (table.definition.indexes ?? []).some(
      (i) =>
        i.unique === true &&
        i.columns.length === columns.length &&
        i.columns.every((c) => targets.includes(c)),
    )
  if (!unique) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      `onConflict must name the primary key or unique column(s) of ${JSON.stringify(table.definition.name)}`,
      {
        details: { onConflict: targets },
      },
    )
  }
  const target = sql.raw(columns.map((c) => q(c.name)).join(', '))
  if (options.resolution === 'ignore') {
    return sql` on conflict (${target}) do nothing`
  }
  const given = new Set(prepared.groups.flatMap((g) => g.columns.map((c) => c.name)))
  const updates = [...given]
    .filter((name) => !targets.includes(name))
    .map((name) => sql.raw(`${q(name)} = excluded.${q(name)}`))
  const touch = table.columns.get('updated_at')
  if (touch?.type === 'timestamptz' && !given.has('updated_at')) {
    updates.push(sql.raw(`${q('updated_at')} = now()`))
  }
  return updates.length === 0
    ? sql` on conflict (${target}) do nothing`
    : sql` on conflict (${target}) do update set ${sql.join(updates)}`
}

function requireFilter(
  table: TableContext,
  where: unknown,
  all: boolean | undefined,
  verb: string,
): RawBuilder<unknown> {
  const filter = compileFilter(table, ROOT, where)
  if (filter === undefined && all !== true) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      `refusing to ${verb} every row of ${JSON.stringify(table.definition.name)} without a filter; pass { all: true } to mean it`,
    )
  }
  return filter ?? sql`true`
}

/** The statement of an update: checked patch, `updated_at` bumped, the rows touched returned. */
export function compileUpdate(
  table: TableContext,
  where: unknown,
  patch: unknown,
  options: WriteOptions & { all?: boolean },
): RawBuilder<{ rows: unknown; count: number | string }> {
  if (!isPlainObject(patch)) {
    throw new BaseboxError('VALIDATION_FAILED', 'a patch must be an object of column values')
  }
  const sets: RawBuilder<unknown>[] = []
  const issues: ValidationIssue[] = []
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) {
      continue
    }
    const column = requireColumn(table, name, ['patch', name], {
      allowSecret: options.allowSecret ?? false,
      purpose: 'written',
    })
    const coerced = coerceColumnValue(column, value)
    if (!coerced.ok) {
      issues.push({
        path: ['patch', name],
        message: `column ${JSON.stringify(name)}: ${coerced.message}`,
      })
      continue
    }
    sets.push(
      sql`${sql.raw(q(name))} = cast(${toParameter(column.type, coerced.value)} as ${sqlType(column)})`,
    )
  }
  if (issues.length > 0) {
    throw new ValidationError(
      `invalid patch for ${JSON.stringify(table.definition.name)}: ${issues[0]!.message}`,
      issues,
    )
  }
  if (sets.length === 0) {
    throw new BaseboxError('VALIDATION_FAILED', 'a patch must change at least one column')
  }
  const touch = table.columns.get('updated_at')
  if (touch?.type === 'timestamptz' && !('updated_at' in patch)) {
    sets.push(sql.raw(`${q('updated_at')} = now()`))
  }
  const filter = requireFilter(table, where, options.all, 'update')
  return asJSON(
    table,
    sql`update ${table.qualified} as ${sql.raw(q(ROOT))} set ${sql.join(sets)} where ${filter}`,
    options.returning !== false,
  )
}

/** The statement of a delete, returning the rows removed. */
export function compileDelete(
  table: TableContext,
  where: unknown,
  options: WriteOptions & { all?: boolean },
): RawBuilder<{ rows: unknown; count: number | string }> {
  const filter = requireFilter(table, where, options.all, 'delete')
  return asJSON(
    table,
    sql`delete from ${table.qualified} as ${sql.raw(q(ROOT))} where ${filter}`,
    options.returning !== false,
  )
}
