/**
 * A column as the repairs see it: the shape of a `ColumnDefinition`, with values not yet checked.
 * @internal
 */
export interface ColumnDraft {
  name: string
  type: string
  primary_key?: boolean
  unique?: boolean
  required?: boolean
  default?: unknown
  references?: { table: string; column?: string; on_delete?: string }
  secret?: boolean
}

/** An index as the repairs see it. @internal */
export interface IndexDraft {
  columns: string[]
  unique?: boolean
}

/** A table as the repairs see it: the shape of a `TableDefinition`, not yet validated. @internal */
export interface TableDraft {
  name: string
  columns: ColumnDraft[]
  indexes?: IndexDraft[]
  /** Who may read and write rows (checked by the client schema, not here). */
  access?: Record<string, unknown>
}

/** A deep copy of a draft (drafts are plain JSON). @internal */
export function cloneDraft<T>(value: T): T {
  return structuredClone(value)
}

/** Whether two drafts (or definitions) are the same JSON. @internal */
export function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** Whether `value` is a plain object (not an array, not null). @internal */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
