import type { TableDefinition } from '@basebox/client'
import { describe, expect, it } from 'vitest'
import { BLOG_ANSWER, ID, TIMESTAMPS, bareTable } from '../testing/fixtures.js'
import { answeringModel } from '../testing/mock-model.js'
import { generateSchema } from './generate-schema.js'
import type { SchemaResult } from './schema-result.js'

// Each kind of safe repair the pipeline of evaluate-proposal.ts makes, end to end through
// generateSchema with a mock model. What reaches a real database is in schema-engine.test.ts.

function table(result: SchemaResult, name: string): TableDefinition {
  const found = result.tables.find((t) => t.name === name)
  expect(found, `table ${name}`).toBeDefined()
  return found!
}

function column(result: SchemaResult, tableName: string, name: string) {
  const found = table(result, tableName).columns.find((c) => c.name === name)
  expect(found, `column ${tableName}.${name}`).toBeDefined()
  return found!
}

describe('generateSchema repairs what is safe and obvious', () => {
  it('writes names in snake case, tables and columns, and follows them in references and indexes', async () => {
    const answer = {
      tables: [
        bareTable(
          'BlogPosts',
          [
            ID,
            { name: 'Title', type: 'text' },
            { name: 'publishedAt', type: 'timestamptz' },
            { name: 'Author ID', type: 'uuid', references: { table: 'users' } },
            ...TIMESTAMPS,
          ],
          {
            indexes: [{ columns: ['publishedAt'] }],
          },
        ),
        bareTable('Comments', [
          ID,
          { name: 'blogPostId', type: 'uuid', references: { table: 'BlogPosts', column: 'id' } },
          ...TIMESTAMPS,
        ]),
      ],
    }
    const result = await generateSchema({ description: 'blog', model: answeringModel(answer) })

    expect(result.tables.map((t) => t.name)).toEqual(['users', 'blog_posts', 'comments'])
    expect(table(result, 'blog_posts').columns.map((c) => c.name)).toEqual([
      'id',
      'title',
      'published_at',
      'author_id',
      'created_at',
      'updated_at',
    ])
    expect(table(result, 'blog_posts').indexes).toEqual([{ columns: ['published_at'] }])
    expect(column(result, 'comments', 'blog_post_id').references).toEqual({
      table: 'blog_posts',
      column: 'id',
      on_delete: 'no action',
    })
    expect(result.repairs.filter((r) => r.kind === 'name').length).toBeGreaterThanOrEqual(5)
    expect(result.attempts).toBe(1)
  })

  it('renames reserved words: tables made plural, columns given a clear name', async () => {
    const answer = {
      tables: [
        bareTable('order', [
          ID,
          { name: 'user', type: 'text' },
          { name: 'order', type: 'integer' },
          { name: 'desc', type: 'text' },
          { name: 'from', type: 'text' },
          ...TIMESTAMPS,
        ]),
        bareTable('pg_stats', [ID, { name: 'xmin', type: 'integer' }, ...TIMESTAMPS]),
      ],
    }
    const result = await generateSchema({ description: 'orders', model: answeringModel(answer) })

    expect(result.tables.map((t) => t.name)).toEqual(['users', 'orders', 'stats'])
    expect(table(result, 'orders').columns.map((c) => c.name)).toEqual([
      'id',
      'user_name',
      'sort_order',
      'description',
      'from_value',
      'created_at',
      'updated_at',
    ])
    expect(column(result, 'stats', 'xmin_value').type).toBe('integer')
    expect(result.repairs.filter((r) => r.kind === 'reserved_word')).toHaveLength(7)
  })

  it('adds the id primary key, gives it gen_random_uuid(), and turns an integer id without default into a uuid', async () => {
    const answer = {
      tables: [
        bareTable('tags', [{ name: 'label', type: 'text' }, ...TIMESTAMPS]),
        bareTable('labels', [
          { name: 'id', type: 'uuid' },
          { name: 'name', type: 'text' },
          ...TIMESTAMPS,
        ]),
        bareTable('teams', [{ name: 'id', type: 'serial', primary_key: true }, ...TIMESTAMPS]),
        bareTable('members', [
          { name: 'team_id', type: 'integer', references: { table: 'teams', column: 'id' } },
          ...TIMESTAMPS,
        ]),
      ],
    }
    const result = await generateSchema({ description: 'teams', model: answeringModel(answer) })

    expect(table(result, 'tags').columns[0]).toEqual({
      name: 'id',
      type: 'uuid',
      primary_key: true,
      default: 'gen_random_uuid()',
    })
    expect(column(result, 'labels', 'id')).toEqual({
      name: 'id',
      type: 'uuid',
      primary_key: true,
      default: 'gen_random_uuid()',
    })
    expect(column(result, 'teams', 'id')).toEqual({
      name: 'id',
      type: 'uuid',
      primary_key: true,
      default: 'gen_random_uuid()',
    })
    // The reference follows the key's new type.
    expect(column(result, 'members', 'team_id').type).toBe('uuid')
    expect(result.repairs.filter((r) => r.kind === 'primary_key').map((r) => r.table)).toEqual([
      'tags',
      'labels',
      'labels',
      'teams',
      'members',
    ])
  })

  it('turns a composite primary key into a unique index and adds the id key', async () => {
    const answer = {
      tables: [
        bareTable('post_tags', [
          { name: 'post_id', type: 'uuid', primary_key: true, references: { table: 'posts' } },
          { name: 'tag_id', type: 'uuid', primary_key: true, references: { table: 'tags' } },
        ]),
        bareTable('posts', [ID, ...TIMESTAMPS]),
        bareTable('tags', [ID, ...TIMESTAMPS]),
      ],
    }
    const result = await generateSchema({ description: 'tags', model: answeringModel(answer) })
    const postTags = table(result, 'post_tags')
    expect(postTags.columns.filter((c) => c.primary_key).map((c) => c.name)).toEqual(['id'])
    expect(postTags.indexes).toEqual([{ columns: ['post_id', 'tag_id'], unique: true }])
    expect(
      result.plan.steps.map((s) => (s.kind === 'create_table' ? s.table.name : s.kind)),
    ).toEqual(['posts', 'tags', 'post_tags'])
  })

  it('adds created_at and updated_at, and fixes their type and default', async () => {
    const answer = {
      tables: [
        bareTable('events', [ID, { name: 'title', type: 'text' }]),
        bareTable('logs', [
          ID,
          { name: 'created_at', type: 'date' },
          { name: 'updated_at', type: 'timestamptz' },
        ]),
      ],
    }
    const result = await generateSchema({ description: 'events', model: answeringModel(answer) })

    const expected = { type: 'timestamptz', required: true, default: 'now()' }
    expect(column(result, 'events', 'created_at')).toEqual({ name: 'created_at', ...expected })
    expect(column(result, 'events', 'updated_at')).toEqual({ name: 'updated_at', ...expected })
    expect(column(result, 'logs', 'created_at')).toEqual({
      name: 'created_at',
      type: 'timestamptz',
      default: 'now()',
    })
    expect(column(result, 'logs', 'updated_at')).toEqual({
      name: 'updated_at',
      type: 'timestamptz',
      default: 'now()',
    })
    expect(result.repairs.filter((r) => r.kind === 'timestamps').map((r) => r.table)).toEqual([
      'events',
      'logs',
      'logs',
    ])
  })

  it('makes _id columns reference the table they name, or users for a person, and warns when none fits', async () => {
    const answer = {
      tables: [
        bareTable('categories', [ID, ...TIMESTAMPS]),
        bareTable('products', [
          ID,
          { name: 'category_id', type: 'text' },
          { name: 'seller_id', type: 'uuid' },
          { name: 'owner_id', type: 'uuid' },
          { name: 'parent_id', type: 'uuid' },
          { name: 'stripe_price_id', type: 'text' },
          ...TIMESTAMPS,
        ]),
      ],
    }
    const result = await generateSchema({ description: 'shop', model: answeringModel(answer) })

    expect(column(result, 'products', 'category_id')).toEqual({
      name: 'category_id',
      type: 'uuid',
      references: { table: 'categories', column: 'id', on_delete: 'no action' },
    })
    expect(column(result, 'products', 'owner_id').references?.table).toBe('users')
    expect(column(result, 'products', 'parent_id').references?.table).toBe('products')
    expect(column(result, 'products', 'seller_id').references).toBeUndefined()
    expect(column(result, 'products', 'stripe_price_id')).toEqual({
      name: 'stripe_price_id',
      type: 'text',
    })
    expect(result.warnings).toContain(
      '"products.seller_id" looks like a reference, but no table "seller" or "sellers" exists',
    )
  })

  it('points near-miss references at the existing table and its key, with the key type', async () => {
    const answer = {
      tables: [
        bareTable('authors', [ID, ...TIMESTAMPS]),
        bareTable('books', [
          ID,
          { name: 'author_id', type: 'integer', references: 'author.id' },
          {
            name: 'reviewer_id',
            type: 'uuid',
            required: true,
            references: { table: 'User', onDelete: 'SET_NULL' },
          },
          ...TIMESTAMPS,
        ]),
      ],
    }
    const result = await generateSchema({ description: 'books', model: answeringModel(answer) })
    expect(column(result, 'books', 'author_id')).toEqual({
      name: 'author_id',
      type: 'uuid',
      references: { table: 'authors', column: 'id', on_delete: 'no action' },
    })
    expect(column(result, 'books', 'reviewer_id')).toEqual({
      name: 'reviewer_id',
      type: 'uuid',
      references: { table: 'users', column: 'id', on_delete: 'set null' },
    })
  })

  it('drops repeated columns and tables, and numbers a different column with a taken name', async () => {
    const title = { name: 'title', type: 'text' }
    const answer = {
      tables: [
        bareTable('pages', [ID, title, title, { name: 'Title', type: 'integer' }, ...TIMESTAMPS]),
        bareTable('pages', [ID, { name: 'slug', type: 'text', unique: true }]),
      ],
    }
    const result = await generateSchema({ description: 'pages', model: answeringModel(answer) })
    expect(table(result, 'pages').columns.map((c) => c.name)).toEqual([
      'id',
      'title',
      'title_2',
      'created_at',
      'updated_at',
      'slug',
    ])
    expect(result.repairs.filter((r) => r.kind === 'duplicate')).toHaveLength(3)
  })

  it('maps type synonyms, defaults written as SQL, field spellings and stray fields', async () => {
    const answer = {
      tables: [
        bareTable(
          'items',
          [
            { name: 'id', type: 'UUID', primaryKey: true, default: 'uuid_generate_v4()' },
            { name: 'name', type: 'varchar(255)', nullable: false, description: 'the name' },
            { name: 'price', type: 'decimal(10,2)', default: '0' },
            { name: 'count', type: 'int', default: '3' },
            { name: 'active', type: 'bool', default: 'TRUE' },
            { name: 'status', type: 'enum', default: "'draft'" },
            { name: 'tags', type: 'text[]', default: '[]' },
            { name: 'due', type: 'date', default: 'CURRENT_DATE' },
            { name: 'seen_at', type: 'datetime', default: 'CURRENT_TIMESTAMP' },
            { name: 'note', type: 'string', default: null },
            ...TIMESTAMPS,
          ],
          { description: 'things' },
        ),
      ],
    }
    const result = await generateSchema({ description: 'items', model: answeringModel(answer) })
    expect(table(result, 'items').columns.slice(0, 10)).toEqual([
      { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
      { name: 'name', type: 'text', required: true },
      { name: 'price', type: 'numeric', default: '0' },
      { name: 'count', type: 'integer', default: 3 },
      { name: 'active', type: 'boolean', default: true },
      { name: 'status', type: 'text', default: 'draft' },
      { name: 'tags', type: 'jsonb', default: [] },
      { name: 'due', type: 'date', default: 'current_date' },
      { name: 'seen_at', type: 'timestamptz', default: 'current_timestamp' },
      { name: 'note', type: 'text' },
    ])
    const kinds = new Set(result.repairs.map((r) => r.kind))
    expect([...kinds].sort()).toEqual(['default', 'type', 'unknown_field'])
  })

  it('reads JSON out of Markdown fences, and a bare list of tables', async () => {
    const fenced = `Here is the schema:\n\`\`\`json\n${JSON.stringify(BLOG_ANSWER)}\n\`\`\``
    const result = await generateSchema({ description: 'blog', model: answeringModel(fenced) })
    expect(result.repairs).toEqual([
      { kind: 'format', table: '', message: 'read the JSON object out of the surrounding text' },
    ])

    const bare = await generateSchema({
      description: 'blog',
      model: answeringModel(BLOG_ANSWER.tables),
    })
    expect(bare.repairs.map((r) => r.kind)).toEqual(['format'])
    expect(bare.tables.map((t) => t.name)).toEqual(['users', 'posts', 'comments'])
  })

  it('keeps access rules the model sets, following the owner column through its rename', async () => {
    const answer = {
      tables: [
        bareTable('notes', [ID, { name: 'userId', type: 'uuid' }, ...TIMESTAMPS], {
          access: { select: 'owner', update: 'owner', owner_column: 'userId' },
        }),
      ],
    }
    const result = await generateSchema({
      description: 'private notes',
      model: answeringModel(answer),
    })
    expect(table(result, 'notes').access).toEqual({
      select: 'owner',
      update: 'owner',
      owner_column: 'user_id',
    })
    expect(column(result, 'notes', 'user_id').references?.table).toBe('users')
  })

  it('marks password, token and key columns of new tables secret', async () => {
    const answer = {
      tables: [
        bareTable('integrations', [
          ID,
          { name: 'api_key', type: 'text' },
          { name: 'refresh_token', type: 'text' },
          ...TIMESTAMPS,
        ]),
      ],
    }
    const result = await generateSchema({
      description: 'integrations',
      model: answeringModel(answer),
    })
    expect(column(result, 'integrations', 'api_key').secret).toBe(true)
    expect(column(result, 'integrations', 'refresh_token').secret).toBe(true)
  })
})
