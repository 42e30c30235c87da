import type { ChangePlan } from '@basebox/core'
import type { TableDefinition, ValidationIssue } from '@basebox/client'
import type { SchemaRepair } from './repair-log.js'

/** What `generateSchema`, `refineSchema`, `streamSchema` and templates return. */
export interface SchemaResult {
  /**
   * Every table of the database after the change, the current ones included, each valid under
   * the `TableDefinition` schema: the `wanted` of `db.planChanges(wanted)`.
   */
  tables: TableDefinition[]
  /**
   * The core's change plan from the current tables (or a new database's `users` table) to
   * {@link SchemaResult.tables}: the steps to preview, then `db.applyPlan(plan)`. Pure: it has no
   * `problems`; `db.planChanges(result.tables)` also checks the rows already stored.
   */
  plan: ChangePlan
  /** The safe fixes made to the model's output, in order. Empty when it was valid as given. */
  repairs: SchemaRepair[]
  /** Things left as they are but worth a look (an `_id` column with no table to reference). */
  warnings: string[]
  /** The model's note to the user about its design, if any. */
  notes: string | undefined
  /** How many model calls it took: 1 when the first answer was usable (after repairs). */
  attempts: number
  /** The problems sent back to the model, one list per retry. Empty when there was no retry. */
  retries: ValidationIssue[][]
  /** The version of the prompts used (see `PROMPT_VERSION`). */
  promptVersion: string
}
