/**
 * The zod schemas of Basebox's public contract: table definitions, column types and names.
 *
 * @module
 */
export * from './column-type.js'
export * from './filter.js'
export * from './identifier.js'
export * from './literal.js'
export * from './table-definition.js'
export * from './plan-step.js'
