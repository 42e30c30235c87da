import type { CompiledQuery, QueryResult } from 'kysely'
import {
  preparedStatementsOf,
  retryingStale,
  StalePreparedStatement,
  type PreparedStatement,
  type PreparedStatements,
  type ResultField,
} from '../prepared-statements.js'
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

  parse(name: string, text: string): void {
    this.#message('P', () => {
      this.#cstring(name)
      this.#cstring(text)
      this.#int16(0)
    })
  }

  bind(name: string, values: readonly (string | null)[]): void {
    this.#message('B', () => {
      this.#cstring('')
      this.#cstring(name)
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

  close(name: string): void {
    this.#message('C', () => {
      this.#byte('S'.charCodeAt(0))
      this.#cstring(name)
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
  execProtocol(
    message: Uint8Array,
    options?: { syncToFs?: boolean; throwOnError?: boolean },
  ): Promise<{ messages: BackendMessage[] }>
  syncToFs?(): Promise<void>
  isInTransaction?(): boolean
  runExclusive<T>(fn: () => Promise<T>): Promise<T>
  _runExclusiveTransaction?<T>(fn: () => Promise<T>): Promise<T>
}

/** Whether this PGlite instance offers what {@link runPGliteAtomicBatch} needs. */
export function supportsAtomicBatch(pglite: unknown): pglite is PGliteBatchTarget {
  const target = pglite as Partial<PGliteBatchTarget>
  return (
    typeof target.execProtocol === 'function' &&
    typeof target.runExclusive === 'function' &&
    typeof target._runExclusiveTransaction === 'function'
  )
}

const writer = new MessageWriter()

/** A batch's messages, and per statement the prepared statement it runs or the name it prepares. */
export interface SerializedBatch {
  bytes: Uint8Array
  prepared: (PreparedStatement | string)[]
}

/**
 * Builds the batch's messages: for each statement Bind and Execute (after Parse and Describe the
 * first time this instance sees it: statements are prepared by name, see
 * prepared-statements.ts), then one Sync.
 */
export function serializeBatch(
  statements: readonly CompiledQuery[],
  cache: PreparedStatements,
): SerializedBatch {
  const prepared: (PreparedStatement | string)[] = []
  try {
    const values = statements.map((statement) => statement.parameters.map(toTextParameter))
    for (const name of cache.takeClosing()) {
      writer.close(name)
    }
    statements.forEach((statement, i) => {
      const ready = cache.get(statement.sql)
      if (ready !== undefined) {
        prepared.push(ready)
        writer.bind(ready.name, values[i]!)
      } else {
        const name = cache.newName()
        prepared.push(name)
        writer.parse(name, statement.sql)
        writer.bind(name, values[i]!)
        writer.describePortal()
      }
      writer.execute()
    })
    writer.sync()
  } catch (error) {
    writer.take() // drop the half-written batch
    for (const name of prepared) {
      if (typeof name === 'string') {
        cache.close(name)
      }
    }
    throw error
  }
  return { bytes: writer.take(), prepared }
}

/**
 * Reads each statement's rows (or the error, with the statement's index) from the answers, and
 * records the statements the batch prepared.
 */
export function readBatch(
  messages: readonly BackendMessage[],
  statements: readonly CompiledQuery[],
  batch: SerializedBatch,
  cache: PreparedStatements,
): QueryResult<unknown>[] {
  const results: QueryResult<unknown>[] = []
  let fields: readonly ResultField[] | undefined
  let rows: Record<string, unknown>[] = []
  for (const message of messages) {
    switch (message.name) {
      case 'rowDescription':
        fields = message.fields as ResultField[]
        break
      case 'dataRow':
        // A prepared statement's run has no RowDescription: its columns were described once.
        fields ??= (batch.prepared[results.length] as PreparedStatement).fields
        rows.push(rowFromText(fields, message.fields as (string | null)[]))
        break
      case 'commandComplete':
      case 'emptyQuery': {
        cache.completed(
          statements[results.length]!.sql,
          batch.prepared[results.length]!,
          fields ?? [],
        )
        results.push({ rows })
        rows = []
        fields = undefined
        break
      }
      case 'error': {
        if (cache.failed(batch.prepared, results.length, message)) {
          throw new StalePreparedStatement()
        }
        throw new BatchStatementError(results.length, message)
      }
      default:
        break
    }
  }
  return results
}

/**
 * Runs `statements` as one implicit transaction in ONE call into PGlite: Bind and Execute for
 * each (prepared by name the first time), then a single Sync (PGlite's own `query` makes six
 * calls per statement, and parses and plans each one every time).
 * Holds the same two locks as PGlite's `query`, so it never runs inside another caller's
 * transaction, and syncs the file system afterwards as `query` does.
 */
export function runPGliteAtomicBatch(
  pglite: PGliteBatchTarget,
  statements: readonly CompiledQuery[],
): Promise<QueryResult<unknown>[]> {
  // A prepared statement gone stale failed the batch before anything committed: once more, with
  // the statements prepared afresh.
  return retryingStale(() => runOnce(pglite, statements))
}

async function runOnce(
  pglite: PGliteBatchTarget,
  statements: readonly CompiledQuery[],
): Promise<QueryResult<unknown>[]> {
  const cache = preparedStatementsOf(pglite)
  const batch = serializeBatch(statements, cache)
  const bytes = batch.bytes
  const messages = await pglite._runExclusiveTransaction!(() =>
    pglite.runExclusive(async () => {
      const { messages } = await pglite.execProtocol(bytes, {
        syncToFs: false,
        throwOnError: false,
      })
      if (pglite.isInTransaction?.() !== true) {
        await pglite.syncToFs?.()
      }
      return messages
    }),
  )
  return readBatch(messages, statements, batch, cache)
}
