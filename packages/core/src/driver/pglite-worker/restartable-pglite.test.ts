// The stop-and-restart logic, on fake workers (fast and exact). The real thing, PGlite in a Web
// Worker in Chromium, is pglite-worker-driver.browser.test.ts.
import { BaseboxError } from '@basebox/client'
import type { PGliteQueryResults, PGliteTransaction } from 'kysely'
import { describe, expect, it } from 'vitest'
import { describeDriverDestroyConformance } from '../../testing/conformance-destroy.js'
import { expectCode } from '../../testing/expect-code.js'
import { DriverDestroyedError } from '../driver.js'
import { pgliteWorkerDriver } from './pglite-worker-driver.js'
import {
  RestartablePGlite,
  type PGliteWorkerLike,
  type PGliteWorkerStop,
} from './restartable-pglite.js'

/** A stand-in for a PGliteWorker: `'hang'` never answers, like a statement that never ends. */
class FakeWorker implements PGliteWorkerLike {
  closed = false
  ready = true
  waitReady = Promise.resolve()
  readonly ran: string[] = []
  constructor(readonly id: number) {}

  async query<T>(text: string): Promise<PGliteQueryResults<T>> {
    if (this.closed) {
      throw new Error('closed')
    }
    this.ran.push(text)
    if (text === 'hang') {
      return new Promise(() => {})
    }
    if (text.startsWith('wait ')) {
      await new Promise((resolve) => setTimeout(resolve, Number(text.slice(5))))
    }
    return { rows: [{ worker: this.id, text } as T], fields: [] }
  }

  async transaction<T>(callback: (tx: PGliteTransaction) => Promise<T>): Promise<T> {
    this.ran.push('begin')
    const result = await callback({ query: (text) => this.query(text), rollback: async () => {} })
    this.ran.push('commit')
    return result
  }

  async close(): Promise<void> {
    this.closed = true
  }
}

interface SetupOptions {
  start?: (n: number) => Promise<PGliteWorkerLike>
  startTimeoutMs?: number
  waitForRelease?: (signal: AbortSignal) => Promise<void>
}

function setup(options: SetupOptions = {}) {
  const workers: FakeWorker[] = []
  const stops: PGliteWorkerStop[] = []
  let starts = 0
  const pglite = new RestartablePGlite({
    start: () => {
      starts++
      if (options.start) {
        return options.start(starts)
      }
      const worker = new FakeWorker(starts)
      workers.push(worker)
      return Promise.resolve(worker)
    },
    startTimeoutMs: options.startTimeoutMs ?? 1_000,
    onStop: (stop) => stops.push(stop),
    ...(options.waitForRelease ? { waitForRelease: options.waitForRelease } : {}),
  })
  const workerOf = async (text = 'select') =>
    (await pglite.query<{ worker: number }>(text)).rows[0]!.worker
  return { pglite, workers, stops, workerOf, starts: () => starts }
}

