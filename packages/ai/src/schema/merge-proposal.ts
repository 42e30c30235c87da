import { applyStepToModel } from '@basebox/core'
import { isBaseboxError, type TableDefinition } from '@basebox/client'
import { completeNewTable } from './complete-table.js'
import { where, type RepairLog } from './repair-log.js'
import { cloneDraft, sameJSON, type ColumnDraft, type TableDraft } from './table-draft.js'

/** How a proposal is laid over the current tables. */
export type MergeMode = 'extend' | 'refine'

/** The drops and renames a refinement asks for. @internal */
export interface ProposalChanges {
  dropTables: string[]
  renameTables: { from: string; to: string }[]
  renameColumns: { table: string; from: string; to: string }[]
}

/** The tables after a proposal is laid over the current ones. @internal */
export interface MergedProposal {
  tables: TableDraft[]
  /** Whether a column is new (in a new table, or added to an existing one). */
  isNew: (table: string, column: string) => boolean
  /** The names of the tables the proposal creates or changes. */
  touched: string[]
  renameTables: Record<string, string>
  renameColumns: Record<string, Record<string, string>>
}

/** The columns of the default `users` table that sign-in needs; a refinement keeps them. */
const AUTH_COLUMNS = ['id', 'email', 'password_hash']
/** Password columns a model adds to `users`, which already has `password_hash`. */
const PASSWORD_LIKE = /^(password|passwd|pwd|pass|hashed_password|password_digest)$/

/** Whether two columns agree on what matters to a reader (type, key, flags, reference). */
function sameShape(a: ColumnDraft, b: ColumnDraft): boolean {
  const shape = (c: ColumnDraft) => [
    c.type,
    c.primary_key === true,
    c.unique === true,
    c.required === true,
    c.references?.table ?? null,
  ]
  return sameJSON(shape(a), shape(b))
}

/** Applies the renames of a refinement to the current tables, logging the ones that do not fit. */
function applyRenames(
  base: readonly TableDefinition[],
  changes: ProposalChanges,
  log: RepairLog,
): {
  tables: TableDefinition[]
  renameTables: Record<string, string>
  renameColumns: Record<string, Record<string, string>>
} {
  let tables = [...base]
  const renameTables: Record<string, string> = {}
  const renameColumns: Record<string, Record<string, string>> = {}
  for (const { from, to } of changes.renameTables) {
    try {
      tables = applyStepToModel(tables, { kind: 'rename_table', table: from, to })
      renameTables[from] = to
    } catch (error) {
      log.issue(
        ['rename_tables'],
        `cannot rename table ${JSON.stringify(from)} to ${JSON.stringify(to)}: ${isBaseboxError(error) ? error.message : String(error)}`,
      )
    }
  }
  for (const { table: named, from, to } of changes.renameColumns) {
    const table = renameTables[named] ?? named
    try {
      tables = applyStepToModel(tables, { kind: 'rename_column', table, column: from, to })
      renameColumns[table] = { ...renameColumns[table], [from]: to }
    } catch (error) {
      log.issue(
        ['rename_columns'],
        `cannot rename column ${where(table, from)} to ${JSON.stringify(to)}: ${isBaseboxError(error) ? error.message : String(error)}`,
      )
    }
  }
  return { tables, renameTables, renameColumns }
}

/** A column added to a table that may hold rows cannot be NOT NULL without a default. */
function addableColumn(table: string, column: ColumnDraft, log: RepairLog): ColumnDraft {
  const next = cloneDraft(column)
  delete next.primary_key
  if (next.required === true && next.default === undefined) {
    delete next.required
    log.repair(
      'default',
      table,
      column.name,
      `made the new column ${where(table, column.name)} optional: the rows already in "${table}" have no value for it`,
    )
  }
  return next
}

