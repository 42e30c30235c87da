'use client'
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { formatValue, parseInput } from '../../values/values.js'
import type { CellEditorProps } from '../editors/types.js'

/**
 * The grid's fallback cell editor: one text input, parsed with `parseInput` on Enter, Tab and
 * blur; a value that does not parse shows its error and commits nothing. Used for a column when
 * no typed editor is given. @internal
 */
export function PlainCellEditor({ column, value, onCommit, onCancel, initialInput, error, readOnly }: CellEditorProps) {
  const [text, setText] = useState(() => initialInput ?? formatValue(column, value))
  const [localError, setLocalError] = useState<string | undefined>(undefined)
  const input = useRef<HTMLInputElement>(null)
  const done = useRef(false)

  useEffect(() => {
    const element = input.current
    if (element !== null) {
      element.focus()
      const end = element.value.length
      element.setSelectionRange(end, end)
    }
  }, [])

  const commit = (move: 'down' | 'up' | 'right' | 'left' | 'none') => {
    const parsed = parseInput(column, text)
    if (!parsed.ok) {
      setLocalError(parsed.message)
      return false
    }
    setLocalError(undefined)
    done.current = true
    onCommit(parsed.value, move)
    return true
  }

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    event.stopPropagation()
    if (event.key === 'Enter') {
      event.preventDefault()
      commit(event.shiftKey ? 'up' : 'down')
    } else if (event.key === 'Tab') {
      event.preventDefault()
      commit(event.shiftKey ? 'left' : 'right')
    } else if (event.key === 'Escape') {
      event.preventDefault()
      done.current = true
      onCancel()
    }
  }

  const shown = localError ?? error
  return (
    <span className="bb-te-editor" data-slot="table-editor-cell-editor" data-invalid={shown !== undefined ? '' : undefined}>
      <input
        ref={input}
        className="bb-te-editor-input"
        aria-label={column.name}
        aria-invalid={shown !== undefined}
        readOnly={readOnly}
        value={text}
        onChange={(event) => {
          setText(event.target.value)
          setLocalError(undefined)
        }}
        onKeyDown={onKeyDown}
        onBlur={() => {
          if (!done.current && text !== formatValue(column, value)) {
            commit('none')
          }
        }}
      />
      {shown !== undefined ? (
        <span className="bb-te-cell-error" role="alert" data-slot="table-editor-cell-error">
          {shown}
        </span>
      ) : null}
    </span>
  )
}
