// The diagram's model, without React or xyflow: the tables and references of a database, with a
// plan's steps laid over them as a diff (what each step adds, changes or removes).
import type {
  ColumnDefinition,
  TableDefinition,
  TableDefinitionInput,
  WireChangePlan,
  WirePlanStep,
} from '@basebox/client'

/** What a plan does to a table, a column or a reference. `'unchanged'` without a plan. */
export type DiagramStatus = 'unchanged' | 'added' | 'changed' | 'removed'

/** A column as the diagram shows it. @internal */
export interface DiagramColumn {
  name: string
  type: string
  primaryKey: boolean
  required: boolean
  unique: boolean
  status: DiagramStatus
  /** The column's name before a planned rename. */
  renamedFrom?: string
  /** The column's type before a planned type change. */
  typeFrom?: string
  /** What the plan changes, in words (`'required'`, `'default'`, …). */
  changes: string[]
}

/** A table as the diagram shows it. @internal */
export interface DiagramTable {
  name: string
  columns: DiagramColumn[]
  status: DiagramStatus
  /** The table's name before a planned rename. */
  renamedFrom?: string
  /** What the plan changes on the table itself (`'access rules'`, `'indexes'`). */
  changes: string[]
}

/** A reference from one column to another, as an edge. @internal */
export interface DiagramReference {
  id: string
  table: string
  column: string
  references: { table: string; column: string }
  onDelete?: string
  status: DiagramStatus
}

/** Tables and references, with the plan laid over them. @internal */
export interface DiagramModel {
  tables: DiagramTable[]
  references: DiagramReference[]
}

type Definition = TableDefinition | TableDefinitionInput

function toColumn(
  column: ColumnDefinition | Definition['columns'][number],
  status: DiagramStatus,
): DiagramColumn {
  return {
    name: column.name,
    type: column.type,
    primaryKey: column.primary_key === true,
    required: column.required === true || column.primary_key === true,
    unique: column.unique === true,
    status,
    changes: [],
  }
}

function referencesOf(table: Definition, status: DiagramStatus): DiagramReference[] {
  return table.columns.flatMap((column) =>
    column.references
      ? [
          {
            id: referenceId(table.name, column.name),
            table: table.name,
            column: column.name,
            references: {
              table: column.references.table,
              column: column.references.column ?? 'id',
            },
            ...(column.references.on_delete ? { onDelete: column.references.on_delete } : {}),
            status,
          },
        ]
      : [],
  )
}

/** The id of the edge of `table.column`'s reference. @internal */
export function referenceId(table: string, column: string): string {
  return `${table}.${column}`
}

const mark = (current: DiagramStatus): DiagramStatus =>
  current === 'unchanged' ? 'changed' : current

/**
 * Lays `plan` (if any) over `tables`: added tables and columns are `'added'`, changed ones
 * `'changed'`, dropped ones stay in the diagram as `'removed'`. Steps refer to tables by their
 * name after earlier steps (a rename first, then the renamed table's changes), as the core plans
 * them. @internal
 */
export function buildDiagramModel(
  tables: readonly Definition[],
  plan?: Pick<WireChangePlan, 'steps'> | null,
): DiagramModel {
  const model: DiagramModel = {
    tables: tables.map((table) => ({
      name: table.name,
      columns: table.columns.map((c) => toColumn(c, 'unchanged')),
      status: 'unchanged',
      changes: [],
    })),
    references: tables.flatMap((table) => referencesOf(table, 'unchanged')),
  }
  for (const step of plan?.steps ?? []) applyStep(model, step)
  return model
}

