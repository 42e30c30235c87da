import { BaseboxError } from '@basebox/client'

/** Where a rate limiter keeps its counts. Memory by default; bring a shared one for several instances. */
export interface RateLimitStore {
  /**
   * Counts one hit of `key` in the window that starts at `windowStart` and returns the counts of
   * this window and the one before it.
   */
  hit(
    key: string,
    windowStart: number,
    windowMs: number,
  ): Promise<{ current: number; previous: number }>
}

/** A {@link RateLimitStore} in this process's memory; entries expire after two windows. */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #counts = new Map<string, { start: number; current: number; previous: number }>()
  #lastSweep = 0

  async hit(
    key: string,
    windowStart: number,
    windowMs: number,
  ): Promise<{ current: number; previous: number }> {
    if (windowStart - this.#lastSweep > windowMs) {
      this.#lastSweep = windowStart
      for (const [k, v] of this.#counts) {
        if (v.start < windowStart - windowMs) {
          this.#counts.delete(k)
        }
      }
    }
    let entry = this.#counts.get(key)
    if (entry === undefined || entry.start < windowStart - windowMs) {
      entry = { start: windowStart, current: 0, previous: 0 }
    } else if (entry.start < windowStart) {
      entry = { start: windowStart, current: 0, previous: entry.current }
    }
    entry.current += 1
    this.#counts.set(key, entry)
    return { current: entry.current, previous: entry.previous }
  }
}

/** Options of {@link createRateLimiter}. */
export interface RateLimitOptions {
  /** Requests allowed per window and key. Default is `600`. */
  max?: number
  /** Window length in milliseconds. Default is `60000`. */
  windowMs?: number
  /** Default is a {@link MemoryRateLimitStore}. */
  store?: RateLimitStore
}

/** Checks one key against its limit; throws `LIMIT_EXCEEDED` (429 with `Retry-After`) when over. */
export type RateLimiter = (key: string) => Promise<void>

/**
 * A sliding-window rate limiter, as in the original plan: the count of the current fixed window
 * plus the previous window's count weighted by how much of it still overlaps the last
 * `windowMs`.
 */
export function createRateLimiter(options: RateLimitOptions = {}): RateLimiter {
  const max = options.max ?? 600
  const windowMs = options.windowMs ?? 60_000
  const store = options.store ?? new MemoryRateLimitStore()
  return async (key) => {
    const now = Date.now()
    const windowStart = now - (now % windowMs)
    const { current, previous } = await store.hit(key, windowStart, windowMs)
    const overlap = 1 - (now - windowStart) / windowMs
    if (current + previous * overlap > max) {
      throw new BaseboxError('LIMIT_EXCEEDED', 'too many requests; slow down', {
        details: { retry_after_ms: windowStart + windowMs - now },
      })
    }
  }
}
