import {
  BaseboxError,
  parseTableDefinition,
  tableDefinitionProblems,
  ValidationError,
  type ColumnDefinition,
  type TableDefinition,
  type ValidationIssue,
} from '@basebox/client'
import { objectName } from './identifier.js'
import type { PlanStep } from './plan-step.js'

/** The tables of one project database, in creation order: what the catalog holds. */
export type DatabaseModel = readonly TableDefinition[]

/** The table named `name` in `model`, or `undefined`. */
export function findTable(model: DatabaseModel, name: string): TableDefinition | undefined {
  return model.find((table) => table.name === name)
}

/** The column named `name` of `table`, or `undefined`. */
export function findColumn(table: TableDefinition, name: string): ColumnDefinition | undefined {
  return table.columns.find((column) => column.name === name)
}

/** The columns of any table in `model` that reference `table` (and `column`, when given). */
export function referencesTo(
  model: DatabaseModel,
  table: string,
  column?: string,
): { table: string; column: string }[] {
  const found: { table: string; column: string }[] = []
  for (const t of model) {
    for (const c of t.columns) {
      if (c.references?.table === table && (column === undefined || c.references.column === column)) {
        found.push({ table: t.name, column: c.name })
      }
    }
  }
  return found
}

/** Whether `column` is a key another column may reference: the primary key or unique. */
export function isKey(table: TableDefinition, column: ColumnDefinition): boolean {
  return (
    column.primary_key === true ||
    column.unique === true ||
    (table.indexes ?? []).some((i) => i.unique && i.columns.length === 1 && i.columns[0] === column.name)
  )
}

/**
 * Every problem of a whole database's definitions: each table's own problems, duplicate table
 * names, and references to missing tables or columns, to non-key columns or across types.
 */
export function databaseProblems(model: DatabaseModel): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const names = new Set<string>()
  // Tables, indexes and key constraints share one namespace in a Postgres schema.
  const relations = new Map<string, string>()
  const claim = (name: string, what: string, path: (string | number)[]) => {
    const taken = relations.get(name)
    if (taken !== undefined) {
      issues.push({ path, message: `${what} needs the name ${JSON.stringify(name)}, which ${taken} already uses; rename one of them` })
    } else {
      relations.set(name, what)
    }
  }
  model.forEach((table, t) => {
    if (!relations.has(table.name)) {
      claim(table.name, `table ${JSON.stringify(table.name)}`, [t, 'name'])
    }
  })
  const seenTables = new Set<string>()
  model.forEach((table, t) => {
    // A duplicate table is reported as such; its objects would only repeat the problem.
    if (seenTables.has(table.name)) {
      return
    }
    seenTables.add(table.name)
    const seenColumns = new Set<string>()
    table.columns.forEach((column, c) => {
      // A duplicate column is reported as such; its objects would only repeat the problem.
      if (seenColumns.has(column.name)) {
        return
      }
      seenColumns.add(column.name)
      if (column.primary_key === true && table.columns.find((x) => x.primary_key === true) === column) {
        claim(objectName.primaryKey(table.name), `the primary key of ${JSON.stringify(table.name)}`, [t, 'columns', c, 'primary_key'])
      }
      if (column.unique === true) {
        claim(objectName.unique(table.name, column.name), `the unique key of ${JSON.stringify(`${table.name}.${column.name}`)}`, [t, 'columns', c, 'unique'])
      }
      if (column.references !== undefined) {
        claim(objectName.foreignKeyIndex(table.name, column.name), `the reference index of ${JSON.stringify(`${table.name}.${column.name}`)}`, [t, 'columns', c, 'references'])
      }
    })
    table.indexes?.forEach((index, i) => {
      claim(objectName.index(table.name, index.columns, index.unique === true), `an index of ${JSON.stringify(table.name)}`, [t, 'indexes', i])
    })
  })
  model.forEach((table, t) => {
    if (names.has(table.name)) {
      issues.push({ path: [t, 'name'], message: `duplicate table ${JSON.stringify(table.name)}` })
    }
    names.add(table.name)
    for (const issue of tableDefinitionProblems(table)) {
      issues.push({ path: [t, ...issue.path], message: issue.message })
    }
    table.columns.forEach((column, c) => {
      const ref = column.references
      if (ref === undefined) {
        return
      }
      const path = [t, 'columns', c, 'references']
      const target = findTable(model, ref.table)
      if (target === undefined) {
        issues.push({ path: [...path, 'table'], message: `referenced table ${JSON.stringify(ref.table)} does not exist` })
        return
      }
      const targetColumn = findColumn(target, ref.column)
      if (targetColumn === undefined) {
        issues.push({
          path: [...path, 'column'],
          message: `referenced column ${JSON.stringify(`${ref.table}.${ref.column}`)} does not exist`,
        })
        return
      }
      if (!isKey(target, targetColumn)) {
        issues.push({
          path: [...path, 'column'],
          message: `referenced column ${JSON.stringify(`${ref.table}.${ref.column}`)} must be a primary key or unique`,
        })
      }
      if (targetColumn.type !== column.type) {
        issues.push({
          path: [t, 'columns', c, 'type'],
          message: `column ${JSON.stringify(column.name)} is ${column.type} but references ${JSON.stringify(`${ref.table}.${ref.column}`)} of type ${targetColumn.type}`,
        })
      }
    })
  })
  return issues
}

