import { BaseboxError } from '@basebox/client'
import { describe, expect, it } from 'vitest'
import { applyStepToModel } from './apply-step-to-model.js'
import { findColumn, findTable, referencesTo, type DatabaseModel } from './database-model.js'
import type { PlanStep } from './plan-step.js'
import { BLOG, model } from './test-models.js'

/** Applies `step` and returns the BaseboxError it throws. */
function refusal(current: DatabaseModel, step: PlanStep): BaseboxError {
  try {
    applyStepToModel(current, step)
  } catch (error) {
    expect(error).toBeInstanceOf(BaseboxError)
    return error as BaseboxError
  }
  throw new Error(`expected ${JSON.stringify(step)} to be refused`)
}

describe('applyStepToModel', () => {
  it('is pure: the input model is left alone', () => {
    const before = JSON.stringify(BLOG)
    applyStepToModel(BLOG, { kind: 'rename_table', table: 'users', to: 'members' })
    applyStepToModel(BLOG, { kind: 'drop_column', table: 'posts', column: 'body' })
    expect(JSON.stringify(BLOG)).toBe(before)
  })

  describe('applies each kind of step', () => {
    it('create_table appends the parsed table', () => {
      const next = applyStepToModel(BLOG, {
        kind: 'create_table',
        table: {
          name: 'tags',
          columns: [{ name: 'id', type: 'uuid', default: 'gen_random_uuid()' }],
        },
      })
      expect(next.map((t) => t.name)).toEqual(['users', 'posts', 'comments', 'tags'])
    })

    it('drop_table with cascade removes the references to it', () => {
      const next = applyStepToModel(BLOG, { kind: 'drop_table', table: 'posts', cascade: true })
      expect(next.map((t) => t.name)).toEqual(['users', 'comments'])
      expect(findColumn(findTable(next, 'comments')!, 'post_id')!.references).toBeUndefined()
    })

    it('rename_table follows the references to it, self-references included', () => {
      const next = applyStepToModel(BLOG, { kind: 'rename_table', table: 'users', to: 'members' })
      expect(referencesTo(next, 'members')).toHaveLength(2)
      expect(referencesTo(next, 'users')).toEqual([])
      const tree = model({
        name: 'nodes',
        columns: [
          { name: 'id', type: 'uuid', primary_key: true },
          { name: 'parent_id', type: 'uuid', references: { table: 'nodes' } },
        ],
      })
      expect(
        applyStepToModel(tree, { kind: 'rename_table', table: 'nodes', to: 'items' })[0]!
          .columns[1]!.references!.table,
      ).toBe('items')
    })

    it('rename_column follows references and indexes', () => {
      const next = applyStepToModel(BLOG, {
        kind: 'rename_column',
        table: 'posts',
        column: 'id',
        to: 'post_id',
      })
      expect(findColumn(findTable(next, 'comments')!, 'post_id')!.references!.column).toBe(
        'post_id',
      )
      const indexed = applyStepToModel(BLOG, {
        kind: 'rename_column',
        table: 'posts',
        column: 'created_at',
        to: 'at',
      })
      expect(findTable(indexed, 'posts')!.indexes).toEqual([{ columns: ['at'] }])
    })

    it('drop_column removes the indexes that use it', () => {
      const next = applyStepToModel(BLOG, {
        kind: 'drop_column',
        table: 'posts',
        column: 'created_at',
      })
      expect(findTable(next, 'posts')!.indexes).toEqual([])
    })

    it('change_type forgets the default, which belonged to the old type', () => {
      const next = applyStepToModel(BLOG, {
        kind: 'change_type',
        table: 'posts',
        column: 'views',
        to: 'text',
      })
      expect(findColumn(findTable(next, 'posts')!, 'views')).toEqual({
        name: 'views',
        type: 'text',
        required: true,
      })
    })

    it('set_* steps set or remove one field', () => {
      // Without comments, which reference the key of posts.
      let next = applyStepToModel(BLOG.slice(0, 2), {
        kind: 'set_required',
        table: 'posts',
        column: 'title',
        required: false,
      })
      next = applyStepToModel(next, {
        kind: 'set_unique',
        table: 'posts',
        column: 'title',
        unique: true,
      })
      next = applyStepToModel(next, {
        kind: 'set_secret',
        table: 'posts',
        column: 'title',
        secret: true,
      })
      next = applyStepToModel(next, {
        kind: 'set_default',
        table: 'posts',
        column: 'title',
        default: 'untitled',
      })
      next = applyStepToModel(next, {
        kind: 'set_default',
        table: 'posts',
        column: 'views',
        default: null,
      })
      next = applyStepToModel(next, {
        kind: 'set_reference',
        table: 'posts',
        column: 'author_id',
        references: null,
      })
      next = applyStepToModel(next, { kind: 'set_primary_key', table: 'posts', column: 'title' })
      const posts = findTable(next, 'posts')!
      expect(findColumn(posts, 'title')).toEqual({
        name: 'title',
        type: 'text',
        unique: true,
        secret: true,
        default: 'untitled',
        primary_key: true,
      })
      expect(findColumn(posts, 'views')).toEqual({ name: 'views', type: 'integer', required: true })
      expect(findColumn(posts, 'author_id')).toEqual({ name: 'author_id', type: 'uuid' })
      expect(findColumn(posts, 'id')!.primary_key).toBeUndefined()
    })

    it('create_index and drop_index', () => {
      let next = applyStepToModel(BLOG, {
        kind: 'create_index',
        table: 'posts',
        index: { columns: ['title'], unique: true },
      })
      expect(findTable(next, 'posts')!.indexes).toEqual([
        { columns: ['created_at'] },
        { columns: ['title'], unique: true },
      ])
      next = applyStepToModel(next, {
        kind: 'drop_index',
        table: 'posts',
        index: { columns: ['created_at'] },
      })
      next = applyStepToModel(next, {
        kind: 'drop_index',
        table: 'posts',
        index: { columns: ['title'], unique: true },
      })
      expect(findTable(next, 'posts')!.indexes).toBeUndefined()
    })
  })

  describe('refuses steps that do not fit the model, with a typed code', () => {
    it.each<[string, PlanStep, string, RegExp]>([
      [
        'create_table on an existing name',
        { kind: 'create_table', table: { name: 'posts', columns: [{ name: 'id', type: 'uuid' }] } },
        'CONFLICT',
        /table "posts" already exists/,
      ],
      [
        'drop_table of a missing table',
        { kind: 'drop_table', table: 'nope' },
        'NOT_FOUND',
        /table "nope" does not exist/,
      ],
      [
        'drop_table of a referenced table without cascade',
        { kind: 'drop_table', table: 'users' },
        'CONFLICT',
        /table "users" is referenced by "posts.author_id", "comments.author_id"; drop those references first or pass cascade/,
      ],
      [
        'rename_table of a missing table',
        { kind: 'rename_table', table: 'nope', to: 'x' },
        'NOT_FOUND',
        /table "nope"/,
      ],
      [
        'rename_table onto an existing table',
        { kind: 'rename_table', table: 'posts', to: 'comments' },
        'CONFLICT',
        /table "comments" already exists/,
      ],
      [
        'add_column to a missing table',
        { kind: 'add_column', table: 'nope', column: { name: 'x', type: 'text' } },
        'NOT_FOUND',
        /table "nope"/,
      ],
      [
        'add_column of an existing column',
        { kind: 'add_column', table: 'posts', column: { name: 'title', type: 'text' } },
        'CONFLICT',
        /column "posts.title" already exists/,
      ],
      [
        'add_column of a second primary key',
        {
          kind: 'add_column',
          table: 'posts',
          column: { name: 'x', type: 'uuid', primary_key: true },
        },
        'VALIDATION_FAILED',
        /only one primary key/,
      ],
      [
        'add_column with a default of the wrong type',
        {
          kind: 'add_column',
          table: 'posts',
          column: { name: 'x', type: 'integer', default: 'ten' },
        },
        'VALIDATION_FAILED',
        /invalid default/,
      ],
      [
        'drop_column of a missing column',
        { kind: 'drop_column', table: 'posts', column: 'nope' },
        'NOT_FOUND',
        /column "posts.nope" does not exist/,
      ],
      [
        'drop_column of the only column',
        { kind: 'drop_column', table: 'solo', column: 'id' },
        'VALIDATION_FAILED',
        /cannot drop the only column of "solo"/,
      ],
      [
        'drop_column of a referenced column without cascade',
        { kind: 'drop_column', table: 'posts', column: 'id' },
        'CONFLICT',
        /column "posts.id" is referenced by "comments.post_id"/,
      ],
      [
        'rename_column onto an existing column',
        { kind: 'rename_column', table: 'posts', column: 'body', to: 'title' },
        'CONFLICT',
        /column "posts.title" already exists/,
      ],
      [
        'rename_column of a missing column',
        { kind: 'rename_column', table: 'posts', column: 'nope', to: 'x' },
        'NOT_FOUND',
        /column "posts.nope"/,
      ],
      [
        'change_type of a referencing column',
        { kind: 'change_type', table: 'posts', column: 'author_id', to: 'text' },
        'UNSUPPORTED',
        /drop the reference first/,
      ],
      [
        'change_type of a referenced column',
        { kind: 'change_type', table: 'users', column: 'id', to: 'text' },
        'UNSUPPORTED',
        /part of a reference/,
      ],
      [
        'set_required on a missing column',
        { kind: 'set_required', table: 'posts', column: 'nope', required: true },
        'NOT_FOUND',
        /column "posts.nope"/,
      ],
      [
        'set_default of the wrong type',
        { kind: 'set_default', table: 'posts', column: 'views', default: 'many' },
        'VALIDATION_FAILED',
        /invalid default/,
      ],
      [
        'set_default of a function that does not fit',
        { kind: 'set_default', table: 'posts', column: 'views', default: 'now()' },
        'VALIDATION_FAILED',
        /does not fit/,
      ],
      [
        'set_unique false on a referenced unique key',
        { kind: 'set_unique', table: 'refd', column: 'code', unique: false },
        'CONFLICT',
        /unique column "refd.code" is referenced by "refs.code"/,
      ],
      [
        'set_primary_key away from a referenced key',
        { kind: 'set_primary_key', table: 'posts', column: 'title' },
        'CONFLICT',
        /primary key "posts.id" is referenced by "comments.post_id"/,
      ],
      [
        'set_primary_key to a missing column',
        { kind: 'set_primary_key', table: 'solo', column: 'nope' },
        'NOT_FOUND',
        /column "solo.nope"/,
      ],
      [
        'set_reference with on_delete set null on a required column',
        {
          kind: 'set_reference',
          table: 'posts',
          column: 'title',
          references: { table: 'users', column: 'email', on_delete: 'set null' },
        },
        'VALIDATION_FAILED',
        /set null/,
      ],
      [
        'create_index that exists',
        { kind: 'create_index', table: 'posts', index: { columns: ['created_at'] } },
        'CONFLICT',
        /already exists/,
      ],
      [
        'create_index on a missing column',
        { kind: 'create_index', table: 'posts', index: { columns: ['nope'] } },
        'VALIDATION_FAILED',
        /not a column/,
      ],
      [
        'drop_index that does not exist',
        { kind: 'drop_index', table: 'posts', index: { columns: ['created_at'], unique: true } },
        'NOT_FOUND',
        /no index on "created_at"/,
      ],
    ])('%s', (_title, step, code, message) => {
      const current = [
        ...BLOG,
        ...model(
          { name: 'solo', columns: [{ name: 'id', type: 'uuid' }] },
          { name: 'refd', columns: [{ name: 'code', type: 'text', unique: true }] },
          {
            name: 'refs',
            columns: [
              { name: 'code', type: 'text', references: { table: 'refd', column: 'code' } },
            ],
          },
        ),
      ]
      const error = refusal(current, step)
      expect(error.code).toBe(code)
      expect(error.message).toMatch(message)
    })

    it('names what refers to a dropped table in details', () => {
      expect(refusal(BLOG, { kind: 'drop_table', table: 'posts' }).details).toEqual({
        referenced_by: ['comments.post_id'],
      })
      expect(
        refusal(BLOG, {
          kind: 'add_column',
          table: 'posts',
          column: { name: 'title', type: 'text' },
        }).details,
      ).toEqual({ table: 'posts', column: 'title' })
    })

    it('lets a primary key go when the column stays unique', () => {
      const m = model(
        {
          name: 'a',
          columns: [
            { name: 'id', type: 'uuid', primary_key: true, unique: true },
            { name: 'n', type: 'integer' },
          ],
        },
        { name: 'b', columns: [{ name: 'a_id', type: 'uuid', references: { table: 'a' } }] },
      )
      expect(() =>
        applyStepToModel(m, { kind: 'set_primary_key', table: 'a', column: 'n' }),
      ).not.toThrow()
    })
  })
})
