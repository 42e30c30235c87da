import { z } from 'zod'

/** The longest identifier Postgres keeps without truncating it, in bytes. */
export const MAX_IDENTIFIER_BYTES = 63

/** The pattern every user-given table, column and index name must match. */
export const IDENTIFIER_PATTERN = /^[a-z][a-z0-9_]*$/

/**
 * Postgres' reserved key words (including those that can only be a function or type name):
 * they cannot be table or column names in Basebox, even quoted, so that hand-written SQL over
 * a project database never needs quotes.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'all',
  'analyse',
  'analyze',
  'and',
  'any',
  'array',
  'as',
  'asc',
  'asymmetric',
  'authorization',
  'binary',
  'both',
  'case',
  'cast',
  'check',
  'collate',
  'collation',
  'column',
  'concurrently',
  'constraint',
  'create',
  'cross',
  'current_catalog',
  'current_date',
  'current_role',
  'current_schema',
  'current_time',
  'current_timestamp',
  'current_user',
  'default',
  'deferrable',
  'desc',
  'distinct',
  'do',
  'else',
  'end',
  'except',
  'false',
  'fetch',
  'for',
  'foreign',
  'freeze',
  'from',
  'full',
  'grant',
  'group',
  'having',
  'ilike',
  'in',
  'initially',
  'inner',
  'intersect',
  'into',
  'is',
  'isnull',
  'join',
  'lateral',
  'leading',
  'left',
  'like',
  'limit',
  'localtime',
  'localtimestamp',
  'natural',
  'not',
  'notnull',
  'null',
  'offset',
  'on',
  'only',
  'or',
  'order',
  'outer',
  'overlaps',
  'placing',
  'primary',
  'references',
  'returning',
  'right',
  'select',
  'session_user',
  'similar',
  'some',
  'symmetric',
  'system_user',
  'table',
  'tablesample',
  'then',
  'to',
  'trailing',
  'true',
  'union',
  'unique',
  'user',
  'using',
  'variadic',
  'verbose',
  'when',
  'where',
  'window',
  'with',
])

/** Postgres' system column names: no user column may take one. */
export const SYSTEM_COLUMN_NAMES: ReadonlySet<string> = new Set([
  'oid',
  'tableoid',
  'xmin',
  'cmin',
  'xmax',
  'cmax',
  'ctid',
])

/**
 * Why `name` is not a valid Basebox identifier, or `undefined` when it is.
 * Checks the pattern, the byte length and the reserved words.
 */
export function identifierProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') {
    return 'a name must be a string'
  }
  if (name.length === 0) {
    return 'a name cannot be empty'
  }
  if (new TextEncoder().encode(name).length > MAX_IDENTIFIER_BYTES) {
    return `name ${JSON.stringify(name.slice(0, 80))} is longer than ${MAX_IDENTIFIER_BYTES} bytes`
  }
  if (!IDENTIFIER_PATTERN.test(name)) {
    return `name ${JSON.stringify(name)} must start with a lowercase letter and contain only lowercase letters, digits and underscores`
  }
  if (RESERVED_WORDS.has(name)) {
    return `name ${JSON.stringify(name)} is a reserved word`
  }
  if (name.startsWith('pg_')) {
    return `name ${JSON.stringify(name)} uses the reserved prefix "pg_"`
  }
  return undefined
}

/** Whether `name` is a valid table, column or index name. */
export function isIdentifier(name: unknown): name is string {
  return identifierProblem(name) === undefined
}

/**
 * The zod schema of a table, column or index name: `^[a-z][a-z0-9_]*$`, at most 63 bytes, not a
 * reserved word. Issues it raises carry `params: { identifier: true }`.
 */
export const Identifier = z
  .string()
  .superRefine((value, ctx) => {
    const problem = identifierProblem(value)
    if (problem !== undefined) {
      ctx.addIssue({ code: 'custom', message: problem, params: { identifier: true } })
    }
  })
  .meta({
    description:
      'snake_case name: starts with a lowercase letter, then lowercase letters, digits or underscores; at most 63 bytes; not an SQL reserved word',
  })
