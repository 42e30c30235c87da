import type { CompiledQuery, QueryResult } from 'kysely'
import { BatchStatementError } from '../wire.js'
import { runPgAtomicBatch, type PgBatchClient } from './pg-internals.js'

/** A pooled client as the lanes hold it. */
interface LaneClient extends PgBatchClient {
  pipeline?: boolean
  on(event: 'error', listener: (error: unknown) => void): unknown
  off(event: 'error', listener: (error: unknown) => void): unknown
  release(destroy?: boolean): void
  connection: { stream: { cork?(): void; uncork?(): void } }
}

interface Lane {
  client: LaneClient
  /** Drops the lane when its connection fails while held (the pool only watches idle clients). */
  onError: (error: unknown) => void
  inFlight: number
  corked: boolean
  idleSince: number
}

/**
 * Batches in flight on a lane before another lane is opened. Deeper pipelines share more
 * system calls (on both ends) but let a slow statement delay the cheap ones queued behind it.
 */
const DEPTH = 8

/** How long a lane stays open without work before it goes back to the pool. */
const IDLE_MS = 5_000

/**
 * Connections held out of a node-postgres pool in pipeline mode, on which atomic batches of
 * many callers travel together: each batch is its own implicit transaction (it ends with its own
 * Sync), and the batches written in the same turn of the event loop (up to its check phase, so
 * across the I/O callbacks of that turn) leave in ONE socket write.
 * On a machine where a system call is expensive, the write is the largest part of a cheap
 * read; sharing it is what lets the engine keep up with the raw driver under concurrency.
 *
 * A batch joins a lane whose writes are held for this turn, else the lane with the fewest
 * batches in flight; a new lane is opened (up to `max`) only when every lane has `DEPTH` in
 * flight, so one caller at a time uses one connection. Lanes idle for a
 * few seconds go back to the pool. A lane whose connection fails is dropped (and destroyed).
 * Pools without pipeline mode are not laned: each batch takes a connection of its own.
 */
export class PgLanes {
  readonly #connect: () => Promise<LaneClient>
  readonly #max: number
  #lanes: Lane[] = []
  #opening = 0
  #unsupported = false
  #timer: ReturnType<typeof setInterval> | undefined
  #closed = false

  constructor(connect: () => Promise<unknown>, max: number) {
    this.#connect = connect as () => Promise<LaneClient>
    this.#max = Math.max(1, max)
  }

  /** Runs one atomic batch on a lane (or, without pipeline mode, on a connection of its own). */
  async run(queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
    const lane = this.#unsupported || this.#closed ? undefined : await this.#pick()
    if (lane === undefined) {
      return this.#runAlone(queries)
    }
    lane.inFlight++
    this.#cork(lane)
    try {
      return await runPgAtomicBatch(lane.client, queries)
    } catch (error) {
      if (!(error instanceof BatchStatementError)) {
        this.#drop(lane, true)
      }
      throw error
    } finally {
      lane.inFlight--
      lane.idleSince = Date.now()
    }
  }

  /** Gives every idle lane back to the pool; lanes still busy are given back when they finish. */
  close(): void {
    this.#closed = true
    clearInterval(this.#timer)
    for (const lane of [...this.#lanes]) {
      this.#drop(lane, false)
    }
  }

  async #runAlone(queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
    const client = await this.#connect()
    let broken = false
    // While checked out, a client has no pool listener: a connection dying now must not
    // become an unhandled 'error' event (the batch itself fails with the error).
    const onError = () => {
      broken = true
    }
    client.on('error', onError)
    try {
      return await runPgAtomicBatch(client, queries)
    } catch (error) {
      broken ||= !(error instanceof BatchStatementError)
      throw error
    } finally {
      client.off('error', onError)
      if (broken) {
        client.on('error', () => {})
      }
      client.release(broken)
    }
  }

  async #pick(): Promise<Lane | undefined> {
    let best: Lane | undefined
    for (const lane of this.#lanes) {
      // A lane whose writes are held for this turn takes the batch into the same write.
      if (lane.corked && lane.inFlight < DEPTH) {
        return lane
      }
      if (best === undefined || lane.inFlight < best.inFlight) {
        best = lane
      }
    }
    if (
      best !== undefined &&
      (best.inFlight < DEPTH || this.#lanes.length + this.#opening >= this.#max)
    ) {
      return best
    }
    this.#opening++
    let client: LaneClient
    try {
      client = await this.#connect()
    } finally {
      this.#opening--
    }
    if (client.pipeline !== true) {
      this.#unsupported = true
      client.release()
      return undefined
    }
    if (this.#closed) {
      client.release()
      return undefined
    }
    const lane: Lane = {
      client,
      onError: () => this.#drop(lane, true),
      inFlight: 0,
      corked: false,
      idleSince: Date.now(),
    }
    client.on('error', lane.onError)
    this.#lanes.push(lane)
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#releaseIdle(), IDLE_MS)
      this.#timer.unref?.()
    }
    return lane
  }

  /** Holds the lane's writes until the current turn of the event loop has queued its batches. */
  #cork(lane: Lane): void {
    const stream = lane.client.connection.stream
    if (lane.corked || stream.cork === undefined || stream.uncork === undefined) {
      return
    }
    lane.corked = true
    stream.cork()
    // Until the loop's I/O callbacks have run, not just this one: requests that arrive on
    // different sockets together (an HTTP server's) share the write too.
    setImmediate(() => {
      lane.corked = false
      stream.uncork!()
    })
  }

  #drop(lane: Lane, broken: boolean): void {
    const at = this.#lanes.indexOf(lane)
    if (at === -1) {
      return
    }
    this.#lanes.splice(at, 1)
    const release = (destroy: boolean) => {
      lane.client.off('error', lane.onError)
      if (destroy) {
        lane.client.on('error', () => {}) // a dying connection may still report; nobody listens
      }
      lane.client.release(destroy)
    }
    if (broken || lane.inFlight === 0) {
      release(broken)
      return
    }
    // Still answering batches: give it back once they are done.
    const check = setInterval(() => {
      if (lane.inFlight === 0) {
        clearInterval(check)
        release(false)
      }
    }, 10)
  }

  #releaseIdle(): void {
    const now = Date.now()
    for (const lane of [...this.#lanes]) {
      if (lane.inFlight === 0 && now - lane.idleSince >= IDLE_MS) {
        this.#drop(lane, false)
      }
    }
    if (this.#lanes.length === 0) {
      clearInterval(this.#timer)
      this.#timer = undefined
    }
  }
}
