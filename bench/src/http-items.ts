import type { TableDefinitionInput } from '@basebox/core'

/** The table both HTTP benches serve: 10,000 items readable by `anon`, indexed on (category, score). */
export const ITEMS: TableDefinitionInput = {
  name: 'items',
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'category', type: 'text', required: true },
    { name: 'score', type: 'double', required: true },
    { name: 'name', type: 'text' },
    { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
  ],
  indexes: [{ columns: ['category', 'score'] }],
  access: { select: 'public' },
}
