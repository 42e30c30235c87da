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
}
