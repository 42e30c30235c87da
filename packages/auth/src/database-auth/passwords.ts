import { BaseboxError } from '@basebox/core'
import {
  ChangePasswordInputSchema,
  CompletePasswordResetInputSchema,
  EmailSchema,
  parseInput,
  SetPasswordInputSchema,
  type ChangePasswordInput,
  type CompletePasswordResetInput,
  type SetPasswordInput,
} from '../inputs.js'
import type { AuthSession, User } from '../user.js'
import { unauthenticated, userDisabled } from './auth-errors.js'
import type { DatabaseAuthScope } from './auth-scope.js'
import { consumeToken, mayEmail, sendToken } from './emails.js'
import { authenticate, startSession } from './sessions.js'
import { requireUser, toUserWithMetadata, userBy } from './users.js'

/**
 * How recent the sign-in of a session must be for `setPassword` (as GoTrue's secure password
 * change: 24 hours); an older session signs in again first.
 */
export const PASSWORD_CHANGE_SIGN_IN_WINDOW_MS = 24 * 3_600_000

/**
 * Checks a password against a stored hash, or against a dummy hash when there is none (so the
 * answer costs the same time). @internal
 */
export async function verifyPassword(
  scope: DatabaseAuthScope,
  stored: string | undefined,
  password: string,
): Promise<boolean> {
  const hasher = scope.ctx.hasher
  // Without a usable hash, verify against a dummy one: the answer costs the same time. A
  // stored hash outside the hasher's policy (costs above the configured ones: a tampered row)
  // is never run; it fails like a wrong password, after the same work.
  if (stored === undefined || hasher.withinPolicy?.(stored) === false) {
    await hasher.verify(await scope.ctx.dummyHash(), password)
    return false
  }
  return hasher.verify(stored, password)
}

/** Stores a new hash of the password with the hasher's current parameters; failures go to `onError`. @internal */
export async function rehash(
  scope: DatabaseAuthScope,
  userId: string,
  password: string,
): Promise<void> {
  try {
    const passwordHash = await scope.ctx.hasher.hash(password)
    await writePasswordHash(scope, userId, passwordHash)
  } catch (error) {
    // The sign-in stands; the upgrade is tried again next time.
    scope.ctx.onError(error)
  }
}

async function writePasswordHash(
  scope: DatabaseAuthScope,
  userId: string,
  passwordHash: string,
): Promise<void> {
  await scope.db.update(
    'users',
    { id: userId },
    { password_hash: passwordHash },
    { allowSecret: true, returning: false },
  )
}

/** See {@link DatabaseAuth.setPassword}. @internal */
export async function setPassword(
  scope: DatabaseAuthScope,
  accessToken: string,
  input: SetPasswordInput,
): Promise<User> {
  const { claims, verification, signedInAt } = await authenticate(scope, accessToken)
  const { password } = parseInput(SetPasswordInputSchema, input, 'password change')
  const now = scope.ctx.now()
  if (now - signedInAt.getTime() > PASSWORD_CHANGE_SIGN_IN_WINDOW_MS) {
    throw new BaseboxError('FORBIDDEN', 'sign in again to change the password', {
      details: { reason: 'reauthentication_needed' },
    })
  }
  const passwordHash = await scope.ctx.hasher.hash(password)
  await scope.store.revokeSessions(claims.sub, { except: claims.sid }, 'password_change', now)
  await scope.store.voidOneTimeTokens(claims.sub, 'password_reset', now)
  await writePasswordHash(scope, claims.sub, passwordHash)
  return toUserWithMetadata(scope, await requireUser(scope, claims.sub), verification)
}

/** See {@link DatabaseAuth.changePassword}. @internal */
export async function changePassword(
  scope: DatabaseAuthScope,
  accessToken: string,
  input: ChangePasswordInput,
): Promise<void> {
  const { claims } = await authenticate(scope, accessToken)
  const { current_password, new_password, ip } = parseInput(
    ChangePasswordInputSchema,
    input,
    'password change',
  )
  const now = scope.ctx.now()
  const row = await requireUser(scope, claims.sub, true)
  const email = String(row.email)
  await scope.throttle.attempt(email, ip, now)
  const stored = typeof row.password_hash === 'string' ? row.password_hash : undefined
  if (!(await verifyPassword(scope, stored, current_password)) || stored === undefined) {
    await scope.throttle.failedFromAddress(ip, now)
    throw unauthenticated('invalid password')
  }
  const passwordHash = await scope.ctx.hasher.hash(new_password)
  // Sessions first: should the password write fail, the user is signed out, never left exposed.
  await scope.store.revokeSessions(claims.sub, { except: claims.sid }, 'password_change', now)
  await scope.store.voidOneTimeTokens(claims.sub, 'password_reset', now)
  await writePasswordHash(scope, claims.sub, passwordHash)
  await scope.throttle.succeeded(email, ip, now)
}

/** See {@link DatabaseAuth.requestPasswordReset}. @internal */
export async function requestPasswordReset(scope: DatabaseAuthScope, email: string): Promise<void> {
  const address = parseInput(EmailSchema, email, 'email')
  if (scope.ctx.sendEmail === undefined || !(await mayEmail(scope, address))) {
    return
  }
  const row = await userBy(scope, { email: address })
  if (row !== undefined) {
    const userId = String(row.id)
    // A disabled user gets no reset (checked after the answer, so it tells nothing).
    scope.ctx.background(async () => {
      if (!(await scope.store.isDisabled(userId))) {
        await sendToken(scope, userId, address, 'password_reset')
      }
    })
  }
}

/** See {@link DatabaseAuth.completePasswordReset}. @internal */
export async function completePasswordReset(
  scope: DatabaseAuthScope,
  input: CompletePasswordResetInput,
): Promise<AuthSession> {
  const { token, new_password, ip, user_agent } = parseInput(
    CompletePasswordResetInputSchema,
    input,
    'password reset',
  )
  const { row, email } = await consumeToken(scope, token, 'password_reset')
  const userId = String(row.id)
  if (await scope.store.isDisabled(userId)) {
    throw userDisabled()
  }
  const passwordHash = await scope.ctx.hasher.hash(new_password)
  const now = scope.ctx.now()
  await scope.store.revokeSessions(userId, 'all', 'password_reset', now)
  await writePasswordHash(scope, userId, passwordHash)
  await scope.store.markVerified(userId, email, now)
  await scope.throttle.cleared(email, now)
  return startSession(scope, row, ip, user_agent)
}
