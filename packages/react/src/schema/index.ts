/**
 * Zod schemas derived from table definitions, for forms.
 *
 * @module
 */
export * from './record-schema.js'
