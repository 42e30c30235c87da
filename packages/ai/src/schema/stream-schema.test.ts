import { BaseboxError, type TableDefinition } from '@basebox/client'
import { describe, expect, it } from 'vitest'
import { BLOG_ANSWER, ID } from '../testing/fixtures.js'
import {
  answeringModel,
  controlledStreamingModel,
  streamingModel,
  textResult,
} from '../testing/mock-model.js'
import { generateSchema } from './generate-schema.js'
import { streamSchema } from './stream-schema.js'

async function collect(tables: AsyncIterable<TableDefinition>): Promise<string[]> {
  const names: string[] = []
  for await (const table of tables) {
    names.push(table.name)
  }
  return names
}

describe('streamSchema', () => {
  it('yields each table once the model has finished it, before the answer is complete', async () => {
    const { model, write, finish } = controlledStreamingModel()
    const stream = streamSchema({ description: 'a blog', model })
    const tables = stream.tables[Symbol.asyncIterator]()

    const [posts, comments] = BLOG_ANSWER.tables.map((t) => JSON.stringify(t))
    write(`{"tables":[${posts}`)
    write(`,${comments!.slice(0, 20)}`)
    const first = await tables.next()
    expect(first.done).toBe(false)
    expect(first.value?.name).toBe('posts')

    write(`${comments!.slice(20)}],"notes":"ok"}`)
    finish()
    expect((await tables.next()).value?.name).toBe('comments')
    expect((await tables.next()).done).toBe(true)
    const result = await stream.result
    expect(result.tables.map((t) => t.name)).toEqual(['users', 'posts', 'comments'])
    expect(result.notes).toBe('ok')
    expect(result.attempts).toBe(1)
  })

  it('streams repaired tables, and its result equals generateSchema on the same answer', async () => {
    const answer = {
      tables: [
        { name: 'Recipes', columns: [{ name: 'Title', type: 'varchar(80)' }] },
        {
          name: 'ratings',
          columns: [ID, { name: 'recipe_id', type: 'uuid' }, { name: 'stars', type: 'int' }],
        },
      ],
    }
    const stream = streamSchema({ description: 'recipes', model: streamingModel(answer, 7) })
    const streamed: TableDefinition[] = []
    for await (const table of stream.tables) {
      streamed.push(table)
    }
    expect(streamed.map((t) => t.name)).toEqual(['recipes', 'ratings'])
    expect(streamed[0]!.columns.map((c) => c.name)).toEqual([
      'id',
      'title',
      'created_at',
      'updated_at',
    ])

    const result = await stream.result
    const direct = await generateSchema({ description: 'recipes', model: answeringModel(answer) })
    expect(result).toEqual(direct)
    expect(
      result.tables.find((t) => t.name === 'ratings')?.columns.find((c) => c.name === 'recipe_id')
        ?.references?.table,
    ).toBe('recipes')
  })

  it('retries without streaming when the streamed answer fails validation', async () => {
    const broken = { tables: [{ name: 'posts', columns: [{ name: 'title', type: 'varchar2' }] }] }
    const model = streamingModel(broken)
    model.doGenerate = async () => textResult(BLOG_ANSWER)
    const stream = streamSchema({ description: 'a blog', model })
    expect(await collect(stream.tables)).toEqual([])
    const result = await stream.result
    expect(result.attempts).toBe(2)
    expect(result.tables.map((t) => t.name)).toEqual(['users', 'posts', 'comments'])
  })

  it('fails both the tables and the result when the stream breaks', async () => {
    const { model, write, fail } = controlledStreamingModel()
    const stream = streamSchema({ description: 'a blog', model, maxRetries: 0 })
    write('{"tables":[')
    fail(new Error('connection reset'))
    const tablesError = await collect(stream.tables).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(tablesError).toBeInstanceOf(BaseboxError)
    const error = await stream.result.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(BaseboxError)
    expect((error as BaseboxError).code).toBe('AI_GENERATION_FAILED')
  })

  it('checks its input at once', () => {
    expect(() => streamSchema({ description: '', model: streamingModel({}) })).toThrow(BaseboxError)
  })
})
