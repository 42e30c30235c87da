import { BaseboxError } from '@basebox/client'

/** One record of a CSV file: its fields, and where it starts. */
export interface CSVRecord {
  /**
   * The fields in order: `null` for an empty unquoted field, a string otherwise (`""` gives the
   * empty string), so that null and empty text both survive a round trip.
   */
  fields: (string | null)[]
  /** The 1-based line of the file on which the record starts. */
  line: number
  /** Why the record is malformed (a stray quote, a quoted field never closed), if it is. */
  error?: string
}

/** Options of the CSV reader and writer. */
export interface CSVOptions {
  /** Default is `','`. One character other than a quote, CR or LF (`';'` and `'\t'` are common). */
  delimiter?: string
}

/** What CSV can be read from: text, text chunks, or bytes (UTF-8), streamed or not. */
export type CSVSource =
  | string
  | Iterable<string>
  | AsyncIterable<string | Uint8Array>
  | ReadableStream<string | Uint8Array>

function checkDelimiter(delimiter: string): string {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      `invalid CSV delimiter ${JSON.stringify(delimiter)}: use one character other than a quote or a line break`,
    )
  }
  return delimiter
}

const State = {
  /** At the start of a field. */
  FieldStart: 0,
  Unquoted: 1,
  Quoted: 2,
  /** A quote inside a quoted field: the end of the field, or the first of `""`. */
  QuoteInQuoted: 3,
} as const

/**
 * An incremental RFC 4180 reader: feed it chunks of text with {@link CSVParser.push} and it
 * returns the records completed so far; {@link CSVParser.end} returns the last one. Quoted
 * fields may hold delimiters, quotes (`""`) and line breaks; records end with CRLF, LF or CR; a
 * leading byte order mark is skipped. Malformed input does not throw: the record carries an
 * `error` and the reader carries on with the next one.
 */
export class CSVParser {
  readonly #delimiter: string
  readonly #delimiterCode: number
  #state: (typeof State)[keyof typeof State] = State.FieldStart
  #field = ''
  #quoted = false
  #fields: (string | null)[] = []
  #error: string | undefined
  #line = 1
  #recordLine = 1
  #started = false
  #skipLF = false
  #pendingCR = false

  constructor(options: CSVOptions = {}) {
    this.#delimiter = checkDelimiter(options.delimiter ?? ',')
    this.#delimiterCode = this.#delimiter.charCodeAt(0)
  }

  #endField(): void {
    this.#fields.push(this.#quoted || this.#field !== '' ? this.#field : null)
    this.#field = ''
    this.#quoted = false
    this.#state = State.FieldStart
  }

  #endRecord(out: CSVRecord[]): void {
    this.#endField()
    out.push(
      this.#error === undefined
        ? { fields: this.#fields, line: this.#recordLine }
        : { fields: this.#fields, line: this.#recordLine, error: this.#error },
    )
    this.#fields = []
    this.#error = undefined
  }

  // Counts the line breaks of a piece of a quoted field: CR, LF and CRLF (even split across
  // chunks) each once.
  #countLines(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      const afterCR = i === 0 ? this.#pendingCR : text.charCodeAt(i - 1) === 13
      if (c === 13 || (c === 10 && !afterCR)) {
        this.#line++
      }
    }
    if (text.length > 0) {
      this.#pendingCR = text.charCodeAt(text.length - 1) === 13
    }
  }

  /** Reads a chunk of text; returns the records it completed. */
  push(chunk: string): CSVRecord[] {
    const out: CSVRecord[] = []
    const d = this.#delimiter
    let i = 0
    if (!this.#started && chunk.length > 0) {
      this.#started = true
      if (chunk.charCodeAt(0) === 0xfeff) {
        i = 1
      }
    }
    const n = chunk.length
    while (i < n) {
      if (this.#skipLF) {
        this.#skipLF = false
        if (chunk[i] === '\n') {
          i++
          continue
        }
      }
      const c = chunk[i]!
      switch (this.#state) {
        case State.FieldStart:
          if (this.#fields.length === 0) {
            this.#recordLine = this.#line
          }
          if (c === '"') {
            this.#quoted = true
            this.#state = State.Quoted
            i++
          } else if (c === d) {
            this.#endField()
            i++
          } else if (c === '\r' || c === '\n') {
            this.#endRecord(out)
            this.#line++
            this.#skipLF = c === '\r'
            i++
          } else {
            this.#state = State.Unquoted
          }
          break
        case State.Unquoted: {
          // Char codes, not one-character strings: this loop runs once per character of most files.
          const dc = this.#delimiterCode
          let j = i
          while (j < n) {
            const x = chunk.charCodeAt(j)
            if (x === dc || x === 13 || x === 10 || x === 34) {
              break
            }
            j++
          }
          this.#field += chunk.slice(i, j)
          i = j
          if (i < n) {
            const x = chunk[i]!
            if (x === '"') {
              this.#error ??= `a quote inside an unquoted field (line ${this.#line})`
              this.#field += x
            } else if (x === d) {
              this.#endField()
            } else {
              this.#endRecord(out)
              this.#line++
              this.#skipLF = x === '\r'
            }
            i++
          }
          break
        }
        case State.Quoted: {
          const j = chunk.indexOf('"', i)
          const piece = chunk.slice(i, j === -1 ? n : j)
          this.#field += piece
          this.#countLines(piece)
          if (j === -1) {
            i = n
          } else {
            this.#pendingCR = false
            this.#state = State.QuoteInQuoted
            i = j + 1
          }
          break
        }
        case State.QuoteInQuoted:
          if (c === '"') {
            this.#field += '"'
            this.#state = State.Quoted
          } else if (c === d) {
            this.#endField()
          } else if (c === '\r' || c === '\n') {
            this.#endRecord(out)
            this.#line++
            this.#skipLF = c === '\r'
          } else {
            this.#error ??= `text after the closing quote of a field (line ${this.#line})`
            this.#field += c
            this.#state = State.Unquoted
          }
          i++
          break
      }
    }
    return out
  }

  /** Ends the input; returns the last record when the text does not end with a line break. */
  end(): CSVRecord[] {
    const out: CSVRecord[] = []
    if (this.#state === State.Quoted) {
      this.#error ??= `a quoted field is never closed (it starts on line ${this.#recordLine})`
      this.#endRecord(out)
    } else if (this.#state !== State.FieldStart || this.#fields.length > 0) {
      this.#endRecord(out)
    }
    return out
  }
}

