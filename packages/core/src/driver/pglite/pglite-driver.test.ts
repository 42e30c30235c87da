import { PGlite } from '@electric-sql/pglite'
import { describeDriverConformance } from '../../testing/driver-conformance.js'
import { createPGliteHarness } from '../../testing/pglite-harness.js'
import { loadPGliteSnapshot } from '../../testing/pglite-snapshot.js'

describeDriverConformance('pglite', async () => createPGliteHarness(await loadPGliteSnapshot(PGlite)))
