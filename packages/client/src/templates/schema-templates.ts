import { BaseboxError } from '../errors.js'
import type { TableDefinitionInput } from '../schema/table-definition.js'
import { BOOKINGS_TEMPLATE, ECOMMERCE_TEMPLATE, SAAS_TEMPLATE } from './business-templates.js'
import { BLOG_TEMPLATE, CRM_TEMPLATE, TODO_TEMPLATE } from './content-templates.js'

/** The ids of the offline schema templates. */
export const TEMPLATE_IDS = ['blog', 'todo', 'crm', 'ecommerce', 'bookings', 'saas'] as const

/** One of {@link TEMPLATE_IDS}. */
export type TemplateId = (typeof TEMPLATE_IDS)[number]

/**
 * A ready-made schema a user can start from without any model or API key. Its tables assume the
 * `users` table every Basebox database has, and follow the conventions of generated schemas.
 */
export interface SchemaTemplate {
  id: TemplateId
  /** A short name to show, e.g. `'Blog'`. */
  title: string
  /** One sentence about what it holds. */
  description: string
  /** The tables it adds, in creation order. */
  tables: readonly TableDefinitionInput[]
}

const TEMPLATES: Record<TemplateId, SchemaTemplate> = {
  blog: BLOG_TEMPLATE,
  todo: TODO_TEMPLATE,
  crm: CRM_TEMPLATE,
  ecommerce: ECOMMERCE_TEMPLATE,
  bookings: BOOKINGS_TEMPLATE,
  saas: SAAS_TEMPLATE,
}

/** Every template, in the order of {@link TEMPLATE_IDS} (copies: safe to change). */
export function listSchemaTemplates(): SchemaTemplate[] {
  return TEMPLATE_IDS.map((id) => structuredClone(TEMPLATES[id]))
}

/** One template by id (a copy); `NOT_FOUND` for an unknown id. */
export function getSchemaTemplate(id: string): SchemaTemplate {
  if (!(TEMPLATE_IDS as readonly string[]).includes(id)) {
    throw new BaseboxError(
      'NOT_FOUND',
      `no schema template ${JSON.stringify(String(id).slice(0, 80))}`,
      {
        details: { template: id, templates: [...TEMPLATE_IDS] },
      },
    )
  }
  return structuredClone(TEMPLATES[id as TemplateId])
}