describe('RestartablePGlite', () => {
  it('starts the worker on first use, once', async () => {
    const { pglite, workerOf, starts } = setup()
    expect(pglite.ready).toBe(false)
    expect(
      await Promise.all([workerOf(), workerOf(), pglite.waitReady.then(() => workerOf())]),
    ).toEqual([1, 1, 1])
    expect(starts()).toBe(1)
    expect(pglite.ready).toBe(true)
  })

  it('stops a session past its time, and calls queued behind it run on the next worker', async () => {
    const { pglite, workers, stops, workerOf } = setup()
    await workerOf()
    const session = pglite.runStoppable(50, (view) =>
      view.transaction(async (tx) => tx.query('hang')),
    )
    const queued = [
      workerOf(),
      pglite.transaction(
        async (tx) => (await tx.query<{ worker: number }>('in tx')).rows[0]!.worker,
      ),
    ]
    const error = await expectCode(session, 'TIMEOUT')
    expect(error.message).toMatch(/longer than 50 ms and was stopped/)
    expect(await Promise.all(queued)).toEqual([2, 2])
    expect(workers[0]!.closed).toBe(true)
    expect(workers[0]!.ran).not.toContain('commit')
    expect(stops).toEqual([{ reason: 'timeout', timeoutMs: 50 }])
  })

  it('does not stop a session that settles in time', async () => {
    const { pglite, stops, workerOf } = setup()
    const result = await pglite.runStoppable(60_000, (view) =>
      view.transaction(async (tx) => (await tx.query<{ text: string }>('wait 20')).rows[0]!.text),
    )
    expect(result).toBe('wait 20')
    expect(await workerOf()).toBe(1)
    expect(stops).toEqual([])
  })

  it('stops nothing after disarm: a slow commit is not reported as a timeout', async () => {
    const { pglite, stops } = setup()
    const result = await pglite.runStoppable(30, async (view, disarm) =>
      view.transaction(async (tx) => {
        disarm()
        return (await tx.query<{ worker: number }>('wait 80')).rows[0]!.worker
      }),
    )
    expect(result).toBe(1)
    expect(stops).toEqual([])
  })

  it('counts the wait for earlier calls in a session budget, and fails a spent one without stopping anything', async () => {
    const { pglite, stops, workerOf, starts } = setup()
    await workerOf()
    const slow = pglite.query('wait 100')
    const late = pglite.runStoppable(30, (view) => view.query('select'))
    const error = await expectCode(late, 'TIMEOUT')
    expect(error.message).toMatch(/waited longer than 30 ms/)
    await slow
    expect(stops).toEqual([])
    expect(starts()).toBe(1)
  })

  it('fails the call waiting for a worker that cannot start with INTERNAL; the next call tries again', async () => {
    const { workerOf, starts } = setup({
      start: async (n) => {
        if (n === 1) {
          throw new Error('no IndexedDB here')
        }
        return new FakeWorker(n)
      },
    })
    // Calls run one at a time: the second, queued behind the failed start, makes a new attempt.
    const [a, b] = await Promise.allSettled([workerOf(), workerOf()])
    expect(a.status).toBe('rejected')
    const reason = (a as PromiseRejectedResult).reason as BaseboxError
    expect(reason).toBeInstanceOf(BaseboxError)
    expect(reason.code).toBe('INTERNAL')
    expect(reason.message).toMatch(/could not be started/)
    expect((reason.cause as Error).message).toBe('no IndexedDB here')
    expect(b).toEqual({ status: 'fulfilled', value: 2 })
    expect(starts()).toBe(2)
  })

  it('fails with TIMEOUT when a start takes longer than startTimeoutMs, and closes the late worker once it is connected', async () => {
    // Ordered by hand, not by timers: the start arrives after its timeout, not yet connected.
    const late = new FakeWorker(1)
    let connect!: () => void
    late.ready = false
    late.waitReady = new Promise<void>((resolve) => {
      connect = () => {
        late.ready = true
        resolve()
      }
    })
    let arrive!: (worker: FakeWorker) => void
    let closedLate!: () => void
    const lateClosed = new Promise<void>((resolve) => {
      closedLate = resolve
    })
    late.close = async () => {
      late.closed = true
      closedLate()
    }
    const { workerOf } = setup({
      startTimeoutMs: 30,
      start: (n) =>
        n === 1
          ? new Promise<FakeWorker>((resolve) => (arrive = resolve))
          : Promise.resolve(new FakeWorker(n)),
    })
    const error = await expectCode(workerOf(), 'TIMEOUT')
    expect(error.message).toMatch(/did not start within 30 ms/)
    arrive(late)
    // A PGliteWorker closed before it is connected posts on its closed BroadcastChannel (an
    // unhandled "Channel is closed"): it stays open until connected...
    for (let i = 0; i < 10; i++) {
      await Promise.resolve()
    }
    expect(late.closed).toBe(false)
    // ...and is closed then.
    connect()
    await lateClosed
    expect(late.closed).toBe(true)
    expect(await workerOf()).toBe(2)
  })

  it('close() terminates the worker, even mid-statement, and later calls fail with DriverDestroyedError', async () => {
    const { pglite, workers, workerOf } = setup()
    await workerOf()
    const running = pglite.query('hang')
    await pglite.close()
    expect(pglite.closed).toBe(true)
    expect(workers[0]!.closed).toBe(true)
    expect(await expectCode(running, 'UNSUPPORTED')).toBeInstanceOf(DriverDestroyedError)
    expect(await expectCode(workerOf(), 'UNSUPPORTED')).toBeInstanceOf(DriverDestroyedError)
    await pglite.close()
  })
})

/** Lets queued microtasks run (no timers) until `done()` holds; fails after 100 rounds. */
async function microtasksUntil(done: () => boolean): Promise<void> {
  for (let round = 0; round < 100 && !done(); round++) {
    await Promise.resolve()
  }
  expect(done()).toBe(true)
}

