import { BaseboxError } from '@basebox/core'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import {
  isWithinArgon2idPolicy,
  ARGON2_HASH_BYTES,
  ARGON2_SALT_BYTES,
  checkArgon2idParams,
  matchesArgon2idParams,
  OWASP_ARGON2ID_PARAMS,
  isVerifiableArgon2Hash,
  type Argon2idParams,
  type PasswordHasher,
} from './password-hasher.js'

/** Options of {@link createWorkerPasswordHasher}. */
export interface WorkerPasswordHasherOptions {
  /** Default is {@link OWASP_ARGON2ID_PARAMS}. */
  params?: Argon2idParams
  /**
   * Worker threads, each hashing one password at a time. Default is the number of CPUs minus
   * one (at least one), so the event loop keeps a core for I/O.
   */
  threads?: number
  /**
   * Calls allowed to wait for a free worker; past it a call fails at once with
   * `LIMIT_EXCEEDED` (`details.retry_after_ms`), so a storm cannot pile up passwords and
   * promises without bound. Default is `64`. (`createAuth` also queues every hasher, see
   * `AuthConfig.hashing`.)
   */
  maxQueued?: number
}

/** A {@link PasswordHasher} on a pool of worker threads. */
export interface WorkerPasswordHasher extends PasswordHasher {
  /** The number of worker threads. */
  readonly threads: number
  /** Stops the workers; later calls reject. Idempotent. */
  destroy(): Promise<void>
}

interface Task {
  message: { op: 'hash'; password: string } | { op: 'verify'; password: string; hash: string }
  resolve(value: unknown): void
  reject(error: Error): void
}

interface Slot {
  worker: Worker
  task: Task | undefined
}

// The worker is CommonJS code evaluated by Node (no file to ship or resolve at run time); it
// loads hash-wasm's own CommonJS build from the path the main thread resolved.
function workerSource(hashWasmPath: string, params: Argon2idParams): string {
  return `
const { parentPort } = require('node:worker_threads')
const { argon2id, argon2Verify } = require(${JSON.stringify(hashWasmPath)})
parentPort.on('message', async (message) => {
  try {
    const value = message.op === 'hash'
      ? await argon2id({
          password: message.password,
          salt: crypto.getRandomValues(new Uint8Array(${ARGON2_SALT_BYTES})),
          parallelism: ${params.parallelism},
          iterations: ${params.iterations},
          memorySize: ${params.memoryKiB},
          hashLength: ${ARGON2_HASH_BYTES},
          outputType: 'encoded',
        })
      : await argon2Verify({ password: message.password, hash: message.hash }).catch(() => false)
    parentPort.postMessage({ ok: true, value })
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String((error && error.message) || error) })
  }
})`
}

/**
 * The argon2id {@link PasswordHasher} of hash-wasm on a pool of Node worker threads, so that
 * hashing (about 60 ms per password at OWASP's parameters) never blocks the event loop: reads
 * and writes keep flowing during a storm of sign-ins. Produces and accepts exactly the same PHC
 * strings as {@link createArgon2idHasher}. Node only. Idle workers do not keep the process
 * alive; call `destroy()` to stop them.
 *
 * ### Examples
 *
 * ```ts
 * import { createAuth } from '@basebox/auth'
 * import { createWorkerPasswordHasher } from '@basebox/auth/node'
 *
 * const auth = await createAuth({ basebox: bb, passwordHasher: createWorkerPasswordHasher() })
 * ```
 */
export function createWorkerPasswordHasher(
  options: WorkerPasswordHasherOptions = {},
): WorkerPasswordHasher {
  const params = checkArgon2idParams(options.params ?? OWASP_ARGON2ID_PARAMS)
  const threads = options.threads ?? Math.max(1, availableParallelism() - 1)
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new RangeError('threads must be a whole number from 1 to 64')
  }
  const maxQueued = options.maxQueued ?? 64
  if (!Number.isInteger(maxQueued) || maxQueued < 0 || maxQueued > 100_000) {
    throw new RangeError('maxQueued must be a whole number from 0 to 100000')
  }
  const source = workerSource(createRequire(import.meta.url).resolve('hash-wasm'), params)
  const queue: Task[] = []
  const slots: Slot[] = []
  let destroyed = false

  const start = (): Slot => {
    const slot: Slot = { worker: new Worker(source, { eval: true }), task: undefined }
    slot.worker.unref()
    slot.worker.on('message', (reply: { ok: boolean; value?: unknown; error?: string }) => {
      const task = slot.task
      slot.task = undefined
      if (reply.ok) {
        task?.resolve(reply.value)
      } else {
        task?.reject(new Error(reply.error ?? 'password hashing failed'))
      }
      next(slot)
    })
    slot.worker.on('error', (error) => {
      // A crashed worker fails its task and is replaced.
      slot.task?.reject(error)
      slot.task = undefined
      const index = slots.indexOf(slot)
      if (index >= 0 && !destroyed) {
        slots[index] = start()
        next(slots[index]!)
      }
    })
    return slot
  }

  const next = (slot: Slot) => {
    const task = queue.shift()
    if (task === undefined) {
      slot.worker.unref()
      return
    }
    slot.task = task
    // A busy worker keeps the process alive until its answer arrives.
    slot.worker.ref()
    slot.worker.postMessage(task.message)
  }

  const run = <T>(message: Task['message']): Promise<T> => {
    if (destroyed) {
      return Promise.reject(new Error('this password hasher has been destroyed'))
    }
    const busy = slots.length >= threads && slots.every((slot) => slot.task !== undefined)
    if (busy && queue.length >= maxQueued) {
      return Promise.reject(
        new BaseboxError(
          'LIMIT_EXCEEDED',
          'too many passwords are being checked right now; try again shortly',
          { details: { retry_after_ms: 1000 } },
        ),
      )
    }
    return new Promise<T>((resolve, reject) => {
      queue.push({ message, resolve: resolve as (value: unknown) => void, reject })
      if (slots.length < threads) {
        slots.push(start())
      }
      const idle = slots.find((slot) => slot.task === undefined)
      if (idle !== undefined) {
        next(idle)
      }
    })
  }

  return {
    threads,
    hash: (password) => run<string>({ op: 'hash', password }),
    async verify(hash, password) {
      if (!isVerifiableArgon2Hash(hash) || !isWithinArgon2idPolicy(hash, params)) {
        return false
      }
      return (await run<boolean>({ op: 'verify', password, hash })) === true
    },
    needsRehash: (hash) => !matchesArgon2idParams(hash, params),
    withinPolicy: (hash) => isWithinArgon2idPolicy(hash, params),
    async destroy() {
      if (destroyed) {
        return
      }
      destroyed = true
      for (const task of queue.splice(0)) {
        task.reject(new Error('this password hasher has been destroyed'))
      }
      await Promise.all(slots.map((slot) => slot.worker.terminate()))
      slots.length = 0
    },
  }
}