function applyStep(model: DiagramModel, step: WirePlanStep): void {
  const tableName = typeof step.table === 'string' ? step.table : step.table.name
  const table = model.tables.find(
    (candidate) => candidate.name === tableName && candidate.status !== 'removed',
  )
  const columnName = typeof step.column === 'string' ? step.column : undefined
  const column =
    columnName === undefined
      ? undefined
      : table?.columns.find((c) => c.name === columnName && c.status !== 'removed')
  const removeReference = (from: string, col: string) => {
    for (const reference of model.references) {
      if (reference.table === from && reference.column === col && reference.status !== 'removed') {
        if (reference.status === 'added')
          model.references.splice(model.references.indexOf(reference), 1)
        else reference.status = 'removed'
        return
      }
    }
  }
  const changeColumn = (what: string) => {
    if (!column) return
    column.status = mark(column.status)
    if (!column.changes.includes(what)) column.changes.push(what)
    if (table) table.status = mark(table.status)
  }
  switch (step.kind) {
    case 'create_table': {
      const definition = step.table as TableDefinitionInput
      model.tables.push({
        name: definition.name,
        columns: definition.columns.map((c) => toColumn(c, 'added')),
        status: 'added',
        changes: [],
      })
      model.references.push(...referencesOf(definition, 'added'))
      return
    }
    case 'drop_table': {
      if (!table) return
      table.status = 'removed'
      for (const c of table.columns) c.status = 'removed'
      for (const reference of model.references) {
        if (reference.table === table.name || reference.references.table === table.name)
          reference.status = 'removed'
      }
      return
    }
    case 'rename_table': {
      if (!table || typeof step.to !== 'string') return
      const from = table.name
      table.renamedFrom ??= from
      table.name = step.to
      table.status = mark(table.status)
      for (const reference of model.references) {
        if (reference.table === from) {
          reference.table = step.to
          reference.id = referenceId(step.to, reference.column)
        }
        if (reference.references.table === from)
          reference.references = { ...reference.references, table: step.to }
      }
      return
    }
    case 'add_column': {
      if (!table) return
      const definition = step.column as ColumnDefinition
      table.columns.push(toColumn(definition, 'added'))
      table.status = mark(table.status)
      if (definition.references) {
        model.references.push(...referencesOf({ name: table.name, columns: [definition] }, 'added'))
      }
      return
    }
    case 'drop_column': {
      if (!table || !column) return
      column.status = column.status === 'added' ? column.status : 'removed'
      if (column.status === 'added') table.columns.splice(table.columns.indexOf(column), 1)
      table.status = mark(table.status)
      removeReference(table.name, column.name)
      for (const reference of model.references) {
        if (
          reference.references.table === table.name &&
          reference.references.column === column.name
        )
          reference.status = 'removed'
      }
      return
    }
    case 'rename_column': {
      if (!table || !column || typeof step.to !== 'string') return
      const from = column.name
      column.renamedFrom ??= from
      column.name = step.to
      changeColumn('renamed')
      for (const reference of model.references) {
        if (reference.table === table.name && reference.column === from) {
          reference.column = step.to
          reference.id = referenceId(table.name, step.to)
        }
        if (reference.references.table === table.name && reference.references.column === from) {
          reference.references = { ...reference.references, column: step.to }
        }
      }
      return
    }
    case 'change_type': {
      if (!column || typeof step.to !== 'string') return
      column.typeFrom ??= column.type
      column.type = step.to
      changeColumn('type')
      return
    }
    case 'set_required':
      if (column) column.required = step.required === true || column.primaryKey
      changeColumn('required')
      return
    case 'set_unique':
      if (column) column.unique = step.unique === true
      changeColumn('unique')
      return
    case 'set_default':
      changeColumn('default')
      return
    case 'set_secret':
      changeColumn('secret')
      return
    case 'set_primary_key': {
      if (!table) return
      for (const c of table.columns) {
        const isKey = c.name === step.column
        if (c.primaryKey !== isKey && c.status !== 'removed') {
          c.primaryKey = isKey
          c.status = mark(c.status)
          if (!c.changes.includes('primary key')) c.changes.push('primary key')
        }
      }
      table.status = mark(table.status)
      return
    }
    case 'set_reference': {
      if (!table || !column) return
      removeReference(table.name, column.name)
      const references = step.references as {
        table: string
        column?: string
        on_delete?: string
      } | null
      if (references) {
        model.references.push({
          id: referenceId(table.name, column.name),
          table: table.name,
          column: column.name,
          references: { table: references.table, column: references.column ?? 'id' },
          ...(references.on_delete ? { onDelete: references.on_delete } : {}),
          status: 'added',
        })
      }
      changeColumn('reference')
      return
    }
    case 'reorder_columns': {
      // The definition's order only (Postgres keeps the physical order): the diagram lists the
      // columns as wanted, unnamed ones (never in a valid step) kept after them.
      if (!table || !Array.isArray(step.columns)) return
      const order = step.columns.map(String)
      const rank = (name: string) => {
        const at = order.indexOf(name)
        return at === -1 ? order.length : at
      }
      table.columns.sort((a, b) => rank(a.name) - rank(b.name))
      if (!table.changes.includes('column order')) table.changes.push('column order')
      table.status = mark(table.status)
      return
    }
    case 'set_access':
    case 'create_index':
    case 'drop_index': {
      if (!table) return
      const what = step.kind === 'set_access' ? 'access rules' : 'indexes'
      if (!table.changes.includes(what)) table.changes.push(what)
      table.status = mark(table.status)
      return
    }
    default:
      return
  }
}

/**
 * The wanted definitions of `tables` with `table.column` referencing `references`: what
 * {@link BaseboxClient.planChanges} turns into a `set_reference` step. `undefined` when the
 * table or column is unknown. @internal
 */
export function withReference(
  tables: readonly TableDefinition[],
  proposal: { table: string; column: string; references: { table: string; column: string } },
): TableDefinitionInput[] | undefined {
  const table = tables.find((candidate) => candidate.name === proposal.table)
  if (!table?.columns.some((column) => column.name === proposal.column)) return undefined
  const target = tables.find((candidate) => candidate.name === proposal.references.table)
  if (!target?.columns.some((column) => column.name === proposal.references.column))
    return undefined
  return tables.map((candidate) =>
    candidate.name !== proposal.table
      ? candidate
      : {
          ...candidate,
          columns: candidate.columns.map((column) =>
            column.name === proposal.column
              ? {
                  ...column,
                  references: {
                    table: proposal.references.table,
                    column: proposal.references.column,
                  },
                }
              : column,
          ),
        },
  )
}
