import { BaseboxError, isUUIDString } from '@basebox/core'
import { hmac } from '@oslojs/crypto/hmac'
import { SHA256 } from '@oslojs/crypto/sha2'
import { constantTimeEqual } from '@oslojs/crypto/subtle'
import { createJWTSignatureMessage, encodeJWT, joseAlgorithmHS256, parseJWT } from '@oslojs/jwt'

/** The longest access token accepted; anything longer is refused before it is even parsed. */
export const MAX_ACCESS_TOKEN_LENGTH = 8192

/** How far in the future `iat`/`nbf` may be (clock skew between servers). */
export const CLOCK_TOLERANCE_SECONDS = 5

/** The claims of a Basebox access token. */
export interface AccessTokenClaims {
  /** The user's id (`users.id`). */
  sub: string
  /** Always `'authenticated'`: the role the data API's policies see for a signed-in user. */
  role: 'authenticated'
  /** The project database the token is for (its id): a token for one project is refused by another. */
  aud: string
  /** Expiry, seconds since the epoch. */
  exp: number
  /** Issue time, seconds since the epoch. */
  iat: number
  /** The session the token belongs to. */
  sid: string
}

/** One HMAC secret of a database. @internal */
export interface SigningKey {
  kid: string
  secret: Uint8Array
  /** For a retired secret: tokens it signed are accepted until then (epoch ms). */
  validUntilMs?: number
  /** For a retired secret: when it stopped signing (epoch ms). */
  retiredAtMs?: number
}

/** Signs access token claims with HS256. @internal */
export function signAccessToken(claims: AccessTokenClaims, key: SigningKey): string {
  const header = JSON.stringify({ alg: joseAlgorithmHS256, typ: 'JWT', kid: key.kid })
  const payload = JSON.stringify({
    sub: claims.sub,
    role: claims.role,
    aud: claims.aud,
    exp: claims.exp,
    iat: claims.iat,
    sid: claims.sid,
  })
  return encodeJWT(
    header,
    payload,
    hmac(SHA256, key.secret, createJWTSignatureMessage(header, payload)),
  )
}

/** The parts of an access token that passed every check that needs no key. @internal */
export interface UnverifiedAccessToken {
  kid: string | undefined
  claims: AccessTokenClaims
  signature: Uint8Array
  message: Uint8Array
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isWholeSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
}

/** The one error of a refused access token; the reason goes in `details` only. */
export function invalidAccessToken(reason: string): BaseboxError {
  return new BaseboxError(
    'UNAUTHENTICATED',
    reason === 'expired' ? 'access token expired' : 'invalid access token',
    {
      details: { reason },
    },
  )
}

/**
 * Every check of an access token that needs no secret, hence no database: size, shape, the
 * header (HS256 only: `none` and every other algorithm are refused, as is `crit`), the claims,
 * the audience (this database), expiry and issue time. @internal
 */
export function parseAccessToken(
  token: unknown,
  audience: string,
  nowMs: number,
): UnverifiedAccessToken {
  if (typeof token !== 'string' || token.length === 0) {
    throw invalidAccessToken('missing')
  }
  if (token.length > MAX_ACCESS_TOKEN_LENGTH) {
    throw invalidAccessToken('too_large')
  }
  if (!JWT_SHAPE.test(token)) {
    throw invalidAccessToken('malformed')
  }
  let parsed: ReturnType<typeof parseJWT>
  try {
    parsed = parseJWT(token)
  } catch {
    throw invalidAccessToken('malformed')
  }
  const [header, payload, signature, message] = parsed
  if (!isPlainObject(header) || !isPlainObject(payload)) {
    throw invalidAccessToken('malformed')
  }
  // The algorithm is pinned: the header only has to agree with it.
  if (
    header.alg !== joseAlgorithmHS256 ||
    (header.typ !== undefined && header.typ !== 'JWT') ||
    'crit' in header
  ) {
    throw invalidAccessToken('algorithm')
  }
  if (header.kid !== undefined && (typeof header.kid !== 'string' || header.kid.length > 64)) {
    throw invalidAccessToken('malformed')
  }
  const { sub, role, aud, exp, iat, nbf, sid } = payload
  if (
    typeof sub !== 'string' ||
    !isUUIDString(sub) ||
    role !== 'authenticated' ||
    typeof sid !== 'string' ||
    !/^[a-z2-7]{1,64}$/.test(sid) ||
    !isWholeSeconds(exp) ||
    !isWholeSeconds(iat) ||
    (nbf !== undefined && !isWholeSeconds(nbf))
  ) {
    throw invalidAccessToken('claims')
  }
  if (aud !== audience) {
    throw invalidAccessToken('audience')
  }
  const now = nowMs / 1000
  if (exp <= now) {
    throw invalidAccessToken('expired')
  }
  if (
    iat > now + CLOCK_TOLERANCE_SECONDS ||
    (typeof nbf === 'number' && nbf > now + CLOCK_TOLERANCE_SECONDS)
  ) {
    throw invalidAccessToken('not_yet_valid')
  }
  if (signature.length !== 32) {
    throw invalidAccessToken('signature')
  }
  return {
    kid: typeof header.kid === 'string' ? header.kid : undefined,
    claims: { sub: sub.toLowerCase(), role, aud, exp, iat, sid },
    signature,
    message,
  }
}

/**
 * Checks the HMAC of a parsed token against the database's keys, in constant time: the key of
 * its `kid` (or each key when it has none). A retired key only counts for tokens issued before
 * it retired, and only until its `validUntilMs`. @internal
 */
export function checkAccessTokenSignature(
  token: UnverifiedAccessToken,
  keys: readonly SigningKey[],
  nowMs: number,
): boolean {
  for (const key of keys) {
    if (token.kid !== undefined && token.kid !== key.kid) {
      continue
    }
    if (key.validUntilMs !== undefined && key.validUntilMs <= nowMs) {
      continue
    }
    if (
      key.retiredAtMs !== undefined &&
      token.claims.iat * 1000 > key.retiredAtMs + CLOCK_TOLERANCE_SECONDS * 1000
    ) {
      continue
    }
    if (constantTimeEqual(hmac(SHA256, key.secret, token.message), token.signature)) {
      return true
    }
  }
  return false
}
