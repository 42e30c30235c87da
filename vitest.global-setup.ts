import { PGlite } from '@electric-sql/pglite'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// A fresh PGlite costs ~2 s to start; a snapshot loads in ~0.5 s. Make one per test run and let
// every test file start its instance from it (see loadPGliteSnapshot in @basebox/core/testing).
export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'basebox-pglite-'))
  const pglite = await PGlite.create()
  const snapshot = await pglite.dumpDataDir('none')
  await pglite.close()
  const path = join(dir, 'snapshot.tar')
  await writeFile(path, new Uint8Array(await snapshot.arrayBuffer()))
  process.env.BASEBOX_PGLITE_SNAPSHOT = path
  return async () => {
    await rm(dir, { recursive: true, force: true })
  }
}
