import type { Basebox } from '@basebox/core'
import type { TestHarness } from '@basebox/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PostgresRateLimitStore } from './postgres-rate-limit-store.js'
import { createRateLimiter, MemoryRateLimitStore, type RateLimitStore } from './rate-limit.js'
import { testBackends } from './testing.js'

async function hits(
  limit: (key: string) => Promise<void>,
  key: string,
  n: number,
): Promise<number> {
  let refused = 0
  for (let i = 0; i < n; i++) {
    await limit(key).catch(() => {
      refused++
    })
  }
  return refused
}

describe('sliding window', () => {
  it('counts the previous window by how much of it overlaps', async () => {
    const store = new MemoryRateLimitStore()
    // 10 hits in the previous window; now a quarter into the current one: 7.5 of them still count.
    for (let i = 0; i < 10; i++) {
      await store.hit('k', 0, 1000)
    }
    expect(await store.hit('k', 1000, 1000)).toEqual({ current: 1, previous: 10 })
  })
})

for (const backend of testBackends()) {
  describe(`${backend.name}: rate limit stores`, () => {
    let h: TestHarness
    let bb: Basebox
    beforeAll(async () => {
      h = await backend.create()
      bb = await h.engine()
    })
    afterAll(async () => {
      await h?.close()
    })

    it('two limiters on one Postgres store share their counts, as two server instances would', async () => {
      const stores: RateLimitStore[] = [
        new PostgresRateLimitStore(bb),
        new PostgresRateLimitStore(bb),
      ]
      const [a, b] = stores.map((store) => createRateLimiter({ max: 5, windowMs: 60_000, store }))
      expect(await hits(a!, 'shared', 3)).toBe(0)
      expect(await hits(b!, 'shared', 4)).toBe(2)
      expect(await hits(a!, 'other', 5)).toBe(0)
      const memory = [
        createRateLimiter({ max: 5, windowMs: 60_000 }),
        createRateLimiter({ max: 5, windowMs: 60_000 }),
      ]
      expect(await hits(memory[0]!, 'apart', 5)).toBe(0)
      expect(await hits(memory[1]!, 'apart', 5)).toBe(0)
    })
  })
}
