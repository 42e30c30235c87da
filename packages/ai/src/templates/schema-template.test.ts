import { databaseProblems, USERS_TABLE } from '@basebox/core'
import { BaseboxError, parseTableDefinition } from '@basebox/client'
import { describe, expect, it } from 'vitest'
import {
  getSchemaTemplate,
  listSchemaTemplates,
  schemaFromTemplate,
  TEMPLATE_IDS,
} from './schema-template.js'

describe('schema templates', () => {
  it('offers blog, todo, CRM, e-commerce, bookings and multi-tenant SaaS', () => {
    expect(listSchemaTemplates().map((t) => [t.id, t.title])).toEqual([
      ['blog', 'Blog'],
      ['todo', 'To-do lists'],
      ['crm', 'CRM'],
      ['ecommerce', 'E-commerce'],
      ['bookings', 'Bookings'],
      ['saas', 'Multi-tenant SaaS'],
    ])
  })

  it.each(TEMPLATE_IDS)('%s is valid under the real schema and follows the conventions', (id) => {
    const template = getSchemaTemplate(id)
    const tables = template.tables.map((t) => parseTableDefinition(t))
    expect(tables).toEqual(template.tables)
    expect(databaseProblems([USERS_TABLE, ...tables])).toEqual([])
    for (const table of tables) {
      expect(table.columns[0], table.name).toEqual({
        name: 'id',
        type: 'uuid',
        primary_key: true,
        default: 'gen_random_uuid()',
      })
      expect(table.columns.filter((c) => c.primary_key)).toHaveLength(1)
      for (const name of ['created_at', 'updated_at']) {
        expect(
          table.columns.find((c) => c.name === name),
          `${table.name}.${name}`,
        ).toEqual({ name, type: 'timestamptz', required: true, default: 'now()' })
      }
      for (const column of table.columns.filter((c) => c.name.endsWith('_id'))) {
        expect(column.references, `${table.name}.${column.name}`).toBeDefined()
      }
    }
  })

  it('gives copies, so changing one does not change the library', () => {
    const blog = getSchemaTemplate('blog')
    ;(blog.tables as unknown[]).length = 0
    expect(getSchemaTemplate('blog').tables.length).toBeGreaterThan(0)
  })

  it('answers NOT_FOUND for an unknown template', () => {
    expect(() => getSchemaTemplate('wiki')).toThrow(BaseboxError)
    try {
      getSchemaTemplate('wiki')
    } catch (error) {
      expect((error as BaseboxError).code).toBe('NOT_FOUND')
    }
  })

  it('makes a result with the plan for a new database, without any model', () => {
    const result = schemaFromTemplate('todo')
    expect(result.tables.map((t) => t.name)).toEqual(['users', 'lists', 'tasks'])
    expect(result.plan.steps.map((s) => s.kind)).toEqual(['create_table', 'create_table'])
    expect(result.attempts).toBe(0)
    expect(result.notes).toBe(getSchemaTemplate('todo').description)
  })

  it('refuses a template that does not fit the database', () => {
    // posts.id is not a key here, so comments.post_id cannot reference it.
    const existing = [
      USERS_TABLE,
      { name: 'posts', columns: [{ name: 'id', type: 'uuid' as const }] },
    ]
    expect(() => schemaFromTemplate('blog', { existing })).toThrow(/does not fit this database/)
  })
})
