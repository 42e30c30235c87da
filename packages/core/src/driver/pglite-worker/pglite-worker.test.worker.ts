// The worker the browser tests start: what a host writes, in three lines (see README).
import { PGlite } from '@electric-sql/pglite'
import { worker } from '@electric-sql/pglite/worker'

void worker({ init: (options) => PGlite.create({ dataDir: options.dataDir }) })
