'use client'
import { Popover } from 'radix-ui'
import { useRef } from 'react'
import type { CellEditorProps } from './types.js'
import { ErrorText } from './error-text.js'
import { cx, errorId, useTextDraft } from './shared.js'
import { usePortalTheme } from './theme-scope.js'

const pretty = (value: unknown) =>
  value === undefined || value === null ? '' : JSON.stringify(value, null, 2)

/**
 * The editor of a `jsonb` column: a text area checked as JSON as you type, with the parse error
 * shown. In a cell it opens in a popover: Ctrl/Cmd+Enter saves and moves down, Escape cancels.
 * An empty text is SQL `NULL` (write `null` for the JSON null).
 */
export function JSONEditor(props: CellEditorProps) {
  const portalTheme = usePortalTheme()
  const { id, variant, readOnly, column, onCancel } = props
  const draft = useTextDraft(props, {
    toText: pretty,
    parse: (text) => {
      if (text.trim() === '') {
        return column.required && variant === 'cell'
          ? { ok: false, message: 'a value is required' }
          : { ok: true, value: null }
      }
      try {
        return { ok: true, value: JSON.parse(text) as unknown }
      } catch (error) {
        return {
          ok: false,
          message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}`,
        }
      }
    },
  })
  const describedBy = errorId(id ?? `bb-${column.name}`)
  const anchor = useRef<HTMLDivElement>(null)

  // Validation as you type, in both variants: the error below follows the text.
  const live = (text: string) => draft.setText(text)
  let liveError: string | undefined
  if (draft.text.trim() !== '') {
    try {
      JSON.parse(draft.text)
    } catch (error) {
      liveError = `invalid JSON: ${error instanceof Error ? error.message : String(error)}`
    }
  }
  const shown = liveError ?? draft.error

  const area = (
    <textarea
      id={id}
      className="bb-input bb-textarea bb-mono"
      rows={variant === 'cell' ? 8 : Math.min(12, Math.max(3, draft.text.split('\n').length))}
      spellCheck={false}
      autoFocus={variant === 'cell'}
      value={draft.text}
      readOnly={readOnly}
      aria-label={variant === 'cell' ? `${column.name} (JSON)` : undefined}
      aria-invalid={shown ? true : undefined}
      aria-describedby={shown ? describedBy : undefined}
      aria-required={variant === 'field' ? column.required || undefined : undefined}
      onChange={(event) => live(event.target.value)}
      onKeyDown={(event) => {
        if (variant !== 'cell') {
          return
        }
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault()
          draft.commit('down')
        } else if (event.key === 'Escape') {
          event.preventDefault()
          event.stopPropagation()
          draft.cancel()
        } else if (event.key === 'Tab') {
          event.preventDefault()
          draft.commit(event.shiftKey ? 'left' : 'right')
        }
      }}
    />
  )

  if (variant === 'field') {
    return (
      <div
        className="bb-editor bb-editor-json"
        data-slot="editor"
        data-variant="field"
        data-invalid={shown ? '' : undefined}
      >
        {area}
        <ErrorText id={describedBy} message={shown} />
      </div>
    )
  }
  return (
    <Popover.Root open onOpenChange={(open) => (open ? undefined : onCancel())}>
      <Popover.Anchor asChild>
        <div
          ref={anchor}
          className="bb-editor bb-editor-json"
          data-slot="editor"
          data-variant="cell"
        >
          <span className="bb-editor-json-preview bb-mono">{draft.text.replace(/\s+/g, ' ')}</span>
        </div>
      </Popover.Anchor>
      <Popover.Portal>
        <Popover.Content
          {...portalTheme}
          className={cx('bb-root', 'bb-popover', 'bb-editor-popover')}
          data-slot="editor-popover"
          align="start"
          sideOffset={4}
          data-invalid={shown ? '' : undefined}
          onEscapeKeyDown={(event) => {
            event.preventDefault()
            draft.cancel()
          }}
          onInteractOutside={(event) => {
            // A click outside saves, as blur does in the other editors; invalid JSON stays open.
            event.preventDefault()
            if (!readOnly) {
              draft.commit('none')
            } else {
              onCancel()
            }
          }}
        >
          {area}
          <ErrorText id={describedBy} message={shown} />
          <div className="bb-editor-popover-actions">
            <span className="bb-muted">Ctrl+Enter to save</span>
            <button type="button" className="bb-button" onClick={() => draft.cancel()}>
              Cancel
            </button>
            <button
              type="button"
              className="bb-button"
              data-variant="primary"
              disabled={readOnly || liveError !== undefined}
              onClick={() => draft.commit('down')}
            >
              Save
            </button>
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}
