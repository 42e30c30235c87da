import { BaseboxError, isBaseboxError } from '@basebox/client'
import type { Auth, AuthSession, DatabaseAuth } from '@basebox/auth'
import type { DatabaseHandle } from '@basebox/core'
import { json, readJSON } from '../body.js'
import { retryAfterHeader, statusOf, toBaseboxError } from '../error-response.js'
import { goTrueAdmin } from './auth-admin.js'
import { toGoTrueUser } from './gotrue-user.js'
import type { DataAPIAuth, DataAPIIdentity } from './data-api.js'

function toGoTrueSession(session: AuthSession): Record<string, unknown> {
  return { ...session, user: toGoTrueUser(session.user) }
}

// GoTrue's own answers for the refusals supabase-js apps check by `error.code`.
const GOTRUE_ERRORS: Record<string, { status: number; message: string; errorCode?: string }> = {
  invalid_credentials: { status: 400, message: 'Invalid login credentials' },
  reauthentication_needed: { status: 400, message: 'Password update requires reauthentication' },
  email_exists: {
    status: 422,
    message: 'A user with this email address has already been registered',
  },
  user_not_found: { status: 404, message: 'User not found' },
  not_admin: { status: 403, message: 'User not allowed' },
  // A user the project's owner disabled, refused once the password was right.
  user_disabled: { status: 400, message: 'User is banned', errorCode: 'user_banned' },
}

/** GoTrue's error body: supabase-js reads `code`, `error_code` and `msg`. */
function goTrueError(thrown: unknown, log: (error: unknown) => void): Response {
  const error = toBaseboxError(thrown)
  const reason = error.details?.reason
  const known = typeof reason === 'string' ? GOTRUE_ERRORS[reason] : undefined
  if (known !== undefined) {
    return json(
      { code: known.status, error_code: known.errorCode ?? reason, msg: known.message },
      known.status,
    )
  }
  const status = statusOf(error)
  if (status >= 500) {
    log(thrown)
  }
  const headers = retryAfterHeader(error, status)
  return json(
    {
      code: status,
      error_code: error.code.toLowerCase(),
      msg: status >= 500 ? 'Internal error' : error.message,
    },
    status,
    headers,
  )
}

function bearerOf(request: Request): string {
  const header = request.headers.get('authorization') ?? ''
  if (!header.toLowerCase().startsWith('bearer ')) {
    throw new BaseboxError('UNAUTHENTICATED', 'send the access token as Authorization: Bearer')
  }
  return header.slice(7).trim()
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined
}

/** supabase-js's `data` (GoTrue's user metadata), checked by auth's schema. */
function metadata(body: unknown): { user_metadata?: Record<string, unknown> } {
  const data = field(body, 'data')
  return data === undefined || data === null
    ? {}
    : { user_metadata: data as Record<string, unknown> }
}

