'use client'
import type { CellEditorProps } from './types.js'
import { ErrorText } from './error-text.js'
import { errorId, useTextDraft } from './shared.js'

/**
 * The editor of an `integer`, `bigint`, `numeric` or `double` column: a text input (so `1.234,5`
 * and `1,234.5` both read as 1234.5 through `parseInput`), with the error shown when the text is
 * not a number and nothing committed.
 */
export function NumberEditor(props: CellEditorProps) {
  const { id, variant, readOnly, column } = props
  const draft = useTextDraft(props)
  const whole = column.type === 'integer' || column.type === 'bigint'
  const describedBy = errorId(id ?? `bb-${column.name}`)
  return (
    <div
      className="bb-editor bb-editor-number"
      data-slot="editor"
      data-variant={variant}
      data-invalid={draft.error ? '' : undefined}
      onBlur={draft.onBlur}
    >
      <input
        id={id}
        className="bb-input"
        type="text"
        inputMode={whole ? 'numeric' : 'decimal'}
        autoComplete="off"
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
