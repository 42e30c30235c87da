import { expect, it } from 'vitest'
import { hashArgon2id, parsePHCString } from '../password/password-hasher.js'
import { MemoryThrottleStore } from '../throttle/memory-throttle-store.js'
import { PostgresThrottleStore } from '../throttle/postgres-throttle-store.js'
import type { ThrottleRule, ThrottleStore } from '../throttle/throttle-store.js'
import {
  newEmail,
  PASSWORD,
  rejection,
  signedIn,
  TEST_ARGON2_PARAMS,
  type SuiteContext,
} from './suite-context.js'

const MEGABYTE_PASSWORD = 'x'.repeat(1024 * 1024)

/** Oversized passwords, enumeration, brute force. */
export function describeAttacks(get: () => SuiteContext): void {
  it('rejects a 1 MB password before hashing, everywhere a password is taken', async () => {
    const { users, hasher, outbox } = get()
    const email = newEmail()
    const session = await signedIn(users, email)
    await users.requestPasswordReset(email)
    const token = (await outbox()).at(-1)!.token!
    hasher.hash.mockClear()
    hasher.verify.mockClear()
    const attempts = [
      () => users.signUp({ email: newEmail(), password: MEGABYTE_PASSWORD }),
      () => users.signIn({ email, password: MEGABYTE_PASSWORD }),
      () =>
        users.changePassword(session.access_token, {
          current_password: PASSWORD,
          new_password: MEGABYTE_PASSWORD,
        }),
      () =>
        users.changePassword(session.access_token, {
          current_password: MEGABYTE_PASSWORD,
          new_password: 'fine password',
        }),
      () => users.completePasswordReset({ token, new_password: MEGABYTE_PASSWORD }),
    ]
    for (const attempt of attempts) {
      expect(await rejection(attempt)).toMatchObject({ code: 'VALIDATION_FAILED' })
    }
    expect(hasher.hash).not.toHaveBeenCalled()
    expect(hasher.verify).not.toHaveBeenCalled()
    // The reset token was not used up by the refused attempt.
    await expect(
      users.completePasswordReset({ token, new_password: 'a fine new password' }),
    ).resolves.toBeDefined()
  })

  it('answers sign-in for an unknown email exactly as for a wrong password, after the same work', async () => {
    const { users, hasher } = get()
    const email = newEmail()
    await users.signUp({ email, password: PASSWORD })
    hasher.verify.mockClear()
    const wrong = await rejection(() => users.signIn({ email, password: 'not the password' }))
    expect(hasher.verify).toHaveBeenCalledTimes(1)
    const unknown = await rejection(() =>
      users.signIn({ email: newEmail(), password: 'not the password' }),
    )
    expect(hasher.verify).toHaveBeenCalledTimes(2)
    expect(unknown).toEqual(wrong)
    expect({ code: wrong.code, message: wrong.message, details: wrong.details }).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'invalid email or password',
      details: { reason: 'invalid_credentials' },
    })
    // A user without a password (imported, invited) answers the same too.
    await get().db.insert('users', { email: 'no-password@example.com' })
    expect(
      await rejection(() =>
        users.signIn({ email: 'no-password@example.com', password: 'not the password' }),
      ),
    ).toEqual(wrong)
  })

  it('does the same hashing work for an unknown email and a wrong password', async () => {
    // Timing is measured by `pnpm --filter @basebox/bench bench:auth` (never asserted here): the
    // test counts the work that makes the times equal, one verify against a hash of the policy's
    // costs and no hash, on both paths.
    const { users, hasher } = get()
    const email = newEmail()
    await users.signUp({ email, password: PASSWORD })
    const work = async (address: string) => {
      hasher.hash.mockClear()
      hasher.verify.mockClear()
      await rejection(() =>
        users.signIn({ email: address, password: 'not the password', ip: crypto.randomUUID() }),
      )
      return {
        hashes: hasher.hash.mock.calls.length,
        verified: hasher.verify.mock.calls.map(([hash]) => parsePHCString(hash)),
      }
    }
    const known = await work(email)
    const unknown = await work(newEmail())
    expect(known.hashes).toBe(0)
    expect(known.verified).toHaveLength(1)
    expect(known.verified[0]).toMatchObject({
      algorithm: 'argon2id',
      params: { m: TEST_ARGON2_PARAMS.memoryKiB, t: TEST_ARGON2_PARAMS.iterations },
    })
    expect(unknown).toEqual(known)
  })

  it('answers sign-up and reset requests the same for taken and free emails', async () => {
    const { users, hasher, outbox } = get()
    const taken = newEmail()
    await users.signUp({ email: taken, password: PASSWORD })
    hasher.hash.mockClear()
    const sent = (await outbox()).length
    await expect(
      users.signUp({ email: taken, password: 'another password' }),
    ).resolves.toBeUndefined()
    await expect(
      users.signUp({ email: newEmail(), password: 'another password' }),
    ).resolves.toBeUndefined()
    // One hash each: the same work either way.
    expect(hasher.hash).toHaveBeenCalledTimes(2)
    // The taken address's owner is told (in their mailbox, not in the answer); the new one verifies.
    expect((await outbox()).slice(sent).map((m) => m.kind)).toEqual([
      'sign_up_existing_account',
      'email_verification',
    ])
    // The first password still works: a second sign-up changed nothing.
    await expect(users.signIn({ email: taken, password: PASSWORD })).resolves.toBeDefined()

    const before = (await outbox()).length
    await expect(users.requestPasswordReset(taken)).resolves.toBeUndefined()
    await expect(users.requestPasswordReset(newEmail())).resolves.toBeUndefined()
    expect((await outbox()).slice(before).map((m) => m.kind)).toEqual(['password_reset'])
    // Malformed addresses are a validation error, whatever the accounts.
    await expect(users.requestPasswordReset('not an email')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
  })

  it('refuses a planted hash above the policy without running it, like a wrong password; a cheaper one verifies and is upgraded', async () => {
    const { db, users, hasher } = get()
    const email = newEmail('planted')
    await users.signUp({ email, password: PASSWORD })
    const id = String((await db.select('users', { where: { email }, columns: ['id'] })).rows[0]!.id)
    const plant = (password_hash: string) =>
      db.update('users', { id }, { password_hash }, { allowSecret: true })
    // What the project's own SQL can write: the right password's salt and digest at 1 GiB, 64 passes.
    const [salt, digest] = (await hashArgon2id(PASSWORD, TEST_ARGON2_PARAMS)).split('$').slice(-2)
    for (const planted of [
      `$argon2id$v=19$m=1048576,t=64,p=1$${salt}$${digest}`,
      `$argon2id$v=19$m=64,t=1,p=8$${salt}$${digest}`,
      `$argon2i$v=19$m=64,t=1,p=1$${salt}$${digest}`,
      `$argon2id$v=19$m=64,t=1,p=1$${'A'.repeat(300)}$${digest}`,
    ]) {
      await plant(planted)
      hasher.verify.mockClear()
      expect(await rejection(() => users.signIn({ email, password: PASSWORD }))).toEqual(
        await rejection(() => users.signIn({ email: newEmail(), password: PASSWORD })),
      )
      // One verify each (the same work as an unknown email), never of the planted hash.
      expect(hasher.verify).toHaveBeenCalledTimes(2)
      for (const [hash] of hasher.verify.mock.calls) {
        expect(hash).not.toBe(planted)
        expect(parsePHCString(hash)?.params).toEqual({
          m: TEST_ARGON2_PARAMS.memoryKiB,
          t: TEST_ARGON2_PARAMS.iterations,
          p: TEST_ARGON2_PARAMS.parallelism,
        })
      }
    }
    // Cheaper than the policy (an older setting): verified, and rehashed at the policy's costs.
    await plant(await hashArgon2id(PASSWORD, { memoryKiB: 16, iterations: 1, parallelism: 1 }))
    hasher.hash.mockClear()
    await expect(users.signIn({ email, password: PASSWORD })).resolves.toBeDefined()
    expect(hasher.hash).toHaveBeenCalledTimes(1)
    const stored = await db.sql('select password_hash from users where id = $1', [id])
    expect(parsePHCString(String(stored.statements[0]!.rows[0]![0]))?.params.m).toBe(
      TEST_ARGON2_PARAMS.memoryKiB,
    )
  })

  it('counts sign-in attempts before hashing: 200 wrong passwords at once for one account run at most 6 verifies, with either store', async () => {
    const ctx = get()
    for (const throttle of [new MemoryThrottleStore(), new PostgresThrottleStore(ctx.bb)]) {
      const users = (await ctx.makeAuth({ throttle })).forDatabase(ctx.db)
      const email = newEmail('storm')
      await users.signUp({ email, password: PASSWORD })
      ctx.hasher.verify.mockClear()
      const outcomes = await Promise.allSettled(
        Array.from({ length: 200 }, () =>
          users.signIn({ email, password: 'wrong guess 123', ip: '203.0.113.77' }),
        ),
      )
      const codes = outcomes.map((o) =>
        o.status === 'rejected' ? String((o.reason as { code?: string }).code) : 'OK',
      )
      // The account-from-this-address rule's 5 free failures, plus the one that starts its wait.
      expect(ctx.hasher.verify.mock.calls.length).toBeLessThanOrEqual(6)
      expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(
        ctx.hasher.verify.mock.calls.length,
      )
      expect(codes.filter((c) => c === 'LIMIT_EXCEEDED')).toHaveLength(
        200 - ctx.hasher.verify.mock.calls.length,
      )
    }
  })

  it('throttles brute force per account and address, with a retry time, never for good', async () => {
    const ctx = get()
    const users = (await ctx.makeAuth({ throttle: new MemoryThrottleStore() })).forDatabase(ctx.db)
    await bruteForce(ctx, users)
  })

  it('throttles the same way with the Postgres store', async () => {
    const ctx = get()
    const users = (await ctx.makeAuth({ throttle: new PostgresThrottleStore(ctx.bb) })).forDatabase(
      ctx.db,
    )
    await bruteForce(ctx, users)
  })

  it('gives the Postgres store the same arithmetic as the memory store', async () => {
    const ctx = get()
    const rule: ThrottleRule = {
      freeFailures: 2,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      forgetAfterMs: 5000,
    }
    const stores: ThrottleStore[] = [new MemoryThrottleStore(), new PostgresThrottleStore(ctx.bb)]
    const trace = async (store: ThrottleStore) => {
      const key = `conformance-${crypto.randomUUID()}`
      const other = `conformance-${crypto.randomUUID()}`
      let t = 1_000_000
      const out: unknown[] = []
      for (let i = 0; i < 8; i++) {
        out.push(
          await store.fail(
            [
              { key, rule },
              { key: other, rule: { ...rule, freeFailures: 0 } },
            ],
            (t += 10),
          ),
        )
      }
      out.push(await store.peek([key, other, 'missing'], (t += 500)))
      out.push(await store.fail([{ key, rule }], (t += 6000))) // forgotten: counts from one again
      await store.succeed([key], (t += 1), { rememberForMs: 1000 })
      out.push(await store.peek([key], (t += 1)))
      out.push(await store.fail([{ key, rule }], (t += 1))) // known survives failures
      out.push(await store.peek([key], (t += 2000))) // known lapsed
      await store.succeed([other], t)
      out.push(await store.peek([other], t))
      return out
    }
    const [memory, postgres] = [await trace(stores[0]!), await trace(stores[1]!)]
    expect(postgres).toEqual(memory)
    expect(memory[7]).toEqual([
      { retryAfterMs: 1000, failures: 8, known: false },
      { retryAfterMs: 1000, failures: 8, known: false },
    ])
  })
}

