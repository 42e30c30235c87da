import { BaseboxError } from '@basebox/client'

/**
 * A request as the handler's core reads it: what the data API needs, without a Web `Request`.
 * The public handler makes one over a `Request` ({@link incomingFromRequest}); the Node mount
 * makes one over Node's own request, and builds a `Request` only when {@link request} is called
 * (the management API's `getOwner`, `/auth/v1`). @internal
 */
export interface IncomingRequest {
  /** The method, as sent (`GET`). */
  readonly method: string
  /** The path as in the URL, percent-encoded: `/db/abc/rest/v1/items`. */
  readonly path: string
  /** The query string without its `?`, or `''`. */
  readonly query: string
  /** A header's value, `null` when absent; `name` is lower-case. As `Headers.get` answers. */
  header(name: string): string | null
  /** The body as a stream, `null` without one. Read it at most once. */
  body(): ReadableStream<Uint8Array> | null
  /** The request as a Web `Request`, with the same method, URL, headers and body. */
  request(): Request
}

/** The path and query string of an absolute URL. Throws `VALIDATION_FAILED` when it is not one. @internal */
export function splitURL(url: string): { path: string; query: string } {
  // A Request's URL is already serialized (`http://host/path?query#fragment`): http(s) URLs
  // are cut by hand; anything else goes through the URL parser.
  if (url.startsWith('http://') || url.startsWith('https://')) {
    const hash = url.indexOf('#')
    const end = hash === -1 ? url.length : hash
    const start = url.indexOf('/', url.indexOf('//') + 2)
    if (start === -1 || start > end) {
      return { path: '/', query: '' }
    }
    const q = url.indexOf('?', start)
    return q === -1 || q > end
      ? { path: url.slice(start, end), query: '' }
      : { path: url.slice(start, q), query: url.slice(q + 1, end) }
  }
  return parseURL(url)
}

/** The path and query string of a URL as the URL parser reads it (dot segments resolved, characters escaped). Throws `VALIDATION_FAILED` when it is not one. @internal */
export function parseURL(url: string): { path: string; query: string } {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new BaseboxError('VALIDATION_FAILED', 'malformed URL')
  }
  return { path: parsed.pathname, query: parsed.search.slice(1) }
}

/** The handler's view of a Web `Request`. @internal */
export function incomingFromRequest(request: Request): IncomingRequest {
  const { path, query } = splitURL(request.url)
  return {
    method: request.method,
    path,
    query,
    header: (name) => request.headers.get(name),
    body: () => request.body,
    request: () => request,
  }
}
