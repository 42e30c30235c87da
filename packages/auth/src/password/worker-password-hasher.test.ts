import { afterAll, describe, expect, it } from 'vitest'
import { createArgon2idHasher } from './password-hasher.js'
import { createWorkerPasswordHasher } from './worker-password-hasher.js'

const params = { memoryKiB: 1024, iterations: 1, parallelism: 1 }
const pool = createWorkerPasswordHasher({ params, threads: 2 })

afterAll(async () => {
  await pool.destroy()
})

describe('createWorkerPasswordHasher', () => {
  it('makes the same PHC strings as the in-process hasher, and verifies them both ways', async () => {
    const local = createArgon2idHasher(params)
    const fromPool = await pool.hash('correct horse battery staple')
    const fromLocal = await local.hash('correct horse battery staple')
    expect(fromPool).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/)
    expect(await local.verify(fromPool, 'correct horse battery staple')).toBe(true)
    expect(await pool.verify(fromLocal, 'correct horse battery staple')).toBe(true)
    expect(await pool.verify(fromLocal, 'wrong')).toBe(false)
    expect(await pool.verify('garbage', 'wrong')).toBe(false)
    expect(pool.needsRehash(fromPool)).toBe(false)
    expect(pool.threads).toBe(2)
  })

  it('runs many hashes at once, more than it has threads, keeping the event loop free', async () => {
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    const hashes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => pool.hash(`password number ${i}`)),
    )
    clearInterval(timer)
    expect(new Set(hashes).size).toBe(8)
    expect(await Promise.all(hashes.map((h, i) => pool.verify(h, `password number ${i}`)))).toEqual(
      Array(8).fill(true),
    )
    expect(ticks).toBeGreaterThan(0)
  })

  it('bounds its queue: past maxQueued waiting calls, LIMIT_EXCEEDED at once', async () => {
    const small = createWorkerPasswordHasher({ params, threads: 1, maxQueued: 2 })
    try {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => small.hash(`password number ${i}`)),
      )
      // One running, two waiting; the other three refused without being queued.
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3)
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')
      expect(refused.map((o) => (o.reason as { code?: string }).code)).toEqual(
        Array(3).fill('LIMIT_EXCEEDED'),
      )
      await expect(small.hash('after the storm')).resolves.toMatch(/^\$argon2id\$/)
    } finally {
      await small.destroy()
    }
  })

  it('refuses work once destroyed', async () => {
    const other = createWorkerPasswordHasher({ params, threads: 1 })
    await other.hash('warm up please')
    await other.destroy()
    await expect(other.hash('after destroy')).rejects.toThrow(/destroyed/)
    await other.destroy()
  })
})
