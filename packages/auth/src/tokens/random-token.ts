import { sha256 } from '@oslojs/crypto/sha2'
import {
  encodeBase32LowerCaseNoPadding,
  encodeBase64urlNoPadding,
  encodeHexLowerCase,
} from '@oslojs/encoding'

/**
 * A new secret token: 32 random bytes (256 bits) from the platform's CSPRNG, base64url without
 * padding (43 characters).
 */
export function generateSecretToken(): string {
  return encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32)))
}

/** A new public identifier: `bytes` random bytes in lowercase base32 (no padding). */
export function generateId(bytes = 15): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(bytes)))
}

/** SHA-256 of a token's UTF-8 bytes, lowercase hex: what the database stores instead of the token. */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)))
}

/** A secret token as it may arrive from a client: base64url, 43 characters (so checked before any lookup). */
export function isSecretTokenShape(token: unknown): token is string {
  return typeof token === 'string' && token.length === 43 && /^[A-Za-z0-9_-]+$/.test(token)
}
