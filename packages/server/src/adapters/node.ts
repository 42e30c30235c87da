/**
 * Mounts the Basebox handler on Node's `http` server.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { responseText } from '../body.js'
import type { BaseboxHandler } from '../handler.js'

/**
 * Writes a response body as it comes (a streamed CSV export is never held whole in memory),
 * waiting for the socket to drain, and cancels the body when the client goes away.
 */
async function pipeBody(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader()
  let gone = false
  const onClose = () => {
    if (!res.writableFinished) {
      gone = true
      reader.cancel().catch(() => {})
    }
  }
  res.on('close', onClose)
  try {
    // A body of one chunk (every JSON answer) goes out in one write, with its Content-Length.
    const first = await reader.read()
    const second = first.done ? first : await reader.read()
    if (second.done) {
      res.off('close', onClose)
      res.end(first.done ? undefined : first.value)
      return
    }
    res.write(first.value)
    res.write(second.value)
    for (;;) {
      const { done, value } = await reader.read()
      if (done || gone) {
        break
      }
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          res.once('drain', resolve)
          res.once('close', resolve)
        })
      }
    }
  } catch (error) {
    // The body failed half-way: the status is sent, so the only honest signal left is to cut
    // the connection rather than end a truncated body as if it were whole.
    res.destroy(error instanceof Error ? error : new Error(String(error)))
    return
  } finally {
    res.off('close', onClose)
  }
  if (!gone) {
    res.end()
  }
}

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
        const text = responseText(response)
        if (text !== undefined) {
          res.end(text) // the handler's own JSON: no need to read it back through a stream
          return
        }
        if (response.body === null) {
          res.end()
          return
        }
        await pipeBody(response.body, res)
      })
      .catch((error: unknown) => {
        console.error(error)
        res.statusCode = 500
        res.end()
      })
  }
}
