export * from './plan-preview.js'
export * from './plan-steps.js'
