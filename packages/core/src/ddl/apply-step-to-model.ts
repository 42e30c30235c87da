import {
  BaseboxError,
  parseTableDefinition,
  type ColumnDefinition,
  type TableDefinition,
} from '@basebox/client'
import { findColumn, findTable, referencesTo, type DatabaseModel } from './database-model.js'
import type { PlanStep } from './plan-step.js'

function notFoundTable(name: string): BaseboxError {
  return new BaseboxError('NOT_FOUND', `table ${JSON.stringify(name)} does not exist`, {
    details: { table: name },
  })
}

function notFoundColumn(table: string, column: string): BaseboxError {
  return new BaseboxError(
    'NOT_FOUND',
    `column ${JSON.stringify(`${table}.${column}`)} does not exist`,
    {
      details: { table, column },
    },
  )
}

function requireTable(model: DatabaseModel, name: string): TableDefinition {
  const table = findTable(model, name)
  if (table === undefined) {
    throw notFoundTable(name)
  }
  return table
}

function requireColumn(table: TableDefinition, name: string): ColumnDefinition {
  const column = findColumn(table, name)
  if (column === undefined) {
    throw notFoundColumn(table.name, name)
  }
  return column
}

function replaceTable(
  model: DatabaseModel,
  name: string,
  next: TableDefinition,
): TableDefinition[] {
  return model.map((table) => (table.name === name ? next : table))
}

function mapColumn(
  table: TableDefinition,
  name: string,
  change: (column: ColumnDefinition) => ColumnDefinition,
): TableDefinition {
  return { ...table, columns: table.columns.map((c) => (c.name === name ? change(c) : c)) }
}

function without<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
  const { [key]: _dropped, ...rest } = value
  return rest
}

function refusedByReferences(
  what: string,
  refs: { table: string; column: string }[],
): BaseboxError {
  const list = refs.map((r) => `${r.table}.${r.column}`)
  return new BaseboxError(
    'CONFLICT',
    `${what} is referenced by ${list.map((x) => JSON.stringify(x)).join(', ')}; drop those references first or pass cascade`,
    { details: { referenced_by: list } },
  )
}

/** Removes every reference pointing at `table` (and `column`, when given) from the model. */
function dropReferencesTo(model: DatabaseModel, table: string, column?: string): TableDefinition[] {
  return model.map((t) => ({
    ...t,
    columns: t.columns.map((c) =>
      c.references?.table === table && (column === undefined || c.references.column === column)
        ? without(c, 'references')
        : c,
    ),
  }))
}

/**
 * Applies one step to the model of a database and returns the new model, or throws a typed
 * {@link BaseboxError} when the step does not fit the model (unknown table or column, a name
 * already taken, a drop others depend on without `cascade`). Pure: no SQL.
 */
