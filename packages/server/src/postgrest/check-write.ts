import type { TableDefinition } from '@basebox/client'
import { PostgrestError } from './errors.js'

/** How many rows of a write are checked before the first refusal. */
const MAX_CHECKED_ROWS = 10_000

/**
 * Refuses what PostgREST refuses in a written row before Postgres sees it, with PostgREST's code:
 * a key that is no column of the table is `PGRST204` (secret columns are not there for the data
 * API either), and `null` in a required column is `23502` with Postgres' message. The engine
 * would refuse both too, with Basebox's own `VALIDATION_FAILED`; this gives a Supabase client the
 * codes it knows.
 */
export function checkWrittenRows(table: TableDefinition | undefined, rows: unknown): void {
  if (table === undefined) {
    return
  }
  const list = (Array.isArray(rows) ? rows : [rows]).slice(0, MAX_CHECKED_ROWS)
  const columns = new Map(table.columns.map((c) => [c.name, c]))
  for (const row of list) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      continue
    }
    for (const [key, value] of Object.entries(row as Record<string, unknown>)) {
      const column = columns.get(key)
      if (column === undefined || column.secret === true) {
        throw new PostgrestError(400, 'PGRST204', `Could not find the '${key.slice(0, 63)}' column of '${table.name}' in the schema cache`)
      }
      if (value === null && (column.required === true || column.primary_key === true)) {
        throw new PostgrestError(400, '23502', `null value in column "${column.name}" of relation "${table.name}" violates not-null constraint`)
      }
    }
  }
}
