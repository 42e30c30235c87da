import {
  nextThrottleState,
  throttleStatus,
  type ThrottleHit,
  type ThrottleState,
  type ThrottleStatus,
  type ThrottleStore,
} from './throttle-store.js'

/** Options of {@link MemoryThrottleStore}. */
export interface MemoryThrottleStoreOptions {
  /**
   * The most keys kept. When full, expired keys are dropped first, then the least recently
   * touched ones, so a flood of made-up emails cannot exhaust memory. Default is `100_000`.
   */
  maxKeys?: number
}

interface Entry extends ThrottleState {
  /** When nothing in the entry matters any more. */
  expiresMs: number
}

/**
 * A {@link ThrottleStore} in this process's memory: the default. Right for one server or the
 * browser; with several servers, use {@link PostgresThrottleStore} so they share counts.
 */
export class MemoryThrottleStore implements ThrottleStore {
  readonly #entries = new Map<string, Entry>()
  readonly #maxKeys: number

  constructor(options: MemoryThrottleStoreOptions = {}) {
    this.#maxKeys = options.maxKeys ?? 100_000
  }

  /** The number of keys held. */
  get size(): number {
    return this.#entries.size
  }

  async peek(keys: readonly string[], nowMs: number): Promise<ThrottleStatus[]> {
    return keys.map((key) => throttleStatus(this.#get(key, nowMs), nowMs))
  }

  async fail(hits: readonly ThrottleHit[], nowMs: number): Promise<ThrottleStatus[]> {
    return hits.map(({ key, rule }) => {
      const next = nextThrottleState(this.#get(key, nowMs), rule, nowMs)
      this.#set(
        key,
        {
          ...next,
          expiresMs: Math.max(nowMs + rule.forgetAfterMs, next.blockedUntilMs, next.knownUntilMs),
        },
        nowMs,
      )
      return throttleStatus(next, nowMs)
    })
  }

  async succeed(
    keys: readonly string[],
    nowMs: number,
    options: { rememberForMs?: number } = {},
  ): Promise<void> {
    for (const key of keys) {
      const knownUntilMs = Math.max(
        this.#get(key, nowMs)?.knownUntilMs ?? 0,
        nowMs + (options.rememberForMs ?? 0),
      )
      if (knownUntilMs > nowMs) {
        this.#set(
          key,
          {
            failures: 0,
            lastFailureMs: 0,
            blockedUntilMs: 0,
            knownUntilMs,
            expiresMs: knownUntilMs,
          },
          nowMs,
        )
      } else {
        this.#entries.delete(key)
      }
    }
  }

  #get(key: string, nowMs: number): Entry | undefined {
    const entry = this.#entries.get(key)
    if (entry !== undefined && entry.expiresMs <= nowMs) {
      this.#entries.delete(key)
      return undefined
    }
    return entry
  }

  #set(key: string, entry: Entry, nowMs: number): void {
    // Re-inserting moves the key to the end: the Map's order is least recently touched first.
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    if (this.#entries.size > this.#maxKeys) {
      for (const [k, e] of this.#entries) {
        if (e.expiresMs <= nowMs) {
          this.#entries.delete(k)
        }
      }
      // Then the least recently touched, down to 90 % so that the sweep is rare.
      const target = Math.floor(this.#maxKeys * 0.9)
      for (const k of this.#entries.keys()) {
        if (this.#entries.size <= target) {
          break
        }
        this.#entries.delete(k)
      }
    }
  }
}
