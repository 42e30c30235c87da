/**
 * Mounts the Basebox handler as Next.js App Router route handlers.
 *
 * @module
 */
import type { BaseboxHandler } from '../handler.js'

/**
 * The route handlers of a catch-all Next.js route (`app/[...basebox]/route.ts`):
 * `export const { GET, POST, PUT, PATCH, DELETE, HEAD } = toNextRouteHandlers(handler)`.
 */
export function toNextRouteHandlers(handler: BaseboxHandler): Record<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD', (request: Request) => Promise<Response>> {
  const route = (request: Request) => handler(request, { ...(request.headers.get('x-forwarded-for') ? { clientIP: request.headers.get('x-forwarded-for')!.split(',')[0]!.trim() } : {}) })
  return { GET: route, POST: route, PUT: route, PATCH: route, DELETE: route, HEAD: route }
}