/** Throws a {@link ValidationError} when {@link databaseProblems} finds anything. */
export function assertValidDatabase(model: DatabaseModel): void {
  const issues = databaseProblems(model)
  if (issues.length > 0) {
    throw new ValidationError(`invalid database definition: ${issues[0]!.message}`, issues)
  }
}

function notFoundTable(name: string): BaseboxError {
  return new BaseboxError('NOT_FOUND', `table ${JSON.stringify(name)} does not exist`, {
    details: { table: name },
  })
}

function notFoundColumn(table: string, column: string): BaseboxError {
  return new BaseboxError('NOT_FOUND', `column ${JSON.stringify(`${table}.${column}`)} does not exist`, {
    details: { table, column },
  })
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

function replaceTable(model: DatabaseModel, name: string, next: TableDefinition): TableDefinition[] {
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
        throw new BaseboxError('CONFLICT', `table ${JSON.stringify(step.table.name)} already exists`, {
          details: { table: step.table.name },
        })
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
          c.references?.table === step.table ? { ...c, references: { ...c.references, table: step.to } } : c,
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
        throw new BaseboxError('VALIDATION_FAILED', `cannot drop the only column of ${JSON.stringify(step.table)}`)
      }
      const refs = referencesTo(model, step.table, step.column).filter(
        (r) => !(r.table === step.table && r.column === step.column),
      )
      if (refs.length > 0 && step.cascade !== true) {
        throw refusedByReferences(`column ${JSON.stringify(`${step.table}.${step.column}`)}`, refs)
      }
      if (table.access?.owner_column === step.column) {
        throw new BaseboxError('CONFLICT', `column ${JSON.stringify(`${step.table}.${step.column}`)} is the owner column of the table's access rules; change the rules first`)
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
        throw new BaseboxError('CONFLICT', `column ${JSON.stringify(`${step.table}.${step.to}`)} already exists`, {
          details: { table: step.table, column: step.to },
        })
      }
      const renamed: TableDefinition = {
        ...mapColumn(table, step.column, (c) => ({ ...c, name: step.to })),
        ...(table.access?.owner_column === step.column ? { access: { ...table.access, owner_column: step.to } } : {}),
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
      if (column.references !== undefined || referencesTo(model, step.table, step.column).length > 0) {
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
          throw refusedByReferences(`unique column ${JSON.stringify(`${step.table}.${step.column}`)}`, refs)
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
            return step.references === null ? without(c, 'references') : { ...c, references: step.references }
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
          throw refusedByReferences(`primary key ${JSON.stringify(`${step.table}.${current.name}`)}`, refs)
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
      const next = step.access === null ? without(table, 'access') : { ...table, access: step.access }
      return replaceTable(model, step.table, parseTableDefinition(next))
    }
    case 'reorder_columns': {
      const table = requireTable(model, step.table)
      const names = table.columns.map((c) => c.name)
      const same = step.columns.length === names.length && new Set(step.columns).size === names.length &&
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
        i.columns.join(',') === step.index.columns.join(',') && (i.unique === true) === (step.index.unique === true)
      const indexes = table.indexes ?? []
      if (step.kind === 'create_index') {
        if (indexes.some(same)) {
          throw new BaseboxError('CONFLICT', `the index on ${JSON.stringify(step.index.columns.join(', '))} already exists`)
        }
        return replaceTable(model, step.table, parseTableDefinition({ ...table, indexes: [...indexes, step.index] }))
      }
      if (!indexes.some(same)) {
        throw new BaseboxError('NOT_FOUND', `no index on ${JSON.stringify(step.index.columns.join(', '))}`)
      }
      const rest = indexes.filter((i) => !same(i))
      return replaceTable(model, step.table, rest.length > 0 ? { ...table, indexes: rest } : without(table, 'indexes'))
    }
    default:
      return step satisfies never
  }
}
