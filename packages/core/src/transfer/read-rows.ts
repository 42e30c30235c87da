import { BaseboxError, MAX_LIMIT, type TableDefinition } from '@basebox/client'
import { CompiledQuery, sql } from 'kysely'
import type { DatabaseHandle, DatabaseSnapshot, Row } from '../database/database-handle.js'
import { quoteIdentifier as q } from '../ddl/identifier.js'
import { outputColumn } from '../records/table-context.js'
import { exportedColumns, type TransferProgress } from './export-format.js'

/** Rows per page when an export reads a table: the largest page a select returns. */
export const EXPORT_PAGE_ROWS = MAX_LIMIT

/** How long an export waits for its consumer to ask for the next chunk before letting go. */
export const EXPORT_IDLE_TIMEOUT_MS = 30_000

/** Options of {@link ExportReader.rows}. @internal */
export interface ReadTableRowsOptions {
  /** Default is `false`. Whether secret columns are read too (a full backup). */
  includeSecrets?: boolean
  /** Default is {@link EXPORT_PAGE_ROWS}. */
  pageSize?: number
  onProgress?: (progress: TransferProgress) => void
}

let cursors = 0

/**
 * Reads tables for an export from ONE snapshot: a read-only, repeatable-read transaction held
 * on one connection for the whole export (see {@link DatabaseHandle.openSnapshot}), so rows
 * written while it runs are not in it, and every table is as of the same moment.
 * @internal
 */
export class ExportReader {
  readonly #snapshot: DatabaseSnapshot
  readonly #schema: string
  #timer: ReturnType<typeof setTimeout> | undefined
  #expired = false

  private constructor(snapshot: DatabaseSnapshot, schema: string) {
    this.#snapshot = snapshot
    this.#schema = schema
  }

  /** Opens the snapshot. The caller must {@link ExportReader.close} it. */
  static async open(db: DatabaseHandle): Promise<ExportReader> {
    return new ExportReader(await db.openSnapshot(), db.info.schema_name)
  }

  /** The definitions of the tables as of the snapshot, in creation order. */
  get tables(): readonly TableDefinition[] {
    return this.#snapshot.tables
  }

  /**
   * Reads a whole table through one server-side cursor, `pageSize` rows per fetch, each row in
   * the record APIs' JSON form (bigint and numeric as text). Ordered by the primary key, or by
   * the first 16 readable columns of a table without one.
   */
  rows(definition: TableDefinition, options: ReadTableRowsOptions = {}): AsyncGenerator<Row[]> {
    return this.#pages(definition, options, 'object') as AsyncGenerator<Row[]>
  }

  /**
   * {@link ExportReader.rows} with each row as an array of the exported columns' values, in
   * the definition's order: lighter to send and to read when the keys are not needed (CSV).
   */
  arrays(
    definition: TableDefinition,
    options: ReadTableRowsOptions = {},
  ): AsyncGenerator<unknown[][]> {
    return this.#pages(definition, options, 'array') as AsyncGenerator<unknown[][]>
  }

