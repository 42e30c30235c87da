// The Emscripten factory inside libpg-query (wasm/libpg-query.js), which the package's own entry
// calls without options. See sql-parser.ts.
declare module 'libpg-query/wasm/libpg-query.js' {
  /** What the factory takes: where the .wasm is, or its bytes. */
  export interface PgQueryModuleOptions {
    locateFile?: (path: string, scriptDirectory: string) => string
    wasmBinary?: ArrayBuffer | Uint8Array
  }
  /** The loaded module: the exports sql-parser.ts calls, and Emscripten's memory helpers. */
  export interface PgQueryModule {
    _malloc(size: number): number
    _free(pointer: number): void
    _wasm_parse_query_raw(query: number): number
    _wasm_free_parse_result(result: number): void
    _wasm_scan(query: number): number
    _wasm_free_string(pointer: number): void
    getValue(pointer: number, type: 'i32'): number
    lengthBytesUTF8(text: string): number
    stringToUTF8(text: string, pointer: number, size: number): void
    UTF8ToString(pointer: number): string
    /** The module's whole memory (it only grows). */
    HEAPU8: Uint8Array
  }
  const factory: (options?: PgQueryModuleOptions) => Promise<PgQueryModule>
  export default factory
}
