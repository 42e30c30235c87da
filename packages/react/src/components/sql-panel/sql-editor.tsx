'use client'
// The CodeMirror 6 editor of the SQLPanel: Postgres dialect, completion of the database's tables
// and columns, Ctrl/Cmd+Enter to run, diagnostics at Postgres' error positions, and a theme
// driven by the kit's CSS variables (light and dark follow the tokens). Only the lazy chunk
// imports this file.
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
} from '@codemirror/autocomplete'
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands'
import { PostgreSQL, sql, type SQLNamespace } from '@codemirror/lang-sql'
import {
  bracketMatching,
  HighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language'
import { lintGutter, setDiagnostics } from '@codemirror/lint'
import { Compartment, EditorState, Prec } from '@codemirror/state'
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  keymap,
  lineNumbers,
  placeholder,
} from '@codemirror/view'
import { tags } from '@lezer/highlight'
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react'

/** What the panel asks of its editor. */
export interface SQLEditorHandle {
  /** The whole text. */
  text(): string
  /** The selected text and where it starts, or `undefined` for an empty selection. */
  selection(): { text: string; from: number } | undefined
  /** Replaces the whole text and puts the cursor at its end. */
  setText(text: string): void
  /** Underlines `[from, to)` with a message; replaces earlier marks. */
  showError(from: number, to: number, message: string): void
  clearErrors(): void
  focus(): void
}

export interface SQLEditorProps {
  initialText: string
  /** Tables -> column names, for completion. */
  schema: SQLNamespace
  /** Ctrl/Cmd+Enter. */
  onRun: () => void
  onChange: (text: string) => void
  label: string
}

const theme = EditorView.theme({
  '&': {
    height: '100%',
    color: 'var(--bb-color-fg)',
    backgroundColor: 'var(--bb-color-bg)',
    fontSize: 'var(--bb-font-size)',
  },
  '&.cm-focused': { outline: '2px solid var(--bb-color-focus)', outlineOffset: '-2px' },
  '.cm-scroller': { fontFamily: 'var(--bb-font-mono)', lineHeight: 'var(--bb-line-height)' },
  '.cm-content': { caretColor: 'var(--bb-color-fg)', padding: 'var(--bb-space-2) 0' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--bb-color-fg)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection':
    {
      backgroundColor: 'var(--bb-color-bg-selected)',
    },
  '.cm-activeLine': {
    backgroundColor: 'color-mix(in srgb, var(--bb-color-bg-muted) 45%, transparent)',
  },
  '.cm-gutters': {
    backgroundColor: 'var(--bb-color-bg-subtle)',
    color: 'var(--bb-color-fg-muted)',
    borderRight: '1px solid var(--bb-color-border)',
  },
  '.cm-placeholder': { color: 'var(--bb-color-fg-muted)' },
  '.cm-tooltip': {
    backgroundColor: 'var(--bb-color-bg)',
    color: 'var(--bb-color-fg)',
    border: '1px solid var(--bb-color-border)',
    borderRadius: 'var(--bb-radius-sm)',
    boxShadow: 'var(--bb-shadow-popover)',
  },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': {
    backgroundColor: 'var(--bb-color-accent)',
    color: 'var(--bb-color-accent-fg)',
  },
  '.cm-lintRange-error': {
    backgroundImage: 'none',
    textDecoration: 'underline wavy var(--bb-color-danger)',
    textUnderlineOffset: '3px',
  },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--bb-color-danger)' },
  '.cm-matchingBracket': {
    backgroundColor: 'var(--bb-color-bg-muted)',
    outline: '1px solid var(--bb-color-border-strong)',
  },
})

const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: 'var(--bb-sql-keyword, var(--bb-color-accent))', fontWeight: '600' },
  {
    tag: [tags.string, tags.special(tags.string)],
    color: 'var(--bb-sql-string, var(--bb-color-success))',
  },
  {
    tag: [tags.number, tags.bool, tags.null],
    color: 'var(--bb-sql-number, var(--bb-color-warning))',
  },
  {
    tag: [tags.comment, tags.lineComment, tags.blockComment],
    color: 'var(--bb-color-fg-muted)',
    fontStyle: 'italic',
  },
  {
    tag: [tags.typeName, tags.standard(tags.name)],
    color: 'var(--bb-sql-type, var(--bb-color-accent))',
  },
  { tag: tags.operator, color: 'var(--bb-color-fg-muted)' },
])

/** The editor; its handle drives it from the panel. */
export const SQLEditor = forwardRef<SQLEditorHandle, SQLEditorProps>(
  function SQLEditor(props, ref) {
    const host = useRef<HTMLDivElement>(null)
    const view = useRef<EditorView | undefined>(undefined)
    const language = useRef(new Compartment())
    const latest = useRef(props)
    latest.current = props

    useEffect(() => {
      const parent = host.current
      if (parent === null) {
        return
      }
      const created = new EditorView({
        parent,
        state: EditorState.create({
          doc: latest.current.initialText,
          extensions: [
            lineNumbers(),
            history(),
            drawSelection(),
            indentOnInput(),
            bracketMatching(),
            closeBrackets(),
            highlightActiveLine(),
            autocompletion(),
            lintGutter(),
            placeholder('select * from …'),
            language.current.of(sql({ dialect: PostgreSQL, schema: latest.current.schema })),
            syntaxHighlighting(highlight),
            theme,
            EditorView.lineWrapping,
            EditorView.contentAttributes.of({ 'aria-label': latest.current.label }),
            Prec.highest(
              keymap.of([
                {
                  key: 'Mod-Enter',
                  run: () => {
                    latest.current.onRun()
                    return true
                  },
                },
              ]),
            ),
            keymap.of([
              ...closeBracketsKeymap,
              ...defaultKeymap,
              ...historyKeymap,
              ...completionKeymap,
            ]),
            EditorView.updateListener.of((update) => {
              if (update.docChanged) {
                update.view.dispatch(setDiagnostics(update.state, []))
                latest.current.onChange(update.state.doc.toString())
              }
            }),
          ],
        }),
      })
      view.current = created
      return () => {
        created.destroy()
        view.current = undefined
      }
    }, [])

    useEffect(() => {
      view.current?.dispatch({
        effects: language.current.reconfigure(sql({ dialect: PostgreSQL, schema: props.schema })),
      })
    }, [props.schema])

    useImperativeHandle(
      ref,
      () => ({
        text: () => view.current?.state.doc.toString() ?? '',
        selection: () => {
          const state = view.current?.state
          const range = state?.selection.main
          if (state === undefined || range === undefined || range.empty) {
            return undefined
          }
          return { text: state.sliceDoc(range.from, range.to), from: range.from }
        },
        setText: (text) => {
          const current = view.current
          current?.dispatch({
            changes: { from: 0, to: current.state.doc.length, insert: text },
            selection: { anchor: text.length },
          })
        },
        showError: (from, to, message) => {
          const current = view.current
          if (current !== undefined) {
            const length = current.state.doc.length
            current.dispatch(
              setDiagnostics(current.state, [
                {
                  from: Math.min(from, length),
                  to: Math.min(to, length),
                  severity: 'error',
                  message,
                },
              ]),
            )
          }
        },
        clearErrors: () => {
          const current = view.current
          current?.dispatch(setDiagnostics(current.state, []))
        },
        focus: () => view.current?.focus(),
      }),
      [],
    )

    return <div ref={host} className="bb-sql-editor" data-slot="sql-panel-editor" />
  },
)
