import { BaseboxError } from '@basebox/core'
import type { PasswordHasher } from './password-hasher.js'

/** Options of {@link limitHashing}. */
export interface HashQueueOptions {
  /** Hashes and verifies running at once. Default `2`. Each argon2id run holds its memory (19 MiB at OWASP's parameters). */
  concurrency?: number
  /** Calls allowed to wait for a turn; past it a call fails at once with `LIMIT_EXCEEDED`. Default `64`. */
  maxQueued?: number
}

/** A {@link PasswordHasher} that runs at most a few hashes at once. */
export interface LimitedPasswordHasher extends PasswordHasher {
  /** Calls running now, and waiting. For tests and metrics. */
  readonly load: { readonly running: number; readonly queued: number; readonly maxRunning: number }
}

/**
 * Wraps a hasher so that at most `concurrency` hashes or verifies run at once and at most
 * `maxQueued` wait: a storm of sign-ins costs bounded memory and CPU, and past the queue it is
 * refused quickly (`LIMIT_EXCEEDED`, `details.retry_after_ms`) instead of piling up. The auth
 * package wraps every hasher it is given this way.
 */
export function limitHashing(
  hasher: PasswordHasher,
  options: HashQueueOptions = {},
): LimitedPasswordHasher {
  const concurrency = options.concurrency ?? 2
  const maxQueued = options.maxQueued ?? 64
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new RangeError('hash concurrency must be a whole number from 1 to 256')
  }
  if (!Number.isInteger(maxQueued) || maxQueued < 0 || maxQueued > 100_000) {
    throw new RangeError('maxQueued must be a whole number from 0 to 100000')
  }
  const waiting: (() => void)[] = []
  const load = { running: 0, queued: 0, maxRunning: 0 }

  async function turn<T>(work: () => Promise<T>): Promise<T> {
    if (load.running >= concurrency) {
      if (waiting.length >= maxQueued) {
        throw new BaseboxError(
          'LIMIT_EXCEEDED',
          'too many passwords are being checked right now; try again shortly',
          {
            details: { retry_after_ms: 1000 },
          },
        )
      }
      await new Promise<void>((resolve) => {
        waiting.push(resolve)
        load.queued = waiting.length
      })
    }
    load.running++
    load.maxRunning = Math.max(load.maxRunning, load.running)
    try {
      return await work()
    } finally {
      load.running--
      const next = waiting.shift()
      load.queued = waiting.length
      next?.()
    }
  }

  return {
    hash: (password) => turn(() => hasher.hash(password)),
    verify: (hash, password) => turn(() => hasher.verify(hash, password)),
    needsRehash: (hash) => hasher.needsRehash(hash),
    ...(hasher.withinPolicy === undefined
      ? {}
      : { withinPolicy: (hash: string) => hasher.withinPolicy!(hash) }),
    load,
  }
}
