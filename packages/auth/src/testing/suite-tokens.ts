import { hmac } from '@oslojs/crypto/hmac'
import { SHA256 } from '@oslojs/crypto/sha2'
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding'
import { createJWTSignatureMessage, encodeJWT } from '@oslojs/jwt'
import { expect, it } from 'vitest'
import { authKysely } from '../storage/auth-schema.js'
import { newEmail, rejection, signedIn, type SuiteContext } from './suite-context.js'

const b64 = (value: unknown) =>
  encodeBase64urlNoPadding(
    new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value)),
  )

/** Re-encodes a token with a new header and/or payload, keeping (or replacing) its signature. */
function forge(
  token: string,
  change: { header?: object; payload?: object; signature?: string },
): string {
  const [h, p, s] = token.split('.')
  return [
    change.header ? b64(change.header) : h,
    change.payload ? b64(change.payload) : p,
    change.signature ?? s,
  ].join('.')
}

function decode(part: string): Record<string, unknown> {
  return JSON.parse(
    new TextDecoder().decode(
      Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
    ),
  )
}

/** Access tokens under attack (each refused with zero database statements), secret rotation, API keys. */
export function describeTokens(get: () => SuiteContext): void {
  it('refuses bad access tokens without a single database statement', async () => {
    const { users, otherUsers, count, now } = get()
    const session = await signedIn(users)
    const other = await signedIn(otherUsers)
    const [h, p] = session.access_token.split('.') as [string, string]
    const header = decode(h)
    const payload = decode(p) as Record<string, number | string>
    const nowS = Math.floor(now() / 1000)
    // A token for this database signed with the other project's real secret (and its kid).
    const secretRow = await authKysely(get().bb)
      .selectFrom('jwt_secrets')
      .select(['kid', 'secret'])
      .where('database_id', '=', get().otherDb.id)
      .where('retired_at', 'is', null)
      .executeTakeFirstOrThrow()
    const foreignSigned = (() => {
      const hj = JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: secretRow.kid })
      const pj = JSON.stringify(payload)
      return encodeJWT(
        hj,
        pj,
        hmac(
          SHA256,
          decodeBase64urlIgnorePadding(secretRow.secret),
          createJWTSignatureMessage(hj, pj),
        ),
      )
    })()
    const unkeyedSigned = (() => {
      const hj = JSON.stringify({ alg: 'HS256', typ: 'JWT' })
      const pj = JSON.stringify(payload)
      return encodeJWT(
        hj,
        pj,
        hmac(
          SHA256,
          decodeBase64urlIgnorePadding(secretRow.secret),
          createJWTSignatureMessage(hj, pj),
        ),
      )
    })()
    const cases: Record<string, string> = {
      'tampered payload (another user)': forge(session.access_token, {
        payload: { ...payload, sub: crypto.randomUUID() },
      }),
      'tampered payload (later expiry)': forge(session.access_token, {
        payload: { ...payload, exp: nowS + 86_400 },
      }),
      'alg none, no signature': forge(session.access_token, {
        header: { alg: 'none', typ: 'JWT' },
        signature: '',
      }),
      'alg none, signature kept': forge(session.access_token, {
        header: { alg: 'none', typ: 'JWT' },
      }),
      'alg HS512': forge(session.access_token, { header: { ...header, alg: 'HS512' } }),
      'alg RS256': forge(session.access_token, { header: { ...header, alg: 'RS256' } }),
      'crit header': forge(session.access_token, { header: { ...header, crit: ['exp'] } }),
      "another project's token": other.access_token,
      "this audience, another project's secret": foreignSigned,
      "this audience, another project's secret, no kid": unkeyedSigned,
      expired: forge(session.access_token, {
        payload: { ...payload, iat: nowS - 1000, exp: nowS - 1 },
      }),
      'not yet valid (nbf)': forge(session.access_token, {
        payload: { ...payload, nbf: nowS + 3600 },
      }),
      'issued in the future (iat)': forge(session.access_token, {
        payload: { ...payload, iat: nowS + 3600 },
      }),
      oversized: forge(session.access_token, { payload: { ...payload, pad: 'x'.repeat(9000) } }),
      'oversized garbage': 'a'.repeat(1_000_000),
      'wrong role': forge(session.access_token, { payload: { ...payload, role: 'service_role' } }),
      'audience list': forge(session.access_token, { payload: { ...payload, aud: [payload.aud] } }),
      'array payload': forge(session.access_token, { payload: [payload] }),
      'truncated signature': session.access_token.slice(0, -5),
      'two parts': `${h}.${p}`,
      padding: `${session.access_token}==`,
      empty: '',
    }
    for (const [label, token] of Object.entries(cases)) {
      const { error, statements } = await count(() => users.verifyAccessToken(token))
      expect(error, label).toMatchObject({ code: 'UNAUTHENTICATED' })
      expect(statements, label).toBe(0)
    }
    // getUser and signOut check the token first, so they too send nothing for a bad one.
    const guarded: (() => Promise<unknown>)[] = [
      () => users.getUser(cases['alg none, no signature']!),
      () => users.signOut(cases.oversized!),
    ]
    for (const fn of guarded) {
      const { error, statements } = await count(fn)
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED' })
      expect(statements).toBe(0)
    }
    // And the genuine token still passes, also without a statement.
    const { result, statements } = await count(() => users.verifyAccessToken(session.access_token))
    expect(result).toMatchObject({ sub: session.user.id })
    expect(statements).toBe(0)
  })

  it('refuses structurally bad tokens without a statement even before any secret is loaded', async () => {
    const ctx = get()
    const session = await signedIn(ctx.users)
    const cold = (await ctx.makeAuth()).forDatabase(ctx.db)
    for (const token of [
      'x'.repeat(9000),
      forge(session.access_token, { header: { alg: 'none' }, signature: '' }),
    ]) {
      const { error, statements } = await ctx.count(() => cold.verifyAccessToken(token))
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED' })
      expect(statements).toBe(0)
    }
    // A well-formed token needs the secrets once; then never again.
    expect(
      (await ctx.count(() => cold.verifyAccessToken(session.access_token))).statements,
    ).toBeGreaterThan(0)
    expect((await ctx.count(() => cold.verifyAccessToken(session.access_token))).statements).toBe(0)
  })

  it('rotates the JWT secret: old tokens live out their lifetime, or die at once', async () => {
    const ctx = get()
    const { users } = ctx
    const before = await signedIn(users)
    // Another server: its own keyring, loaded before the rotation.
    const elsewhere = (await ctx.makeAuth()).forDatabase(ctx.db)
    await elsewhere.verifyAccessToken(before.access_token)

    await users.rotateJWTSecret()
    const after = await users.refresh(before.refresh_token)
    expect(decode(after.access_token.split('.')[0]!).kid).not.toBe(
      decode(before.access_token.split('.')[0]!).kid,
    )
    await expect(users.verifyAccessToken(before.access_token)).resolves.toBeDefined()
    await expect(users.verifyAccessToken(after.access_token)).resolves.toBeDefined()
    // The other server learns the new secret when it meets its kid (at most every 30 s).
    ctx.advance(31_000)
    await expect(elsewhere.verifyAccessToken(after.access_token)).resolves.toBeDefined()
    await expect(elsewhere.verifyAccessToken(before.access_token)).resolves.toBeDefined()

    // After a leak: the old secret's tokens are refused at once.
    await users.rotateJWTSecret({ keepPrevious: false })
    await expect(users.verifyAccessToken(after.access_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    const fresh = await users.refresh(after.refresh_token)
    await expect(users.verifyAccessToken(fresh.access_token)).resolves.toBeDefined()
    await expect(ctx.otherUsers.verifyAccessToken(fresh.access_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
  })

  it('shows an API key once, lists it by prefix, verifies its kind, refuses it once revoked', async () => {
    const { users, otherUsers, count } = get()
    const anon = await users.createAPIKey({ name: 'browser', kind: 'anon' })
    const service = await users.createAPIKey({ name: 'server', kind: 'service' })
    expect(anon.key).toMatch(/^bb_anon_[a-z2-7]{16}_[a-z2-7]{40}$/)
    expect(service.key.startsWith(`${service.prefix}_`)).toBe(true)
    expect(anon).toMatchObject({
      name: 'browser',
      kind: 'anon',
      prefix: anon.key.slice(0, 24),
      revoked_at: null,
    })

    const listed = await users.listAPIKeys()
    expect(listed.map((k) => k.id)).toEqual(expect.arrayContaining([anon.id, service.id]))
    for (const key of listed) {
      expect(Object.keys(key).sort()).toEqual([
        'created_at',
        'id',
        'kind',
        'last_used_at',
        'name',
        'prefix',
        'revoked_at',
      ])
      expect(JSON.stringify(key)).not.toContain(anon.key.slice(25))
    }
    expect(await otherUsers.listAPIKeys()).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ id: anon.id })]),
    )

    await expect(users.verifyAPIKey(anon.key)).resolves.toEqual({ id: anon.id, kind: 'anon' })
    await expect(users.verifyAPIKey(service.key)).resolves.toEqual({
      id: service.id,
      kind: 'service',
    })
    // Another database's key, a tampered secret, a key passed off as another kind: refused.
    await expect(otherUsers.verifyAPIKey(anon.key)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    await expect(
      users.verifyAPIKey(`${anon.key.slice(0, -1)}${anon.key.endsWith('a') ? 'b' : 'a'}`),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    await expect(
      users.verifyAPIKey(anon.key.replace('bb_anon_', 'bb_service_')),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    // The uses just recorded (in the background) are written before counting.
    await get().settled()
    // Garbage never reaches the database.
    for (const key of ['', 'bb_anon_', 'x'.repeat(1_000_000), `${anon.key}x`]) {
      const { error, statements } = await count(() => users.verifyAPIKey(key))
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'invalid API key' })
      expect(statements).toBe(0)
    }

    // Well-formed keys that were never issued: after one read of the key list, refused from memory.
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567'
    const madeUp = (n: number) =>
      `bb_anon_${alphabet[n]!.repeat(16)}_${alphabet[31 - n]!.repeat(40)}`
    await users.verifyAPIKey(anon.key)
    for (let i = 0; i < 20; i++) {
      expect(madeUp(i)).toMatch(/^bb_anon_[a-z2-7]{16}_[a-z2-7]{40}$/)
      const { error, statements } = await count(() => users.verifyAPIKey(madeUp(i)))
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED' })
      expect(statements).toBe(0)
    }

    const revoked = await users.revokeAPIKey(anon.id)
    expect(revoked.revoked_at).not.toBeNull()
    await expect(users.verifyAPIKey(anon.key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    await expect(users.verifyAPIKey(service.key)).resolves.toMatchObject({ kind: 'service' })
    await expect(otherUsers.revokeAPIKey(service.id)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(users.revokeAPIKey('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(users.createAPIKey({ name: '', kind: 'anon' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    await expect(users.createAPIKey({ name: 'x', kind: 'admin' as never })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
  })

  it("keeps one database's sessions out of another", async () => {
    const { users, otherUsers } = get()
    const session = await signedIn(users)
    expect(await rejection(() => otherUsers.getUser(session.access_token))).toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    await expect(otherUsers.refresh(session.refresh_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    // The same email is a different account in each database.
    const email = newEmail()
    await users.signUp({ email, password: 'first database!' })
    await otherUsers.signUp({ email, password: 'second database' })
    await expect(otherUsers.signIn({ email, password: 'first database!' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    await expect(otherUsers.signIn({ email, password: 'second database' })).resolves.toBeDefined()
  })
}
