import { BaseboxError } from '@basebox/client'
import type { Auth } from '@basebox/auth'
import type { Basebox, DatabaseHandle } from '@basebox/core'
import { isDatabaseNotFound } from '@basebox/core'
import { DEFAULT_MAX_BODY_BYTES, jsonAnswer, toResponse, type Answer } from './body.js'
import { createClientAddress, type TrustedProxies } from './client-address.js'
import { createCors, type CorsOptions } from './cors.js'
import { errorAnswer } from './error-response.js'
import { rpcNotSupported } from './postgrest/errors.js'
import type { HandlerCore } from './handler-core.js'
import { incomingFromRequest, type IncomingRequest } from './incoming-request.js'
import { managementOpenAPI } from './openapi.js'
import { Router } from './router.js'
import { handleDataAPI, type DataAPIAuth } from './routes/data-api.js'
import { addManagementRoutes, type ManagementContext } from './routes/management.js'
import { createRateLimiter, type RateLimiter } from './rate-limit.js'
import { createAIProvider } from '@basebox/ai'
import type { AIProvider } from '@basebox/client'

/** Options of {@link createHandler}. */
export interface HandlerOptions {
  /** The engine. */
  basebox: Basebox
  /**
   * Who the host product says the caller of the management API is: its user id, or
   * `null`/`undefined` for nobody (401), or `{ id, readOnly: true }` for a user who may only read
   * (every write is `FORBIDDEN`, and each table's `permissions` say so). Basebox never invents
   * platform users.
   */
  getOwner(request: Request): OwnerAnswer | Promise<OwnerAnswer>
  /** Authentication of the data API (`/db/:databaseId/rest/v1`, `/auth/v1`). Without it the data API answers 404. */
  dataAuth?: DataAPIAuth
  /** End-user auth, for the management API's API key routes. */
  auth?: Auth
  /** The largest request body read, in bytes. Default is 1 MiB. */
  maxBodyBytes?: number
  /** Limits requests per client IP and per API key or owner. Default is none. */
  rateLimit?: RateLimiter
  /**
   * The model behind the management API's AI routes (`/api/database/:id/ai/...`): an
   * `AIProvider`, e.g. `createAIProvider({ model })` from `@basebox/ai` with any AI SDK model.
   * Default is `createAIProvider()`: Mistral's Codestral when `MISTRAL_API_KEY` is set, else
   * every AI call answers `AI_NOT_CONFIGURED` (503). `null` turns AI off. The schema templates
   * work either way.
   */
  ai?: AIProvider | null
  /**
   * Limits the AI routes' model calls per owner, on top of `rateLimit`. Default is 20 calls a
   * minute per owner (`createRateLimiter({ max: 20, windowMs: 60_000 })`); `null` for none.
   */
  aiRateLimit?: RateLimiter | null
  /** Where 5xx causes are logged. Default is `console.error`. */
  log?: (error: unknown) => void
  /**
   * Lets browsers call the handler from other origins. Default is none: no CORS headers, and
   * browsers refuse cross-origin calls. Preflights (`OPTIONS` with
   * `Access-Control-Request-Method`) are answered before any route, database or `getOwner`:
   * 204 with the allow headers for an allowed origin, 403 without any CORS header otherwise.
   */
  cors?: CorsOptions
  /**
   * The proxies whose `X-Forwarded-For` is believed (addresses, CIDR ranges or a hop count).
   * Default is none: the client's address is the peer of the connection that the mount gives
   * ({@link RequestInfo.clientIP}), and `X-Forwarded-For` is ignored, so it cannot be spoofed.
   */
  trustedProxies?: TrustedProxies
}

/** What {@link HandlerOptions.getOwner} answers: a host user id, a user with options, or nobody. */
export type OwnerAnswer = string | { id: string; readOnly?: boolean } | null | undefined

