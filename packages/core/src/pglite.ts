/**
 * The PGlite driver of Basebox: `pgliteDriver(pglite)`, for Node and the browser.
 *
 * @module
 */
export * from './driver/pglite/pglite-driver.js'
