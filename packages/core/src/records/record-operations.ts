import {
  BaseboxError,
  isUUIDString,
  type Filter,
  type SelectQuery,
  type SelectResult,
  type TableDefinition,
} from '@basebox/client'
import { CompiledQuery } from 'kysely'
import { compileSelect } from './compile-select.js'
import {
  compileDelete,
  compileInsert,
  compileUpdate,
  prepareRows,
  type UpsertOptions,
  type WriteOptions,
} from './compile-write.js'
import {
  runRecords,
  selectWork,
  writeWork,
  type RecordTarget,
  type SchemaSnapshot,
} from './run-records.js'
import type { TableContext } from './table-context.js'

/** A record as the record APIs return it: JSON values, secret columns left out. */
export type Row = Record<string, unknown>

/** Options of `update` and `delete`. */
export interface FilteredWriteOptions extends WriteOptions {
  /** Default is `false`. Must be `true` to update or delete with an empty filter (every row). */
  all?: boolean
}

/** One statement compiled outside the engine: SQL text with `$n` placeholders and its values. */
export interface ExternalStatement {
  sql: string
  parameters: readonly unknown[]
}

/**
 * Statements an HTTP layer compiled against a database's definitions, and how to read their
 * rows. See {@link RecordOperations.runStatements}. @internal
 */
export interface ExternalWork<T> {
  statements: ExternalStatement[]
  assemble(results: Record<string, unknown>[][]): T
}

/**
 * Who a record operation runs for. Without an identity (the database handle's own methods) it
 * runs as the database's role: the project's service access, not limited by access rules. With
 * `anon` or an `authenticated` user it runs as the database's client role under the tables'
 * access rules (row-level security), with the user's id in `auth_uid()`.
 */
export type RecordIdentity = { role: 'anon' } | { role: 'authenticated'; userId: string }

/** Checks an identity given by a caller (the data API, the browser mode). */
export function parseRecordIdentity(identity: unknown): RecordIdentity {
  if (typeof identity === 'object' && identity !== null) {
    const { role, userId } = identity as { role?: unknown; userId?: unknown }
    if (role === 'anon') {
      return { role: 'anon' }
    }
    if (role === 'authenticated' && typeof userId === 'string' && isUUIDString(userId)) {
      return { role: 'authenticated', userId: userId.toLowerCase() }
    }
  }
  throw new BaseboxError(
    'VALIDATION_FAILED',
    'an identity is { role: "anon" } or { role: "authenticated", userId: <uuid> }',
  )
}

/**
 * Insert, upsert, select, update and delete on one database, for one identity. Get one with
 * `db.as(identity)`; the database handle itself offers the same methods with service access.
 */
export class RecordOperations {
  readonly #target: RecordTarget
  readonly #cache: { snapshot?: SchemaSnapshot }
  /** Who the operations run for; `undefined` for service access. */
  readonly identity: RecordIdentity | undefined

  /** @internal */
  constructor(
    target: RecordTarget,
    cache: { snapshot?: SchemaSnapshot },
    identity?: RecordIdentity,
  ) {
    this.#target = target
    this.#cache = cache
    this.identity = identity
  }

