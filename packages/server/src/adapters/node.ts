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
 * The request headers of a Node request, read-only, as `Headers` reads them (names are
 * case-insensitive; repeated headers joined with ", ").
 */
class NodeRequestHeaders implements Iterable<[string, string]> {
  readonly #headers: IncomingMessage['headers']

  constructor(headers: IncomingMessage['headers']) {
    this.#headers = headers
  }

  get(name: string): string | null {
    const value = this.#headers[name.toLowerCase()]
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
  }

  has(name: string): boolean {
    return this.#headers[name.toLowerCase()] !== undefined
  }

  getSetCookie(): string[] {
    const value = this.#headers['set-cookie']
    return value === undefined ? [] : Array.isArray(value) ? value : [value]
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.#headers).sort()) {
      const value = this.get(name)
      if (value !== null) {
        yield [name, value]
      }
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) {
      yield name
    }
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) {
      yield value
    }
  }

  forEach(callback: (value: string, name: string, headers: NodeRequestHeaders) => void): void {
    for (const [name, value] of this.entries()) {
      callback(value, name, this)
    }
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries()
  }

  append(): never {
    throw new TypeError('request headers are immutable')
  }

  set(): never {
    throw new TypeError('request headers are immutable')
  }

  delete(): never {
    throw new TypeError('request headers are immutable')
  }
}

/**
 * A `Request` for the handler without building one: `method`, `url`, `headers` and `body` come
 * straight from Node's request (building a Web `Request` and its `Headers` costs more CPU than
 * Node's whole HTTP handling of a request). Anything else a host's `getOwner` may use
 * (`clone()`, `signal`, `json()`, `instanceof Request`...) is answered by a real `Request`,
 * built on first use over the same body stream.
 */
function nodeRequest(req: IncomingMessage, url: string, hasBody: boolean): Request {
  const method = req.method ?? 'GET'
  let real: Request | undefined
  let body: ReadableStream<Uint8Array> | null | undefined
  const bodyStream = () => (body ??= hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null)
  const materialize = (): Request => {
    if (real === undefined) {
      const headers = new Headers()
      for (const [key, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) {
          value.forEach((v) => headers.append(key, v))
        } else if (value !== undefined) {
          headers.set(key, value)
        }
      }
      const stream = bodyStream()
      real = new Request(url, { method, headers, ...(stream === null ? {} : { body: stream, duplex: 'half' }) } as RequestInit)
    }
    return real
  }
  const fast = {
    method,
    url,
    headers: new NodeRequestHeaders(req.headers),
    get body() {
      return real === undefined ? bodyStream() : real.body
    },
  }
  return new Proxy(fast, {
    get(target, property) {
      if (property in target) {
        return Reflect.get(target, property)
      }
      const request = materialize()
      const value = Reflect.get(request, property, request) as unknown
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(request) : value
    },
    has(target, property) {
      return property in target || property in materialize()
    },
    getPrototypeOf() {
      return Request.prototype
    },
  }) as unknown as Request
}

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
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
    const request = nodeRequest(req, url, hasBody)
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
