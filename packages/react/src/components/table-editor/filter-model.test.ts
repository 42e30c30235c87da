import type { ColumnDefinition } from '@basebox/client'
import { describe, expect, it } from 'vitest'
import {
  chipLabel,
  combineFilters,
  filterToGroup,
  groupToFilter,
  operatorsFor,
  quickSearchFilter,
  type FilterGroup,
} from './filter-model.js'

const columns: ColumnDefinition[] = [
  { name: 'id', type: 'integer', primary_key: true },
  { name: 'title', type: 'text', required: true },
  { name: 'body', type: 'text' },
  { name: 'views', type: 'integer' },
  { name: 'published', type: 'boolean' },
  { name: 'token', type: 'text', secret: true },
]

describe('given filter chips', () => {
  it('turns conditions into the engine filter, parsing values per column type', () => {
    const group: FilterGroup = {
      kind: 'group',
      id: 'root',
      join: 'and',
      items: [
        { kind: 'condition', id: 'a', column: 'views', operator: 'gte', value: '1.234' },
        { kind: 'condition', id: 'b', column: 'title', operator: 'ilike', value: '%pg%' },
        {
          kind: 'group',
          id: 'g',
          join: 'or',
          items: [
            { kind: 'condition', id: 'c', column: 'published', operator: 'eq', value: 'yes' },
            { kind: 'condition', id: 'd', column: 'body', operator: 'is', value: 'null' },
          ],
        },
        { kind: 'condition', id: 'e', column: 'id', operator: 'in', value: '1, 2,3' },
      ],
    }
    expect(groupToFilter(group, columns)).toEqual({
      ok: true,
      filter: {
        and: [
          { views: { gte: 1234 } },
          { title: { ilike: '%pg%' } },
          { or: [{ published: { eq: true } }, { body: { is: null } }] },
          { id: { in: [1, 2, 3] } },
        ],
      },
    })
  })

  it('reports the chips whose value does not parse, and sends nothing', () => {
    const group: FilterGroup = {
      kind: 'group',
      id: 'root',
      join: 'and',
      items: [
        { kind: 'condition', id: 'a', column: 'views', operator: 'gt', value: 'many' },
        { kind: 'condition', id: 'b', column: 'title', operator: 'eq', value: 'x' },
      ],
    }
    expect(groupToFilter(group, columns)).toEqual({
      ok: false,
      problems: [{ id: 'a', message: 'expected a whole number' }],
    })
  })

  it('gives an empty filter for no chips, and one condition without a wrapping and', () => {
    expect(groupToFilter({ kind: 'group', id: 'root', join: 'and', items: [] }, columns)).toEqual({
      ok: true,
      filter: {},
    })
    expect(
      groupToFilter(
        {
          kind: 'group',
          id: 'root',
          join: 'or',
          items: [{ kind: 'condition', id: 'a', column: 'title', operator: 'eq', value: 'x' }],
        },
        columns,
      ),
    ).toEqual({ ok: true, filter: { title: { eq: 'x' } } })
  })

  it('reads an engine filter back into chips that give the same filter', () => {
    const filter = {
      or: [
        { views: { gte: 10 } },
        { title: 'Hello' },
        { and: [{ published: { is: null } }, { id: { in: [1, 2] } }] },
      ],
    }
    const group = filterToGroup(filter, columns)!
    expect(group.join).toBe('or')
    expect(group.items.map(chipLabel)).toEqual([
      'views ≥ 10',
      'title = Hello',
      '(published is null and id in 1, 2)',
    ])
    expect(groupToFilter(group, columns)).toEqual({
      ok: true,
      filter: {
        or: [
          { views: { gte: 10 } },
          { title: { eq: 'Hello' } },
          { and: [{ published: { is: null } }, { id: { in: [1, 2] } }] },
        ],
      },
    })
    expect(filterToGroup({ not: { id: 1 } }, columns)).toBeUndefined()
  })

  it('offers the engine operators that fit each type', () => {
    expect(operatorsFor({ type: 'text' })).toContain('ilike')
    expect(operatorsFor({ type: 'integer' })).not.toContain('ilike')
    expect(operatorsFor({ type: 'jsonb' })).toEqual(['contains', 'is'])
  })
})

describe('given a quick search', () => {
  it('is an or of ilike over the text columns that are not secret, with wildcards escaped', () => {
    expect(quickSearchFilter(' 50%_off ', columns)).toEqual({
      or: [{ title: { ilike: '%50\\%\\_off%' } }, { body: { ilike: '%50\\%\\_off%' } }],
    })
    expect(quickSearchFilter('  ', columns)).toBeUndefined()
  })

  it('combines with the chips by and', () => {
    expect(combineFilters({ a: 1 }, undefined, {})).toEqual({ a: 1 })
    expect(combineFilters({ a: 1 }, { b: 2 })).toEqual({ and: [{ a: 1 }, { b: 2 }] })
    expect(combineFilters()).toBeUndefined()
  })
})
