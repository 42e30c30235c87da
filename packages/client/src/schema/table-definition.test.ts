import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ValidationError } from '../errors.js'
import { COLUMN_TYPES } from './column-type.js'
import { IDENTIFIER_PATTERN, MAX_IDENTIFIER_BYTES } from './identifier.js'
import {
  ON_DELETE_ACTIONS,
  parseTableDefinition,
  TableDefinition,
  tableDefinitionProblems,
  type TableDefinitionInput,
} from './table-definition.js'

/**
 * Property tests are bounded by their number of runs (`numRuns`), never by time; this is the time
 * such a test may take on a busy machine (a budget, not a measurement).
 */
const PROPERTY_BUDGET_MS = 120_000

const POSTS = {
  name: 'posts',
  columns: [
    { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
    { name: 'title', type: 'text', required: true },
    {
      name: 'author_id',
      type: 'uuid',
      references: { table: 'users', column: 'id', on_delete: 'cascade' },
    },
    { name: 'created_at', type: 'timestamptz', default: 'now()' },
  ],
} satisfies TableDefinitionInput

/** Parses `input` and returns the ValidationError it throws (failing when it does not throw one). */
function refusal(input: unknown): ValidationError {
  try {
    parseTableDefinition(input)
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError)
    return error as ValidationError
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`)
}

function withColumns(...columns: unknown[]): unknown {
  return { name: 't', columns }
}

describe('parseTableDefinition', () => {
  it('accepts the design document example and returns it in normal form', () => {
    expect(parseTableDefinition(POSTS)).toEqual(POSTS)
  })

  it('fills in the reference column and on_delete', () => {
    const table = parseTableDefinition(
      withColumns({ name: 'user_id', type: 'uuid', references: { table: 'users' } }),
    )
    expect(table.columns[0]!.references).toEqual({
      table: 'users',
      column: 'id',
      on_delete: 'no action',
    })
  })

  it('normalizes allow-listed default functions to lower case without spaces', () => {
    const table = parseTableDefinition(
      withColumns(
        { name: 'id', type: 'uuid', default: 'GEN_RANDOM_UUID()' },
        { name: 'a', type: 'timestamptz', default: 'NOW()' },
        { name: 'b', type: 'timestamptz', default: ' now ( ) ' },
        { name: 'c', type: 'date', default: 'Current_Date' },
        { name: 'd', type: 'timestamptz', default: 'CURRENT_TIMESTAMP' },
        { name: 'e', type: 'date', default: 'now()' },
      ),
    )
    expect(table.columns.map((c) => c.default)).toEqual([
      'gen_random_uuid()',
      'now()',
      'now()',
      'current_date',
      'current_timestamp',
      'now()',
    ])
  })

  it('keeps a function-like string as a plain literal in a jsonb column', () => {
    const table = parseTableDefinition(
      withColumns({ name: 'meta', type: 'jsonb', default: 'NOW()' }),
    )
    expect(table.columns[0]!.default).toBe('NOW()')
  })

  it('accepts a literal default of every column type', () => {
    const table = parseTableDefinition(
      withColumns(
        { name: 'a', type: 'uuid', default: '5f0c1c56-0b6e-4a39-9a40-2b8d1e3c4f5a' },
        { name: 'b', type: 'text', default: "it's; drop table x --" },
        { name: 'c', type: 'integer', default: -2147483648 },
        { name: 'd', type: 'bigint', default: '9223372036854775807' },
        { name: 'e', type: 'numeric', default: '12.50' },
        { name: 'f', type: 'double', default: 1.5 },
        { name: 'g', type: 'boolean', default: false },
        { name: 'h', type: 'date', default: '2024-02-29' },
        { name: 'i', type: 'timestamptz', default: '2024-02-29T12:00:00Z' },
        { name: 'j', type: 'jsonb', default: { tags: ['a'] } },
        { name: 'k', type: 'text', default: null },
      ),
    )
    expect(table.columns).toHaveLength(11)
  })

  it('returns a new object and leaves its input alone', () => {
    const input = structuredClone(POSTS)
    const table = parseTableDefinition(input)
    expect(table).not.toBe(input)
    expect(input).toEqual(POSTS)
  })

  describe('refuses bad shapes with VALIDATION_FAILED and the JSON path of each problem', () => {
    it.each<[string, unknown, (string | number)[]]>([
      ['not an object', 'create table x (id int)', []],
      ['null', null, []],
      ['no columns', { name: 't', columns: [] }, ['columns']],
      ['columns not an array', { name: 't', columns: {} }, ['columns']],
      [
        'an unknown column type',
        withColumns({ name: 'a', type: 'varchar(10)' }),
        ['columns', 0, 'type'],
      ],
      [
        'a type smuggling SQL',
        withColumns({ name: 'a', type: 'int); drop table x; --' }),
        ['columns', 0, 'type'],
      ],
      ['a type in upper case', withColumns({ name: 'a', type: 'TEXT' }), ['columns', 0, 'type']],
      [
        'an unknown column field',
        withColumns({ name: 'a', type: 'text', check: 'a > 0' }),
        ['columns', 0],
      ],
      ['an unknown table field', { ...POSTS, owner: 'x' }, []],
      [
        'a non-boolean flag',
        withColumns({ name: 'a', type: 'text', required: 'yes' }),
        ['columns', 0, 'required'],
      ],
      [
        'an unknown on_delete',
        withColumns({
          name: 'a',
          type: 'uuid',
          references: { table: 'users', on_delete: 'set default' },
        }),
        ['columns', 0, 'references', 'on_delete'],
      ],
      [
        'an unknown reference field',
        withColumns({ name: 'a', type: 'uuid', references: { table: 'users', match: 'full' } }),
        ['columns', 0, 'references'],
      ],
      [
        'an index without columns',
        { name: 't', columns: [{ name: 'a', type: 'text' }], indexes: [{ columns: [] }] },
        ['indexes', 0, 'columns'],
      ],
      [
        'a non-boolean primary_key',
        withColumns({ name: 'a', type: 'text', primary_key: 1 }),
        ['columns', 0, 'primary_key'],
      ],
    ])('%s', (_title, input, path) => {
      const error = refusal(input)
      expect(error.code).toBe('VALIDATION_FAILED')
      expect(error.issues.length).toBeGreaterThan(0)
      expect(error.issues.map((i) => i.path)).toContainEqual(path)
      expect(error.details).toEqual({ issues: error.issues })
      expect(error.message).toMatch(/^invalid table definition: /)
    })

    it('refuses more than 1600 columns and more than 64 indexes', () => {
      const columns = Array.from({ length: 1601 }, (_, i) => ({ name: `c${i}`, type: 'text' }))
      expect(refusal({ name: 't', columns }).issues[0]!.path).toEqual(['columns'])
      const indexes = Array.from({ length: 65 }, () => ({ columns: ['a'] }))
      expect(
        refusal({ name: 't', columns: [{ name: 'a', type: 'text' }], indexes }).issues[0]!.path,
      ).toEqual(['indexes'])
    })

    it('lists every problem, not only the first, and names the first in the message', () => {
      const error = refusal(
        withColumns({ name: 'a', type: 'nope' }, { name: 'b', type: 'text', unique: 'x' }),
      )
      expect(error.issues.map((i) => i.path)).toEqual([
        ['columns', 0, 'type'],
        ['columns', 1, 'unique'],
      ])
      expect(error.message).toMatch(/at columns\.0\.type$/)
    })
  })

  describe('refuses bad names with INVALID_IDENTIFIER', () => {
    it.each<[string, unknown, (string | number)[]]>([
      ['an uppercase table name', { ...POSTS, name: 'Posts' }, ['name']],
      ['a quoted table name', { ...POSTS, name: 'x"; drop table users; --' }, ['name']],
      ['a dotted table name', { ...POSTS, name: 'basebox.projects' }, ['name']],
      ['a reserved table name', { ...POSTS, name: 'select' }, ['name']],
      ['a pg_ table name', { ...POSTS, name: 'pg_posts' }, ['name']],
      ['a table name of 64 bytes', { ...POSTS, name: 'a'.repeat(64) }, ['name']],
      [
        'a column name with a quote',
        withColumns({ name: "id'--", type: 'text' }),
        ['columns', 0, 'name'],
      ],
      ['a system column name', withColumns({ name: 'ctid', type: 'text' }), ['columns', 0, 'name']],
      [
        'a reserved column name',
        withColumns({ name: 'user', type: 'text' }),
        ['columns', 0, 'name'],
      ],
      [
        'a bad referenced table',
        withColumns({ name: 'a', type: 'uuid', references: { table: 'Users' } }),
        ['columns', 0, 'references', 'table'],
      ],
      [
        'a bad referenced column',
        withColumns({ name: 'a', type: 'uuid', references: { table: 'users', column: 'i d' } }),
        ['columns', 0, 'references', 'column'],
      ],
      [
        'a bad index column',
        { name: 't', columns: [{ name: 'a', type: 'text' }], indexes: [{ columns: ['A'] }] },
        ['indexes', 0, 'columns', 0],
      ],
    ])('%s', (_title, input, path) => {
      const error = refusal(input)
      expect(error.code).toBe('INVALID_IDENTIFIER')
      expect(error.issues.map((i) => i.path)).toContainEqual(path)
    })

    it('uses INVALID_IDENTIFIER when a name is among several problems', () => {
      const error = refusal({ name: 'Bad', columns: [{ name: 'a', type: 'nope' }] })
      expect(error.code).toBe('INVALID_IDENTIFIER')
      expect(error.issues.map((i) => i.path)).toEqual([['name'], ['columns', 0, 'type']])
    })

    it('uses VALIDATION_FAILED for a name that is not a string at all', () => {
      expect(refusal({ ...POSTS, name: 42 }).code).toBe('VALIDATION_FAILED')
    })
  })
})

describe('tableDefinitionProblems', () => {
  const problems = (input: TableDefinitionInput) =>
    tableDefinitionProblems(TableDefinition.parse(input))

  it('finds nothing in a sound definition', () => {
    expect(problems(POSTS)).toEqual([])
  })

  it('duplicate column names', () => {
    expect(
      problems({
        name: 't',
        columns: [
          { name: 'a', type: 'text' },
          { name: 'b', type: 'text' },
          { name: 'a', type: 'integer' },
        ],
      }),
    ).toEqual([{ path: ['columns', 2, 'name'], message: 'duplicate column "a"' }])
  })

  it('more than one primary key, reported on each extra key', () => {
    expect(
      problems({
        name: 't',
        columns: [
          { name: 'a', type: 'integer', primary_key: true },
          { name: 'b', type: 'integer', primary_key: true },
          { name: 'c', type: 'integer', primary_key: true },
          { name: 'd', type: 'integer', primary_key: false },
        ],
      }),
    ).toEqual([
      {
        path: ['columns', 1, 'primary_key'],
        message: 'a table can have only one primary key column',
      },
      {
        path: ['columns', 2, 'primary_key'],
        message: 'a table can have only one primary key column',
      },
    ])
  })

  it('a default function that does not fit the column type', () => {
    const issues = problems({
      name: 't',
      columns: [
        { name: 'a', type: 'integer', default: 'now()' },
        { name: 'b', type: 'uuid', default: 'now()' },
        { name: 'c', type: 'timestamptz', default: 'gen_random_uuid()' },
        { name: 'd', type: 'date', default: 'current_timestamp' },
        { name: 'e', type: 'boolean', default: 'current_date' },
      ],
    })
    expect(issues.map((i) => i.path)).toEqual([0, 1, 2, 3, 4].map((i) => ['columns', i, 'default']))
    expect(issues[0]!.message).toBe('default now() does not fit a integer column')
  })

  it('a default function on a text column (no function-like text literals)', () => {
    expect(
      problems({ name: 't', columns: [{ name: 'a', type: 'text', default: 'now()' }] }),
    ).toEqual([
      {
        path: ['columns', 0, 'default'],
        message: 'default now() is a function and does not fit a text column',
      },
    ])
  })

  it('a literal default of the wrong type, and SQL where a default belongs', () => {
    const issues = problems({
      name: 't',
      columns: [
        { name: 'a', type: 'integer', default: 'ten' },
        { name: 'b', type: 'integer', default: 2147483648 },
        { name: 'c', type: 'boolean', default: 'true' },
        { name: 'd', type: 'timestamptz', default: 'now()); drop table users; --' },
        { name: 'e', type: 'integer', default: 'pg_sleep(10)' },
        { name: 'f', type: 'uuid', default: 'uuid_generate_v4()' },
        { name: 'g', type: 'date', default: '2023-02-29' },
        { name: 'h', type: 'text', default: 'a\u0000b' },
        { name: 'i', type: 'jsonb', default: [Number.NaN] },
        { name: 'j', type: 'text', default: 1 },
      ],
    })
    expect(issues.map((i) => i.path[1])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    for (const issue of issues) {
      expect(issue.message).toMatch(/^invalid default: /)
    }
  })

  it('a required column that defaults to null', () => {
    expect(
      problems({
        name: 't',
        columns: [{ name: 'a', type: 'text', required: true, default: null }],
      }),
    ).toEqual([
      { path: ['columns', 0, 'default'], message: 'a required column cannot default to null' },
    ])
    expect(problems({ name: 't', columns: [{ name: 'a', type: 'text', default: null }] })).toEqual(
      [],
    )
  })

  it('on_delete "set null" on a column that cannot be null', () => {
    const ref = { table: 'users', on_delete: 'set null' } as const
    const issues = problems({
      name: 't',
      columns: [
        { name: 'a', type: 'uuid', required: true, references: ref },
        { name: 'b', type: 'uuid', primary_key: true, references: ref },
        { name: 'c', type: 'uuid', references: ref },
      ],
    })
    expect(issues).toEqual([
      {
        path: ['columns', 0, 'references', 'on_delete'],
        message: 'on_delete "set null" needs a column that may be null',
      },
      {
        path: ['columns', 1, 'references', 'on_delete'],
        message: 'on_delete "set null" needs a column that may be null',
      },
    ])
  })

  it('index columns that are not columns of the table, or appear twice', () => {
    const issues = problems({
      name: 't',
      columns: [
        { name: 'a', type: 'text' },
        { name: 'b', type: 'text' },
      ],
      indexes: [
        { columns: ['a', 'b'] },
        { columns: ['a', 'nope'] },
        { columns: ['b', 'a', 'b'], unique: true },
      ],
    })
    expect(issues).toEqual([
      {
        path: ['indexes', 1, 'columns', 1],
        message: 'index column "nope" is not a column of the table',
      },
      { path: ['indexes', 2, 'columns', 2], message: 'column "b" appears twice in the index' },
    ])
  })

  it('reaches parseTableDefinition as VALIDATION_FAILED with the same paths', () => {
    const error = refusal({
      name: 't',
      columns: [
        { name: 'a', type: 'text' },
        { name: 'a', type: 'text' },
      ],
    })
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.issues).toEqual([
      { path: ['columns', 1, 'name'], message: 'duplicate column "a"' },
    ])
    expect(error.message).toBe('invalid table definition: duplicate column "a"')
  })
})

describe('TableDefinition as JSON Schema (what the AI is given)', () => {
  type Schema = {
    type?: string
    enum?: string[]
    required?: string[]
    properties?: Record<string, Schema>
    items?: Schema
    additionalProperties?: unknown
    description?: string
  }
  const schema = z.toJSONSchema(TableDefinition) as Schema & { $schema: string }
  const column = schema.properties!.columns!.items!

  it('is a plain JSON object of draft 2020-12', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema)
    expect(schema.type).toBe('object')
  })

  it('has the required fields and no others allowed', () => {
    expect(schema.required).toEqual(['name', 'columns'])
    expect(schema.additionalProperties).toBe(false)
    expect(column.required).toEqual(['name', 'type'])
    expect(column.additionalProperties).toBe(false)
    expect(Object.keys(column.properties!).sort()).toEqual(
      [
        'default',
        'name',
        'primary_key',
        'references',
        'required',
        'secret',
        'type',
        'unique',
      ].sort(),
    )
  })

  it('lists the column types and on_delete actions as enums', () => {
    expect(column.properties!.type!.enum).toEqual([...COLUMN_TYPES])
    expect(column.properties!.references!.properties!.on_delete!.enum).toEqual([
      ...ON_DELETE_ACTIONS,
    ])
  })

  it('describes the name rules and the default allow-list', () => {
    expect(schema.properties!.name!.description).toMatch(/lowercase/)
    expect(column.properties!.default!.description).toMatch(/gen_random_uuid\(\), now\(\)/)
  })

  it('in input mode, leaves the reference fields that have defaults optional', () => {
    const input = z.toJSONSchema(TableDefinition, { io: 'input' }) as Schema
    expect(input.properties!.columns!.items!.properties!.references!.required).toEqual(['table'])
  })

  it('can be turned back into a validator that accepts the example and refuses a bad type', () => {
    const back = z.fromJSONSchema(schema as z.core.JSONSchema.JSONSchema)
    expect(back.safeParse(parseTableDefinition(POSTS)).success).toBe(true)
    expect(back.safeParse(withColumns({ name: 'a', type: 'varchar' })).success).toBe(false)
    expect(back.safeParse({ ...POSTS, extra: 1 }).success).toBe(false)
  })
})

describe('parseTableDefinition on arbitrary input (property tests)', () => {
  const nameLike = fc.oneof(
    fc.constantFrom(
      'id',
      'posts',
      'users',
      'author_id',
      'a',
      'select',
      'ctid',
      'pg_x',
      'Posts',
      'a-b',
      '',
      'é',
      'a'.repeat(63),
      'a'.repeat(64),
    ),
    fc.stringMatching(/^[a-z][a-z0-9_]{0,70}$/),
    fc.string(),
    fc.anything(),
  )
  const defaultLike = fc.oneof(
    fc.constantFrom(
      'now()',
      'NOW()',
      ' now ( ) ',
      'gen_random_uuid()',
      'current_date',
      'current_timestamp',
      'pg_sleep(1)',
      '2024-02-29',
      '2023-02-29',
      '2024-01-02T03:04:05Z',
      '9223372036854775808',
      '5f0c1c56-0b6e-4a39-9a40-2b8d1e3c4f5a',
    ),
    fc.jsonValue(),
    fc.integer(),
    fc.double(),
    fc.anything(),
  )
  const columnLike = fc.record(
    {
      name: nameLike,
      type: fc.oneof(fc.constantFrom(...COLUMN_TYPES), fc.string(), fc.anything()),
      primary_key: fc.oneof(fc.boolean(), fc.anything()),
      unique: fc.boolean(),
      required: fc.boolean(),
      secret: fc.boolean(),
      default: defaultLike,
      references: fc.oneof(
        fc.record(
          {
            table: nameLike,
            column: nameLike,
            on_delete: fc.oneof(fc.constantFrom(...ON_DELETE_ACTIONS), fc.string()),
          },
          { requiredKeys: ['table'] },
        ),
        fc.anything(),
      ),
    },
    { requiredKeys: ['name', 'type'] },
  )
  const hostileTable = fc.record(
    {
      name: nameLike,
      columns: fc.array(columnLike, { maxLength: 6 }),
      indexes: fc.array(
        fc.record(
          { columns: fc.array(nameLike, { maxLength: 4 }), unique: fc.boolean() },
          { requiredKeys: ['columns'] },
        ),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: ['name', 'columns'] },
  )

  // Mostly valid definitions, so that the checks past zod's shape run too.
  const goodName = fc.oneof(
    fc.constantFrom('id', 'title', 'author_id', 'x', 'a'.repeat(63)),
    fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/),
  )
  const goodDefault: Record<(typeof COLUMN_TYPES)[number], unknown[]> = {
    uuid: ['gen_random_uuid()', 'GEN_RANDOM_UUID()', '5f0c1c56-0b6e-4a39-9a40-2b8d1e3c4f5a'],
    text: ['', "it's", null],
    integer: [0, -2147483648, 2147483647],
    bigint: ['9223372036854775807', 42],
    numeric: ['12.50', 1.5],
    double: [1e308, -0.5],
    boolean: [true, false],
    date: ['2024-02-29', 'now()', 'CURRENT_DATE'],
    timestamptz: ['now()', 'Now ()', 'current_timestamp', '2024-01-02 03:04:05+00'],
    jsonb: [{ a: [1] }, 'now()', null],
  }
  const goodColumn = fc.constantFrom(...COLUMN_TYPES).chain((type) =>
    fc.record(
      {
        name: goodName,
        type: fc.constant(type),
        required: fc.boolean(),
        unique: fc.boolean(),
        secret: fc.boolean(),
        default: fc.constantFrom(...goodDefault[type]),
        references: fc.record(
          {
            table: goodName,
            column: goodName,
            on_delete: fc.constantFrom('cascade', 'restrict', 'no action'),
          },
          { requiredKeys: ['table'] },
        ),
      },
      { requiredKeys: ['name', 'type'] },
    ),
  )
  const goodTable = fc
    .record({
      name: goodName,
      columns: fc.uniqueArray(goodColumn, { selector: (c) => c.name, minLength: 1, maxLength: 5 }),
      pick: fc.array(fc.nat(), { maxLength: 3 }),
    })
    .map(({ name, columns, pick }) => ({
      name,
      columns: columns.map((c) =>
        c.default === null && c.required ? { ...c, required: false } : c,
      ),
      ...(pick.length > 0
        ? {
            indexes: [
              { columns: [...new Set(pick.map((i) => columns[i % columns.length]!.name))] },
            ],
          }
        : {}),
    }))
  // A good definition with one value replaced by anything at all.
  const mutatedTable = fc
    .tuple(
      goodTable,
      fc.nat(),
      fc.constantFrom('name', 'type', 'default', 'references', 'required'),
      fc.anything(),
    )
    .map(([table, i, key, value]) => {
      const columns = table.columns.map((c, j) =>
        j === i % table.columns.length ? { ...c, [key]: value } : c,
      )
      return key === 'name' && i % 2 === 0 ? { ...table, name: value } : { ...table, columns }
    })

  const tableLike = fc.oneof(
    goodTable,
    goodTable,
    mutatedTable,
    hostileTable,
    fc.anything(),
    fc.jsonValue(),
  )

  const validName = (name: unknown) =>
    typeof name === 'string' &&
    IDENTIFIER_PATTERN.test(name) &&
    new TextEncoder().encode(name).length <= MAX_IDENTIFIER_BYTES

  it(
    'either returns a definition or throws a ValidationError with its issues, never anything else',
    () => {
      fc.assert(
        fc.property(tableLike, (input) => {
          let table
          try {
            table = parseTableDefinition(input)
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError)
            const v = error as ValidationError
            expect(['VALIDATION_FAILED', 'INVALID_IDENTIFIER']).toContain(v.code)
            expect(v.issues.length).toBeGreaterThan(0)
            for (const issue of v.issues) {
              expect(issue.path.every((p) => typeof p === 'string' || typeof p === 'number')).toBe(
                true,
              )
              expect(typeof issue.message).toBe('string')
            }
            return
          }
          expect(TableDefinition.safeParse(table).success).toBe(true)
        }),
        { numRuns: 1000 },
      )
    },
    PROPERTY_BUDGET_MS,
  )

  it('writes a default of -0 as 0, so a definition survives a JSON round trip unchanged', () => {
    const table = parseTableDefinition({
      name: 'id',
      columns: [{ name: 'id', type: 'double', default: -0 }],
    })
    expect(Object.is(table.columns[0]!.default, 0)).toBe(true)
    expect(parseTableDefinition(JSON.parse(JSON.stringify(table)))).toEqual(table)
  })

  it(
    'accepts only names matching ^[a-z][a-z0-9_]*$ of at most 63 bytes, and its output is a fixed point',
    () => {
      let accepted = 0
      fc.assert(
        fc.property(tableLike, (input) => {
          let table
          try {
            table = parseTableDefinition(input)
          } catch {
            return
          }
          accepted += 1
          const names = [
            table.name,
            ...table.columns.map((c) => c.name),
            ...table.columns.flatMap((c) =>
              c.references ? [c.references.table, c.references.column] : [],
            ),
            ...(table.indexes ?? []).flatMap((i) => i.columns),
          ]
          for (const name of names) {
            expect(validName(name), JSON.stringify(name)).toBe(true)
          }
          expect(tableDefinitionProblems(table)).toEqual([])
          expect(parseTableDefinition(table)).toEqual(table)
          expect(parseTableDefinition(JSON.parse(JSON.stringify(table)))).toEqual(table)
        }),
        { numRuns: 1000 },
      )
      // The generator is not so hostile that nothing is ever accepted.
      expect(accepted).toBeGreaterThan(100)
    },
    PROPERTY_BUDGET_MS,
  )
})
