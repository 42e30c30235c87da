import { BaseboxError } from '@basebox/client'

/**
 * The `NOT_FOUND` of a database that does not exist, is not the caller's, or was dropped while
 * in use. Every such error is one of these, so callers tell it apart by `instanceof` (or
 * {@link isDatabaseNotFound}), never by its message. On the wire it is a plain `NOT_FOUND`.
 */
export class DatabaseNotFoundError extends BaseboxError {
  constructor(databaseId?: string) {
    super(
      'NOT_FOUND',
      'database not found',
      databaseId === undefined ? {} : { details: { database_id: databaseId } },
    )
  }
}

/** Whether `error` says the database is not there ({@link DatabaseNotFoundError}). */
export function isDatabaseNotFound(error: unknown): error is DatabaseNotFoundError {
  return error instanceof DatabaseNotFoundError
}
