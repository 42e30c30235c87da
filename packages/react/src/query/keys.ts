import type { AuditLogOptions, SelectQuery } from '@basebox/client'

/**
 * The React Query keys of every Basebox query. They are stable arrays, and each one starts
 * with the key of what it belongs to, so one `invalidateQueries({ queryKey })` reaches all of
 * it: `database(id)` covers the database's tables, definitions, rows and audit log;
 * `rows(id, table)` covers every page and infinite list of one table.
 *
 * ### Examples
 *
 * ```ts
 * queryClient.invalidateQueries({ queryKey: baseboxKeys.rows(databaseId, 'posts') })
 * ```
 */
export const baseboxKeys = {
  /** Everything Basebox caches. */
  all: ['basebox'] as const,
  /** The owner's project list. */
  projects: () => ['basebox', 'projects'] as const,
  /** One project (and, below it, its database). */
  project: (projectId: string) => ['basebox', 'projects', projectId] as const,
  /** The database of a project. */
  projectDatabase: (projectId: string) => ['basebox', 'projects', projectId, 'database'] as const,
  /** Everything cached for one database. */
  database: (databaseId: string) => ['basebox', 'databases', databaseId] as const,
  /** The list of a database's tables. */
  tableList: (databaseId: string) => ['basebox', 'databases', databaseId, 'table-list'] as const,
  /** One table: its definition, and below it its rows. */
  table: (databaseId: string, table: string) =>
    ['basebox', 'databases', databaseId, 'tables', table] as const,
  /** The definition of one table. */
  definition: (databaseId: string, table: string) =>
    ['basebox', 'databases', databaseId, 'tables', table, 'definition'] as const,
  /** Every row query of one table (pages and infinite lists). */
  rows: (databaseId: string, table: string) =>
    ['basebox', 'databases', databaseId, 'tables', table, 'rows'] as const,
  /** One page of rows. */
  rowPage: (databaseId: string, table: string, query: SelectQuery = {}) =>
    ['basebox', 'databases', databaseId, 'tables', table, 'rows', 'page', query] as const,
  /** Rows loaded page after page by keyset cursor. */
  infiniteRows: (
    databaseId: string,
    table: string,
    query: Omit<SelectQuery, 'cursor' | 'offset'> = {},
  ) => ['basebox', 'databases', databaseId, 'tables', table, 'rows', 'infinite', query] as const,
  /** The audit log of a database. */
  auditLog: (databaseId: string, options: Pick<AuditLogOptions, 'limit'> = {}) =>
    ['basebox', 'databases', databaseId, 'audit', options] as const,
}
