import type { PGlite, PGliteOptions } from '@electric-sql/pglite'
import { readFile } from 'node:fs/promises'

/**
 * Starts a PGlite instance from the snapshot made once per test run (see the vitest global
 * setup), which takes about 0.5 s instead of 2 s for a fresh instance; without a snapshot it
 * starts a fresh one.
 */
export async function loadPGliteSnapshot(PGliteClass: {
  create(options?: PGliteOptions): Promise<PGlite>
}): Promise<PGlite> {
  const path = process.env.BASEBOX_PGLITE_SNAPSHOT
  if (path === undefined || path === '') {
    return PGliteClass.create()
  }
  const data = await readFile(path)
  return PGliteClass.create({ loadDataDir: new Blob([data]) })
}
