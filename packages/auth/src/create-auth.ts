import type { Basebox, DatabaseHandle } from '@basebox/core'
import type { Kysely } from 'kysely'
import type { AuthEmail } from './auth-email.js'
import { DatabaseAuth } from './database-auth/index.js'
import { createArgon2idHasher, type PasswordHasher } from './password/password-hasher.js'
import { limitHashing, type HashQueueOptions } from './password/hash-queue.js'
import { migrateAuth } from './storage/auth-migrations.js'
import { authKysely, authSchemaName, type AuthDB } from './storage/auth-schema.js'
import { MemoryThrottleStore } from './throttle/memory-throttle-store.js'
import {
  DEFAULT_SIGN_IN_THROTTLE_RULES,
  type SignInThrottleRules,
} from './throttle/sign-in-throttle.js'
import type { ThrottleStore } from './throttle/throttle-store.js'
import { JWTKeyring } from './tokens/jwt-keyring.js'

/** Configuration of {@link createAuth}. */
export interface AuthConfig {
  /** The engine whose project databases get auth. Auth keeps its tables in `${catalog}_auth`. */
  basebox: Basebox
  /** Where sign-in failures are counted. Default is a new {@link MemoryThrottleStore} (one process). */
  throttle?: ThrottleStore
  /** Throttling rules; each given one replaces the default. Default is {@link DEFAULT_SIGN_IN_THROTTLE_RULES}. */
  throttleRules?: Partial<SignInThrottleRules>
  /**
   * How many password hashes and verifies run at once (default 2) and how many may wait
   * (default 64; past it, `LIMIT_EXCEEDED` at once). Every hasher is wrapped this way.
   */
  hashing?: HashQueueOptions
  /**
   * Sends an auth email (password reset, email verification, sign-up notice). Called after the
   * request has been answered (with the token's insert), so that answers take the same time
   * whether or not an email goes out; a failure goes to `onError`, and `auth.settled()` waits
   * for it. Without it, no email is sent (and reset requests do nothing).
   */
  sendEmail?: (message: AuthEmail) => Promise<void>
  /** Receives failures of background work (sending an email, upgrading a hash). Default is `console.error`. */
  onError?: (error: unknown) => void
  /** Lifetime of access tokens, in seconds. Default is `900` (15 minutes). */
  accessTokenTtlSeconds?: number
  /**
   * Sessions end after this many seconds without a refresh (each refresh moves the end forward).
   * Default is `2_592_000` (30 days).
   */
  sessionTtlSeconds?: number
  /** Lifetime of password reset tokens, in seconds. Default is `3600` (1 hour). */
  passwordResetTtlSeconds?: number
  /** Lifetime of email verification tokens, in seconds. Default is `86_400` (24 hours). */
  emailVerificationTtlSeconds?: number
  /** Whether sign-in is refused (`FORBIDDEN`) until the email is verified. Default is `false`. */
  requireEmailVerification?: boolean
  /**
   * Hashes passwords. Default is {@link createArgon2idHasher} at OWASP's parameters, in the
   * calling thread; on a server pass `createWorkerPasswordHasher()` from `@basebox/auth/node`.
   */
  passwordHasher?: PasswordHasher
  /** The clock, in epoch milliseconds. Default is `Date.now`. For tests. */
  now?: () => number
}

/** What every {@link DatabaseAuth} of one {@link Auth} shares. @internal */
export interface AuthContext {
  readonly db: Kysely<AuthDB>
  readonly schema: string
  readonly keyring: JWTKeyring
  readonly hasher: PasswordHasher
  readonly throttle: ThrottleStore
  readonly rules: SignInThrottleRules
  readonly sendEmail: ((message: AuthEmail) => Promise<void>) | undefined
  readonly onError: (error: unknown) => void
  readonly now: () => number
  readonly accessTokenTtlSeconds: number
  readonly sessionTtlSeconds: number
  readonly passwordResetTtlSeconds: number
  readonly emailVerificationTtlSeconds: number
  readonly requireEmailVerification: boolean
  /** A hash of a random password with the hasher's parameters, verified when a user has none. */
  dummyHash(): Promise<string>
  /** Runs work after the answer (storing and sending email tokens); failures go to `onError`. */
  background(task: () => Promise<void>): void
  /** Resolves when every background task started so far has finished. */
  settled(): Promise<void>
}

