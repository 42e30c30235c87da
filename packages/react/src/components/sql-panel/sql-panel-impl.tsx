'use client'
// The SQLPanel itself, loaded lazily by ./sql-panel.tsx (this module and CodeMirror form the
// lazy chunk). See SQLPanelProps for the behaviour.
import { BaseboxError, type AISQLResult, type SQLRunResult } from '@basebox/client'
import type { SQLNamespace } from '@codemirror/lang-sql'
import { Dialog } from 'radix-ui'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useBaseboxClient } from '../../provider.js'
import { useTables } from '../../hooks/use-tables.js'
import { ResultGrid } from './result-grid.js'
import { SQLEditor, type SQLEditorHandle } from './sql-editor.js'
import type { SQLPanelProps } from './sql-panel.js'
import {
  addHistory,
  defaultSQLStorage,
  errorRange,
  looksLikeWrite,
  readHistory,
  readSnippets,
  removeSnippet,
  resultToCSV,
  resultToJSON,
  saveSnippet,
  type SQLHistoryEntry,
  type SQLSnippet,
} from './sql-text.js'

interface Outcome {
  result: SQLRunResult
  dryRun: boolean
}

interface PendingWrite {
  text: string
  offset: number
  fromAI: boolean
}

function isReadOnlyRefusal(error: unknown): boolean {
  return (
    error instanceof BaseboxError &&
    error.code === 'FORBIDDEN' &&
    /read-only transaction/i.test(error.message)
  )
}

