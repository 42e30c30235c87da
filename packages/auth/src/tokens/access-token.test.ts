import { hmac } from '@oslojs/crypto/hmac'
import { SHA256 } from '@oslojs/crypto/sha2'
import { createJWTSignatureMessage, encodeJWT } from '@oslojs/jwt'
import { describe, expect, it } from 'vitest'
import {
  checkAccessTokenSignature,
  MAX_ACCESS_TOKEN_LENGTH,
  parseAccessToken,
  signAccessToken,
  type SigningKey,
} from './access-token.js'
import { generateAPIKey, parseAPIKey } from './api-key-format.js'

const audience = '3f1c2a9e-7b4d-4e2f-9a6b-1c2d3e4f5a6b'
const now = 1_800_000_000_000
const key: SigningKey = { kid: 'k1', secret: new Uint8Array(32).fill(7) }
const claims = {
  sub: 'aa1c2a9e-7b4d-4e2f-9a6b-1c2d3e4f5a6b',
  role: 'authenticated' as const,
  aud: audience,
  iat: now / 1000,
  exp: now / 1000 + 900,
  sid: 'abcdefghijklmnopqrstuvwx',
}

function verify(token: string, keys: SigningKey[] = [key], at = now) {
  const parsed = parseAccessToken(token, audience, at)
  if (!checkAccessTokenSignature(parsed, keys, at)) {
    throw new Error('bad signature')
  }
  return parsed.claims
}

describe('access tokens', () => {
  it('round-trips the claims with HS256 and the key id', () => {
    const token = signAccessToken(claims, key)
    expect(JSON.parse(atob(token.split('.')[0]!))).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'k1' })
    expect(verify(token)).toEqual(claims)
  })

  it('pins the algorithm: a header naming another one is refused even when the HMAC is right', () => {
    for (const alg of ['none', 'NONE', 'HS512', 'HS384', 'RS256', 'ES256', 'hs256']) {
      const header = JSON.stringify({ alg, typ: 'JWT', kid: 'k1' })
      const payload = JSON.stringify(claims)
      const token = encodeJWT(
        header,
        payload,
        hmac(SHA256, key.secret, createJWTSignatureMessage(header, payload)),
      )
      expect(() => parseAccessToken(token, audience, now), alg).toThrow(
        expect.objectContaining({ code: 'UNAUTHENTICATED', details: { reason: 'algorithm' } }),
      )
    }
  })

  it('refuses another key, a retired key past its time, and a key retired before the token', () => {
    const token = signAccessToken(claims, key)
    expect(() => verify(token, [{ kid: 'k1', secret: new Uint8Array(32).fill(8) }])).toThrow(
      'bad signature',
    )
    expect(() => verify(token, [{ ...key, validUntilMs: now }])).toThrow('bad signature')
    expect(() =>
      verify(token, [{ ...key, retiredAtMs: now - 60_000, validUntilMs: now + 60_000 }]),
    ).toThrow('bad signature')
    expect(verify(token, [{ ...key, retiredAtMs: now + 1, validUntilMs: now + 60_000 }])).toEqual(
      claims,
    )
  })

  it('refuses expired and future tokens, the wrong audience, and oversized input, with distinct reasons', () => {
    const reason = (token: unknown, at = now) => {
      try {
        parseAccessToken(token, audience, at)
        return 'accepted'
      } catch (error) {
        return (error as { details: { reason: string } }).details.reason
      }
    }
    const token = signAccessToken(claims, key)
    expect(reason(token, claims.exp * 1000)).toBe('expired')
    expect(reason(token, (claims.iat - 6) * 1000)).toBe('not_yet_valid')
    expect(reason(token, (claims.iat - 4) * 1000)).toBe('accepted') // clock tolerance
    expect(reason(signAccessToken({ ...claims, aud: crypto.randomUUID() }, key))).toBe('audience')
    expect(reason('a'.repeat(MAX_ACCESS_TOKEN_LENGTH + 1))).toBe('too_large')
    expect(reason(42)).toBe('missing')
    expect(reason('a.b')).toBe('malformed')
    expect(reason(`${token}=`)).toBe('malformed')
  })
})

describe('API key format', () => {
  it('makes keys whose prefix is their public part', () => {
    const { key: apiKey, prefix } = generateAPIKey('service')
    expect(apiKey.startsWith(`${prefix}_`)).toBe(true)
    expect(parseAPIKey(apiKey)).toEqual({ kind: 'service', prefix })
    expect(parseAPIKey(`${apiKey}x`)).toBeUndefined()
    expect(parseAPIKey(apiKey.toUpperCase())).toBeUndefined()
    expect(parseAPIKey({})).toBeUndefined()
  })
})
