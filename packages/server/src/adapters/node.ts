/**
 * Mounts the Basebox handler on Node's `http` server.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import type { BaseboxHandler } from '../handler.js'

/**
 * A Node `http` request listener over the handler: `http.createServer(toNodeListener(handler))`.
 * The request body streams into the handler (which stops reading past its size limit).
 */
export function toNodeListener(handler: BaseboxHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`
    const headers = new Headers()
    for (const [key, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) {
        value.forEach((v) => headers.append(key, v))
      } else if (value !== undefined) {
        headers.set(key, value)
      }
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
    const request = new Request(url, {
      method: req.method ?? 'GET',
      headers,
      ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
    } as RequestInit)
    handler(request, { ...(req.socket.remoteAddress ? { clientIP: req.socket.remoteAddress } : {}) })
      .then(async (response) => {
        res.statusCode = response.status
        response.headers.forEach((value, key) => res.setHeader(key, value))
        if (hasBody && !req.complete) {
          // The handler refused the body before reading it all (too large): the rest of it is
          // still on the wire, so this connection cannot carry another request.
          res.setHeader('connection', 'close')
        }
        if (response.body === null) {
          res.end()
          return
        }
        const body = Buffer.from(await response.arrayBuffer())
        res.end(body)
      })
      .catch((error: unknown) => {
        console.error(error)
        res.statusCode = 500
        res.end()
      })
  }
}
