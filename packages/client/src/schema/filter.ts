import { z } from 'zod'

/** The comparison operators a filter may use on a column. */
export const FILTER_OPERATORS = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'like',
  'ilike',
  'is',
  'contains',
] as const

/** One of {@link FILTER_OPERATORS}. */
export type FilterOperator = (typeof FILTER_OPERATORS)[number]

/** The logical keys of a filter: they combine other filters instead of naming a column. */
export const FILTER_LOGICAL_KEYS = ['and', 'or', 'not'] as const

/** Operators on one column, e.g. `{ gte: 10, lt: 20 }`; several operators are combined with AND. */
export interface ColumnFilter {
  eq?: unknown
  neq?: unknown
  gt?: unknown
  gte?: unknown
  lt?: unknown
  lte?: unknown
  in?: unknown[]
  like?: string
  ilike?: string
  is?: null | boolean
  contains?: unknown
}

/**
 * A filter is data, not SQL: column names map to a value (shorthand for `eq`) or to a
 * {@link ColumnFilter}; `and`, `or` and `not` nest filters.
 *
 * ### Examples
 *
 * ```ts
 * const where: Filter = { title: { ilike: '%pg%' }, views: { gte: 10 }, or: [{ published: true }, { author_id: { is: null } }] }
 * ```
 */
export interface Filter {
  and?: Filter[]
  or?: Filter[]
  not?: Filter
  [column: string]: unknown
}

/** The most conditions one filter may hold, all levels counted. */
export const MAX_FILTER_CONDITIONS = 200

/** The deepest a filter may nest `and`/`or`/`not`. */
export const MAX_FILTER_DEPTH = 8

/** The zod schema of a {@link Filter}'s shape (columns and values are checked per table later). */
export const FilterSchema: z.ZodType<Filter> = z.lazy(() =>
  z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    for (const key of ['and', 'or'] as const) {
      if (key in value && !Array.isArray(value[key])) {
        ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" takes an array of filters` })
      }
    }
  }),
) as z.ZodType<Filter>

/** A sort key of a select. */
export const OrderBySchema = z
  .object({
    column: z.string(),
    direction: z.enum(['asc', 'desc']).default('asc'),
    nulls: z.enum(['first', 'last']).optional(),
  })
  .strict()

/** See {@link OrderBySchema}. */
export type OrderBy = z.input<typeof OrderBySchema>

/** The largest page a select returns. */
export const MAX_LIMIT = 1000

/** The page size when a select gives none. */
export const DEFAULT_LIMIT = 100

/** What a select may ask for. */
export const SelectQuerySchema = z
  .object({
    columns: z.array(z.string()).min(1).max(1600).optional(),
    where: FilterSchema.optional(),
    orderBy: z.union([OrderBySchema, z.array(OrderBySchema).max(16)]).optional(),
    limit: z.number().int().min(0).max(MAX_LIMIT).optional(),
    offset: z.number().int().min(0).max(1_000_000_000).optional(),
    cursor: z.string().max(4096).optional(),
    count: z.enum(['exact', 'estimated', 'none']).optional(),
    expand: z.array(z.string()).max(16).optional(),
  })
  .strict()

/**
 * The query of `db.select(table, query)`: columns, filter, order, page (limit with offset or a
 * keyset cursor), count and relations to expand.
 */
export type SelectQuery = z.input<typeof SelectQuerySchema>

/** The page `db.select` returns. */
export interface SelectResult<TRow = Record<string, unknown>> {
  rows: TRow[]
  /** The number of matching rows when the query asked for a count. */
  count?: number
  /** A cursor for the next page, or `null` on the last page. Present for tables with a primary key. */
  nextCursor?: string | null
}
