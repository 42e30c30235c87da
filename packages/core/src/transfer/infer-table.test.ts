import { describe, expect, it } from 'vitest'
import { inferColumnType, inferTableDefinition, toColumnName } from './infer-table.js'

describe('inferColumnType', () => {
  it.each([
    [['1', '-2', ' 3 '], 'integer'],
    [['1', '3000000000'], 'bigint'],
    [['1', '99999999999999999999'], 'numeric'],
    [['1.50', '2'], 'numeric'],
    [['1e5', '2.5'], 'double'],
    [['true', 'F', 'yes', 'N'], 'boolean'],
    [['0', '1'], 'integer'],
    [['2024-02-29', '0100-01-01'], 'date'],
    [['2024-02-29', '2024-02-29T10:00:00Z'], 'timestamptz'],
    [['A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'], 'uuid'],
    [['{"a":1}', '[]'], 'jsonb'],
    [['01234', '90210'], 'text'],
    [['2024-02-30'], 'text'],
    [['{not json'], 'text'],
    [['1', ''], 'text'],
    [[], 'text'],
  ] as const)('%j is %s', (values, type) => {
    expect(inferColumnType(values)).toBe(type)
  })
})

describe('toColumnName', () => {
  it('turns headers into valid, unused names', () => {
    const taken = new Set(['name'])
    expect(toColumnName('Full Name', taken, 0)).toBe('full_name')
    expect(toColumnName('Prénom', taken, 0)).toBe('prenom')
    expect(toColumnName('Name', taken, 0)).toBe('name_2')
    expect(toColumnName('2024 total', taken, 0)).toBe('c_2024_total')
    expect(toColumnName('order', taken, 0)).toBe('order_')
    expect(toColumnName('xmin', taken, 0)).toBe('xmin_')
    expect(toColumnName('pg_stat', taken, 0)).toBe('pg_stat_')
    expect(toColumnName('', taken, 4)).toBe('column_5')
    expect(toColumnName('日本語', taken, 1)).toBe('column_2')
    expect(toColumnName('x'.repeat(100), taken, 0)).toHaveLength(59)
  })
})

describe('inferTableDefinition', () => {
  it('makes a distinct id column the key, and marks columns without empty values required', () => {
    const { definition, columns } = inferTableDefinition(
      't',
      ['ID', 'Label', 'Qty'],
      [
        ['1', 'a', '3'],
        ['2', '', null],
      ],
    )
    expect(definition).toEqual({
      name: 't',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'label', type: 'text', required: true },
        { name: 'qty', type: 'integer' },
      ],
    })
    expect(columns).toEqual([
      { header: 'ID', column: 'id' },
      { header: 'Label', column: 'label' },
      { header: 'Qty', column: 'qty' },
    ])
  })

  it('adds a generated uuid key when there is no obvious one', () => {
    expect(inferTableDefinition('t', ['a'], [['x']]).definition.columns[0]).toEqual({
      name: 'id',
      type: 'uuid',
      primary_key: true,
      default: 'gen_random_uuid()',
    })
    expect(
      inferTableDefinition('t', ['id'], [['x'], ['x']]).definition.columns.map((c) => c.name),
    ).toEqual(['row_id', 'id'])
    expect(
      inferTableDefinition('t', ['id'], [['x'], [null]]).definition.columns.map((c) => c.name),
    ).toEqual(['row_id', 'id'])
  })
})
