import type { WireChangePlan, WirePlanStep } from '@basebox/client'

/** The step kinds that drop stored data: applying them loses rows or column values. */
export const DESTRUCTIVE_STEP_KINDS: ReadonlySet<string> = new Set(['drop_table', 'drop_column'])

/** Whether applying `step` drops stored data (a table or a column with its values). */
export function isDestructiveStep(step: WirePlanStep): boolean {
  return DESTRUCTIVE_STEP_KINDS.has(step.kind)
}

/** The indexes of the destructive steps of `plan`, in order. */
export function destructiveSteps(plan: Pick<WireChangePlan, 'steps'>): number[] {
  return plan.steps.flatMap((step, index) => (isDestructiveStep(step) ? [index] : []))
}

function tableName(step: WirePlanStep): string {
  return typeof step.table === 'string' ? step.table : step.table.name
}

function columnsOf(value: unknown): string {
  const columns = (value as { columns?: unknown } | null)?.columns
  return Array.isArray(columns) ? columns.map(String).join(', ') : ''
}

/**
 * One plan step in plain words, e.g. `Rename column posts.body to content`. Unknown kinds (a
 * newer engine) are written as their kind and table, never dropped from the list.
 */
export function describeStep(step: WirePlanStep): string {
  const table = tableName(step)
  const column = typeof step.column === 'string' ? step.column : undefined
  const at = column === undefined ? table : `${table}.${column}`
  switch (step.kind) {
    case 'create_table': {
      const count = typeof step.table === 'string' ? 0 : step.table.columns.length
      return `Create table ${table} (${count} ${count === 1 ? 'column' : 'columns'})`
    }
    case 'drop_table':
      return `Drop table ${table} and all its rows${step.cascade === true ? ', and the references to it' : ''}`
    case 'rename_table':
      return `Rename table ${table} to ${String(step.to)}`
    case 'add_column': {
      const def = step.column as { name?: unknown; type?: unknown } | undefined
      return `Add column ${table}.${String(def?.name)} (${String(def?.type)})`
    }
    case 'drop_column':
      return `Drop column ${at} and its values${step.cascade === true ? ', and the references to it' : ''}`
    case 'rename_column':
      return `Rename column ${at} to ${String(step.to)}`
    case 'change_type':
      return `Change the type of ${at} to ${String(step.to)}`
    case 'set_required':
      return step.required === true ? `Make ${at} required` : `Make ${at} optional`
    case 'set_unique':
      return step.unique === true ? `Make ${at} unique` : `Allow duplicates in ${at}`
    case 'set_default':
      return step.default === null || step.default === undefined
        ? `Remove the default of ${at}`
        : `Set the default of ${at} to ${JSON.stringify(step.default)}`
    case 'set_reference': {
      const ref = step.references as
        { table?: unknown; column?: unknown; on_delete?: unknown } | null | undefined
      return ref === null || ref === undefined
        ? `Remove the reference of ${at}`
        : `Make ${at} reference ${String(ref.table)}.${String(ref.column ?? 'id')} (on delete: ${String(ref.on_delete ?? 'no action')})`
    }
    case 'set_primary_key':
      return step.column === null
        ? `Remove the primary key of ${table}`
        : `Make ${at} the primary key`
    case 'set_secret':
      return step.secret === true ? `Make ${at} secret` : `Make ${at} visible`
    case 'set_access':
      return `Change the access rules of ${table}`
    case 'create_index':
      return `Create ${(step.index as { unique?: unknown } | undefined)?.unique === true ? 'a unique index' : 'an index'} on ${table} (${columnsOf(step.index)})`
    case 'drop_index':
      return `Drop the index on ${table} (${columnsOf(step.index)})`
    case 'reorder_columns':
      return `Reorder the columns of ${table}: ${columnsOf(step)}`
    default:
      return `${step.kind} on ${at}`
  }
}
