/** One CSV field: JSON for objects and arrays, empty for null, quoted when it must be. */
function field(value: unknown): string {
  if (value === null || value === undefined) {
    return ''
  }
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text
}

/** Rows as CSV with a header line, the way PostgREST answers `Accept: text/csv`. */
export function toCSV(labels: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const header = labels.map(field).join(',')
  return [header, ...rows.map((row) => labels.map((label) => field(row[label])).join(','))].join(
    '\n',
  )
}
