import type { Filter, SelectResult } from '@basebox/client'
import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query'
import { baseboxKeys } from './keys.js'

type Row = Record<string, unknown>
type RowsData = SelectResult<Row> | InfiniteData<SelectResult<Row>, unknown>

/** A snapshot of cached row queries, to roll an optimistic change back. @internal */
export type RowsSnapshot = [QueryKey, unknown][]

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof value)
}

/**
 * The rows a filter surely matches when it is only `column: value` (or `{ eq: value }`) pairs,
 * the shape the grid and forms write with; `undefined` for any other filter (then nothing is
 * changed optimistically and the refetch tells). @internal
 */
export function equalityMatcher(where: Filter): ((row: Row) => boolean) | undefined {
  const pairs: [string, unknown][] = []
  for (const [column, condition] of Object.entries(where)) {
    if (column === 'and' || column === 'or' || column === 'not') {
      return undefined
    }
    if (isScalar(condition)) {
      pairs.push([column, condition])
    } else if (
      condition !== null &&
      typeof condition === 'object' &&
      Object.keys(condition).length === 1 &&
      'eq' in condition &&
      isScalar((condition as { eq: unknown }).eq)
    ) {
      pairs.push([column, (condition as { eq: unknown }).eq])
    } else {
      return undefined
    }
  }
  if (pairs.length === 0) {
    return undefined
  }
  return (row) => pairs.every(([column, value]) => String(row[column]) === String(value))
}

function mapPage(page: SelectResult<Row>, change: (row: Row) => Row | null): SelectResult<Row> {
  const rows: Row[] = []
  for (const row of page.rows) {
    const next = change(row)
    if (next !== null) {
      rows.push(next)
    }
  }
  const removed = page.rows.length - rows.length
  return {
    ...page,
    rows,
    ...(page.count !== undefined ? { count: Math.max(0, page.count - removed) } : {}),
  }
}

/**
 * Changes every cached row of a table, in pages and infinite lists alike (`change` returns the
 * new row, or `null` to drop it), after cancelling the table's row queries in flight so that an
 * old answer cannot overwrite the change. Returns the snapshot to roll back with. @internal
 */
export async function changeCachedRows(
  queryClient: QueryClient,
  databaseId: string,
  table: string,
  change: (row: Row) => Row | null,
): Promise<RowsSnapshot> {
  const queryKey = baseboxKeys.rows(databaseId, table)
  await queryClient.cancelQueries({ queryKey })
  const snapshot = queryClient.getQueriesData<RowsData>({ queryKey }) as RowsSnapshot
  queryClient.setQueriesData<RowsData>({ queryKey }, (data) => {
    if (data === undefined) {
      return data
    }
    if ('pages' in data) {
      return { ...data, pages: data.pages.map((page) => mapPage(page, change)) }
    }
    return mapPage(data, change)
  })
  return snapshot
}

/** Puts a snapshot of {@link changeCachedRows} back. @internal */
export function restoreRows(queryClient: QueryClient, snapshot: RowsSnapshot | undefined): void {
  for (const [key, data] of snapshot ?? []) {
    queryClient.setQueryData(key, data)
  }
}
