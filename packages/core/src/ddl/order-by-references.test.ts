import { parseTableDefinition, type TableDefinition } from '@basebox/client'
import { describe, expect, it } from 'vitest'
import { orderByReferences } from './order-by-references.js'

const id = { name: 'id', type: 'uuid', primary_key: true } as const

function table(name: string, ...references: string[]): TableDefinition {
  return parseTableDefinition({
    name,
    columns: [
      id,
      ...references.map((target) => ({
        name: `${target}_id`,
        type: 'uuid',
        references: { table: target },
      })),
    ],
  })
}

const names = (tables: TableDefinition[]) => tables.map((t) => t.name)

describe('orderByReferences', () => {
  it('keeps the given order when no table references another', () => {
    expect(names(orderByReferences([table('c'), table('a'), table('b')]))).toEqual(['c', 'a', 'b'])
  })

  it('puts referenced tables first, and keeps the order otherwise', () => {
    const tables = [
      table('comments', 'posts', 'users'),
      table('tags'),
      table('posts', 'users'),
      table('users'),
    ]
    expect(names(orderByReferences(tables))).toEqual(['users', 'posts', 'comments', 'tags'])
  })

  it('ignores references to itself and to tables outside the list', () => {
    expect(names(orderByReferences([table('nodes', 'nodes', 'elsewhere'), table('a')]))).toEqual([
      'nodes',
      'a',
    ])
  })

  it('returns every table of a cycle once, the one met first after the rest of its cycle', () => {
    const cycle = [table('x'), table('a', 'b'), table('b', 'c'), table('c', 'a')]
    expect(names(orderByReferences(cycle))).toEqual(['x', 'c', 'b', 'a'])
    const reversed = [table('c', 'a'), table('b', 'c'), table('a', 'b')]
    expect(names(orderByReferences(reversed))).toEqual(['b', 'a', 'c'])
  })

  it('does not change its input', () => {
    const tables = [table('posts', 'users'), table('users')]
    const copy = structuredClone(tables)
    orderByReferences(tables)
    expect(tables).toEqual(copy)
  })
})