  async *#pages(
    definition: TableDefinition,
    options: ReadTableRowsOptions,
    shape: 'object' | 'array',
  ): AsyncGenerator<Row[] | unknown[][]> {
    const includeSecrets = options.includeSecrets === true
    const pageSize = Math.min(options.pageSize ?? EXPORT_PAGE_ROWS, MAX_LIMIT)
    const trx = this.#snapshot.trx
    const { written } = exportedColumns(definition, includeSecrets)
    const table = sql.raw(`${q(this.#schema)}.${q(definition.name)} as t`)
    const counted = await sql<{ n: string | number }>`select count(*) as n from ${table}`.execute(
      trx,
    )
    const total = Number(counted.rows[0]!.n)
    let done = 0
    options.onProgress?.({ table: definition.name, rows: 0, total })
    if (written.length === 0) {
      // Only secret columns, and no secrets asked for: the rows carry nothing but their number.
      for (; done < total; done += pageSize) {
        const length = Math.min(pageSize, total - done)
        yield shape === 'array'
          ? Array.from({ length }, (): unknown[] => [])
          : Array.from({ length }, (): Row => ({}))
        options.onProgress?.({ table: definition.name, rows: done + length, total })
      }
      return
    }
    const columns = written.map((name) => definition.columns.find((c) => c.name === name)!)
    // json_build_array takes at most 100 arguments; wider tables are read as objects.
    const asArrays = shape === 'array' && columns.length <= 100
    const json = asArrays
      ? sql`json_build_array(${sql.join(columns.map((c) => sql.raw(`t.${q(c.name)}${c.type === 'bigint' || c.type === 'numeric' ? '::text' : ''}`)))})::text`
      : sql`row_to_json(x)::text`
    const from = asArrays
      ? sql`${table}`
      : sql`(select ${sql.join(columns.map((c) => outputColumn('t', c)))} from ${table}`
    const pk = definition.columns.find((c) => c.primary_key === true)
    const order = (
      pk === undefined ? definition.columns.filter((c) => c.secret !== true).slice(0, 16) : [pk]
    ).map((c) => `t.${q(c.name)}`)
    const orderBy = sql.raw(order.length === 0 ? '' : ` order by ${order.join(', ')}`)
    const query = asArrays
      ? sql`select ${json} as r from ${from}${orderBy}`
      : sql`select ${json} as r from ${from}${orderBy}) x`
    const cursor = `basebox_export_${++cursors}`
    await sql`declare ${sql.id(cursor)} no scroll cursor for ${query}`.execute(trx)
    const fetch = CompiledQuery.raw(`fetch forward ${pageSize} from ${q(cursor)}`)
    try {
      for (;;) {
        const { rows } = await trx.executeQuery<{ r: string }>(fetch)
        if (rows.length > 0) {
          // One parse per page: the rows' JSON texts joined into one array.
          const parsed = JSON.parse(`[${rows.map((row) => row.r).join(',')}]`) as
            Row[] | unknown[][]
          const page =
            shape === 'array' && !asArrays
              ? (parsed as Row[]).map((row) => written.map((name) => row[name]))
              : parsed
          done += page.length
          yield page
          options.onProgress?.({ table: definition.name, rows: done, total: Math.max(total, done) })
        }
        if (rows.length < pageSize) {
          return
        }
      }
    } finally {
      if (!this.#expired) {
        await sql`close ${sql.id(cursor)}`.execute(trx).catch(() => {})
      }
    }
  }

  /**
   * Hands `chunks` to the consumer, holding the snapshot only while the consumer keeps asking:
   * when it waits longer than `idleTimeoutMs` between two chunks, the snapshot is released and
   * the next chunk is a `TIMEOUT` error. The snapshot is released when the stream ends, fails
   * or is abandoned (`return()` on the iterator, e.g. `break` in `for await`).
   */
  static async *stream<T>(
    db: DatabaseHandle,
    idleTimeoutMs: number | undefined,
    body: (reader: ExportReader) => AsyncIterable<T>,
  ): AsyncGenerator<T> {
    const idle = idleTimeoutMs ?? EXPORT_IDLE_TIMEOUT_MS
    if (!Number.isFinite(idle) || idle <= 0) {
      throw new BaseboxError(
        'VALIDATION_FAILED',
        'idleTimeoutMs must be a positive number of milliseconds',
      )
    }
    const reader = await ExportReader.open(db)
    try {
      for await (const chunk of body(reader)) {
        reader.#arm(idle)
        yield chunk
        reader.#disarm(idle)
      }
    } finally {
      await reader.close()
    }
  }

  #arm(idle: number): void {
    this.#timer = setTimeout(() => {
      this.#expired = true
      void this.#snapshot.release()
    }, idle)
    // A pending timer must not keep a Node process alive.
    ;(this.#timer as { unref?: () => void }).unref?.()
  }

  #disarm(idle: number): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#expired) {
      throw new BaseboxError(
        'TIMEOUT',
        `the export waited more than ${idle} ms for its reader, so it was stopped; read it without pausing`,
      )
    }
  }

  /** Ends the snapshot's transaction. Idempotent. */
  async close(): Promise<void> {
    clearTimeout(this.#timer)
    await this.#snapshot.release()
  }
}
