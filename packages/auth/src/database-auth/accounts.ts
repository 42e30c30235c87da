import { BaseboxError, isBaseboxError, type Row } from '@basebox/core'
import {
  parseInput,
  SignInInputSchema,
  SignUpInputSchema,
  splitUserMetadata,
  UpdateUserInputSchema,
  type SignInInput,
  type SignUpInput,
  type UpdateUserInput,
} from '../inputs.js'
import type { AuthSession, User } from '../user.js'
import { INVALID_CREDENTIALS, unauthenticated, userDisabled } from './auth-errors.js'
import type { DatabaseAuthScope } from './auth-scope.js'
import { mayEmail, send, sendToken } from './emails.js'
import { rehash, verifyPassword } from './passwords.js'
import { authenticate, startSession } from './sessions.js'
import { requireUser, toUserWithMetadata, userBy } from './users.js'

/** See {@link DatabaseAuth.signUp}. @internal */
export async function signUp(scope: DatabaseAuthScope, input: SignUpInput): Promise<void> {
  const { ctx } = scope
  const { email, password, full_name, avatar_url, user_metadata } = parseInput(
    SignUpInputSchema,
    input,
    'sign-up',
  )
  const metadata = splitUserMetadata(user_metadata)
  const passwordHash = await ctx.hasher.hash(password)
  let user: Row | undefined
  try {
    const profile = {
      ...metadata.profile,
      ...(full_name !== undefined ? { full_name } : {}),
      ...(avatar_url !== undefined ? { avatar_url } : {}),
    }
    ;[user] = await scope.db.insert(
      'users',
      { email, password_hash: passwordHash, ...profile },
      { allowSecret: true },
    )
  } catch (error) {
    if (!(isBaseboxError(error) && error.code === 'CONFLICT')) {
      throw error
    }
  }
  if (user !== undefined && Object.keys(metadata.rest).length > 0) {
    await scope.store.writeMetadata(String(user.id), metadata.rest, ctx.now())
  }
  if (ctx.sendEmail === undefined || !(await mayEmail(scope, email))) {
    return
  }
  // After the answer, either way: the answer must not wait on (or reveal) the token's insert.
  const userId = user === undefined ? undefined : String(user.id)
  ctx.background(async () => {
    if (userId === undefined) {
      await send(scope, {
        kind: 'sign_up_existing_account',
        to: email,
        database_id: scope.databaseId,
      })
    } else {
      await sendToken(scope, userId, email, 'email_verification')
    }
  })
}

/** See {@link DatabaseAuth.signIn}. @internal */
export async function signIn(scope: DatabaseAuthScope, input: SignInInput): Promise<AuthSession> {
  const { ctx } = scope
  const { email, password, ip, user_agent } = parseInput(SignInInputSchema, input, 'sign-in')
  const now = ctx.now()
  // Counted as a failure before any hash runs (and cleared on success): N attempts at once
  // cost at most the free attempts' hashes, never N.
  await scope.throttle.attempt(email, ip, now)
  const row = await userBy(scope, { email }, true)
  const stored = typeof row?.password_hash === 'string' ? row.password_hash : undefined
  const ok = await verifyPassword(scope, stored, password)
  if (row === undefined || stored === undefined || !ok) {
    await scope.throttle.failedFromAddress(ip, now)
    throw unauthenticated(INVALID_CREDENTIALS, 'invalid_credentials')
  }
  await scope.throttle.succeeded(email, ip, now)
  const userId = String(row.id)
  // Told only to someone who knows the password.
  if (await scope.store.isDisabled(userId)) {
    throw userDisabled()
  }
  if (ctx.hasher.needsRehash(stored)) {
    await rehash(scope, userId, password)
  }
  if (ctx.requireEmailVerification) {
    const verification = await scope.store.verification(userId)
    if (verification === undefined || verification.email !== row.email) {
      throw new BaseboxError('FORBIDDEN', 'email not verified')
    }
  }
  return startSession(scope, row, ip, user_agent)
}

/** See {@link DatabaseAuth.getUser}. @internal */
export async function getUser(scope: DatabaseAuthScope, accessToken: string): Promise<User> {
  const { claims, verification } = await authenticate(scope, accessToken)
  return toUserWithMetadata(scope, await requireUser(scope, claims.sub), verification)
}

/** See {@link DatabaseAuth.updateUser}. @internal */
export async function updateUser(
  scope: DatabaseAuthScope,
  accessToken: string,
  patch: UpdateUserInput,
): Promise<User> {
  const { claims, verification } = await authenticate(scope, accessToken)
  const { user_metadata, ...fields } = parseInput(UpdateUserInputSchema, patch, 'user update')
  const metadata = splitUserMetadata(user_metadata)
  const changes = { ...metadata.profile, ...fields }
  if (user_metadata !== undefined) {
    await scope.store.mergeMetadata(claims.sub, metadata.rest, scope.ctx.now())
  }
  if (Object.keys(changes).length === 0) {
    return toUserWithMetadata(scope, await requireUser(scope, claims.sub), verification)
  }
  const [row] = await scope.db.update('users', { id: claims.sub }, changes)
  if (row === undefined) {
    throw unauthenticated('user not found', 'user')
  }
  return toUserWithMetadata(scope, row, verification)
}
