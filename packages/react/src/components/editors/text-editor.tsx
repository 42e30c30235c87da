'use client'
import { Popover } from 'radix-ui'
import { useRef, useState } from 'react'
import type { CellEditorProps } from './types.js'
import { ErrorText } from './error-text.js'
import { cx, errorId, isInside, useTextDraft } from './shared.js'
import { usePortalTheme } from './theme-scope.js'

/**
 * The editor of a `text` column: one line in a cell, with a multi-line editor in a popover
 * (Shift+Enter or the expand button opens it, Ctrl/Cmd+Enter saves there); a growing text area
 * in a form.
 */
export function TextEditor(props: CellEditorProps) {
  const portalTheme = usePortalTheme()
  const { id, variant, readOnly, column } = props
  const draft = useTextDraft(props)
  const [open, setOpen] = useState(false)
  const [long, setLong] = useState('')
  const root = useRef<HTMLDivElement>(null)
  const content = useRef<HTMLDivElement>(null)
  const input = useRef<HTMLInputElement>(null)

  const openLong = () => {
    setLong(draft.text)
    setOpen(true)
  }
  const saveLong = () => {
    setOpen(false)
    if (variant === 'cell') {
      draft.commit('down', long)
    } else {
      draft.setText(long)
    }
  }

  if (variant === 'field') {
    const lines = Math.min(8, Math.max(2, draft.text.split('\n').length))
    return (
      <div
        className="bb-editor bb-editor-text"
        data-slot="editor"
        data-variant="field"
        data-invalid={draft.error ? '' : undefined}
      >
        <textarea
          id={id}
          className="bb-input bb-textarea"
          rows={lines}
          value={draft.text}
          readOnly={readOnly}
          aria-invalid={draft.error ? true : undefined}
          aria-describedby={draft.error ? errorId(id) : undefined}
          aria-required={column.required || undefined}
          onChange={(event) => draft.setText(event.target.value)}
        />
        <ErrorText id={errorId(id)} message={draft.error} />
      </div>
    )
  }

  return (
    <Popover.Root open={open} onOpenChange={(next) => (next ? openLong() : setOpen(false))}>
      <Popover.Anchor asChild>
        <div
          ref={root}
          className="bb-editor bb-editor-text"
          data-slot="editor"
          data-variant="cell"
          data-invalid={draft.error ? '' : undefined}
          onBlur={(event) => {
            if (!open && !isInside(event.relatedTarget, root.current, content.current)) {
              draft.onBlur(event)
            }
          }}
        >
          <input
            ref={input}
            id={id}
            className="bb-input"
            autoFocus
            value={draft.text}
            readOnly={readOnly}
            aria-label={column.name}
            aria-invalid={draft.error ? true : undefined}
            aria-describedby={draft.error ? errorId(id ?? `bb-${column.name}`) : undefined}
            onChange={(event) => draft.setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && event.shiftKey) {
                event.preventDefault()
                openLong()
                return
              }
              draft.onKeyDown(event)
            }}
          />
          <button
            type="button"
            className="bb-editor-button"
            aria-label="Edit as multi-line text"
            title="Edit as multi-line text (Shift+Enter)"
            tabIndex={-1}
            onMouseDown={(event) => event.preventDefault()}
            onClick={openLong}
          >
            ⤢
          </button>
          <ErrorText id={errorId(id ?? `bb-${column.name}`)} message={draft.error} />
        </div>
      </Popover.Anchor>
      <Popover.Portal>
        <Popover.Content
          {...portalTheme}
          ref={content}
          className={cx('bb-root', 'bb-popover', 'bb-editor-popover')}
          data-slot="editor-popover"
          align="start"
          sideOffset={4}
          onEscapeKeyDown={(event) => {
            event.preventDefault()
            setOpen(false)
            input.current?.focus()
          }}
          onCloseAutoFocus={(event) => {
            event.preventDefault()
            input.current?.focus()
          }}
        >
          <textarea
            className="bb-input bb-textarea"
            aria-label={`${column.name} (multi-line)`}
            autoFocus
            rows={6}
            value={long}
            onChange={(event) => setLong(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                event.preventDefault()
                saveLong()
              }
            }}
          />
          <div className="bb-editor-popover-actions">
            <span className="bb-muted">Ctrl+Enter to save</span>
            <button
              type="button"
              className="bb-button"
              onClick={() => {
                setOpen(false)
                input.current?.focus()
              }}
            >
              Cancel
            </button>
            <button type="button" className="bb-button" data-variant="primary" onClick={saveLong}>
              Save
            </button>
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}
