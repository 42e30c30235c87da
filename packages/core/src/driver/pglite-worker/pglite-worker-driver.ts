import { BaseboxError } from '@basebox/client'
import { PGliteDialect } from 'kysely'
import type { Driver } from '../driver.js'
import { DriverLifetime } from '../driver-lifetime.js'
import { guardPGlite } from '../pglite/pglite-driver.js'
import { runPGliteSQLSession } from '../pglite/pglite-sql-session.js'
import { releaseWaiterFor } from './opfs-release.js'
import {
  RestartablePGlite,
  type PGliteWorkerLike,
  type PGliteWorkerStop,
} from './restartable-pglite.js'

export type { PGliteWorkerLike, PGliteWorkerStop } from './restartable-pglite.js'

/** What {@link PGliteWorkerDriverConfig.start} passes on to `PGliteWorker.create(worker, options)`. */
export interface PGliteWorkerStartOptions {
  /** The persisted data directory, as given in the config. */
  dataDir: string
}

/** Constructor input of {@link pgliteWorkerDriver}. */
export interface PGliteWorkerDriverConfig {
  /**
   * Where PGlite keeps its data: `idb://<name>` (IndexedDB) or `opfs-ahp://<name>` (the origin
   * private file system). It must outlive the worker: a stopped worker's replacement opens the
   * same directory, so committed data is still there. An in-memory directory (`memory://`, or
   * none) is refused, since a stop would lose everything.
   */
  dataDir: string
  /**
   * Starts PGlite in a new Web Worker and resolves once it answers: called for the first query
   * and again after every stop. Pass `options` on to the worker, whose `init` must open
   * `options.dataDir`.
   *
   * ```ts
   * start: (options) => PGliteWorker.create(new Worker(new URL('./pglite.worker.js', import.meta.url), { type: 'module' }), options)
   * ```
   */
  start: (options: PGliteWorkerStartOptions) => Promise<PGliteWorkerLike>
  /**
   * How long a (re)start may take before the calls waiting for it fail with `TIMEOUT`.
   * Default is `60_000`.
   */
  startTimeoutMs?: number
  /** Called when a runaway statement stopped a worker, before the next one is ready. */
  onStop?: (stop: PGliteWorkerStop) => void
}

const IN_MEMORY = /^(memory:\/\/|$)/

/**
 * A {@link Driver} over PGlite in a Web Worker, for the browser. Like the in-process PGlite
 * driver it runs as a superuser over one connection (confinement of user SQL is advisory), but a
 * user SQL run (`db.sql`) that overruns its `timeoutMs` is stopped: the worker is terminated,
 * which rolls the statement's transaction back, and a new worker is started on the same
 * persisted `dataDir`, where every committed row is still there. The page never blocks, since
 * PGlite runs off the main thread.
 *
 * Calls made while a worker restarts wait for it (up to `startTimeoutMs`) and then run; if it
 * cannot start they fail with a `BaseboxError` (`TIMEOUT` when it took too long, `INTERNAL`
 * otherwise) and the next call tries again. The time limit of a SQL run counts from the call, as
 * on PostgreSQL: a run whose budget was spent waiting for earlier calls fails with `TIMEOUT`
 * without reaching the worker, and only the run on the worker is ever stopped.
 *
 * ### Examples
 *
 * ```ts
 * // pglite.worker.ts
 * import { PGlite } from '@electric-sql/pglite'
 * import { worker } from '@electric-sql/pglite/worker'
 * worker({ init: (options) => PGlite.create({ dataDir: options.dataDir }) })
 *
 * // app.ts
 * import { PGliteWorker } from '@electric-sql/pglite/worker'
 * import { createBasebox } from '@basebox/core'
 * import { pgliteWorkerDriver } from '@basebox/core/pglite-worker'
 *
 * const bb = await createBasebox({
 *   driver: pgliteWorkerDriver({
 *     dataDir: 'idb://my-app',
 *     start: (options) =>
 *       PGliteWorker.create(new Worker(new URL('./pglite.worker.ts', import.meta.url), { type: 'module' }), options),
 *   }),
 * })
 * ```
 */
export function pgliteWorkerDriver(config: PGliteWorkerDriverConfig): Driver {
  if (typeof config.dataDir !== 'string' || IN_MEMORY.test(config.dataDir)) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      'pgliteWorkerDriver needs a persisted dataDir (idb://<name> or opfs-ahp://<name>): a stopped worker would lose an in-memory database',
    )
  }
  const { dataDir } = config
  const waitForRelease = releaseWaiterFor(dataDir)
  const pglite = new RestartablePGlite({
    start: () => config.start({ dataDir }),
    ...(waitForRelease ? { waitForRelease } : {}),
    startTimeoutMs: config.startTimeoutMs ?? 60_000,
    ...(config.onStop ? { onStop: config.onStop } : {}),
  })
  const lifetime = new DriverLifetime('pglite-worker', () => pglite.close())
  return {
    name: 'pglite-worker',
    // A statement past its budget is stopped by terminating the worker; rows are read whole.
    capabilities: {
      supportsMultipleConnections: false,
      confinesSQL: false,
      interruptsSQL: true,
      refusesOversizedRows: false,
    },
    createDialect: () => new PGliteDialect({ pglite: guardPGlite(pglite, lifetime) }),
    destroy: () => lifetime.destroy(),
    runSQLSession: (login, options, fn) =>
      lifetime.guard(() =>
        pglite.runStoppable(
          options.timeoutMs,
          (session, disarm) =>
            runPGliteSQLSession(session, login, options, async (connection) => {
              const result = await fn(connection)
              // From here on only the engine's own resets and the commit run: a stop now could
              // report a TIMEOUT for a transaction that committed.
              disarm()
              return result
            }),
          options.signal,
        ),
      ),
  }
}