export function applyStepToModel(model: DatabaseModel, step: PlanStep): TableDefinition[] {
  switch (step.kind) {
    case 'create_table': {
      if (findTable(model, step.table.name) !== undefined) {
        throw new BaseboxError(
          'CONFLICT',
          `table ${JSON.stringify(step.table.name)} already exists`,
          {
            details: { table: step.table.name },
          },
        )
      }
      return [...model, parseTableDefinition(step.table)]
    }
    case 'drop_table': {
      requireTable(model, step.table)
      const refs = referencesTo(model, step.table).filter((r) => r.table !== step.table)
      if (refs.length > 0 && step.cascade !== true) {
        throw refusedByReferences(`table ${JSON.stringify(step.table)}`, refs)
      }
      return dropReferencesTo(model, step.table).filter((t) => t.name !== step.table)
    }
    case 'rename_table': {
      const table = requireTable(model, step.table)
      if (findTable(model, step.to) !== undefined) {
        throw new BaseboxError('CONFLICT', `table ${JSON.stringify(step.to)} already exists`, {
          details: { table: step.to },
        })
      }
      return replaceTable(model, step.table, { ...table, name: step.to }).map((t) => ({
        ...t,
        columns: t.columns.map((c) =>
          c.references?.table === step.table
            ? { ...c, references: { ...c.references, table: step.to } }
            : c,
        ),
      }))
    }
    case 'add_column': {
      const table = requireTable(model, step.table)
      if (findColumn(table, step.column.name) !== undefined) {
        throw new BaseboxError(
          'CONFLICT',
          `column ${JSON.stringify(`${step.table}.${step.column.name}`)} already exists`,
          { details: { table: step.table, column: step.column.name } },
        )
      }
      const next = parseTableDefinition({ ...table, columns: [...table.columns, step.column] })
      return replaceTable(model, step.table, next)
    }
    case 'drop_column': {
      const table = requireTable(model, step.table)
      requireColumn(table, step.column)
      if (table.columns.length === 1) {
        throw new BaseboxError(
          'VALIDATION_FAILED',
          `cannot drop the only column of ${JSON.stringify(step.table)}`,
        )
      }
      const refs = referencesTo(model, step.table, step.column).filter(
        (r) => !(r.table === step.table && r.column === step.column),
      )
      if (refs.length > 0 && step.cascade !== true) {
        throw refusedByReferences(`column ${JSON.stringify(`${step.table}.${step.column}`)}`, refs)
      }
      if (table.access?.owner_column === step.column) {
        throw new BaseboxError(
          'CONFLICT',
          `column ${JSON.stringify(`${step.table}.${step.column}`)} is the owner column of the table's access rules; change the rules first`,
        )
      }
      const next: TableDefinition = {
        ...table,
        columns: table.columns.filter((c) => c.name !== step.column),
        ...(table.indexes === undefined
          ? {}
          : { indexes: table.indexes.filter((i) => !i.columns.includes(step.column)) }),
      }
      return dropReferencesTo(replaceTable(model, step.table, next), step.table, step.column)
    }
    case 'rename_column': {
      const table = requireTable(model, step.table)
      requireColumn(table, step.column)
      if (findColumn(table, step.to) !== undefined) {
        throw new BaseboxError(
          'CONFLICT',
          `column ${JSON.stringify(`${step.table}.${step.to}`)} already exists`,
          {
            details: { table: step.table, column: step.to },
          },
        )
      }
      const renamed: TableDefinition = {
        ...mapColumn(table, step.column, (c) => ({ ...c, name: step.to })),
        ...(table.access?.owner_column === step.column
          ? { access: { ...table.access, owner_column: step.to } }
          : {}),
        ...(table.indexes === undefined
          ? {}
          : {
              indexes: table.indexes.map((i) => ({
                ...i,
                columns: i.columns.map((c) => (c === step.column ? step.to : c)),
              })),
            }),
      }
      return replaceTable(model, step.table, renamed).map((t) => ({
        ...t,
        columns: t.columns.map((c) =>
          c.references?.table === step.table && c.references.column === step.column
            ? { ...c, references: { ...c.references, column: step.to } }
            : c,
        ),
      }))
    }
    case 'change_type': {
      const table = requireTable(model, step.table)
      const column = requireColumn(table, step.column)
      if (column.type === step.to) {
        return [...model]
      }
      if (
        column.references !== undefined ||
        referencesTo(model, step.table, step.column).length > 0
      ) {
        throw new BaseboxError(
          'UNSUPPORTED',
          `cannot change the type of ${JSON.stringify(`${step.table}.${step.column}`)} while it is part of a reference; drop the reference first`,
          { details: { table: step.table, column: step.column } },
        )
      }
      // The default belongs to the old type: a plan that keeps one sets it again after this step.
      return replaceTable(
        model,
        step.table,
        mapColumn(table, step.column, (c) => ({ ...without(c, 'default'), type: step.to })),
      )
    }
    case 'set_required':
    case 'set_unique':
    case 'set_default':
    case 'set_secret':
    case 'set_reference': {
      const table = requireTable(model, step.table)
      requireColumn(table, step.column)
      if (step.kind === 'set_unique' && !step.unique) {
        const refs = referencesTo(model, step.table, step.column)
        const column = requireColumn(table, step.column)
        if (refs.length > 0 && column.primary_key !== true) {
          throw refusedByReferences(
            `unique column ${JSON.stringify(`${step.table}.${step.column}`)}`,
            refs,
          )
        }
      }
      const next = mapColumn(table, step.column, (c) => {
        switch (step.kind) {
          case 'set_required':
            return step.required ? { ...c, required: true } : without(c, 'required')
          case 'set_unique':
            return step.unique ? { ...c, unique: true } : without(c, 'unique')
          case 'set_secret':
            return step.secret ? { ...c, secret: true } : without(c, 'secret')
          case 'set_default':
            return step.default === null ? without(c, 'default') : { ...c, default: step.default }
          case 'set_reference':
            return step.references === null
              ? without(c, 'references')
              : { ...c, references: step.references }
        }
      })
      return replaceTable(model, step.table, parseTableDefinition(next))
    }
    case 'set_primary_key': {
      const table = requireTable(model, step.table)
      const current = table.columns.find((c) => c.primary_key === true)
      if (current !== undefined && current.name !== step.column) {
        const refs = referencesTo(model, step.table, current.name)
        if (refs.length > 0 && current.unique !== true) {
          throw refusedByReferences(
            `primary key ${JSON.stringify(`${step.table}.${current.name}`)}`,
            refs,
          )
        }
      }
      if (step.column !== null) {
        requireColumn(table, step.column)
      }
      const next: TableDefinition = {
        ...table,
        columns: table.columns.map((c) =>
          c.name === step.column ? { ...c, primary_key: true } : without(c, 'primary_key'),
        ),
      }
      return replaceTable(model, step.table, parseTableDefinition(next))
    }
    case 'set_access': {
      const table = requireTable(model, step.table)
      const next =
        step.access === null ? without(table, 'access') : { ...table, access: step.access }
      return replaceTable(model, step.table, parseTableDefinition(next))
    }
    case 'reorder_columns': {
      const table = requireTable(model, step.table)
      const names = table.columns.map((c) => c.name)
      const same =
        step.columns.length === names.length &&
        new Set(step.columns).size === names.length &&
        step.columns.every((name) => names.includes(name))
      if (!same) {
        throw new BaseboxError(
          'VALIDATION_FAILED',
          `the new order of ${JSON.stringify(step.table)} must name each of its columns once`,
          { details: { table: step.table, columns: names } },
        )
      }
      const next = { ...table, columns: step.columns.map((name) => requireColumn(table, name)) }
      return replaceTable(model, step.table, next)
    }
    case 'create_index':
    case 'drop_index': {
      const table = requireTable(model, step.table)
      const same = (i: { columns: string[]; unique?: boolean | undefined }) =>
        i.columns.join(',') === step.index.columns.join(',') &&
        (i.unique === true) === (step.index.unique === true)
      const indexes = table.indexes ?? []
      if (step.kind === 'create_index') {
        if (indexes.some(same)) {
          throw new BaseboxError(
            'CONFLICT',
            `the index on ${JSON.stringify(step.index.columns.join(', '))} already exists`,
          )
        }
        return replaceTable(
          model,
          step.table,
          parseTableDefinition({ ...table, indexes: [...indexes, step.index] }),
        )
      }
      if (!indexes.some(same)) {
        throw new BaseboxError(
          'NOT_FOUND',
          `no index on ${JSON.stringify(step.index.columns.join(', '))}`,
        )
      }
      const rest = indexes.filter((i) => !same(i))
      return replaceTable(
        model,
        step.table,
        rest.length > 0 ? { ...table, indexes: rest } : without(table, 'indexes'),
      )
    }
    default:
      return step satisfies never
  }
}
