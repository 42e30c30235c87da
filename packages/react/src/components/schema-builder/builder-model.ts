// The SchemaBuilder's draft: the wanted tables as the user edits them, with where each table and
// column came from (so a rename is planned as a rename, not drop + add), an undo/redo history
// and the field errors of the same validation the engine runs. Pure: no React, no client.
import {
  ACCESS_OPERATIONS,
  DEFAULT_FUNCTIONS,
  TableDefinition,
  tableDefinitionProblems,
  toDefaultFunction,
  type AccessDefinition,
  type ColumnDefault,
  type ColumnType,
  type IndexDefinition,
  type OnDeleteAction,
  type PlanOptions,
  type TableDefinitionInput,
  type ValidationIssue,
  type WirePlanStep,
} from '@basebox/client'

/** One column of a draft table. */
export interface DraftColumn {
  /** Stable identity for React and for renames; never shown. */
  key: string
  /** The column's name in the database, or `null` for a column the draft adds. */
  from: string | null
  name: string
  type: ColumnType
  primary_key?: boolean
  unique?: boolean
  required?: boolean
  default?: ColumnDefault
  references?: { table: string; column: string; on_delete: OnDeleteAction }
  secret?: boolean
}

/** One table of the draft. */
export interface DraftTable {
  key: string
  /** The table's name in the database, or `null` for a table the draft adds. */
  from: string | null
  name: string
  columns: DraftColumn[]
  indexes: IndexDefinition[]
  access?: AccessDefinition
}

/** The wanted tables, in order. */
export interface Draft {
  tables: DraftTable[]
}

let counter = 0
/** A fresh key for a table or column of the draft. */
export function newKey(prefix: string): string {
  counter += 1
  return `${prefix}${counter}`
}

/** The draft of the database's current tables: nothing changed yet. */
export function draftFromTables(tables: readonly TableDefinitionInput[]): Draft {
  return { tables: tables.map((table) => draftTable(table, true)) }
}

/** One table definition as a draft table; `existing` when it is the database's own. */
export function draftTable(table: TableDefinitionInput, existing: boolean): DraftTable {
  return {
    key: newKey('t'),
    from: existing ? table.name : null,
    name: table.name,
    columns: table.columns.map((column) => ({
      key: newKey('c'),
      from: existing ? column.name : null,
      name: column.name,
      type: column.type,
      ...(column.primary_key === true ? { primary_key: true } : {}),
      ...(column.unique === true ? { unique: true } : {}),
      ...(column.required === true ? { required: true } : {}),
      ...(column.default !== undefined ? { default: column.default } : {}),
      ...(column.references !== undefined
        ? {
            references: {
              table: column.references.table,
              column: column.references.column ?? 'id',
              on_delete: column.references.on_delete ?? 'no action',
            },
          }
        : {}),
      ...(column.secret === true ? { secret: true } : {}),
    })),
    indexes: (table.indexes ?? []).map((index) => ({
      columns: [...index.columns],
      ...(index.unique === true ? { unique: true } : {}),
    })),
    ...(table.access !== undefined ? { access: { ...table.access } } : {}),
  }
}

/** The draft as the `wanted` tables of `planChanges`. */
export function wantedTables(draft: Draft): TableDefinitionInput[] {
  return draft.tables.map((table) => ({
    name: table.name,
    columns: table.columns.map(({ key: _key, from: _from, ...column }) => column),
    ...(table.indexes.length > 0 ? { indexes: table.indexes } : {}),
    ...(table.access !== undefined && hasAccess(table.access) ? { access: table.access } : {}),
  }))
}

function hasAccess(access: AccessDefinition): boolean {
  return (
    ACCESS_OPERATIONS.some((op) => access[op] !== undefined && access[op] !== 'nobody') ||
    access.owner_column !== undefined
  )
}

/** The renames the draft holds (tables and columns that came from the database under another name). */
export function draftRenames(draft: Draft): Pick<PlanOptions, 'renameTables' | 'renameColumns'> {
  const renameTables: Record<string, string> = {}
  const renameColumns: Record<string, Record<string, string>> = {}
  for (const table of draft.tables) {
    if (table.from === null) {
      continue
    }
    if (table.from !== table.name) {
      renameTables[table.from] = table.name
    }
    for (const column of table.columns) {
      if (column.from !== null && column.from !== column.name) {
        ;(renameColumns[table.name] ??= {})[column.from] = column.name
      }
    }
  }
  return {
    ...(Object.keys(renameTables).length > 0 ? { renameTables } : {}),
    ...(Object.keys(renameColumns).length > 0 ? { renameColumns } : {}),
  }
}

