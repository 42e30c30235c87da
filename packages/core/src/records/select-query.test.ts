import { SelectQuerySchema } from '@basebox/client'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fastSelectQuery } from './select-query.js'

/**
 * Property tests are bounded by their number of runs (`numRuns`), never by time; this is the time
 * such a test may take on a busy machine (a budget, not a measurement).
 */
const PROPERTY_BUDGET_MS = 120_000

/** Values of every kind a caller might pass, valid or not. */
const anything = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 2000 }),
  fc.double(),
  fc.constantFrom(
    0,
    1,
    16,
    1000,
    1001,
    1_000_000_000,
    1_000_000_001,
    Number.NaN,
    Infinity,
    -0,
    2 ** 53,
  ),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('asc', 'desc', 'first', 'last', 'exact', 'estimated', 'none', 'id'),
  fc.date(),
)

const sortKey = fc.oneof(
  fc.record(
    {
      column: fc.oneof(fc.string({ maxLength: 4 }), anything),
      direction: fc.oneof(fc.constantFrom('asc', 'desc'), anything),
      nulls: fc.oneof(fc.constantFrom('first', 'last'), anything),
    },
    { requiredKeys: ['column'] },
  ),
  fc.dictionary(fc.constantFrom('column', 'direction', 'nulls', 'other'), anything),
  anything,
)

const query = fc.record(
  {
    columns: fc.oneof(
      fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
      fc.array(anything, { maxLength: 3 }),
      anything,
    ),
    where: fc.oneof(
      fc.dictionary(
        fc.constantFrom('id', 'name', 'and', 'or', 'not'),
        fc.oneof(
          anything,
          fc.array(anything, { maxLength: 2 }),
          fc.dictionary(fc.constantFrom('eq', 'gte', 'in'), anything),
        ),
      ),
      anything,
    ),
    orderBy: fc.oneof(sortKey, fc.array(sortKey, { maxLength: 18 })),
    limit: anything,
    offset: anything,
    cursor: anything,
    count: anything,
    expand: fc.oneof(
      fc.array(fc.string({ maxLength: 3 }), { maxLength: 17 }),
      fc.array(anything, { maxLength: 2 }),
      anything,
    ),
    other: anything,
  },
  { requiredKeys: [] },
)

describe('fastSelectQuery', () => {
  it(
    'accepts only what SelectQuerySchema accepts, and gives back what it gives back',
    () => {
      let accepted = 0
      fc.assert(
        fc.property(fc.oneof(query, anything, fc.array(anything)), (input) => {
          const fast = fastSelectQuery(input)
          if (fast === undefined) {
            return // the caller parses with zod
          }
          accepted++
          const parsed = SelectQuerySchema.safeParse(input ?? {})
          expect(parsed.success, JSON.stringify(input)).toBe(true)
          expect(fast).toEqual(parsed.data)
        }),
        { numRuns: 5000 },
      )
      expect(accepted).toBeGreaterThan(250) // the comparison ran on many accepted inputs, not only on refusals
    },
    PROPERTY_BUDGET_MS,
  )

  it('takes the common queries without zod', () => {
    expect(fastSelectQuery({ where: { id: 1 } })).toEqual({ where: { id: 1 } })
    expect(fastSelectQuery(undefined)).toEqual({})
    expect(
      fastSelectQuery({
        columns: ['id'],
        where: { category: 'c1', score: { gte: 3 } },
        orderBy: [{ column: 'score' }],
        limit: 20,
        offset: 0,
        count: 'exact',
        expand: ['author'],
      }),
    ).toEqual({
      columns: ['id'],
      where: { category: 'c1', score: { gte: 3 } },
      orderBy: [{ column: 'score', direction: 'asc' }],
      limit: 20,
      offset: 0,
      count: 'exact',
      expand: ['author'],
    })
    expect(
      fastSelectQuery({ orderBy: { column: 'a', direction: 'desc', nulls: 'first' } }),
    ).toEqual({ orderBy: { column: 'a', direction: 'desc', nulls: 'first' } })
  })

  it('leaves cursors, unknown keys and values out of range to zod', () => {
    for (const input of [
      { cursor: 'x' },
      { other: 1 },
      { limit: 1001 },
      { limit: 1.5 },
      { offset: -1 },
      { columns: [] },
      { where: { and: {} } },
      { orderBy: { column: 'a', dir: 'asc' } },
      { where: new Map() },
      [],
      'id',
    ]) {
      expect(fastSelectQuery(input), JSON.stringify(input)).toBeUndefined()
    }
  })
})
