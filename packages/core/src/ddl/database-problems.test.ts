import { ValidationError } from '@basebox/client'
import { describe, expect, it } from 'vitest'
import { USERS_TABLE } from '../default-tables.js'
import { assertValidDatabase, databaseProblems } from './database-problems.js'
import { BLOG, model } from './test-models.js'

describe('databaseProblems', () => {
  it('finds nothing in the blog', () => {
    expect(databaseProblems(BLOG)).toEqual([])
    expect(() => assertValidDatabase(BLOG)).not.toThrow()
  })

  it('duplicate table names', () => {
    expect(databaseProblems([...BLOG, BLOG[1]!])).toEqual([
      { path: [3, 'name'], message: 'duplicate table "posts"' },
    ])
  })

  it("each table's own problems, with the table's index in front of the path", () => {
    const twoKeys = {
      ...USERS_TABLE,
      columns: USERS_TABLE.columns.map((c) => ({ ...c, primary_key: true })),
    }
    const issues = databaseProblems([BLOG[1]!, twoKeys])
    expect(issues.length).toBeGreaterThan(0)
    expect(issues[0]).toEqual({
      path: [1, 'columns', 1, 'primary_key'],
      message: 'a table can have only one primary key column',
    })
  })

  it('references to a missing table or column', () => {
    const m = model(
      { name: 'a', columns: [{ name: 'x', type: 'uuid', references: { table: 'nope' } }] },
      {
        name: 'b',
        columns: [{ name: 'y', type: 'uuid', references: { table: 'a', column: 'nope' } }],
      },
    )
    expect(databaseProblems(m)).toEqual([
      {
        path: [0, 'columns', 0, 'references', 'table'],
        message: 'referenced table "nope" does not exist',
      },
      {
        path: [1, 'columns', 0, 'references', 'column'],
        message: 'referenced column "a.nope" does not exist',
      },
    ])
  })

  it('references to a column that is not a key', () => {
    const m = model(
      {
        name: 'a',
        columns: [
          { name: 'id', type: 'uuid' },
          { name: 'code', type: 'text' },
        ],
      },
      { name: 'b', columns: [{ name: 'a_id', type: 'uuid', references: { table: 'a' } }] },
    )
    expect(databaseProblems(m)).toEqual([
      {
        path: [1, 'columns', 0, 'references', 'column'],
        message: 'referenced column "a.id" must be a primary key or unique',
      },
    ])
  })

  it('accepts a unique key, or a unique single-column index, as a reference target', () => {
    const m = model(
      {
        name: 'a',
        columns: [
          { name: 'code', type: 'text', unique: true },
          { name: 'slug', type: 'text' },
        ],
        indexes: [{ columns: ['slug'], unique: true }],
      },
      {
        name: 'b',
        columns: [
          { name: 'x', type: 'text', references: { table: 'a', column: 'code' } },
          { name: 'y', type: 'text', references: { table: 'a', column: 'slug' } },
        ],
      },
    )
    expect(databaseProblems(m)).toEqual([])
  })

  it('references across types', () => {
    const m = model(
      { name: 'a', columns: [{ name: 'id', type: 'integer', primary_key: true }] },
      { name: 'b', columns: [{ name: 'a_id', type: 'bigint', references: { table: 'a' } }] },
    )
    expect(databaseProblems(m)).toEqual([
      {
        path: [1, 'columns', 0, 'type'],
        message: 'column "a_id" is bigint but references "a.id" of type integer',
      },
    ])
  })

  it('self-references are fine', () => {
    const m = model({
      name: 'nodes',
      columns: [
        { name: 'id', type: 'uuid', primary_key: true },
        { name: 'parent_id', type: 'uuid', references: { table: 'nodes' } },
      ],
    })
    expect(databaseProblems(m)).toEqual([])
  })

  it('assertValidDatabase throws a ValidationError listing them all', () => {
    const m = model({
      name: 'a',
      columns: [
        { name: 'x', type: 'uuid', references: { table: 'nope' } },
        { name: 'y', type: 'uuid', references: { table: 'gone' } },
      ],
    })
    const error = (() => {
      try {
        assertValidDatabase(m)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).code).toBe('VALIDATION_FAILED')
    expect((error as ValidationError).issues).toHaveLength(2)
    expect((error as ValidationError).message).toBe(
      'invalid database definition: referenced table "nope" does not exist',
    )
  })
})
