import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  Identifier,
  IDENTIFIER_PATTERN,
  identifierProblem,
  isIdentifier,
  MAX_IDENTIFIER_BYTES,
  RESERVED_WORDS,
  SYSTEM_COLUMN_NAMES,
} from './identifier.js'

const bytes = (text: string) => new TextEncoder().encode(text).length

describe('identifierProblem', () => {
  it.each(['a', 'posts', 'author_id', 'a1', 'x_1_y', 'a__b', 'z9', 'pgx', 'pg', 'users'])(
    'accepts %j',
    (name) => {
      expect(identifierProblem(name)).toBeUndefined()
      expect(isIdentifier(name)).toBe(true)
    },
  )

  it.each([
    ['', /cannot be empty/],
    ['Posts', /must start with a lowercase letter/],
    ['POSTS', /must start with a lowercase letter/],
    ['1posts', /must start with a lowercase letter/],
    ['_posts', /must start with a lowercase letter/],
    ['my-table', /must start with a lowercase letter/],
    ['my table', /must start with a lowercase letter/],
    ['posts;', /must start with a lowercase letter/],
    ['a"b', /must start with a lowercase letter/],
    ["a'b", /must start with a lowercase letter/],
    ['schema.table', /must start with a lowercase letter/],
    ['posts\n', /must start with a lowercase letter/],
    ['posts\u0000', /must start with a lowercase letter/],
    ['café', /must start with a lowercase letter/],
    ['ｐｏｓｔｓ', /must start with a lowercase letter/],
  ])('refuses %j', (name, message) => {
    expect(identifierProblem(name)).toMatch(message)
    expect(isIdentifier(name)).toBe(false)
  })

  it.each([undefined, null, 42, {}, ['posts'], true])('refuses the non-string %j', (value) => {
    expect(identifierProblem(value)).toBe('a name must be a string')
    expect(isIdentifier(value)).toBe(false)
  })

  describe('the 63-byte limit', () => {
    it('accepts exactly 63 ASCII bytes and refuses 64', () => {
      expect(MAX_IDENTIFIER_BYTES).toBe(63)
      expect(identifierProblem('a'.repeat(63))).toBeUndefined()
      expect(identifierProblem('a'.repeat(64))).toMatch(/longer than 63 bytes/)
    })

    it('counts bytes, not characters, for multi-byte text', () => {
      // 32 characters but 64 bytes in UTF-8: refused for its length before the pattern.
      const long = 'é'.repeat(32)
      expect(long).toHaveLength(32)
      expect(bytes(long)).toBe(64)
      expect(identifierProblem(long)).toMatch(/longer than 63 bytes/)
      // 21 characters, 63 bytes: within the limit, so the pattern is what refuses it.
      const three = '€'.repeat(21)
      expect(bytes(three)).toBe(63)
      expect(identifierProblem(three)).toMatch(/must start with a lowercase letter/)
      // An emoji is two UTF-16 units and four bytes.
      expect(identifierProblem(`a${'😀'.repeat(16)}`)).toMatch(/longer than 63 bytes/)
    })

    it('quotes at most 80 characters of a very long name in the message', () => {
      const problem = identifierProblem('x'.repeat(10_000))!
      expect(problem.length).toBeLessThan(200)
    })
  })

  describe('reserved words', () => {
    it.each(['select', 'table', 'user', 'order', 'group', 'from', 'where', 'null', 'true', 'all'])(
      'refuses %j',
      (word) => {
        expect(identifierProblem(word)).toMatch(/is a reserved word/)
      },
    )

    it('refuses words that may only be a function or type name', () => {
      for (const word of ['left', 'join', 'like', 'ilike', 'authorization', 'verbose']) {
        expect(identifierProblem(word), word).toMatch(/is a reserved word/)
      }
    })

    it('accepts unreserved key words and words that merely contain a reserved one', () => {
      for (const word of [
        'name',
        'type',
        'text',
        'date',
        'key',
        'value',
        'users',
        'selected',
        'order_id',
        'tables',
      ]) {
        expect(identifierProblem(word), word).toBeUndefined()
      }
    })

    it('lists every reserved word in lower case, matching the pattern', () => {
      expect(RESERVED_WORDS.size).toBeGreaterThan(90)
      for (const word of RESERVED_WORDS) {
        expect(word).toMatch(IDENTIFIER_PATTERN)
      }
    })
  })

  it('refuses the "pg_" prefix, which Postgres reserves for system objects', () => {
    expect(identifierProblem('pg_users')).toMatch(/reserved prefix "pg_"/)
    expect(identifierProblem('pg_')).toMatch(/reserved prefix "pg_"/)
    expect(identifierProblem('pgusers')).toBeUndefined()
    expect(identifierProblem('my_pg_users')).toBeUndefined()
  })

  it('does not refuse system column names: only column names are checked for those', () => {
    expect([...SYSTEM_COLUMN_NAMES].sort()).toEqual([
      'cmax',
      'cmin',
      'ctid',
      'oid',
      'tableoid',
      'xmax',
      'xmin',
    ])
    expect(identifierProblem('ctid')).toBeUndefined()
  })
})

describe('Identifier (zod)', () => {
  it('parses a valid name unchanged', () => {
    expect(Identifier.parse('author_id')).toBe('author_id')
  })

  it('marks its issues with params.identifier so that callers can tell name problems apart', () => {
    const result = Identifier.safeParse('Bad Name')
    expect(result.success).toBe(false)
    const issue = result.error!.issues[0]!
    expect(issue).toMatchObject({ code: 'custom', params: { identifier: true } })
    expect(issue.message).toMatch(/must start with a lowercase letter/)
  })

  it('reports a non-string as a type issue, not a name issue', () => {
    const result = Identifier.safeParse(7)
    expect(result.success).toBe(false)
    expect(result.error!.issues[0]!.code).toBe('invalid_type')
  })

  it('describes the rules in its JSON Schema', () => {
    const schema = z.toJSONSchema(Identifier) as { type: string; description: string }
    expect(schema.type).toBe('string')
    expect(schema.description).toMatch(/63 bytes/)
  })
})
