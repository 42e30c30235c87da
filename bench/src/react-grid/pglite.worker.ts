// The bench page's PGlite worker: what a host writes (README of @basebox/core/pglite-worker),
// with relaxed durability as the Storybook uses (stories/src/pglite.worker.ts).
import { PGlite } from '@electric-sql/pglite'
import { worker } from '@electric-sql/pglite/worker'

void worker({
  init: (options) => PGlite.create({ dataDir: options.dataDir, relaxedDurability: true }),
})
