import { databaseProblems, USERS_TABLE } from '@basebox/core'
import {
  BaseboxError,
  parseTableDefinition,
  ValidationError,
  type TableDefinition,
  type TableDefinitionInput,
} from '@basebox/client'

/**
 * Checks the caller's current tables (they must be a valid database, as the engine keeps them)
 * and returns them parsed; without any, the tables of a new Basebox database: `users`.
 * @internal
 */
export function currentTables(
  existing: readonly TableDefinitionInput[] | undefined,
  what = 'existing',
): TableDefinition[] {
  if (existing === undefined) {
    return [structuredClone(USERS_TABLE)]
  }
  if (!Array.isArray(existing)) {
    throw new BaseboxError('VALIDATION_FAILED', `${what} must be an array of table definitions`)
  }
  const tables = existing.map((table, i) => {
    try {
      return parseTableDefinition(table)
    } catch (error) {
      if (error instanceof ValidationError) {
        throw new ValidationError(
          `invalid ${what} table: ${error.message}`,
          error.issues.map((issue) => ({ ...issue, path: [i, ...issue.path] })),
          {
            code: error.code === 'INVALID_IDENTIFIER' ? 'INVALID_IDENTIFIER' : 'VALIDATION_FAILED',
          },
        )
      }
      throw error
    }
  })
  const issues = databaseProblems(tables)
  if (issues.length > 0) {
    throw new ValidationError(`invalid ${what} tables: ${issues[0]!.message}`, issues)
  }
  return tables
}
