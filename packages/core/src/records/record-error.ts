import { DatabaseError, type BaseboxError } from '@basebox/client'
import { objectName } from '../ddl/identifier.js'
import { fromDatabaseError, isPostgresError } from '../errors/from-database-error.js'
import type { TableContext } from './table-context.js'

function columnOfConstraint(
  table: TableContext,
  constraint: string,
  kind: 'unique' | 'foreignKey',
): string | undefined {
  for (const column of table.definition.columns) {
    if (
      kind === 'unique' &&
      (objectName.unique(table.definition.name, column.name) === constraint ||
        (column.primary_key && objectName.primaryKey(table.definition.name) === constraint))
    ) {
      return column.name
    }
    if (
      kind === 'foreignKey' &&
      objectName.foreignKey(table.definition.name, column.name) === constraint
    ) {
      return column.name
    }
  }
  return undefined
}

/**
 * Turns a failed record statement into a `BaseboxError` that names the column: a unique
 * violation is a `CONFLICT` on that column, a missing referenced row a `CONFLICT` naming the
 * referenced table, a null in a required column `VALIDATION_FAILED` "required". The map is the
 * same for both drivers (both report SQLSTATE codes and constraint names).
 */
export function toRecordError(error: unknown, table: TableContext): BaseboxError {
  const base = fromDatabaseError(error)
  if (!isPostgresError(error)) {
    return base
  }
  const constraint = typeof error.constraint === 'string' ? error.constraint : ''
  const errorTable = typeof error.table === 'string' ? error.table : table.definition.name
  const name = table.definition.name
  switch (error.code) {
    case '23505': {
      const column = columnOfConstraint(table, constraint, 'unique')
      const what = column === undefined ? 'these values' : `this ${JSON.stringify(column)}`
      return new DatabaseError(
        'CONFLICT',
        `a row of ${JSON.stringify(name)} with ${what} already exists`,
        error.code,
        {
          cause: error,
          details: { table: name, ...(column ? { column } : { constraint }), reason: 'unique' },
        },
      )
    }
    case '23503': {
      if (errorTable === name) {
        const column = columnOfConstraint(table, constraint, 'foreignKey')
        const referenced =
          column === undefined ? undefined : table.columns.get(column)?.references?.table
        if (column !== undefined && referenced !== undefined) {
          return new DatabaseError(
            'CONFLICT',
            `${JSON.stringify(column)} must reference an existing row of ${JSON.stringify(referenced)}`,
            error.code,
            {
              cause: error,
              details: { table: name, column, references: referenced, reason: 'reference' },
            },
          )
        }
      }
      return new DatabaseError(
        'CONFLICT',
        `rows of ${JSON.stringify(errorTable)} still reference this row of ${JSON.stringify(name)}`,
        error.code,
        {
          cause: error,
          details: { table: name, referenced_by: errorTable, reason: 'reference' },
        },
      )
    }
    case '23502': {
      const column = typeof error.column === 'string' ? error.column : undefined
      return new DatabaseError(
        'VALIDATION_FAILED',
        `${column ? JSON.stringify(column) : 'a column'} is required`,
        error.code,
        {
          cause: error,
          details: { table: name, ...(column ? { column } : {}), reason: 'required' },
        },
      )
    }
    default:
      return base
  }
}
