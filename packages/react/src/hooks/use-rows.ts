'use client'
import type {
  Filter,
  FilteredRowsOptions,
  InsertRowsOptions,
  RunSQLOptions,
  SelectQuery,
  UpsertRowsOptions,
} from '@basebox/client'
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query'
import { useBaseboxClient } from '../provider.js'
import {
  changeCachedRows,
  equalityMatcher,
  restoreRows,
  type RowsSnapshot,
} from '../query/cache.js'
import { baseboxKeys } from '../query/keys.js'
import { baseboxQueryOptions, type InfiniteRowsQuery } from '../query/options.js'

type Row = Record<string, unknown>

/**
 * One page of a table's rows: filter, order, limit and offset or a keyset `cursor`, count,
 * expanded references. The previous page stays shown while the next one loads.
 */
export function useRows<TRow = Row>(databaseId: string, table: string, query: SelectQuery = {}) {
  return useQuery({
    ...baseboxQueryOptions.rows<TRow>(useBaseboxClient(), databaseId, table, query),
    placeholderData: keepPreviousData,
  })
}

/**
 * A table's rows, page after page by keyset cursor: `fetchNextPage()` loads the next one. The
 * first page carries the query's `count`.
 */
export function useInfiniteRows<TRow = Row>(
  databaseId: string,
  table: string,
  query: InfiniteRowsQuery = {},
) {
  return useInfiniteQuery(
    baseboxQueryOptions.infiniteRows<TRow>(useBaseboxClient(), databaseId, table, query),
  )
}

// Writes can cascade to other tables (on delete cascade / set null): after any write, the rows
// of every table of the database are refetched; definitions are not.
function useInvalidateRows(databaseId: string) {
  const queryClient = useQueryClient()
  return () =>
    queryClient.invalidateQueries({
      predicate: (query) => {
        const key = query.queryKey
        return (
          key[0] === 'basebox' &&
          key[1] === 'databases' &&
          key[2] === databaseId &&
          key[5] === 'rows'
        )
      },
    })
}

/** Inserts one row or many (all or none). */
export function useInsertRows<TRow = Row>(databaseId: string, table: string) {
  const client = useBaseboxClient()
  const invalidate = useInvalidateRows(databaseId)
  return useMutation({
    mutationFn: ({ rows, options }: { rows: Row | Row[]; options?: InsertRowsOptions }) =>
      client.insertRows<TRow>(databaseId, table, rows, options),
    onSettled: invalidate,
  })
}

/** Inserts rows or merges them into the rows with the same key. */
export function useUpsertRows<TRow = Row>(databaseId: string, table: string) {
  const client = useBaseboxClient()
  const invalidate = useInvalidateRows(databaseId)
  return useMutation({
    mutationFn: ({ rows, options }: { rows: Row | Row[]; options?: UpsertRowsOptions }) =>
      client.upsertRows<TRow>(databaseId, table, rows, options),
    onSettled: invalidate,
  })
}

/** The variables of {@link useUpdateRows}. */
export interface UpdateRowsVariables {
  where: Filter
  patch: Row
  options?: FilteredRowsOptions
}

/**
 * Updates the rows matching `where`. When `where` is plain `column: value` pairs (a primary
 * key), the cached rows change at once and are put back if the write fails.
 */
export function useUpdateRows<TRow = Row>(databaseId: string, table: string) {
  const client = useBaseboxClient()
  const queryClient = useQueryClient()
  const invalidate = useInvalidateRows(databaseId)
  return useMutation<TRow[], Error, UpdateRowsVariables, { snapshot?: RowsSnapshot }>({
    mutationFn: ({ where, patch, options }) =>
      client.updateRows<TRow>(databaseId, table, where, patch, options),
    onMutate: async ({ where, patch }) => {
      const matches = equalityMatcher(where)
      if (matches === undefined) {
        return {}
      }
      return {
        snapshot: await changeCachedRows(queryClient, databaseId, table, (row) =>
          matches(row) ? { ...row, ...patch } : row,
        ),
      }
    },
    onError: (_error, _variables, context) => restoreRows(queryClient, context?.snapshot),
    onSettled: invalidate,
  })
}

/** The variables of {@link useDeleteRows}. */
export interface DeleteRowsVariables {
  where: Filter
  options?: FilteredRowsOptions
}

/**
 * Deletes the rows matching `where`. Rows matched by plain `column: value` pairs leave the
 * cache at once and come back if the delete fails.
 */
export function useDeleteRows<TRow = Row>(databaseId: string, table: string) {
  const client = useBaseboxClient()
  const queryClient = useQueryClient()
  const invalidate = useInvalidateRows(databaseId)
  return useMutation<TRow[], Error, DeleteRowsVariables, { snapshot?: RowsSnapshot }>({
    mutationFn: ({ where, options }) => client.deleteRows<TRow>(databaseId, table, where, options),
    onMutate: async ({ where }) => {
      const matches = equalityMatcher(where)
      if (matches === undefined) {
        return {}
      }
      return {
        snapshot: await changeCachedRows(queryClient, databaseId, table, (row) =>
          matches(row) ? null : row,
        ),
      }
    },
    onError: (_error, _variables, context) => restoreRows(queryClient, context?.snapshot),
    onSettled: invalidate,
  })
}

/** Runs SQL as the database's role; rows of every table and the audit log are refetched after. */
export function useRunSQL(databaseId: string) {
  const client = useBaseboxClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({
      text,
      params,
      options,
    }: {
      text: string
      params?: unknown[]
      options?: RunSQLOptions
    }) => client.runSQL(databaseId, text, params, options),
    onSettled: () => queryClient.invalidateQueries({ queryKey: baseboxKeys.database(databaseId) }),
  })
}

/** The audit log of a database, newest first; `fetchNextPage()` loads older entries. */
export function useAuditLog(databaseId: string, options: { limit?: number } = {}) {
  return useInfiniteQuery(baseboxQueryOptions.auditLog(useBaseboxClient(), databaseId, options))
}
