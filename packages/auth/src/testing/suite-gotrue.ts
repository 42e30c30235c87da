import { expect, it } from 'vitest'
import { parseAccessToken } from '../tokens/access-token.js'
import { newEmail, PASSWORD, rejection, signedIn, type SuiteContext } from './suite-context.js'

/** What apps written for Supabase rely on: user metadata, password updates, refresh reuse, admin. */
export function describeGoTrue(get: () => SuiteContext): void {
  it('keeps every key of user metadata, bounded, and never as a claim', async () => {
    const { users, db } = get()
    const email = newEmail()
    await users.signUp({
      email,
      password: PASSWORD,
      user_metadata: {
        full_name: 'Ada',
        plan: 'pro',
        prefs: { theme: 'dark' },
        role: 'service_role',
      },
    })
    const session = await users.signIn({ email, password: PASSWORD })
    expect(session.user.user_metadata).toEqual({
      full_name: 'Ada',
      plan: 'pro',
      prefs: { theme: 'dark' },
      role: 'service_role',
    })
    expect(session.user.full_name).toBe('Ada')
    // The claims stay auth's own: metadata's `role` is data, nothing more.
    const claims = await users.verifyAccessToken(session.access_token)
    expect(claims.role).toBe('authenticated')
    expect(
      Object.keys(parseAccessToken(session.access_token, db.id, get().now()).claims).sort(),
    ).toEqual(['aud', 'exp', 'iat', 'role', 'sid', 'sub'])

    const updated = await users.updateUser(session.access_token, {
      user_metadata: { plan: null, seats: 3, full_name: 'Ada L.' },
    })
    expect(updated.user_metadata).toEqual({
      full_name: 'Ada L.',
      prefs: { theme: 'dark' },
      role: 'service_role',
      seats: 3,
    })
    expect(await users.getUser(session.access_token)).toEqual(updated)

    const big = await rejection(() =>
      users.updateUser(session.access_token, { user_metadata: { blob: 'x'.repeat(20_000) } }),
    )
    expect(big.code).toBe('VALIDATION_FAILED')
    const deep = await rejection(() =>
      users.updateUser(session.access_token, {
        user_metadata: { a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } },
      }),
    )
    expect(deep.code).toBe('VALIDATION_FAILED')
    const notName = await rejection(() =>
      users.updateUser(session.access_token, { user_metadata: { full_name: 42 } }),
    )
    expect(notName.code).toBe('VALIDATION_FAILED')
  })

  it('sets a new password for a recent sign-in, ending the other sessions', async () => {
    const ctx = get()
    const email = newEmail()
    const mine = await signedIn(ctx.users, email)
    const other = await ctx.users.signIn({ email, password: PASSWORD })
    await ctx.users.setPassword(mine.access_token, { password: 'a brand new password' })
    await expect(ctx.users.getUser(other.access_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    await expect(ctx.users.signIn({ email, password: PASSWORD })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    const fresh = await ctx.users.signIn({ email, password: 'a brand new password' })
    const weak = await rejection(() =>
      ctx.users.setPassword(fresh.access_token, { password: 'short' }),
    )
    expect(weak.code).toBe('VALIDATION_FAILED')

    // A day later the session lives on (refreshed), but its sign-in is old: sign in again first.
    ctx.advance(25 * 3_600_000)
    const refreshed = await ctx.users.refresh(fresh.refresh_token)
    const old = await rejection(() =>
      ctx.users.setPassword(refreshed.access_token, { password: 'another new password' }),
    )
    expect(old).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'reauthentication_needed' } })
  })

  it('answers a refresh token reused within 10 s with the same new pair, and revokes the family after', async () => {
    const ctx = get()
    const session = await signedIn(ctx.users)
    const first = await ctx.users.refresh(session.refresh_token)
    ctx.advance(9_000)
    const again = await ctx.users.refresh(session.refresh_token)
    expect([again.refresh_token, again.access_token]).toEqual([
      first.refresh_token,
      first.access_token,
    ])

    // Past the interval, the same reuse is a copied token: the whole family ends.
    ctx.advance(2_000)
    const late = await rejection(() => ctx.users.refresh(session.refresh_token))
    expect(late).toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'reused' } })
    await expect(ctx.users.refresh(first.refresh_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })

    // Within the interval, but after the successor was used itself: also a copy.
    const other = await signedIn(ctx.users)
    const next = await ctx.users.refresh(other.refresh_token)
    const after = await ctx.users.refresh(next.refresh_token)
    await expect(ctx.users.refresh(other.refresh_token)).rejects.toMatchObject({
      details: { reason: 'reused' },
    })
    await expect(ctx.users.getUser(after.access_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
  })

  it('lists, gets, creates, updates and deletes users as the admin', async () => {
    const ctx = get()
    const { admin } = ctx.otherUsers
    const created = await admin.create({
      email: newEmail('Admin'),
      password: PASSWORD,
      email_confirm: true,
      user_metadata: { full_name: 'Grace', team: 'ops' },
    })
    expect(created).toMatchObject({
      full_name: 'Grace',
      user_metadata: { full_name: 'Grace', team: 'ops' },
      email_verified_at: expect.any(String),
    })
    await expect(admin.create({ email: created.email })).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'email_exists' },
    })
    const second = await admin.create({ email: newEmail('Second') })
    const page = await admin.list({ page: 1, perPage: 1 })
    expect(page.users).toHaveLength(1)
    expect(page.total).toBeGreaterThanOrEqual(2)
    expect(await admin.get(created.id)).toEqual(created)
    const session = await ctx.otherUsers.signIn({ email: created.email, password: PASSWORD })
    const updated = await admin.update(created.id, {
      password: 'set by the admin',
      user_metadata: { team: null, level: 2 },
    })
    expect(updated.user_metadata).toEqual({ full_name: 'Grace', level: 2 })
    await expect(ctx.otherUsers.getUser(session.access_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    await expect(
      ctx.otherUsers.signIn({ email: created.email, password: 'set by the admin' }),
    ).resolves.toBeDefined()
    await admin.delete(second.id)
    await expect(admin.get(second.id)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(admin.get('not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    // Project A's auth does not see project B's users.
    await expect(ctx.users.admin.get(created.id)).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('disables a user (no sign-in, refresh or reset until enabled), searches and sorts users, ends sessions, and hands resets to the mailer', async () => {
    const ctx = get()
    const users = ctx.otherUsers
    const { admin } = users
    const email = newEmail('disabled')
    const session = await signedIn(users, email)
    const id = session.user.id
    expect(await admin.get(id)).toMatchObject({ disabled: false, disabled_at: null })
    const disabled = await admin.update(id, { disabled: true })
    expect(disabled).toMatchObject({ disabled: true, disabled_at: expect.any(String) })
    expect(disabled).not.toHaveProperty('password_hash')
    await expect(users.getUser(session.access_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    await expect(users.refresh(session.refresh_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    expect(await rejection(() => users.signIn({ email, password: PASSWORD }))).toMatchObject({
      code: 'FORBIDDEN',
      details: { reason: 'user_disabled' },
    })
    // A wrong password still says only that the credentials are wrong.
    expect(
      await rejection(() => users.signIn({ email, password: 'not the password' })),
    ).toMatchObject({ code: 'UNAUTHENTICATED' })
    await users.requestPasswordReset(email)
    expect(
      (await ctx.outbox()).filter((m) => m.to === email && m.kind === 'password_reset'),
    ).toEqual([])
    expect(await rejection(() => admin.sendPasswordReset(id))).toMatchObject({ code: 'FORBIDDEN' })
    expect((await admin.update(id, { disabled: false })).disabled).toBe(false)
    const again = await users.signIn({ email, password: PASSWORD })
    expect(await admin.revokeSessions(id)).toBe(1)
    await expect(users.refresh(again.refresh_token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })

    const sent = await admin.sendPasswordReset(id)
    expect(sent).toEqual({ email, expires_at: expect.any(String) })
    expect(sent).not.toHaveProperty('token')
    const mail = (await ctx.outbox()).filter((m) => m.to === email && m.kind === 'password_reset')
    expect(mail).toHaveLength(1)
    await users.completePasswordReset({
      token: mail[0]!.token!,
      new_password: 'reset by the admin',
    })

    await admin.create({
      email: newEmail('percent'),
      user_metadata: { full_name: 'Zed Under_Score' },
    })
    const found = await admin.list({ search: 'under_score' })
    expect(found.users.map((u) => u.full_name)).toEqual(['Zed Under_Score'])
    expect(found.total).toBe(1)
    expect((await admin.list({ search: 'nder%core' })).total).toBe(0)
    const all = await admin.list({ limit: 1000 })
    const byEmail = await admin.list({
      orderBy: { column: 'email', direction: 'desc' },
      limit: 2,
      offset: 1,
    })
    const sorted = all.users
      .map((u) => u.email)
      .sort()
      .reverse()
    expect(byEmail.users.map((u) => u.email)).toEqual(sorted.slice(1, 3))
    expect(await rejection(() => admin.list({ limit: 0 }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    expect(
      await rejection(() => admin.list({ orderBy: { column: 'password_hash' } } as never)),
    ).toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(await rejection(() => admin.revokeSessions('not-a-uuid'))).toMatchObject({
      code: 'NOT_FOUND',
    })
  })
}
