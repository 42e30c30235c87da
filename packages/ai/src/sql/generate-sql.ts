import {
  BaseboxError,
  isBaseboxError,
  type TableDefinition,
  type TableDefinitionInput,
} from '@basebox/client'
import {
  generateText,
  jsonSchema,
  NoObjectGeneratedError,
  Output,
  type JSONSchema7,
  type ModelMessage,
} from 'ai'
import { z } from 'zod'
import {
  checkPromptText,
  resolveMaxRetries,
  resolveModel,
  toGenerationError,
  type AIModel,
  type ModelOptions,
} from '../model.js'
import { dataBlock, PROMPT_VERSION, sqlRetryPrompt, sqlSystemPrompt } from '../prompts/prompts.js'
import { currentTables } from '../schema/current-tables.js'
import { extractJSON } from '../schema/schema-loop.js'
import { isRecord } from '../schema/table-draft.js'
import { analyzeSQL, planModifiesData, type SQLAnalysis } from './analyze-sql.js'
import { describeDatabase, describeSampleRows, secretNames } from './describe-database.js'
import type { SQLChecker } from './sql-checker.js'

/** What `generateSQL` asks the model for. */
export const SQLAnswer = z
  .object({
    sql: z
      .string()
      .max(20_000)
      .describe('one PostgreSQL statement that answers the question, or "" when it cannot'),
    explanation: z
      .string()
      .max(2000)
      .describe('one or two plain sentences about what the statement does'),
  })
  .strict()

/**
 * The database a question is about: its table definitions, as a list or as a method that loads
 * them (a core `DatabaseHandle` fits: `database: db`).
 */
export interface SQLDatabase {
  definitions:
    | readonly TableDefinitionInput[]
    | (() => Promise<readonly TableDefinitionInput[]> | readonly TableDefinitionInput[])
}

/** Options of {@link generateSQL}. */
export interface GenerateSQLOptions extends ModelOptions {
  /** The question, in the user's words (at most 4,000 characters); given to the model as data. */
  question: string
  /** The database the question is about. The model sees its tables, never its secret columns. */
  database: SQLDatabase
  /** Plans the SQL against the real database, read-only, under its role. See {@link SQLChecker}. */
  checker: SQLChecker
  /**
   * Default is `false`. Whether the answer may be an INSERT, UPDATE or DELETE. Without it, SQL
   * that would write (as written, or in Postgres' plan) is refused with `FORBIDDEN`.
   */
  allowWrites?: boolean
  /**
   * Default is none: the model sees no row data. Rows per table to show the model as examples
   * (at most 3 per table, secret columns removed, long values cut).
   */
  sampleRows?: Readonly<Record<string, readonly Record<string, unknown>[]>>
}

/** What {@link generateSQL} returns. */
export interface SQLResult {
  /** One statement, checked by Postgres' planner, without a trailing semicolon. */
  sql: string
  /** What it does, in one or two plain sentences from the model. */
  explanation: string
  /** Whether it writes: a UI should ask before running it. */
  isWrite: boolean
  /** Postgres' plan, as the checker returned it. */
  plan: unknown
  /** How many model calls it took. */
  attempts: number
  /** The problems sent back to the model, one per retry. */
  retries: string[]
  /** The version of the prompts used. */
  promptVersion: string
}

function sqlOutput() {
  const schema = z.toJSONSchema(SQLAnswer, { io: 'input', target: 'draft-7' }) as JSONSchema7
  return Output.object({
    schema: jsonSchema<unknown>(schema, { validate: (value) => ({ success: true, value }) }),
    name: 'sql_answer',
  })
}

async function askForSQL(
  model: AIModel,
  instructions: string,
  messages: ModelMessage[],
  abortSignal: AbortSignal | undefined,
): Promise<{ text: string; value: unknown }> {
  try {
    const result = await generateText({
      model,
      instructions,
      messages,
      output: sqlOutput(),
      ...(abortSignal === undefined ? {} : { abortSignal }),
    })
    return { text: result.text, value: result.output }
  } catch (error) {
    if (NoObjectGeneratedError.isInstance(error)) {
      const found = extractJSON(error.text ?? '')
      return { text: error.text ?? '', value: found.ok ? found.value : undefined }
    }
    throw toGenerationError(error)
  }
}

/** Why SQL that uses hidden columns cannot be used, if it does. */
function secretProblem(
  analysis: SQLAnalysis,
  tables: readonly TableDefinition[],
): string | undefined {
  const secrets = secretNames(tables)
  const names = analysis.tokens.filter((t) => t.kind === 'word' || t.kind === 'quoted_identifier')
  const used = names.find((t) => secrets.columns.has(t.text))
  if (used !== undefined) {
    return `it uses the hidden column ${JSON.stringify(used.text)}; use only the listed columns`
  }
  const star = analysis.tokens.some((t, i) => {
    const before = analysis.tokens[i - 1]
    return (
      t.kind === 'symbol' &&
      t.text === '*' &&
      before !== undefined &&
      ((before.kind === 'word' &&
        ['select', 'distinct', 'returning', 'all'].includes(before.text)) ||
        (before.kind === 'symbol' && (before.text === ',' || before.text === '.')))
    )
  })
  const table = names.find((t) => secrets.tables.has(t.text))
  return star && table !== undefined
    ? `it selects * from a query over ${JSON.stringify(table.text)}, which has hidden columns; name the columns`
    : undefined
}

