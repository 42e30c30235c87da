import {
  AccessDefinition,
  ColumnDefault,
  ColumnDefinition,
  ColumnReference,
  COLUMN_TYPES,
  Identifier,
  IndexDefinition,
  TableDefinition,
} from '@basebox/client'
import { z } from 'zod'

const table = Identifier
const column = Identifier

/**
 * One typed step of a schema change. A {@link ChangePlan} is a list of them, previewed by the
 * user, then applied in one transaction. Steps are data: they can be built by
 * {@link planChanges}, by hand, or by the AI, and are validated before anything runs.
 */
export const PlanStep = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('create_table'), table: TableDefinition }).strict(),
  z.object({ kind: z.literal('drop_table'), table, cascade: z.boolean().optional() }).strict(),
  z.object({ kind: z.literal('rename_table'), table, to: table }).strict(),
  z.object({ kind: z.literal('add_column'), table, column: ColumnDefinition }).strict(),
  z
    .object({ kind: z.literal('drop_column'), table, column, cascade: z.boolean().optional() })
    .strict(),
  z.object({ kind: z.literal('rename_column'), table, column, to: column }).strict(),
  z.object({ kind: z.literal('change_type'), table, column, to: z.enum(COLUMN_TYPES) }).strict(),
  z.object({ kind: z.literal('set_required'), table, column, required: z.boolean() }).strict(),
  z.object({ kind: z.literal('set_unique'), table, column, unique: z.boolean() }).strict(),
  z
    .object({ kind: z.literal('set_default'), table, column, default: ColumnDefault.nullable() })
    .strict(),
  z
    .object({
      kind: z.literal('set_reference'),
      table,
      column,
      references: ColumnReference.nullable(),
    })
    .strict(),
  z
    .object({ kind: z.literal('set_primary_key'), table, column: column.nullable() })
    .strict(),
  z.object({ kind: z.literal('set_secret'), table, column, secret: z.boolean() }).strict(),
  z.object({ kind: z.literal('set_access'), table, access: AccessDefinition.nullable() }).strict(),
  z.object({ kind: z.literal('create_index'), table, index: IndexDefinition }).strict(),
  z.object({ kind: z.literal('drop_index'), table, index: IndexDefinition }).strict(),
  // Postgres cannot reorder the columns of a table: this step changes only the definition's
  // order, which is the order every Basebox component and `select` without columns shows.
  z.object({ kind: z.literal('reorder_columns'), table, columns: z.array(column).min(1).max(1600) }).strict(),
])

/** See {@link PlanStep}. */
export type PlanStep = z.output<typeof PlanStep>

/** The `kind` of a {@link PlanStep}. */
export type PlanStepKind = PlanStep['kind']

/** A problem the data would cause if a plan ran: the step, and the rows at fault. */
export interface PlanProblem {
  /** Index of the step in {@link ChangePlan.steps}. */
  step: number
  table: string
  column?: string
  message: string
  /** Up to 20 offending rows: their key (primary key, or row position) and value. */
  rows: { key: unknown; value: unknown }[]
}

/** A schema change: steps to preview, then apply in one transaction. */
export interface ChangePlan {
  steps: PlanStep[]
  /**
   * Problems the current data would cause (rows that do not convert, nulls for a required
   * column, duplicates for a unique one). Filled by a database's `planChanges`; a plan with
   * problems is refused by `applyPlan`.
   */
  problems?: PlanProblem[]
  /**
   * The SQL each step runs, by step index (`sql[i]` belongs to `steps[i]`), shown without the
   * schema name (it runs in the database's schema). Empty for a step that only changes the
   * definition (`reorder_columns`); for `set_access` and `set_secret` the grants and policies
   * rebuilt for the table. Filled by a database's `planChanges`; `applyPlan` ignores it and
   * compiles the steps again.
   */
  sql?: string[][]
}

/** The zod schema of a {@link ChangePlan} as accepted by `applyPlan`. */
export const ChangePlanInput = z.object({ steps: z.array(PlanStep).max(1000) }).passthrough()

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

export type { ColumnDefinition }
