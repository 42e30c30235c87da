import type { DatabaseHandle } from '@basebox/core'
import { AdminUsers } from '../admin-users.js'
import { APIKeys, type APIKeyInfo, type CreatedAPIKey, type VerifiedAPIKey } from '../api-keys.js'
import type { AuthContext } from '../create-auth.js'
import type {
  ChangePasswordInput,
  CompletePasswordResetInput,
  CreateAPIKeyInput,
  SetPasswordInput,
  SignInInput,
  SignUpInput,
  UpdateUserInput,
} from '../inputs.js'
import { AuthStore } from '../storage/auth-store.js'
import { SignInThrottle } from '../throttle/sign-in-throttle.js'
import type { AccessTokenClaims } from '../tokens/access-token.js'
import type { AuthSession, User } from '../user.js'
import * as accounts from './accounts.js'
import type { DatabaseAuthScope } from './auth-scope.js'
import * as emails from './emails.js'
import * as passwords from './passwords.js'
import * as sessions from './sessions.js'
import type { RotateJWTSecretOptions, SignOutOptions } from './sessions.js'

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
  readonly #scope: DatabaseAuthScope
  readonly #apiKeys: APIKeys
  #admin: AdminUsers | undefined

  /** @internal */
  constructor(ctx: AuthContext, db: DatabaseHandle) {
    this.#scope = {
      ctx,
      db,
      store: new AuthStore(ctx.db, ctx.schema, db.id),
      throttle: new SignInThrottle(ctx.throttle, ctx.rules, db.id),
      databaseId: db.id,
    }
    this.#apiKeys = new APIKeys({
      db: ctx.db,
      databaseId: db.id,
      now: ctx.now,
      background: ctx.background,
    })
  }

  /** The project database's id: the `aud` of its access tokens. */
  get databaseId(): string {
    return this.#scope.db.id
  }

  /**
   * Managing users with the project's service access (GoTrue's `auth.admin`): list, get,
   * create, update and delete users. The caller checks that the request holds a service key.
   */
  get admin(): AdminUsers {
    const { ctx, db, store } = this.#scope
    this.#admin ??= new AdminUsers(ctx, db, store, emails.adminMail(this.#scope))
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
    return accounts.signUp(this.#scope, input)
  }

  /**
   * Signs in with email and password and starts a session. Unknown email, no password set and
   * wrong password all fail with the same `UNAUTHENTICATED` error after the same work (a hash
   * is verified either way). Repeated failures are throttled per account, per account and
   * address, and per address (pass `ip`): `LIMIT_EXCEEDED` with `details.retry_after_ms`. A hash
   * made with older parameters is upgraded.
   */
  async signIn(input: SignInInput): Promise<AuthSession> {
    return accounts.signIn(this.#scope, input)
  }

  /** Ends this session (default), every other session of the user, or all of them. */
  async signOut(accessToken: string, options: SignOutOptions = {}): Promise<void> {
    return sessions.signOut(this.#scope, accessToken, options)
  }

  /** The signed-in user. Also checks that the token's session is still live (not signed out). */
  async getUser(accessToken: string): Promise<User> {
    return accounts.getUser(this.#scope, accessToken)
  }

  /**
   * Changes the signed-in user's profile fields (`full_name`, `avatar_url`) and user metadata
   * (merged key by key; `null` removes a key).
   */
  async updateUser(accessToken: string, patch: UpdateUserInput): Promise<User> {
    return accounts.updateUser(this.#scope, accessToken, patch)
  }

  /* ---- Passwords and emails ---- */

  /**
   * Sets a new password for the signed-in user without the current one (GoTrue's
   * `updateUser({ password })`), when the session's sign-in is recent (within
   * {@link PASSWORD_CHANGE_SIGN_IN_WINDOW_MS}); otherwise `FORBIDDEN` with
   * `details.reason: 'reauthentication_needed'` (sign in again, or use `changePassword`).
   * Every other session of the user ends, and pending reset tokens are void.
   */
  async setPassword(accessToken: string, input: SetPasswordInput): Promise<User> {
    return passwords.setPassword(this.#scope, accessToken, input)
  }

  /**
   * Changes the signed-in user's password, given the current one (failures are throttled like
   * sign-ins). Every other session of the user ends, and pending reset tokens are void.
   */
  async changePassword(accessToken: string, input: ChangePasswordInput): Promise<void> {
    return passwords.changePassword(this.#scope, accessToken, input)
  }

  /**
   * Emails a password reset token (single use, expiring) when the address has an account, and
   * does nothing otherwise; resolves the same either way. At most a few emails per address per
   * hour.
   */
  async requestPasswordReset(email: string): Promise<void> {
    return passwords.requestPasswordReset(this.#scope, email)
  }

  /**
   * Sets a new password with a reset token, which is then used up. Every session of the user
   * ends, the email counts as verified (the token came through it), sign-in throttling of the
   * account is cleared, and a new session starts.
   */
  async completePasswordReset(input: CompletePasswordResetInput): Promise<AuthSession> {
    return passwords.completePasswordReset(this.#scope, input)
  }

  /** Emails the signed-in user a token that proves their address (nothing when it is already verified). */
  async requestEmailVerification(accessToken: string): Promise<void> {
    return emails.requestEmailVerification(this.#scope, accessToken)
  }

  /** Proves an email address with a verification token, which is then used up. Returns the user. */
  async verifyEmail(token: string): Promise<User> {
    return emails.verifyEmail(this.#scope, token)
  }

  /* ---- Tokens ---- */

  /**
   * Exchanges a refresh token for new tokens. Each refresh token works once: presenting one
   * that was already exchanged means it was copied, and ends its whole session, except within
   * {@link REFRESH_TOKEN_REUSE_INTERVAL_MS} of its exchange while its successor is unused (two
   * tabs refreshing at once): then it gets the same new tokens again, as GoTrue answers.
   */
  async refresh(refreshToken: string): Promise<AuthSession> {
    return sessions.refresh(this.#scope, refreshToken)
  }

  /**
   * Checks an access token and returns its claims, without any database statement once this
   * database's secrets are loaded: HS256 only (`alg: none` and every other algorithm refused),
   * this database's secret (current, or previous until it lapses), this database as `aud`, not
   * expired, not issued in the future, at most 8 KB. Stateless: a signed-out session's tokens
   * pass until they expire (use {@link getUser} to check the session too).
   */
  async verifyAccessToken(token: string): Promise<AccessTokenClaims> {
    return sessions.verifyAccessToken(this.#scope, token)
  }

  /** Replaces this database's JWT secret. See {@link RotateJWTSecretOptions}. */
  async rotateJWTSecret(options: RotateJWTSecretOptions = {}): Promise<void> {
    return sessions.rotateJWTSecret(this.#scope, options)
  }

  /* ---- API keys ---- */

  /** Creates an API key. The returned `key` is shown this once: only its digest is kept. */
  async createAPIKey(input: CreateAPIKeyInput): Promise<CreatedAPIKey> {
    return this.#apiKeys.create(input)
  }

  /** Every API key of the database, oldest first, by prefix only. */
  async listAPIKeys(): Promise<APIKeyInfo[]> {
    return this.#apiKeys.list()
  }

  /**
   * Revokes an API key: it stops working at once in this process, and within 30 s (the key
   * cache) in other server processes. `NOT_FOUND` for an unknown id.
   */
  async revokeAPIKey(id: string): Promise<APIKeyInfo> {
    return this.#apiKeys.revoke(id)
  }

  /** Checks an API key of this database and returns its kind; `UNAUTHENTICATED` when unknown or revoked. */
  async verifyAPIKey(key: string): Promise<VerifiedAPIKey> {
    return this.#apiKeys.verify(key)
  }
}
