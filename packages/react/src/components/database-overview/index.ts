export * from './database-overview.js'
