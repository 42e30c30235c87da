import { MAX_LIMIT, type SelectQuery, type TableDefinition } from '@basebox/client'
import type { DatabaseHandle, Row } from '../database/database-handle.js'
import { exportedColumns, type TransferProgress } from './export-format.js'

/** Rows per page when an export reads a table: the largest page a select returns. */
export const EXPORT_PAGE_ROWS = MAX_LIMIT

/** Options of {@link readTableRows}. @internal */
export interface ReadTableRowsOptions {
  /** Default is `false`. Whether secret columns are read too (a full backup). */
  includeSecrets?: boolean
  /** Default is {@link EXPORT_PAGE_ROWS}. */
  pageSize?: number
  onProgress?: (progress: TransferProgress) => void
}

/**
 * Reads a whole table page by page through `db.select`, in primary-key order with keyset
 * cursors, so that each page costs the same however deep into the table it is. A table without
 * a primary key is read with offsets, ordered by its first 16 readable columns.
 * @internal
 */
export async function* readTableRows(db: DatabaseHandle, definition: TableDefinition, options: ReadTableRowsOptions = {}): AsyncGenerator<Row[]> {
  const includeSecrets = options.includeSecrets === true
  const pageSize = Math.min(options.pageSize ?? EXPORT_PAGE_ROWS, MAX_LIMIT)
  const { written } = exportedColumns(definition, includeSecrets)
  const hasKey = definition.columns.some((c) => c.primary_key === true)
  const first = await db.select(definition.name, { limit: 0, count: 'exact' })
  const total = first.count ?? 0
  let done = 0
  options.onProgress?.({ table: definition.name, rows: 0, total })
  if (written.length === 0) {
    // Only secret columns, and no secrets asked for: the rows carry nothing but their number.
    for (; done < total; done += pageSize) {
      const page = Array.from({ length: Math.min(pageSize, total - done) }, (): Row => ({}))
      yield page
      options.onProgress?.({ table: definition.name, rows: done + page.length, total })
    }
    return
  }
  const orderBy = hasKey
    ? undefined
    : definition.columns.filter((c) => c.secret !== true).slice(0, 16).map((c) => ({ column: c.name }))
  let cursor: string | undefined
  for (;;) {
    const query: SelectQuery = { columns: written, limit: pageSize }
    if (orderBy !== undefined) {
      query.orderBy = orderBy
      query.offset = done
    } else if (cursor !== undefined) {
      query.cursor = cursor
    }
    const page = await db.select(definition.name, query, { allowSecret: includeSecrets })
    if (page.rows.length > 0) {
      done += page.rows.length
      yield page.rows
      options.onProgress?.({ table: definition.name, rows: done, total: Math.max(total, done) })
    }
    if (page.rows.length < pageSize || (hasKey && (page.nextCursor ?? null) === null)) {
      return
    }
    cursor = page.nextCursor ?? undefined
  }
}