/** Parses a whole CSV text into records. See {@link CSVParser}. */
export function parseCSV(text: string, options: CSVOptions = {}): CSVRecord[] {
  const parser = new CSVParser(options)
  return [...parser.push(text), ...parser.end()]
}

async function* textChunks(source: CSVSource): AsyncGenerator<string> {
  if (typeof source === 'string') {
    yield source
    return
  }
  const decoder = new TextDecoder('utf-8', { fatal: true })
  const decode = (chunk: string | Uint8Array) =>
    typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })
  if (typeof (source as ReadableStream).getReader === 'function') {
    const reader = (source as ReadableStream<string | Uint8Array>).getReader()
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        yield decode(next.value)
      }
    } finally {
      reader.releaseLock()
    }
  } else {
    for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
      yield decode(chunk)
    }
  }
  const rest = decoder.decode()
  if (rest !== '') {
    yield rest
  }
}

/**
 * Reads records from text or a stream of chunks (strings, or UTF-8 bytes), one at a time, so a
 * large file is never held whole. Stop early by breaking out of the loop.
 *
 * ### Examples
 *
 * ```ts
 * for await (const record of readCSV('name,qty\r\nwidget,3\r\n')) {
 *   console.log(record.line, record.fields) // 1 ['name', 'qty'], then 2 ['widget', '3']
 * }
 * ```
 */
export async function* readCSV(
  source: CSVSource,
  options: CSVOptions = {},
): AsyncGenerator<CSVRecord> {
  for await (const records of readCSVBatches(source, options)) {
    yield* records
  }
}

/**
 * {@link readCSV} a chunk at a time: each item is the records one chunk of input completed, so
 * that a caller reading 100,000 records waits once per chunk, not once per record.
 * @internal
 */
export async function* readCSVBatches(
  source: CSVSource,
  options: CSVOptions = {},
): AsyncGenerator<CSVRecord[]> {
  const parser = new CSVParser(options)
  try {
    for await (const chunk of textChunks(source)) {
      yield parser.push(chunk)
    }
  } catch (error) {
    if (error instanceof TypeError) {
      throw new BaseboxError('VALIDATION_FAILED', 'the CSV file is not valid UTF-8', {
        cause: error,
      })
    }
    throw error
  }
  yield parser.end()
}

/**
 * One field as RFC 4180 writes it: quoted when it holds the delimiter, a quote, CR or LF, or
 * starts or ends with a space or tab (which other readers trim); quotes doubled. `null` is the
 * empty unquoted field and `''` is `""`, so the two stay apart.
 */
export function formatCSVField(value: string | null, options: CSVOptions = {}): string {
  if (value === null) {
    return ''
  }
  const d = options.delimiter ?? ','
  const needsQuotes =
    value === '' || value.includes(d) || /["\r\n]/.test(value) || /^[ \t]|[ \t]$/.test(value)
  return needsQuotes ? `"${value.replaceAll('"', '""')}"` : value
}

/** One record as a CSV line, ending with CRLF. */
export function formatCSVRecord(
  values: readonly (string | null)[],
  options: CSVOptions = {},
): string {
  return `${values.map((v) => formatCSVField(v, options)).join(options.delimiter ?? ',')}\r\n`
}
