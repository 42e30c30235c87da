import type { Answer } from './body.js'
import type { RequestInfo } from './handler.js'
import type { IncomingRequest } from './incoming-request.js'

/**
 * The handler under its Web-standard face: an {@link IncomingRequest} in, an {@link Answer} out.
 * A handler made by `createHandler` carries it as `BaseboxHandler.core`; the Node mount
 * calls it directly, so that a data API request needs no Web `Request`, `Headers` or
 * `Response`. @internal
 */
export type HandlerCore = ((request: IncomingRequest, info: RequestInfo) => Promise<Answer>) & {
  /** The answer to a request that could not even be read (a request target that is not a URL), with the handler's CORS headers and log. */
  refuse?: (error: unknown, header: (name: string) => string | null) => Answer
}
