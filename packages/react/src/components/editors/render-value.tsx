'use client'
import type { ColumnDefinition } from '@basebox/client'
import type { ReactNode } from 'react'
import { formatValue } from '../../values/values.js'
import { viewerTimeZoneName } from './date-editor.js'

/**
 * The text of a `timestamptz` value in the viewer's time zone with the zone named
 * (`2024-01-31 14:30:00 CET`), or the value itself when it is not a readable instant.
 */
export function formatTimestamp(value: unknown): string {
  if (typeof value !== 'string') {
    return value === null || value === undefined ? '' : String(value)
  }
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) {
    return value
  }
  const pad = (n: number) => String(n).padStart(2, '0')
  const ms = date.getMilliseconds()
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`}`
  return `${String(date.getFullYear()).padStart(4, '0')}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time} ${viewerTimeZoneName(date)}`
}

/**
 * A stored value for read-only display: booleans as a check (✓ or ✗), timestamps in the viewer's
 * time zone with the zone shown (the ISO instant in `title`), JSON compact, `null` as a muted
 * "NULL", secrets never (a secret column shows "••••").
 */
export function renderValue(
  column: Pick<ColumnDefinition, 'type' | 'secret'>,
  value: unknown,
): ReactNode {
  if (column.secret === true) {
    return (
      <span className="bb-value bb-value-secret bb-muted" data-slot="value" data-type="secret">
        ••••
      </span>
    )
  }
  if (value === null || value === undefined) {
    return (
      <span className="bb-value bb-value-null" data-slot="value" data-state="null">
        NULL
      </span>
    )
  }
  switch (column.type) {
    case 'boolean':
      return (
        <span
          className="bb-value bb-value-boolean"
          data-slot="value"
          data-type="boolean"
          data-state={value === true ? 'checked' : 'unchecked'}
          aria-label={value === true ? 'true' : 'false'}
          role="img"
        >
          {value === true ? '✓' : '✗'}
        </span>
      )
    case 'timestamptz':
      return (
        <span
          className="bb-value bb-value-timestamp"
          data-slot="value"
          data-type="timestamptz"
          title={String(value)}
        >
          {formatTimestamp(value)}
        </span>
      )
    case 'jsonb':
      return (
        <span className="bb-value bb-value-json bb-mono" data-slot="value" data-type="jsonb">
          {formatValue(column, value)}
        </span>
      )
    case 'integer':
    case 'bigint':
    case 'numeric':
    case 'double':
      return (
        <span className="bb-value bb-value-number" data-slot="value" data-type={column.type}>
          {formatValue(column, value)}
        </span>
      )
    case 'uuid':
      return (
        <span className="bb-value bb-value-uuid bb-mono" data-slot="value" data-type="uuid">
          {formatValue(column, value)}
        </span>
      )
    default:
      return (
        <span className="bb-value" data-slot="value" data-type={column.type}>
          {formatValue(column, value)}
        </span>
      )
  }
}
