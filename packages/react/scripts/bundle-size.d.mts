/** The budget, in bytes of gzip: 100 kB. */
export declare const BUDGET_BYTES: number
/** Modules the host provides once (peer dependencies); not counted. */
export declare const PEERS: readonly string[]
/** The size of one part of the bundle. */
export interface Size {
  /** Minified bytes. */
  bytes: number
  /** Gzipped bytes (level 9). */
  gzip: number
}
/** What {@link measureBundle} measured. */
export interface BundleMeasure {
  /** What was bundled: `src/index.ts` or `dist/index.js`. */
  entry: 'source' | 'dist'
  js: Size
  css: Size
  /** JS and CSS gzipped, the number the budget holds. */
  gzip: number
  budget: number
  /** The inputs that weigh most in the minified JS. */
  largest: { path: string; bytes: number }[]
  /** The imports left to the host (peers). */
  external: string[]
  /** Every module of the main entry and its static chunks, as esbuild names them (relative to the package). */
  inputs: string[]
  /** Each dynamically imported chunk (a lazy component), with what only it brings; not in the budget. */
  lazy: { entryPoint: string; js: Size; inputs: string[] }[]
}
/** Bundles the package (esbuild, minified ESM for browsers, peers external) and measures it. Default entry is `'dist'` when dist/index.js exists, else `'source'`. */
export declare function measureBundle(options?: {
  entry?: 'source' | 'dist'
}): Promise<BundleMeasure>
