import { PGlite } from '@electric-sql/pglite'
import { BaseboxError, MAX_IDENTIFIER_BYTES, RESERVED_WORDS } from '@basebox/client'
import fc from 'fast-check'
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadPGliteSnapshot } from '../testing/pglite-snapshot.js'
import {
  derivedName,
  id,
  objectName,
  quoteIdentifier,
  quoteLiteral,
  shortHash,
} from './identifier.js'

/**
 * Property tests are bounded by their number of runs (`numRuns`), never by time; this is the time
 * such a test may take on a busy machine (a budget, not a measurement).
 */
const PROPERTY_BUDGET_MS = 120_000

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(BaseboxError)
    return (error as BaseboxError).code
  }
  return undefined
}

// A kysely instance that compiles Postgres SQL and never connects.
const compileOnly = new Kysely<Record<string, never>>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})

const bytes = (text: string) => new TextEncoder().encode(text).length

describe('quoteIdentifier', () => {
  it('double-quotes plain lower-case names, engine names with a leading underscore too', () => {
    expect(quoteIdentifier('posts')).toBe('"posts"')
    expect(quoteIdentifier('author_id')).toBe('"author_id"')
    expect(quoteIdentifier('_basebox')).toBe('"_basebox"')
    expect(quoteIdentifier('a'.repeat(63))).toBe(`"${'a'.repeat(63)}"`)
  })

  it.each([
    'a"b',
    'x"; drop table users; --',
    "a'b",
    'posts;',
    'a;b',
    'Posts',
    'POSTS',
    'a b',
    'a-b',
    'schema.table',
    '1posts',
    '',
    'a\u0000',
    'posts\n',
    'café',
    'a'.repeat(64),
  ])('refuses %j with INVALID_IDENTIFIER', (name) => {
    expect(codeOf(() => quoteIdentifier(name))).toBe('INVALID_IDENTIFIER')
  })

  it(
    'either refuses a string or returns it wrapped in quotes, with no quote inside',
    () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 80 }), (name) => {
          let quoted: string
          try {
            quoted = quoteIdentifier(name)
          } catch (error) {
            expect((error as BaseboxError).code).toBe('INVALID_IDENTIFIER')
            return
          }
          expect(quoted).toBe(`"${name}"`)
          expect(name).not.toMatch(/["'\\;\s.]/)
          expect(bytes(name)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES)
        }),
        { numRuns: 100 },
      )
    },
    PROPERTY_BUDGET_MS,
  )

  it('id() quotes each part of a dotted name and refuses a bad part', () => {
    const compiled = sql`select * from ${id('db_x', 'posts')}`.compile(compileOnly)
    expect(compiled.sql).toBe('select * from "db_x"."posts"')
    expect(codeOf(() => id('db_x', 'posts"; --'))).toBe('INVALID_IDENTIFIER')
  })
})

describe('quoteLiteral', () => {
  it('wraps in single quotes and doubles the ones inside', () => {
    expect(quoteLiteral('plain')).toBe("'plain'")
    expect(quoteLiteral('')).toBe("''")
    expect(quoteLiteral("it's")).toBe("'it''s'")
    expect(quoteLiteral("'; drop table users; --")).toBe("'''; drop table users; --'")
    expect(quoteLiteral("''")).toBe("''''''")
  })

  it('leaves backslashes alone (standard_conforming_strings is on)', () => {
    expect(quoteLiteral('a\\')).toBe("'a\\'")
    expect(quoteLiteral("\\'")).toBe("'\\'''")
  })

  it('refuses NUL, which Postgres text cannot hold', () => {
    expect(codeOf(() => quoteLiteral('a\u0000b'))).toBe('VALIDATION_FAILED')
  })
})

