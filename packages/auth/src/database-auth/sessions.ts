import { BaseboxError, type Row } from '@basebox/core'
import type { Verification } from '../storage/auth-store.js'
import {
  checkAccessTokenSignature,
  invalidAccessToken,
  parseAccessToken,
  signAccessToken,
  type AccessTokenClaims,
} from '../tokens/access-token.js'
import {
  generateId,
  generateSecretToken,
  hashToken,
  isSecretTokenShape,
} from '../tokens/random-token.js'
import { deriveRefreshToken } from '../tokens/refresh-token.js'
import type { AuthSession } from '../user.js'
import { unauthenticated } from './auth-errors.js'
import type { DatabaseAuthScope } from './auth-scope.js'
import { toUserWithMetadata, userBy } from './users.js'

/** Options of {@link DatabaseAuth.signOut}. */
export interface SignOutOptions {
  /** Default is `'session'`: this session only. `'others'` ends every other one, `'all'` every one. */
  scope?: 'session' | 'others' | 'all'
}

/** Options of {@link DatabaseAuth.rotateJWTSecret}. */
export interface RotateJWTSecretOptions {
  /**
   * Default is `true`: access tokens signed with the old secret stay valid until they expire
   * (at most the access token lifetime). `false` refuses them at once (after a leak).
   */
  keepPrevious?: boolean
}

/**
 * How long a refresh token that was just exchanged still gives the same new tokens, as GoTrue's
 * reuse interval: two tabs refreshing at once both stay signed in. Past it, reuse ends the family.
 */
export const REFRESH_TOKEN_REUSE_INTERVAL_MS = 10_000

/** What {@link authenticate} finds: a verified token of a live session. @internal */
export interface Authenticated {
  claims: AccessTokenClaims
  verification: Verification | undefined
  signedInAt: Date
}

/** See {@link DatabaseAuth.verifyAccessToken}. @internal */
export async function verifyAccessToken(
  scope: DatabaseAuthScope,
  token: string,
): Promise<AccessTokenClaims> {
  const now = scope.ctx.now()
  const parsed = parseAccessToken(token, scope.databaseId, now)
  const keyring = scope.ctx.keyring
  const keys = keyring.cached(scope.databaseId) ?? (await keyring.keys(scope.databaseId))
  if (checkAccessTokenSignature(parsed, keys, now)) {
    return parsed.claims
  }
  // A kid this process has not seen: another process may have rotated the secret.
  if (
    parsed.kid !== undefined &&
    !keys.some((key) => key.kid === parsed.kid) &&
    (await keyring.reloadForUnknownKid(scope.databaseId)) &&
    checkAccessTokenSignature(parsed, await keyring.keys(scope.databaseId), now)
  ) {
    return parsed.claims
  }
  throw invalidAccessToken('signature')
}

/** Verifies an access token and checks that its session is still live. @internal */
export async function authenticate(
  scope: DatabaseAuthScope,
  accessToken: string,
): Promise<Authenticated> {
  const claims = await verifyAccessToken(scope, accessToken)
  const live = await scope.store.liveSession(claims.sid, claims.sub, scope.ctx.now())
  if (live === undefined) {
    throw unauthenticated('session ended', 'session')
  }
  return { claims, verification: live.verification, signedInAt: live.signedInAt }
}

/** Starts a session for a user who just proved who they are. @internal */
export async function startSession(
  scope: DatabaseAuthScope,
  row: Row,
  ip?: string,
  userAgent?: string,
): Promise<AuthSession> {
  const now = scope.ctx.now()
  const sessionId = generateId(15)
  const refreshToken = generateSecretToken()
  const verification = await scope.store.createSession({
    sessionId,
    userId: String(row.id),
    refreshTokenHash: hashToken(refreshToken),
    nowMs: now,
    expiresMs: now + scope.ctx.sessionTtlSeconds * 1000,
    ip,
    userAgent,
  })
  return issueSession(scope, row, verification, sessionId, refreshToken, now)
}