async function bruteForce(
  ctx: SuiteContext,
  users: ReturnType<Awaited<ReturnType<SuiteContext['makeAuth']>>['forDatabase']>,
) {
  const email = newEmail('victim')
  await users.signUp({ email, password: PASSWORD })
  const attacker = '203.0.113.9'
  const guess = (ip: string | undefined, password = 'wrong guess 123') =>
    rejection(() => users.signIn({ email, password, ip }))

  // Five free failures, then each one makes this account+address wait longer: 1 s, 2 s, 4 s...
  for (let i = 0; i < 5; i++) {
    expect(await guess(attacker)).toMatchObject({ code: 'UNAUTHENTICATED' })
  }
  expect(await guess(attacker)).toMatchObject({ code: 'UNAUTHENTICATED' })
  const limited = await guess(attacker)
  expect(limited).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { retry_after_ms: 1000 } })
  // While waiting, even the right password is refused from there, and nothing is hashed.
  ctx.hasher.verify.mockClear()
  expect(await guess(attacker, PASSWORD)).toMatchObject({ code: 'LIMIT_EXCEEDED' })
  expect(ctx.hasher.verify).not.toHaveBeenCalled()
  ctx.advance(1000)
  expect(await guess(attacker)).toMatchObject({ code: 'UNAUTHENTICATED' })
  expect(await guess(attacker)).toMatchObject({
    code: 'LIMIT_EXCEEDED',
    details: { retry_after_ms: 2000 },
  })

  // The owner, from another address, is not blocked by the attacker's address.
  await expect(
    users.signIn({ email, password: PASSWORD, ip: '198.51.100.7' }),
  ).resolves.toBeDefined()

  // A distributed attack (a new address per guess) trips the account-wide rule after 20 failures...
  for (let i = 0; i < 21; i++) {
    await guess(`192.0.2.${i}`)
  }
  const accountWide = await guess('192.0.2.200')
  expect(accountWide).toMatchObject({ code: 'LIMIT_EXCEEDED' })
  // ...but an address the owner signed in from before is exempt: no lockout by strangers.
  await expect(
    users.signIn({ email, password: PASSWORD, ip: '198.51.100.7' }),
  ).resolves.toBeDefined()

  // Every wait is bounded: at most 15 minutes, whatever the number of failures.
  for (let i = 0; i < 40; i++) {
    ctx.advance(15 * 60_000)
    await guess(attacker)
  }
  const capped = await guess(attacker)
  expect(capped).toMatchObject({ code: 'LIMIT_EXCEEDED' })
  expect(Number(capped.details?.retry_after_ms)).toBeLessThanOrEqual(15 * 60_000)
  ctx.advance(15 * 60_000)
  await expect(users.signIn({ email, password: PASSWORD, ip: attacker })).resolves.toBeDefined()
}