function forbidden(sql: string, explanation: string): BaseboxError {
  return new BaseboxError(
    'FORBIDDEN',
    'the SQL for this question writes data; pass allowWrites to allow writes',
    {
      details: { reason: 'write_not_allowed', sql, explanation },
    },
  )
}

async function loadTables(database: SQLDatabase): Promise<TableDefinition[]> {
  const definitions = database?.definitions
  if (definitions === undefined) {
    throw new BaseboxError('VALIDATION_FAILED', 'database must have the table definitions')
  }
  return currentTables(
    typeof definitions === 'function' ? await definitions.call(database) : definitions,
    'database',
  )
}

/**
 * Turns a question into one SQL statement over a project database. The model sees the tables,
 * columns, types and relations (never secret columns, never rows unless `sampleRows` are
 * given), and answers with SQL and a plain explanation. The SQL is then checked: one statement,
 * a read (or a write, only with `allowWrites`), no hidden columns, and planned by Postgres
 * through the `checker` (EXPLAIN in a read-only transaction under the database's role). SQL
 * that does not plan goes back to the model with Postgres' error, at most `maxRetries` times.
 *
 * ### Examples
 *
 * ```ts
 * const { sql, explanation, isWrite } = await generateSQL({
 *   question: 'Which five posts have the most comments?',
 *   database: db,
 *   checker,
 * })
 * ```
 */
export async function generateSQL(options: GenerateSQLOptions): Promise<SQLResult> {
  const question = checkPromptText(options?.question, 'a question', 4000)
  if (typeof options.checker?.explain !== 'function') {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      'checker must be a SQLChecker with an explain(sql) method',
    )
  }
  const allowWrites = options.allowWrites === true
  const tables = await loadTables(options.database)
  const maxRetries = resolveMaxRetries(options.maxRetries)
  const model = resolveModel(options)
  const rows = describeSampleRows(tables, options.sampleRows)
  const instructions = sqlSystemPrompt({ allowWrites, hasSampleRows: rows !== undefined })
  const messages: ModelMessage[] = [
    {
      role: 'user',
      content: [describeDatabase(tables), rows, `The question:\n${dataBlock('question', question)}`]
        .filter(Boolean)
        .join('\n\n'),
    },
  ]
  const retries: string[] = []
  const attempts = maxRetries + 1
  let last = { problem: '', sql: '' }
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const answer = await askForSQL(model, instructions, messages, options.abortSignal)
    const sqlText =
      isRecord(answer.value) && typeof answer.value.sql === 'string' ? answer.value.sql : undefined
    const explanation =
      isRecord(answer.value) && typeof answer.value.explanation === 'string'
        ? answer.value.explanation
        : ''
    let problem: string | undefined
    if (sqlText === undefined) {
      problem = 'the answer must be a JSON object with "sql" and "explanation"'
    } else if (sqlText.trim() === '') {
      throw new BaseboxError(
        'UNSUPPORTED',
        `the model could not answer with SQL: ${explanation || 'no reason given'}`,
        {
          details: { reason: 'no_sql', explanation },
        },
      )
    } else {
      const analysis = analyzeSQL(sqlText.replace(/^\s*```(?:sql)?\s*|\s*```\s*$/gi, ''))
      if (analysis.problem !== undefined) {
        problem = analysis.problem
      } else if (analysis.kind === 'other') {
        problem = `it is not a ${allowWrites ? 'SELECT, INSERT, UPDATE or DELETE' : 'SELECT'} statement`
      } else if (analysis.kind === 'write' && !allowWrites) {
        throw forbidden(analysis.sql, explanation)
      } else {
        problem = secretProblem(analysis, tables)
      }
      if (problem === undefined) {
        let plan: unknown
        try {
          plan = await options.checker.explain(analysis.sql)
        } catch (error) {
          problem = `Postgres could not plan it: ${isBaseboxError(error) || error instanceof Error ? error.message : String(error)}`
        }
        if (problem === undefined) {
          const isWrite = analysis.kind === 'write' || planModifiesData(plan)
          if (isWrite && !allowWrites) {
            throw forbidden(analysis.sql, explanation)
          }
          return {
            sql: analysis.sql,
            explanation,
            isWrite,
            plan,
            attempts: attempt,
            retries,
            promptVersion: PROMPT_VERSION,
          }
        }
      }
      last = { problem, sql: analysis.sql }
    }
    last.problem = problem
    if (attempt < attempts) {
      retries.push(problem)
      messages.push(
        { role: 'assistant', content: answer.text.slice(0, 20_000) },
        { role: 'user', content: sqlRetryPrompt(problem) },
      )
    }
  }
  throw new BaseboxError(
    'AI_GENERATION_FAILED',
    `the model did not produce usable SQL in ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}: ${last.problem}`,
    {
      details: { reason: 'invalid_sql', attempts, problem: last.problem, sql: last.sql, retries },
    },
  )
}
