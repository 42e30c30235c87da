import { BaseboxError } from '@basebox/client'
import type { DatabaseAuth } from '@basebox/auth'
import { json, readJSON } from '../body.js'
import { toGoTrueUser } from './gotrue-user.js'

function notAdmin(): BaseboxError {
  return new BaseboxError('FORBIDDEN', 'User not allowed', { details: { reason: 'not_admin' } })
}

/**
 * Only the project's service key manages users: supabase-js's `auth.admin` sends it as the
 * `apikey` header and as the bearer token. A user's access token, or an anon key, is refused.
 */
async function requireService(auth: DatabaseAuth, request: Request): Promise<void> {
  const apiKey = request.headers.get('apikey') ?? ''
  if ((await auth.verifyAPIKey(apiKey)).kind !== 'service') {
    throw notAdmin()
  }
  const header = request.headers.get('authorization')
  if (header !== null) {
    const bearer = header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : ''
    if (bearer !== apiKey) {
      const verified = await auth.verifyAPIKey(bearer).catch(() => undefined)
      if (verified?.kind !== 'service') {
        throw notAdmin()
      }
    }
  }
}

const USER_FIELDS = new Set(['email', 'password', 'email_confirm', 'user_metadata'])

/** The fields of GoTrue's admin user body that Basebox has; any other is refused, not ignored. */
function userFields(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BaseboxError('VALIDATION_FAILED', 'send the user as a JSON object')
  }
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(body)) {
    if (USER_FIELDS.has(key)) {
      if (value !== undefined && value !== null) {
        out[key] = value
      }
    } else if (value !== undefined && value !== null) {
      throw new BaseboxError(
        'UNSUPPORTED',
        `"${key.slice(0, 40)}" is not supported: users have email, password, email_confirm and user_metadata`,
      )
    }
  }
  return out
}

function positive(value: string | null, fallback: number): number {
  if (value === null || value === '') {
    return fallback
  }
  if (!/^\d{1,7}$/.test(value)) {
    throw new BaseboxError('VALIDATION_FAILED', 'page and per_page are whole numbers')
  }
  return Number(value)
}

/**
 * GoTrue's `/admin/users` endpoints, as supabase-js's `auth.admin` calls them: list (`page`,
 * `per_page`, the total in `x-total-count`), get, create, update and delete one user.
 */
export async function goTrueAdmin(
  auth: DatabaseAuth,
  path: string,
  request: Request,
  maxBodyBytes: number,
): Promise<Response> {
  await requireService(auth, request)
  const method = request.method
  const id =
    path === '/admin/users' ? undefined : decodeURIComponent(path.slice('/admin/users/'.length))
  if (id === undefined) {
    if (method === 'GET') {
      const url = new URL(request.url)
      const page = positive(url.searchParams.get('page'), 1)
      const perPage = positive(url.searchParams.get('per_page'), 50)
      const { users, total } = await auth.admin.list({ page, perPage })
      const last = Math.max(1, Math.ceil(total / perPage))
      const links = [`</admin/users?page=${last}&per_page=${perPage}>; rel="last"`]
      if (page < last) {
        links.unshift(`</admin/users?page=${page + 1}&per_page=${perPage}>; rel="next"`)
      }
      return json({ users: users.map(toGoTrueUser), aud: 'authenticated' }, 200, {
        'x-total-count': String(total),
        link: links.join(', '),
      })
    }
    if (method === 'POST') {
      const user = await auth.admin.create(
        userFields(await readJSON(request, maxBodyBytes)) as Parameters<
          DatabaseAuth['admin']['create']
        >[0],
      )
      return json(toGoTrueUser(user))
    }
  } else if (!id.includes('/')) {
    if (method === 'GET') {
      return json(toGoTrueUser(await auth.admin.get(id)))
    }
    if (method === 'PUT') {
      return json(
        toGoTrueUser(
          await auth.admin.update(id, userFields(await readJSON(request, maxBodyBytes))),
        ),
      )
    }
    if (method === 'DELETE') {
      const user = await auth.admin.get(id)
      await auth.admin.delete(id)
      return json(toGoTrueUser(user))
    }
  }
  throw new BaseboxError('NOT_FOUND', `no auth route ${method} ${path.slice(0, 80)}`)
}