async function goTrue(
  auth: DatabaseAuth,
  path: string,
  request: Request,
  maxBodyBytes: number,
  clientIP: string | undefined,
): Promise<Response> {
  const method = request.method
  const url = new URL(request.url)
  if (method === 'POST' && path === '/signup') {
    const body = await readJSON(request, maxBodyBytes)
    const email = field(body, 'email') as string
    const password = field(body, 'password') as string
    await auth.signUp({ email, password, ...metadata(body) })
    try {
      return json(
        toGoTrueSession(
          await auth.signIn({ email, password, ...(clientIP ? { ip: clientIP } : {}) }),
        ),
      )
    } catch (error) {
      // The email had an account with another password, or the new account must verify its
      // email first: both answer alike, as a new account awaiting confirmation (as GoTrue
      // does), so sign-up does not reveal who has an account (same status, same shape, one
      // hash and one verify either way).
      if (
        isBaseboxError(error) &&
        (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN')
      ) {
        const now = new Date().toISOString()
        return json({
          id: crypto.randomUUID(),
          aud: 'authenticated',
          role: 'authenticated',
          email: String(email).toLowerCase(),
          app_metadata: { provider: 'email', providers: ['email'] },
          // The metadata sent, as a new account would show it (never the stored one).
          user_metadata: metadata(body).user_metadata ?? {},
          identities: [],
          created_at: now,
          updated_at: now,
        })
      }
      throw error
    }
  }
  if (method === 'POST' && path === '/token') {
    const body = await readJSON(request, maxBodyBytes)
    const grant = url.searchParams.get('grant_type')
    if (grant === 'password') {
      return json(
        toGoTrueSession(
          await auth.signIn({
            email: field(body, 'email') as string,
            password: field(body, 'password') as string,
            ...(clientIP ? { ip: clientIP } : {}),
          }),
        ),
      )
    }
    if (grant === 'refresh_token') {
      return json(toGoTrueSession(await auth.refresh(field(body, 'refresh_token') as string)))
    }
    throw new BaseboxError('VALIDATION_FAILED', 'grant_type must be password or refresh_token')
  }
  if (method === 'GET' && path === '/user') {
    return json(toGoTrueUser(await auth.getUser(bearerOf(request))))
  }
  if (method === 'PUT' && path === '/user') {
    const body = await readJSON(request, maxBodyBytes)
    if (field(body, 'email') !== undefined || field(body, 'phone') !== undefined) {
      throw new BaseboxError('UNSUPPORTED', 'email and phone changes are not supported yet')
    }
    if (field(body, 'app_metadata') !== undefined) {
      throw new BaseboxError('FORBIDDEN', "app_metadata is not the user's to change", {
        details: { reason: 'not_admin' },
      })
    }
    const token = bearerOf(request)
    const password = field(body, 'password')
    let user =
      password === undefined
        ? undefined
        : await auth.setPassword(token, { password: password as string })
    if (field(body, 'data') !== undefined || user === undefined) {
      user = await auth.updateUser(token, metadata(body))
    }
    return json(toGoTrueUser(user))
  }
  if (method === 'POST' && path === '/logout') {
    const scope = url.searchParams.get('scope')
    await auth.signOut(bearerOf(request), {
      scope: scope === 'global' ? 'all' : scope === 'others' ? 'others' : 'session',
    })
    return new Response(null, { status: 204 })
  }
  if (path === '/admin/users' || path.startsWith('/admin/users/')) {
    return goTrueAdmin(auth, path, request, maxBodyBytes)
  }
  if (method === 'POST' && path === '/recover') {
    const body = await readJSON(request, maxBodyBytes)
    await auth.requestPasswordReset(field(body, 'email') as string)
    return json({})
  }
  throw new BaseboxError('NOT_FOUND', `no auth route ${method} ${path}`)
}

/**
 * The data API's authentication over `@basebox/auth`: the `apikey` header must hold one of the
 * project's API keys (anon or service); `Authorization: Bearer` may hold a user's access token.
 * Also answers the endpoints of Supabase's auth server that Basebox has: sign-up, the password
 * and refresh-token grants, get and update the user (metadata, password), logout, recover, and
 * `auth.admin`'s users with the service key.
 */
export function authForDataAPI(
  auth: Auth,
  options: { log?: (error: unknown) => void } = {},
): DataAPIAuth {
  const log = options.log ?? console.error
  const cache = new WeakMap<DatabaseHandle, DatabaseAuth>()
  const forDatabase = (db: DatabaseHandle) => {
    let scoped = cache.get(db)
    if (scoped === undefined) {
      scoped = auth.forDatabase(db)
      cache.set(db, scoped)
    }
    return scoped
  }
  return {
    async identify(db, { apiKey, bearer }): Promise<DataAPIIdentity> {
      if (apiKey === null || apiKey === '') {
        throw new BaseboxError('UNAUTHENTICATED', 'send the project API key in the apikey header')
      }
      const scoped = forDatabase(db)
      const key = await scoped.verifyAPIKey(apiKey)
      if (bearer !== null) {
        const claims = await scoped.verifyAccessToken(bearer)
        return { role: 'authenticated', userId: claims.sub }
      }
      return key.kind === 'service' ? 'service' : { role: 'anon' }
    },
    async handle(db, path, request, maxBodyBytes, connection = {}) {
      try {
        const apiKey = request.headers.get('apikey')
        if (apiKey === null || apiKey === '') {
          throw new BaseboxError('UNAUTHENTICATED', 'send the project API key in the apikey header')
        }
        const scoped = forDatabase(db)
        await scoped.verifyAPIKey(apiKey)
        // The handler found the client's address (X-Forwarded-For only from trusted proxies):
        // the request's own headers are not read again here, so they cannot be spoofed.
        return await goTrue(scoped, path, request, maxBodyBytes, connection.clientIP)
      } catch (error) {
        return goTrueError(error, log)
      }
    },
  }
}
