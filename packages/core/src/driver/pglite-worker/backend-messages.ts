/**
 * A reader of the PostgreSQL backend messages PGlite answers with, for the worker driver.
 *
 * Why: `PGliteWorker.execProtocol()` calls the worker without its options, so PGlite parses in
 * the worker with `throwOnError` on, and a failed statement reaches the page as a plain `Error`
 * with only its message (the worker posts `{ message }`): the SQLSTATE, table, column and
 * constraint are gone, and every typed error (unique, reference, required) would become
 * `INTERNAL`. `execProtocolRaw()` returns the bytes instead; they are read here, in the page,
 * into the same message objects PGlite's own parser (pg-protocol) gives.
 *
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 *
 * @internal
 */

/** The fields of an ErrorResponse or NoticeResponse, by their protocol code. */
const ERROR_FIELDS: Record<string, string> = {
  S: 'severity',
  V: 'severity',
  C: 'code',
  D: 'detail',
  H: 'hint',
  P: 'position',
  p: 'internalPosition',
  q: 'internalQuery',
  W: 'where',
  s: 'schema',
  t: 'table',
  c: 'column',
  d: 'dataType',
  n: 'constraint',
  F: 'file',
  L: 'line',
  R: 'routine',
}

/** A Postgres error as pg-protocol's `DatabaseError` carries it. */
export class BackendError extends Error {
  readonly length: number
  severity?: string
  code?: string
  detail?: string
  hint?: string
  position?: string
  internalPosition?: string
  internalQuery?: string
  where?: string
  schema?: string
  table?: string
  column?: string
  dataType?: string
  constraint?: string
  file?: string
  line?: string
  routine?: string

  readonly #kind: 'error' | 'notice'

  constructor(message: string, length: number, kind: 'error' | 'notice') {
    super(message)
    this.length = length
    this.#kind = kind
  }

  /** `'error'` (ErrorResponse) or `'notice'` (NoticeResponse). */
  get messageName(): 'error' | 'notice' {
    return this.#kind
  }

  // pg-protocol's messages name themselves `error`/`notice`; PGlite reads `name`.
  override get name(): string {
    return this.#kind
  }
}

const SIMPLE: Record<string, string> = {
  '1': 'parseComplete',
  '2': 'bindComplete',
  '3': 'closeComplete',
  n: 'noData',
  s: 'portalSuspended',
  I: 'emptyQuery',
  c: 'copyDone',
}

