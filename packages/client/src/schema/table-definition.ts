import { z } from 'zod'
import { ValidationError, type ValidationIssue } from '../errors.js'
import { COLUMN_TYPES, DEFAULT_FUNCTIONS, toDefaultFunction } from './column-type.js'
import { Identifier, SYSTEM_COLUMN_NAMES } from './identifier.js'
import { literalProblem } from './literal.js'

/** What happens to referencing rows when the referenced row is deleted. */
export const ON_DELETE_ACTIONS = ['cascade', 'set null', 'restrict', 'no action'] as const

/** One of {@link ON_DELETE_ACTIONS}. */
export type OnDeleteAction = (typeof ON_DELETE_ACTIONS)[number]

/** The most columns a table may have (Postgres' own limit). */
export const MAX_COLUMNS = 1600

/** A foreign key: the column holds the `column` value of a row of `table` in the same database. */
export const ColumnReference = z
  .object({
    table: Identifier.describe('the referenced table, in the same database'),
    column: Identifier.default('id').describe('the referenced column; default is "id"'),
    on_delete: z
      .enum(ON_DELETE_ACTIONS)
      .default('no action')
      .describe('what happens to this row when the referenced row is deleted'),
  })
  .strict()

/** See {@link ColumnReference}. */
export type ColumnReference = z.output<typeof ColumnReference>

/**
 * A column default: a literal value of the column's type, or one of the allow-listed functions
 * `gen_random_uuid()`, `now()`, `current_date`, `current_timestamp`. Never SQL text.
 */
export const ColumnDefault = z
  .union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(z.unknown()),
    z.record(z.string(), z.unknown()),
  ])
  .describe(
    `a literal of the column type, or one of the functions ${Object.keys(DEFAULT_FUNCTIONS).join(', ')}`,
  )

/** See {@link ColumnDefault}. */
export type ColumnDefault = z.output<typeof ColumnDefault>

/** A column name: an {@link Identifier} that is not one of Postgres' system column names. */
export const ColumnName = Identifier.superRefine((value, ctx) => {
  if (SYSTEM_COLUMN_NAMES.has(value)) {
    ctx.addIssue({
      code: 'custom',
      message: `name ${JSON.stringify(value)} is a Postgres system column`,
      params: { identifier: true },
    })
  }
})

/** One column of a {@link TableDefinition}. */
export const ColumnDefinition = z
  .object({
    name: ColumnName,
    type: z.enum(COLUMN_TYPES),
    primary_key: z.boolean().optional().describe('at most one column per table'),
    unique: z.boolean().optional(),
    required: z.boolean().optional().describe('NOT NULL'),
    default: ColumnDefault.optional(),
    references: ColumnReference.optional(),
    secret: z
      .boolean()
      .optional()
      .describe('never returned by record APIs, and cannot be filtered or sorted on'),
  })
  .strict()

/** See {@link ColumnDefinition}. */
export type ColumnDefinition = z.output<typeof ColumnDefinition>

/** A secondary index on one or more columns of the table. */
export const IndexDefinition = z
  .object({
    columns: z.array(Identifier).min(1).max(32),
    unique: z.boolean().optional(),
  })
  .strict()

/** See {@link IndexDefinition}. */
export type IndexDefinition = z.output<typeof IndexDefinition>

/**
 * Who may do an operation on a table's rows, when the request comes from an app's end user (the
 * project's service key and the owner's tools are not limited by these rules):
 * `nobody` (the default), `public` (anyone, signed in or not), `authenticated` (any signed-in
 * user), `owner` (a signed-in user, on the rows whose `owner_column` holds their id).
 */
export const ACCESS_RULES = ['nobody', 'public', 'authenticated', 'owner'] as const

/** One of {@link ACCESS_RULES}. */
export type AccessRule = (typeof ACCESS_RULES)[number]

/** The operations access rules govern. */
export const ACCESS_OPERATIONS = ['select', 'insert', 'update', 'delete'] as const

/** One of {@link ACCESS_OPERATIONS}. */
export type AccessOperation = (typeof ACCESS_OPERATIONS)[number]

/** The access rules of a table, per operation; compiled to Postgres row-level security policies. */
export const AccessDefinition = z
  .object({
    select: z.enum(ACCESS_RULES).optional(),
    insert: z.enum(ACCESS_RULES).optional(),
    update: z.enum(ACCESS_RULES).optional(),
    delete: z.enum(ACCESS_RULES).optional(),
    owner_column: Identifier.optional().describe(
      'the uuid column holding the owning user id; needed by the "owner" rule',
    ),
  })
  .strict()

/** See {@link AccessDefinition}. */
export type AccessDefinition = z.output<typeof AccessDefinition>

/**
 * The JSON definition of one table: the public contract of Basebox, given to users, stored in
 * the catalog as the source of truth, and given to the AI as JSON Schema.
 *
 * ### Examples
 *
 * ```ts
 * const posts = parseTableDefinition({
 *   name: 'posts',
 *   columns: [
 *     { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
 *     { name: 'title', type: 'text', required: true },
 *     { name: 'author_id', type: 'uuid', references: { table: 'users', column: 'id', on_delete: 'cascade' } },
 *     { name: 'created_at', type: 'timestamptz', default: 'now()' },
 *   ],
 * })
 * ```
 */
export const TableDefinition = z
  .object({
    name: Identifier,
    columns: z.array(ColumnDefinition).min(1).max(MAX_COLUMNS),
    indexes: z.array(IndexDefinition).max(64).optional(),
    access: AccessDefinition.optional(),
  })
  .strict()

/** See {@link TableDefinition}. */
export type TableDefinition = z.output<typeof TableDefinition>

