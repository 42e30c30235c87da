/**
 * The node-postgres driver of Basebox: `pgDriver(pool)`.
 *
 * @module
 */
export * from './driver/pg/pg-driver.js'
