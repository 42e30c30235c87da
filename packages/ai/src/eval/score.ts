import type { SchemaResult } from '../schema/schema-result.js'
import type { EvalCase } from './eval-cases.js'

/** The score of one evaluation case. */
export interface CaseScore {
  id: string
  /** The first answer was valid with no repair at all. */
  validWithoutRepair: boolean
  /** A valid result came back (after repairs and retries, if any). */
  validAfterRepair: boolean
  /** The result's plan applied to a fresh project database. */
  applies: boolean
  /** Every expected table (by one of its names) is in the result. */
  expectedTables: boolean
  /** Valid, applies, and has the expected tables. */
  correct: boolean
  missing: string[]
  attempts: number
  repairs: number
  tables: number
  ms: number
  error: string | undefined
}

/** Whether `names` holds one of `alternatives`, allowing a singular or plural form. */
function hasTable(names: readonly string[], alternatives: readonly string[]): boolean {
  const forms = (name: string) => [
    name,
    `${name}s`,
    name.replace(/s$/, ''),
    name.replace(/ies$/, 'y'),
  ]
  return alternatives.some((alt) =>
    names.some((name) => forms(alt).includes(name) || forms(name).includes(alt)),
  )
}

/** Scores one case from its result (or failure) and what applying it did. */
export function scoreCase(
  evalCase: EvalCase,
  result: SchemaResult | undefined,
  error: string | undefined,
  ms: number,
): CaseScore {
  const names = result?.tables.map((t) => t.name) ?? []
  const missing = evalCase.expected
    .filter((alternatives) => !hasTable(names, alternatives))
    .map((a) => a[0]!)
  const validAfterRepair = result !== undefined
  const applies = validAfterRepair && error === undefined
  const expectedTables = validAfterRepair && missing.length === 0
  return {
    id: evalCase.id,
    validWithoutRepair:
      result !== undefined && result.attempts === 1 && result.repairs.length === 0,
    validAfterRepair,
    applies,
    expectedTables,
    correct: applies && expectedTables,
    missing,
    attempts: result?.attempts ?? 0,
    repairs: result?.repairs.length ?? 0,
    tables: names.length,
    ms,
    error,
  }
}

function percent(count: number, total: number): string {
  return total === 0 ? 'n/a' : `${((100 * count) / total).toFixed(1)}% (${count}/${total})`
}

/** The table of all scores, and the rates. */
export function summarize(scores: readonly CaseScore[]): {
  table: string
  rates: Record<
    'validWithoutRepair' | 'validAfterRepair' | 'applies' | 'expectedTables' | 'correct',
    string
  >
  correctRate: number
} {
  const mark = (value: boolean) => (value ? 'yes' : '-')
  const header = [
    'case',
    'no repair',
    'after repair',
    'applies',
    'expected',
    'attempts',
    'repairs',
    'tables',
    'seconds',
  ]
  const rows = scores.map((s) => [
    s.id,
    mark(s.validWithoutRepair),
    mark(s.validAfterRepair),
    mark(s.applies),
    mark(s.expectedTables),
    String(s.attempts),
    String(s.repairs),
    String(s.tables),
    (s.ms / 1000).toFixed(1),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')
  const table = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
  const count = (
    key: 'validWithoutRepair' | 'validAfterRepair' | 'applies' | 'expectedTables' | 'correct',
  ) => percent(scores.filter((s) => s[key]).length, scores.length)
  return {
    table,
    rates: {
      validWithoutRepair: count('validWithoutRepair'),
      validAfterRepair: count('validAfterRepair'),
      applies: count('applies'),
      expectedTables: count('expectedTables'),
      correct: count('correct'),
    },
    correctRate: scores.length === 0 ? 0 : scores.filter((s) => s.correct).length / scores.length,
  }
}
