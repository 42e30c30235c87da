import { BaseboxError, DatabaseError, toBaseboxError, type ErrorCode } from '@basebox/client'

/** The one SQLSTATE -> {@link ErrorCode} map, shared by both drivers. */
export const ERROR_CODE_BY_SQLSTATE: Readonly<Record<string, ErrorCode>> = {
  '23505': 'CONFLICT', // unique_violation
  '23503': 'CONFLICT', // foreign_key_violation
  '23P01': 'CONFLICT', // exclusion_violation
  '23502': 'VALIDATION_FAILED', // not_null_violation
  '23514': 'VALIDATION_FAILED', // check_violation
  '22P02': 'VALIDATION_FAILED', // invalid_text_representation
  '22003': 'VALIDATION_FAILED', // numeric_value_out_of_range
  '22007': 'VALIDATION_FAILED', // invalid_datetime_format
  '22008': 'VALIDATION_FAILED', // datetime_field_overflow
  '22001': 'VALIDATION_FAILED', // string_data_right_truncation
  '22021': 'VALIDATION_FAILED', // character_not_in_repertoire
  '22023': 'VALIDATION_FAILED', // invalid_parameter_value
  '22P05': 'VALIDATION_FAILED', // untranslatable_character
  '42804': 'VALIDATION_FAILED', // datatype_mismatch
  '42846': 'VALIDATION_FAILED', // cannot_coerce
  '2BP01': 'CONFLICT', // dependent_objects_still_exist
  '42P07': 'CONFLICT', // duplicate_table
  '42701': 'CONFLICT', // duplicate_column
  '42710': 'CONFLICT', // duplicate_object
  '42P06': 'CONFLICT', // duplicate_schema
  '42P01': 'NOT_FOUND', // undefined_table
  '42703': 'NOT_FOUND', // undefined_column
  '42883': 'NOT_FOUND', // undefined_function
  '3F000': 'NOT_FOUND', // invalid_schema_name
  '42501': 'FORBIDDEN', // insufficient_privilege
  '25006': 'FORBIDDEN', // read_only_sql_transaction
  '25001': 'VALIDATION_FAILED', // active_sql_transaction (e.g. SET TRANSACTION too late)
  '0LP01': 'FORBIDDEN', // invalid_grant_operation
  '28000': 'FORBIDDEN', // invalid_authorization_specification
  '57014': 'TIMEOUT', // query_canceled
  '55P03': 'TIMEOUT', // lock_not_available
  '53300': 'LIMIT_EXCEEDED', // too_many_connections
  '54000': 'LIMIT_EXCEEDED', // program_limit_exceeded
  '54001': 'LIMIT_EXCEEDED', // statement_too_complex
  '42601': 'VALIDATION_FAILED', // syntax_error
  '57P01': 'UNAVAILABLE', // admin_shutdown (pg_terminate_backend, a restart)
  '57P02': 'UNAVAILABLE', // crash_shutdown
  '57P03': 'UNAVAILABLE', // cannot_connect_now (starting up, shutting down)
  '57P05': 'UNAVAILABLE', // idle_session_timeout
}

interface PostgresErrorFields {
  code?: unknown
  message?: unknown
  detail?: unknown
  column?: unknown
  table?: unknown
  constraint?: unknown
  schema?: unknown
}

/** Whether `error` looks like an error reported by Postgres (pg or PGlite): it has a SQLSTATE. */
export function isPostgresError(
  error: unknown,
): error is Error & PostgresErrorFields & { code: string } {
  return (
    error instanceof Error &&
    typeof (error as PostgresErrorFields).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((error as unknown as { code: string }).code)
  )
}

/**
 * Turns whatever a query threw into a {@link BaseboxError}: Postgres errors become a
 * {@link DatabaseError} with the SQLSTATE, the table, column and constraint Postgres names;
 * a `BaseboxError` passes through unchanged.
 */
export function fromDatabaseError(error: unknown): BaseboxError {
  if (error instanceof BaseboxError) {
    return error
  }
  if (isPostgresError(error)) {
    // Class 22 is "data exception": the input, not the server, is at fault.
    const code =
      ERROR_CODE_BY_SQLSTATE[error.code] ??
      (error.code.startsWith('22')
        ? 'VALIDATION_FAILED'
        : error.code.startsWith('08')
          ? 'UNAVAILABLE'
          : 'DATABASE_ERROR')
    const details: Record<string, unknown> = { sql_state: error.code }
    for (const key of ['table', 'column', 'constraint', 'detail'] as const) {
      const value = error[key]
      if (typeof value === 'string' && value.length > 0) {
        details[key] = value
      }
    }
    const wrapped = new DatabaseError(code, String(error.message), error.code, {
      cause: error,
      details,
    })
    // Show the caller's frame as well as the driver's, as kysely's extendStackTrace does.
    wrapped.stack = `${wrapped.stack ?? ''}\n--- cause ---\n${error.stack ?? ''}`
    return wrapped
  }
  if (isConnectionLoss(error)) {
    return new BaseboxError('UNAVAILABLE', 'the connection to the database was lost; try again', {
      cause: error,
    })
  }
  return toBaseboxError(error)
}

// What node-postgres and Node's sockets report when a connection ends under a query.
const CONNECTION_ERRORS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTCONN',
  'ECONNABORTED',
])
const CONNECTION_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|connection is closed|Connection closed)/

/**
 * Whether `error` says the connection to Postgres is gone (not that a statement failed): the
 * socket's code, or the few fixed messages node-postgres throws without one, or SQLSTATE class 08.
 */
export function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false
  }
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (CONNECTION_ERRORS.has(code) || /^08[0-9A-Z]{3}$/.test(code))) {
    return true
  }
  return code === undefined && CONNECTION_MESSAGES.test(error.message)
}
