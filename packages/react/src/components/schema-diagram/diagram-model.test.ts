// The diagram's model: a plan's steps laid over the tables as added, changed and removed marks.
import type { TableDefinitionInput } from '@basebox/client'
import { describe, expect, it } from 'vitest'
import { buildDiagramModel, withReference } from './diagram-model.js'

const tables: TableDefinitionInput[] = [
  {
    name: 'users',
    columns: [
      { name: 'id', type: 'uuid', primary_key: true },
      { name: 'email', type: 'text', required: true },
    ],
  },
  {
    name: 'posts',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      {
        name: 'author_id',
        type: 'uuid',
        references: { table: 'users', column: 'id', on_delete: 'cascade' },
      },
      { name: 'title', type: 'text' },
    ],
  },
]

describe('given tables and no plan', () => {
  it('lists every column unchanged and one reference per referencing column', () => {
    const model = buildDiagramModel(tables)
    expect(model.tables.map((t) => [t.name, t.status])).toEqual([
      ['users', 'unchanged'],
      ['posts', 'unchanged'],
    ])
    expect(model.tables[0]!.columns[0]).toMatchObject({
      name: 'id',
      primaryKey: true,
      required: true,
    })
    expect(model.references).toEqual([
      {
        id: 'posts.author_id',
        table: 'posts',
        column: 'author_id',
        references: { table: 'users', column: 'id' },
        onDelete: 'cascade',
        status: 'unchanged',
      },
    ])
  })
})

describe('given a plan', () => {
  it('lists the columns of a reordered table in the wanted order and marks the table changed', () => {
    const model = buildDiagramModel(tables, {
      steps: [{ kind: 'reorder_columns', table: 'posts', columns: ['title', 'id', 'author_id'] }],
    })
    const posts = model.tables.find((t) => t.name === 'posts')!
    expect(posts.columns.map((c) => c.name)).toEqual(['title', 'id', 'author_id'])
    expect(posts).toMatchObject({ status: 'changed', changes: ['column order'] })
    expect(model.tables.find((t) => t.name === 'users')!.status).toBe('unchanged')
  })

  it('marks renames, type changes, drops and new references', () => {
    const model = buildDiagramModel(tables, {
      steps: [
        { kind: 'rename_table', table: 'posts', to: 'articles' },
        { kind: 'rename_column', table: 'articles', column: 'title', to: 'headline' },
        { kind: 'change_type', table: 'articles', column: 'id', to: 'bigint' },
        { kind: 'set_reference', table: 'articles', column: 'author_id', references: null },
        { kind: 'drop_column', table: 'users', column: 'email' },
        {
          kind: 'add_column',
          table: 'users',
          column: {
            name: 'best_id',
            type: 'bigint',
            references: { table: 'articles', column: 'id' },
          },
        },
      ],
    })
    const articles = model.tables.find((t) => t.name === 'articles')!
    expect(articles).toMatchObject({ status: 'changed', renamedFrom: 'posts' })
    expect(articles.columns.find((c) => c.name === 'headline')).toMatchObject({
      status: 'changed',
      renamedFrom: 'title',
    })
    expect(articles.columns.find((c) => c.name === 'id')).toMatchObject({
      status: 'changed',
      type: 'bigint',
      typeFrom: 'integer',
    })
    const users = model.tables.find((t) => t.name === 'users')!
    expect(users.columns.find((c) => c.name === 'email')!.status).toBe('removed')
    expect(users.columns.find((c) => c.name === 'best_id')!.status).toBe('added')
    expect(model.references.map((r) => [r.id, r.status])).toEqual([
      ['articles.author_id', 'removed'],
      ['users.best_id', 'added'],
    ])
  })

  it('shows a created table as added and a dropped one, with its references, as removed', () => {
    const model = buildDiagramModel(tables, {
      steps: [
        { kind: 'drop_table', table: 'posts' },
        {
          kind: 'create_table',
          table: { name: 'tags', columns: [{ name: 'id', type: 'integer', primary_key: true }] },
        },
      ],
    })
    expect(model.tables.map((t) => [t.name, t.status])).toEqual([
      ['users', 'unchanged'],
      ['posts', 'removed'],
      ['tags', 'added'],
    ])
    expect(model.references[0]!.status).toBe('removed')
  })
})

describe('given a drawn reference', () => {
  it('gives the wanted tables with the column referencing the other, or nothing for unknown names', () => {
    const wanted = withReference(tables as never, {
      table: 'users',
      column: 'email',
      references: { table: 'posts', column: 'id' },
    })
    expect(wanted![0]!.columns[1]!.references).toEqual({ table: 'posts', column: 'id' })
    expect(
      withReference(tables as never, {
        table: 'users',
        column: 'nope',
        references: { table: 'posts', column: 'id' },
      }),
    ).toBeUndefined()
    expect(
      withReference(tables as never, {
        table: 'users',
        column: 'email',
        references: { table: 'posts', column: 'nope' },
      }),
    ).toBeUndefined()
  })
})
