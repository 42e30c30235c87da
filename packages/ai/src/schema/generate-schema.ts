import type { TableDefinitionInput } from '@basebox/client'
import type { ModelMessage } from 'ai'
import { checkPromptText, resolveMaxRetries, resolveModel, type ModelOptions } from '../model.js'
import { schemaSystemPrompt, schemaUserPrompt } from '../prompts/prompts.js'
import { currentTables } from './current-tables.js'
import { runSchemaLoop } from './schema-loop.js'
import type { SchemaResult } from './schema-result.js'

/** Options of {@link generateSchema} and `streamSchema`. */
export interface GenerateSchemaOptions extends ModelOptions {
  /**
   * What the application should hold, in the user's words (at most 10,000 characters). It is
   * given to the model as data, never as instructions.
   */
  description: string
  /**
   * The database's current tables, which the result extends (new tables, new columns and
   * indexes; existing columns are never changed). Default is a new Basebox database: the
   * `users` table alone. Pass `[]` for a database with no tables at all.
   */
  existing?: readonly TableDefinitionInput[]
}

/** The first messages of a schema generation. @internal */
export function schemaMessages(
  description: string,
  existing: Parameters<typeof schemaUserPrompt>[1],
): ModelMessage[] {
  return [{ role: 'user', content: schemaUserPrompt(description, existing) }]
}

/**
 * Designs tables for an application described in plain language, with the AI SDK's structured
 * output. The model's answer is never trusted: it is read leniently, repaired where a repair is
 * safe and obvious (names, types, keys, timestamps, references, duplicates), then validated with
 * the same zod schema and database checks as the engine; when it still fails, the problems go
 * back to the model, at most `maxRetries` times. The result lists every repair and comes with
 * the core's change plan.
 *
 * ### Examples
 *
 * ```ts
 * const result = await generateSchema({ description: 'A blog with posts, comments and tags' })
 * // result.plan.steps: [{ kind: 'create_table', table: { name: 'posts', ... } }, ...]
 * await db.applyPlan(await db.planChanges(result.tables))
 * ```
 */
export async function generateSchema(options: GenerateSchemaOptions): Promise<SchemaResult> {
  const description = checkPromptText(options?.description, 'a description')
  const base = currentTables(options.existing)
  const maxRetries = resolveMaxRetries(options.maxRetries)
  const model = resolveModel(options)
  return runSchemaLoop({
    model,
    instructions: schemaSystemPrompt(),
    messages: schemaMessages(description, base),
    base,
    mode: 'extend',
    maxRetries,
    abortSignal: options.abortSignal,
  })
}
