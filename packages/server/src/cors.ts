import type { Answer, TextAnswer } from './body.js'

/**
 * Cross-origin access for browsers (CORS), an option of `createHandler`. Without it the handler
 * sends no CORS headers at all, and browsers refuse cross-origin calls.
 */
export interface CorsOptions {
  /**
   * The origins (`https://app.example.com`, scheme and host and port, as browsers send them in
   * `Origin`) allowed to call the handler from a browser: a list, `'*'` for any origin, or a
   * function that decides. The allowed origin is always echoed (never `*`), with `Vary: Origin`.
   */
  origins: readonly string[] | '*' | ((origin: string) => boolean)
  /** Whether browsers may send cookies and HTTP auth (`Access-Control-Allow-Credentials`). Default is `false`. */
  credentials?: boolean
  /** How long browsers may cache a preflight answer, in seconds. Default is `600`. */
  maxAgeSeconds?: number
}

/** The methods a preflight allows: every method the handler serves. */
const ALLOW_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'

/** The request headers a preflight allows: what supabase-js and the Basebox client send. */
const ALLOW_HEADERS = [
  'accept',
  'accept-profile',
  'apikey',
  'authorization',
  'content-profile',
  'content-type',
  'prefer',
  'range',
  'x-client-info',
  'x-supabase-api-version',
].join(', ')

/** The response headers a page may read: what the data API, the auth API and the limiter set. */
const EXPOSE_HEADERS = [
  'content-location',
  'content-range',
  'location',
  'preference-applied',
  'range-unit',
  'retry-after',
  'x-total-count',
].join(', ')

/** CORS over an answer of the handler's core. @internal */
export interface Cors {
  /** The 204 (allowed origin) or 403 (any other) answer of a preflight request; `undefined` when the request is not one. */
  preflight(method: string, header: (name: string) => string | null): Answer | undefined
  /** The answer with the CORS headers for its request's `Origin`, when that origin is allowed. */
  apply(answer: Answer, header: (name: string) => string | null): Answer
}

/** Makes the handler's CORS from its options. @internal */
export function createCors(options: CorsOptions): Cors {
  const { origins } = options
  const allowed: (origin: string) => boolean =
    origins === '*'
      ? () => true
      : typeof origins === 'function'
        ? origins
        : (origin) => origins.includes(origin)
  const isAllowed = (origin: string | null): origin is string => {
    if (origin === null || origin === '') {
      return false
    }
    try {
      return allowed(origin)
    } catch {
      return false
    }
  }
  const credentials: Record<string, string> = options.credentials
    ? { 'access-control-allow-credentials': 'true' }
    : {}
  const maxAge = String(Math.max(0, Math.floor(options.maxAgeSeconds ?? 600)))
  return {
    preflight(method, header): TextAnswer | undefined {
      if (method !== 'OPTIONS' || header('access-control-request-method') === null) {
        return undefined
      }
      const origin = header('origin')
      if (!isAllowed(origin)) {
        // A preflight from an origin that is not allowed: refused, and without any CORS header
        // the browser does not send the request itself.
        return {
          status: 403,
          headers: { 'content-type': 'application/json; charset=utf-8', vary: 'Origin' },
          text: JSON.stringify({
            error: { code: 'FORBIDDEN', message: 'this origin may not call this server' },
          }),
        }
      }
      return {
        status: 204,
        headers: {
          'access-control-allow-origin': origin,
          ...credentials,
          'access-control-allow-methods': ALLOW_METHODS,
          'access-control-allow-headers': ALLOW_HEADERS,
          'access-control-max-age': maxAge,
          vary: 'Origin',
        },
        text: null,
      }
    },
    apply(answer, header) {
      const origin = header('origin')
      const cors: Record<string, string> = isAllowed(origin)
        ? {
            'access-control-allow-origin': origin,
            ...credentials,
            'access-control-expose-headers': EXPOSE_HEADERS,
            vary: 'Origin',
          }
        : { vary: 'Origin' }
      if (answer instanceof Response) {
        let response = answer
        try {
          set(response.headers, cors)
        } catch {
          // Immutable headers (a fetched or redirect Response): copy it.
          response = new Response(answer.body, answer)
          set(response.headers, cors)
        }
        return response
      }
      const vary = answer.headers.vary
      return {
        status: answer.status,
        headers: { ...answer.headers, ...cors, vary: withOrigin(vary) },
        text: answer.text,
      }
    },
  }
}

/** A `Vary` value that names `Origin`, keeping what it named already. */
function withOrigin(vary: string | null | undefined): string {
  if (vary === null || vary === undefined || vary === '') {
    return 'Origin'
  }
  return /(?:^|,)\s*(?:origin|\*)\s*(?:,|$)/i.test(vary) ? vary : `${vary}, Origin`
}

function set(headers: Headers, cors: Record<string, string>): void {
  for (const [name, value] of Object.entries(cors)) {
    headers.set(name, name === 'vary' ? withOrigin(headers.get('vary')) : value)
  }
}