/** The accepted input shape of a {@link TableDefinition} (reference fields may be left out). */
export type TableDefinitionInput = z.input<typeof TableDefinition>

/**
 * The problems of a table definition that zod's shape cannot see: duplicate names, more than one
 * primary key, defaults that do not fit the column's type, indexes on unknown columns.
 */
export function tableDefinitionProblems(table: TableDefinition): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const seen = new Set<string>()
  let primaryKeys = 0
  table.columns.forEach((column, index) => {
    const at = (...rest: (string | number)[]) => ['columns', index, ...rest]
    if (seen.has(column.name)) {
      issues.push({ path: at('name'), message: `duplicate column ${JSON.stringify(column.name)}` })
    }
    seen.add(column.name)
    if (column.primary_key === true) {
      primaryKeys += 1
      if (primaryKeys > 1) {
        issues.push({
          path: at('primary_key'),
          message: 'a table can have only one primary key column',
        })
      }
    }
    if (column.default !== undefined && column.default !== null) {
      const fn = toDefaultFunction(column.default)
      if (fn !== undefined && column.type !== 'text' && column.type !== 'jsonb') {
        if (!(DEFAULT_FUNCTIONS[fn] as readonly string[]).includes(column.type)) {
          issues.push({
            path: at('default'),
            message: `default ${fn} does not fit a ${column.type} column`,
          })
        }
      } else if (fn !== undefined && column.type === 'text') {
        issues.push({
          path: at('default'),
          message: `default ${fn} is a function and does not fit a text column`,
        })
      } else {
        const problem = literalProblem(column.type, column.default)
        if (problem !== undefined) {
          issues.push({ path: at('default'), message: `invalid default: ${problem}` })
        }
      }
    }
    if (column.default === null && column.required === true) {
      issues.push({ path: at('default'), message: 'a required column cannot default to null' })
    }
    if (column.references?.on_delete === 'set null' && (column.required || column.primary_key)) {
      issues.push({
        path: at('references', 'on_delete'),
        message: 'on_delete "set null" needs a column that may be null',
      })
    }
  })
  const access = table.access
  if (access !== undefined) {
    const usesOwner = ACCESS_OPERATIONS.some((op) => access[op] === 'owner')
    if (usesOwner && access.owner_column === undefined) {
      issues.push({
        path: ['access', 'owner_column'],
        message: 'the "owner" rule needs an owner_column',
      })
    }
    if (access.owner_column !== undefined) {
      const owner = table.columns.find((c) => c.name === access.owner_column)
      if (owner === undefined) {
        issues.push({
          path: ['access', 'owner_column'],
          message: `owner_column ${JSON.stringify(access.owner_column)} is not a column of the table`,
        })
      } else if (owner.type !== 'uuid') {
        issues.push({
          path: ['access', 'owner_column'],
          message: `owner_column ${JSON.stringify(access.owner_column)} must be a uuid column`,
        })
      } else if (owner.secret === true) {
        issues.push({
          path: ['access', 'owner_column'],
          message: `owner_column ${JSON.stringify(access.owner_column)} cannot be secret`,
        })
      }
    }
  }
  table.indexes?.forEach((index, i) => {
    const inIndex = new Set<string>()
    index.columns.forEach((name, j) => {
      if (!seen.has(name)) {
        issues.push({
          path: ['indexes', i, 'columns', j],
          message: `index column ${JSON.stringify(name)} is not a column of the table`,
        })
      }
      if (inIndex.has(name)) {
        issues.push({
          path: ['indexes', i, 'columns', j],
          message: `column ${JSON.stringify(name)} appears twice in the index`,
        })
      }
      inIndex.add(name)
    })
  })
  return issues
}

/**
 * Checks `input` against {@link TableDefinition} and returns the definition in normal form
 * (defaults of allow-listed functions lower-cased, reference fields filled in).
 * Throws a {@link ValidationError} listing every problem with its JSON path; its code is
 * `INVALID_IDENTIFIER` when a name is at fault.
 */
export function parseTableDefinition(input: unknown): TableDefinition {
  const result = TableDefinition.safeParse(input)
  if (!result.success) {
    throw toValidationError('invalid table definition', result.error)
  }
  const table = normalizeTableDefinition(result.data)
  const issues = tableDefinitionProblems(table)
  if (issues.length > 0) {
    throw new ValidationError(`invalid table definition: ${issues[0]!.message}`, issues)
  }
  return table
}

/**
 * Returns the definition with defaults that name functions written in their normal form, and a
 * default of `-0` written `0` (JSON, and so every stored definition, cannot tell them apart).
 */
export function normalizeTableDefinition(table: TableDefinition): TableDefinition {
  return {
    ...table,
    columns: table.columns.map((column) => {
      if (Object.is(column.default, -0)) {
        return { ...column, default: 0 }
      }
      const fn = toDefaultFunction(column.default)
      return fn !== undefined && column.type !== 'text' && column.type !== 'jsonb'
        ? { ...column, default: fn }
        : column
    }),
  }
}

/**
 * Turns a zod error into a {@link ValidationError} whose issues carry JSON paths; the code is
 * `INVALID_IDENTIFIER` when any issue is about a name.
 */
export function toValidationError(message: string, error: z.ZodError): ValidationError {
  const issues: ValidationIssue[] = error.issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
    message: issue.message,
  }))
  const identifier = error.issues.some(
    (issue) =>
      issue.code === 'custom' && (issue.params as { identifier?: boolean } | undefined)?.identifier,
  )
  const first = issues[0]
  const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : ''
  return new ValidationError(`${message}: ${first?.message ?? 'invalid input'}${where}`, issues, {
    code: identifier ? 'INVALID_IDENTIFIER' : 'VALIDATION_FAILED',
  })
}