function seconds(value: number | undefined, fallback: number, name: string): number {
  const result = value ?? fallback
  if (!Number.isInteger(result) || result < 1 || result > 10 * 365 * 86_400) {
    throw new RangeError(`${name} must be a whole number of seconds, at least 1`)
  }
  return result
}

/**
 * Auth for every project database of one engine. Get the API of one database with
 * {@link Auth.forDatabase}.
 */
export class Auth {
  readonly #ctx: AuthContext

  /** @internal */
  constructor(ctx: AuthContext) {
    this.#ctx = ctx
  }

  /** The schema that holds auth's tables, e.g. `basebox_auth`. */
  get schema(): string {
    return this.#ctx.schema
  }

  /**
   * Resolves when the work auth does after answering (storing email tokens, sending emails)
   * has finished. For tests, and for a graceful shutdown.
   */
  settled(): Promise<void> {
    return this.#ctx.settled()
  }

  /**
   * The auth API of one project database: its users (in its own `users` table), sessions,
   * tokens and API keys.
   */
  forDatabase(db: DatabaseHandle): DatabaseAuth {
    return new DatabaseAuth(this.#ctx, db)
  }
}

/**
 * Creates auth for an engine's project databases: creates or upgrades the auth schema
 * (`${catalog}_auth`, safe when several processes start at once) and returns the
 * {@link Auth} that hands out each database's API.
 *
 * ### Examples
 *
 * ```ts
 * import { createAuth } from '@basebox/auth'
 *
 * const auth = await createAuth({ basebox: bb, sendEmail: async (email) => mailer.send(email) })
 * const users = auth.forDatabase(db)
 * await users.signUp({ email: 'ada@example.com', password: 'correct horse battery staple' })
 * const session = await users.signIn({ email: 'ada@example.com', password: 'correct horse battery staple', ip })
 * const claims = await users.verifyAccessToken(session.access_token) // { sub, role: 'authenticated', aud, exp, iat, sid }
 * ```
 */
export async function createAuth(config: AuthConfig): Promise<Auth> {
  const { basebox } = config
  const schema = authSchemaName(basebox.catalog.schema)
  const hasher = limitHashing(config.passwordHasher ?? createArgon2idHasher(), config.hashing)
  const now = config.now ?? Date.now
  await migrateAuth(basebox)
  const db = authKysely(basebox)
  let dummy: Promise<string> | undefined
  const pending = new Set<Promise<void>>()
  const onError = config.onError ?? ((error: unknown) => console.error('@basebox/auth:', error))
  const ctx: AuthContext = {
    db,
    schema,
    keyring: new JWTKeyring(db, now),
    hasher,
    throttle: config.throttle ?? new MemoryThrottleStore(),
    rules: { ...DEFAULT_SIGN_IN_THROTTLE_RULES, ...config.throttleRules },
    sendEmail: config.sendEmail,
    onError,
    now,
    accessTokenTtlSeconds: seconds(config.accessTokenTtlSeconds, 900, 'accessTokenTtlSeconds'),
    sessionTtlSeconds: seconds(config.sessionTtlSeconds, 30 * 86_400, 'sessionTtlSeconds'),
    passwordResetTtlSeconds: seconds(
      config.passwordResetTtlSeconds,
      3600,
      'passwordResetTtlSeconds',
    ),
    emailVerificationTtlSeconds: seconds(
      config.emailVerificationTtlSeconds,
      86_400,
      'emailVerificationTtlSeconds',
    ),
    requireEmailVerification: config.requireEmailVerification ?? false,
    background(task) {
      const running: Promise<void> = Promise.resolve()
        .then(task)
        .catch(onError)
        .finally(() => pending.delete(running))
      pending.add(running)
    },
    async settled() {
      while (pending.size > 0) {
        await Promise.all([...pending])
      }
    },
    dummyHash() {
      dummy ??= hasher.hash(crypto.randomUUID()).catch((error: unknown) => {
        dummy = undefined
        throw error
      })
      return dummy
    },
  }
  // Made now, not at the first unknown email: that sign-in would otherwise take one hash longer.
  ctx.dummyHash().catch(ctx.onError)
  return new Auth(ctx)
}
