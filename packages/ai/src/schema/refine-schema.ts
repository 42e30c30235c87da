import { BaseboxError, type TableDefinition, type TableDefinitionInput } from '@basebox/client'
import type { ModelMessage } from 'ai'
import { checkPromptText, resolveMaxRetries, resolveModel, type ModelOptions } from '../model.js'
import { dataBlock, refineContextPrompt, refineSystemPrompt } from '../prompts/prompts.js'
import { currentTables } from './current-tables.js'
import { runSchemaLoop } from './schema-loop.js'
import type { SchemaResult } from './schema-result.js'

/** The most messages a refinement conversation may hold. */
export const MAX_REFINE_MESSAGES = 50

/** One turn of a schema conversation. */
export interface SchemaMessage {
  /** `'user'` for what the user asked, `'assistant'` for what was answered (e.g. a result's `notes`). */
  role: 'user' | 'assistant'
  /** Plain text, at most 10,000 characters. */
  content: string
}

/** Options of {@link refineSchema}. */
export interface RefineSchemaOptions extends ModelOptions {
  /** The conversation so far, oldest first, ending with the user's latest request. */
  messages: readonly SchemaMessage[]
  /** The database's tables as they are now (`db.definitions()`). */
  current: readonly TableDefinitionInput[]
}

/** Turns the conversation into model messages: user turns as data, the tables before the last. @internal */
export function refineMessages(
  messages: readonly SchemaMessage[],
  current: readonly TableDefinition[],
): ModelMessage[] {
  if (!Array.isArray(messages) || messages.length === 0 || messages.length > MAX_REFINE_MESSAGES) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      `messages must hold 1 to ${MAX_REFINE_MESSAGES} messages`,
    )
  }
  const last = messages.length - 1
  return messages.map((message, i): ModelMessage => {
    if (message?.role !== 'user' && message?.role !== 'assistant') {
      throw new BaseboxError('VALIDATION_FAILED', 'a message role must be "user" or "assistant"', {
        details: { index: i },
      })
    }
    const content = checkPromptText(message.content, 'a message')
    if (message.role === 'assistant') {
      if (i === last) {
        throw new BaseboxError('VALIDATION_FAILED', "the last message must be the user's request")
      }
      return { role: 'assistant', content }
    }
    const request = dataBlock('request', content)
    return {
      role: 'user',
      content: i === last ? `${refineContextPrompt(current)}\n${request}` : request,
    }
  })
}

/**
 * Changes a database's tables by conversation ("add tags to posts", "make email unique"): the
 * model answers with the tables to create or change, drops and renames, which are repaired and
 * validated like {@link generateSchema}'s, and laid over `current`. Renames come through as
 * renames in the plan, so rows are kept. The `users` table and its sign-in columns are kept.
 *
 * ### Examples
 *
 * ```ts
 * const result = await refineSchema({
 *   current: await db.definitions(),
 *   messages: [{ role: 'user', content: 'add tags to posts' }],
 * })
 * await db.applyPlan(result.plan)
 * ```
 */
export async function refineSchema(options: RefineSchemaOptions): Promise<SchemaResult> {
  if (options?.current === undefined) {
    throw new BaseboxError('VALIDATION_FAILED', "current must be the database's tables")
  }
  const base = currentTables(options.current, 'current')
  const messages = refineMessages(options.messages, base)
  const maxRetries = resolveMaxRetries(options.maxRetries)
  const model = resolveModel(options)
  return runSchemaLoop({
    model,
    instructions: refineSystemPrompt(),
    messages,
    base,
    mode: 'refine',
    maxRetries,
    abortSignal: options.abortSignal,
  })
}
