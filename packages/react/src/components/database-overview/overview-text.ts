// The DatabaseOverview's words: audit log entries said in words, times said relative to now, and
// the supabase-js snippet for a database. Pure, no React.
import type { AuditLogEntry, WirePlanStep } from '@basebox/client'
import { describeStep } from '../schema-builder/plan-steps.js'

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`

/** What an audit log entry's action did, in words (`ran SQL`, `changed the schema: …`). @internal */
export function describeActivity(entry: Pick<AuditLogEntry, 'action' | 'details'>): string {
  const details = entry.details
  switch (entry.action) {
    case 'database.create':
      return 'created the database'
    case 'schema.apply': {
      const steps = Array.isArray(details.steps) ? (details.steps as WirePlanStep[]) : []
      if (steps.length === 0) {
        return 'changed the schema'
      }
      const first = describeStep(steps[0]!)
      return `changed the schema: ${first.charAt(0).toLowerCase()}${first.slice(1)}${steps.length > 1 ? ` and ${plural(steps.length - 1, 'more step')}` : ''}`
    }
    case 'sql.run': {
      const text = typeof details.text === 'string' ? details.text.replace(/\s+/g, ' ').trim() : ''
      const shown = text.length > 60 ? `${text.slice(0, 59)}…` : text
      const failed =
        typeof details.outcome === 'string' && details.outcome !== 'ok'
          ? ` (failed: ${details.outcome})`
          : ''
      return `ran ${details.read_only === true ? 'read-only ' : ''}SQL${shown === '' ? '' : `: ${shown}`}${failed}`
    }
    case 'data.export':
      return `exported the data${typeof details.format === 'string' ? ` as ${details.format.toUpperCase()}` : ''}`
    case 'data.import': {
      const tables = Array.isArray(details.tables) ? details.tables.length : 0
      return tables > 0 ? `imported data into ${plural(tables, 'table')}` : 'imported data'
    }
    case 'keys.create':
      return `created an API key${typeof details.name === 'string' ? ` "${details.name}"` : ''}`
    case 'keys.revoke':
      return 'revoked an API key'
    default:
      return entry.action
  }
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
]

/** `iso` relative to `now`, in words: `just now`, `5 minutes ago`, `yesterday`. @internal */
export function timeAgo(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000)
  if (!Number.isFinite(seconds)) {
    return iso
  }
  if (Math.abs(seconds) < 45) {
    return 'just now'
  }
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return format.format(-Math.round(seconds / size), unit)
    }
  }
  return format.format(-Math.round(seconds / 60), 'minute')
}

/** A JavaScript string literal in single quotes. */
const quote = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`

/** The supabase-js snippet for a database: the client, and a select on `table`. @internal */
export function supabaseSnippet(
  apiURL: string | undefined,
  anonKey: string | undefined,
  table: string | undefined,
): string {
  return [
    "import { createClient } from '@supabase/supabase-js'",
    '',
    `const supabase = createClient(${quote(apiURL ?? 'YOUR_DATA_API_URL')}, ${quote(anonKey ?? 'YOUR_ANON_KEY')})`,
    '',
    table === undefined
      ? '// Create a table first, then: await supabase.from(table).select()'
      : `const { data, error } = await supabase.from(${quote(table)}).select('*').limit(10)`,
  ].join('\n')
}
