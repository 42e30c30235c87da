import { BaseboxError } from '@basebox/client'
import type { IncomingRequest } from './incoming-request.js'

/** The largest request body the handler reads. Default of the handler's `maxBodyBytes`. */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576

/** How deep a JSON request body may nest arrays and objects. */
export const MAX_JSON_DEPTH = 128

/** Whether a JSON text nests arrays and objects deeper than `max`: one pass over the text, no recursion. @internal */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (quoted) {
      if (c === 0x5c) {
        i++ // the escaped character
      } else if (c === 0x22) {
        quoted = false
      }
    } else if (c === 0x22) {
      quoted = true
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) {
        return true
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth--
    }
  }
  return false
}

/**
 * Reads a JSON body, refusing it with `LIMIT_EXCEEDED` (413) as soon as it passes `maxBytes`
 * (before buffering it all: a declared Content-Length is checked first, then the stream is
 * counted), and with `VALIDATION_FAILED` (400) when it is not JSON or nests deeper than
 * {@link MAX_JSON_DEPTH} (which would otherwise exhaust the stack of whatever walks it next).
 */
export async function readJSON(
  request: Request | IncomingRequest,
  maxBytes: number,
): Promise<unknown> {
  const header =
    request instanceof Request
      ? (name: string) => request.headers.get(name)
      : (name: string) => request.header(name)
  const type = header('content-type') ?? ''
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new BaseboxError('VALIDATION_FAILED', 'send the body as application/json')
  }
  const declared = Number(header('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new BaseboxError('LIMIT_EXCEEDED', `the body is larger than ${maxBytes} bytes`, {
      details: { status: 413 },
    })
  }
  const body = request instanceof Request ? request.body : request.body()
  if (body === null) {
    throw new BaseboxError('VALIDATION_FAILED', 'the body is empty')
  }
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) {
      break
    }
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => {})
      throw new BaseboxError('LIMIT_EXCEEDED', `the body is larger than ${maxBytes} bytes`, {
        details: { status: 413 },
      })
    }
    chunks.push(value)
  }
  const text = new TextDecoder().decode(concat(chunks, size))
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      `the body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`,
    )
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new BaseboxError('VALIDATION_FAILED', 'the body is not valid JSON')
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

const JSON_TYPE = 'application/json; charset=utf-8'

/**
 * An answer of the handler's core that is not a Web `Response` yet: a status, headers and a text
 * body (or none). The public handler turns it into a `Response` ({@link toResponse}); the Node
 * mount writes it as it is. @internal
 */
export interface TextAnswer {
  readonly status: number
  readonly headers: Record<string, string>
  readonly text: string | null
}

/** What the handler's core answers: a {@link TextAnswer}, or a `Response` (streamed bodies, `/auth/v1`, the management API). @internal */
export type Answer = TextAnswer | Response

/** A JSON answer, as {@link json} makes but without the `Response`. @internal */
export function jsonAnswer(
  body: unknown,
  status = 200,
  headers?: Record<string, string>,
): TextAnswer {
  return {
    status,
    headers:
      headers === undefined
        ? { 'content-type': JSON_TYPE }
        : { 'content-type': JSON_TYPE, ...headers },
    text: JSON.stringify(body),
  }
}

/** The `Response` of an answer: the same status, headers and body. @internal */
export function toResponse(answer: Answer): Response {
  return answer instanceof Response
    ? answer
    : new Response(answer.text, { status: answer.status, headers: answer.headers })
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': JSON_TYPE, ...headers },
  })
}
