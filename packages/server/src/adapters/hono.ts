/**
 * Mounts the Basebox handler in a Hono app.
 *
 * @module
 */
import type { Context } from 'hono'
import type { BaseboxHandler } from '../handler.js'

/** A Hono handler over Basebox: `app.all('*', toHonoHandler(handler))`. */
export function toHonoHandler(handler: BaseboxHandler): (c: Context) => Promise<Response> {
  return (c) => handler(c.req.raw)
}
