/**
 * AI on {@link BaseboxClient}: the shapes shared by the remote and the local client.
 *
 * API in short (every AI result is a proposal: a plan to preview, never applied):
 *
 * - `client.generateTables(databaseId, { description }, { signal })` -> {@link AITablesStream}:
 *   `partial` yields each new table as the model finishes it; `result` resolves to an
 *   {@link AITablesResult}: every wanted table, and `plan` = the core's `planChanges` against the
 *   database as it is now (`{ steps, problems }`), with what the model's answer needed repaired.
 * - `client.refineTables(databaseId, { messages }, { signal })` -> the same, for a chat: the
 *   messages so far, oldest first, ending with the user's request. `plan.steps` is what that
 *   message changes (renames stay renames).
 * - `client.generateSQL(databaseId, { question, allowWrites }, { signal })` ->
 *   `Promise<`{@link AISQLResult}`>`: SQL text planned by Postgres (never run), `isWrite`, an
 *   explanation. A write without `allowWrites` is `FORBIDDEN`.
 * - `client.listSchemaTemplates()` / `client.getSchemaTemplate(id)`: offline starts, with no model.
 *
 * Apply a result with `client.applyPlan(databaseId, result.plan)` (or re-plan the edited tables
 * with `client.planChanges`). Errors are `BaseboxError`s: `AI_NOT_CONFIGURED` (no model or key),
 * `AI_QUOTA_EXCEEDED` (the provider's quota or rate limit; `details.retry_after_ms` when known),
 * `AI_GENERATION_FAILED` (`details.reason: 'invalid_output'` after the repairs and retries, or
 * `'model_call_failed'`), `LIMIT_EXCEEDED` (the server's own rate limit), `NOT_FOUND` (another
 * owner's database). Aborting `signal` ends the stream: `partial` and `result` reject with the
 * signal's reason.
 *
 * Implementations plug in an {@link AIProvider} (`createAIProvider({ model })` from
 * `@basebox/ai`), so the engine never imports the AI package.
 *
 * @module
 */
import type { WireChangePlan, WirePlanStep } from './schema/plan-step.js'
import type { TableDefinition, TableDefinitionInput } from './schema/table-definition.js'

/** Per-call options of the AI methods. */
export interface AICallOptions {
  /** Stops the model calls and the stream: `partial` and `result` reject with the signal's reason. Default is none. */
  signal?: AbortSignal
}

/**
 * A streamed AI answer: partial values as they arrive, then the result. Read `partial` or not:
 * `result` settles either way (a failure rejects both).
 */
export interface AIStream<TPartial, TResult> {
  /** Each partial value as it arrives. One consumer only. */
  partial: AsyncIterable<TPartial>
  /** The final, validated answer. */
  result: Promise<TResult>
}

/** Input of {@link BaseboxClient.generateTables}. */
export interface GenerateTablesInput {
  /** What the application should hold, in the user's words (1 to 10,000 characters). Given to the model as data. */
  description: string
  /**
   * The tables to extend, e.g. a schema builder's unapplied edits. Default is the database's
   * tables. `changes` is relative to them; `plan` is always against the database.
   */
  current?: TableDefinitionInput[]
}

/** One turn of a schema chat. */
export interface AIChatMessage {
  /** `'user'` for a request, `'assistant'` for an earlier answer (e.g. a result's `notes`). */
  role: 'user' | 'assistant'
  /** 1 to 10,000 characters. */
  content: string
}

/** Input of {@link BaseboxClient.refineTables}. */
export interface RefineTablesInput {
  /** The chat so far, oldest first (1 to 50 messages), ending with the user's latest request. */
  messages: AIChatMessage[]
  /**
   * The tables to change, e.g. the result of the previous message that is not applied yet.
   * Default is the database's tables. `changes` is relative to them; `plan` is always against
   * the database (with this message's renames; re-plan with all pending renames if you keep
   * several messages unapplied).
   */
  current?: TableDefinitionInput[]
}

/** A fix made to the model's answer before validation (a name, a type, a missing key). */
export interface AIRepair {
  /** What kind of fix: `'name'`, `'type'`, `'default'`, `'primary_key'`, `'reference'`... */
  kind: string
  /** The table it was made in; `''` for the answer as a whole. */
  table: string
  column?: string
  /** What was done, in one sentence. */
  message: string
}

/** What an AI schema call proposes, after the model's answer was repaired and validated. */
export interface AITablesResult {
  /** Every table of the database after the change (the `wanted` of `planChanges`). */
  tables: TableDefinition[]
  /** The core's plan from the database's current tables, with the problems its rows would cause. Not applied. */
  plan: WireChangePlan
  /** What this call changed, as plan steps from the `current` tables it was given (default the database's): a chat's per-message diff. */
  changes: WirePlanStep[]
  /** The model's note to the user, if any. */
  notes?: string
  /** Fixes made to the model's answer, in order. */
  repairs: AIRepair[]
  /** Things left as they are but worth a look. */
  warnings: string[]
}