/** Facts about the connection that a `Request` does not carry, given by the mount. */
export interface RequestInfo {
  /**
   * The address of the connection's peer, as the platform reports it (Node: the socket's remote
   * address). It is the client's address for rate limiting and sign-in throttling, unless it
   * is one of the handler's `trustedProxies`, in which case `X-Forwarded-For` says who the
   * client is. Without it, nothing is limited per address.
   */
  clientIP?: string
}

/**
 * The Basebox HTTP handler: a Web-standard `fetch` function. One made by `createHandler` also
 * carries its `core`, which `toNodeListener` (`@basebox/server/node`) serves without Web
 * `Request`/`Response` objects where none is needed. A host that wraps the handler in its own
 * function keeps that speed by passing `core` along (`Object.assign(wrapper, { core: handler.core })`);
 * without it the Node mount calls the wrapper with a `Request`, with the same answers.
 */
export type BaseboxHandler = ((request: Request, info?: RequestInfo) => Promise<Response>) & {
  /** The handler's core, for the Node mount's fast path. Set by `createHandler`. @internal */
  readonly core?: HandlerCore
}

const HANDLE_CACHE_SIZE = 1000

/** A percent-encoded path segment, decoded; `VALIDATION_FAILED` when its encoding is broken (`%FF`). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      `malformed percent-encoding in ${JSON.stringify(segment.slice(0, 80))}`,
    )
  }
}

/**
 * Creates the one Web-standard handler that serves the management API (`/api/...`, for the host
 * product's users) and each project's data API (`/db/:databaseId/rest/v1/...` and
 * `/db/:databaseId/auth/v1/...`, for the apps end users build). Mount it with
 * `@basebox/server/node`, `/next` or `/hono`.
 *
 * ### Examples
 *
 * ```ts
 * const handler = createHandler({ basebox: bb, getOwner: (request) => request.headers.get('x-user-id') })
 * const response = await handler(new Request('http://localhost/api/projects'))
 * ```
 */
