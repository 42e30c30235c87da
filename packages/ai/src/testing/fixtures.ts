import type { ColumnDefinition } from '@basebox/client'

// Model answers for tests. Not published (see `files`).

/** `id uuid primary key default gen_random_uuid()`, as a model writes it. */
export const ID: ColumnDefinition = {
  name: 'id',
  type: 'uuid',
  primary_key: true,
  default: 'gen_random_uuid()',
}
/** The two timestamp columns of the conventions. */
export const TIMESTAMPS: ColumnDefinition[] = [
  { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
  { name: 'updated_at', type: 'timestamptz', required: true, default: 'now()' },
]

/** A well-formed answer for a blog: posts by users, comments on posts. Needs no repair. */
export const BLOG_ANSWER = {
  tables: [
    {
      name: 'posts',
      columns: [
        ID,
        {
          name: 'author_id',
          type: 'uuid',
          required: true,
          references: { table: 'users', column: 'id', on_delete: 'cascade' },
        },
        { name: 'title', type: 'text', required: true },
        { name: 'body', type: 'text' },
        { name: 'published', type: 'boolean', required: true, default: false },
        ...TIMESTAMPS,
      ],
      indexes: [{ columns: ['author_id'] }],
    },
    {
      name: 'comments',
      columns: [
        ID,
        {
          name: 'post_id',
          type: 'uuid',
          required: true,
          references: { table: 'posts', column: 'id', on_delete: 'cascade' },
        },
        { name: 'body', type: 'text', required: true },
        ...TIMESTAMPS,
      ],
    },
  ],
  notes: 'Posts written by users, with comments.',
}

/** A table answer with the given extra columns and nothing else (no key, no timestamps). */
export function bareTable(
  name: string,
  columns: unknown[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { name, columns, ...extra }
}
