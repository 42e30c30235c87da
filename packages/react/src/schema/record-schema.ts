import { literalProblem, type ColumnDefinition, type TableDefinition } from '@basebox/client'
import { z } from 'zod'
import { parseInput } from '../values/values.js'

// Stands for a key the input lacks, so that the column's own rule says "a value is required".
const MISSING = Symbol('missing')

/** Whether a record schema checks a new row (`insert`) or the changed fields of one (`update`). */
export type RecordSchemaMode = 'insert' | 'update'

/** Whether `column` must be given a value when a row is inserted (required, no default). */
export function isRequiredOnInsert(column: ColumnDefinition): boolean {
  return (column.required === true || column.primary_key === true) && column.default === undefined
}

/** Whether `column` may never be `NULL` (required or the primary key). */
export function isNotNull(column: ColumnDefinition): boolean {
  return column.required === true || column.primary_key === true
}

/**
 * The zod schema of one column's value in a form: a wire value (what `selectRows` returns), or
 * the text a user typed, read as `parseInput` reads it (`'1.234,5'` in a numeric is `'1234.5'`);
 * then checked as the engine checks it.
 */
export function columnValueSchema(column: ColumnDefinition, mode: RecordSchemaMode) {
  const mustGive = mode === 'insert' && isRequiredOnInsert(column)
  const notNull = isNotNull(column)
  return z.unknown().transform((input, ctx) => {
    let value = input === MISSING ? undefined : input
    if (typeof value === 'string' && column.type !== 'text' && column.type !== 'jsonb') {
      if (value.trim() === '') {
        value = null
      } else {
        const parsed = parseInput({ type: column.type, required: false }, value)
        if (!parsed.ok) {
          ctx.addIssue({ code: 'custom', message: parsed.message })
          return z.NEVER
        }
        value = parsed.value
      }
    }
    if (value === undefined) {
      if (mustGive) {
        ctx.addIssue({ code: 'custom', message: 'a value is required' })
        return z.NEVER
      }
      return undefined
    }
    if (value === null) {
      if (notNull) {
        if (mode === 'insert' && column.default !== undefined) {
          // Left empty on insert: the column's default applies.
          return undefined
        }
        ctx.addIssue({ code: 'custom', message: 'a value is required' })
        return z.NEVER
      }
      return null
    }
    const problem = literalProblem(column.type, value)
    if (problem !== undefined) {
      ctx.addIssue({ code: 'custom', message: problem })
      return z.NEVER
    }
    return value
  })
}

/**
 * The zod schema of a record of `definition` in a form, with the rules the engine enforces:
 * each value of its column's type (typed text read through `parseInput`), required columns given
 * on insert unless they have a default (so a primary key with a default is optional), no `NULL`
 * in required columns, no unknown keys. On `update` every field is optional (only changed ones
 * are sent). Secret columns are write-only: accepted, never required on update, and left out of
 * what `readableColumns` lists. Uniqueness and references are the engine's to check.
 *
 * ### Examples
 *
 * ```ts
 * const schema = recordSchema(posts.definition, 'insert')
 * schema.parse({ title: 'Hello', views: '1.234' }) // { title: 'Hello', views: 1234 }
 * ```
 */
export function recordSchema(definition: Pick<TableDefinition, 'columns'>, mode: RecordSchemaMode) {
  const shape: Record<string, z.ZodType<unknown>> = {}
  const mustGive: string[] = []
  for (const column of definition.columns) {
    const schema = columnValueSchema(column, mode)
    if (mode === 'insert' && isRequiredOnInsert(column)) {
      mustGive.push(column.name)
      shape[column.name] = schema
    } else {
      shape[column.name] = schema.optional()
    }
  }
  return z.preprocess((input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return input
    }
    const record = { ...(input as Record<string, unknown>) }
    for (const name of mustGive) {
      if (record[name] === undefined) {
        record[name] = MISSING
      }
    }
    return record
  }, z.strictObject(shape)) as z.ZodType<Record<string, unknown>, Record<string, unknown>>
}

/** The columns a record shows (every column but the secret ones, which are never read). */
export function readableColumns(definition: Pick<TableDefinition, 'columns'>): ColumnDefinition[] {
  return definition.columns.filter((column) => column.secret !== true)
}
