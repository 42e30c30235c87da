import {
  BaseboxError,
  COLUMN_TYPES,
  type TableDefinition,
  type TableDefinitionInput,
} from '@basebox/client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { dataBlock, PROMPT_VERSION, schemaSystemPrompt } from '../prompts/prompts.js'
import { BLOG_ANSWER, ID, TIMESTAMPS, bareTable } from '../testing/fixtures.js'
import { answeringModel, promptOf } from '../testing/mock-model.js'
import { generateSchema } from './generate-schema.js'
import type { SchemaResult } from './schema-result.js'

function table(result: SchemaResult, name: string): TableDefinition {
  const found = result.tables.find((t) => t.name === name)
  expect(found, `table ${name}`).toBeDefined()
  return found!
}

function column(result: SchemaResult, tableName: string, name: string) {
  const found = table(result, tableName).columns.find((c) => c.name === name)
  expect(found, `column ${tableName}.${name}`).toBeDefined()
  return found!
}

async function rejection(promise: Promise<unknown>): Promise<BaseboxError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(BaseboxError)
  return error as BaseboxError
}

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('generateSchema with well-formed output', () => {
  it('returns the tables over a new database, with no repairs, and the core plan to create them', async () => {
    const model = answeringModel(BLOG_ANSWER)
    const result = await generateSchema({ description: 'A blog with posts and comments', model })

    expect(result.repairs).toEqual([])
    expect(result.warnings).toEqual([])
    expect(result.attempts).toBe(1)
    expect(result.retries).toEqual([])
    expect(result.notes).toBe('Posts written by users, with comments.')
    expect(result.promptVersion).toBe(PROMPT_VERSION)
    expect(result.tables.map((t) => t.name)).toEqual(['users', 'posts', 'comments'])
    expect(result.plan.steps.map((s) => s.kind)).toEqual(['create_table', 'create_table'])
    expect(column(result, 'posts', 'author_id').references).toEqual({
      table: 'users',
      column: 'id',
      on_delete: 'cascade',
    })
  })

  it('gives the model the JSON Schema of the client table definition, and the description as data', async () => {
    const model = answeringModel(BLOG_ANSWER)
    const description = 'A blog with posts and comments'
    await generateSchema({ description, model })

    const call = model.doGenerateCalls[0]!
    expect(call.responseFormat?.type).toBe('json')
    const schema = JSON.stringify(
      call.responseFormat?.type === 'json' ? call.responseFormat.schema : null,
    )
    expect(schema).toContain(JSON.stringify([...COLUMN_TYPES]))
    expect(schema).toContain('on_delete')
    const prompt = promptOf(call)
    expect(prompt.system).toBe(schemaSystemPrompt())
    expect(prompt.messages).toHaveLength(1)
    expect(prompt.messages[0]!.text).toContain(dataBlock('description', description))
    expect(prompt.messages[0]!.text).toContain('"name":"users"')
  })

  it('extends existing tables: new columns are added, existing ones are kept', async () => {
    const existing: TableDefinitionInput[] = [
      {
        name: 'users',
        columns: [ID, { name: 'email', type: 'text', required: true, unique: true }],
      },
    ]
    const answer = {
      tables: [
        {
          name: 'users',
          columns: [
            ID,
            { name: 'email', type: 'integer' },
            { name: 'bio', type: 'text' },
            { name: 'nickname', type: 'text', required: true },
          ],
        },
        {
          name: 'notes',
          columns: [
            ID,
            {
              name: 'user_id',
              type: 'uuid',
              references: { table: 'users', column: 'id', on_delete: 'cascade' },
            },
            ...TIMESTAMPS,
          ],
        },
      ],
    }
    const result = await generateSchema({
      description: 'notes for users',
      existing,
      model: answeringModel(answer),
    })

    expect(column(result, 'users', 'email')).toEqual({
      name: 'email',
      type: 'text',
      required: true,
      unique: true,
    })
    expect(column(result, 'users', 'nickname')).toEqual({ name: 'nickname', type: 'text' })
    expect(result.warnings.some((w) => w.includes('"users.email"'))).toBe(true)
    expect(result.repairs.map((r) => [r.kind, r.column])).toContainEqual(['default', 'nickname'])
    expect(result.plan.steps.map((s) => s.kind)).toEqual([
      'create_table',
      'add_column',
      'add_column',
    ])
  })

  it('never adds a password column to users, which already has password_hash', async () => {
    const answer = {
      tables: [
        {
          name: 'users',
          columns: [
            { name: 'password', type: 'text' },
            { name: 'bio', type: 'text' },
          ],
        },
      ],
    }
    const result = await generateSchema({ description: 'profiles', model: answeringModel(answer) })
    expect(table(result, 'users').columns.map((c) => c.name)).not.toContain('password')
    expect(table(result, 'users').columns.map((c) => c.name)).toContain('bio')
  })
})

