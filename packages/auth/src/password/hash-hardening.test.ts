import { PGlite } from '@electric-sql/pglite'
import { BaseboxError, createBasebox, type Basebox, type DatabaseHandle } from '@basebox/core'
import { pgliteDriver } from '@basebox/core/pglite'
import { loadPGliteSnapshot } from '@basebox/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAuth, type Auth } from '../create-auth.js'
import type { DatabaseAuth } from '../database-auth/index.js'
import { limitHashing } from './hash-queue.js'
import {
  createArgon2idHasher,
  hashArgon2id,
  parsePHCString,
  type PasswordHasher,
} from './password-hasher.js'

const POLICY = { memoryKiB: 64, iterations: 2, parallelism: 1 }
const PASSWORD = 'correct horse battery staple'

/** A hasher at {@link POLICY} that records every hash it is asked to verify. */
function countingHasher(): PasswordHasher & { verified: string[]; hashed: number } {
  const inner = createArgon2idHasher(POLICY)
  const counting = {
    verified: [] as string[],
    hashed: 0,
    hash: async (password: string) => {
      counting.hashed++
      return inner.hash(password)
    },
    verify: async (hash: string, password: string) => {
      counting.verified.push(hash)
      return inner.verify(hash, password)
    },
    needsRehash: (hash: string) => inner.needsRehash(hash),
    withinPolicy: (hash: string) => inner.withinPolicy!(hash),
  }
  return counting
}

describe('auth: hashing that cannot be turned into a weapon', () => {
  let pglite: PGlite
  let bb: Basebox
  let db: DatabaseHandle
  let auth: Auth
  let users: DatabaseAuth
  const hasher = countingHasher()

  beforeAll(async () => {
    pglite = await loadPGliteSnapshot(PGlite)
    bb = await createBasebox({ driver: pgliteDriver(pglite) })
    const owner = bb.owner('host')
    db = await owner.createDatabase((await owner.createProject({ name: 'App' })).id)
    auth = await createAuth({ basebox: bb, passwordHasher: hasher, onError: () => {} })
    users = auth.forDatabase(db)
  })

  afterAll(async () => {
    await bb?.destroy()
  })

  it('refuses a stored hash whose costs exceed the policy without running it, after the same work as a wrong password', async () => {
    await users.signUp({ email: 'planted@example.com', password: PASSWORD })
    // What a tenant's own SQL can write: the same password's hash at 1 GiB and 64 passes.
    const real = (
      await db.select('users', { where: { email: 'planted@example.com' }, columns: ['id'] })
    ).rows[0]!
    const [salt, digest] = (await hashArgon2id(PASSWORD, POLICY)).split('$').slice(-2)
    const planted = `$argon2id$v=19$m=1048576,t=64,p=1$${salt}$${digest}`
    await db.update(
      'users',
      { id: real.id as string },
      { password_hash: planted },
      { allowSecret: true },
    )
    hasher.verified.length = 0
    await expect(
      users.signIn({ email: 'planted@example.com', password: PASSWORD }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    expect(hasher.verified).toHaveLength(1)
    expect(hasher.verified[0]).not.toBe(planted)
    expect(parsePHCString(hasher.verified[0]!)?.params).toMatchObject({
      m: POLICY.memoryKiB,
      t: POLICY.iterations,
    })
    // Other absurd shapes fail the same way: another algorithm, more lanes, a giant salt.
    for (const hash of [
      `$argon2i$v=19$m=64,t=2,p=1$${salt}$${digest}`,
      `$argon2id$v=19$m=64,t=2,p=4$${salt}$${digest}`,
      `$argon2id$v=19$m=64,t=2,p=1$${'A'.repeat(400)}$${digest}`,
    ]) {
      await db.update(
        'users',
        { id: real.id as string },
        { password_hash: hash },
        { allowSecret: true },
      )
      await expect(
        users.signIn({ email: 'planted@example.com', password: PASSWORD }),
      ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    }
  })

  it('verifies a cheaper hash within the policy and upgrades it on the good sign-in', async () => {
    await users.signUp({ email: 'old@example.com', password: PASSWORD })
    const row = (await db.select('users', { where: { email: 'old@example.com' }, columns: ['id'] }))
      .rows[0]!
    await db.update(
      'users',
      { id: row.id as string },
      {
        password_hash: await hashArgon2id(PASSWORD, {
          memoryKiB: 16,
          iterations: 1,
          parallelism: 1,
        }),
      },
      { allowSecret: true },
    )
    await users.signIn({ email: 'old@example.com', password: PASSWORD })
    const hash = String(
      (await db.sql('select password_hash from users where id = $1', [row.id])).statements[0]!
        .rows[0]![0],
    )
    expect(parsePHCString(hash)?.params).toMatchObject({
      m: POLICY.memoryKiB,
      t: POLICY.iterations,
      p: POLICY.parallelism,
    })
  })

  it('counts an attempt before hashing: 200 wrong passwords at once for one account run a handful of verifies', async () => {
    await users.signUp({ email: 'storm@example.com', password: PASSWORD })
    hasher.verified.length = 0
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, () =>
        users.signIn({
          email: 'storm@example.com',
          password: 'wrong password!',
          ip: '203.0.113.9',
        }),
      ),
    )
    const codes = outcomes.map((o) =>
      o.status === 'rejected' ? (o.reason as BaseboxError).code : 'OK',
    )
    expect(codes.filter((c) => c === 'OK')).toHaveLength(0)
    expect(codes.filter((c) => c !== 'UNAUTHENTICATED' && c !== 'LIMIT_EXCEEDED')).toEqual([])
    // The free failures of the account-from-this-address rule (5), plus the one that starts its wait.
    expect(hasher.verified.length).toBeLessThanOrEqual(6)
    expect(codes.filter((c) => c === 'UNAUTHENTICATED').length).toBe(hasher.verified.length)
  })
})

describe('limitHashing', () => {
  it('runs at most `concurrency` hashes at once and refuses past the queue', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const slow: PasswordHasher = {
      hash: async () => {
        await gate
        return 'h'
      },
      verify: async () => {
        await gate
        return false
      },
      needsRehash: () => false,
    }
    const limited = limitHashing(slow, { concurrency: 2, maxQueued: 5 })
    const calls = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0 ? limited.hash('p') : limited.verify('h', 'p'),
    )
    const settled = Promise.allSettled(calls)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(limited.load.running).toBe(2)
    expect(limited.load.queued).toBe(5)
    release()
    const outcomes = await settled
    expect(limited.load.maxRunning).toBe(2)
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(7)
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')
    expect(refused).toHaveLength(3)
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(BaseboxError)
      expect((r.reason as BaseboxError).code).toBe('LIMIT_EXCEEDED')
    }
    expect(limited.load.running).toBe(0)
  })
})
