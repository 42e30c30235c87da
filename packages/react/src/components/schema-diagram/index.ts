export * from './schema-diagram.js'
