import { USERS_TABLE } from '@basebox/core'
import { BaseboxError, type TableDefinition } from '@basebox/client'
import { describe, expect, it } from 'vitest'
import { dataBlock, refineSystemPrompt } from '../prompts/prompts.js'
import { ID, TIMESTAMPS } from '../testing/fixtures.js'
import { answeringModel, promptOf } from '../testing/mock-model.js'
import { generateSchema } from './generate-schema.js'
import { refineSchema } from './refine-schema.js'

const POSTS: TableDefinition = {
  name: 'posts',
  columns: [
    { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
    {
      name: 'author_id',
      type: 'uuid',
      references: { table: 'users', column: 'id', on_delete: 'cascade' },
    },
    { name: 'title', type: 'text', required: true },
    { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
    { name: 'updated_at', type: 'timestamptz', required: true, default: 'now()' },
  ],
}
const CURRENT: TableDefinition[] = [USERS_TABLE, POSTS]

async function rejection(promise: Promise<unknown>): Promise<BaseboxError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(BaseboxError)
  return error as BaseboxError
}

describe('refineSchema', () => {
  it('adds tags to posts: new tables, with the plan from the current tables', async () => {
    const answer = {
      tables: [
        {
          name: 'tags',
          columns: [
            ID,
            { name: 'name', type: 'text', required: true, unique: true },
            ...TIMESTAMPS,
          ],
        },
        {
          name: 'post_tags',
          columns: [
            ID,
            { name: 'post_id', type: 'uuid', required: true },
            { name: 'tag_id', type: 'uuid', required: true },
            ...TIMESTAMPS,
          ],
          indexes: [{ columns: ['post_id', 'tag_id'], unique: true }],
        },
      ],
      notes: 'Added tags and a join table.',
    }
    const model = answeringModel(answer)
    const result = await refineSchema({
      current: CURRENT,
      messages: [{ role: 'user', content: 'add tags to posts' }],
      model,
    })

    expect(result.tables.map((t) => t.name)).toEqual(['users', 'posts', 'tags', 'post_tags'])
    expect(result.plan.steps.map((s) => s.kind)).toEqual(['create_table', 'create_table'])
    // The _id columns were linked by repair.
    expect(result.tables[3]!.columns.find((c) => c.name === 'post_id')?.references?.table).toBe(
      'posts',
    )
    expect(result.repairs.map((r) => r.kind)).toEqual(['reference', 'reference'])
    const prompt = promptOf(model.doGenerateCalls[0]!)
    expect(prompt.system).toBe(refineSystemPrompt())
    expect(prompt.messages[0]!.text).toContain('"name":"posts"')
    expect(prompt.messages[0]!.text).toContain(dataBlock('request', 'add tags to posts'))
  })

  it('makes email unique by changing the existing table, keeping the rest of it', async () => {
    const current = [
      {
        ...USERS_TABLE,
        columns: USERS_TABLE.columns.map((c) => (c.name === 'email' ? { ...c, unique: false } : c)),
      },
      POSTS,
    ]
    const users = {
      ...USERS_TABLE,
      columns: USERS_TABLE.columns.map((c) => (c.name === 'email' ? { ...c, unique: true } : c)),
    }
    const result = await refineSchema({
      current,
      messages: [{ role: 'user', content: 'make email unique' }],
      model: answeringModel({ tables: [users] }),
    })
    expect(result.plan.steps).toEqual([
      { kind: 'set_unique', table: 'users', column: 'email', unique: true },
    ])
    expect(result.repairs).toEqual([])
  })

  it('renames as renames (rows kept) and drops tables', async () => {
    const current = [
      ...CURRENT,
      { name: 'drafts', columns: [{ name: 'id', type: 'uuid' as const, primary_key: true }] },
    ]
    const answer = {
      tables: [],
      rename_tables: [{ from: 'posts', to: 'articles' }],
      rename_columns: [{ table: 'articles', from: 'title', to: 'headline' }],
      drop_tables: ['drafts'],
    }
    const result = await refineSchema({
      current,
      messages: [
        { role: 'user', content: 'call posts articles' },
        { role: 'assistant', content: 'Which name should the title get?' },
        { role: 'user', content: 'headline, and drop drafts' },
      ],
      model: answeringModel(answer),
    })
    expect(result.plan.steps).toEqual([
      { kind: 'rename_table', table: 'posts', to: 'articles' },
      { kind: 'rename_column', table: 'articles', column: 'title', to: 'headline' },
      { kind: 'drop_table', table: 'drafts' },
    ])
    expect(result.tables.map((t) => t.name)).toEqual(['users', 'articles'])
  })

  it('keeps the users table and its sign-in columns', async () => {
    const users = {
      name: 'users',
      columns: USERS_TABLE.columns.filter(
        (c) => c.name !== 'password_hash' && c.name !== 'avatar_url',
      ),
    }
    const result = await refineSchema({
      current: CURRENT,
      messages: [{ role: 'user', content: 'remove avatars and passwords, and drop users' }],
      model: answeringModel({ tables: [users], drop_tables: ['users'] }),
    })
    expect(result.plan.steps).toEqual([
      { kind: 'drop_column', table: 'users', column: 'avatar_url' },
    ])
    expect(result.warnings).toEqual([
      'kept the table "users": sign-in needs it',
      'kept "users.password_hash": sign-in needs it',
    ])
  })

  it('keeps access rules that a changed table leaves out', async () => {
    const guarded = { ...POSTS, access: { select: 'owner' as const, owner_column: 'author_id' } }
    const changed = { ...POSTS, columns: [...POSTS.columns, { name: 'summary', type: 'text' }] }
    const result = await refineSchema({
      current: [USERS_TABLE, guarded],
      messages: [{ role: 'user', content: 'add a summary' }],
      model: answeringModel({ tables: [changed] }),
    })
    expect(result.tables[1]!.access).toEqual({ select: 'owner', owner_column: 'author_id' })
    expect(result.plan.steps.map((s) => s.kind)).toEqual(['add_column'])
    expect(result.warnings).toEqual(['kept the access rules of "posts": the answer left them out'])
  })

  it('sends a rename of a missing table back to the model', async () => {
    const model = answeringModel(
      { tables: [], rename_tables: [{ from: 'nope', to: 'yes' }] },
      { tables: [] },
    )
    const result = await refineSchema({
      current: CURRENT,
      messages: [{ role: 'user', content: 'rename nope' }],
      model,
    })
    expect(result.attempts).toBe(2)
    expect(result.retries[0]![0]!.message).toBe(
      'cannot rename table "nope" to "yes": table "nope" does not exist',
    )
  })

  it('refuses a conversation that does not end with the user', async () => {
    const model = answeringModel()
    for (const messages of [
      [],
      [{ role: 'assistant' as const, content: 'hi' }],
      [{ role: 'system', content: 'x' }],
    ]) {
      const error = await rejection(
        refineSchema({ current: CURRENT, messages: messages as never, model }),
      )
      expect(error.code).toBe('VALIDATION_FAILED')
    }
    expect(
      (
        await rejection(
          refineSchema({
            current: undefined as never,
            messages: [{ role: 'user', content: 'x' }],
            model,
          }),
        )
      ).code,
    ).toBe('VALIDATION_FAILED')
    expect(model.doGenerateCalls).toHaveLength(0)
  })

  it('ignores drops and renames when generating (generation only adds)', async () => {
    const result = await generateSchema({
      description: 'a blog',
      existing: CURRENT,
      model: answeringModel({ tables: [], drop_tables: ['posts'] }),
    })
    expect(result.plan.steps).toEqual([])
    expect(result.warnings).toContain(
      'ignored the drops and renames in the answer: generating a schema only adds (use refineSchema to change)',
    )
  })
})
