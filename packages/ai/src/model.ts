import { createMistral } from '@ai-sdk/mistral'
import { BaseboxError, isBaseboxError } from '@basebox/client'
import { APICallError, RetryError, type LanguageModel } from 'ai'

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
 * `AI_NOT_CONFIGURED` when there is neither a model nor a key. Makes no network call.
 */
export function resolveModel(options: Pick<ModelOptions, 'model' | 'apiKey'>): AIModel {
  if (options.model !== undefined) {
    return options.model
  }
  const apiKey = options.apiKey ?? environmentKey()
  if (apiKey === undefined || apiKey === '') {
    throw new BaseboxError(
      'AI_NOT_CONFIGURED',
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

/** The provider's HTTP error behind a failure, looking through the SDK's retry wrapper. */
function apiCallError(error: unknown): APICallError | undefined {
  if (APICallError.isInstance(error)) {
    return error
  }
  if (RetryError.isInstance(error)) {
    return apiCallError(error.lastError)
  }
  return undefined
}

/** Milliseconds to wait from a `Retry-After` header (seconds or an HTTP date), when given. */
function retryAfterMs(headers: Record<string, string> | undefined): number | undefined {
  const value = headers?.['retry-after'] ?? headers?.['Retry-After']
  if (value === undefined) {
    return undefined
  }
  const seconds = Number(value)
  if (Number.isFinite(seconds)) {
    return Math.max(0, seconds * 1000)
  }
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

/**
 * Turns a failure of the model call into a typed error: the provider's quota or rate limit
 * (HTTP 429, or 402 for an exhausted balance) is `AI_QUOTA_EXCEEDED` with `retry_after_ms` when
 * the provider says; a rejected key (401, 403) is `AI_NOT_CONFIGURED`; anything else
 * (network, provider) is `AI_GENERATION_FAILED` with `reason: 'model_call_failed'`. Basebox
 * errors and aborts pass through unchanged.
 * @internal
 */
export function toGenerationError(error: unknown): unknown {
  if (isBaseboxError(error)) {
    return error
  }
  if ((error as { name?: unknown })?.name === 'AbortError') {
    return error
  }
  const api = apiCallError(error)
  if (api?.statusCode === 429 || api?.statusCode === 402) {
    const wait = retryAfterMs(api.responseHeaders)
    return new BaseboxError(
      'AI_QUOTA_EXCEEDED',
      "the model provider's quota or rate limit was reached; try again later",
      {
        cause: error,
        details: {
          reason: 'quota',
          status: api.statusCode,
          ...(wait === undefined ? {} : { retry_after_ms: wait }),
        },
      },
    )
  }
  if (api?.statusCode === 401 || api?.statusCode === 403) {
    return new BaseboxError('AI_NOT_CONFIGURED', 'the model provider refused the API key', {
      cause: error,
      details: { reason: 'key_refused', status: api.statusCode },
    })
  }
  const message = error instanceof Error ? error.message : String(error)
  return new BaseboxError('AI_GENERATION_FAILED', `the model call failed: ${message}`, {
    cause: error,
    details: {
      reason: 'model_call_failed',
      ...(api?.statusCode === undefined ? {} : { status: api.statusCode }),
    },
  })
}
