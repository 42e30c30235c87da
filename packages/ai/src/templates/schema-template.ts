import {
  getSchemaTemplate,
  ValidationError,
  type TableDefinition,
  type TableDefinitionInput,
  type TemplateId,
} from '@basebox/client'
import { PROMPT_VERSION } from '../prompts/prompts.js'
import { currentTables } from '../schema/current-tables.js'
import { evaluateProposal } from '../schema/evaluate-proposal.js'
import type { SchemaResult } from '../schema/schema-result.js'

// The templates themselves live in @basebox/client, so a client without any model lists them.
export {
  getSchemaTemplate,
  listSchemaTemplates,
  TEMPLATE_IDS,
  type SchemaTemplate,
  type TemplateId,
} from '@basebox/client'
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
