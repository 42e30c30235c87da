import type { TableDefinitionInput } from '@basebox/client'

/** The blog tables of the design doc: posts by users, comments on posts. */
export const BLOG_TABLES: TableDefinitionInput[] = [
  {
    name: 'posts',
    columns: [
      { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
      { name: 'title', type: 'text', required: true },
      { name: 'body', type: 'text' },
      { name: 'views', type: 'integer', required: true, default: 0 },
      { name: 'published', type: 'boolean', default: false },
      {
        name: 'author_id',
        type: 'uuid',
        references: { table: 'users', column: 'id', on_delete: 'cascade' },
      },
      { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
    ],
    indexes: [{ columns: ['created_at'] }],
  },
  {
    name: 'comments',
    columns: [
      { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
      {
        name: 'post_id',
        type: 'uuid',
        required: true,
        references: { table: 'posts', column: 'id', on_delete: 'cascade' },
      },
      {
        name: 'author_id',
        type: 'uuid',
        references: { table: 'users', column: 'id', on_delete: 'set null' },
      },
      { name: 'body', type: 'text', required: true },
      { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
    ],
  },
]
