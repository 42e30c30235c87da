/** Where `db.sql()` loads Postgres' parser (libpg-query's WebAssembly) from. */
export interface SQLParserOptions {
  /**
   * The URL of `libpg-query.wasm` (the file `wasm/libpg-query.wasm` of the `libpg-query`
   * package, version 18.1.5), or its bytes. Node finds it by itself; in a browser the default is
   * `libpg-query.wasm` next to the page (or, in a worker, next to the worker's script).
   */
  wasm: string | URL | ArrayBuffer | Uint8Array
}

let options: SQLParserOptions | undefined

/**
 * Tells `db.sql()` where to load its SQL parser from, for hosts (a browser bundle) that do not
 * serve `libpg-query.wasm` where its loader looks. Call it before the first `db.sql()`; a later
 * call applies after a failed load only.
 */
export function configureSQLParser(next: SQLParserOptions): void {
  options = next
}

/** The options given to {@link configureSQLParser}, if any. @internal */
export function sqlParserOptions(): SQLParserOptions | undefined {
  return options
}
