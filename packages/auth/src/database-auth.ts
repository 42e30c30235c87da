import { BaseboxError, isBaseboxError, type DatabaseHandle, type Row } from '@basebox/core'
import { ApiKeys, type ApiKeyInfo, type CreatedApiKey, type VerifiedApiKey } from './api-keys.js'
import type { AuthEmail } from './auth-email.js'
import type { AuthContext } from './create-auth.js'
import {
  ChangePasswordInputSchema,
  CompletePasswordResetInputSchema,
  EmailSchema,
  parseInput,
  SignInInputSchema,
  SetPasswordInputSchema,
  SignUpInputSchema,
  splitUserMetadata,
  UpdateUserInputSchema,
  type ChangePasswordInput,
  type CompletePasswordResetInput,
  type CreateApiKeyInput,
  type SignInInput,
  type SetPasswordInput,
  type SignUpInput,
  type UpdateUserInput,
} from './inputs.js'
import { AuthStore, type Verification } from './storage/auth-store.js'
import type { OneTimeTokenPurpose } from './storage/auth-schema.js'
import { SignInThrottle } from './throttle/sign-in-throttle.js'
import {
  checkAccessTokenSignature,
  invalidAccessToken,
  parseAccessToken,
  signAccessToken,
  type AccessTokenClaims,
} from './tokens/access-token.js'
import {
  generateId,
  generateSecretToken,
  hashToken,
  isSecretTokenShape,
} from './tokens/random-token.js'
import { AdminUsers } from './admin-users.js'
import { deriveRefreshToken } from './tokens/refresh-token.js'
import { toUser, type AuthSession, type User } from './user.js'

/** Options of {@link DatabaseAuth.signOut}. */
export interface SignOutOptions {
  /** Default is `'session'`: this session only. `'others'` ends every other one, `'all'` every one. */
  scope?: 'session' | 'others' | 'all'
}

/** Options of {@link DatabaseAuth.rotateJwtSecret}. */
export interface RotateJwtSecretOptions {
  /**
   * Default is `true`: access tokens signed with the old secret stay valid until they expire
   * (at most the access token lifetime). `false` refuses them at once (after a leak).
   */
  keepPrevious?: boolean
}

const INVALID_CREDENTIALS = 'invalid email or password'

/**
 * How long a refresh token that was just exchanged still gives the same new tokens, as GoTrue's
 * reuse interval: two tabs refreshing at once both stay signed in. Past it, reuse ends the family.
 */
export const REFRESH_TOKEN_REUSE_INTERVAL_MS = 10_000

/**
 * How recent the sign-in of a session must be for `setPassword` (as GoTrue's secure password
 * change: 24 hours); an older session signs in again first.
 */
export const PASSWORD_CHANGE_SIGN_IN_WINDOW_MS = 24 * 3_600_000

/** Throttles auth emails per address: the first few go at once, then at most one a minute, then one an hour. */
const EMAIL_RULE = {
  freeFailures: 3,
  baseDelayMs: 60_000,
  maxDelayMs: 3_600_000,
  forgetAfterMs: 3_600_000,
}

function unauthenticated(message: string, reason?: string): BaseboxError {
  return new BaseboxError(
    'UNAUTHENTICATED',
    message,
    reason === undefined ? {} : { details: { reason } },
  )
}

function userDisabled(): BaseboxError {
  return new BaseboxError('FORBIDDEN', 'this account is disabled', {
    details: { reason: 'user_disabled' },
  })
}

/**
 * End-user auth for one project database: sign-up and sign-in with email and password,
 * sessions with rotating refresh tokens, JWT access tokens for the data API, password change
 * and reset, email verification, and API keys. Users live in the database's own `users` table,
 * read and written through its record API; everything else lives in auth's schema. Get one with
 * `auth.forDatabase(db)`.
 *
 * Answers never tell whether an email has an account: a wrong password and an unknown email
 * fail alike (same code, message and work), sign-up and reset requests succeed alike.
 */
export class DatabaseAuth {
  readonly #ctx: AuthContext
  readonly #db: DatabaseHandle
  readonly #store: AuthStore
  readonly #throttle: SignInThrottle
  readonly #apiKeys: ApiKeys
  #admin: AdminUsers | undefined

  /** @internal */
  constructor(ctx: AuthContext, db: DatabaseHandle) {
    this.#ctx = ctx
    this.#db = db
    this.#store = new AuthStore(ctx.db, ctx.schema, db.id)
    this.#throttle = new SignInThrottle(ctx.throttle, ctx.rules, db.id)
    this.#apiKeys = new ApiKeys(ctx.db, db.id, ctx.now)
  }

