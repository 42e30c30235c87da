import { PGlite } from '@electric-sql/pglite'
import { describeDriverDestroyConformance } from '../../testing/conformance-destroy.js'
import { describeDriverConformance } from '../../testing/driver-conformance.js'
import { createPGliteHarness } from '../../testing/pglite-harness.js'
import { loadPGliteSnapshot } from '../../testing/pglite-snapshot.js'
import { pgliteDriver } from './pglite-driver.js'

describeDriverConformance('pglite', async () =>
  createPGliteHarness(await loadPGliteSnapshot(PGlite)),
)

describeDriverDestroyConformance('pglite', async () => {
  const pglite = await loadPGliteSnapshot(PGlite)
  return { driver: pgliteDriver(pglite), released: () => pglite.closed }
})
