import { BaseboxError, type Row } from '@basebox/core'
import type { AdminMail } from '../admin-users.js'
import type { AuthEmail } from '../auth-email.js'
import type { OneTimeTokenPurpose } from '../storage/auth-schema.js'
import { generateSecretToken, hashToken, isSecretTokenShape } from '../tokens/random-token.js'
import type { User } from '../user.js'
import { unauthenticated } from './auth-errors.js'
import type { DatabaseAuthScope } from './auth-scope.js'
import { authenticate } from './sessions.js'
import { requireUser, toUserWithMetadata, userBy } from './users.js'

/** Throttles auth emails per address: the first few go at once, then at most one a minute, then one an hour. */
const EMAIL_RULE = {
  freeFailures: 3,
  baseDelayMs: 60_000,
  maxDelayMs: 3_600_000,
  forgetAfterMs: 3_600_000,
}

/** Whether another auth email may go to this address now (counts this one). @internal */
export async function mayEmail(scope: DatabaseAuthScope, email: string): Promise<boolean> {
  const key = hashToken(`${scope.databaseId}\u0000email\u0000${email}`)
  const now = scope.ctx.now()
  const [status] = await scope.ctx.throttle.peek([key], now)
  if ((status?.retryAfterMs ?? 0) > 0) {
    return false
  }
  await scope.ctx.throttle.fail([{ key, rule: EMAIL_RULE }], now)
  return true
}

/** Stores a one-time token and emails it; returns when it expires (ISO). @internal */
export async function sendToken(
  scope: DatabaseAuthScope,
  userId: string,
  email: string,
  purpose: OneTimeTokenPurpose,
): Promise<string> {
  const now = scope.ctx.now()
  const ttl =
    purpose === 'password_reset'
      ? scope.ctx.passwordResetTtlSeconds
      : scope.ctx.emailVerificationTtlSeconds
  const token = generateSecretToken()
  const expiresMs = now + ttl * 1000
  await scope.store.issueOneTimeToken({ token, userId, email, purpose, nowMs: now, expiresMs })
  await send(scope, {
    kind: purpose,
    to: email,
    database_id: scope.databaseId,
    token,
    expires_at: new Date(expiresMs).toISOString(),
  })
  return new Date(expiresMs).toISOString()
}

/** Hands an email to the configured sender, if any. @internal */
export async function send(scope: DatabaseAuthScope, message: AuthEmail): Promise<void> {
  await scope.ctx.sendEmail?.(message)
}

/**
 * Uses up a one-time token: the user it was sent to and the address. `UNAUTHENTICATED` when it
 * is unknown, used, expired, or the account's email changed since.
 * @internal
 */
export async function consumeToken(
  scope: DatabaseAuthScope,
  token: string,
  purpose: OneTimeTokenPurpose,
): Promise<{ row: Row; email: string }> {
  if (!isSecretTokenShape(token)) {
    throw unauthenticated('invalid or expired token')
  }
  const used = await scope.store.consumeOneTimeToken(token, purpose, scope.ctx.now())
  const row = used === undefined ? undefined : await userBy(scope, { id: used.user_id })
  // A token is void once the account's email changed since it was sent.
  if (used === undefined || row === undefined || row.email !== used.email) {
    throw unauthenticated('invalid or expired token')
  }
  return { row, email: used.email }
}

/** The mail {@link AdminUsers} sends: a password reset, under the same per-address limit. @internal */
export function adminMail(scope: DatabaseAuthScope): AdminMail {
  return {
    sendPasswordReset: async (userId, email) => {
      if (!(await mayEmail(scope, email))) {
        throw new BaseboxError(
          'LIMIT_EXCEEDED',
          'too many emails to this address: try again later',
          {
            details: { reason: 'email_rate_limit' },
          },
        )
      }
      const expiresAt = await sendToken(scope, userId, email, 'password_reset')
      return { email, expires_at: expiresAt }
    },
  }
}

/** See {@link DatabaseAuth.requestEmailVerification}. @internal */
export async function requestEmailVerification(
  scope: DatabaseAuthScope,
  accessToken: string,
): Promise<void> {
  const { claims, verification } = await authenticate(scope, accessToken)
  const row = await requireUser(scope, claims.sub)
  const email = String(row.email)
  if (
    verification?.email === email ||
    scope.ctx.sendEmail === undefined ||
    !(await mayEmail(scope, email))
  ) {
    return
  }
  scope.ctx.background(async () => {
    await sendToken(scope, claims.sub, email, 'email_verification')
  })
}

/** See {@link DatabaseAuth.verifyEmail}. @internal */
export async function verifyEmail(scope: DatabaseAuthScope, token: string): Promise<User> {
  const { row, email } = await consumeToken(scope, token, 'email_verification')
  return toUserWithMetadata(
    scope,
    row,
    await scope.store.markVerified(String(row.id), email, scope.ctx.now()),
  )
}
