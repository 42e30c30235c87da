/**
 * The stable error codes of Basebox. Callers branch on `code`, never on message text.
 * The server maps each code to one HTTP status. New codes are appended.
 *
 * The AI codes: `AI_NOT_CONFIGURED` (no model or API key is set up), `AI_QUOTA_EXCEEDED` (the
 * model provider's quota or rate limit), `AI_GENERATION_FAILED` (no valid answer after the
 * repairs and retries, or a failing model call; see `details.reason`).
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'INVALID_IDENTIFIER',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'UNSUPPORTED',
  'TIMEOUT',
  'LIMIT_EXCEEDED',
  'AI_GENERATION_FAILED',
  'UNAVAILABLE',
  'DATABASE_ERROR',
  'INTERNAL',
  'AI_NOT_CONFIGURED',
  'AI_QUOTA_EXCEEDED',
] as const

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number]

/** Options of a {@link BaseboxError}. */
export interface BaseboxErrorOptions {
  /** The underlying error, kept for logs. Never sent over the wire. */
  cause?: unknown
  /** Structured, JSON-serialisable facts about the error (the column, the row, the issues). */
  details?: Record<string, unknown>
}

/**
 * The one error type of Basebox: every failure the engine, auth, the server or the client
 * reports is a `BaseboxError` with a stable {@link ErrorCode}.
 *
 * ### Examples
 *
 * ```ts
 * try {
 *   await db.createTable(definition)
 * } catch (error) {
 *   if (isBaseboxError(error) && error.code === 'CONFLICT') {
 *     // the table already exists
 *   }
 * }
 * ```
 */
export class BaseboxError extends Error {
  /** The stable code; see {@link ERROR_CODES}. */
  readonly code: ErrorCode
  /** Structured facts about the failure; safe to show to the caller. */
  readonly details: Record<string, unknown> | undefined

  constructor(code: ErrorCode, message: string, options: BaseboxErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'BaseboxError'
    this.code = code
    this.details = options.details
  }

  /** The JSON body shape used on the wire: `{ code, message, details }`. */
  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

/** One problem found while validating input, with the JSON path to the offending value. */
export interface ValidationIssue {
  /** Where the problem is, e.g. `['columns', 2, 'type']`. */
  path: (string | number)[]
  /** What is wrong, in one sentence. */
  message: string
}

/** A {@link BaseboxError} that lists every validation problem with its JSON path. */
export class ValidationError extends BaseboxError {
  /** Every problem found; never empty. */
  readonly issues: ValidationIssue[]

  constructor(
    message: string,
    issues: ValidationIssue[],
    options: BaseboxErrorOptions & { code?: 'VALIDATION_FAILED' | 'INVALID_IDENTIFIER' } = {},
  ) {
    super(options.code ?? 'VALIDATION_FAILED', message, {
      cause: options.cause,
      details: { ...options.details, issues },
    })
    this.name = 'ValidationError'
    this.issues = issues
  }
}

/** A {@link BaseboxError} raised by the database itself, carrying its SQLSTATE. */
export class DatabaseError extends BaseboxError {
  /** The five-character SQLSTATE reported by Postgres, e.g. `'23505'`. */
  readonly sqlState: string | undefined

  constructor(
    code: ErrorCode,
    message: string,
    sqlState: string | undefined,
    options: BaseboxErrorOptions = {},
  ) {
    super(code, message, options)
    this.name = 'DatabaseError'
    this.sqlState = sqlState
  }
}

/** Whether `value` is a {@link BaseboxError} (also across copies of this package). */
export function isBaseboxError(value: unknown): value is BaseboxError {
  return (
    value instanceof BaseboxError ||
    (value instanceof Error &&
      typeof (value as { code?: unknown }).code === 'string' &&
      (ERROR_CODES as readonly string[]).includes((value as unknown as { code: string }).code) &&
      (value.name === 'BaseboxError' ||
        value.name === 'ValidationError' ||
        value.name === 'DatabaseError'))
  )
}

/**
 * Anything thrown, as a {@link BaseboxError}: a `BaseboxError` as it is; anything else (a bug, a
 * driver failure) becomes `INTERNAL` "Internal error", with the original as `cause` and never in
 * the message (it may hold internals). The one mapping of unknown errors: the server, the local
 * client and the engine all use it.
 */
export function toBaseboxError(error: unknown): BaseboxError {
  return isBaseboxError(error)
    ? error
    : new BaseboxError('INTERNAL', 'Internal error', { cause: error })
}

/** Whether `value` is one of the {@link ERROR_CODES}. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
}
