'use client'
import { Checkbox } from 'radix-ui'
import { useRef, useState } from 'react'
import type { CellEditorProps } from './types.js'

type Tri = boolean | null

/**
 * The editor of a `boolean` column: a checkbox (Space toggles) and, when the column is not
 * required, a "NULL" button that clears it. In a cell, Enter, Tab and blur commit, Escape cancels.
 */
export function BooleanEditor(props: CellEditorProps) {
  const { id, variant, readOnly, column, onCommit, onCancel, initialInput } = props
  const fromInitial = initialInput === undefined ? undefined : initialInput.trim().toLowerCase()
  const [state, setState] = useState<Tri>(() => {
    if (fromInitial === ' ') {
      return props.value !== true
    }
    if (fromInitial !== undefined && ['t', 'y', '1'].includes(fromInitial)) {
      return true
    }
    if (fromInitial !== undefined && ['f', 'n', '0'].includes(fromInitial)) {
      return false
    }
    return props.value === true ? true : props.value === false ? false : null
  })
  const done = useRef(false)
  const root = useRef<HTMLDivElement>(null)
  const current: Tri =
    variant === 'field'
      ? props.value === true
        ? true
        : props.value === false
          ? false
          : null
      : state

  const set = (next: Tri) => {
    setState(next)
    if (variant === 'field') {
      onCommit(next, 'none')
    }
  }
  const commit = (move: 'down' | 'right' | 'left' | 'none') => {
    done.current = true
    onCommit(state, move)
  }

  return (
    <div
      ref={root}
      className="bb-editor bb-editor-boolean"
      data-slot="editor"
      data-variant={variant}
      data-state={current === null ? 'null' : current ? 'checked' : 'unchecked'}
      onBlur={(event) => {
        if (
          variant === 'cell' &&
          !done.current &&
          !readOnly &&
          !event.currentTarget.contains(event.relatedTarget)
        ) {
          commit('none')
        }
      }}
      onKeyDown={(event) => {
        if (variant !== 'cell' || readOnly) {
          return
        }
        if (event.key === 'Enter') {
          event.preventDefault()
          commit('down')
        } else if (event.key === 'Tab') {
          event.preventDefault()
          commit(event.shiftKey ? 'left' : 'right')
        } else if (event.key === 'Escape') {
          event.preventDefault()
          event.stopPropagation()
          done.current = true
          onCancel()
        }
      }}
    >
      <Checkbox.Root
        id={id}
        className="bb-checkbox"
        autoFocus={variant === 'cell'}
        checked={current === null ? false : current}
        data-null={current === null ? '' : undefined}
        disabled={readOnly}
        aria-label={variant === 'cell' ? column.name : undefined}
        onCheckedChange={(checked) => set(checked === true)}
      >
        <Checkbox.Indicator className="bb-checkbox-indicator">✓</Checkbox.Indicator>
      </Checkbox.Root>
      <span className="bb-editor-boolean-label" aria-hidden>
        {current === null ? 'NULL' : current ? 'true' : 'false'}
      </span>
      {!column.required && !readOnly ? (
        <button
          type="button"
          className="bb-editor-button"
          data-state={current === null ? 'on' : 'off'}
          aria-pressed={current === null}
          title="Set to NULL"
          onClick={() => set(null)}
        >
          NULL
        </button>
      ) : null}
    </div>
  )
}
