import { BaseboxError } from '@basebox/client'
import { DriverDestroyedError } from '../driver.js'
import { keepErrorFields } from './backend-messages.js'
import type { PGlite, PGliteQueryOptions, PGliteQueryResults, PGliteTransaction } from 'kysely'

/**
 * The subset of a `PGliteWorker` (from `@electric-sql/pglite/worker`) that Basebox needs. We don't
 * use the type from `@electric-sql/pglite` here so that PGlite stays an optional peer dependency.
 *
 * https://pglite.dev/docs/multi-tab-worker
 */
export type PGliteWorkerLike = PGlite

/** Why a worker was stopped, as given to {@link RestartablePGliteConfig.onStop}. */
export interface PGliteWorkerStop {
  /**
   * `'timeout'`: a user SQL session overran its `timeoutMs`; `'abort'`: its caller's signal
   * aborted while it ran.
   */
  reason: 'timeout' | 'abort'
  /** The session's budget. */
  timeoutMs: number
}

/** Constructor input of {@link RestartablePGlite}. @internal */
export interface RestartablePGliteConfig {
  /** Starts a new worker; called for the first call and after every stop. */
  start: () => Promise<PGliteWorkerLike>
  /** How long a (re)start may take before the calls waiting on it fail. */
  startTimeoutMs: number
  /** Called after a worker was stopped, before the new one is ready. */
  onStop?: (stop: PGliteWorkerStop) => void
  /**
   * Resolves once a terminated worker's files can be opened by another, or rejects with the
   * signal's reason when it aborts. Awaited before the next worker starts, and by `close()`.
   * Without it, a new worker starts right after the old one is terminated.
   */
  waitForRelease?: (signal: AbortSignal) => Promise<void>
}

/** One started worker: calls racing `stopped` settle even when the worker is terminated. */
interface Generation {
  readonly instance: PGliteWorkerLike
  readonly stopped: Promise<never>
  isStopped: boolean
  stop(reason: Error): void
}

/** Runs async functions one at a time, in call order. */
class Mutex {
  #tail: Promise<unknown> = Promise.resolve()

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn)
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    )
    return result
  }
}

function closedError(): BaseboxError {
  return new DriverDestroyedError('pglite-worker')
}

/**
 * Closes a started PGliteWorker once it is connected to its leader (at once when it already is).
 * See the start timeout in {@link RestartablePGlite}: closing earlier makes PGlite's own leader
 * loop post on a closed channel.
 */
async function closeWhenConnected(instance: PGliteWorkerLike): Promise<void> {
  await instance.waitReady
  await instance.close()
}

/**
 * Runs `fn` with a signal that aborts after `ms`, and rejects with `timeout()` then, even when
 * `fn` does not settle.
 */
async function withDeadline<T>(
  ms: number,
  timeout: () => Error,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = timeout()
      controller.abort(error)
      reject(error)
    }, ms)
  })
  try {
    return await Promise.race([fn(controller.signal), late])
  } finally {
    clearTimeout(timer)
  }
}

function generationOf(instance: PGliteWorkerLike): Generation {
  let reject!: (reason: Error) => void
  const stopped = new Promise<never>((_, r) => {
    reject = r
  })
  // A stop with nothing racing it is not an unhandled rejection.
  stopped.catch(() => {})
  const generation: Generation = {
    instance,
    stopped,
    isStopped: false,
    stop(reason) {
      if (generation.isStopped) {
        return
      }
      generation.isStopped = true
      reject(reason)
      // PGliteWorker.close() terminates the worker at once, without a message round trip.
      void instance.close().catch(() => {})
    },
  }
  return generation
}

/** `tx` whose calls reject as soon as the worker is stopped, instead of never settling. */
function guardTransaction(tx: PGliteTransaction, generation: Generation): PGliteTransaction {
  return {
    query: <T>(query: string, params?: unknown[], options?: PGliteQueryOptions) =>
      Promise.race([tx.query<T>(query, params, options), generation.stopped]),
    rollback: () => Promise.race([tx.rollback(), generation.stopped]),
  }
}

/**
 * A PGlite that lives in a Web Worker and can be stopped mid-statement: it terminates the worker
 * and starts a new one on the same (persisted) data directory. Every top-level call (a query or
 * a whole transaction) reaches the worker one at a time, so a stop only ever interrupts the one
 * call running; calls queued behind it wait on this side and run on the new worker. This is what
 * kysely's `PGliteDialect` is given, so the engine never sees the restarts.
 * @internal
 */
