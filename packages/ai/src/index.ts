/**
 * Basebox AI: from a description in plain language to table definitions a user can review,
 * refine by chatting and apply (`generateSchema`, `refineSchema`, `streamSchema`, offline
 * templates), and from a question to SQL grounded in the project's real tables (`generateSQL`).
 * The model is any AI SDK language model; the default is Mistral's Codestral.
 *
 * @module
 */
export {
  DEFAULT_MODEL_ID,
  MAX_RETRIES_LIMIT,
  resolveModel,
  type AIModel,
  type ModelOptions,
} from './model.js'
export * from './prompts/prompts.js'
export { REPAIR_KINDS, type RepairKind, type SchemaRepair } from './schema/repair-log.js'
export type { SchemaResult } from './schema/schema-result.js'
export { SchemaProposal, SchemaChangeProposal } from './schema/schema-output.js'
export { generateSchema, type GenerateSchemaOptions } from './schema/generate-schema.js'
export {
  refineSchema,
  MAX_REFINE_MESSAGES,
  type RefineSchemaOptions,
  type SchemaMessage,
} from './schema/refine-schema.js'
export { streamSchema, streamRefineSchema, type SchemaStream } from './schema/stream-schema.js'
export { createAIProvider, type AIProviderOptions } from './provider.js'
export * from './templates/schema-template.js'
export type { SQLChecker } from './sql/sql-checker.js'
export {
  analyzeSQL,
  type SQLAnalysis,
  type SQLStatementKind,
  type SQLToken,
} from './sql/analyze-sql.js'
export * from './sql/generate-sql.js'
