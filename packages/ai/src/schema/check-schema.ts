import { databaseProblems, planChanges, type ChangePlan } from '@basebox/core'
import {
  isBaseboxError,
  TableDefinition,
  tableDefinitionProblems,
  normalizeTableDefinition,
  type ValidationIssue,
} from '@basebox/client'
import type { TableDraft } from './table-draft.js'

/** The outcome of {@link checkSchema}. @internal */
export type SchemaCheck =
  | { ok: true; tables: TableDefinition[]; plan: ChangePlan }
  | { ok: false; issues: ValidationIssue[] }

/** Writes an issue path of one table with names instead of positions: `posts.columns.title.type`. */
function tablePath(table: TableDraft, path: readonly (string | number)[]): (string | number)[] {
  const [first, second, ...rest] = path
  if (first === 'columns' && typeof second === 'number') {
    return ['tables', table.name, 'columns', table.columns[second]?.name ?? second, ...rest]
  }
  return ['tables', table.name, ...path]
}

/**
 * The last gate before a result: every table through the zod schema and the per-table checks of
 * `@basebox/client`, the whole database through `databaseProblems` of `@basebox/core` (references,
 * key types, duplicate names), then the core's planner from `base`. Only what passes all of them
 * becomes a result.
 * @internal
 */
export function checkSchema(
  base: readonly TableDefinition[],
  drafts: readonly TableDraft[],
  renames: {
    renameTables: Record<string, string>
    renameColumns: Record<string, Record<string, string>>
  },
): SchemaCheck {
  const issues: ValidationIssue[] = []
  const tables: TableDefinition[] = []
  for (const draft of drafts) {
    const parsed = TableDefinition.safeParse(draft)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({
          path: tablePath(
            draft,
            issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
          ),
          message: issue.message,
        })
      }
      continue
    }
    const table = normalizeTableDefinition(parsed.data)
    const problems = tableDefinitionProblems(table)
    for (const problem of problems) {
      issues.push({ path: tablePath(draft, problem.path), message: problem.message })
    }
    tables.push(table)
  }
  if (issues.length > 0) {
    return { ok: false, issues }
  }
  for (const problem of databaseProblems(tables)) {
    const [position, ...rest] = problem.path
    const table = typeof position === 'number' ? drafts[position] : undefined
    issues.push({
      path: table === undefined ? problem.path : tablePath(table, rest),
      message: problem.message,
    })
  }
  if (issues.length > 0) {
    return { ok: false, issues }
  }
  try {
    const plan = planChanges(base, tables, {
      ...(Object.keys(renames.renameTables).length > 0
        ? { renameTables: renames.renameTables }
        : {}),
      ...(Object.keys(renames.renameColumns).length > 0
        ? { renameColumns: renames.renameColumns }
        : {}),
    })
    return { ok: true, tables, plan }
  } catch (error) {
    if (!isBaseboxError(error)) {
      throw error
    }
    return { ok: false, issues: [{ path: [], message: error.message }] }
  }
}
