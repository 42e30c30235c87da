import type { TableDefinition } from '@basebox/client'
import { describe, expect, it } from 'vitest'
import { readableColumns, recordSchema } from './record-schema.js'

const people: Pick<TableDefinition, 'columns'> = {
  columns: [
    { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
    { name: 'email', type: 'text', required: true, unique: true },
    { name: 'age', type: 'integer' },
    { name: 'balance', type: 'numeric' },
    { name: 'score', type: 'double' },
    { name: 'big', type: 'bigint' },
    { name: 'active', type: 'boolean', required: true, default: true },
    { name: 'born', type: 'date' },
    { name: 'seen_at', type: 'timestamptz' },
    { name: 'meta', type: 'jsonb' },
    { name: 'password', type: 'text', secret: true },
  ],
}

const codes: Pick<TableDefinition, 'columns'> = {
  columns: [
    { name: 'code', type: 'integer', primary_key: true },
    { name: 'label', type: 'text' },
  ],
}

const issues = (result: {
  success: boolean
  error?: { issues: { path: PropertyKey[]; message: string }[] }
}) => result.error?.issues.map((issue) => [issue.path.join('.'), issue.message]) ?? []

describe('recordSchema on insert', () => {
  it('requires required columns without a default, and not a primary key or column that has one', () => {
    const schema = recordSchema(people, 'insert')
    expect(schema.parse({ email: 'a@b.c' })).toEqual({ email: 'a@b.c' })
    expect(issues(schema.safeParse({}))).toEqual([['email', 'a value is required']])
    expect(issues(schema.safeParse({ email: null }))).toEqual([['email', 'a value is required']])
    // A primary key without a default must be given.
    expect(issues(recordSchema(codes, 'insert').safeParse({ label: 'x' }))).toEqual([
      ['code', 'a value is required'],
    ])
    expect(recordSchema(codes, 'insert').parse({ code: 7 })).toEqual({ code: 7 })
  })

  it('lets the default apply when a required column with one is left empty', () => {
    const parsed = recordSchema(people, 'insert').parse({ email: 'a@b.c', active: null, id: '' })
    expect(parsed.active).toBeUndefined()
    expect(parsed.id).toBeUndefined()
  })

  it('reads typed text as parseInput does, locale-proof', () => {
    const parsed = recordSchema(people, 'insert').parse({
      email: 'a@b.c',
      age: '1.234',
      balance: '1.234,5',
      score: '3,5',
      big: '9007199254740993',
      active: 'no',
      born: '2024-02-29',
      seen_at: '2024-01-31T10:00:00Z',
      id: 'A3FB3F5E-A5C8-4413-ACEE-80640D7D92D7',
    })
    expect(parsed).toMatchObject({
      age: 1234,
      balance: '1234.5',
      score: 3.5,
      big: '9007199254740993',
      active: false,
      born: '2024-02-29',
      seen_at: '2024-01-31T10:00:00.000Z',
      id: 'a3fb3f5e-a5c8-4413-acee-80640d7d92d7',
    })
  })

  it('refuses values of the wrong type with the engine wording, each at its field', () => {
    const result = recordSchema(people, 'insert').safeParse({
      email: 42,
      age: 'abc',
      balance: '1.2.3,4,5x',
      score: Number.NaN,
      active: 'maybe',
      born: '2023-02-29',
      meta: { ok: () => 1 },
    })
    expect(issues(result)).toEqual([
      ['email', 'expected a string'],
      ['age', 'expected a whole number'],
      ['balance', 'expected a number'],
      ['score', 'expected a number'],
      ['active', 'expected true or false'],
      ['born', 'expected a date written YYYY-MM-DD'],
      ['meta', 'expected a JSON value'],
    ])
    expect(issues(recordSchema(people, 'insert').safeParse({ email: 'x', age: 2 ** 31 }))).toEqual([
      ['age', 'expected an integer between -2147483648 and 2147483647'],
    ])
    expect(issues(recordSchema(people, 'insert').safeParse({ email: 'a\u0000b' }))).toEqual([
      ['email', 'text cannot contain the NUL character'],
    ])
  })

  it('keeps JSON strings as JSON values and refuses unknown columns', () => {
    expect(recordSchema(people, 'insert').parse({ email: 'x', meta: 'just text' }).meta).toBe(
      'just text',
    )
    const result = recordSchema(people, 'insert').safeParse({ email: 'x', nope: 1 })
    expect(result.success).toBe(false)
    expect(result.error!.issues[0]!.code).toBe('unrecognized_keys')
  })

  it('accepts a secret column as a write-only field', () => {
    expect(recordSchema(people, 'insert').parse({ email: 'x', password: 'hunter2' }).password).toBe(
      'hunter2',
    )
  })
})

describe('recordSchema on update', () => {
  it('makes every field optional but keeps NULL out of required columns', () => {
    const schema = recordSchema(people, 'update')
    expect(schema.parse({})).toEqual({})
    expect(schema.parse({ age: null, password: undefined })).toEqual({ age: null })
    expect(issues(schema.safeParse({ email: null }))).toEqual([['email', 'a value is required']])
    expect(issues(schema.safeParse({ active: null }))).toEqual([['active', 'a value is required']])
    expect(issues(schema.safeParse({ id: null }))).toEqual([['id', 'a value is required']])
  })
})

describe('readableColumns', () => {
  it('leaves secret columns out', () => {
    expect(readableColumns(people).map((column) => column.name)).not.toContain('password')
    expect(readableColumns(people)).toHaveLength(people.columns.length - 1)
  })
})
