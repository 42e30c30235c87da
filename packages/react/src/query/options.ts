import type { AuditLogPage, BaseboxClient, SelectQuery, SelectResult } from '@basebox/client'
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query'
import { baseboxKeys } from './keys.js'

/** The page size {@link baseboxQueryOptions.infiniteRows} asks for. Default is 200. */
export const DEFAULT_PAGE_SIZE = 200

/** The query of an infinite row list: a select without its own cursor or offset. */
export type InfiniteRowsQuery = Omit<SelectQuery, 'cursor' | 'offset'>

/**
 * React Query option factories for every Basebox read, for `useQuery`, `useSuspenseQuery`,
 * `prefetchQuery` or `ensureQueryData`. Each one carries its {@link baseboxKeys} key, and passes
 * React Query's abort signal to the client, so a query that goes out of view is cancelled.
 *
 * ### Examples
 *
 * ```ts
 * const { data } = useQuery(baseboxQueryOptions.rows(client, databaseId, 'posts', { limit: 20 }))
 * await queryClient.prefetchQuery(baseboxQueryOptions.tables(client, databaseId))
 * ```
 */
export const baseboxQueryOptions = {
  /** The owner's projects. */
  projects: (client: BaseboxClient) =>
    queryOptions({ queryKey: baseboxKeys.projects(), queryFn: () => client.listProjects() }),

  /** One project. */
  project: (client: BaseboxClient, projectId: string) =>
    queryOptions({
      queryKey: baseboxKeys.project(projectId),
      queryFn: () => client.getProject(projectId),
    }),

  /** The database of a project (`NOT_FOUND` when it has none yet). */
  projectDatabase: (client: BaseboxClient, projectId: string) =>
    queryOptions({
      queryKey: baseboxKeys.projectDatabase(projectId),
      queryFn: () => client.getDatabase(projectId),
    }),

  /** The tables of a database, with their definitions. */
  tables: (client: BaseboxClient, databaseId: string) =>
    queryOptions({
      queryKey: baseboxKeys.tableList(databaseId),
      queryFn: ({ signal }) => client.listTables(databaseId, { signal }),
    }),

  /** One table and its definition. */
  table: (client: BaseboxClient, databaseId: string, table: string) =>
    queryOptions({
      queryKey: baseboxKeys.definition(databaseId, table),
      queryFn: ({ signal }) => client.getTable(databaseId, table, { signal }),
    }),

  /** One page of rows (limit/offset or a `cursor` of the query). */
  rows: <TRow = Record<string, unknown>>(
    client: BaseboxClient,
    databaseId: string,
    table: string,
    query: SelectQuery = {},
  ) =>
    queryOptions({
      queryKey: baseboxKeys.rowPage(databaseId, table, query),
      queryFn: ({ signal }) => client.selectRows<TRow>(databaseId, table, query, { signal }),
    }),

  /**
   * Rows page after page by keyset cursor (the table needs a primary key). The first page asks
   * for the query's `count` (none by default); later pages never count.
   */
  infiniteRows: <TRow = Record<string, unknown>>(
    client: BaseboxClient,
    databaseId: string,
    table: string,
    query: InfiniteRowsQuery = {},
  ) =>
    infiniteQueryOptions({
      queryKey: baseboxKeys.infiniteRows(databaseId, table, query),
      queryFn: ({ pageParam, signal }): Promise<SelectResult<TRow>> => {
        const { count, ...rest } = query
        const page: SelectQuery = { limit: DEFAULT_PAGE_SIZE, ...rest }
        if (pageParam === null) {
          if (count !== undefined) {
            page.count = count
          }
        } else {
          page.cursor = pageParam
        }
        return client.selectRows<TRow>(databaseId, table, page, { signal })
      },
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),

  /** The audit log, newest first, page after page. */
  auditLog: (client: BaseboxClient, databaseId: string, options: { limit?: number } = {}) =>
    infiniteQueryOptions({
      queryKey: baseboxKeys.auditLog(databaseId, options),
      queryFn: ({ pageParam, signal }): Promise<AuditLogPage> =>
        client.auditLog(databaseId, { ...options, cursor: pageParam, signal }),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
}
