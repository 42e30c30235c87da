import { expect, it } from 'vitest'
import {
  newEmail,
  PASSWORD,
  rejection,
  signedIn,
  spiedHasher,
  type SuiteContext,
} from './suite-context.js'
import { createArgon2idHasher, parsePHCString } from '../password/password-hasher.js'
import { authKysely } from '../storage/auth-schema.js'

/** Sign-up, sign-in, sign-out, profile, password change and reset, email verification. */
export function describeAccounts(get: () => SuiteContext): void {
  it('signs up, signs in, reads and updates the user, signs out', async () => {
    const { users, db } = get()
    const email = newEmail('Ada')
    await expect(
      users.signUp({ email: `  ${email.toUpperCase()} `, password: PASSWORD, full_name: 'Ada' }),
    ).resolves.toBeUndefined()
    const session = await users.signIn({
      email,
      password: PASSWORD,
      ip: '10.0.0.1',
      user_agent: 'test',
    })
    expect(session).toMatchObject({ token_type: 'bearer', expires_in: 900 })
    expect(session.user).toMatchObject({
      email: email.toLowerCase(),
      full_name: 'Ada',
      avatar_url: null,
      email_verified_at: null,
    })
    expect(session.user).not.toHaveProperty('password_hash')
    expect(session.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/)

    // The user lives in the project's own users table, its password as an argon2id PHC string.
    const { rows } = await db.select(
      'users',
      { where: { id: session.user.id } },
      { allowSecret: true },
    )
    expect(rows[0]?.email).toBe(email.toLowerCase())
    expect(String(rows[0]?.password_hash)).toMatch(/^\$argon2id\$v=19\$m=64,t=1,p=1\$/)

    const claims = await users.verifyAccessToken(session.access_token)
    expect(claims).toMatchObject({
      sub: session.user.id,
      role: 'authenticated',
      aud: db.id,
      sid: expect.any(String),
    })
    expect(claims.exp - claims.iat).toBe(900)

    expect(await users.getUser(session.access_token)).toEqual(session.user)
    const updated = await users.updateUser(session.access_token, {
      full_name: 'Ada Lovelace',
      avatar_url: 'https://x.test/a.png',
    })
    expect(updated).toMatchObject({ full_name: 'Ada Lovelace', avatar_url: 'https://x.test/a.png' })
    await expect(
      users.updateUser(session.access_token, { email: 'x@y.z' } as never),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })

    await users.signOut(session.access_token)
    // The access token is stateless (valid until it expires), but the session is over.
    await expect(users.verifyAccessToken(session.access_token)).resolves.toBeDefined()
    expect(await rejection(() => users.getUser(session.access_token))).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'session ended',
    })
    await expect(users.refresh(session.refresh_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
  })

  it('signs out one session, the others, or all', async () => {
    const { users } = get()
    const email = newEmail()
    const a = await signedIn(users, email)
    const b = await users.signIn({ email, password: PASSWORD })
    const c = await users.signIn({ email, password: PASSWORD })
    await users.signOut(a.access_token, { scope: 'others' })
    await expect(users.getUser(a.access_token)).resolves.toBeDefined()
    await expect(users.getUser(b.access_token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    await expect(users.refresh(c.refresh_token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    const d = await users.signIn({ email, password: PASSWORD })
    await users.signOut(d.access_token, { scope: 'all' })
    await expect(users.getUser(a.access_token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    await expect(users.getUser(d.access_token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    await expect(
      users.signOut(d.access_token, { scope: 'everything' as never }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
  })

  it('rotates refresh tokens, and a reused one ends the whole session family', async () => {
    const { users } = get()
    const first = await signedIn(users)
    const second = await users.refresh(first.refresh_token)
    expect(second.refresh_token).not.toBe(first.refresh_token)
    expect(second.user.id).toBe(first.user.id)
    const third = await users.refresh(second.refresh_token)
    await expect(users.getUser(third.access_token)).resolves.toMatchObject({ id: first.user.id })

    // The first token comes back: someone copied it. The family is revoked, the newest token too.
    const reused = await rejection(() => users.refresh(first.refresh_token))
    expect(reused).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'invalid refresh token',
      details: { reason: 'reused' },
    })
    await expect(users.refresh(third.refresh_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    await expect(users.getUser(third.access_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })

    // Unknown and malformed tokens are refused alike.
    await expect(users.refresh('x'.repeat(43))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'invalid refresh token',
    })
    await expect(users.refresh('not a token')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'invalid refresh token',
    })
  })

  it('gives two concurrent refreshes of one token the same new tokens (one rotation)', async () => {
    const { users } = get()
    const session = await signedIn(users)
    const [a, b] = await Promise.all([
      users.refresh(session.refresh_token),
      users.refresh(session.refresh_token),
    ])
    expect(b.refresh_token).toBe(a.refresh_token)
    expect(b.access_token).toBe(a.access_token)
    await expect(users.refresh(a.refresh_token)).resolves.toMatchObject({
      user: { id: session.user.id },
    })
  })

  it('ends idle sessions: refresh tokens stop working after the session lifetime', async () => {
    const ctx = get()
    const session = await signedIn(ctx.users)
    ctx.advance(29 * 86_400_000)
    const refreshed = await ctx.users.refresh(session.refresh_token)
    ctx.advance(29 * 86_400_000) // sliding: still within 30 days of the last refresh
    const again = await ctx.users.refresh(refreshed.refresh_token)
    ctx.advance(31 * 86_400_000)
    await expect(ctx.users.refresh(again.refresh_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    await expect(ctx.users.getUser(again.access_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'access token expired',
    })
  })

  it('changing the password ends every other session and needs the current password', async () => {
    const { users } = get()
    const email = newEmail()
    const mine = await signedIn(users, email)
    const other = await users.signIn({ email, password: PASSWORD })
    await expect(
      users.changePassword(mine.access_token, {
        current_password: 'wrong password!',
        new_password: 'a new password 1',
      }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    await users.changePassword(mine.access_token, {
      current_password: PASSWORD,
      new_password: 'a new password 1',
    })
    await expect(users.getUser(mine.access_token)).resolves.toBeDefined()
    await expect(users.getUser(other.access_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    await expect(users.refresh(other.refresh_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    await expect(users.signIn({ email, password: PASSWORD })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    await expect(users.signIn({ email, password: 'a new password 1' })).resolves.toBeDefined()
  })

  it('resets a password with a single-use emailed token; every session ends', async () => {
    const { users, outbox } = get()
    const email = newEmail()
    const before = await signedIn(users, email)
    const sent = (await outbox()).length
    await expect(users.requestPasswordReset(email.toUpperCase())).resolves.toBeUndefined()
    const message = (await outbox()).at(-1)!
    expect((await outbox()).length).toBe(sent + 1)
    expect(message).toMatchObject({
      kind: 'password_reset',
      to: email,
      database_id: users.databaseId,
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    })

    // A bad new password does not use the token up.
    await expect(
      users.completePasswordReset({ token: message.token!, new_password: 'short' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    const session = await users.completePasswordReset({
      token: message.token!,
      new_password: 'brand new secret',
    })
    expect(session.user).toMatchObject({ email, email_verified_at: expect.any(String) })
    await expect(users.getUser(before.access_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    await expect(users.refresh(before.refresh_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    await expect(users.signIn({ email, password: 'brand new secret' })).resolves.toBeDefined()

    // Single use.
    const again = await rejection(() =>
      users.completePasswordReset({ token: message.token!, new_password: 'another secret!' }),
    )
    expect(again).toMatchObject({ code: 'UNAUTHENTICATED', message: 'invalid or expired token' })
  })

  it('expires reset tokens, and a newer request voids the older token', async () => {
    const ctx = get()
    const { users, outbox } = ctx
    const email = newEmail()
    await users.signUp({ email, password: PASSWORD })
    await users.requestPasswordReset(email)
    const old = (await outbox()).at(-1)!.token!
    await users.requestPasswordReset(email)
    const fresh = (await outbox()).at(-1)!.token!
    await expect(
      users.completePasswordReset({ token: old, new_password: 'brand new secret' }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    ctx.advance(3_600_001)
    await expect(
      users.completePasswordReset({ token: fresh, new_password: 'brand new secret' }),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'invalid or expired token',
    })
    // A reset token is not a verification token.
    await users.requestPasswordReset(email)
    await expect(users.verifyEmail((await outbox()).at(-1)!.token!)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
  })

  it('verifies email addresses with a single-use token', async () => {
    const { users, outbox } = get()
    const email = newEmail()
    await users.signUp({ email, password: PASSWORD })
    const message = (await outbox()).at(-1)!
    expect(message).toMatchObject({
      kind: 'email_verification',
      to: email,
      token: expect.any(String),
      expires_at: expect.any(String),
    })
    const session = await users.signIn({ email, password: PASSWORD })
    expect(session.user.email_verified_at).toBeNull()
    const user = await users.verifyEmail(message.token!)
    expect(user.email_verified_at).not.toBeNull()
    expect((await users.getUser(session.access_token)).email_verified_at).toBe(
      user.email_verified_at,
    )
    await expect(users.verifyEmail(message.token!)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })

    // Asking again once verified sends nothing.
    const sent = (await outbox()).length
    await users.requestEmailVerification(session.access_token)
    expect((await outbox()).length).toBe(sent)
  })

  it('can require a verified email to sign in', async () => {
    const ctx = get()
    const strict = (await ctx.makeAuth({ requireEmailVerification: true })).forDatabase(ctx.db)
    const email = newEmail()
    await strict.signUp({ email, password: PASSWORD })
    const token = (await ctx.outbox()).at(-1)!.token!
    await expect(strict.signIn({ email, password: PASSWORD })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'email not verified',
    })
    await strict.verifyEmail(token)
    await expect(strict.signIn({ email, password: PASSWORD })).resolves.toBeDefined()
  })

  it('upgrades a hash made with older parameters at the next sign-in', async () => {
    const ctx = get()
    const email = newEmail()
    const old = (
      await ctx.makeAuth({
        passwordHasher: createArgon2idHasher({ memoryKiB: 32, iterations: 1, parallelism: 1 }),
      })
    ).forDatabase(ctx.db)
    await old.signUp({ email, password: PASSWORD })
    const stored = async () =>
      String(
        (await ctx.db.select('users', { where: { email } }, { allowSecret: true })).rows[0]
          ?.password_hash,
      )
    expect(parsePHCString(await stored())?.params).toMatchObject({ m: 32, t: 1 })
    const hasher = spiedHasher()
    const current = (await ctx.makeAuth({ passwordHasher: hasher })).forDatabase(ctx.db)
    // createAuth hashed its dummy password already.
    expect(hasher.hash).toHaveBeenCalledTimes(1)
    hasher.hash.mockClear()
    await current.signIn({ email, password: PASSWORD })
    expect(hasher.hash).toHaveBeenCalledTimes(1)
    expect(parsePHCString(await stored())?.params).toMatchObject({ m: 64, t: 1 })
    await current.signIn({ email, password: PASSWORD })
    expect(hasher.hash).toHaveBeenCalledTimes(1)
  })

  it('refuses a refresh once the user row is gone', async () => {
    const { users, db } = get()
    const session = await signedIn(users)
    await db.delete('users', { id: session.user.id })
    await expect(users.refresh(session.refresh_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    await expect(users.getUser(session.access_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
  })

  it("forgets a database's sessions, tokens and keys when its project is deleted", async () => {
    const ctx = get()
    const owner = ctx.bb.owner('auth-suite')
    const project = await owner.createProject({ name: 'short-lived' })
    const users = ctx.auth.forDatabase(await owner.createDatabase(project.id))
    await signedIn(users)
    await users.createAPIKey({ name: 'k', kind: 'service' })
    await users.rotateJWTSecret()
    const rows = async () => {
      const db = authKysely(ctx.bb)
      const counts = await Promise.all(
        (['sessions', 'api_keys', 'jwt_secrets', 'one_time_tokens'] as const).map(async (table) =>
          Number(
            (
              await db
                .selectFrom(table)
                .select((eb) => eb.fn.countAll().as('n'))
                .where('database_id', '=', users.databaseId)
                .executeTakeFirstOrThrow()
            ).n,
          ),
        ),
      )
      return counts.reduce((a, b) => a + b, 0)
    }
    expect(await rows()).toBeGreaterThan(3)
    await owner.deleteProject(project.id)
    expect(await rows()).toBe(0)
  })
}
