import { z } from 'zod'
import { COLUMN_TYPES } from './column-type.js'
import { Identifier } from './identifier.js'
import {
  AccessDefinition,
  ColumnDefault,
  ColumnDefinition,
  ColumnReference,
  IndexDefinition,
  TableDefinition,
  type TableDefinitionInput,
} from './table-definition.js'

const table = Identifier
const column = Identifier

/**
 * One typed step of a schema change. A {@link ChangePlan} is a list of them, previewed by the
 * user, then applied in one transaction. Steps are data: they can be built by
 * a database's `planChanges`, by hand, or by the AI, and are validated before anything runs.
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
  z.object({ kind: z.literal('set_primary_key'), table, column: column.nullable() }).strict(),
  z.object({ kind: z.literal('set_secret'), table, column, secret: z.boolean() }).strict(),
  z.object({ kind: z.literal('set_access'), table, access: AccessDefinition.nullable() }).strict(),
  z.object({ kind: z.literal('create_index'), table, index: IndexDefinition }).strict(),
  z.object({ kind: z.literal('drop_index'), table, index: IndexDefinition }).strict(),
  // Postgres cannot reorder the columns of a table: this step changes only the definition's
  // order, which is the order every Basebox component and `select` without columns shows.
  z
    .object({
      kind: z.literal('reorder_columns'),
      table,
      columns: z.array(column).min(1).max(1600),
    })
    .strict(),
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

/**
 * A schema change: steps to preview, then apply in one transaction. `ChangePlan` (the engine's)
 * has typed {@link PlanStep}s; {@link WireChangePlan} (what a client carries) has
 * {@link WirePlanStep}s, so that a plan from a newer engine still reads.
 */
export interface ChangePlan<TStep extends WirePlanStep = PlanStep> {
  steps: TStep[]
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
   * compiles the steps again, so edited SQL here never runs.
   */
  sql?: string[][]
}

/** The zod schema of a {@link ChangePlan} as accepted by `applyPlan`. */
export const ChangePlanInput = z.object({ steps: z.array(PlanStep).max(1000) }).passthrough()

/**
 * One step of a {@link WireChangePlan}, as JSON: `{ kind: 'add_column', table, column }` and so
 * on. {@link PlanStep} defines and validates the kinds; this wider type lets a client carry
 * steps from `planChanges` to `applyPlan` (or build them by hand) and read kinds it does not know.
 */
export interface WirePlanStep {
  /** The step's kind, e.g. `'create_table'`, `'add_column'`, `'rename_column'`. */
  kind: string
  /** The table's name, or its whole definition for `create_table`. */
  table: string | TableDefinitionInput
  [field: string]: unknown
}

/** See {@link PlanProblem}: the same type, by its wire name. */
export type WirePlanProblem = PlanProblem

/** A schema change as JSON: a {@link ChangePlan} of {@link WirePlanStep}s. */
export type WireChangePlan = ChangePlan<WirePlanStep>