/** A `waitForRelease` resolved by hand: each call is recorded with its signal. */
function releases() {
  const waits: { signal: AbortSignal; release: () => void }[] = []
  const waitForRelease = (signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      waits.push({ signal, release: resolve })
      signal.addEventListener('abort', () => reject(signal.reason), { once: true })
    })
  return { waits, waitForRelease }
}

describe('RestartablePGlite, when a stopped worker releases its files late', () => {
  it('starts the next worker only once the stopped one released its files', async () => {
    const { waits, waitForRelease } = releases()
    const { pglite, workers, workerOf, starts } = setup({ waitForRelease })
    expect(await workerOf()).toBe(1)
    // The first start had nothing to wait for.
    expect(waits).toHaveLength(0)
    const session = pglite.runStoppable(20, (view) => view.query('hang'))
    const queued = workerOf()
    await expectCode(session, 'TIMEOUT')
    expect(workers[0]!.closed).toBe(true)
    expect(waits).toHaveLength(1)
    for (let i = 0; i < 10; i++) {
      await Promise.resolve()
    }
    expect(starts()).toBe(1)
    waits[0]!.release()
    expect(await queued).toBe(2)
    expect(starts()).toBe(2)
  })

  it('fails with TIMEOUT when the files are not released within startTimeoutMs, starts nothing, and the next call waits again', async () => {
    const { waits, waitForRelease } = releases()
    const { pglite, workerOf, starts } = setup({ waitForRelease, startTimeoutMs: 30 })
    await workerOf()
    const session = pglite.runStoppable(10, (view) => view.query('hang'))
    const queued = workerOf()
    await expectCode(session, 'TIMEOUT')
    const error = await expectCode(queued, 'TIMEOUT')
    expect(error.message).toMatch(/did not release its files within 30 ms/)
    // The wait was told to give up, and no worker was started on files still held.
    expect(waits[0]!.signal.aborted).toBe(true)
    expect(starts()).toBe(1)
    const next = workerOf()
    // Released within microtasks (no timer runs), so well inside the new 30 ms budget.
    await microtasksUntil(() => waits.length === 2)
    waits[1]!.release()
    expect(await next).toBe(2)
  })

  it('close() resolves once the worker released its files', async () => {
    const { waits, waitForRelease } = releases()
    const { pglite, workers, workerOf } = setup({ waitForRelease })
    await workerOf()
    let closed = false
    const closing = pglite.close().then(() => {
      closed = true
    })
    expect(workers[0]!.closed).toBe(true)
    await microtasksUntil(() => waits.length === 1)
    expect(closed).toBe(false)
    waits[0]!.release()
    await closing
    expect(closed).toBe(true)
  })
})

describe('pgliteWorkerDriver', () => {
  it('refuses a data directory that would not outlive its worker', () => {
    const start = () => Promise.resolve(new FakeWorker(1))
    for (const dataDir of ['', 'memory://', 'memory://app']) {
      expect(() => pgliteWorkerDriver({ dataDir, start })).toThrow(
        expect.objectContaining({
          code: 'VALIDATION_FAILED',
          message: expect.stringMatching(/persisted dataDir/),
        }),
      )
    }
    const driver = pgliteWorkerDriver({ dataDir: 'idb://app', start })
    expect(driver.name).toBe('pglite-worker')
    expect(driver.capabilities).toEqual({
      supportsMultipleConnections: false,
      confinesSQL: false,
      interruptsSQL: true,
      refusesOversizedRows: false,
    })
  })

  it('passes the dataDir to start()', async () => {
    const seen: unknown[] = []
    const driver = pgliteWorkerDriver({
      dataDir: 'opfs-ahp://app',
      start: async (options) => {
        seen.push(options)
        return new FakeWorker(1)
      },
    })
    const login = { role: 'r', password: '', schema: 's' }
    expect(
      await driver.runSQLSession(login, { readOnly: false, timeoutMs: 1_000 }, async () => 'ok'),
    ).toBe('ok')
    expect(seen).toEqual([{ dataDir: 'opfs-ahp://app' }])
  })
})

describeDriverDestroyConformance('pglite-worker (fake workers)', async () => {
  const workers: FakeWorker[] = []
  const driver = pgliteWorkerDriver({
    dataDir: 'idb://app',
    start: async () => {
      const worker = new FakeWorker(workers.length + 1)
      workers.push(worker)
      return worker
    },
  })
  return { driver, released: () => workers.length > 0 && workers.every((worker) => worker.closed) }
})
