import type {
  AIProvider,
  AIProviderSQLRequest,
  AIProviderTables,
  AIProviderTablesRequest,
  AISQLResult,
  AIStream,
  TableDefinition,
  WirePlanStep,
} from '@basebox/client'
import type { AIModel } from './model.js'
import type { SchemaResult } from './schema/schema-result.js'
import { streamRefineSchema, streamSchema } from './schema/stream-schema.js'
import { generateSQL } from './sql/generate-sql.js'

/** Options of {@link createAIProvider}. */
export interface AIProviderOptions {
  /**
   * The language model: any AI SDK model. Default is Mistral's Codestral (`codestral-latest`)
   * with {@link AIProviderOptions.apiKey} or `MISTRAL_API_KEY`; without either, every call fails
   * with `AI_NOT_CONFIGURED`.
   */
  model?: AIModel
  /** The Mistral API key for the default model. Default is the `MISTRAL_API_KEY` environment variable. */
  apiKey?: string
  /** How many times invalid output is sent back to the model (0 to 5). Default is `2`. */
  maxRetries?: number
}

/** The plan options a result's renames need, read from its plan's rename steps. */
function toProviderTables(result: SchemaResult): AIProviderTables {
  const renameTables: Record<string, string> = {}
  const renameColumns: Record<string, Record<string, string>> = {}
  for (const step of result.plan.steps) {
    if (step.kind === 'rename_table') {
      renameTables[step.table] = step.to
    } else if (step.kind === 'rename_column') {
      ;(renameColumns[step.table] ??= {})[step.column] = step.to
    }
  }
  return {
    tables: result.tables,
    changes: result.plan.steps.map((step) => ({ ...step }) as WirePlanStep),
    renameTables,
    renameColumns,
    ...(result.notes === undefined ? {} : { notes: result.notes }),
    repairs: result.repairs.map((r) => ({ ...r })),
    warnings: result.warnings,
  }
}

/**
 * The `AIProvider` of `@basebox/client` on this package: `streamSchema` and
 * `streamRefineSchema` for tables, `generateSQL` for SQL, with one model. Give it to
 * `createLocalClient(engine, ownerId, { ai })` or `createHandler({ ai })`. It makes no call
 * until asked, and never a network call in tests with a mock model.
 *
 * ### Examples
 *
 * ```ts
 * import { createAIProvider } from '@basebox/ai'
 * import { createLocalClient } from '@basebox/core'
 *
 * const client = createLocalClient(engine, 'local-user', { ai: createAIProvider({ apiKey: process.env.MISTRAL_API_KEY }) })
 * const stream = client.generateTables(databaseId, { description: 'A recipe box' })
 * for await (const table of stream.partial) console.log(table.name)
 * const { plan } = await stream.result // preview, then client.applyPlan(databaseId, plan)
 * ```
 */
export function createAIProvider(options: AIProviderOptions = {}): AIProvider {
  const model = {
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  }
  return {
    streamTables(request: AIProviderTablesRequest): AIStream<TableDefinition, AIProviderTables> {
      const abort = request.signal === undefined ? {} : { abortSignal: request.signal }
      const stream =
        request.mode === 'refine'
          ? streamRefineSchema({
              ...model,
              ...abort,
              messages: request.messages,
              current: request.current,
            })
          : streamSchema({
              ...model,
              ...abort,
              description: request.description,
              existing: request.current,
            })
      const result = stream.result.then(toProviderTables)
      result.catch(() => {})
      return { partial: stream.tables, result }
    },
    async generateSQL(request: AIProviderSQLRequest): Promise<AISQLResult> {
      const result = await generateSQL({
        ...model,
        ...(request.signal === undefined ? {} : { abortSignal: request.signal }),
        question: request.question,
        allowWrites: request.allowWrites,
        database: { definitions: request.current },
        checker: { explain: (sql) => request.explain(sql) },
      })
      return { sql: result.sql, explanation: result.explanation, isWrite: result.isWrite }
    },
  }
}