describe('generateSchema retries what it cannot repair', () => {
  const broken = {
    tables: [
      bareTable('posts', [
        ID,
        { name: 'title', type: 'varchar2' },
        { name: 'views', type: 'integer', default: 'lots' },
        ...TIMESTAMPS,
      ]),
      bareTable('comments', [
        ID,
        { name: 'post', type: 'uuid', references: { table: 'articles' } },
        ...TIMESTAMPS,
      ]),
    ],
  }

  it('sends the problems back to the model and uses the corrected answer', async () => {
    const model = answeringModel(broken, BLOG_ANSWER)
    const result = await generateSchema({ description: 'blog', model })

    expect(result.attempts).toBe(2)
    expect(result.retries).toHaveLength(1)
    expect(result.retries[0]!.map((i) => i.path.join('.'))).toEqual(['tables.posts.columns.1.type'])
    const second = promptOf(model.doGenerateCalls[1]!)
    expect(second.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user'])
    expect(second.messages[1]!.text).toBe(JSON.stringify(broken))
    expect(second.messages[2]!.text).toContain('"varchar2"')
    expect(result.tables.map((t) => t.name)).toEqual(['users', 'posts', 'comments'])
  })

  it('reports database-level problems (a reference to a missing table, a bad default) with names', async () => {
    const fixable = structuredClone(broken)
    fixable.tables[0]!.columns = [
      ID,
      { name: 'title', type: 'text' },
      { name: 'views', type: 'integer', default: 'lots' },
      ...TIMESTAMPS,
    ]
    const model = answeringModel(fixable, BLOG_ANSWER)
    const result = await generateSchema({ description: 'blog', model })
    expect(result.retries[0]).toEqual([
      {
        path: ['tables', 'posts', 'columns', 'views', 'default'],
        message: 'invalid default: expected an integer between -2147483648 and 2147483647',
      },
    ])
  })

  it('fails with AI_GENERATION_FAILED after maxRetries, and nothing comes back', async () => {
    const model = answeringModel(broken, broken, broken, broken)
    const error = await rejection(generateSchema({ description: 'blog', model, maxRetries: 3 }))
    expect(error.code).toBe('AI_GENERATION_FAILED')
    expect(model.doGenerateCalls).toHaveLength(4)
    expect(error.details).toMatchObject({ reason: 'invalid_output', attempts: 4 })
    expect((error.details!.retries as unknown[]).length).toBe(3)
  })

  it('treats an answer that is not JSON as a failed attempt', async () => {
    const model = answeringModel('I cannot help with that.', 'still no', BLOG_ANSWER)
    const result = await generateSchema({ description: 'blog', model })
    expect(result.attempts).toBe(3)
    expect(result.retries).toEqual([
      [{ path: [], message: 'the answer was not a JSON object' }],
      [{ path: [], message: 'the answer was not a JSON object' }],
    ])
  })

  it('does not retry with maxRetries 0', async () => {
    const model = answeringModel(broken)
    const error = await rejection(generateSchema({ description: 'blog', model, maxRetries: 0 }))
    expect(error.message).toMatch(/in 1 attempt:/)
  })
})

describe('generateSchema input and model', () => {
  it('refuses bad input before any model call', async () => {
    const model = answeringModel()
    expect((await rejection(generateSchema({ description: '  ', model }))).code).toBe(
      'VALIDATION_FAILED',
    )
    expect((await rejection(generateSchema({ description: 'x'.repeat(10_001), model }))).code).toBe(
      'VALIDATION_FAILED',
    )
    expect(
      (await rejection(generateSchema({ description: 'blog', model, maxRetries: 9 }))).code,
    ).toBe('VALIDATION_FAILED')
    expect(
      (
        await rejection(
          generateSchema({
            description: 'blog',
            model,
            existing: [{ name: 'Bad Name', columns: [] }],
          }),
        )
      ).code,
    ).toBe('INVALID_IDENTIFIER')
    expect(model.doGenerateCalls).toHaveLength(0)
  })

  it('fails clearly without a model and without a Mistral key, and calls nothing', async () => {
    vi.stubEnv('MISTRAL_API_KEY', '')
    const error = await rejection(generateSchema({ description: 'blog' }))
    expect(error.code).toBe('AI_NOT_CONFIGURED')
    expect(error.details).toEqual({ reason: 'missing_api_key' })
    expect(error.message).toContain('MISTRAL_API_KEY')
  })

  it('turns a failing model call into AI_GENERATION_FAILED with the cause kept', async () => {
    const cause = new Error('provider is down')
    const model = answeringModel()
    model.doGenerate = async () => {
      throw cause
    }
    const error = await rejection(generateSchema({ description: 'blog', model, maxRetries: 0 }))
    expect(error.code).toBe('AI_GENERATION_FAILED')
    expect(error.details).toEqual({ reason: 'model_call_failed' })
  })
})
