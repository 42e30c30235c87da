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
        throw new PostgrestError(
          400,
          'PGRST204',
          `Could not find the '${key.slice(0, 63)}' column of '${table.name}' in the schema cache`,
        )
      }
      if (value === null && (column.required === true || column.primary_key === true)) {
        throw new PostgrestError(
          400,
          '23502',
          `null value in column "${column.name}" of relation "${table.name}" violates not-null constraint`,
        )
      }
    }
  }
}

/** The `Prefer` preferences the data API honours; others are ignored, as PostgREST's lenient handling. */
const HONOURED_PREFERENCES = new Set(['return', 'count', 'resolution', 'handling', 'missing'])

/**
 * Refuses what the data API would otherwise silently not do: a schema other than `public`
 * (`Accept-Profile`/`Content-Profile`, 406 `PGRST106`), and under `Prefer: handling=strict` a
 * preference it does not honour, such as supabase-js's `maxAffected()` (`max-affected`, 400
 * `PGRST122`), which would otherwise let a write change more rows than the app allows.
 */
export function checkRequestOptions(
  request: { header(name: string): string | null },
  prefer: ReadonlyMap<string, string>,
): void {
  for (const name of ['accept-profile', 'content-profile']) {
    const schema = request.header(name)
    if (schema !== null && schema !== '' && schema !== 'public') {
      throw new PostgrestError(406, 'PGRST106', 'The schema must be one of the following: public')
    }
  }
  if (prefer.get('handling') === 'strict') {
    const refused = [...prefer.keys()].filter((key) => !HONOURED_PREFERENCES.has(key))
    if (refused.length > 0) {
      throw new PostgrestError(
        400,
        'PGRST122',
        `Invalid preferences given with handling=strict: ${refused.map((key) => `${key.slice(0, 40)}=${(prefer.get(key) ?? '').slice(0, 40)}`).join(', ')}`,
      )
    }
  }
}
