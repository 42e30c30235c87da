import type { ChangePlan } from '@basebox/core'
import type { TableDefinition, ValidationIssue } from '@basebox/client'
import { checkSchema } from './check-schema.js'
import { dedupeTable } from './complete-table.js'
import { linkReferences } from './link-references.js'
import { mergeProposal, type MergeMode } from './merge-proposal.js'
import { normalizeTable } from './normalize-table.js'
import { RepairLog, type SchemaRepair } from './repair-log.js'
import { readProposal } from './schema-output.js'
import type { TableDraft } from './table-draft.js'

/** A model's output that passed every check, after its repairs. @internal */
export interface EvaluatedProposal {
  tables: TableDefinition[]
  plan: ChangePlan
  repairs: SchemaRepair[]
  warnings: string[]
  notes: string | undefined
}

/** The outcome of {@link evaluateProposal}. @internal */
export type Evaluation =
  | { ok: true; value: EvaluatedProposal }
  | { ok: false; issues: ValidationIssue[]; repairs: SchemaRepair[]; warnings: string[] }

/** Folds tables the model listed twice into one (later columns and indexes added to the first). */
function foldRepeatedTables(drafts: TableDraft[], log: RepairLog): TableDraft[] {
  const out: TableDraft[] = []
  for (const draft of drafts) {
    const first = out.find((t) => t.name === draft.name)
    if (first === undefined) {
      out.push(draft)
      continue
    }
    log.repair(
      'duplicate',
      draft.name,
      undefined,
      `merged a second table "${draft.name}" into the first`,
    )
    for (const column of draft.columns) {
      if (!first.columns.some((c) => c.name === column.name)) {
        first.columns.push(column)
      }
    }
    if (draft.indexes !== undefined) {
      first.indexes = [...(first.indexes ?? []), ...draft.indexes]
    }
  }
  return out
}

/**
 * Runs one model output through the whole pipeline: lenient reading, safe repairs (names,
 * types, defaults, duplicates, keys, timestamps, references), merging over `base`, then the
 * real validation and the core's planner. Either a result, or the issues to send back.
 * @internal
 */
export function evaluateProposal(
  raw: unknown,
  base: readonly TableDefinition[],
  mode: MergeMode,
  log = new RepairLog(),
): Evaluation {
  const proposal = readProposal(raw, mode, log)
  const drafts = foldRepeatedTables(
    proposal.tables
      .map((table, i) => normalizeTable(table, i, log))
      .filter((table): table is TableDraft => table !== undefined),
    log,
  )
  for (const draft of drafts) {
    dedupeTable(draft, log)
  }
  const merged = mergeProposal(base, drafts, mode, proposal.changes, log)
  linkReferences(merged.tables, merged.isNew, log)
  if (
    drafts.length === 0 &&
    log.issues.length === 0 &&
    proposal.changes.dropTables.length +
      proposal.changes.renameTables.length +
      proposal.changes.renameColumns.length ===
      0
  ) {
    log.warn('the model proposed no tables')
  }
  if (log.issues.length > 0) {
    return { ok: false, issues: log.issues, repairs: log.repairs, warnings: log.warnings }
  }
  const check = checkSchema(base, merged.tables, merged)
  if (!check.ok) {
    return { ok: false, issues: check.issues, repairs: log.repairs, warnings: log.warnings }
  }
  return {
    ok: true,
    value: {
      tables: check.tables,
      plan: check.plan,
      repairs: log.repairs,
      warnings: log.warnings,
      notes: proposal.notes,
    },
  }
}
