import { hmac } from '@oslojs/crypto/hmac'
import { SHA256 } from '@oslojs/crypto/sha2'
import { encodeBase64urlNoPadding } from '@oslojs/encoding'

/**
 * The refresh token that succeeds `token`: HMAC-SHA256 of it under the database's secret,
 * base64url (43 characters, the shape of every secret token). Only the server can compute it,
 * and the same token always gets the same successor, so an exchange repeated within the reuse
 * interval answers the same new tokens without storing any token in the clear. The first token
 * of a session is random. @internal
 */
export function deriveRefreshToken(secret: Uint8Array, databaseId: string, token: string): string {
  const message = new TextEncoder().encode(`basebox refresh token\u0000${databaseId}\u0000${token}`)
  return encodeBase64urlNoPadding(hmac(SHA256, secret, message))
}
