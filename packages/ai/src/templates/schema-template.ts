import {
  BaseboxError,
  ValidationError,
  type TableDefinition,
  type TableDefinitionInput,
} from '@basebox/client'
import { PROMPT_VERSION } from '../prompts/prompts.js'
import { currentTables } from '../schema/current-tables.js'
import { evaluateProposal } from '../schema/evaluate-proposal.js'
import type { SchemaResult } from '../schema/schema-result.js'
import { BOOKINGS_TEMPLATE, ECOMMERCE_TEMPLATE, SAAS_TEMPLATE } from './business-templates.js'
import { BLOG_TEMPLATE, CRM_TEMPLATE, TODO_TEMPLATE } from './content-templates.js'

/** The ids of the offline schema templates. */
export const TEMPLATE_IDS = ['blog', 'todo', 'crm', 'ecommerce', 'bookings', 'saas'] as const

/** One of {@link TEMPLATE_IDS}. */
export type TemplateId = (typeof TEMPLATE_IDS)[number]

/**
 * A ready-made schema a user can start from without any API key. Its tables assume the `users`
 * table every Basebox database has, and follow the same conventions as generated schemas.
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

/** Options of {@link schemaFromTemplate}. */
export interface SchemaFromTemplateOptions {
  /** The database's current tables. Default is a new Basebox database: the `users` table alone. */
  existing?: readonly TableDefinitionInput[]
}

/**
 * A template laid over a database, as a {@link SchemaResult} with the core's change plan (no
 * model, no key, no network): new tables are added, and tables that already exist only gain the
 * template's new columns. Throws a `ValidationError` when the template does not fit the database.
 *
 * ### Examples
 *
 * ```ts
 * const result = schemaFromTemplate('blog', { existing: await db.definitions() })
 * await db.applyPlan(result.plan)
 * ```
 */
export function schemaFromTemplate(
  id: TemplateId,
  options: SchemaFromTemplateOptions = {},
): SchemaResult {
  const template = getSchemaTemplate(id)
  const base: TableDefinition[] = currentTables(options.existing)
  const evaluation = evaluateProposal(
    { tables: template.tables, notes: template.description },
    base,
    'extend',
  )
  if (!evaluation.ok) {
    throw new ValidationError(
      `template ${JSON.stringify(id)} does not fit this database: ${evaluation.issues[0]!.message}`,
      evaluation.issues,
    )
  }
  return { ...evaluation.value, attempts: 0, retries: [], promptVersion: PROMPT_VERSION }
}