  /** The project database's id: the `aud` of its access tokens. */
  get databaseId(): string {
    return this.#db.id
  }

  /**
   * Managing users with the project's service access (GoTrue's `auth.admin`): list, get,
   * create, update and delete users. The caller checks that the request holds a service key.
   */
  get admin(): AdminUsers {
    this.#admin ??= new AdminUsers(this.#ctx, this.#db, this.#store, {
      sendPasswordReset: async (userId, email) => {
        if (!(await this.#mayEmail(email))) {
          throw new BaseboxError(
            'LIMIT_EXCEEDED',
            'too many emails to this address: try again later',
            {
              details: { reason: 'email_rate_limit' },
            },
          )
        }
        const expiresAt = await this.#sendToken(userId, email, 'password_reset')
        return { email, expires_at: expiresAt }
      },
    })
    return this.#admin
  }

  /* ---- Accounts ---- */

  /**
   * Creates an account. Resolves the same way, after the same work (one hash, one insert),
   * whether or not the email already has an account, so it reveals nothing: sign in next. With
   * `sendEmail`, a new account gets an `email_verification` email and a taken address gets a
   * `sign_up_existing_account` notice. The password is checked (8 to 256 characters) before
   * it is hashed.
   */
  async signUp(input: SignUpInput): Promise<void> {
    const { email, password, full_name, avatar_url, user_metadata } = parseInput(
      SignUpInputSchema,
      input,
      'sign-up',
    )
    const metadata = splitUserMetadata(user_metadata)
    const passwordHash = await this.#ctx.hasher.hash(password)
    let user: Row | undefined
    try {
      const profile = {
        ...metadata.profile,
        ...(full_name !== undefined ? { full_name } : {}),
        ...(avatar_url !== undefined ? { avatar_url } : {}),
      }
      ;[user] = await this.#db.insert(
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
      await this.#store.writeMetadata(String(user.id), metadata.rest, this.#ctx.now())
    }
    if (this.#ctx.sendEmail === undefined || !(await this.#mayEmail(email))) {
      return
    }
    // After the answer, either way: the answer must not wait on (or reveal) the token's insert.
    const userId = user === undefined ? undefined : String(user.id)
    this.#ctx.background(async () => {
      if (userId === undefined) {
        await this.#send({
          kind: 'sign_up_existing_account',
          to: email,
          database_id: this.databaseId,
        })
      } else {
        await this.#sendToken(userId, email, 'email_verification')
      }
    })
  }

  /**
   * Signs in with email and password and starts a session. Unknown email, no password set and
   * wrong password all fail with the same `UNAUTHENTICATED` error after the same work (a hash
   * is verified either way). Repeated failures are throttled per account, per account and
   * address, and per address (pass `ip`): `LIMIT_EXCEEDED` with `details.retry_after_ms`. A hash
   * made with older parameters is upgraded.
   */
  async signIn(input: SignInInput): Promise<AuthSession> {
    const { email, password, ip, user_agent } = parseInput(SignInInputSchema, input, 'sign-in')
    const now = this.#ctx.now()
    // Counted as a failure before any hash runs (and cleared on success): N attempts at once
    // cost at most the free attempts' hashes, never N.
    await this.#throttle.attempt(email, ip, now)
    const row = await this.#userBy({ email }, true)
    const stored = typeof row?.password_hash === 'string' ? row.password_hash : undefined
    const ok = await this.#verifyPassword(stored, password)
    if (row === undefined || stored === undefined || !ok) {
      await this.#throttle.failedFromAddress(ip, now)
      throw unauthenticated(INVALID_CREDENTIALS, 'invalid_credentials')
    }
    await this.#throttle.succeeded(email, ip, now)
    const userId = String(row.id)
    // Told only to someone who knows the password.
    if (await this.#store.isDisabled(userId)) {
      throw userDisabled()
    }
    if (this.#ctx.hasher.needsRehash(stored)) {
      await this.#rehash(userId, password)
    }
    if (this.#ctx.requireEmailVerification) {
      const verification = await this.#store.verification(userId)
      if (verification === undefined || verification.email !== row.email) {
        throw new BaseboxError('FORBIDDEN', 'email not verified')
      }
    }
    return this.#startSession(row, ip, user_agent)
  }

  /** Ends this session (default), every other session of the user, or all of them. */
  async signOut(accessToken: string, options: SignOutOptions = {}): Promise<void> {
    const scope = options.scope ?? 'session'
    if (scope !== 'session' && scope !== 'others' && scope !== 'all') {
      throw new BaseboxError('VALIDATION_FAILED', 'scope must be "session", "others" or "all"')
    }
    const claims = await this.verifyAccessToken(accessToken)
    const which =
      scope === 'all' ? 'all' : scope === 'session' ? { only: claims.sid } : { except: claims.sid }
    await this.#store.revokeSessions(claims.sub, which, 'sign_out', this.#ctx.now())
  }

  /** The signed-in user. Also checks that the token's session is still live (not signed out). */
  async getUser(accessToken: string): Promise<User> {
    const { claims, verification } = await this.#authenticate(accessToken)
    return this.#toUser(await this.#requireUser(claims.sub), verification)
  }

  /**
   * Changes the signed-in user's profile fields (`full_name`, `avatar_url`) and user metadata
   * (merged key by key; `null` removes a key).
   */
  async updateUser(accessToken: string, patch: UpdateUserInput): Promise<User> {
    const { claims, verification } = await this.#authenticate(accessToken)
    const { user_metadata, ...fields } = parseInput(UpdateUserInputSchema, patch, 'user update')
    const metadata = splitUserMetadata(user_metadata)
    const changes = { ...metadata.profile, ...fields }
    if (user_metadata !== undefined) {
      await this.#store.mergeMetadata(claims.sub, metadata.rest, this.#ctx.now())
    }
    if (Object.keys(changes).length === 0) {
      return this.#toUser(await this.#requireUser(claims.sub), verification)
    }
    const [row] = await this.#db.update('users', { id: claims.sub }, changes)
    if (row === undefined) {
      throw unauthenticated('user not found', 'user')
    }
    return this.#toUser(row, verification)
  }

  /**
   * Sets a new password for the signed-in user without the current one (GoTrue's
   * `updateUser({ password })`), when the session's sign-in is recent (within
   * {@link PASSWORD_CHANGE_SIGN_IN_WINDOW_MS}); otherwise `FORBIDDEN` with
   * `details.reason: 'reauthentication_needed'` (sign in again, or use `changePassword`).
   * Every other session of the user ends, and pending reset tokens are void.
   */
  async setPassword(accessToken: string, input: SetPasswordInput): Promise<User> {
    const { claims, verification, signedInAt } = await this.#authenticate(accessToken)
    const { password } = parseInput(SetPasswordInputSchema, input, 'password change')
    const now = this.#ctx.now()
    if (now - signedInAt.getTime() > PASSWORD_CHANGE_SIGN_IN_WINDOW_MS) {
      throw new BaseboxError('FORBIDDEN', 'sign in again to change the password', {
        details: { reason: 'reauthentication_needed' },
      })
    }
    const passwordHash = await this.#ctx.hasher.hash(password)
    await this.#store.revokeSessions(claims.sub, { except: claims.sid }, 'password_change', now)
    await this.#store.voidOneTimeTokens(claims.sub, 'password_reset', now)
    await this.#db.update(
      'users',
      { id: claims.sub },
      { password_hash: passwordHash },
      { allowSecret: true, returning: false },
    )
    return this.#toUser(await this.#requireUser(claims.sub), verification)
  }

  /**
   * Changes the signed-in user's password, given the current one (failures are throttled like
   * sign-ins). Every other session of the user ends, and pending reset tokens are void.
   */
  async changePassword(accessToken: string, input: ChangePasswordInput): Promise<void> {
    const { claims } = await this.#authenticate(accessToken)
    const { current_password, new_password, ip } = parseInput(
      ChangePasswordInputSchema,
      input,
      'password change',
    )
    const now = this.#ctx.now()
    const row = await this.#requireUser(claims.sub, true)
    const email = String(row.email)
    await this.#throttle.attempt(email, ip, now)
    const stored = typeof row.password_hash === 'string' ? row.password_hash : undefined
    if (!(await this.#verifyPassword(stored, current_password)) || stored === undefined) {
      await this.#throttle.failedFromAddress(ip, now)
      throw unauthenticated('invalid password')
    }
    const passwordHash = await this.#ctx.hasher.hash(new_password)
    // Sessions first: should the password write fail, the user is signed out, never left exposed.
    await this.#store.revokeSessions(claims.sub, { except: claims.sid }, 'password_change', now)
    await this.#store.voidOneTimeTokens(claims.sub, 'password_reset', now)
    await this.#db.update(
      'users',
      { id: claims.sub },
      { password_hash: passwordHash },
      { allowSecret: true, returning: false },
    )
    await this.#throttle.succeeded(email, ip, now)
  }

  /**
   * Emails a password reset token (single use, expiring) when the address has an account, and
   * does nothing otherwise; resolves the same either way. At most a few emails per address per
   * hour.
   */
  async requestPasswordReset(email: string): Promise<void> {
    const address = parseInput(EmailSchema, email, 'email')
    if (this.#ctx.sendEmail === undefined || !(await this.#mayEmail(address))) {
      return
    }
    const row = await this.#userBy({ email: address })
    if (row !== undefined) {
      const userId = String(row.id)
      // A disabled user gets no reset (checked after the answer, so it tells nothing).
      this.#ctx.background(async () => {
        if (!(await this.#store.isDisabled(userId))) {
          await this.#sendToken(userId, address, 'password_reset')
        }
      })
    }
  }

  /**
   * Sets a new password with a reset token, which is then used up. Every session of the user
   * ends, the email counts as verified (the token came through it), sign-in throttling of the
   * account is cleared, and a new session starts.
   */
  async completePasswordReset(input: CompletePasswordResetInput): Promise<AuthSession> {
    const { token, new_password, ip, user_agent } = parseInput(
      CompletePasswordResetInputSchema,
      input,
      'password reset',
    )
    const { row, email } = await this.#consume(token, 'password_reset')
    const userId = String(row.id)
    if (await this.#store.isDisabled(userId)) {
      throw userDisabled()
    }
    const passwordHash = await this.#ctx.hasher.hash(new_password)
    const now = this.#ctx.now()
    await this.#store.revokeSessions(userId, 'all', 'password_reset', now)
    await this.#db.update(
      'users',
      { id: userId },
      { password_hash: passwordHash },
      { allowSecret: true, returning: false },
    )
    await this.#store.markVerified(userId, email, now)
    await this.#throttle.cleared(email, now)
    return this.#startSession(row, ip, user_agent)
  }

  /** Emails the signed-in user a token that proves their address (nothing when it is already verified). */
  async requestEmailVerification(accessToken: string): Promise<void> {
    const { claims, verification } = await this.#authenticate(accessToken)
    const row = await this.#requireUser(claims.sub)
    const email = String(row.email)
    if (
      verification?.email === email ||
      this.#ctx.sendEmail === undefined ||
      !(await this.#mayEmail(email))
    ) {
      return
    }
    this.#ctx.background(async () => {
      await this.#sendToken(claims.sub, email, 'email_verification')
    })
  }

  /** Proves an email address with a verification token, which is then used up. Returns the user. */
  async verifyEmail(token: string): Promise<User> {
    const { row, email } = await this.#consume(token, 'email_verification')
    return this.#toUser(row, await this.#store.markVerified(String(row.id), email, this.#ctx.now()))
  }

  /* ---- Tokens ---- */

  /**
   * Exchanges a refresh token for new tokens. Each refresh token works once: presenting one
   * that was already exchanged means it was copied, and ends its whole session, except within
   * {@link REFRESH_TOKEN_REUSE_INTERVAL_MS} of its exchange while its successor is unused (two
   * tabs refreshing at once): then it gets the same new tokens again, as GoTrue answers.
   */
  async refresh(refreshToken: string): Promise<AuthSession> {
    if (!isSecretTokenShape(refreshToken)) {
      throw unauthenticated('invalid refresh token')
    }
    let now = this.#ctx.now()
    const tokenHash = hashToken(refreshToken)
    // The successor is derived from the token with this database's secret (never stored): a
    // second exchange in the reuse interval finds the same one.
    const key = await this.#ctx.keyring.signingKey(this.databaseId)
    const next = deriveRefreshToken(key.secret, this.databaseId, refreshToken)
    const nextTokenHash = hashToken(next)
    let session: { session_id: string; user_id: string } | undefined =
      await this.#store.rotateRefreshToken({
        tokenHash,
        nextTokenHash,
        nowMs: now,
        expiresMs: now + this.#ctx.sessionTtlSeconds * 1000,
      })
    if (session === undefined) {
      const again = await this.#store.rotatedWithinGrace({
        tokenHash,
        nextTokenHash,
        nowMs: now,
        graceMs: REFRESH_TOKEN_REUSE_INTERVAL_MS,
      })
      if (again === undefined) {
        const reused = await this.#store.revokeFamilyOfReusedToken(tokenHash, now)
        throw unauthenticated('invalid refresh token', reused ? 'reused' : undefined)
      }
      // Signed as at the exchange: the same access token as the first answer.
      session = again
      now = again.rotated_at.getTime()
    }
    const row = await this.#userBy({ id: session.user_id })
    if (row === undefined) {
      await this.#store.revokeSessions(session.user_id, 'all', 'user_deleted', now)
      throw unauthenticated('invalid refresh token')
    }
    // Disabling ends every session; this also covers a refresh racing the disable.
    if (await this.#store.isDisabled(session.user_id)) {
      await this.#store.revokeSessions(session.user_id, 'all', 'user_disabled', now)
      throw unauthenticated('invalid refresh token', 'user_disabled')
    }
    return this.#session(
      row,
      await this.#store.verification(session.user_id),
      session.session_id,
      next,
      now,
    )
  }

  /**
   * Checks an access token and returns its claims, without any database statement once this
   * database's secrets are loaded: HS256 only (`alg: none` and every other algorithm refused),
   * this database's secret (current, or previous until it lapses), this database as `aud`, not
   * expired, not issued in the future, at most 8 KB. Stateless: a signed-out session's tokens
   * pass until they expire (use {@link getUser} to check the session too).
   */
  async verifyAccessToken(token: string): Promise<AccessTokenClaims> {
    const now = this.#ctx.now()
    const parsed = parseAccessToken(token, this.databaseId, now)
    const keyring = this.#ctx.keyring
    const keys = keyring.cached(this.databaseId) ?? (await keyring.keys(this.databaseId))
    if (checkAccessTokenSignature(parsed, keys, now)) {
      return parsed.claims
    }
    // A kid this process has not seen: another process may have rotated the secret.
    if (
      parsed.kid !== undefined &&
      !keys.some((key) => key.kid === parsed.kid) &&
      (await keyring.reloadForUnknownKid(this.databaseId)) &&
      checkAccessTokenSignature(parsed, await keyring.keys(this.databaseId), now)
    ) {
      return parsed.claims
    }
    throw invalidAccessToken('signature')
  }

  /** Replaces this database's JWT secret. See {@link RotateJwtSecretOptions}. */
  async rotateJwtSecret(options: RotateJwtSecretOptions = {}): Promise<void> {
    await this.#ctx.keyring.rotate(this.databaseId, {
      keepPrevious: options.keepPrevious ?? true,
      previousValidForMs: this.#ctx.accessTokenTtlSeconds * 1000,
    })
  }

  /* ---- API keys ---- */

  /** Creates an API key. The returned `key` is shown this once: only its digest is kept. */
  async createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    return this.#apiKeys.create(input)
  }

  /** Every API key of the database, oldest first, by prefix only. */
  async listApiKeys(): Promise<ApiKeyInfo[]> {
    return this.#apiKeys.list()
  }

  /**
   * Revokes an API key: it stops working at once in this process, and within 30 s (the key
   * cache) in other server processes. `NOT_FOUND` for an unknown id.
   */
  async revokeApiKey(id: string): Promise<ApiKeyInfo> {
    return this.#apiKeys.revoke(id)
  }

  /** Checks an API key of this database and returns its kind; `UNAUTHENTICATED` when unknown or revoked. */
  async verifyApiKey(key: string): Promise<VerifiedApiKey> {
    return this.#apiKeys.verify(key)
  }

  /* ---- Internals ---- */

  async #verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
    // Without a usable hash, verify against a dummy one: the answer costs the same time. A
    // stored hash outside the hasher's policy (costs above the configured ones: a tampered row)
    // is never run; it fails like a wrong password, after the same work.
    if (stored === undefined || this.#ctx.hasher.withinPolicy?.(stored) === false) {
      await this.#ctx.hasher.verify(await this.#ctx.dummyHash(), password)
      return false
    }
    return this.#ctx.hasher.verify(stored, password)
  }

  async #rehash(userId: string, password: string): Promise<void> {
    try {
      const passwordHash = await this.#ctx.hasher.hash(password)
      await this.#db.update(
        'users',
        { id: userId },
        { password_hash: passwordHash },
        { allowSecret: true, returning: false },
      )
    } catch (error) {
      // The sign-in stands; the upgrade is tried again next time.
      this.#ctx.onError(error)
    }
  }

  async #userBy(
    where: { email: string } | { id: string },
    withSecret = false,
  ): Promise<Row | undefined> {
    const { rows } = await this.#db.select(
      'users',
      { where, limit: 1 },
      { allowSecret: withSecret },
    )
    return rows[0]
  }

  async #requireUser(id: string, withSecret = false): Promise<Row> {
    const row = await this.#userBy({ id }, withSecret)
    if (row === undefined) {
      throw unauthenticated('user not found', 'user')
    }
    return row
  }

  async #authenticate(accessToken: string): Promise<{
    claims: AccessTokenClaims
    verification: Verification | undefined
    signedInAt: Date
  }> {
    const claims = await this.verifyAccessToken(accessToken)
    const live = await this.#store.liveSession(claims.sid, claims.sub, this.#ctx.now())
    if (live === undefined) {
      throw unauthenticated('session ended', 'session')
    }
    return { claims, verification: live.verification, signedInAt: live.signedInAt }
  }

  async #startSession(row: Row, ip?: string, userAgent?: string): Promise<AuthSession> {
    const now = this.#ctx.now()
    const sessionId = generateId(15)
    const refreshToken = generateSecretToken()
    const verification = await this.#store.createSession({
      sessionId,
      userId: String(row.id),
      refreshTokenHash: hashToken(refreshToken),
      nowMs: now,
      expiresMs: now + this.#ctx.sessionTtlSeconds * 1000,
      ip,
      userAgent,
    })
    return this.#session(row, verification, sessionId, refreshToken, now)
  }

  async #session(
    row: Row,
    verification: Verification | undefined,
    sessionId: string,
    refreshToken: string,
    now: number,
  ): Promise<AuthSession> {
    const key = await this.#ctx.keyring.signingKey(this.databaseId)
    const iat = Math.floor(now / 1000)
    const exp = iat + this.#ctx.accessTokenTtlSeconds
    const accessToken = signAccessToken(
      {
        sub: String(row.id),
        role: 'authenticated',
        aud: this.databaseId,
        exp,
        iat,
        sid: sessionId,
      },
      key,
    )
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: this.#ctx.accessTokenTtlSeconds,
      expires_at: exp,
      refresh_token: refreshToken,
      user: await this.#toUser(row, verification),
    }
  }

  async #toUser(row: Row, verification: Verification | undefined): Promise<User> {
    const id = String(row.id)
    return toUser(row, verification, (await this.#store.metadata([id])).get(id))
  }

  async #consume(
    token: string,
    purpose: OneTimeTokenPurpose,
  ): Promise<{ row: Row; email: string }> {
    if (!isSecretTokenShape(token)) {
      throw unauthenticated('invalid or expired token')
    }
    const used = await this.#store.consumeOneTimeToken(token, purpose, this.#ctx.now())
    const row = used === undefined ? undefined : await this.#userBy({ id: used.user_id })
    // A token is void once the account's email changed since it was sent.
    if (used === undefined || row === undefined || row.email !== used.email) {
      throw unauthenticated('invalid or expired token')
    }
    return { row, email: used.email }
  }

  /** Whether another auth email may go to this address now (counts this one). */
  async #mayEmail(email: string): Promise<boolean> {
    const key = hashToken(`${this.databaseId}\u0000email\u0000${email}`)
    const now = this.#ctx.now()
    const [status] = await this.#ctx.throttle.peek([key], now)
    if ((status?.retryAfterMs ?? 0) > 0) {
      return false
    }
    await this.#ctx.throttle.fail([{ key, rule: EMAIL_RULE }], now)
    return true
  }

  async #sendToken(userId: string, email: string, purpose: OneTimeTokenPurpose): Promise<string> {
    const now = this.#ctx.now()
    const ttl =
      purpose === 'password_reset'
        ? this.#ctx.passwordResetTtlSeconds
        : this.#ctx.emailVerificationTtlSeconds
    const token = generateSecretToken()
    const expiresMs = now + ttl * 1000
    await this.#store.issueOneTimeToken({ token, userId, email, purpose, nowMs: now, expiresMs })
    await this.#send({
      kind: purpose,
      to: email,
      database_id: this.databaseId,
      token,
      expires_at: new Date(expiresMs).toISOString(),
    })
    return new Date(expiresMs).toISOString()
  }

  async #send(message: AuthEmail): Promise<void> {
    await this.#ctx.sendEmail?.(message)
  }
}
