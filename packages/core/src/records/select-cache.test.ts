import { BaseboxError, DEFAULT_LIMIT, FILTER_OPERATORS, TableDefinition } from '@basebox/client'
import fc from 'fast-check'
import type { CompiledQuery } from 'kysely'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { compileSelect, type CompiledSelect } from './compile-select.js'
import { COMPILE_ONLY, filterShape } from './select-cache.js'
import { tableContext, type TableContext } from './table-context.js'

/**
 * A switch for the mismatch test below: when on, the cache's walk hands back its values in
 * reverse order on the hot path (the kind of disagreement one walk per purpose used to risk),
 * while the statement is still compiled from the true walk. Off, the module is the real one.
 */
const mutant = vi.hoisted(() => ({ reversed: false }))
vi.mock(import('./select-cache.js'), async (importOriginal) => {
  const real = await importOriginal()
  return {
    ...real,
    filterShape: (where: unknown, copy?: boolean) => {
      const shape = real.filterShape(where, copy)
      return mutant.reversed && copy !== true && shape !== undefined
        ? { ...shape, values: [...shape.values].reverse() }
        : shape
    },
  }
})

afterEach(() => {
  mutant.reversed = false
})

/** Property tests are bounded by their number of runs; this is a budget on a busy machine, not a measurement. */
const PROPERTY_BUDGET_MS = 120_000

const DEFINITIONS = [
  TableDefinition.parse({
    name: 'items',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'qty', type: 'integer' },
      { name: 'name', type: 'text' },
      { name: 'price', type: 'numeric' },
      { name: 'big', type: 'bigint' },
      { name: 'day', type: 'date' },
      { name: 'at', type: 'timestamptz' },
      { name: 'active', type: 'boolean' },
      { name: 'meta', type: 'jsonb' },
      { name: 'uid', type: 'uuid' },
      { name: 'score', type: 'double' },
      { name: 'token', type: 'text', secret: true },
    ],
  }),
  TableDefinition.parse({
    name: 'tags',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'item_id', type: 'integer', references: { table: 'items', column: 'id' } },
    ],
  }),
]
const COLUMNS = ['id', 'qty', 'name', 'price', 'big', 'day', 'at', 'active', 'meta', 'uid', 'score']

/** A table context of its own: a new array of definitions is a new context, with an empty cache. */
function freshTable(): TableContext {
  return tableContext('s', [...DEFINITIONS], 'items')
}

/** Two values for the same place in a filter: the first query takes `first`, the second `second`. */
class Pair {
  constructor(
    readonly first: unknown,
    readonly second: unknown,
  ) {}
}

const ANY_STRING = fc.oneof(
  fc.constantFrom('', 'abc', 'a\u0000b', 'true', '[1,2]', ' 7 '),
  fc.string({ maxLength: 5 }),
)
const ANY_NUMBER = fc.oneof(
  fc.integer({ min: -5, max: 50 }),
  fc.constantFrom(0, 1.5, 40.5, 2 ** 31, 2 ** 53, -0, Number.NaN, Infinity),
)

/** Strings and numbers that mostly fit each column (so that most queries compile), and some that do not. */
const FITTING: Record<string, { strings: fc.Arbitrary<string>; numbers: fc.Arbitrary<number> }> = {
  integer: {
    strings: fc.constantFrom('1', '42', '-7', '3'),
    numbers: fc.integer({ min: -5, max: 50 }),
  },
  text: {
    strings: fc.constantFrom('item a%', 'ITEM B%', '%x_', 'plain', 'b'),
    numbers: fc.integer({ min: 0, max: 9 }),
  },
  numeric: {
    strings: fc.constantFrom('40.5', '-1', '1e3', '0.001'),
    numbers: fc.constantFrom(40.5, 3, -2.25),
  },
  bigint: {
    strings: fc.constantFrom('9007199254741020', '-3', '12'),
    numbers: fc.integer({ min: -5, max: 50 }),
  },
  date: { strings: fc.constantFrom('2024-03-01', '2023-12-31', '0999-01-01'), numbers: ANY_NUMBER },
  timestamptz: {
    strings: fc.constantFrom(
      '2024-01-20T00:00:00Z',
      '2024-01-20 10:00:00+02',
      '2000-01-01T00:00:00.5Z',
    ),
    numbers: ANY_NUMBER,
  },
  boolean: { strings: fc.constantFrom('true', 'f', 'yes', 'off'), numbers: fc.constantFrom(0, 1) },
  jsonb: {
    strings: fc.constantFrom('{"n":5}', '[1,2]', '"x"', '7'),
    numbers: fc.integer({ min: 0, max: 9 }),
  },
  uuid: {
    strings: fc.constantFrom(
      '0e8f4c8e-5b7a-4c2e-9f1a-2b3c4d5e6f70',
      'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
    ),
    numbers: ANY_NUMBER,
  },
  double: {
    strings: fc.constantFrom('1.5', '-0', '2e-3'),
    numbers: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  },
}

