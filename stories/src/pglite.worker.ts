// The Web Worker PGlite runs in for the stories: what a host writes, in three lines.
// `relaxedDurability` lets a write answer before the file system flush (TOOLCHAIN.md §7: reads on
// `opfs-ahp://` went from about a second to tens of milliseconds).
import { PGlite } from '@electric-sql/pglite'
import { worker } from '@electric-sql/pglite/worker'

void worker({
  init: (options) => PGlite.create({ dataDir: options.dataDir, relaxedDurability: true }),
})
