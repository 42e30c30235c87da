import {
  BaseboxError,
  TableDefinition,
  normalizeTableDefinition,
  tableDefinitionProblems,
} from '@basebox/client'
import { streamText } from 'ai'
import { checkPromptText, resolveMaxRetries, resolveModel, toGenerationError } from '../model.js'
import { refineSystemPrompt, schemaSystemPrompt } from '../prompts/prompts.js'
import { completeNewTable, dedupeTable } from './complete-table.js'
import { currentTables } from './current-tables.js'
import { schemaMessages, type GenerateSchemaOptions } from './generate-schema.js'
import { normalizeTable } from './normalize-table.js'
import { RepairLog } from './repair-log.js'
import { refineMessages, type RefineSchemaOptions } from './refine-schema.js'
import { readAnswerText, runSchemaLoop, type SchemaLoopOptions } from './schema-loop.js'
import { proposalOutput } from './schema-output.js'
import type { SchemaResult } from './schema-result.js'
import { isRecord } from './table-draft.js'

/** What {@link streamSchema} returns. */
export interface SchemaStream {
  /**
   * Each new table as soon as the model has finished writing it, repaired and valid on its own
   * (references to other tables are checked in {@link SchemaStream.result}). For a schema
   * builder to show while the rest arrives. One consumer only.
   */
  tables: AsyncIterable<TableDefinition>
  /**
   * The validated result, as {@link generateSchema} gives it. When the streamed answer fails
   * validation, the retries run without streaming, so it may differ from the streamed tables.
   */
  result: Promise<SchemaResult>
}

/** A one-consumer async queue: pushes buffer until read, `end` finishes the iteration. */
function createQueue<T>() {
  const items: T[] = []
  let done = false
  let failure: unknown
  let wake: (() => void) | undefined
  const notify = () => {
    wake?.()
    wake = undefined
  }
  return {
    push(item: T) {
      items.push(item)
      notify()
    },
    end(error?: unknown) {
      done = true
      failure = error
      notify()
    },
    async *iterate(): AsyncGenerator<T> {
      for (;;) {
        if (items.length > 0) {
          yield items.shift()!
        } else if (done) {
          if (failure !== undefined) {
            throw failure
          }
          return
        } else {
          await new Promise<void>((resolve) => {
            wake = resolve
          })
        }
      }
    },
  }
}

/** One streamed table, repaired alone, or `undefined` when it is not valid on its own. */
function streamedTable(raw: unknown, existing: ReadonlySet<string>): TableDefinition | undefined {
  const log = new RepairLog()
  const draft = normalizeTable(raw, 0, log)
  if (draft === undefined || existing.has(draft.name) || log.issues.length > 0) {
    return undefined
  }
  dedupeTable(draft, log)
  completeNewTable(draft, log)
  const parsed = TableDefinition.safeParse(draft)
  if (!parsed.success) {
    return undefined
  }
  const table = normalizeTableDefinition(parsed.data)
  return tableDefinitionProblems(table).length === 0 ? table : undefined
}

/**
 * The streaming variant of {@link generateSchema}: the same options and result, plus the new
 * tables one by one as the model writes them (AI SDK `streamText` with partial output).
 *
 * ### Examples
 *
 * ```ts
 * const stream = streamSchema({ description: 'A recipe box with ingredients and ratings' })
 * for await (const table of stream.tables) {
 *   show(table)
 * }
 * const result = await stream.result
 * ```
 */
export function streamSchema(options: GenerateSchemaOptions): SchemaStream {
  const description = checkPromptText(options?.description, 'a description')
  const base = currentTables(options.existing)
  const maxRetries = resolveMaxRetries(options.maxRetries)
  const model = resolveModel(options)
  return startSchemaStream({
    model,
    instructions: schemaSystemPrompt(),
    messages: schemaMessages(description, base),
    base,
    mode: 'extend',
    maxRetries,
    abortSignal: options.abortSignal,
  })
}

/**
 * The streaming variant of {@link refineSchema}: the same options and result, plus each table
 * the conversation adds as the model writes it (changed existing tables come in the result).
 *
 * ### Examples
 *
 * ```ts
 * const stream = streamRefineSchema({ current: await db.definitions(), messages: [{ role: 'user', content: 'add tags to posts' }] })
 * for await (const table of stream.tables) {
 *   show(table)
 * }
 * const { plan } = await stream.result
 * ```
 */
export function streamRefineSchema(options: RefineSchemaOptions): SchemaStream {
  if (options?.current === undefined) {
    throw new BaseboxError('VALIDATION_FAILED', "current must be the database's tables")
  }
  const base = currentTables(options.current, 'current')
  const messages = refineMessages(options.messages, base)
  const maxRetries = resolveMaxRetries(options.maxRetries)
  const model = resolveModel(options)
  return startSchemaStream({
    model,
    instructions: refineSystemPrompt(),
    messages,
    base,
    mode: 'refine',
    maxRetries,
    abortSignal: options.abortSignal,
  })
}

function startSchemaStream(options: Omit<SchemaLoopOptions, 'first'>): SchemaStream {
  const { model, instructions, messages, base, mode, maxRetries } = options
  const existing = new Set(base.map((t) => t.name))
  const queue = createQueue<TableDefinition>()
  const seen = new Set<string>()
  const emit = (raw: unknown) => {
    const table = streamedTable(raw, existing)
    if (table !== undefined && !seen.has(table.name)) {
      seen.add(table.name)
      queue.push(table)
    }
  }
  const readStream = async () => {
    let failure: unknown
    const stream = streamText({
      model,
      instructions,
      messages,
      output: proposalOutput(mode),
      ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
      onError: ({ error }) => {
        failure ??= error
      },
    })
    let emitted = 0
    for await (const partial of stream.partialOutputStream) {
      const tables = isRecord(partial) && Array.isArray(partial.tables) ? partial.tables : []
      // A table is complete once the next one has started.
      for (; emitted < tables.length - 1; emitted += 1) {
        emit(tables[emitted])
      }
    }
    if (failure !== undefined) {
      throw failure
    }
    const first = readAnswerText(await stream.text)
    const tables =
      isRecord(first.value) && Array.isArray(first.value.tables) ? first.value.tables : []
    for (; emitted < tables.length; emitted += 1) {
      emit(tables[emitted])
    }
    return first
  }
  const result = (async () => {
    let first: Awaited<ReturnType<typeof readStream>>
    try {
      first = await readStream()
    } catch (error) {
      const wrapped = toGenerationError(error)
      queue.end(wrapped)
      throw wrapped
    }
    queue.end()
    return runSchemaLoop({
      model,
      instructions,
      messages,
      base,
      mode,
      maxRetries,
      abortSignal: options.abortSignal,
      first,
    })
  })()
  // The caller may read only the tables; a failure is still thrown there, so it is handled.
  result.catch(() => {})
  return { tables: { [Symbol.asyncIterator]: () => queue.iterate() }, result }
}
