import { PGlite } from '@electric-sql/pglite'
import { createPGliteHarness, loadPGliteSnapshot } from '@basebox/core/testing'
import { describeAuthSuite, methodCounter } from './testing/auth-suite.js'

describeAuthSuite('pglite', async () => {
  const pglite = await loadPGliteSnapshot(PGlite)
  // Every statement of the engine and of auth goes through one of these methods of the instance.
  return {
    harness: createPGliteHarness(pglite),
    count: methodCounter(pglite, ['query', 'exec', 'transaction']),
  }
})
