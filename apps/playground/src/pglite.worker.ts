// The Web Worker the playground's PGlite runs in. `relaxedDurability` lets a query answer before
// IndexedDB is written (the write still follows at once): in durable mode every read waited for
// a file-system sync of about a second (TOOLCHAIN.md §7).
import { PGlite } from '@electric-sql/pglite'
import { worker } from '@electric-sql/pglite/worker'

void worker({ init: (options) => PGlite.create({ dataDir: options.dataDir, relaxedDurability: true }) })
