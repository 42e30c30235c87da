import type { Answer } from './body.js'
import type { BaseboxHandler, RequestInfo } from './handler.js'
import type { IncomingRequest } from './incoming-request.js'

/**
 * The handler under its Web-standard face: an {@link IncomingRequest} in, an {@link Answer} out.
 * The Node mount calls it directly, so that a data API request needs no Web `Request`,
 * `Headers` or `Response`. @internal
 */
export type HandlerCore = ((request: IncomingRequest, info: RequestInfo) => Promise<Answer>) & {
  /** The answer to a request that could not even be read (a request target that is not a URL), with the handler's CORS headers and log. */
  refuse?: (error: unknown, header: (name: string) => string | null) => Answer
}

const cores = new WeakMap<BaseboxHandler, HandlerCore>()

/** Records the core of a handler made by `createHandler`. @internal */
export function setHandlerCore(handler: BaseboxHandler, core: HandlerCore): void {
  cores.set(handler, core)
}

/** The core of a handler made by `createHandler`; `undefined` for any other function. @internal */
export function handlerCore(handler: BaseboxHandler): HandlerCore | undefined {
  return cores.get(handler)
}