describe('derivedName', () => {
  it('joins short parts with underscores', () => {
    expect(derivedName('posts', 'author_id', 'fkey')).toBe('posts_author_id_fkey')
    expect(derivedName('a'.repeat(58), 'pkey')).toBe(`${'a'.repeat(58)}_pkey`)
  })

  it('cuts a long name and appends a hash of the whole, to exactly 63 bytes', () => {
    const long = derivedName('a'.repeat(60), 'author_id', 'fkey')
    expect(long).toHaveLength(63)
    expect(long).toMatch(/^a{54}_[0-9a-f]{8}$/)
    expect(long.endsWith(shortHash(`${'a'.repeat(60)}_author_id_fkey`))).toBe(true)
  })

  it(
    'is always a quotable name of at most 63 bytes',
    () => {
      const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,62}$/)
      fc.assert(
        fc.property(fc.array(name, { minLength: 1, maxLength: 5 }), (parts) => {
          const derived = derivedName(...parts)
          expect(bytes(derived)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES)
          expect(() => quoteIdentifier(derived)).not.toThrow()
          expect(derivedName(...parts)).toBe(derived)
        }),
        { numRuns: 100 },
      )
    },
    PROPERTY_BUDGET_MS,
  )

  it(
    'gives distinct long inputs distinct names, even when they share the first 54 characters',
    () => {
      const prefix = `t${'x'.repeat(60)}`
      fc.assert(
        fc.property(
          fc.stringMatching(/^[a-z0-9_]{1,20}$/),
          fc.stringMatching(/^[a-z0-9_]{1,20}$/),
          (a, b) => {
            fc.pre(a !== b)
            expect(derivedName(prefix, a, 'fkey')).not.toBe(derivedName(prefix, b, 'fkey'))
          },
        ),
        { numRuns: 2000 },
      )
    },
    PROPERTY_BUDGET_MS,
  )

  it('keeps the kinds of object apart on the same table and column', () => {
    const names = [
      objectName.primaryKey('posts'),
      objectName.unique('posts', 'slug'),
      objectName.foreignKey('posts', 'slug'),
      objectName.foreignKeyIndex('posts', 'slug'),
      objectName.index('posts', ['slug'], false),
      objectName.index('posts', ['slug'], true),
    ]
    expect(names).toEqual([
      'posts_pkey',
      'posts_slug_key',
      'posts_slug_fkey',
      'posts_slug_fkey_idx',
      'posts_slug_idx',
      'posts_slug_uidx',
    ])
  })
})

describe('shortHash', () => {
  it('is 8 hex digits, stable, and FNV-1a', () => {
    expect(shortHash('')).toBe('811c9dc5')
    expect(shortHash('a')).toBe('e40c292c')
    expect(shortHash('posts')).toMatch(/^[0-9a-f]{8}$/)
    expect(shortHash('posts')).toBe(shortHash('posts'))
  })
})

describe("the client's reserved words against Postgres' own key words (PGlite)", () => {
  let pglite: PGlite
  beforeAll(async () => {
    pglite = await loadPGliteSnapshot(PGlite)
  })
  afterAll(async () => {
    await pglite?.close()
  })

  it('lists every reserved key word, including those only a function or type may use', async () => {
    const { rows } = await pglite.query<{ word: string }>(
      `select word from pg_get_keywords() where catcode in ('R', 'T') order by 1`,
    )
    expect(rows.length).toBeGreaterThan(90)
    expect(rows.map((r) => r.word).filter((word) => !RESERVED_WORDS.has(word))).toEqual([])
  })

  it(
    'quotes every literal so that Postgres reads back exactly the same text',
    async () => {
      const text = fc
        .string({ unit: 'grapheme', maxLength: 30 })
        .filter((s) => !s.includes('\u0000'))
      const hostile = fc.constantFrom(
        "'",
        "''",
        "\\'",
        "'; drop table x; --",
        "E'\\x41'",
        '$$',
        '$q$',
        '\\',
        '"',
      )
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(text, hostile), { minLength: 1, maxLength: 10 }),
          async (values) => {
            const list = values
              .map((v, i) => `${quoteLiteral(v)} as ${quoteIdentifier(`v${i}`)}`)
              .join(', ')
            const { rows } = await pglite.query<Record<string, string>>(`select ${list}`)
            expect(Object.values(rows[0]!)).toEqual(values)
          },
        ),
        { numRuns: 200 },
      )
    },
    PROPERTY_BUDGET_MS,
  )
})