/** Signs an access token for a session and returns the session's answer. */
async function issueSession(
  scope: DatabaseAuthScope,
  row: Row,
  verification: Verification | undefined,
  sessionId: string,
  refreshToken: string,
  now: number,
): Promise<AuthSession> {
  const key = await scope.ctx.keyring.signingKey(scope.databaseId)
  const iat = Math.floor(now / 1000)
  const exp = iat + scope.ctx.accessTokenTtlSeconds
  const accessToken = signAccessToken(
    {
      sub: String(row.id),
      role: 'authenticated',
      aud: scope.databaseId,
      exp,
      iat,
      sid: sessionId,
    },
    key,
  )
  return {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: scope.ctx.accessTokenTtlSeconds,
    expires_at: exp,
    refresh_token: refreshToken,
    user: await toUserWithMetadata(scope, row, verification),
  }
}

/** See {@link DatabaseAuth.refresh}. @internal */
export async function refresh(
  scope: DatabaseAuthScope,
  refreshToken: string,
): Promise<AuthSession> {
  if (!isSecretTokenShape(refreshToken)) {
    throw unauthenticated('invalid refresh token')
  }
  let now = scope.ctx.now()
  const tokenHash = hashToken(refreshToken)
  // The successor is derived from the token with this database's secret (never stored): a
  // second exchange in the reuse interval finds the same one.
  const key = await scope.ctx.keyring.signingKey(scope.databaseId)
  const next = deriveRefreshToken(key.secret, scope.databaseId, refreshToken)
  const nextTokenHash = hashToken(next)
  let session: { session_id: string; user_id: string } | undefined =
    await scope.store.rotateRefreshToken({
      tokenHash,
      nextTokenHash,
      nowMs: now,
      expiresMs: now + scope.ctx.sessionTtlSeconds * 1000,
    })
  if (session === undefined) {
    const again = await scope.store.rotatedWithinGrace({
      tokenHash,
      nextTokenHash,
      nowMs: now,
      graceMs: REFRESH_TOKEN_REUSE_INTERVAL_MS,
    })
    if (again === undefined) {
      const reused = await scope.store.revokeFamilyOfReusedToken(tokenHash, now)
      throw unauthenticated('invalid refresh token', reused ? 'reused' : undefined)
    }
    // Signed as at the exchange: the same access token as the first answer.
    session = again
    now = again.rotated_at.getTime()
  }
  const row = await userBy(scope, { id: session.user_id })
  if (row === undefined) {
    await scope.store.revokeSessions(session.user_id, 'all', 'user_deleted', now)
    throw unauthenticated('invalid refresh token')
  }
  // Disabling ends every session; this also covers a refresh racing the disable.
  if (await scope.store.isDisabled(session.user_id)) {
    await scope.store.revokeSessions(session.user_id, 'all', 'user_disabled', now)
    throw unauthenticated('invalid refresh token', 'user_disabled')
  }
  return issueSession(
    scope,
    row,
    await scope.store.verification(session.user_id),
    session.session_id,
    next,
    now,
  )
}

/** See {@link DatabaseAuth.signOut}. @internal */
export async function signOut(
  scope: DatabaseAuthScope,
  accessToken: string,
  options: SignOutOptions,
): Promise<void> {
  const which = options.scope ?? 'session'
  if (which !== 'session' && which !== 'others' && which !== 'all') {
    throw new BaseboxError('VALIDATION_FAILED', 'scope must be "session", "others" or "all"')
  }
  const claims = await verifyAccessToken(scope, accessToken)
  const sessions =
    which === 'all' ? 'all' : which === 'session' ? { only: claims.sid } : { except: claims.sid }
  await scope.store.revokeSessions(claims.sub, sessions, 'sign_out', scope.ctx.now())
}

/** See {@link DatabaseAuth.rotateJWTSecret}. @internal */
export async function rotateJWTSecret(
  scope: DatabaseAuthScope,
  options: RotateJWTSecretOptions,
): Promise<void> {
  await scope.ctx.keyring.rotate(scope.databaseId, {
    keepPrevious: options.keepPrevious ?? true,
    previousValidForMs: scope.ctx.accessTokenTtlSeconds * 1000,
  })
}
