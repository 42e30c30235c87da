/**
 * Mounts the Basebox handler as Next.js App Router route handlers.
 *
 * @module
 */
import type { BaseboxHandler } from '../handler.js'

/** Options of {@link toNextRouteHandlers}. */
export interface NextMountOptions {
  /**
   * The address of the connection's peer, as the platform gives it (e.g. on Vercel, the
   * `x-real-ip` header its edge sets). Without it nothing is limited per address. It is then
   * read like Node's socket address: `X-Forwarded-For` counts only when it is one of the
   * handler's `trustedProxies`.
   */
  getClientAddress?: (request: Request) => string | null | undefined
}

/**
 * The route handlers of a catch-all Next.js route (`app/[...basebox]/route.ts`):
 * `export const { GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS } = toNextRouteHandlers(handler)`.
 */
export function toNextRouteHandlers(
  handler: BaseboxHandler,
  options: NextMountOptions = {},
): Record<
  'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS',
  (request: Request) => Promise<Response>
> {
  const route = (request: Request) => {
    const address = options.getClientAddress?.(request)
    return handler(request, address ? { clientIP: address } : {})
  }
  return {
    GET: route,
    POST: route,
    PUT: route,
    PATCH: route,
    DELETE: route,
    HEAD: route,
    OPTIONS: route,
  }
}
