import type { ColumnDefinition, OnDeleteAction } from '../schema/table-definition.js'

// Small builders that keep the templates short and consistent with the schema conventions.

/** `id uuid primary key default gen_random_uuid()`. @internal */
export const id = (): ColumnDefinition => ({
  name: 'id',
  type: 'uuid',
  primary_key: true,
  default: 'gen_random_uuid()',
})

/** `created_at` and `updated_at`, timestamptz, required, default now(). @internal */
export const timestamps = (): ColumnDefinition[] => [
  { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
  { name: 'updated_at', type: 'timestamptz', required: true, default: 'now()' },
]

/** A uuid column referencing `table.id`. @internal */
export const ref = (
  name: string,
  table: string,
  onDelete: OnDeleteAction,
  required = false,
): ColumnDefinition => ({
  name,
  type: 'uuid',
  ...(required ? { required: true } : {}),
  references: { table, column: 'id', on_delete: onDelete },
})

/** A required text column. @internal */
export const requiredText = (name: string): ColumnDefinition => ({
  name,
  type: 'text',
  required: true,
})
