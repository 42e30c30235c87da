import { BaseboxError, DatabaseError, isBaseboxError } from '@basebox/client'

/**
 * An error as PostgREST reports it: `code` (a SQLSTATE or `PGRSTxxx`), `message`, `details`,
 * `hint`, and the HTTP status PostgREST answers it with. The data API's own refusals are thrown
 * as this; everything else is mapped once by {@link toPostgrestError}.
 */
export class PostgrestError extends BaseboxError {
  readonly status: number
  readonly postgrestCode: string
  readonly hint: string | null
  /** PostgREST's `details`: text, or (for `PGRST201`) the list of candidate relationships. */
  readonly detailText: unknown

  constructor(
    status: number,
    postgrestCode: string,
    message: string,
    options: { details?: unknown; hint?: string | null; cause?: unknown } = {},
  ) {
    super(
      status >= 500
        ? 'INTERNAL'
        : status === 404
          ? 'NOT_FOUND'
          : status === 401
            ? 'UNAUTHENTICATED'
            : status === 403
              ? 'FORBIDDEN'
              : status === 409
                ? 'CONFLICT'
                : 'VALIDATION_FAILED',
      message,
      options.cause === undefined ? {} : { cause: options.cause },
    )
    this.name = 'PostgrestError'
    this.status = status
    this.postgrestCode = postgrestCode
    this.hint = options.hint ?? null
    this.detailText = options.details ?? null
  }
}

/** A request PostgREST could not parse (`PGRST100`, 400). */
export function parseError(message: string, details?: string): PostgrestError {
  return new PostgrestError(400, 'PGRST100', message, { details: details ?? null })
}

/** The HTTP status PostgREST gives a SQLSTATE (its documented table), for a role `anon` or not. */
export function statusOfSQLState(state: string, anonymous: boolean): number {
  switch (state) {
    case '23505':
    case '23503':
    case '23P01':
      return 409
    case '42501':
      return anonymous ? 401 : 403
    case '42P01':
    case '42883':
      return 404
    case '25006':
      return 405
    case '53400':
    case '54000':
    case '54001':
      return 500
    case '57014':
      // PostgREST answers 500; 504 says what happened, and unlike 408 no browser resends it.
      return 504
    case 'P0001':
      return 400
    case '53300':
    case '57P01':
    case '57P02':
    case '57P03':
      return 503
    default:
      if (/^(08)/.test(state)) {
        return 503
      }
      if (/^(22|23|42|2F|P0|XX)/.test(state)) {
        return state.startsWith('XX') ? 500 : 400
      }
      return 500
  }
}

// Basebox's typed codes, as the PostgREST code and status a Supabase client expects.
const BY_BASEBOX_CODE: Record<string, [number, string]> = {
  VALIDATION_FAILED: [400, 'PGRST100'],
  INVALID_IDENTIFIER: [400, 'PGRST100'],
  UNAUTHENTICATED: [401, 'PGRST301'],
  FORBIDDEN: [403, '42501'],
  NOT_FOUND: [404, 'PGRST205'],
  CONFLICT: [409, '23505'],
  UNSUPPORTED: [400, 'PGRST100'],
  TIMEOUT: [504, '57014'],
  LIMIT_EXCEEDED: [429, 'PGRST429'],
  UNAVAILABLE: [503, 'PGRST001'],
}

interface PgFields {
  message?: unknown
  detail?: unknown
  hint?: unknown
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null
}

/**
 * Maps anything the data API threw to PostgREST's error: the SQLSTATE and Postgres' own message,
 * detail and hint for a database error, `PGRST*` for refusals before SQL, and PostgREST's status
 * for each. 5xx answers say "Internal error" only.
 */
export function toPostgrestError(
  thrown: unknown,
  anonymous: boolean,
): {
  status: number
  body: { code: string; message: string; details: unknown; hint: string | null }
} {
  if (thrown instanceof PostgrestError) {
    return {
      status: thrown.status,
      body: {
        code: thrown.postgrestCode,
        message: thrown.message,
        details: thrown.detailText,
        hint: thrown.hint,
      },
    }
  }
  const error = isBaseboxError(thrown) ? thrown : undefined
  const sqlState = error instanceof DatabaseError ? error.sqlState : undefined
  if (error !== undefined && sqlState !== undefined) {
    const status = statusOfSQLState(sqlState, anonymous)
    const cause = (error.cause ?? {}) as PgFields
    if (status >= 500) {
      return {
        status,
        body: { code: sqlState, message: 'Internal error', details: null, hint: null },
      }
    }
    return {
      status,
      body: {
        code: sqlState,
        message: text(cause.message) ?? error.message,
        details: text(cause.detail),
        hint: text(cause.hint),
      },
    }
  }
  if (error !== undefined && BY_BASEBOX_CODE[error.code] !== undefined) {
    let [status, code] = BY_BASEBOX_CODE[error.code]!
    const details = error.details
    if (error.code === 'LIMIT_EXCEEDED' && details?.status === 413) {
      status = 413
      code = 'PGRST413'
    }
    if (error.code === 'FORBIDDEN' && anonymous) {
      status = 401
    }
    const { status: _status, ...rest } = details ?? {}
    return {
      status,
      body: {
        code,
        message: error.message,
        details: Object.keys(rest).length > 0 ? JSON.stringify(rest) : null,
        hint: null,
      },
    }
  }
  return {
    status: 500,
    body: { code: 'PGRST000', message: 'Internal error', details: null, hint: null },
  }
}

/**
 * The answer to `supabase.rpc()`: Basebox does not call database functions through the data
 * API yet (`PGRST202`, 404, as PostgREST answers a function it does not know). Functions are
 * tenant code and may only run with the database's own role as session user, which the data
 * API's connections are not; see the server README.
 */
export function rpcNotSupported(name: string): PostgrestError {
  return new PostgrestError(
    404,
    'PGRST202',
    `Could not find the function public.${name.slice(0, 63)} in the schema cache`,
    {
      details:
        "Basebox does not run database functions through the data API (rpc): functions are tenant code and only run in the SQL runner, with the database's own role as session user",
      hint: 'Read or write the tables with from(); run functions with the SQL runner (db.sql) from your server',
    },
  )
}
