import { describe, expect, it } from 'vitest'
import { MemoryThrottleStore } from './memory-throttle-store.js'
import { throttleDelayMs, type ThrottleRule } from './throttle-store.js'

const rule: ThrottleRule = {
  freeFailures: 3,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
  forgetAfterMs: 60_000,
}

describe('throttleDelayMs', () => {
  it('is free, then doubles, then stays at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100, 10_000].map((n) => throttleDelayMs(rule, n))).toEqual([
      0, 0, 0, 1000, 2000, 4000, 8000, 8000, 8000, 8000,
    ])
  })
})

describe('MemoryThrottleStore', () => {
  it('counts failures, makes the key wait, forgets after a quiet period', async () => {
    const store = new MemoryThrottleStore()
    let t = 0
    for (let i = 0; i < 3; i++) {
      expect(await store.fail([{ key: 'k', rule }], (t += 1))).toEqual([
        { retryAfterMs: 0, failures: i + 1, known: false },
      ])
    }
    expect(await store.fail([{ key: 'k', rule }], (t += 1))).toEqual([
      { retryAfterMs: 1000, failures: 4, known: false },
    ])
    expect(await store.peek(['k'], t + 400)).toEqual([
      { retryAfterMs: 600, failures: 4, known: false },
    ])
    expect(await store.peek(['k'], t + 1000)).toEqual([
      { retryAfterMs: 0, failures: 4, known: false },
    ])
    expect(await store.fail([{ key: 'k', rule }], (t += 60_001))).toEqual([
      { retryAfterMs: 0, failures: 1, known: false },
    ])
  })

  it('clears a key on success and can remember it as known', async () => {
    const store = new MemoryThrottleStore()
    await store.fail([{ key: 'k', rule: { ...rule, freeFailures: 0 } }], 0)
    await store.succeed(['k'], 10, { rememberForMs: 100 })
    expect(await store.peek(['k'], 20)).toEqual([{ retryAfterMs: 0, failures: 0, known: true }])
    expect(await store.peek(['k'], 200)).toEqual([{ retryAfterMs: 0, failures: 0, known: false }])
    expect(store.size).toBe(0)
  })

  it('stays within its key budget under a flood of keys', async () => {
    const store = new MemoryThrottleStore({ maxKeys: 100 })
    for (let i = 0; i < 1000; i++) {
      await store.fail([{ key: `flood-${i}`, rule }], i)
    }
    expect(store.size).toBeLessThanOrEqual(100)
    expect((await store.peek(['flood-999'], 1000))[0]?.failures).toBe(1)
  })
})