function download(name: string, type: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export default function SQLPanelImpl(props: SQLPanelProps) {
  const {
    databaseId,
    readOnly = false,
    timeoutMs = 30_000,
    maxRows = 1000,
    height = 560,
    theme,
    density,
  } = props
  const client = useBaseboxClient()
  const tables = useTables(databaseId)
  const storage = props.storage === null ? undefined : (props.storage ?? defaultSQLStorage())
  const editor = useRef<SQLEditorHandle>(null)
  const [text, setText] = useState(props.initialSQL ?? '')
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined)
  const [shown, setShown] = useState(0)
  const [error, setError] = useState<string | undefined>(undefined)
  const [notice, setNotice] = useState<string | undefined>(undefined)
  const [running, setRunning] = useState<AbortController | undefined>(undefined)
  const [pending, setPending] = useState<PendingWrite | undefined>(undefined)
  const [historyList, setHistoryList] = useState<SQLHistoryEntry[]>([])
  const [snippets, setSnippets] = useState<SQLSnippet[]>([])
  const [snippetName, setSnippetName] = useState('')
  const [question, setQuestion] = useState('')
  const [asking, setAsking] = useState<AbortController | undefined>(undefined)
  const [answer, setAnswer] = useState<AISQLResult | undefined>(undefined)
  const [aiError, setAIError] = useState<string | undefined>(undefined)
  const aiText = useRef<string | undefined>(undefined)

  useEffect(() => {
    setHistoryList(readHistory(storage, databaseId))
    setSnippets(readSnippets(storage, databaseId))
    // The storage object may be a new literal on each render; the database is what matters.
  }, [databaseId])

  const schema = useMemo<SQLNamespace>(() => {
    const out: Record<string, string[]> = {}
    for (const table of tables.data ?? []) {
      out[table.name] = table.definition.columns.map((c) => c.name)
    }
    return out
  }, [tables.data])

  const remember = (sql: string, entryOutcome: SQLHistoryEntry['outcome'], durationMs?: number) => {
    setHistoryList(
      addHistory(storage, databaseId, {
        sql,
        at: new Date().toISOString(),
        outcome: entryOutcome,
        ...(durationMs === undefined ? {} : { durationMs }),
      }),
    )
  }

  const runText = async (
    sql: string,
    offset: number,
    mode: 'check' | 'confirmed' | 'dry-run',
    fromAI = false,
  ) => {
    if (running !== undefined || sql.trim() === '') {
      return
    }
    editor.current?.clearErrors()
    setError(undefined)
    setNotice(undefined)
    const marked = looksLikeWrite(sql) || (fromAI && answer?.isWrite === true)
    if (mode === 'check' && marked && !readOnly) {
      setPending({ text: sql, offset, fromAI })
      return
    }
    const controller = new AbortController()
    setRunning(controller)
    try {
      const result = await client.runSQL(databaseId, sql, [], {
        timeoutMs,
        maxRows,
        signal: controller.signal,
        ...(readOnly || mode === 'check' ? { readOnly: true } : {}),
        ...(mode === 'dry-run' ? { dryRun: true } : {}),
      })
      setOutcome({ result, dryRun: mode === 'dry-run' })
      setShown(Math.max(0, result.statements.length - 1))
      remember(sql, mode === 'dry-run' ? 'dry-run' : 'ok', result.durationMs)
    } catch (caught) {
      if (controller.signal.aborted) {
        setNotice('Cancelled: the statement was stopped, and nothing it did is kept.')
        remember(sql, 'cancelled')
      } else if (isReadOnlyRefusal(caught) && !readOnly && mode === 'check') {
        // Postgres found a write the text did not show (a function, say): ask first.
        setPending({ text: sql, offset, fromAI })
      } else {
        const message = caught instanceof Error ? caught.message : String(caught)
        setError(
          readOnly && isReadOnlyRefusal(caught)
            ? `This panel is read-only: writes are refused (${message})`
            : message,
        )
        remember(sql, 'error')
        const position =
          caught instanceof BaseboxError ? Number(caught.details?.position) : Number.NaN
        if (Number.isFinite(position) && position > 0) {
          const doc = editor.current?.text() ?? ''
          const range = errorRange(doc, offset, position)
          editor.current?.showError(range.from, range.to, message)
        }
      }
    } finally {
      setRunning(undefined)
    }
  }

  const runCurrent = () => {
    const selection = editor.current?.selection()
    const sql = selection?.text ?? editor.current?.text() ?? ''
    const fromAI = aiText.current !== undefined && sql.trim() === aiText.current.trim()
    void runText(sql, selection?.from ?? 0, 'check', fromAI)
  }
  const runRef = useRef(runCurrent)
  runRef.current = runCurrent

  const ask = async () => {
    if (question.trim() === '' || asking !== undefined) {
      return
    }
    const controller = new AbortController()
    setAsking(controller)
    setAIError(undefined)
    try {
      const result = await client.generateSQL(
        databaseId,
        { question, allowWrites: !readOnly },
        { signal: controller.signal },
      )
      setAnswer(result)
      aiText.current = result.sql
      // Inserted for review only: never run on its own.
      editor.current?.setText(result.sql)
      editor.current?.focus()
    } catch (caught) {
      if (!controller.signal.aborted) {
        setAIError(
          caught instanceof BaseboxError ? `${caught.code}: ${caught.message}` : String(caught),
        )
      }
    } finally {
      setAsking(undefined)
    }
  }

  const writes = looksLikeWrite(text)
  const current = outcome?.result.statements[shown]
  const showAI = props.ai !== false

  return (
    <div
      className="bb-root bb-sql"
      data-slot="sql-panel"
      data-theme={theme}
      data-density={density}
      style={{ height }}
    >
      <div className="bb-sql-toolbar" role="toolbar" aria-label="SQL">
        <button
          type="button"
          className="bb-te-button"
          data-variant="primary"
          disabled={running !== undefined}
          onClick={() => runRef.current()}
          title="Run the selection, or everything (Ctrl/Cmd+Enter)"
        >
          Run
        </button>
        <button
          type="button"
          className="bb-te-button"
          disabled={running === undefined}
          onClick={() => running?.abort()}
        >
          Cancel
        </button>
        {writes ? (
          <span
            className="bb-sql-badge"
            data-slot="sql-panel-writes"
            data-variant={readOnly ? 'danger' : 'warning'}
          >
            {readOnly ? 'Writes are refused here' : 'Writes: asks before running'}
          </span>
        ) : null}
        {readOnly ? <span className="bb-sql-badge">Read-only</span> : null}
        <span
          className="bb-sql-status"
          role="status"
          aria-live="polite"
          data-slot="sql-panel-status"
        >
          {running !== undefined
            ? 'Running…'
            : outcome !== undefined
              ? `${outcome.dryRun ? 'Dry run (rolled back, nothing changed): ' : ''}${outcome.result.statements.length} statement${outcome.result.statements.length === 1 ? '' : 's'} in ${outcome.result.durationMs} ms`
              : ''}
        </span>
      </div>
      {showAI ? (
        <form
          className="bb-sql-ai"
          data-slot="sql-panel-ai"
          onSubmit={(event) => {
            event.preventDefault()
            void ask()
          }}
        >
          <input
            className="bb-sql-input"
            aria-label="Ask AI for SQL"
            placeholder="Ask AI: which users signed up this week?"
            value={question}
            onChange={(event) => setQuestion(event.target.value)}
          />
          <button
            type="submit"
            className="bb-te-button"
            disabled={asking !== undefined || question.trim() === ''}
          >
            {asking !== undefined ? 'Asking…' : 'Ask AI'}
          </button>
          {asking !== undefined ? (
            <button type="button" className="bb-te-button" onClick={() => asking.abort()}>
              Stop
            </button>
          ) : null}
          {answer !== undefined ? (
            <span className="bb-sql-ai-note" data-slot="sql-panel-ai-answer">
              {answer.isWrite ? <strong>Writes. </strong> : null}
              {answer.explanation} Review it, then run.
            </span>
          ) : null}
          {aiError !== undefined ? (
            <span className="bb-sql-error-text" role="alert">
              {aiError}
            </span>
          ) : null}
        </form>
      ) : null}
      <div className="bb-sql-body">
        <div className="bb-sql-main">
          <SQLEditor
            ref={editor}
            initialText={props.initialSQL ?? ''}
            schema={schema}
            label="SQL editor"
            onRun={() => runRef.current()}
            onChange={setText}
          />
          {error !== undefined ? (
            <div className="bb-te-banner" role="alert" data-slot="sql-panel-error">
              {error}
            </div>
          ) : null}
          {notice !== undefined ? (
            <div className="bb-sql-notice" role="status" data-slot="sql-panel-notice">
              {notice}
            </div>
          ) : null}
          <div className="bb-sql-results" data-slot="sql-panel-results">
            {outcome !== undefined ? (
              <>
                <div className="bb-sql-tabs" role="tablist" aria-label="Results">
                  {outcome.result.statements.map((statement, i) => (
                    <button
                      key={i}
                      type="button"
                      role="tab"
                      aria-selected={i === shown}
                      tabIndex={i === shown ? 0 : -1}
                      className="bb-sql-tab"
                      onClick={() => setShown(i)}
                      onKeyDown={(event) => {
                        const delta =
                          event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0
                        if (delta !== 0) {
                          const next =
                            (i + delta + outcome.result.statements.length) %
                            outcome.result.statements.length
                          setShown(next)
                          ;(
                            event.currentTarget.parentElement?.children[next] as
                              HTMLElement | undefined
                          )?.focus()
                        }
                      }}
                    >
                      {i + 1}. {statement.command} · {statement.rowCount} row
                      {statement.rowCount === 1 ? '' : 's'}
                      {statement.truncated ? ` (first ${statement.rows.length} shown)` : ''}
                    </button>
                  ))}
                  {current !== undefined && current.columns.length > 0 ? (
                    <span className="bb-sql-export">
                      <button
                        type="button"
                        className="bb-te-button"
                        onClick={() =>
                          download(`result-${shown + 1}.csv`, 'text/csv', resultToCSV(current))
                        }
                      >
                        Export CSV
                      </button>
                      <button
                        type="button"
                        className="bb-te-button"
                        onClick={() =>
                          download(
                            `result-${shown + 1}.json`,
                            'application/json',
                            resultToJSON(current),
                          )
                        }
                      >
                        Export JSON
                      </button>
                    </span>
                  ) : null}
                </div>
                {current !== undefined && current.columns.length > 0 ? (
                  <ResultGrid
                    key={`${shown}-${outcome.result.durationMs}`}
                    result={current}
                    label={`Result ${shown + 1}`}
                  />
                ) : (
                  <div className="bb-te-state">
                    {current === undefined
                      ? ''
                      : `${current.command}: ${current.rowCount} row${current.rowCount === 1 ? '' : 's'}`}
                  </div>
                )}
              </>
            ) : (
              <div className="bb-te-state">Run a query to see its results (Ctrl/Cmd+Enter).</div>
            )}
          </div>
        </div>
        <aside className="bb-sql-side" aria-label="History and snippets">
          <h3 className="bb-sql-heading">Snippets</h3>
          <form
            className="bb-sql-snippet-form"
            onSubmit={(event) => {
              event.preventDefault()
              if (snippetName.trim() !== '' && text.trim() !== '') {
                setSnippets(
                  saveSnippet(storage, databaseId, { name: snippetName.trim(), sql: text }),
                )
                setSnippetName('')
              }
            }}
          >
            <input
              className="bb-sql-input"
              aria-label="Snippet name"
              placeholder="Name"
              value={snippetName}
              onChange={(event) => setSnippetName(event.target.value)}
            />
            <button
              type="submit"
              className="bb-te-button"
              disabled={snippetName.trim() === '' || text.trim() === ''}
            >
              Save
            </button>
          </form>
          <ul className="bb-sql-list" data-slot="sql-panel-snippets">
            {snippets.map((snippet) => (
              <li key={snippet.name}>
                <button
                  type="button"
                  className="bb-sql-item"
                  title={snippet.sql}
                  onClick={() => editor.current?.setText(snippet.sql)}
                >
                  {snippet.name}
                </button>
                <button
                  type="button"
                  className="bb-te-button"
                  aria-label={`Delete snippet ${snippet.name}`}
                  onClick={() => setSnippets(removeSnippet(storage, databaseId, snippet.name))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          <h3 className="bb-sql-heading">History</h3>
          <ul className="bb-sql-list" data-slot="sql-panel-history">
            {historyList.map((entry, i) => (
              <li key={`${entry.at}-${i}`}>
                <button
                  type="button"
                  className="bb-sql-item"
                  title={`${entry.outcome} at ${entry.at}`}
                  data-outcome={entry.outcome}
                  onClick={() => editor.current?.setText(entry.sql)}
                >
                  {entry.sql}
                </button>
              </li>
            ))}
          </ul>
        </aside>
      </div>
      <Dialog.Root
        open={pending !== undefined}
        onOpenChange={(open) => (open ? undefined : setPending(undefined))}
      >
        <Dialog.Portal>
          <Dialog.Overlay className="bb-root bb-te-overlay" data-theme={theme} />
          <Dialog.Content
            className="bb-root bb-te-dialog"
            data-slot="sql-panel-confirm"
            data-theme={theme}
            data-density={density}
          >
            <Dialog.Title className="bb-te-dialog-title">
              {pending?.fromAI
                ? 'Run SQL written by AI that changes data?'
                : 'Run SQL that changes data?'}
            </Dialog.Title>
            <Dialog.Description className="bb-te-dialog-text">
              This SQL writes to the database. A dry run runs it in a transaction that is rolled
              back and shows the rows it would change.
            </Dialog.Description>
            <pre className="bb-sql-pending">{pending?.text}</pre>
            <div className="bb-te-actions">
              <Dialog.Close className="bb-te-button">Cancel</Dialog.Close>
              <button
                type="button"
                className="bb-te-button"
                onClick={() => {
                  const write = pending
                  setPending(undefined)
                  if (write !== undefined) {
                    void runText(write.text, write.offset, 'dry-run', write.fromAI)
                  }
                }}
              >
                Dry run
              </button>
              <button
                type="button"
                className="bb-te-button"
                data-variant="danger"
                onClick={() => {
                  const write = pending
                  setPending(undefined)
                  if (write !== undefined) {
                    void runText(write.text, write.offset, 'confirmed', write.fromAI)
                  }
                }}
              >
                Run it
              </button>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </div>
  )
}