  // A signed-in user's new rows get their id in the owner column when the row names none.
  #withOwner(table: TableContext, rows: Row | Row[]): Row | Row[] {
    const identity = this.identity
    const owner = table.definition.access?.owner_column
    if (identity?.role !== 'authenticated' || owner === undefined) {
      return rows
    }
    const fill = (row: Row) =>
      typeof row === 'object' && row !== null && !Array.isArray(row) && row[owner] === undefined
        ? { ...row, [owner]: identity.userId }
        : row
    return Array.isArray(rows) ? rows.map(fill) : fill(rows)
  }

  #secret(options: { allowSecret?: boolean }): void {
    if (options.allowSecret === true && this.identity !== undefined) {
      throw new BaseboxError('FORBIDDEN', 'secret columns are reachable with service access only')
    }
  }

  /**
   * Inserts one row or many and returns the stored rows (defaults filled by Postgres, secret
   * columns left out). Every row is checked before any SQL runs: one bad value anywhere and
   * nothing is written, and the error names the row index and the column. Bulk inserts of
   * thousands of rows go as a few JSON-parameter statements in one transaction.
   */
  async insert(table: string, rows: Row | Row[], options: WriteOptions = {}): Promise<Row[]> {
    this.#secret(options)
    return runRecords(this.#target, this.#cache, table, (t) =>
      writeWork(compileInsert(t, prepareRows(t, this.#withOwner(t, rows), options), options)),
    )
  }

  /**
   * Inserts rows, or on a conflict on the primary key (or the unique `onConflict` columns)
   * merges the given values into the existing row (`resolution: 'merge'`, the default) or keeps
   * it (`'ignore'`). Returns the rows inserted or updated.
   */
  async upsert(table: string, rows: Row | Row[], options: UpsertOptions = {}): Promise<Row[]> {
    this.#secret(options)
    return runRecords(this.#target, this.#cache, table, (t) =>
      writeWork(
        compileInsert(t, prepareRows(t, this.#withOwner(t, rows), options), {
          ...options,
          upsert: true,
        }),
      ),
    )
  }

  /**
   * Reads a page of rows: chosen columns, a filter (data, not SQL), a multi-column order,
   * `limit` with `offset` or a keyset `cursor`, an optional count, and relations expanded one
   * level (`expand: ['author', 'comments']`). One statement, one round trip.
   *
   * ### Examples
   *
   * ```ts
   * const page = await db.select('posts', {
   *   where: { title: { ilike: '%pg%' }, views: { gte: 10 } },
   *   orderBy: [{ column: 'created_at', direction: 'desc' }],
   *   limit: 20,
   *   count: 'exact',
   *   expand: ['author'],
   * })
   * const next = await db.select('posts', { orderBy: [{ column: 'created_at', direction: 'desc' }], limit: 20, cursor: page.nextCursor! })
   * ```
   *
   * `options.allowSecret` (service access only: full backups and the auth package) also returns
   * secret columns; filters and sorting still refuse them.
   */
  async select(
    table: string,
    query: SelectQuery = {},
    options: { allowSecret?: boolean } = {},
  ): Promise<SelectResult> {
    this.#secret(options)
    return runRecords(this.#target, this.#cache, table, (t) =>
      selectWork(compileSelect(t, query, options), t),
    )
  }

  /**
   * Updates the rows matching `where` with `patch` and returns them. `updated_at` (when the
   * table has one) is set to now. An empty filter is refused unless `options.all` is `true`.
   */
  async update(
    table: string,
    where: Filter,
    patch: Row,
    options: FilteredWriteOptions = {},
  ): Promise<Row[]> {
    this.#secret(options)
    return runRecords(this.#target, this.#cache, table, (t) =>
      writeWork([compileUpdate(t, where, patch, options)]),
    )
  }

  /**
   * Runs statements compiled by a layer above the engine (the server's PostgREST grammar, which
   * is wider than {@link SelectQuery}) exactly as the other record operations run: checked
   * against the current definitions (`build` gets them, by name, with the database's schema),
   * in one transaction that first enters the database as this identity (its role, access rules
   * and claims). `table` is the table the request is about: its constraints name the columns of
   * typed errors. Every identifier in the statements must come from `tables` and be quoted, and
   * every value must be a parameter; `build` throws a `BaseboxError` for bad input, before any SQL.
   * @internal
   */
  async runStatements<T>(
    table: string,
    build: (context: {
      schema: string
      tables: ReadonlyMap<string, TableDefinition>
    }) => ExternalWork<T>,
  ): Promise<T> {
    return runRecords(this.#target, this.#cache, table, (t) => {
      const work = build({ schema: t.schema, tables: t.tables })
      return {
        statements: work.statements.map((s) => CompiledQuery.raw(s.sql, [...s.parameters])),
        assemble: (results) =>
          work.assemble(results.map((r) => r.rows as Record<string, unknown>[])),
      }
    })
  }

  /** Deletes the rows matching `where` and returns them. An empty filter needs `options.all`. */
  async delete(table: string, where: Filter, options: FilteredWriteOptions = {}): Promise<Row[]> {
    return runRecords(this.#target, this.#cache, table, (t) =>
      writeWork([compileDelete(t, where, options)]),
    )
  }
}
