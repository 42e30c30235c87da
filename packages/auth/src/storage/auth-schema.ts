import { BaseboxError, type Basebox } from '@basebox/core'
import type { Generated, Kysely } from 'kysely'

/** The longest name Postgres keeps for a schema. */
const MAX_IDENTIFIER_BYTES = 63

/**
 * The schema that holds the auth package's own tables, next to the engine's catalog:
 * `${catalogSchema}_auth` (for example `basebox_auth`).
 */
export function authSchemaName(catalogSchema: string): string {
  const name = `${catalogSchema}_auth`
  if (
    !/^[a-z][a-z0-9_]*$/.test(name) ||
    new TextEncoder().encode(name).length > MAX_IDENTIFIER_BYTES
  ) {
    throw new BaseboxError('INVALID_IDENTIFIER', `invalid auth schema ${JSON.stringify(name)}`)
  }
  return name
}

/** One row of `sessions`: a signed-in device, the family of its refresh tokens. @internal */
export interface SessionTable {
  /** Public id (random, not a secret): the `sid` claim of its access tokens. */
  id: string
  database_id: string
  user_id: string
  created_at: Date
  refreshed_at: Date
  /** Sliding: every refresh moves it to now + the session lifetime. */
  expires_at: Date
  revoked_at: Date | null
  revoked_reason: string | null
  ip: string | null
  user_agent: string | null
}

/** One row of `refresh_tokens`: only the SHA-256 of the token is stored. @internal */
export interface RefreshTokenTable {
  token_hash: string
  session_id: string
  created_at: Date
  /** Set when the token was exchanged; presenting it again revokes the session. */
  rotated_at: Date | null
}

/** Purposes of {@link OneTimeTokenTable} rows. */
export const ONE_TIME_TOKEN_PURPOSES = ['password_reset', 'email_verification'] as const

/** One of {@link ONE_TIME_TOKEN_PURPOSES}. */
export type OneTimeTokenPurpose = (typeof ONE_TIME_TOKEN_PURPOSES)[number]

/** One row of `one_time_tokens`: hashed, single-use, expiring. @internal */
export interface OneTimeTokenTable {
  token_hash: string
  database_id: string
  user_id: string
  purpose: OneTimeTokenPurpose
  /** The address the token was sent to: the token is void once the user's email changes. */
  email: string
  created_at: Date
  expires_at: Date
  used_at: Date | null
}

/** One row of `email_verifications`: which address of a user was proven, and when. @internal */
export interface EmailVerificationTable {
  database_id: string
  user_id: string
  email: string
  verified_at: Date
}

/** One row of `api_keys`. @internal */
export interface APIKeyTable {
  id: Generated<string>
  database_id: string
  name: string
  kind: 'anon' | 'service'
  /** The public start of the key, shown in lists: `bb_anon_<id>`. */
  prefix: string
  /** SHA-256 of the whole key, hex. */
  key_hash: string
  created_at: Date
  revoked_at: Date | null
  /** When the key last let a request in, to within `LAST_USED_INTERVAL_MS`; `null` if never. */
  last_used_at: Date | null
}

/** One row of `jwt_secrets`: at most a current and a previous secret per database. @internal */
export interface JWTSecretTable {
  database_id: string
  kid: string
  /** 32 random bytes, base64url. */
  secret: string
  created_at: Date
  /** Null for the current secret. */
  retired_at: Date | null
  /** Tokens signed with a retired secret are accepted until then. */
  valid_until: Date | null
}

/** One row of `throttle` (the {@link PostgresThrottleStore}). Times are epoch milliseconds. @internal */
export interface ThrottleTable {
  key: string
  failures: number
  last_failure_ms: number
  blocked_until_ms: number
  known_until_ms: number
  /** When the row can be deleted: nothing in it matters any more. */
  expires_ms: number
}

/** One row of `user_metadata`: a user's own metadata keys (not the profile columns). @internal */
export interface UserMetadataTable {
  database_id: string
  user_id: string
  data: Record<string, unknown>
  updated_at: Date
}

/** One row of `disabled_users`: a user the project's admin disabled. @internal */
export interface DisabledUserTable {
  database_id: string
  user_id: string
  disabled_at: Date
}

/** The auth schema's tables, for kysely. @internal */
export interface AuthDB {
  user_metadata: UserMetadataTable
  disabled_users: DisabledUserTable
  sessions: SessionTable
  refresh_tokens: RefreshTokenTable
  one_time_tokens: OneTimeTokenTable
  email_verifications: EmailVerificationTable
  api_keys: APIKeyTable
  jwt_secrets: JWTSecretTable
  throttle: ThrottleTable
}

/**
 * The engine's kysely instance, typed for the auth schema and pointed at it. Queries run as the
 * engine's own user (no project role, no row-level security). @internal
 */
export function authKysely(basebox: Basebox): Kysely<AuthDB> {
  return (basebox.kysely as unknown as Kysely<AuthDB>).withSchema(
    authSchemaName(basebox.catalog.schema),
  )
}
