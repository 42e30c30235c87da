// The tables the type tests generate types for: every column type, a secret column, defaults,
// required columns and a reference. Shared by the generated-file check and typegen.test-d.ts.
import type { TableDefinitionInput } from '../schema/table-definition.js'

export const FIXTURE_TABLES: TableDefinitionInput[] = [
  {
    name: 'users',
    columns: [
      { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
      { name: 'email', type: 'text', unique: true, required: true },
      { name: 'password_hash', type: 'text', secret: true },
      { name: 'full_name', type: 'text' },
    ],
  },
  {
    name: 'orders',
    columns: [
      { name: 'id', type: 'bigint', primary_key: true },
      {
        name: 'user_id',
        type: 'uuid',
        required: true,
        references: { table: 'users', on_delete: 'cascade' },
      },
      { name: 'total', type: 'numeric', required: true, default: 0 },
      { name: 'rating', type: 'double' },
      { name: 'quantity', type: 'integer', required: true },
      { name: 'paid', type: 'boolean', default: false },
      { name: 'meta', type: 'jsonb' },
      { name: 'due', type: 'date' },
      { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
    ],
  },
]
