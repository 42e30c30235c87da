// The declaration of libpg-query's untyped Emscripten factory, referenced so that packages that
// type-check core from source (through the `@basebox/source` condition) see it too.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./libpg-query-wasm.d.ts" />
import { BaseboxError } from '@basebox/client'
import type { PgQueryModule } from 'libpg-query/wasm/libpg-query.js'
import { sqlParserOptions } from './configure-sql-parser.js'

/** A parse failure, with Postgres' 0-based character position of the error. */
export class SQLParseError extends Error {
  /** 0-based character offset of the error in the text. */
  readonly cursorPosition: number | undefined

  constructor(message: string, cursorPosition: number | undefined) {
    super(message)
    this.name = 'SQLParseError'
    this.cursorPosition = cursorPosition
  }
}

/** The parser as the SQL runner uses it. */
export interface SQLParser {
  /** The parse tree of `text` as libpg_query's JSON (`{ stmts: RawStmt[] }`). */
  parse(text: string): unknown
  /** The tokens of `text` (offsets in UTF-8 bytes), comments included. */
  scan(text: string): { start: number; end: number; text: string; tokenName: string }[]
}

let loading: Promise<SQLParser> | undefined

// The heap a loaded parser may keep between calls.
const MAX_KEPT_HEAP_BYTES = 64 * 1024 * 1024

/**
 * Loads libpg_query (the real Postgres parser compiled to WebAssembly) on first use: importing
 * core costs nothing, and a bundler puts it in a chunk of its own. The package's own entry
 * starts loading at import and takes no options; its Emscripten factory is called here instead,
 * with the host's `configureSQLParser()` options.
 * @internal
 */
export async function loadSQLParser(): Promise<SQLParser> {
  loading ??= load()
  try {
    return await loading
  } catch (error) {
    loading = undefined
    throw new BaseboxError(
      'UNAVAILABLE',
      'the SQL parser (libpg-query.wasm) could not be loaded; in a browser, serve the file and pass its URL to configureSQLParser()',
      { cause: error },
    )
  }
}

async function load(): Promise<SQLParser> {
  const factory = (await import('libpg-query/wasm/libpg-query.js')).default
  const wasm = sqlParserOptions()?.wasm
  const module = await factory(
    wasm === undefined
      ? {}
      : typeof wasm === 'string' || wasm instanceof URL
        ? { locateFile: (path) => (path.endsWith('.wasm') ? String(wasm) : path) }
        : { wasmBinary: wasm },
  )
  // WebAssembly memory only grows: after a huge text, this instance is dropped (the next call
  // loads a new one) rather than keep its heap for the life of the process. It is dropped too
  // when the module traps: a text nested deeper than its stack ends in a RangeError mid-parse,
  // which leaves its allocator and memory contexts in an unknown state.
  const guarded = <T>(fn: () => T): T => {
    try {
      return fn()
    } catch (error) {
      if (!(error instanceof SQLParseError)) {
        loading = undefined
        if (error instanceof RangeError) {
          throw new BaseboxError('LIMIT_EXCEEDED', 'the SQL is nested too deeply to parse', {
            cause: error,
          })
        }
      }
      throw error
    } finally {
      if (module.HEAPU8.byteLength > MAX_KEPT_HEAP_BYTES) {
        loading = undefined
      }
    }
  }
  return {
    parse: (text) => guarded(() => parse(module, text)),
    scan: (text) => guarded(() => scan(module, text)),
  }
}

function withText<T>(module: PgQueryModule, text: string, fn: (pointer: number) => T): T {
  const size = module.lengthBytesUTF8(text) + 1
  const pointer = module._malloc(size)
  try {
    module.stringToUTF8(text, pointer, size)
    return fn(pointer)
  } finally {
    module._free(pointer)
  }
}

// PgQueryParseResult is { char *parse_tree; char *stderr_buffer; PgQueryError *error } and
// PgQueryError is { char *message; char *funcname; char *filename; int lineno; int cursorpos;
// ... } (libpg_query's pg_query.h), read as libpg-query's own parseSync reads them.
function parse(module: PgQueryModule, text: string): unknown {
  return withText(module, text, (query) => {
    const result = module._wasm_parse_query_raw(query)
    if (!result) {
      throw new Error('the SQL parser ran out of memory')
    }
    try {
      const tree = module.getValue(result, 'i32')
      const error = module.getValue(result + 8, 'i32')
      if (error) {
        const message = module.getValue(error, 'i32')
        const cursor = module.getValue(error + 16, 'i32')
        throw new SQLParseError(
          message ? module.UTF8ToString(message) : 'syntax error',
          cursor > 0 ? cursor - 1 : undefined,
        )
      }
      return JSON.parse(module.UTF8ToString(tree)) as unknown
    } finally {
      module._wasm_free_parse_result(result)
    }
  })
}

function scan(module: PgQueryModule, text: string): ReturnType<SQLParser['scan']> {
  return withText(module, text, (query) => {
    const result = module._wasm_scan(query)
    try {
      const out = module.UTF8ToString(result)
      if (!out.startsWith('{')) {
        throw new Error(out)
      }
      return (JSON.parse(out) as { tokens?: ReturnType<SQLParser['scan']> }).tokens ?? []
    } finally {
      if (result) {
        module._wasm_free_string(result)
      }
    }
  })
}