export function createHandler(options: HandlerOptions): BaseboxHandler {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const log = options.log ?? console.error
  const router = new Router<ManagementContext>()
  addManagementRoutes(router)
  const handles = new Map<string, DatabaseHandle>()
  const cors = options.cors === undefined ? undefined : createCors(options.cors)
  const clientAddress = createClientAddress(options.trustedProxies)
  const ai = {
    ai: options.ai === undefined ? createAIProvider() : options.ai,
    aiLimit:
      options.aiRateLimit === undefined
        ? createRateLimiter({ max: 20, windowMs: 60_000 })
        : (options.aiRateLimit ?? undefined),
    log,
  }

  async function database(databaseId: string): Promise<DatabaseHandle> {
    let handle = handles.get(databaseId)
    if (handle === undefined) {
      handle = await options.basebox.databaseById(databaseId)
      if (handles.size >= HANDLE_CACHE_SIZE) {
        handles.delete(handles.keys().next().value!)
      }
      handles.set(databaseId, handle)
    }
    return handle
  }

  async function limit(keys: (string | undefined)[]): Promise<void> {
    if (options.rateLimit === undefined) {
      return
    }
    for (const key of keys) {
      if (key !== undefined) {
        await options.rateLimit(key)
      }
    }
  }

  async function management(
    incoming: IncomingRequest,
    path: string,
    clientIP: string | undefined,
  ): Promise<Answer> {
    try {
      const method = incoming.method
      if (method === 'GET' && path === '/api/openapi.json') {
        return jsonAnswer(managementOpenAPI())
      }
      const match = router.match(method, path)
      if (match === undefined) {
        throw new BaseboxError('NOT_FOUND', `no route ${method} ${path}`)
      }
      if (match === 'method') {
        throw new BaseboxError('UNSUPPORTED', `method ${method} is not allowed on ${path}`)
      }
      const request = incoming.request()
      const answer = await options.getOwner(request)
      const ownerId = typeof answer === 'object' && answer !== null ? answer.id : answer
      const readOnly = typeof answer === 'object' && answer !== null && answer.readOnly === true
      if (ownerId === null || ownerId === undefined || ownerId === '') {
        throw new BaseboxError('UNAUTHENTICATED', 'sign in to the host product first')
      }
      await limit([clientIP && `ip:${clientIP}`, `owner:${ownerId}`])
      return await match.handler(request, match.params, {
        owner: options.basebox.owner(ownerId, { readOnly }),
        maxBodyBytes,
        ai,
        ...(options.auth ? { auth: options.auth } : {}),
      })
    } catch (error) {
      return errorAnswer(error, log)
    }
  }

  async function dataAPI(
    request: IncomingRequest,
    databaseId: string,
    rest: string[],
    clientIP: string | undefined,
  ): Promise<Answer> {
    const auth = options.dataAuth
    let anonymous = true
    try {
      if (auth === undefined) {
        throw new BaseboxError('NOT_FOUND', 'the data API is not enabled on this server')
      }
      const apiKey = request.header('apikey')
      const authorization = request.header('authorization')
      const bearer = authorization?.toLowerCase().startsWith('bearer ')
        ? authorization.slice(7).trim()
        : null
      await limit([
        clientIP && `ip:${clientIP}`,
        apiKey === null ? undefined : `key:${apiKey.slice(0, 64)}`,
      ])
      const db = await database(databaseId)
      if (rest[0] === 'auth' && rest[1] === 'v1' && auth.handle !== undefined) {
        return await auth.handle(
          db,
          `/${rest.slice(2).join('/')}`,
          request.request(),
          maxBodyBytes,
          clientIP === undefined ? {} : { clientIP },
        )
      }
      const isRPC = rest[0] === 'rest' && rest[1] === 'v1' && rest[2] === 'rpc' && rest.length === 4
      if (!isRPC && (rest[0] !== 'rest' || rest[1] !== 'v1' || rest.length !== 3)) {
        throw new BaseboxError('NOT_FOUND', 'no such data API route')
      }
      const identity = await auth.identify(db, {
        apiKey,
        bearer: bearer === apiKey ? null : bearer,
      })
      if (isRPC) {
        throw rpcNotSupported(decodeSegment(rest[3]!))
      }
      anonymous = identity !== 'service' && identity.role === 'anon'
      const records = identity === 'service' ? db : db.as(identity)
      return await handleDataAPI(request, records, decodeSegment(rest[2]!), maxBodyBytes)
    } catch (error) {
      if (isDatabaseNotFound(error)) {
        handles.delete(databaseId)
      }
      return errorAnswer(error, log, { api: 'data', anonymous })
    }
  }

  const route = async (request: IncomingRequest, info: RequestInfo): Promise<Answer> => {
    const path = request.path
    const clientIP = clientAddress(info.clientIP, request.header('x-forwarded-for'))
    if (path.startsWith('/api/')) {
      return management(request, path, clientIP)
    }
    const data = /^\/db\/([^/]+)\/(.+)$/.exec(path)
    if (data) {
      return dataAPI(request, data[1]!, data[2]!.split('/').filter(Boolean), clientIP)
    }
    return errorAnswer(new BaseboxError('NOT_FOUND', `no route ${request.method} ${path}`), log)
  }
  const core: HandlerCore =
    cors === undefined
      ? route
      : async (request, info) => {
          const header = (name: string) => request.header(name)
          return (
            cors.preflight(request.method, header) ?? cors.apply(await route(request, info), header)
          )
        }
  const handler: BaseboxHandler = async (request, info = {}) => {
    let incoming: IncomingRequest
    try {
      incoming = incomingFromRequest(request)
    } catch (error) {
      const answer = errorAnswer(error, log)
      return toResponse(
        cors === undefined ? answer : cors.apply(answer, (name) => request.headers.get(name)),
      )
    }
    return toResponse(await core(incoming, info))
  }
  core.refuse = (error, header) => {
    const answer = errorAnswer(error, log)
    return cors === undefined ? answer : cors.apply(answer, header)
  }
  return Object.assign(handler, { core })
}
