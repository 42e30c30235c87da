'use client'
import type { ColumnDefinition } from '@basebox/client'
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
} from 'react'
import { formatValue, parseInput, type ParsedInput } from '../../values/values.js'
import type { CellEditorProps, CommitMove } from './types.js'

/** Joins class names, skipping empty ones. @internal */
export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(' ')
}

/**
 * Parses what a field holds: in a form an empty input is `null` (the form's schema decides
 * whether that is allowed), in a cell it follows {@link parseInput}. @internal
 */
export function parseDraft(
  column: ColumnDefinition,
  text: string,
  variant: 'cell' | 'field',
): ParsedInput {
  if (variant === 'field' && text.trim() === '') {
    return { ok: true, value: null }
  }
  return parseInput(column, text)
}

/** Whether `target` is inside one of `elements`. @internal */
export function isInside(
  target: EventTarget | null,
  ...elements: (Element | null | undefined)[]
): boolean {
  return target instanceof Node && elements.some((element) => element?.contains(target) === true)
}

/**
 * The draft text of a text-like editor and its commit rules: Enter commits and moves down, Tab
 * and Shift+Tab commit and move right and left, Escape cancels, blur commits (cell); every change
 * commits when it parses (field). A value that does not parse shows its error and commits nothing.
 * @internal
 */
export function useTextDraft(
  props: CellEditorProps,
  options: { toText?: (value: unknown) => string; parse?: (text: string) => ParsedInput } = {},
) {
  const { column, value, variant, onCommit, onCancel, initialInput, onInputError } = props
  const toText = options.toText ?? ((v: unknown) => formatValue(column, v))
  const parse = options.parse ?? ((text: string) => parseDraft(column, text, variant))
  const [text, setText] = useState(() => initialInput ?? toText(value))
  const [error, setError] = useState<string | undefined>(undefined)
  const done = useRef(false)
  const lastValue = useRef(value)

  // A form resets or loads a record: follow the new value unless the user is mid-edit on it.
  useEffect(() => {
    if (variant === 'field' && !Object.is(lastValue.current, value)) {
      lastValue.current = value
      const current = parse(text)
      if (!current.ok || JSON.stringify(current.value) !== JSON.stringify(value)) {
        setText(toText(value))
        setError(undefined)
      }
    }
  }, [value, variant]) // the text follows `value` only

  const report = useCallback(
    (message: string | undefined) => {
      setError(message)
      onInputError?.(message)
    },
    [onInputError],
  )

  /** Commits `draft` (or the current text) if it parses; returns whether it did. */
  const commit = (move: CommitMove, draft: string = text): boolean => {
    const parsed = parse(draft)
    if (!parsed.ok) {
      report(parsed.message)
      return false
    }
    report(undefined)
    if (variant === 'cell') {
      done.current = true
    }
    lastValue.current = parsed.value
    onCommit(parsed.value, move)
    return true
  }

  const change = (next: string) => {
    setText(next)
    if (variant === 'field') {
      commit('none', next)
    } else if (error !== undefined) {
      // Revalidate as the user fixes it, without committing.
      const parsed = parse(next)
      report(parsed.ok ? undefined : parsed.message)
    }
  }

  const cancel = () => {
    done.current = true
    report(undefined)
    onCancel()
  }

  /** The grid's keys; returns whether the key was handled. */
  const onKeyDown = (event: KeyboardEvent): boolean => {
    if (variant !== 'cell' || props.readOnly) {
      return false
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
      event.preventDefault()
      commit('down')
      return true
    }
    if (event.key === 'Tab') {
      event.preventDefault()
      commit(event.shiftKey ? 'left' : 'right')
      return true
    }
    if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      cancel()
      return true
    }
    return false
  }

  const onBlur = (_event?: FocusEvent) => {
    if (variant === 'cell' && !done.current && !props.readOnly) {
      commit('none')
    }
  }

  return {
    text,
    setText: change,
    error: error ?? props.error,
    commit,
    cancel,
    onKeyDown,
    onBlur,
    done,
  }
}

/** The error line under an editor. @internal */
export function errorId(id: string | undefined): string | undefined {
  return id === undefined ? undefined : `${id}-error`
}
