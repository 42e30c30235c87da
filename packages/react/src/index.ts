/**
 * The React kit of Basebox: a provider, hooks over React Query and drop-in components, over any
 * `BaseboxClient` (remote HTTP, or local on PGlite). Import `@basebox/react/styles.css` once.
 *
 * @module
 */
export * from './provider.js'
export * from './query/keys.js'
export * from './query/options.js'
export * from './hooks/use-projects.js'
export * from './hooks/use-tables.js'
export * from './hooks/use-rows.js'
export * from './components/editors/index.js'
export * from './components/table-editor/table-editor.js'
export * from './components/record-form/index.js'
export * from './components/schema-diagram/index.js'
export * from './schema/index.js'
export * from './components/sql-panel/index.js'
export * from './components/schema-builder/index.js'
export * from './components/access-rules/index.js'
export * from './components/database-overview/index.js'
export * from './components/api-keys/index.js'
export * from './components/auth-users/index.js'
export * from './components/data-transfer/index.js'
