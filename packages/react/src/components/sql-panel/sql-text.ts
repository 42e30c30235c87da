// Pure helpers of the SQLPanel (no CodeMirror, no DOM): write detection, error ranges, exports,
// and the per-database history and snippets kept in host storage.
import type { SQLStatementResult } from '@basebox/client'

/** Where the SQLPanel keeps its history and snippets: any `localStorage`-like object. */
export interface SQLPanelStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

/** One run remembered in the history. */
export interface SQLHistoryEntry {
  sql: string
  /** ISO 8601 time of the run. */
  at: string
  /** `'ok'`, `'error'`, `'cancelled'` or `'dry-run'`. */
  outcome: 'ok' | 'error' | 'cancelled' | 'dry-run'
  durationMs?: number
}

/** A saved snippet. */
export interface SQLSnippet {
  name: string
  sql: string
}

/** The most runs the history keeps per database (newest first). */
export const SQL_HISTORY_LIMIT = 50

/** The browser's `localStorage` when there is one (not on the server, not when blocked). */
export function defaultSQLStorage(): SQLPanelStorage | undefined {
  try {
    return typeof window !== 'undefined' && window.localStorage !== undefined
      ? window.localStorage
      : undefined
  } catch {
    return undefined
  }
}

/** The storage keys of a database's history and snippets. */
export function sqlStorageKeys(databaseId: string): { history: string; snippets: string } {
  return {
    history: `basebox:sql-history:${databaseId}`,
    snippets: `basebox:sql-snippets:${databaseId}`,
  }
}

function readArray(storage: SQLPanelStorage | undefined, key: string): unknown[] {
  if (storage === undefined) {
    return []
  }
  try {
    const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]')
    return Array.isArray(parsed) ? parsed : []
  } catch {
    return []
  }
}

function writeArray(storage: SQLPanelStorage | undefined, key: string, value: unknown[]): void {
  try {
    storage?.setItem(key, JSON.stringify(value))
  } catch {
    // A full or blocked storage keeps what it had: the panel works without it.
  }
}

/** The remembered runs of a database, newest first; anything unreadable is left out. */
export function readHistory(
  storage: SQLPanelStorage | undefined,
  databaseId: string,
): SQLHistoryEntry[] {
  return readArray(storage, sqlStorageKeys(databaseId).history).filter(
    (e): e is SQLHistoryEntry =>
      typeof e === 'object' &&
      e !== null &&
      typeof (e as SQLHistoryEntry).sql === 'string' &&
      typeof (e as SQLHistoryEntry).at === 'string',
  )
}

/** Adds a run to the front of a database's history (at most {@link SQL_HISTORY_LIMIT}); returns the new list. */
export function addHistory(
  storage: SQLPanelStorage | undefined,
  databaseId: string,
  entry: SQLHistoryEntry,
): SQLHistoryEntry[] {
  const next = [entry, ...readHistory(storage, databaseId)].slice(0, SQL_HISTORY_LIMIT)
  writeArray(storage, sqlStorageKeys(databaseId).history, next)
  return next
}

/** The saved snippets of a database, in name order. */
export function readSnippets(
  storage: SQLPanelStorage | undefined,
  databaseId: string,
): SQLSnippet[] {
  return readArray(storage, sqlStorageKeys(databaseId).snippets)
    .filter(
      (s): s is SQLSnippet =>
        typeof s === 'object' &&
        s !== null &&
        typeof (s as SQLSnippet).name === 'string' &&
        typeof (s as SQLSnippet).sql === 'string',
    )
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** Saves (or replaces, by name) a snippet; returns the new list. */
export function saveSnippet(
  storage: SQLPanelStorage | undefined,
  databaseId: string,
  snippet: SQLSnippet,
): SQLSnippet[] {
  const next = [
    ...readSnippets(storage, databaseId).filter((s) => s.name !== snippet.name),
    snippet,
  ].sort((a, b) => a.name.localeCompare(b.name))
  writeArray(storage, sqlStorageKeys(databaseId).snippets, next)
  return next
}

/** Removes a snippet by name; returns the new list. */
export function removeSnippet(
  storage: SQLPanelStorage | undefined,
  databaseId: string,
  name: string,
): SQLSnippet[] {
  const next = readSnippets(storage, databaseId).filter((s) => s.name !== name)
  writeArray(storage, sqlStorageKeys(databaseId).snippets, next)
  return next
}

/** The text with comments, string literals, dollar quotes and quoted identifiers blanked out. */
export function codeOnly(text: string): string {
  return text.replace(
    /--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'?|"(?:[^"]|"")*"?|\$([A-Za-z_]\w*)?\$[\s\S]*?(?:\$\1\$|$)/g,
    (match) => match.replace(/[^\n]/g, ' '),
  )
}

const WRITE_WORDS =
  /\b(insert|update|delete|merge|truncate|create|alter|drop|grant|revoke|comment|call|do|copy|lock|refresh|reindex|cluster|vacuum|security\s+label|select\b[\s\S]*?\binto)\b/i

/**
 * Whether an SQL text looks like it writes (INSERT, UPDATE, DELETE, MERGE, TRUNCATE, DDL, CALL,
 * DO, SELECT INTO...), outside comments and quotes. A function that writes from a plain SELECT
 * is not seen here: the panel runs unmarked SQL read-only, so Postgres itself catches those.
 */
export function looksLikeWrite(text: string): boolean {
  return WRITE_WORDS.test(codeOnly(text))
}

/**
 * The range to underline for an error Postgres reports at a 1-based character `position` of
 * the text run, which started at `offset` in the editor: from that character to the end of its
 * word (at least one character), inside `[0, length]`.
 */
export function errorRange(
  doc: string,
  offset: number,
  position: number,
): { from: number; to: number } {
  const from = Math.min(Math.max(0, offset + position - 1), doc.length)
  let to = from
  while (to < doc.length && /[\w$."]/.test(doc[to]!)) {
    to++
  }
  if (to === from) {
    to = Math.min(doc.length, from + 1)
  }
  return { from: to === from && from > 0 ? from - 1 : from, to }
}

function csvField(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value)
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** A result as CSV (RFC 4180: a header row, CRLF line ends; NULL is an empty field, JSON values as JSON). */
export function resultToCSV(result: Pick<SQLStatementResult, 'columns' | 'rows'>): string {
  const lines = [
    result.columns.map((c) => csvField(c.name)),
    ...result.rows.map((row) => row.map(csvField)),
  ]
  return lines.map((fields) => fields.join(',')).join('\r\n') + '\r\n'
}

/**
 * A result as JSON: an array of objects by column name. A repeated column name gets a suffix
 * (`n`, `n_2`) so no value is lost.
 */
export function resultToJSON(result: Pick<SQLStatementResult, 'columns' | 'rows'>): string {
  const seen = new Map<string, number>()
  const names = result.columns.map((c) => {
    const count = (seen.get(c.name) ?? 0) + 1
    seen.set(c.name, count)
    return count === 1 ? c.name : `${c.name}_${count}`
  })
  return JSON.stringify(
    result.rows.map((row) => Object.fromEntries(names.map((name, i) => [name, row[i] ?? null]))),
    null,
    2,
  )
}
