'use client'
import { parseInput, type ParsedInput } from '../../values/values.js'
import type { CellEditorProps } from './types.js'
import { ErrorText } from './error-text.js'
import { errorId, useTextDraft } from './shared.js'

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/**
 * The `datetime-local` text (`2024-01-31T14:30`, seconds when not zero) of an instant in the
 * viewer's time zone, or `''` for `null` or an unreadable value.
 */
export function toLocalDateTimeInput(value: unknown): string {
  if (typeof value !== 'string' && !(value instanceof Date)) {
    return ''
  }
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) {
    return ''
  }
  const base = `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
  const seconds = date.getSeconds()
  const ms = date.getMilliseconds()
  return seconds === 0 && ms === 0
    ? base
    : `${base}:${pad(seconds)}${ms === 0 ? '' : `.${pad(ms, 3)}`}`
}

/** The viewer's time zone as a short name (`CET`, `GMT+2`), for `date`, or the IANA name. */
export function viewerTimeZoneName(date: Date = new Date()): string {
  const part = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')
  return part?.value ?? Intl.DateTimeFormat().resolvedOptions().timeZone
}

/** The editor of a `date` column: `<input type="date">`, committing `YYYY-MM-DD`. */
export function DateEditor(props: CellEditorProps) {
  const { id, variant, readOnly, column } = props
  const draft = useTextDraft(props, {
    toText: (v) => (typeof v === 'string' ? v.slice(0, 10) : ''),
  })
  const describedBy = errorId(id ?? `bb-${column.name}`)
  return (
    <div
      className="bb-editor bb-editor-date"
      data-slot="editor"
      data-variant={variant}
      data-invalid={draft.error ? '' : undefined}
      onBlur={draft.onBlur}
    >
      <input
        id={id}
        className="bb-input"
        type="date"
        autoFocus={variant === 'cell'}
        value={draft.text}
        readOnly={readOnly}
        aria-label={variant === 'cell' ? column.name : undefined}
        aria-invalid={draft.error ? true : undefined}
        aria-describedby={draft.error ? describedBy : undefined}
        aria-required={variant === 'field' ? column.required || undefined : undefined}
        onChange={(event) => draft.setText(event.target.value)}
        onKeyDown={draft.onKeyDown}
      />
      <ErrorText id={describedBy} message={draft.error} />
    </div>
  )
}

/**
 * The editor of a `timestamptz` column: `<input type="datetime-local">` in the viewer's time
 * zone (its name shown beside it), committing the ISO 8601 instant (`2024-01-31T13:30:00.000Z`).
 */
export function TimestampEditor(props: CellEditorProps) {
  const { id, variant, readOnly, column } = props
  const parse = (text: string): ParsedInput =>
    variant === 'field' && text.trim() === '' ? { ok: true, value: null } : parseInput(column, text)
  const draft = useTextDraft(props, { toText: toLocalDateTimeInput, parse })
  const describedBy = errorId(id ?? `bb-${column.name}`)
  const parsed = draft.text === '' ? undefined : new Date(draft.text)
  const zone = viewerTimeZoneName(parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined)
  return (
    <div
      className="bb-editor bb-editor-timestamp"
      data-slot="editor"
      data-variant={variant}
      data-invalid={draft.error ? '' : undefined}
      onBlur={draft.onBlur}
    >
      <input
        id={id}
        className="bb-input"
        type="datetime-local"
        step={1}
        autoFocus={variant === 'cell'}
        value={draft.text}
        readOnly={readOnly}
        aria-label={variant === 'cell' ? `${column.name} (${zone})` : undefined}
        aria-invalid={draft.error ? true : undefined}
        aria-describedby={draft.error ? describedBy : undefined}
        aria-required={variant === 'field' ? column.required || undefined : undefined}
        onChange={(event) => draft.setText(event.target.value)}
        onKeyDown={draft.onKeyDown}
      />
      <span className="bb-editor-zone bb-muted" data-slot="time-zone" title="Your time zone">
        {zone}
      </span>
      <ErrorText id={describedBy} message={draft.error} />
    </div>
  )
}
