import { APICallError, RetryError } from 'ai'
import { describe, expect, it } from 'vitest'
import { toGenerationError } from './model.js'
import { createAIProvider } from './provider.js'
import { BLOG_ANSWER } from './testing/fixtures.js'
import { answeringModel, streamingModel } from './testing/mock-model.js'
import { USERS_TABLE } from '@basebox/core'

const apiError = (statusCode: number, responseHeaders?: Record<string, string>) =>
  new APICallError({
    message: `status ${statusCode}`,
    url: 'https://api.mistral.ai/v1/chat/completions',
    requestBodyValues: {},
    statusCode,
    isRetryable: statusCode === 429,
    ...(responseHeaders ? { responseHeaders } : {}),
  })

describe('toGenerationError', () => {
  it('types the provider quota, also inside the retry wrapper, and a refused key', () => {
    expect(toGenerationError(apiError(429, { 'retry-after': '3' }))).toMatchObject({
      code: 'AI_QUOTA_EXCEEDED',
      details: { reason: 'quota', status: 429, retry_after_ms: 3000 },
    })
    const retried = new RetryError({
      message: 'gave up',
      reason: 'maxRetriesExceeded',
      errors: [apiError(500), apiError(429)],
    })
    expect(toGenerationError(retried)).toMatchObject({ code: 'AI_QUOTA_EXCEEDED' })
    expect(toGenerationError(apiError(402))).toMatchObject({
      code: 'AI_QUOTA_EXCEEDED',
      details: { status: 402 },
    })
    expect(toGenerationError(apiError(401))).toMatchObject({
      code: 'AI_NOT_CONFIGURED',
      details: { reason: 'key_refused' },
    })
    expect(toGenerationError(apiError(500))).toMatchObject({
      code: 'AI_GENERATION_FAILED',
      details: { reason: 'model_call_failed', status: 500 },
    })
    const abort = new DOMException('stopped', 'AbortError')
    expect(toGenerationError(abort)).toBe(abort)
  })
})

describe('createAIProvider', () => {
  it('streams generated tables, then the proposal without renames', async () => {
    const stream = createAIProvider({ model: streamingModel(BLOG_ANSWER) }).streamTables({
      mode: 'generate',
      description: 'a blog',
      current: [structuredClone(USERS_TABLE)],
    })
    const names: string[] = []
    for await (const table of stream.partial) {
      names.push(table.name)
    }
    expect(names).toEqual(['posts', 'comments'])
    const result = await stream.result
    expect(result.tables.map((t) => t.name)).toEqual(['users', 'posts', 'comments'])
    expect(result).toMatchObject({ renameTables: {}, renameColumns: {}, notes: BLOG_ANSWER.notes })
  })

  it('reads renames out of a refinement, for the caller to plan', async () => {
    const current = [structuredClone(USERS_TABLE), ...BLOG_ANSWER.tables.slice(0, 1)] as never[]
    const answer = {
      tables: [],
      rename_tables: [{ from: 'posts', to: 'articles' }],
      rename_columns: [{ table: 'articles', from: 'title', to: 'headline' }],
    }
    const stream = createAIProvider({ model: streamingModel(answer) }).streamTables({
      mode: 'refine',
      messages: [{ role: 'user', content: 'call posts articles' }],
      current,
    })
    const result = await stream.result
    expect(result.renameTables).toEqual({ posts: 'articles' })
    expect(result.renameColumns).toEqual({ articles: { title: 'headline' } })
  })

  it('checks generated SQL through the caller explain and never runs it', async () => {
    const explained: string[] = []
    const result = await createAIProvider({
      model: answeringModel({ sql: 'select count(*) from users', explanation: 'Counts users.' }),
    }).generateSQL({
      question: 'how many users?',
      allowWrites: false,
      current: [structuredClone(USERS_TABLE)],
      explain: async (sql) => {
        explained.push(sql)
        return [{ Plan: { 'Node Type': 'Aggregate' } }]
      },
    })
    expect(result).toEqual({
      sql: 'select count(*) from users',
      explanation: 'Counts users.',
      isWrite: false,
    })
    expect(explained).toEqual(['select count(*) from users'])
  })
})
