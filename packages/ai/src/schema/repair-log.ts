import type { ValidationIssue } from '@basebox/client'

/** The kinds of safe repair made to a model's output. */
export const REPAIR_KINDS = [
  'format',
  'name',
  'reserved_word',
  'duplicate',
  'type',
  'default',
  'primary_key',
  'timestamps',
  'reference',
  'index',
  'secret',
  'unknown_field',
] as const

/** One of {@link REPAIR_KINDS}. */
export type RepairKind = (typeof REPAIR_KINDS)[number]

/** One safe, obvious fix made to the model's output before validation. */
export interface SchemaRepair {
  /** What kind of fix it was. */
  kind: RepairKind
  /** The table it concerns (its name after the fix), or `''` for the output as a whole. */
  table: string
  /** The column it concerns (its name after the fix), when it concerns one. */
  column?: string
  /** What was changed, in one sentence. */
  message: string
}

/**
 * Collects what one pass over a model's output did: the repairs, the warnings (things left as
 * they are but worth a look) and the issues that no safe repair can fix.
 * @internal
 */
export class RepairLog {
  readonly repairs: SchemaRepair[] = []
  readonly warnings: string[] = []
  readonly issues: ValidationIssue[] = []

  repair(kind: RepairKind, table: string, column: string | undefined, message: string): void {
    this.repairs.push(
      column === undefined ? { kind, table, message } : { kind, table, column, message },
    )
  }

  warn(message: string): void {
    if (!this.warnings.includes(message)) {
      this.warnings.push(message)
    }
  }

  issue(path: (string | number)[], message: string): void {
    this.issues.push({ path, message })
  }
}

/** `"posts"` or `"posts.title"`, JSON-quoted, for messages. */
export function where(table: string, column?: string): string {
  return JSON.stringify(column === undefined ? table : `${table}.${column}`)
}