/** A value for a column of `type`, as a {@link Pair} of the same kind (string or number). */
function pairFor(type: string): fc.Arbitrary<Pair> {
  const fitting = FITTING[type]!
  return fc
    .oneof(
      { weight: 6, arbitrary: fc.tuple(fitting.strings, fitting.strings) },
      { weight: 6, arbitrary: fc.tuple(fitting.numbers, fitting.numbers) },
      { weight: 1, arbitrary: fc.tuple(ANY_STRING, ANY_STRING) },
      { weight: 1, arbitrary: fc.tuple(ANY_NUMBER, ANY_NUMBER) },
    )
    .map(([first, second]) => new Pair(first, second))
}

const ORDERED = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in'] as const
/** The operators that apply to a column of `type`, most of the time; now and then any operator. */
function operatorsFor(type: string): readonly string[] {
  switch (type) {
    case 'text':
      return [...ORDERED, 'like', 'ilike', 'is']
    case 'boolean':
      return ['eq', 'neq', 'in', 'is']
    case 'jsonb':
      return ['eq', 'neq', 'contains', 'is']
    default:
      return [...ORDERED, 'is']
  }
}

function conditionFor(type: string): fc.Arbitrary<unknown> {
  const pair = pairFor(type)
  const operand = (operator: string): fc.Arbitrary<unknown> =>
    operator === 'in'
      ? fc.array(pair, { maxLength: 4 })
      : operator === 'is'
        ? fc.constantFrom(null, true, false)
        : fc.oneof(
            { weight: 8, arbitrary: pair },
            { weight: 1, arbitrary: fc.constantFrom(null, true, [1], { n: 1 }) },
          )
  const operators = fc.oneof(
    { weight: 8, arbitrary: fc.constant(operatorsFor(type)) },
    { weight: 1, arbitrary: fc.constant(FILTER_OPERATORS) },
  )
  return fc.oneof(
    { weight: 3, arbitrary: pair },
    { weight: 1, arbitrary: fc.constantFrom(null, true, false) },
    {
      weight: 6,
      arbitrary: operators
        .chain((names) => fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 3 }))
        .chain((names) =>
          fc.tuple(...names.map((name) => operand(name).map((value) => [name, value] as const))),
        )
        .map((entries) => Object.fromEntries(entries)),
    },
  )
}

const TYPES: Record<string, string> = Object.fromEntries(
  DEFINITIONS[0]!.columns.map((c) => [c.name, c.type]),
)
/** Conditions on one to three columns (now and then a secret or unknown one). */
const conditions = fc
  .uniqueArray(
    fc.oneof(
      { weight: 20, arbitrary: fc.constantFrom(...COLUMNS) },
      { weight: 1, arbitrary: fc.constantFrom('token', 'nope') },
    ),
    { minLength: 1, maxLength: 3 },
  )
  .chain((names) =>
    fc.tuple(
      ...names.map((name) =>
        conditionFor(TYPES[name] ?? 'text').map((condition) => [name, condition] as const),
      ),
    ),
  )
  .map((entries) => Object.fromEntries(entries) as Record<string, unknown>)

/** Filters of every structure: column conditions, and/or/not, nested a few levels deep. */
const { filter } = fc.letrec<{ filter: Record<string, unknown> }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    conditions,
    fc.record({ or: fc.array(tie('filter'), { minLength: 1, maxLength: 3 }) }),
    fc
      .tuple(fc.array(tie('filter'), { minLength: 1, maxLength: 3 }), conditions)
      .map(([and, rest]) => ({ ...rest, and })),
    fc.tuple(tie('filter'), conditions).map(([not, rest]) => ({ not, ...rest })),
  ),
}))

const sortKey = fc.record(
  {
    column: fc.constantFrom(...COLUMNS),
    direction: fc.constantFrom('asc', 'desc'),
    nulls: fc.constantFrom('first', 'last'),
  },
  { requiredKeys: ['column'] },
)
const query = fc.record(
  {
    where: filter,
    orderBy: fc.oneof(sortKey, fc.array(sortKey, { maxLength: 3 })),
    limit: fc.integer({ min: 0, max: 1000 }),
    offset: fc.integer({ min: 0, max: 50 }),
    count: fc.constantFrom('exact', 'none'),
    columns: fc.subarray(COLUMNS, { minLength: 1 }),
    expand: fc.constantFrom(['tags'], []),
  },
  { requiredKeys: ['where'] },
)

