import type { CompiledQuery, QueryResult } from 'kysely'
import { BatchStatementError, rowFromText, toTextParameter } from '../wire.js'

/** The frontend messages of a batch, serialized as Postgres' wire protocol (version 3). */
class MessageWriter {
  #buffer = new Uint8Array(4096)
  #view = new DataView(this.#buffer.buffer)
  #length = 0
  readonly #encoder = new TextEncoder()

  #reserve(bytes: number): void {
    if (this.#length + bytes <= this.#buffer.length) {
      return
    }
    let size = this.#buffer.length * 2
    while (size < this.#length + bytes) {
      size *= 2
    }
    const next = new Uint8Array(size)
    next.set(this.#buffer.subarray(0, this.#length))
    this.#buffer = next
    this.#view = new DataView(next.buffer)
  }

  #byte(value: number): void {
    this.#reserve(1)
    this.#buffer[this.#length++] = value
  }

  #int16(value: number): void {
    this.#reserve(2)
    this.#view.setInt16(this.#length, value)
    this.#length += 2
  }

  #int32(value: number): void {
    this.#reserve(4)
    this.#view.setInt32(this.#length, value)
    this.#length += 4
  }

  /** Writes `text` as UTF-8 in place (at most 3 bytes per UTF-16 unit); returns its length. */
  #utf8(text: string): number {
    this.#reserve(text.length * 3)
    const { written } = this.#encoder.encodeInto(text, this.#buffer.subarray(this.#length))
    this.#length += written
    return written
  }

  #cstring(text: string): void {
    if (text.includes('\u0000')) {
      throw new Error('a statement cannot contain a NUL character')
    }
    this.#utf8(text)
    this.#byte(0)
  }

  /** Writes one message: its type, a length placeholder, the body, then the length. */
  #message(type: string, body: () => void): void {
    this.#byte(type.charCodeAt(0))
    const at = this.#length
    this.#int32(0)
    body()
    this.#view.setInt32(at, this.#length - at)
  }

  parse(text: string): void {
    this.#message('P', () => {
      this.#cstring('')
      this.#cstring(text)
      this.#int16(0)
    })
  }

  bind(values: readonly (string | null)[]): void {
    this.#message('B', () => {
      this.#cstring('')
      this.#cstring('')
      this.#int16(0) // every parameter in text format
      this.#int16(values.length)
      for (const value of values) {
        if (value === null) {
          this.#int32(-1)
        } else {
          const at = this.#length
          this.#int32(0)
          const written = this.#utf8(value) // may grow the buffer: read the view after it
          this.#view.setInt32(at, written)
        }
      }
      this.#int16(0) // every result column in text format
    })
  }

  describePortal(): void {
    this.#message('D', () => {
      this.#byte('P'.charCodeAt(0))
      this.#cstring('')
    })
  }

  execute(): void {
    this.#message('E', () => {
      this.#cstring('')
      this.#int32(0)
    })
  }

  sync(): void {
    this.#message('S', () => {})
  }

  /** The messages written since the last reset (a copy), and starts over. */
  take(): Uint8Array {
    const bytes = this.#buffer.slice(0, this.#length)
    this.#length = 0
    if (this.#buffer.length > 1 << 20) {
      this.#buffer = new Uint8Array(4096) // don't keep a bulk load's buffer around
      this.#view = new DataView(this.#buffer.buffer)
    }
    return bytes
  }
}

/** One backend message as PGlite's protocol parser returns it. */
interface BackendMessage {
  name: string
  fields?: unknown[]
}

/** The parts of a PGlite instance a batch uses (public API, and the two locks its `query` takes). */
export interface PGliteBatchTarget {
  execProtocol(message: Uint8Array, options?: { syncToFs?: boolean; throwOnError?: boolean }): Promise<{ messages: BackendMessage[] }>
  syncToFs?(): Promise<void>
  isInTransaction?(): boolean
  runExclusive<T>(fn: () => Promise<T>): Promise<T>
  _runExclusiveTransaction?<T>(fn: () => Promise<T>): Promise<T>
}

/** Whether this PGlite instance offers what {@link runPGliteAtomicBatch} needs. */
export function supportsAtomicBatch(pglite: unknown): pglite is PGliteBatchTarget {
  const target = pglite as Partial<PGliteBatchTarget>
  return typeof target.execProtocol === 'function' && typeof target.runExclusive === 'function' && typeof target._runExclusiveTransaction === 'function'
}

/** Builds the batch's messages: Parse/Bind/Describe/Execute per statement, one Sync. */
const writer = new MessageWriter()

export function serializeBatch(statements: readonly CompiledQuery[]): Uint8Array {
  try {
    for (const statement of statements) {
      writer.parse(statement.sql)
      writer.bind(statement.parameters.map(toTextParameter))
      writer.describePortal()
      writer.execute()
    }
    writer.sync()
  } catch (error) {
    writer.take() // drop the half-written batch
    throw error
  }
  return writer.take()
}

/** Reads each statement's rows (or the error, with the statement's index) from the answers. */
export function readBatch(messages: readonly BackendMessage[]): QueryResult<unknown>[] {
  const results: QueryResult<unknown>[] = []
  let fields: { name: string; dataTypeID: number }[] = []
  let rows: Record<string, unknown>[] = []
  for (const message of messages) {
    switch (message.name) {
      case 'rowDescription':
        fields = message.fields as { name: string; dataTypeID: number }[]
        break
      case 'dataRow':
        rows.push(rowFromText(fields, message.fields as (string | null)[]))
        break
      case 'commandComplete':
      case 'emptyQuery':
        results.push({ rows })
        rows = []
        fields = []
        break
      case 'error':
        throw new BatchStatementError(results.length, message)
      default:
        break
    }
  }
  return results
}

/**
 * Runs `statements` as one implicit transaction in ONE call into PGlite: Parse, Bind, Describe
 * and Execute for each, then a single Sync (PGlite's own `query` makes six calls per statement).
 * Holds the same two locks as PGlite's `query`, so it never runs inside another caller's
 * transaction, and syncs the file system afterwards as `query` does.
 */
export async function runPGliteAtomicBatch(pglite: PGliteBatchTarget, statements: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
  const bytes = serializeBatch(statements)
  const messages = await pglite._runExclusiveTransaction!(() =>
    pglite.runExclusive(async () => {
      const { messages } = await pglite.execProtocol(bytes, { syncToFs: false, throwOnError: false })
      if (pglite.isInTransaction?.() !== true) {
        await pglite.syncToFs?.()
      }
      return messages
    }),
  )
  return readBatch(messages)
}
