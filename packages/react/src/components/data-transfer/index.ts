export * from './data-transfer.js'