export class RestartablePGlite implements PGlite {
  readonly #config: RestartablePGliteConfig
  readonly #mutex = new Mutex()
  #current: Generation | undefined
  #starting: Promise<Generation> | undefined
  #closed = false
  /** Whether a terminated worker may still hold files the next one needs. */
  #releasePending = false

  constructor(config: RestartablePGliteConfig) {
    this.#config = config
  }

  get closed(): boolean {
    return this.#closed
  }

  get ready(): boolean {
    return this.#current !== undefined && !this.#current.isStopped
  }

  get waitReady(): Promise<void> {
    return this.#generation().then(() => undefined)
  }

  /** Runs one statement on the worker once every earlier call has settled. */
  query<T>(
    query: string,
    params?: unknown[],
    options?: PGliteQueryOptions,
  ): Promise<PGliteQueryResults<T>> {
    return this.#exclusive((generation) => generation.instance.query<T>(query, params, options))
  }

  /** Runs `callback` in one transaction on the worker once every earlier call has settled. */
  transaction<T>(callback: (tx: PGliteTransaction) => Promise<T>): Promise<T> {
    return this.#exclusive((generation) =>
      generation.instance.transaction((tx) => callback(guardTransaction(tx, generation))),
    )
  }

  /**
   * Runs `fn` like a top-level call and stops the worker when it has not settled within
   * `timeoutMs` of this call (time spent waiting for earlier calls or a restart counts; a call
   * whose budget is spent before it reaches the worker fails without touching it). `fn` receives
   * a PGlite whose transactions run on this worker (the lock is already held) and `disarm`, which
   * ends the time limit (call it before the commit, so that a `TIMEOUT` always means nothing was
   * committed). `signal` stops the worker the same way until `disarm` (the call rejects with its
   * reason); one that aborts while the call waits for earlier ones keeps it from running.
   */
  runStoppable<T>(
    timeoutMs: number,
    fn: (pglite: PGlite, disarm: () => void) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const calledAt = performance.now()
    return this.#mutex.run(async () => {
      signal?.throwIfAborted()
      const generation = await this.#generation()
      signal?.throwIfAborted()
      const remainingMs = timeoutMs - (performance.now() - calledAt)
      if (remainingMs <= 0) {
        throw new BaseboxError(
          'TIMEOUT',
          `the SQL waited longer than ${timeoutMs} ms for earlier calls and was not run`,
          {
            details: { timeoutMs },
          },
        )
      }
      let timer: ReturnType<typeof setTimeout> | undefined
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(
            new BaseboxError(
              'TIMEOUT',
              `the SQL ran longer than ${timeoutMs} ms and was stopped: its worker was terminated and restarted, and its transaction rolled back`,
              { details: { timeoutMs } },
            ),
          )
          this.#stop(generation, new BaseboxError('TIMEOUT', `stopped after ${timeoutMs} ms`))
          this.#config.onStop?.({ reason: 'timeout', timeoutMs })
        }, remainingMs)
      })
      let onAbort: (() => void) | undefined
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => {
          reject(signal!.reason)
          this.#stop(generation, new BaseboxError('UNAVAILABLE', 'stopped: its caller aborted'))
          this.#config.onStop?.({ reason: 'abort', timeoutMs })
        }
        signal?.addEventListener('abort', onAbort, { once: true })
      })
      expired.catch(() => {})
      aborted.catch(() => {})
      const disarm = () => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort!)
      }
      const view: PGlite = {
        get closed() {
          return generation.isStopped
        },
        ready: true,
        waitReady: Promise.resolve(),
        close: async () => {},
        query: <R>(query: string, params?: unknown[], options?: PGliteQueryOptions) =>
          Promise.race([generation.instance.query<R>(query, params, options), generation.stopped]),
        transaction: (callback) =>
          Promise.race([
            generation.instance.transaction((tx) => callback(guardTransaction(tx, generation))),
            generation.stopped,
          ]),
      }
      try {
        return await Promise.race([fn(view, disarm), generation.stopped, expired, aborted])
      } finally {
        disarm()
      }
    })
  }

  /**
   * Terminates the worker: the call running (if any) and every call after fail. Resolves once
   * the worker's files are released (see {@link RestartablePGliteConfig.waitForRelease}), so
   * that another driver can open the same data directory; rejects with `TIMEOUT` when that
   * takes longer than `startTimeoutMs`.
   */
  async close(): Promise<void> {
    if (this.#closed) {
      return
    }
    this.#closed = true
    const starting = this.#starting
    if (this.#current !== undefined) {
      this.#terminate(this.#current, closedError())
      this.#current = undefined
    }
    // A worker still starting is closed when it arrives.
    await starting?.then((generation) => this.#terminate(generation, closedError())).catch(() => {})
    await this.#awaitRelease()
  }

  #exclusive<T>(fn: (generation: Generation) => Promise<T>): Promise<T> {
    return this.#mutex.run(async () => {
      const generation = await this.#generation()
      return await Promise.race([fn(generation), generation.stopped])
    })
  }

  /** Stops `generation`, terminating its worker, whose files the next start waits for. */
  #terminate(generation: Generation, reason: Error): void {
    if (!generation.isStopped) {
      generation.stop(reason)
      this.#releasePending = this.#config.waitForRelease !== undefined
    }
  }

  /**
   * Waits (up to `startTimeoutMs`) until the last terminated worker's files are released. Fails
   * with `TIMEOUT` rather than let a new worker open files that are still held, which hangs it.
   */
  async #awaitRelease(): Promise<void> {
    const { waitForRelease, startTimeoutMs } = this.#config
    if (!this.#releasePending || waitForRelease === undefined) {
      return
    }
    try {
      await withDeadline(
        startTimeoutMs,
        () =>
          new BaseboxError(
            'TIMEOUT',
            `the stopped PGlite worker did not release its files within ${startTimeoutMs} ms`,
            {
              details: { timeoutMs: startTimeoutMs },
            },
          ),
        waitForRelease,
      )
    } catch (error) {
      if (error instanceof BaseboxError) {
        throw error
      }
      throw new BaseboxError(
        'INTERNAL',
        'could not tell whether the stopped PGlite worker released its files',
        { cause: error },
      )
    }
    this.#releasePending = false
  }

  #stop(generation: Generation, reason: Error): void {
    this.#terminate(generation, reason)
    if (this.#current === generation) {
      this.#current = undefined
    }
    if (!this.#closed) {
      // Start the next worker now: calls queued behind the stopped one wait for it.
      this.#generation().catch(() => {})
    }
  }

  /** The running worker, or the one starting. Rejects when closed or when the start fails. */
  #generation(): Promise<Generation> {
    if (this.#closed) {
      return Promise.reject(closedError())
    }
    if (this.#current !== undefined && !this.#current.isStopped) {
      return Promise.resolve(this.#current)
    }
    this.#starting ??= this.#start().finally(() => {
      this.#starting = undefined
    })
    return this.#starting
  }

  async #start(): Promise<Generation> {
    const { startTimeoutMs } = this.#config
    // One budget for the whole restart: waiting for the old worker's files, then the new worker.
    const begunAt = performance.now()
    await this.#awaitRelease()
    if (this.#closed) {
      throw closedError()
    }
    const remainingMs = Math.max(0, startTimeoutMs - (performance.now() - begunAt))
    const started = Promise.resolve().then(() => this.#config.start())
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new BaseboxError(
            'TIMEOUT',
            `the PGlite worker did not start within ${startTimeoutMs} ms`,
          ),
        )
        // A worker that comes up after all is not left running, but it is closed only once it is
        // connected: a PGliteWorker (0.5.16) closed before that keeps posting "tab-here" on its
        // BroadcastChannel every 16 ms, and the first post after close() rejects, unhandled, with
        // "Channel is closed".
        void started.then((instance) => closeWhenConnected(instance)).catch(() => {})
      }, remainingMs)
    })
    try {
      const instance = await Promise.race([started, late])
      if (!instance.ready) {
        await Promise.race([instance.waitReady, late])
      }
      const generation = generationOf(keepErrorFields(instance))
      if (this.#closed) {
        this.#terminate(generation, closedError())
        throw closedError()
      }
      this.#current = generation
      return generation
    } catch (error) {
      if (error instanceof BaseboxError) {
        throw error
      }
      throw new BaseboxError('INTERNAL', 'the PGlite worker could not be started', { cause: error })
    } finally {
      clearTimeout(timer)
    }
  }
}
