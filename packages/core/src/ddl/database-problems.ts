import { tableDefinitionProblems, ValidationError, type ValidationIssue } from '@basebox/client'
import { findColumn, findTable, isKey, type DatabaseModel } from './database-model.js'
import { objectName } from './identifier.js'

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
      issues.push({
        path,
        message: `${what} needs the name ${JSON.stringify(name)}, which ${taken} already uses; rename one of them`,
      })
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
      if (
        column.primary_key === true &&
        table.columns.find((x) => x.primary_key === true) === column
      ) {
        claim(
          objectName.primaryKey(table.name),
          `the primary key of ${JSON.stringify(table.name)}`,
          [t, 'columns', c, 'primary_key'],
        )
      }
      if (column.unique === true) {
        claim(
          objectName.unique(table.name, column.name),
          `the unique key of ${JSON.stringify(`${table.name}.${column.name}`)}`,
          [t, 'columns', c, 'unique'],
        )
      }
      if (column.references !== undefined) {
        claim(
          objectName.foreignKeyIndex(table.name, column.name),
          `the reference index of ${JSON.stringify(`${table.name}.${column.name}`)}`,
          [t, 'columns', c, 'references'],
        )
      }
    })
    table.indexes?.forEach((index, i) => {
      claim(
        objectName.index(table.name, index.columns, index.unique === true),
        `an index of ${JSON.stringify(table.name)}`,
        [t, 'indexes', i],
      )
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
        issues.push({
          path: [...path, 'table'],
          message: `referenced table ${JSON.stringify(ref.table)} does not exist`,
        })
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
