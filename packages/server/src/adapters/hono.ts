/**
 * Mounts the Basebox handler in a Hono app.
 *
 * @module
 */
import type { Context } from 'hono'
import type { BaseboxHandler } from '../handler.js'

/** Options of {@link toHonoHandler}. */
export interface HonoMountOptions {
  /**
   * The address of the connection's peer, as the runtime gives it: e.g.
   * `(c) => getConnInfo(c).remote.address` with `getConnInfo` from `@hono/node-server/conninfo`
   * (or `hono/bun`, `hono/deno`, `hono/cloudflare-workers`). Without it nothing is limited per
   * address. `X-Forwarded-For` counts only when it is one of the handler's `trustedProxies`.
   */
  getClientAddress?: (c: Context) => string | null | undefined
}

/** A Hono handler over Basebox: `app.all('*', toHonoHandler(handler))`. */
export function toHonoHandler(
  handler: BaseboxHandler,
  options: HonoMountOptions = {},
): (c: Context) => Promise<Response> {
  return (c) => {
    const address = options.getClientAddress?.(c)
    return handler(c.req.raw, address ? { clientIP: address } : {})
  }
}
