/**
 * Mounts the Basebox handler on Node's `http` server.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { BaseboxError } from '@basebox/client'
import type { Answer } from '../body.js'
import { errorAnswer } from '../error-response.js'
import type { BaseboxHandler, RequestInfo } from '../handler.js'
import { parseURL, type IncomingRequest } from '../incoming-request.js'

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

/** A request target the URL parser would keep as it is: the path and query are cut from it directly. */
const PLAIN_TARGET =
  /^\/(?![^?]*(?:\/\.|%2e))[\w\-.~!$&'()*+,;=:@%/]*(?:\?[\x21-\x22\x24-\x7e]*)?$/i

/**
 * A signal that aborts when the client goes away before its answer is written (the connection
 * closed under a running import, say), so the work done for it can stop and roll back. Its
 * reason is an `UNAVAILABLE` error; nobody receives the answer it leads to.
 */
function goneSignal(res: ServerResponse): AbortSignal {
  const gone = new AbortController()
  const abort = () => {
    if (!res.writableFinished) {
      gone.abort(
        new BaseboxError('UNAVAILABLE', 'the client closed the connection before its answer'),
      )
    }
  }
  if (res.closed) {
    abort()
  } else {
    res.once('close', abort)
  }
  return gone.signal
}

function toRequest(
  req: IncomingMessage,
  body: ReadableStream<Uint8Array> | null,
  signal: AbortSignal,
): Request {
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) {
      value.forEach((v) => headers.append(key, v))
    } else if (value !== undefined) {
      headers.set(key, value)
    }
  }
  try {
    return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers,
      signal,
      ...(body === null ? {} : { body, duplex: 'half' }),
    } as RequestInit)
  } catch (error) {
    throw new BaseboxError('VALIDATION_FAILED', 'malformed request', { cause: error })
  }
}

/**
 * The handler's view of Node's request: the method, path, query string and headers are read
 * from it as they are; the body becomes a web stream only when read, and a `Request` is built
 * only when asked for.
 */
function toIncoming(req: IncomingMessage, res: ServerResponse, hasBody: boolean): IncomingRequest {
  const target = req.url ?? '/'
  let path: string
  let query: string
  if (PLAIN_TARGET.test(target)) {
    const q = target.indexOf('?')
    path = q === -1 ? target : target.slice(0, q)
    query = q === -1 ? '' : target.slice(q + 1)
  } else {
    // Dot segments, characters the URL parser escapes, absolute forms: as a Request would see it.
    ;({ path, query } = parseURL(`http://${req.headers.host ?? 'localhost'}${target}`))
  }
  let stream: ReadableStream<Uint8Array> | null | undefined
  let request: Request | undefined
  const body = () =>
    (stream ??= hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null)
  return {
    method: req.method ?? 'GET',
    path,
    query,
    header(name) {
      const value = req.headers[name]
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
    },
    body,
    request: () => (request ??= toRequest(req, body(), goneSignal(res))),
  }
}

async function writeAnswer(
  answer: Answer,
  req: IncomingMessage,
  res: ServerResponse,
  hasBody: boolean,
): Promise<void> {
  // The handler refused the body before reading it all (too large): the rest of it is still on
  // the wire, so this connection cannot carry another request.
  const cut = hasBody && !req.complete
  if (!(answer instanceof Response) && answer.text !== null) {
    // One writeHead and one end: no Response, no per-header setHeader.
    const headers: Record<string, string | number> = {
      ...answer.headers,
      'content-length': Buffer.byteLength(answer.text),
    }
    if (cut) {
      headers.connection = 'close'
    }
    res.writeHead(answer.status, headers)
    res.end(answer.text)
    return
  }
  const response = answer instanceof Response ? answer : undefined
  res.statusCode = answer.status
  if (response === undefined) {
    for (const [key, value] of Object.entries(answer.headers)) {
      res.setHeader(key, value)
    }
  } else {
    response.headers.forEach((value, key) => res.setHeader(key, value))
  }
  if (cut) {
    res.setHeader('connection', 'close')
  }
  if (response === undefined || response.body === null) {
    res.end()
    return
  }
  await pipeBody(response.body, res)
}

/**
 * A Node `http` request listener over the handler: `http.createServer(toNodeListener(handler))`.
 * The request body streams into the handler (which stops reading past its size limit).
 *
 * A handler made by `createHandler` (or any function carrying its `core`) is served without Web
 * `Request`, `Headers` and `Response` objects where none is needed (text answers are written
 * with one `writeHead`); what the client receives is the same. `getOwner` and `/auth/v1` still
 * get a real `Request`. Any other function is called with a `Request`, as every mount does.
 */
export function toNodeListener(
  handler: BaseboxHandler,
): (req: IncomingMessage, res: ServerResponse) => void {
  const core = handler.core
  return (req, res) => {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
    const info: RequestInfo = req.socket.remoteAddress ? { clientIP: req.socket.remoteAddress } : {}
    let answer: Promise<Answer>
    try {
      answer =
        core === undefined
          ? handler(
              toRequest(
                req,
                hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
                goneSignal(res),
              ),
              info,
            )
          : core(toIncoming(req, res, hasBody), info)
    } catch (error) {
      const header = (name: string) => {
        const value = req.headers[name]
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
      }
      answer = Promise.resolve(
        core?.refuse === undefined ? errorAnswer(error) : core.refuse(error, header),
      )
    }
    answer
      .then((a) => writeAnswer(a, req, res, hasBody))
      .catch((error: unknown) => {
        console.error(error)
        res.statusCode = 500
        res.end()
      })
  }
}
