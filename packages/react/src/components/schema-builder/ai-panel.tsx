'use client'
// The SchemaBuilder's AI: a prompt that streams generated tables into the draft, then a chat to
// refine it, each answer listing what it changed; and templates, which need no model. Nothing is
// applied here: every answer becomes an undoable edit of the draft, planned like a hand edit.
import {
  isBaseboxError,
  type AIChatMessage,
  type AITablesResult,
  type AITablesStream,
  type BaseboxClient,
  type TableDefinition,
  type TableDefinitionInput,
} from '@basebox/client'
import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { describeStep } from './plan-steps.js'

/** One exchange of the chat: the request, and what the answer changed (or why it failed). */
interface ChatEntry {
  request: string
  status: 'streaming' | 'done' | 'failed' | 'cancelled'
  /** Names of the tables streamed so far. */
  streamed: string[]
  changes?: string[]
  notes?: string
  repairs?: string[]
  warnings?: string[]
  error?: string
}

interface AIPanelProps {
  client: BaseboxClient
  databaseId: string
  /** The draft's tables, given to the model as the tables to extend or change. */
  current: () => TableDefinitionInput[]
  /** A table the model has finished writing: shown in the draft while the answer streams. */
  onPartial: (table: TableDefinition) => void
  /** The whole answer: becomes one undoable edit of the draft. */
  onResult: (result: AITablesResult) => void
  /** Streaming ended without a result (failure, cancel): the draft goes back to what it was. */
  onAbandon: () => void
  /** Whether a model may be asked (`ai` prop); templates work either way. */
  ai: boolean
  templates: boolean
  onTemplate: (id: string) => Promise<void>
  disabled: boolean
  busy: (busy: boolean) => void
}

/** A BaseboxError of the AI calls in the user's words. */
export function aiErrorMessage(error: unknown): string {
  if (!isBaseboxError(error)) {
    return error instanceof Error ? error.message : String(error)
  }
  switch (error.code) {
    case 'AI_NOT_CONFIGURED':
      return 'No AI model is set up for this database. Start from a template, or edit the tables by hand.'
    case 'AI_QUOTA_EXCEEDED': {
      const wait = Number(error.details?.retry_after_ms)
      return `The AI provider's quota or rate limit is reached${Number.isFinite(wait) ? `; try again in ${Math.ceil(wait / 1000)} s` : ''}.`
    }
    case 'AI_GENERATION_FAILED':
      return error.details?.reason === 'invalid_output'
        ? 'The model did not write valid tables, even after repairs. Try rewording the request.'
        : `The model call failed: ${error.message}`
    case 'LIMIT_EXCEEDED':
      return `Too many AI requests: ${error.message}`
    default:
      return `${error.code}: ${error.message}`
  }
}