/** The query with each {@link Pair} replaced by one of its values. */
function pick(value: unknown, which: 'first' | 'second'): unknown {
  if (value instanceof Pair) {
    return value[which]
  }
  if (Array.isArray(value)) {
    return value.map((v) => pick(v, which))
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pick(v, which)]))
  }
  return value
}

/** What a compile gives, comparable: the SQL and parameters and how to read the result, or the error. */
function outcome(compile: () => CompiledSelect): { cached: boolean; result: unknown } {
  try {
    const select = compile()
    const cached = !('compile' in select.statement)
    const statement: CompiledQuery =
      'compile' in select.statement ? select.statement.compile(COMPILE_ONLY) : select.statement
    return {
      cached,
      result: {
        sql: statement.sql,
        parameters: statement.parameters,
        plain: select.plain,
        limit: select.limit,
        keys: select.keys?.map((k) => [k.column.name, k.direction, k.nulls]),
        keyFields: select.keyFields,
        hiddenKeys: select.hiddenKeys,
        count: select.count,
      },
    }
  } catch (error) {
    if (!(error instanceof BaseboxError)) {
      throw error
    }
    return {
      cached: false,
      result: { code: error.code, message: error.message, details: error.details },
    }
  }
}

/**
 * The property: after a query primed the cache, a query of the same shape with other values
 * compiles exactly as it does on a table that never saw it (same SQL, same parameters, same
 * error). Returns how many runs took the cached statement, so a caller can see it was exercised.
 */
function cachedEqualsFresh(numRuns: number): number {
  let hits = 0
  fc.assert(
    fc.property(query, (pairs) => {
      const first = pick(pairs, 'first')
      const second = pick(pairs, 'second')
      const table = freshTable()
      outcome(() => compileSelect(table, first)) // primes the cache when valid
      const cached = outcome(() => compileSelect(table, second))
      const fresh = outcome(() => compileSelect(freshTable(), second))
      expect(fresh.cached).toBe(false)
      expect(cached.result, JSON.stringify(second)).toEqual(fresh.result)
      if (cached.cached) {
        hits++
      }
    }),
    { numRuns },
  )
  return hits
}

describe('the select statement cache', () => {
  it(
    'compiles a query from the cache exactly as a fresh compile does, for arbitrary filters, orders and limits',
    () => {
      const runs = 3000
      const hits = cachedEqualsFresh(runs)
      // Many runs hit the cache (about one in nine; the rest are invalid queries, a first query
      // that fails where the second would not, or shapes the cache leaves to the compiler).
      expect(hits).toBeGreaterThan(runs / 20)
    },
    PROPERTY_BUDGET_MS,
  )

  it(
    'the property catches a walk whose values disagree with the statement’s slots',
    () => {
      mutant.reversed = true
      expect(() => cachedEqualsFresh(3000)).toThrow(/Property failed/)
    },
    PROPERTY_BUDGET_MS,
  )

  it('binds the values of a query of a cached shape at their places in the walk', () => {
    const table = freshTable()
    const shape = filterShape(
      { qty: { gte: 1, lt: 5 }, or: [{ name: { like: 'a%' } }, { id: { in: [7, '8'] } }] },
      true,
    )!
    expect(shape.values).toEqual([1, 5, 'a%', 7, '8'])
    compileSelect(table, {
      where: { qty: { gte: 1, lt: 5 }, or: [{ name: { like: 'a%' } }, { id: { in: [7, '8'] } }] },
    })
    const again = outcome(() =>
      compileSelect(table, {
        where: {
          qty: { gte: 2, lt: 6 },
          or: [{ name: { like: 'b%' } }, { id: { in: [9, '10'] } }],
        },
      }),
    )
    expect(again.cached).toBe(true)
    expect((again.result as { parameters: unknown[] }).parameters).toEqual([
      2,
      6,
      'b%',
      9,
      10,
      DEFAULT_LIMIT,
    ])
  })

  it('leaves to the compiler what it cannot slot, and keeps a key such as __proto__ a key', () => {
    expect(filterShape({ meta: { n: 5 } })).toBeUndefined() // a jsonb value, not operators
    expect(filterShape({ id: [1, 2] })).toBeUndefined()
    expect(filterShape({ id: { in: [1, null] } })).toBeUndefined()
    const proto = filterShape(JSON.parse('{"__proto__": {"eq": 1}}'), true)!
    expect(Object.keys(proto.filter as object)).toEqual(['__proto__'])
    const error = outcome(() =>
      compileSelect(freshTable(), {
        where: JSON.parse('{"__proto__": 1}') as Record<string, unknown>,
      }),
    )
    expect(error.result).toMatchObject({ code: 'VALIDATION_FAILED' })
  })
})