/** Lays `draft` over the existing `table`: new columns and indexes are added, the rest is kept. */
function extendTable(
  table: TableDraft,
  draft: TableDraft,
  log: RepairLog,
  added: Set<string>,
): TableDraft {
  const next = cloneDraft(table)
  for (const column of draft.columns) {
    const have = next.columns.find((c) => c.name === column.name)
    if (have !== undefined) {
      if (!sameShape(have, column)) {
        log.warn(
          `kept ${where(table.name, column.name)} as it is: extending a database does not change existing columns (use refineSchema)`,
        )
      }
      continue
    }
    if (table.name === 'users' && PASSWORD_LIKE.test(column.name)) {
      log.warn(
        `left out ${where('users', column.name)}: users already has the secret column password_hash`,
      )
      continue
    }
    next.columns.push(addableColumn(table.name, column, log))
    added.add(`${table.name}.${column.name}`)
  }
  if (draft.access !== undefined && !sameJSON(draft.access, table.access)) {
    log.warn(
      `kept the access rules of "${table.name}" as they are: extending a database does not change them (use refineSchema)`,
    )
  }
  for (const index of draft.indexes ?? []) {
    const fits = index.columns.every((c) => next.columns.some((col) => col.name === c))
    if (fits && !(next.indexes ?? []).some((i) => sameJSON(i, index))) {
      next.indexes = [...(next.indexes ?? []), index]
    }
  }
  return next
}

/** Lays `draft` over the existing `table` as its new definition, keeping what sign-in needs. */
function replaceTable(
  table: TableDraft,
  draft: TableDraft,
  log: RepairLog,
  added: Set<string>,
): TableDraft {
  const next = cloneDraft(draft)
  if (next.access === undefined && table.access !== undefined) {
    // Leaving rules out is not a request to open the table up.
    next.access = cloneDraft(table.access)
    log.warn(`kept the access rules of "${table.name}": the answer left them out`)
  }
  if (table.name === 'users') {
    for (const name of AUTH_COLUMNS) {
      const keep = table.columns.find((c) => c.name === name)
      if (keep !== undefined && !next.columns.some((c) => c.name === name)) {
        // Back where it stood (after the nearest earlier column the answer kept), so keeping
        // it does not also move it: a moved column would plan a `reorder_columns` step.
        const earlier = table.columns.slice(0, table.columns.indexOf(keep)).map((c) => c.name)
        let at = 0
        for (let i = next.columns.length - 1; i >= 0; i--) {
          if (earlier.includes(next.columns[i]!.name)) {
            at = i + 1
            break
          }
        }
        next.columns.splice(at, 0, cloneDraft(keep))
        log.warn(`kept ${where('users', name)}: sign-in needs it`)
      }
    }
  }
  next.columns = next.columns.map((column) => {
    if (table.columns.some((c) => c.name === column.name)) {
      return column
    }
    added.add(`${table.name}.${column.name}`)
    return addableColumn(table.name, column, log)
  })
  return next
}

/**
 * Lays a model's proposal over the current tables. `extend` (schema generation) only adds: new
 * tables, and new columns and indexes on existing tables. `refine` (conversation) also applies
 * renames and drops, and replaces the tables the proposal lists. New tables get the key and
 * timestamps of the conventions.
 * @internal
 */
export function mergeProposal(
  base: readonly TableDefinition[],
  drafts: readonly TableDraft[],
  mode: MergeMode,
  changes: ProposalChanges,
  log: RepairLog,
): MergedProposal {
  const renamed =
    mode === 'refine'
      ? applyRenames(base, changes, log)
      : { tables: [...base], renameTables: {}, renameColumns: {} }
  let tables: TableDraft[] = renamed.tables.map((t) => cloneDraft(t) as TableDraft)
  if (mode === 'refine') {
    for (const name of changes.dropTables) {
      if (name === 'users') {
        log.warn('kept the table "users": sign-in needs it')
      } else if (drafts.some((d) => d.name === name)) {
        log.warn(`kept the table ${JSON.stringify(name)}: it was both dropped and changed`)
      } else if (!tables.some((t) => t.name === name)) {
        log.warn(`ignored the drop of ${JSON.stringify(name)}: there is no such table`)
      } else {
        tables = tables.filter((t) => t.name !== name)
      }
    }
  }
  const newTables = new Set<string>()
  const added = new Set<string>()
  for (const draft of drafts) {
    const index = tables.findIndex((t) => t.name === draft.name)
    if (index === -1) {
      const table = cloneDraft(draft)
      completeNewTable(table, log)
      tables.push(table)
      newTables.add(table.name)
      continue
    }
    tables[index] =
      mode === 'extend'
        ? extendTable(tables[index]!, draft, log, added)
        : replaceTable(tables[index]!, draft, log, added)
  }
  return {
    tables,
    isNew: (table, column) => newTables.has(table) || added.has(`${table}.${column}`),
    touched: drafts.map((d) => d.name),
    renameTables: renamed.renameTables,
    renameColumns: renamed.renameColumns,
  }
}
