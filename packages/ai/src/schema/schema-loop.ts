import { BaseboxError, type TableDefinition, type ValidationIssue } from '@basebox/client'
import { generateText, NoObjectGeneratedError, type ModelMessage } from 'ai'
import { toGenerationError, type AIModel } from '../model.js'
import { PROMPT_VERSION, retryPrompt } from '../prompts/prompts.js'
import { evaluateProposal } from './evaluate-proposal.js'
import type { MergeMode } from './merge-proposal.js'
import { RepairLog } from './repair-log.js'
import { proposalOutput } from './schema-output.js'
import type { SchemaResult } from './schema-result.js'

/** How much of a rejected answer is sent back to the model with its problems. */
const MAX_ECHO_CHARS = 30_000

/** One answer of the model: its text, and the JSON value it holds (when it holds one). @internal */
export interface ModelAnswer {
  text: string
  value: unknown
  /** Whether the JSON had to be dug out of prose or Markdown fences. */
  extracted: boolean
}

/**
 * The JSON inside a reply that is not pure JSON: a Markdown fence, or the outermost braces.
 * @internal
 */
export function extractJSON(text: string): { ok: true; value: unknown } | { ok: false } {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text)?.[1]
  const braces =
    text.indexOf('{') >= 0 ? text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1) : undefined
  for (const candidate of [fenced, braces]) {
    if (candidate === undefined || candidate.trim() === '') {
      continue
    }
    try {
      return { ok: true, value: JSON.parse(candidate) as unknown }
    } catch {
      // try the next candidate
    }
  }
  return { ok: false }
}

/** Asks the model once, for a schema proposal. @internal */
export async function askForProposal(
  model: AIModel,
  instructions: string,
  messages: ModelMessage[],
  mode: MergeMode,
  abortSignal: AbortSignal | undefined,
): Promise<ModelAnswer | { text: string; value?: undefined; unreadable: true }> {
  try {
    const result = await generateText({
      model,
      instructions,
      messages,
      output: proposalOutput(mode),
      ...(abortSignal === undefined ? {} : { abortSignal }),
    })
    return { text: result.text, value: result.output, extracted: false }
  } catch (error) {
    if (NoObjectGeneratedError.isInstance(error)) {
      return readAnswerText(error.text ?? '')
    }
    throw toGenerationError(error)
  }
}

/** Reads the text of an answer that the SDK could not parse as JSON. @internal */
export function readAnswerText(
  text: string,
): ModelAnswer | { text: string; value?: undefined; unreadable: true } {
  try {
    return { text, value: JSON.parse(text) as unknown, extracted: false }
  } catch {
    // not pure JSON: look inside
  }
  const found = extractJSON(text)
  return found.ok ? { text, value: found.value, extracted: true } : { text, unreadable: true }
}

/** Options of {@link runSchemaLoop}. @internal */
export interface SchemaLoopOptions {
  model: AIModel
  instructions: string
  messages: ModelMessage[]
  base: readonly TableDefinition[]
  mode: MergeMode
  maxRetries: number
  abortSignal: AbortSignal | undefined
  /** The first answer, when it was already read (the streaming variant). */
  first?: ModelAnswer | { text: string; value?: undefined; unreadable: true }
}

/**
 * Asks, repairs and validates, and sends the problems back to the model until an answer passes
 * or the retries run out (then `AI_GENERATION_FAILED`, with the last problems in `details`).
 * @internal
 */
export async function runSchemaLoop(options: SchemaLoopOptions): Promise<SchemaResult> {
  const messages = [...options.messages]
  const retries: ValidationIssue[][] = []
  const attempts = options.maxRetries + 1
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const answer =
      attempt === 1 && options.first !== undefined
        ? options.first
        : await askForProposal(
            options.model,
            options.instructions,
            messages,
            options.mode,
            options.abortSignal,
          )
    let issues: ValidationIssue[]
    if ('unreadable' in answer) {
      issues = [{ path: [], message: 'the answer was not a JSON object' }]
    } else {
      const log = new RepairLog()
      if (answer.extracted) {
        log.repair('format', '', undefined, 'read the JSON object out of the surrounding text')
      }
      const evaluation = evaluateProposal(answer.value, options.base, options.mode, log)
      if (evaluation.ok) {
        return { ...evaluation.value, attempts: attempt, retries, promptVersion: PROMPT_VERSION }
      }
      issues = evaluation.issues
    }
    if (attempt < attempts) {
      retries.push(issues)
      messages.push(
        { role: 'assistant', content: answer.text.slice(0, MAX_ECHO_CHARS) },
        { role: 'user', content: retryPrompt(issues) },
      )
      continue
    }
    throw new BaseboxError(
      'AI_GENERATION_FAILED',
      `the model did not produce a valid schema in ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}: ${issues[0]?.message ?? 'invalid output'}`,
      { details: { reason: 'invalid_output', attempts, issues, retries } },
    )
  }
  throw new BaseboxError('INTERNAL', 'unreachable')
}
