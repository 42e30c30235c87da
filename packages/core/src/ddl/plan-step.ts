export {
  ChangePlanInput,
  PlanStep,
  type ChangePlan,
  type PlanProblem,
  type PlanStepKind,
} from '@basebox/client'
export type { ColumnDefinition } from '@basebox/client'

/** Options of {@link planChanges}. */
export interface PlanChangesOptions {
  /** Tables to rename, old name -> new name (a rename cannot be told from drop + create). */
  renameTables?: Record<string, string>
  /** Columns to rename, per table (by its wanted name): old name -> new name. */
  renameColumns?: Record<string, Record<string, string>>
  /**
   * Default is `false`. Whether dropping a table or column others reference may drop those
   * references too. Without it such a plan is refused.
   */
  cascade?: boolean
}