/** {@link AIStream} of the schema calls: partial tables, then an {@link AITablesResult}. */
export type AITablesStream = AIStream<TableDefinition, AITablesResult>

/** Input of {@link BaseboxClient.generateSQL}. */
export interface GenerateSQLInput {
  /** The question, in the user's words (1 to 4,000 characters). */
  question: string
  /** Default is `false`. Whether the SQL may write (INSERT, UPDATE, DELETE); otherwise a write is `FORBIDDEN`. */
  allowWrites?: boolean
}

/** SQL written by the model for a question, checked by Postgres' planner and never run. */
export interface AISQLResult {
  /** One statement, without a trailing semicolon. */
  sql: string
  /** What it does, in one or two plain sentences. */
  explanation: string
  /** Whether it writes (as written, or in Postgres' plan): ask before running it. */
  isWrite: boolean
}

/** A schema template as listed: what to show in a picker. */
export interface SchemaTemplateSummary {
  id: string
  title: string
  description: string
  /** The names of the tables it adds. */
  tables: string[]
}

/* ---- The provider an implementation plugs in ---- */

/** What an {@link AIProvider} is asked for a schema: generate from a description, or refine by chat. */
export type AIProviderTablesRequest =
  | { mode: 'generate'; description: string; current: TableDefinitionInput[]; signal?: AbortSignal }
  | {
      mode: 'refine'
      messages: AIChatMessage[]
      current: TableDefinitionInput[]
      signal?: AbortSignal
    }

/** What an {@link AIProvider} proposes: the wanted tables and renames; the caller plans them. */
export interface AIProviderTables {
  tables: TableDefinition[]
  /** The steps from `request.current` to `tables`. */
  changes: WirePlanStep[]
  /** Old table name -> new name. */
  renameTables: Record<string, string>
  /** Per table (by its new name): old column name -> new name. */
  renameColumns: Record<string, Record<string, string>>
  notes?: string
  repairs: AIRepair[]
  warnings: string[]
}

/** What an {@link AIProvider} is asked for SQL. */
export interface AIProviderSQLRequest {
  question: string
  allowWrites: boolean
  /** The database's tables (secret columns are the provider's to hide). */
  current: TableDefinition[]
  /** Plans one statement with `EXPLAIN` under the database's role, read-only, without running it. */
  explain(sql: string): Promise<unknown>
  signal?: AbortSignal
}

/**
 * The model behind a client's AI methods: `createAIProvider({ model })` from `@basebox/ai`, or
 * a host's own. Given to `createLocalClient(engine, ownerId, { ai })` and to `@basebox/server`'s
 * `createHandler({ ai })`. It never touches the database: the caller gives it the tables and an
 * `explain`, and plans the answer itself. Its failures are `BaseboxError`s (`AI_NOT_CONFIGURED`,
 * `AI_QUOTA_EXCEEDED`, `AI_GENERATION_FAILED`, `VALIDATION_FAILED`).
 */
export interface AIProvider {
  /** Streams new tables as they are written; `result` is the whole proposal. */
  streamTables(request: AIProviderTablesRequest): AIStream<TableDefinition, AIProviderTables>
  /** SQL for a question, checked through `request.explain`. */
  generateSQL(request: AIProviderSQLRequest): Promise<AISQLResult>
}

/**
 * The plan options of a provider's proposal (its renames), for planning against `database` (the
 * database's tables as they are). The renames are relative to the tables the provider was given,
 * which may hold tables and columns the database does not have yet (a builder's unapplied
 * draft): a rename of one of those is not a rename in the database, so it is left out (the plan
 * creates the table or column under its new name). Without `database` every rename is kept.
 * @internal
 */
export function renameOptions(
  proposal: AIProviderTables,
  database?: readonly TableDefinitionInput[],
): {
  renameTables?: Record<string, string>
  renameColumns?: Record<string, Record<string, string>>
} {
  const has = (table: string) => database === undefined || database.some((t) => t.name === table)
  const renameTables = Object.fromEntries(
    Object.entries(proposal.renameTables).filter(([from]) => has(from)),
  )
  const renameColumns: Record<string, Record<string, string>> = {}
  for (const [table, columns] of Object.entries(proposal.renameColumns)) {
    // `table` is the new name; the database knows the table by its old one.
    const old = Object.entries(proposal.renameTables).find(([, to]) => to === table)?.[0] ?? table
    const existing = database?.find((t) => t.name === old)
    if (database !== undefined && existing === undefined) {
      continue
    }
    const kept = Object.fromEntries(
      Object.entries(columns).filter(
        ([from]) => existing === undefined || existing.columns.some((c) => c.name === from),
      ),
    )
    if (Object.keys(kept).length > 0) {
      renameColumns[table] = kept
    }
  }
  return {
    ...(Object.keys(renameTables).length > 0 ? { renameTables } : {}),
    ...(Object.keys(renameColumns).length > 0 ? { renameColumns } : {}),
  }
}
