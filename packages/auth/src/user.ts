import type { Row } from '@basebox/core'

/** A user of a project's app, as auth returns it: the `users` row without secrets, plus verification. */
export interface User {
  /** UUID. */
  id: string
  /** Lowercase. */
  email: string
  full_name: string | null
  avatar_url: string | null
  /**
   * GoTrue's `user_metadata`: the keys the user wrote, with `full_name` and `avatar_url` (kept
   * in the `users` table) when set. Never a source of claims or roles.
   */
  user_metadata: Record<string, unknown>
  /** When the current email was proven (ISO 8601), or `null`. */
  email_verified_at: string | null
  /** ISO 8601 timestamp. */
  created_at: string
  /** ISO 8601 timestamp. */
  updated_at: string
}

/** What a sign-in, a refresh or a completed reset returns: tokens in the shape of GoTrue's session. */
export interface AuthSession {
  /** The JWT for the data API (`Authorization: Bearer …`). */
  access_token: string
  token_type: 'bearer'
  /** Seconds the access token lives. */
  expires_in: number
  /** When the access token expires, seconds since the epoch. */
  expires_at: number
  /** Opaque, single use: exchange it with `refresh()` for new tokens. */
  refresh_token: string
  user: User
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) {
    return null
  }
  return value instanceof Date ? value.toISOString() : String(value)
}

/** Picks the public fields of a `users` row (never `password_hash` or another secret column). @internal */
export function toUser(
  row: Row,
  verified: { email: string; verified_at: Date | string } | undefined,
  metadata: Record<string, unknown> = {},
): User {
  const email = String(row.email)
  const full_name = text(row.full_name)
  const avatar_url = text(row.avatar_url)
  return {
    id: String(row.id),
    email,
    full_name,
    avatar_url,
    user_metadata: {
      ...metadata,
      ...(full_name !== null ? { full_name } : {}),
      ...(avatar_url !== null ? { avatar_url } : {}),
    },
    email_verified_at:
      verified !== undefined && verified.email === email ? text(verified.verified_at) : null,
    created_at: text(row.created_at) ?? '',
    updated_at: text(row.updated_at) ?? '',
  }
}
