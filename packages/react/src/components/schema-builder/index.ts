export * from './plan-preview.js'
export * from './plan-steps.js'
export * from './schema-builder.js'
