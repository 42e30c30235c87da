import { createMistral } from '@ai-sdk/mistral'
import { BaseboxError, isBaseboxError } from '@basebox/client'
import type { LanguageModel } from 'ai'

/**
 * A language model of the AI SDK: Mistral, OpenAI-compatible, Ollama, a host's own, or a mock.
 * Model id strings are not accepted: they would resolve through the AI SDK's global provider
 * (a hosted gateway), which is a network call nobody asked for.
 */
export type AIModel = Exclude<LanguageModel, string>

/** The model used when none is given: Mistral's Codestral. */
export const DEFAULT_MODEL_ID = 'codestral-latest'

/** The most times invalid output may be sent back to the model. */
export const MAX_RETRIES_LIMIT = 5

/** Options every AI call of this package takes. */
export interface ModelOptions {
  /**
   * The language model. Default is Mistral's Codestral (`codestral-latest`) through
   * `@ai-sdk/mistral`, with {@link ModelOptions.apiKey} or the `MISTRAL_API_KEY` environment
   * variable.
   */
  model?: AIModel
  /** The Mistral API key for the default model. Default is the `MISTRAL_API_KEY` environment variable. */
  apiKey?: string
  /**
   * How many times output that fails validation (and cannot be repaired safely) is sent back to
   * the model with its problems, at most {@link MAX_RETRIES_LIMIT}. Default is `2`.
   */
  maxRetries?: number
  /** Cancels the model calls. */
  abortSignal?: AbortSignal
}

function environmentKey(): string | undefined {
  // `process` is absent in browsers; the key then has to come from the options.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env
  const key = env?.MISTRAL_API_KEY
  return key === undefined || key.trim() === '' ? undefined : key
}

/**
 * The model to call: the given one, or Codestral with the given or environment key. Fails with
 * `AI_GENERATION_FAILED` when there is neither a model nor a key. Makes no network call.
 */
export function resolveModel(options: Pick<ModelOptions, 'model' | 'apiKey'>): AIModel {
  if (options.model !== undefined) {
    return options.model
  }
  const apiKey = options.apiKey ?? environmentKey()
  if (apiKey === undefined || apiKey === '') {
    throw new BaseboxError(
      'AI_GENERATION_FAILED',
      'no model was given and no Mistral API key was found: pass `model` or `apiKey`, or set MISTRAL_API_KEY',
      { details: { reason: 'missing_api_key' } },
    )
  }
  return createMistral({ apiKey })(DEFAULT_MODEL_ID)
}

/** Checks `maxRetries` and returns it, or the default of 2. @internal */
export function resolveMaxRetries(maxRetries: unknown): number {
  if (maxRetries === undefined) {
    return 2
  }
  if (
    typeof maxRetries !== 'number' ||
    !Number.isInteger(maxRetries) ||
    maxRetries < 0 ||
    maxRetries > MAX_RETRIES_LIMIT
  ) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      `maxRetries must be an integer from 0 to ${MAX_RETRIES_LIMIT}`,
    )
  }
  return maxRetries
}

/** Checks a piece of user text given to the model (a description, a question, a message). @internal */
export function checkPromptText(value: unknown, what: string, maxLength = 10_000): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new BaseboxError('VALIDATION_FAILED', `${what} must be non-empty text`)
  }
  if (value.length > maxLength) {
    throw new BaseboxError('VALIDATION_FAILED', `${what} must be at most ${maxLength} characters`)
  }
  return value
}

/**
 * Turns a failure of the model call (network, provider, abort) into an `AI_GENERATION_FAILED`
 * error; Basebox errors pass through unchanged.
 * @internal
 */
export function toGenerationError(error: unknown): BaseboxError {
  if (isBaseboxError(error)) {
    return error
  }
  const message = error instanceof Error ? error.message : String(error)
  return new BaseboxError('AI_GENERATION_FAILED', `the model call failed: ${message}`, {
    cause: error,
    details: { reason: 'model_call_failed' },
  })
}
