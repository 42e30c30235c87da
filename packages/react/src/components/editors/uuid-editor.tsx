'use client'
import type { CellEditorProps } from './types.js'
import { ErrorText } from './error-text.js'
import { errorId, useTextDraft } from './shared.js'

function randomUUID(): string | undefined {
  return typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : undefined
}

/** The editor of a `uuid` column: an input checked as a UUID, and a button that generates one. */
export function UUIDEditor(props: CellEditorProps) {
  const { id, variant, readOnly, column } = props
  const draft = useTextDraft(props)
  const describedBy = errorId(id ?? `bb-${column.name}`)
  const canGenerate = typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
  return (
    <div
      className="bb-editor bb-editor-uuid"
      data-slot="editor"
      data-variant={variant}
      data-invalid={draft.error ? '' : undefined}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) {
          draft.onBlur(event)
        }
      }}
    >
      <input
        id={id}
        className="bb-input bb-mono"
        autoComplete="off"
        spellCheck={false}
        autoFocus={variant === 'cell'}
        value={draft.text}
        readOnly={readOnly}
        placeholder="00000000-0000-0000-0000-000000000000"
        aria-label={variant === 'cell' ? column.name : undefined}
        aria-invalid={draft.error ? true : undefined}
        aria-describedby={draft.error ? describedBy : undefined}
        aria-required={variant === 'field' ? column.required || undefined : undefined}
        onChange={(event) => draft.setText(event.target.value)}
        onKeyDown={draft.onKeyDown}
      />
      {canGenerate && !readOnly ? (
        <button
          type="button"
          className="bb-editor-button"
          title="Generate a random UUID"
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => {
            const next = randomUUID()
            if (next !== undefined) {
              draft.setText(next)
            }
          }}
        >
          generate
        </button>
      ) : null}
      <ErrorText id={describedBy} message={draft.error} />
    </div>
  )
}
