import type { TableDefinitionInput } from '@basebox/client'
import { describe, expect, it } from 'vitest'
import {
  addTemplateTables,
  draftFromTables,
  draftProblems,
  draftRenames,
  issuesAt,
  mergeProposal,
  moveColumn,
  newColumn,
  parseDefault,
  pushEdit,
  redo,
  removeColumn,
  renameColumn,
  renameTable,
  startHistory,
  undo,
  updateColumn,
  updateTable,
  wantedTables,
} from './builder-model.js'

const users: TableDefinitionInput = {
  name: 'users',
  columns: [
    { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
    { name: 'email', type: 'text', required: true, unique: true },
  ],
}
const posts: TableDefinitionInput = {
  name: 'posts',
  columns: [
    { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
    { name: 'title', type: 'text', required: true },
    {
      name: 'author_id',
      type: 'uuid',
      references: { table: 'users', column: 'id', on_delete: 'cascade' },
    },
  ],
  indexes: [{ columns: ['title'] }],
  access: { select: 'public', update: 'owner', owner_column: 'author_id' },
}

describe('given the database tables as a draft', () => {
  it('wants exactly those tables and holds no renames', () => {
    const draft = draftFromTables([users, posts])
    expect(wantedTables(draft)).toEqual([users, posts])
    expect(draftRenames(draft)).toEqual({})
    expect(draftProblems(draft)).toEqual([])
  })

  it('plans a renamed table and column as renames, and references, indexes and the owner rule follow', () => {
    let draft = draftFromTables([users, posts])
    const [u, p] = draft.tables
    draft = renameTable(draft, u!.key, 'people')
    draft = renameColumn(draft, u!.key, u!.columns[0]!.key, 'person_id')
    draft = renameColumn(draft, p!.key, p!.columns[2]!.key, 'writer_id')
    draft = renameColumn(draft, p!.key, p!.columns[1]!.key, 'headline')
    expect(draftRenames(draft)).toEqual({
      renameTables: { users: 'people' },
      renameColumns: {
        people: { id: 'person_id' },
        posts: { author_id: 'writer_id', title: 'headline' },
      },
    })
    const wanted = wantedTables(draft)
    expect(wanted[1]!.columns[2]).toMatchObject({
      name: 'writer_id',
      references: { table: 'people', column: 'person_id' },
    })
    expect(wanted[1]!.indexes).toEqual([{ columns: ['headline'] }])
    expect(wanted[1]!.access).toEqual({
      select: 'public',
      update: 'owner',
      owner_column: 'writer_id',
    })
    expect(draftProblems(draft)).toEqual([])
  })

  it("a new column is never a rename, even when it takes a removed column's name", () => {
    let draft = draftFromTables([posts])
    const table = draft.tables[0]!
    draft = updateTable(draft, table.key, (t) => removeColumn(t, t.columns[1]!.key))
    draft = updateTable(draft, table.key, (t) => ({
      ...t,
      columns: [...t.columns, { ...newColumn(t), name: 'title' }],
    }))
    expect(draftRenames(draft)).toEqual({})
    expect(wantedTables(draft)[0]!.indexes).toBeUndefined()
  })

  it('removing the owner column drops the owner rules with it', () => {
    let draft = draftFromTables([users, posts])
    const p = draft.tables[1]!
    draft = updateTable(draft, p.key, (t) => removeColumn(t, t.columns[2]!.key))
    expect(wantedTables(draft)[1]!.access).toEqual({ select: 'public' })
  })

  it('moves a column by position, clamped to the table', () => {
    const table = draftFromTables([posts]).tables[0]!
    expect(moveColumn(table, table.columns[2]!.key, 0).columns.map((c) => c.name)).toEqual([
      'author_id',
      'id',
      'title',
    ])
    expect(moveColumn(table, table.columns[0]!.key, 99).columns.map((c) => c.name)).toEqual([
      'title',
      'author_id',
      'id',
    ])
  })
})

describe('given a draft the engine would refuse', () => {
  it('names each problem at its field, with the same messages as the engine', () => {
    let draft = draftFromTables([users, posts])
    const p = draft.tables[1]!
    draft = updateTable(draft, p.key, (t) =>
      updateColumn(t, t.columns[1]!.key, (c) => ({ ...c, name: 'bad name!', default: 12 })),
    )
    draft = updateTable(draft, p.key, (t) =>
      updateColumn(t, t.columns[2]!.key, (c) => ({ ...c, type: 'integer' })),
    )
    const problems = draftProblems(draft)
    expect(issuesAt(problems, [1, 'columns', 1, 'name'])).toHaveLength(1)
    expect(issuesAt(problems, [1, 'columns', 2, 'type'])[0]!.message).toMatch(
      /is integer but references "users.id" of type uuid/,
    )
  })

  it('reports a duplicate table, a second primary key and a reference to a missing table', () => {
    let draft = draftFromTables([users, posts])
    draft = renameTable(draft, draft.tables[1]!.key, 'users')
    draft = updateTable(draft, draft.tables[0]!.key, (t) =>
      updateColumn(t, t.columns[1]!.key, (c) => ({ ...c, primary_key: true })),
    )
    const problems = draftProblems(draft)
    expect(issuesAt(problems, [1, 'name'])[0]!.message).toBe('duplicate table "users"')
    expect(issuesAt(problems, [0, 'columns', 1, 'primary_key'])[0]!.message).toMatch(
      /only one primary key/,
    )
    const lonely = draftFromTables([posts])
    expect(
      issuesAt(draftProblems(lonely), [0, 'columns', 2, 'references', 'table'])[0]!.message,
    ).toBe('referenced table "users" does not exist')
  })
})

describe('given what is typed in the default box', () => {
  it('reads functions, numbers, booleans and JSON by the column type, and keeps what does not fit as text', () => {
    expect(parseDefault('timestamptz', 'NOW()')).toBe('now()')
    expect(parseDefault('integer', ' 42 ')).toBe(42)
    expect(parseDefault('integer', 'many')).toBe('many')
    expect(parseDefault('bigint', '9007199254740993')).toBe('9007199254740993')
    expect(parseDefault('numeric', '19.50')).toBe('19.50')
    expect(parseDefault('numeric', '19.5')).toBe(19.5)
    expect(parseDefault('boolean', 'false')).toBe(false)
    expect(parseDefault('jsonb', '{"a":[1]}')).toEqual({ a: [1] })
    expect(parseDefault('text', 'now()')).toBe('now()')
    expect(parseDefault('text', '  ')).toBeUndefined()
    // What does not fit is kept for the validation to name.
    const draft = draftFromTables([
      {
        name: 't',
        columns: [{ name: 'n', type: 'integer', default: parseDefault('integer', 'many')! }],
      },
    ])
    expect(issuesAt(draftProblems(draft), [0, 'columns', 0, 'default'])).toHaveLength(1)
  })
})

describe('given a series of edits', () => {
  it('undoes and redoes them; typing into one field is one step', () => {
    const start = draftFromTables([posts])
    const key = start.tables[0]!.key
    let history = startHistory(start)
    history = pushEdit(history, renameTable(history.present, key, 'p'), `name:${key}`)
    history = pushEdit(history, renameTable(history.present, key, 'po'), `name:${key}`)
    history = pushEdit(history, renameTable(history.present, key, 'pos'), `name:${key}`)
    history = pushEdit(
      history,
      updateTable(history.present, key, (t) => ({ ...t, indexes: [] })),
      'indexes',
    )
    expect(history.past).toHaveLength(2)
    history = undo(history)
    expect(history.present.tables[0]!.name).toBe('pos')
    expect(history.present.tables[0]!.indexes).toHaveLength(1)
    history = undo(history)
    expect(history.present).toBe(start)
    expect(undo(history)).toBe(history)
    history = redo(redo(history))
    expect(history.present.tables[0]!.indexes).toEqual([])
    expect(redo(history)).toBe(history)
    // A new edit after an undo drops what could be redone.
    history = pushEdit(undo(history), renameTable(history.present, key, 'x'))
    expect(history.future).toEqual([])
  })
})

describe('given an AI answer or a template', () => {
  it("keeps renamed tables and columns as renames of the database's", () => {
    const draft = draftFromTables([users, posts])
    const next = mergeProposal(
      draft,
      [
        users,
        {
          ...posts,
          name: 'articles',
          columns: [
            posts.columns[0]!,
            { ...posts.columns[1]!, name: 'headline' },
            posts.columns[2]!,
            { name: 'tags', type: 'jsonb' },
          ],
        },
      ],
      [
        { kind: 'rename_table', table: 'posts', to: 'articles' },
        { kind: 'rename_column', table: 'articles', column: 'title', to: 'headline' },
        { kind: 'add_column', table: 'articles', column: { name: 'tags', type: 'jsonb' } },
      ],
    )
    expect(draftRenames(next)).toEqual({
      renameTables: { posts: 'articles' },
      renameColumns: { articles: { title: 'headline' } },
    })
    expect(next.tables[1]!.key).toBe(draft.tables[1]!.key)
    expect(next.tables[1]!.columns[3]!.from).toBeNull()
  })

  it("adds a template's tables and skips the names the draft has", () => {
    const { draft, skipped } = addTemplateTables(draftFromTables([users]), [users, posts])
    expect(skipped).toEqual(['users'])
    expect(draft.tables.map((t) => [t.name, t.from])).toEqual([
      ['users', 'users'],
      ['posts', null],
    ])
  })
})
