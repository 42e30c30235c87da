/**
 * The PGlite-in-a-Web-Worker driver of Basebox: `pgliteWorkerDriver({ dataDir, start })`, for the
 * browser. A user SQL run that overruns its time limit is stopped by terminating the worker.
 *
 * @module
 */
export * from './driver/pglite-worker/pglite-worker-driver.js'