export function AIPanel(props: AIPanelProps) {
  const { client, databaseId } = props
  const [entries, setEntries] = useState<ChatEntry[]>([])
  const [messages, setMessages] = useState<AIChatMessage[]>([])
  const [text, setText] = useState('')
  const [running, setRunning] = useState<AbortController | undefined>(undefined)
  const [template, setTemplate] = useState('')
  const [templateState, setTemplateState] = useState<string | undefined>(undefined)
  const mounted = useRef(true)
  useEffect(
    () => () => {
      mounted.current = false
      running?.abort()
    },
    // Abort only on unmount.
    [],
  )
  const templates = useQuery({
    queryKey: ['basebox', 'schema-templates'],
    queryFn: () => client.listSchemaTemplates(),
    enabled: props.templates,
    staleTime: Infinity,
  })

  const patch = (index: number, change: Partial<ChatEntry>) =>
    mounted.current &&
    setEntries((all) => all.map((entry, i) => (i === index ? { ...entry, ...change } : entry)))

  const send = async (event: FormEvent) => {
    event.preventDefault()
    const request = text.trim()
    if (request === '' || running !== undefined) {
      return
    }
    const controller = new AbortController()
    const index = entries.length
    const chat: AIChatMessage[] = [...messages, { role: 'user', content: request }]
    setEntries((all) => [...all, { request, status: 'streaming', streamed: [] }])
    setText('')
    setRunning(controller)
    props.busy(true)
    let stream: AITablesStream
    // The first request designs tables; the next ones refine them, with the chat so far.
    const first = !messages.some((m) => m.role === 'user')
    try {
      stream = first
        ? client.generateTables(
            databaseId,
            { description: request, current: props.current() },
            { signal: controller.signal },
          )
        : client.refineTables(
            databaseId,
            { messages: chat, current: props.current() },
            { signal: controller.signal },
          )
      const streamed: string[] = []
      // `result` settles either way; keep it from being an unhandled rejection while we read `partial`.
      stream.result.catch(() => {})
      for await (const table of stream.partial) {
        streamed.push(table.name)
        patch(index, { streamed: [...streamed] })
        if (mounted.current) {
          props.onPartial(table)
        }
      }
      const result = await stream.result
      if (!mounted.current) {
        return
      }
      props.onResult(result)
      patch(index, {
        status: 'done',
        changes: result.changes.map(describeStep),
        ...(result.notes !== undefined ? { notes: result.notes } : {}),
        repairs: result.repairs.map((repair) => repair.message),
        warnings: result.warnings,
      })
      setMessages([
        ...chat,
        {
          role: 'assistant',
          content:
            result.notes ?? `Changed: ${result.changes.map(describeStep).join('; ') || 'nothing'}`,
        },
      ])
    } catch (error) {
      if (mounted.current) {
        props.onAbandon()
        patch(
          index,
          controller.signal.aborted
            ? { status: 'cancelled' }
            : { status: 'failed', error: aiErrorMessage(error) },
        )
      }
    } finally {
      if (mounted.current) {
        setRunning(undefined)
        props.busy(false)
      }
    }
  }

  const addTemplate = async () => {
    if (template === '') {
      return
    }
    setTemplateState('Adding the template…')
    try {
      await props.onTemplate(template)
      setTemplateState(undefined)
      setTemplate('')
    } catch (error) {
      setTemplateState(aiErrorMessage(error))
    }
  }

  return (
    <section className="bb-sb-ai" aria-label="Describe with AI">
      {props.templates ? (
        <div className="bb-sb-template">
          <label className="bb-sb-field">
            <span className="bb-sb-label">Start from a template</span>
            <select
              className="bb-sb-input"
              value={template}
              disabled={props.disabled || templates.data === undefined}
              onChange={(event) => setTemplate(event.target.value)}
            >
              <option value="">
                {templates.isError ? 'Templates could not be loaded' : 'Choose a template…'}
              </option>
              {templates.data?.map((t) => (
                <option key={t.id} value={t.id} title={t.description}>
                  {t.title} ({t.tables.join(', ')})
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="bb-te-button"
            disabled={props.disabled || template === ''}
            onClick={() => void addTemplate()}
          >
            Add template
          </button>
          {templateState !== undefined ? (
            <span className="bb-sb-note" role="status">
              {templateState}
            </span>
          ) : null}
        </div>
      ) : null}
      {props.ai ? (
        <>
          {entries.length > 0 ? (
            <ol className="bb-sb-chat" aria-label="AI requests" aria-live="polite">
              {entries.map((entry, i) => (
                <li key={i} className="bb-sb-chat-entry" data-status={entry.status}>
                  <p className="bb-sb-chat-request">{entry.request}</p>
                  {entry.status === 'streaming' ? (
                    <p className="bb-sb-note" role="status">
                      Writing tables…
                      {entry.streamed.length > 0 ? ` ${entry.streamed.join(', ')}` : ''}
                    </p>
                  ) : null}
                  {entry.status === 'cancelled' ? (
                    <p className="bb-sb-note">Cancelled; the tables are as they were.</p>
                  ) : null}
                  {entry.error !== undefined ? (
                    <p className="bb-sb-error" role="alert">
                      {entry.error}
                    </p>
                  ) : null}
                  {entry.notes !== undefined ? (
                    <p className="bb-sb-chat-notes">{entry.notes}</p>
                  ) : null}
                  {entry.changes !== undefined ? (
                    entry.changes.length === 0 ? (
                      <p className="bb-sb-note">No changes.</p>
                    ) : (
                      <ul className="bb-sb-chat-changes" aria-label="What this request changed">
                        {entry.changes.map((change, j) => (
                          <li key={j}>{change}</li>
                        ))}
                      </ul>
                    )
                  ) : null}
                  {entry.repairs !== undefined && entry.repairs.length > 0 ? (
                    <details className="bb-sb-note">
                      <summary>
                        {entry.repairs.length} {entry.repairs.length === 1 ? 'fix' : 'fixes'} made
                        to the model's answer
                      </summary>
                      <ul>
                        {entry.repairs.map((repair, j) => (
                          <li key={j}>{repair}</li>
                        ))}
                      </ul>
                    </details>
                  ) : null}
                  {entry.warnings?.map((warning, j) => (
                    <p key={j} className="bb-sb-note">
                      ⚠ {warning}
                    </p>
                  ))}
                </li>
              ))}
            </ol>
          ) : null}
          <form className="bb-sb-prompt" onSubmit={(event) => void send(event)}>
            <label className="bb-sb-field bb-sb-grow">
              <span className="bb-sb-label">
                {messages.length === 0 ? 'Describe your app' : 'Ask for a change'}
              </span>
              <textarea
                className="bb-sb-input bb-sb-textarea"
                value={text}
                rows={2}
                disabled={props.disabled}
                placeholder={
                  messages.length === 0
                    ? 'A blog with posts, comments and tags'
                    : 'Add tags to posts'
                }
                onChange={(event) => setText(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
                    event.preventDefault()
                    event.currentTarget.form?.requestSubmit()
                  }
                }}
              />
            </label>
            {running !== undefined ? (
              <button type="button" className="bb-te-button" onClick={() => running.abort()}>
                Cancel
              </button>
            ) : (
              <button
                type="submit"
                className="bb-te-button"
                data-variant="primary"
                disabled={props.disabled || text.trim() === ''}
              >
                {messages.length === 0 ? 'Generate' : 'Refine'}
              </button>
            )}
          </form>
        </>
      ) : null}
    </section>
  )
}
