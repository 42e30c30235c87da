import { BaseboxError, toBaseboxError, type ErrorCode } from '@basebox/client'
import { toResponse, type TextAnswer } from './body.js'
import { toPostgrestError } from './postgrest/errors.js'

/** The one map from error code to HTTP status. A new code without a status fails type-check. */
export const STATUS_BY_CODE = {
  VALIDATION_FAILED: 400,
  INVALID_IDENTIFIER: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNSUPPORTED: 422,
  // Not 408: a browser resends a request answered 408 on a reused connection, so a runaway
  // statement would run twice (and a write could commit on the second run).
  TIMEOUT: 504,
  LIMIT_EXCEEDED: 429,
  AI_GENERATION_FAILED: 502,
  UNAVAILABLE: 503,
  DATABASE_ERROR: 500,
  INTERNAL: 500,
  AI_NOT_CONFIGURED: 503,
  AI_QUOTA_EXCEEDED: 429,
} as const satisfies Record<ErrorCode, number>

/** Turns anything thrown into a `BaseboxError` (unknown errors become `INTERNAL`); from `@basebox/client`. */
export { toBaseboxError }

function headersFor(error: BaseboxError, status: number): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }
  if (status === 401) {
    headers['www-authenticate'] = 'Bearer realm="basebox"'
  }
  Object.assign(headers, retryAfterHeader(error, status))
  return headers
}

/**
 * The `Retry-After` header (whole seconds, at least 1) of a 429 whose error says how long to
 * wait (`details.retry_after_ms`); none otherwise. Shared by every route family.
 */
export function retryAfterHeader(error: BaseboxError, status: number): Record<string, string> {
  const retry = Number(error.details?.retry_after_ms)
  return status === 429 && Number.isFinite(retry)
    ? { 'retry-after': String(Math.max(1, Math.ceil(retry / 1000))) }
    : {}
}

/**
 * Whether a 5xx error's message and details are Basebox's own words, safe to send: a statement
 * stopped at its time limit (504: it says which limit), and the AI codes (not configured, no
 * valid answer), except a failed model call, whose message is the provider's.
 */
function exposed(error: BaseboxError): boolean {
  return (
    error.code === 'TIMEOUT' ||
    error.code === 'AI_NOT_CONFIGURED' ||
    (error.code === 'AI_GENERATION_FAILED' && error.details?.reason !== 'model_call_failed')
  )
}

/** The status of an error: its code's, except a body over the size limit, which is 413. */
export function statusOf(error: BaseboxError): number {
  return error.code === 'LIMIT_EXCEEDED' && error.details?.status === 413
    ? 413
    : STATUS_BY_CODE[error.code]
}

/** Which API an error answers for: the management API's shape, or the data API's (PostgREST's). @internal */
export type ErrorShape = { api: 'management' } | { api: 'data'; anonymous: boolean }

/**
 * The one map from anything thrown to an HTTP answer, for both APIs. The management API's body
 * is `{ error: { code, message, details } }`, and 5xx bodies say `Internal error` only. The
 * data API's is PostgREST's `{ code, message, details, hint }` with the SQLSTATE or `PGRSTxxx`
 * code and PostgREST's status (mapped once, in `postgrest/errors.ts`); `anonymous` is whether
 * the request had no signed-in user (PostgREST answers a refused privilege with 401 then, 403
 * otherwise). Causes of 5xx answers go to `log`. @internal
 */
export function errorAnswer(
  thrown: unknown,
  log: (error: unknown) => void = console.error,
  shape: ErrorShape = { api: 'management' },
): TextAnswer {
  const error = toBaseboxError(thrown)
  if (shape.api === 'data') {
    const { status, body } = toPostgrestError(thrown, shape.anonymous)
    if (status >= 500) {
      log(thrown)
    }
    return { status, headers: headersFor(error, status), text: JSON.stringify(body) }
  }
  const status = statusOf(error)
  if (status >= 500 && !exposed(error)) {
    log(thrown)
    return {
      status,
      headers: headersFor(error, status),
      text: JSON.stringify({ error: { code: error.code, message: 'Internal error' } }),
    }
  }
  const { status: _status, ...details } = error.details ?? {}
  const body = {
    code: error.code,
    message: error.message,
    ...(Object.keys(details).length > 0 ? { details } : {}),
  }
  return { status, headers: headersFor(error, status), text: JSON.stringify({ error: body }) }
}

/**
 * The management API's error response. The body: `{ error: { code, message, details } }`. 5xx bodies say
 * `Internal error` only; the cause goes to `log`.
 */
export function errorResponse(
  thrown: unknown,
  log: (error: unknown) => void = console.error,
): Response {
  return toResponse(errorAnswer(thrown, log))
}

/**
 * The data API's error response, shaped like PostgREST's: `{ code, message, details, hint }` with
 * the SQLSTATE or `PGRSTxxx` code and PostgREST's status (mapped once, in
 * `postgrest/errors.ts`). `anonymous` is whether the request had no signed-in user (PostgREST
 * answers a refused privilege with 401 then, 403 otherwise).
 */
export function postgrestErrorResponse(
  thrown: unknown,
  log: (error: unknown) => void = console.error,
  anonymous = true,
): Response {
  return toResponse(errorAnswer(thrown, log, { api: 'data', anonymous }))
}