/** Reads every complete backend message in `bytes`, in order. */
export function readBackendMessages(bytes: Uint8Array): unknown[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const decoder = new TextDecoder()
  const messages: unknown[] = []
  let at = 0
  while (at + 5 <= bytes.byteLength) {
    const type = String.fromCharCode(bytes[at]!)
    const length = view.getInt32(at + 1)
    const start = at + 5
    const end = at + 1 + length
    if (end > bytes.byteLength) {
      break
    }
    let cursor = start
    const cstring = () => {
      let zero = cursor
      while (zero < end && bytes[zero] !== 0) {
        zero++
      }
      const text = decoder.decode(bytes.subarray(cursor, zero))
      cursor = zero + 1
      return text
    }
    const int16 = () => {
      const value = view.getInt16(cursor)
      cursor += 2
      return value
    }
    const int32 = () => {
      const value = view.getInt32(cursor)
      cursor += 4
      return value
    }
    switch (type) {
      case 'T': {
        const fieldCount = int16()
        const fields = []
        for (let i = 0; i < fieldCount; i++) {
          const name = cstring()
          const tableID = int32()
          const columnID = int16()
          const dataTypeID = int32()
          const dataTypeSize = int16()
          const dataTypeModifier = int32()
          const format = int16()
          fields.push({
            name,
            tableID,
            columnID,
            dataTypeID,
            dataTypeSize,
            dataTypeModifier,
            format,
          })
        }
        messages.push({ name: 'rowDescription', length, fieldCount, fields })
        break
      }
      case 'D': {
        const fieldCount = int16()
        const fields: (string | null)[] = []
        for (let i = 0; i < fieldCount; i++) {
          const size = int32()
          if (size === -1) {
            fields.push(null)
          } else {
            fields.push(decoder.decode(bytes.subarray(cursor, cursor + size)))
            cursor += size
          }
        }
        messages.push({ name: 'dataRow', length, fieldCount, fields })
        break
      }
      case 'C':
        messages.push({ name: 'commandComplete', length, text: cstring() })
        break
      case 't': {
        const parameterCount = int16()
        const dataTypeIDs: number[] = []
        for (let i = 0; i < parameterCount; i++) {
          dataTypeIDs.push(int32())
        }
        messages.push({ name: 'parameterDescription', length, parameterCount, dataTypeIDs })
        break
      }
      case 'Z':
        messages.push({
          name: 'readyForQuery',
          length,
          status: String.fromCharCode(bytes[cursor]!),
        })
        break
      case 'S':
        messages.push({
          name: 'parameterStatus',
          length,
          parameterName: cstring(),
          parameterValue: cstring(),
        })
        break
      case 'A': {
        const processId = int32()
        messages.push({
          name: 'notification',
          length,
          processId,
          channel: cstring(),
          payload: cstring(),
        })
        break
      }
      case 'E':
      case 'N': {
        const fields: Record<string, string> = {}
        while (cursor < end && bytes[cursor] !== 0) {
          const code = String.fromCharCode(bytes[cursor]!)
          cursor++
          fields[code] = cstring()
        }
        const error = new BackendError(
          fields.M ?? 'unknown error',
          length,
          type === 'E' ? 'error' : 'notice',
        )
        for (const [code, value] of Object.entries(fields)) {
          const key = ERROR_FIELDS[code]
          if (key !== undefined) {
            Object.assign(error, { [key]: value })
          }
        }
        messages.push(error)
        break
      }
      default:
        if (SIMPLE[type] !== undefined) {
          messages.push({ name: SIMPLE[type], length })
        }
    }
    at = end
  }
  return messages
}

/** What {@link keepErrorFields} needs of a `PGliteWorker`. */
interface ProtocolTarget {
  execProtocolRaw?: (message: Uint8Array, options?: { syncToFs?: boolean }) => Promise<Uint8Array>
  execProtocol?: (
    message: Uint8Array,
    options?: ProtocolOptions,
  ) => Promise<{ messages: unknown[]; data: Uint8Array }>
  execProtocolStream?: (message: Uint8Array, options?: ProtocolOptions) => Promise<unknown[]>
}

interface ProtocolOptions {
  syncToFs?: boolean
  throwOnError?: boolean
  onNotice?: (notice: unknown) => void
}

/**
 * Makes a `PGliteWorker`'s `execProtocol` read the answer in the page (through
 * `execProtocolRaw`), so that a failed statement throws an error with its SQLSTATE, table,
 * column and constraint, and `throwOnError: false` is honoured. See the module comment.
 */
export function keepErrorFields<T extends object>(instance: T & ProtocolTarget): T {
  const target: ProtocolTarget = instance
  const raw = target.execProtocolRaw?.bind(target)
  if (raw === undefined || typeof target.execProtocol !== 'function') {
    return instance
  }
  const run = async (message: Uint8Array, options: ProtocolOptions) => {
    const data = await raw(
      message,
      options.syncToFs === undefined ? {} : { syncToFs: options.syncToFs },
    )
    const messages = readBackendMessages(data)
    let failure: BackendError | undefined
    for (const parsed of messages) {
      if (parsed instanceof BackendError) {
        if (parsed.messageName === 'notice') {
          options.onNotice?.(parsed)
        } else {
          failure ??= parsed
        }
      }
    }
    // As PGlite: the whole answer is read, then the first error is thrown.
    if (failure !== undefined && (options.throwOnError ?? true)) {
      throw failure
    }
    return { messages, data }
  }
  // PGlite's query() and exec() go through execProtocolStream; batches through execProtocol.
  target.execProtocol = (message, options = {}) => run(message, options)
  target.execProtocolStream = async (message, options = {}) =>
    (await run(message, options)).messages
  return instance
}