/**
 * A field error of the draft, at a path relative to the draft: `[tableIndex, 'columns', 2,
 * 'default']`, `[tableIndex, 'name']`, `[tableIndex, 'access', 'owner_column']`.
 */
export type DraftIssue = ValidationIssue

/**
 * The problems of the draft the engine would refuse, found without asking it: each table's
 * definition (zod shape and {@link tableDefinitionProblems}, the same validation `planChanges`
 * runs), duplicate table names, and references to tables or columns the draft does not have or
 * whose types differ. The engine's answer (its own issues) is merged in by the builder.
 */
export function draftProblems(draft: Draft): DraftIssue[] {
  const issues: DraftIssue[] = []
  const wanted = wantedTables(draft)
  const names = new Map<string, number>()
  wanted.forEach((table, t) => {
    const parsed = TableDefinition.safeParse(table)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({
          path: [t, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))],
          message: issue.message,
        })
      }
    } else {
      for (const issue of tableDefinitionProblems(parsed.data)) {
        issues.push({ path: [t, ...issue.path], message: issue.message })
      }
    }
    if (names.has(table.name)) {
      issues.push({ path: [t, 'name'], message: `duplicate table ${JSON.stringify(table.name)}` })
    } else {
      names.set(table.name, t)
    }
  })
  draft.tables.forEach((table, t) => {
    table.columns.forEach((column, c) => {
      const ref = column.references
      if (ref === undefined) {
        return
      }
      const target = draft.tables.find((other) => other.name === ref.table)
      if (target === undefined) {
        issues.push({
          path: [t, 'columns', c, 'references', 'table'],
          message: `referenced table ${JSON.stringify(ref.table)} does not exist`,
        })
        return
      }
      const targetColumn = target.columns.find((other) => other.name === ref.column)
      if (targetColumn === undefined) {
        issues.push({
          path: [t, 'columns', c, 'references', 'column'],
          message: `referenced column ${JSON.stringify(`${ref.table}.${ref.column}`)} does not exist`,
        })
        return
      }
      if (targetColumn.primary_key !== true && targetColumn.unique !== true) {
        issues.push({
          path: [t, 'columns', c, 'references', 'column'],
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
  return dedupeIssues(issues)
}

function dedupeIssues(issues: DraftIssue[]): DraftIssue[] {
  const seen = new Set<string>()
  return issues.filter((issue) => {
    const key = `${issue.path.join('.')}\u0000${issue.message}`
    if (seen.has(key)) {
      return false
    }
    seen.add(key)
    return true
  })
}

/** The issues at `path` exactly (e.g. `[0, 'columns', 1, 'name']`). */
export function issuesAt(
  issues: readonly DraftIssue[],
  path: readonly (string | number)[],
): DraftIssue[] {
  return issues.filter(
    (issue) => issue.path.length === path.length && issue.path.every((part, i) => part === path[i]),
  )
}

/** The issues at `path` or below it. */
export function issuesUnder(
  issues: readonly DraftIssue[],
  path: readonly (string | number)[],
): DraftIssue[] {
  return issues.filter(
    (issue) => issue.path.length >= path.length && path.every((part, i) => issue.path[i] === part),
  )
}

/* ---- Defaults: what the default box shows, and what it means ---- */

/** The allow-listed default functions that fit a column of `type`. */
export function defaultFunctionsFor(type: ColumnType): string[] {
  return Object.entries(DEFAULT_FUNCTIONS)
    .filter(([, types]) => (types as readonly string[]).includes(type))
    .map(([name]) => name)
}

/** A default as the default box writes it: `''` for none, JSON for objects and arrays. */
export function formatDefault(value: ColumnDefault | undefined): string {
  if (value === undefined || value === null) {
    return ''
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/**
 * What the default box's text means for a column of `type`: `undefined` for an empty box, an
 * allow-listed function by its name, else a literal of the type (a number for number types when
 * the text is one, `true`/`false` for booleans, parsed JSON for jsonb). Text the type cannot
 * hold stays text, so the validation names the problem instead of it being silently dropped.
 */
export function parseDefault(type: ColumnType, text: string): ColumnDefault | undefined {
  if (text.trim() === '') {
    return undefined
  }
  if (type !== 'text' && type !== 'jsonb' && toDefaultFunction(text) !== undefined) {
    return toDefaultFunction(text)
  }
  switch (type) {
    case 'integer':
    case 'double':
    case 'numeric':
    case 'bigint': {
      const number = Number(text.trim())
      // Big integers and exact decimals stay strings: a number would lose digits.
      if (
        Number.isFinite(number) &&
        (type === 'integer' ||
          type === 'double' ||
          Number.isSafeInteger(number) ||
          String(number) === text.trim())
      ) {
        return number
      }
      return text.trim()
    }
    case 'boolean':
      return text.trim() === 'true' ? true : text.trim() === 'false' ? false : text.trim()
    case 'jsonb':
      try {
        return JSON.parse(text) as ColumnDefault
      } catch {
        return text
      }
    default:
      return text
  }
}

/* ---- History: undo and redo of unapplied edits ---- */

/** The draft with its undo/redo stacks. */
export interface DraftHistory {
  past: Draft[]
  present: Draft
  future: Draft[]
  /** The key of the last edit, so typing into one field is one undo step. */
  lastEdit: string | undefined
}

/** The most edits kept for undo. */
export const HISTORY_LIMIT = 200

/** A history that starts at `draft`, with nothing to undo. */
export function startHistory(draft: Draft): DraftHistory {
  return { past: [], present: draft, future: [], lastEdit: undefined }
}

/**
 * The history after an edit: `next` becomes the present; the present goes on the undo stack,
 * unless the edit continues the previous one (the same `coalesce` key, e.g. typing in one field).
 */
export function pushEdit(history: DraftHistory, next: Draft, coalesce?: string): DraftHistory {
  if (next === history.present) {
    return history
  }
  if (coalesce !== undefined && coalesce === history.lastEdit) {
    return { ...history, present: next, future: [] }
  }
  return {
    past: [...history.past, history.present].slice(-HISTORY_LIMIT),
    present: next,
    future: [],
    lastEdit: coalesce,
  }
}

/** The history one edit back, or the same history when there is nothing to undo. */
export function undo(history: DraftHistory): DraftHistory {
  const previous = history.past.at(-1)
  if (previous === undefined) {
    return history
  }
  return {
    past: history.past.slice(0, -1),
    present: previous,
    future: [history.present, ...history.future],
    lastEdit: undefined,
  }
}

/** The history one edit forward, or the same history when there is nothing to redo. */
export function redo(history: DraftHistory): DraftHistory {
  const next = history.future[0]
  if (next === undefined) {
    return history
  }
  return {
    past: [...history.past, history.present],
    present: next,
    future: history.future.slice(1),
    lastEdit: undefined,
  }
}

/* ---- Edits ---- */

/** The draft with table `key` replaced by `change(table)`. */
export function updateTable(
  draft: Draft,
  key: string,
  change: (table: DraftTable) => DraftTable,
): Draft {
  return { tables: draft.tables.map((table) => (table.key === key ? change(table) : table)) }
}

/** The table with column `key` replaced by `change(column)`. */
export function updateColumn(
  table: DraftTable,
  key: string,
  change: (column: DraftColumn) => DraftColumn,
): DraftTable {
  return {
    ...table,
    columns: table.columns.map((column) => (column.key === key ? change(column) : column)),
  }
}

/**
 * Renames a table in the draft, and every reference to it from the draft's tables follows (as
 * the engine's rename does in the database).
 */
export function renameTable(draft: Draft, key: string, name: string): Draft {
  const old = draft.tables.find((table) => table.key === key)
  if (old === undefined) {
    return draft
  }
  return {
    tables: draft.tables.map((table) => ({
      ...(table.key === key ? { ...table, name } : table),
      columns: table.columns.map((column) =>
        column.references?.table === old.name
          ? { ...column, references: { ...column.references, table: name } }
          : column,
      ),
    })),
  }
}

/** Renames a column; references to it, its indexes and an owner rule on it follow. */
export function renameColumn(
  draft: Draft,
  tableKey: string,
  columnKey: string,
  name: string,
): Draft {
  const table = draft.tables.find((t) => t.key === tableKey)
  const column = table?.columns.find((c) => c.key === columnKey)
  if (table === undefined || column === undefined) {
    return draft
  }
  const old = column.name
  return {
    tables: draft.tables.map((t) => {
      const columns = t.columns.map((c) => {
        const renamed = t.key === tableKey && c.key === columnKey ? { ...c, name } : c
        return renamed.references?.table === table.name && renamed.references.column === old
          ? { ...renamed, references: { ...renamed.references, column: name } }
          : renamed
      })
      if (t.key !== tableKey) {
        return { ...t, columns }
      }
      return {
        ...t,
        columns,
        indexes: t.indexes.map((index) => ({
          ...index,
          columns: index.columns.map((c) => (c === old ? name : c)),
        })),
        ...(t.access?.owner_column === old ? { access: { ...t.access, owner_column: name } } : {}),
      }
    }),
  }
}

/** Moves the column `key` to position `to` (clamped). */
export function moveColumn(table: DraftTable, key: string, to: number): DraftTable {
  const from = table.columns.findIndex((column) => column.key === key)
  if (from < 0) {
    return table
  }
  const target = Math.max(0, Math.min(table.columns.length - 1, to))
  if (target === from) {
    return table
  }
  const columns = [...table.columns]
  const [moved] = columns.splice(from, 1)
  columns.splice(target, 0, moved!)
  return { ...table, columns }
}

/** Removes a column, with the indexes and owner rule that named it. */
export function removeColumn(table: DraftTable, key: string): DraftTable {
  const column = table.columns.find((c) => c.key === key)
  if (column === undefined) {
    return table
  }
  const access = table.access
  return {
    ...table,
    columns: table.columns.filter((c) => c.key !== key),
    indexes: table.indexes
      .map((index) => ({ ...index, columns: index.columns.filter((c) => c !== column.name) }))
      .filter((index) => index.columns.length > 0),
    ...(access?.owner_column === column.name ? { access: withoutOwner(access) } : {}),
  }
}

function withoutOwner(access: AccessDefinition): AccessDefinition {
  const { owner_column: _owner, ...rest } = access
  for (const op of ACCESS_OPERATIONS) {
    if (rest[op] === 'owner') {
      delete rest[op]
    }
  }
  return rest
}

/** A name `base`, `base_2`, `base_3`... that none of `taken` has. */
export function freeName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) {
    return base
  }
  for (let i = 2; ; i += 1) {
    const name = `${base}_${i}`
    if (!taken.includes(name)) {
      return name
    }
  }
}

/** A new table with a uuid primary key and a creation time, named freely. */
export function newTable(draft: Draft): DraftTable {
  return draftTable(
    {
      name: freeName(
        'new_table',
        draft.tables.map((table) => table.name),
      ),
      columns: [
        { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
        { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
      ],
    },
    false,
  )
}

/** A new optional text column, named freely. */
export function newColumn(table: DraftTable): DraftColumn {
  return {
    key: newKey('c'),
    from: null,
    name: freeName(
      'new_column',
      table.columns.map((c) => c.name),
    ),
    type: 'text',
  }
}

/**
 * The draft after an AI answer or a template: `tables` are the wanted tables; `changes` the steps
 * from the draft to them (its renames are how a drafted table or column is recognised under its
 * new name). Tables and columns found keep their key and their database name, so renames stay
 * renames; the others are new.
 */
export function mergeProposal(
  draft: Draft,
  tables: readonly TableDefinitionInput[],
  changes: readonly WirePlanStep[] = [],
): Draft {
  const tableRenames = new Map<string, string>()
  const columnRenames = new Map<string, Map<string, string>>()
  for (const step of changes) {
    if (
      step.kind === 'rename_table' &&
      typeof step.table === 'string' &&
      typeof step.to === 'string'
    ) {
      tableRenames.set(step.to, step.table)
    }
  }
  for (const step of changes) {
    if (
      step.kind === 'rename_column' &&
      typeof step.table === 'string' &&
      typeof step.column === 'string' &&
      typeof step.to === 'string'
    ) {
      // The step names the table as it is after the table renames.
      let map = columnRenames.get(step.table)
      if (map === undefined) {
        map = new Map()
        columnRenames.set(step.table, map)
      }
      map.set(step.to, step.column)
    }
  }
  return {
    tables: tables.map((table) => {
      const previousName = tableRenames.get(table.name) ?? table.name
      const old = draft.tables.find((t) => t.name === previousName)
      const fresh = draftTable(table, false)
      if (old === undefined) {
        return fresh
      }
      const renamedColumns = columnRenames.get(table.name) ?? columnRenames.get(previousName)
      return {
        ...fresh,
        key: old.key,
        from: old.from,
        columns: fresh.columns.map((column) => {
          const was = old.columns.find(
            (c) => c.name === (renamedColumns?.get(column.name) ?? column.name),
          )
          return was === undefined ? column : { ...column, key: was.key, from: was.from }
        }),
      }
    }),
  }
}

/** Adds a template's tables to the draft; a table whose name the draft has already is skipped. */
export function addTemplateTables(
  draft: Draft,
  tables: readonly TableDefinitionInput[],
): { draft: Draft; skipped: string[] } {
  const skipped: string[] = []
  const added: DraftTable[] = []
  for (const table of tables) {
    if (
      draft.tables.some((t) => t.name === table.name) ||
      added.some((t) => t.name === table.name)
    ) {
      skipped.push(table.name)
    } else {
      added.push(draftTable(table, false))
    }
  }
  return { draft: { tables: [...draft.tables, ...added] }, skipped }
}

/** Whether two drafts want the same tables (same definitions and renames). */
export function sameDraft(a: Draft, b: Draft): boolean {
  return (
    JSON.stringify(wantedTables(a)) === JSON.stringify(wantedTables(b)) &&
    JSON.stringify(draftRenames(a)) === JSON.stringify(draftRenames(b))
  )
}
