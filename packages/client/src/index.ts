/**
 * The bottom of Basebox: `BaseboxError` and its codes, the wire types and the zod schemas that
 * every other package shares.
 *
 * @module
 */
export * from './client.js'
export * from './errors.js'
export * from './schema/index.js'
export * from './types.js'
