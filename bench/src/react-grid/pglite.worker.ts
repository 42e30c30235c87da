// The bench page's PGlite worker: what a host writes (README of @basebox/core/pglite-worker),
// with relaxed durability as the Storybook uses (stories/src/pglite.worker.ts).
import { PGlite } from '@electric-sql/pglite'
import { worker } from '@electric-sql/pglite/worker'

void worker({
  init: async (options) => {
    console.log(`pglite worker: opening ${options.dataDir}`)
    try {
      const db = await PGlite.create({ dataDir: options.dataDir, relaxedDurability: true })
      console.log('pglite worker: open')
      return db
    } catch (error) {
      console.error('pglite worker: could not open', error)
      throw error
    }
  },
})
