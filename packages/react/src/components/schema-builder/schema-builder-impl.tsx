'use client'
// The SchemaBuilder itself, loaded lazily by ./schema-builder.tsx (this module, the table form,
// the AI panel and the stylesheet form the lazy chunk). See SchemaBuilderProps for the behaviour.
import {
  isBaseboxError,
  type AITablesResult,
  type TableDefinition,
  type ValidationIssue,
  type WireChangePlan,
} from '@basebox/client'
import { useQueryClient } from '@tanstack/react-query'
import { Dialog } from 'radix-ui'
import { useEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react'
import { useBaseboxClient } from '../../provider.js'
import { useTables } from '../../hooks/use-tables.js'
import { baseboxKeys } from '../../query/keys.js'
import { useResolvedTheme } from '../editors/theme-scope.js'
import { AIPanel } from './ai-panel.js'
import { SCHEMA_BUILDER_CSS } from './schema-builder.styles.js'
import {
  addTemplateTables,
  draftFromTables,
  draftProblems,
  draftRenames,
  draftTable,
  issuesUnder,
  mergeProposal,
  newTable,
  pushEdit,
  redo,
  sameDraft,
  startHistory,
  undo,
  wantedTables,
  type Draft,
  type DraftHistory,
  type DraftIssue,
  type DraftTable,
} from './builder-model.js'
import { PlanPreview } from './plan-preview.js'
import { describeStep, destructiveSteps } from './plan-steps.js'
import type { SchemaBuilderProps } from './schema-builder.js'
import { TableForm, type EditDraft } from './table-form.js'

type PlanState =
  | { status: 'none' }
  | { status: 'invalid'; key: string }
  | { status: 'planning'; key: string }
  | { status: 'ready'; key: string; plan: WireChangePlan }
  | { status: 'failed'; key: string; error: unknown; issues: DraftIssue[] }

/** The field errors of a refused plan (`details.issues`, paths relative to the wanted tables). */
function engineIssues(error: unknown): DraftIssue[] {
  const issues = isBaseboxError(error) ? error.details?.issues : undefined
  return Array.isArray(issues)
    ? (issues as ValidationIssue[]).filter(
        (issue) => Array.isArray(issue.path) && typeof issue.path[0] === 'number',
      )
    : []
}

function errorText(error: unknown): string {
  return isBaseboxError(error)
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error)
}

/** Whether the draft table differs from the database table it came from. */
function changed(table: DraftTable, base: Draft | undefined): boolean {
  const original = base?.tables.find((t) => t.from === table.from)
  if (original === undefined) {
    return true
  }
  return !sameDraft({ tables: [table] }, { tables: [original] })
}

/**
 * How much stored data each destructive step of `plan` drops: the rows of a dropped table, the
 * values (non-null) of a dropped column, counted in the database as it is now. `undefined` while
 * counting, or for a step that could not be counted.
 */
function useDroppedData(databaseId: string, plan: WireChangePlan | null): Map<number, string> {
  const client = useBaseboxClient()
  const [counts, setCounts] = useState<Map<number, string>>(new Map())
  useEffect(() => {
    setCounts(new Map())
    if (plan === null) {
      return
    }
    const indexes = destructiveSteps(plan)
    if (indexes.length === 0) {
      return
    }
    let live = true
    void Promise.all(
      indexes.map(async (index): Promise<[number, string] | undefined> => {
        const step = plan.steps[index]!
        // The step names the table as it is after the plan's earlier renames.
        let table = typeof step.table === 'string' ? step.table : step.table.name
        for (const earlier of plan.steps.slice(0, index).reverse()) {
          if (
            earlier.kind === 'rename_table' &&
            earlier.to === table &&
            typeof earlier.table === 'string'
          ) {
            table = earlier.table
          }
        }
        const column = typeof step.column === 'string' ? step.column : undefined
        try {
          const all = await client.selectRows(databaseId, table, { limit: 0, count: 'exact' })
          if (step.kind === 'drop_column' && column !== undefined) {
            // Secret columns cannot be filtered on: their rows are counted instead.
            const held = await client
              .selectRows(databaseId, table, {
                limit: 0,
                count: 'exact',
                where: { not: { [column]: { is: null } } },
              })
              .then((result) => result.count)
              .catch(() => undefined)
            return [
              index,
              held === undefined
                ? `${plural(all.count ?? 0, 'row')}`
                : `${plural(held, 'value')} in ${plural(all.count ?? 0, 'row')}`,
            ]
          }
          return [index, plural(all.count ?? 0, 'row')]
        } catch {
          return undefined
        }
      }),
    ).then((entries) => {
      if (live) {
        setCounts(new Map(entries.filter((entry) => entry !== undefined)))
      }
    })
    return () => {
      live = false
    }
  }, [client, databaseId, plan])
  return counts
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

export default function SchemaBuilderImpl(props: SchemaBuilderProps & { style: CSSProperties }) {
  const { databaseId } = props
  const client = useBaseboxClient()
  const queryClient = useQueryClient()
  const tables = useTables(databaseId)
  const root = useRef<HTMLDivElement>(null)
  const theme = useResolvedTheme(root, props.theme)
  const [base, setBase] = useState<Draft | undefined>(undefined)
  const [history, setHistory] = useState<DraftHistory | undefined>(undefined)
  // The draft while an AI answer streams: the draft before it, with the tables written so far.
  const [streaming, setStreaming] = useState<Draft | undefined>(undefined)
  const [aiBusy, setAIBusy] = useState(false)
  const [selectedKey, setSelectedKey] = useState<string | undefined>(undefined)
  const [cascade, setCascade] = useState(false)
  const [planState, setPlanState] = useState<PlanState>({ status: 'none' })
  const [confirming, setConfirming] = useState(false)
  const [applying, setApplying] = useState(false)
  const [outcome, setOutcome] = useState<{ kind: 'success' | 'error'; text: string } | undefined>(
    undefined,
  )
  const [baseMoved, setBaseMoved] = useState(false)

  const readOnly =
    props.readOnly ??
    tables.data?.some(
      (t) =>
        t.permissions !== undefined &&
        !t.permissions.insert &&
        !t.permissions.update &&
        !t.permissions.delete,
    ) ??
    false

  // The database's tables are the base of the draft. While nothing is edited the draft follows
  // them; with edits, the edits are kept and the user is told the database moved.
  const definitionsKey = JSON.stringify(tables.data?.map((t) => t.definition) ?? null)
  const baseRef = useRef<Draft | undefined>(undefined)
  useEffect(() => {
    if (tables.data === undefined) {
      return
    }
    const next = draftFromTables(tables.data.map((t) => t.definition))
    const previous = baseRef.current
    if (previous !== undefined && sameDraft(previous, next)) {
      return
    }
    baseRef.current = next
    setBase(next)
    setHistory((current) => {
      if (
        current === undefined ||
        previous === undefined ||
        sameDraft(current.present, previous) ||
        sameDraft(current.present, next)
      ) {
        setBaseMoved(false)
        return startHistory(next)
      }
      setBaseMoved(true)
      return current
    })
    // Keyed by the definitions' JSON, not the array's identity.
  }, [definitionsKey])

  const present = history?.present
  const draft = streaming ?? present
  const wanted = useMemo(() => (draft === undefined ? [] : wantedTables(draft)), [draft])
  const renames = useMemo(() => (draft === undefined ? {} : draftRenames(draft)), [draft])
  const localIssues = useMemo(() => (draft === undefined ? [] : draftProblems(draft)), [draft])
  const dirty = draft !== undefined && base !== undefined && !sameDraft(draft, base)
  const planKey = JSON.stringify([wanted, renames, cascade])
  const planInputs = useRef({ wanted, renames, cascade })
  planInputs.current = { wanted, renames, cascade }

  useEffect(() => {
    if (!dirty || streaming !== undefined) {
      setPlanState({ status: 'none' })
      return
    }
    if (localIssues.length > 0) {
      setPlanState({ status: 'invalid', key: planKey })
      return
    }
    let live = true
    setPlanState({ status: 'planning', key: planKey })
    const timer = setTimeout(() => {
      const { wanted: tablesWanted, renames: renamed, cascade: withCascade } = planInputs.current
      client
        .planChanges(databaseId, tablesWanted, {
          ...renamed,
          ...(withCascade ? { cascade: true } : {}),
        })
        .then(
          (plan) => live && setPlanState({ status: 'ready', key: planKey, plan }),
          (error: unknown) =>
            live &&
            setPlanState({ status: 'failed', key: planKey, error, issues: engineIssues(error) }),
        )
    }, 250)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [client, databaseId, planKey, dirty, streaming, localIssues.length])

  const currentPlan =
    planState.status === 'ready' && planState.key === planKey ? planState.plan : null
  const dropped = useDroppedData(databaseId, currentPlan)
  const onPlanChange = props.onPlanChange
  useEffect(() => {
    onPlanChange?.(currentPlan)
  }, [onPlanChange, currentPlan])

  const issues = useMemo(
    () =>
      planState.status === 'failed' && planState.key === planKey
        ? [...localIssues, ...planState.issues]
        : localIssues,
    [localIssues, planState, planKey],
  )

  if (draft === undefined || history === undefined) {
    return (
      <div
        ref={root}
        className={['bb-root', 'bb-sb', props.className].filter(Boolean).join(' ')}
        data-theme={props.theme}
        style={props.style}
        aria-busy={tables.isError ? undefined : true}
      >
        <style href="basebox-schema-builder" precedence="basebox">
          {SCHEMA_BUILDER_CSS}
        </style>
        {tables.isError ? (
          <p className="bb-sb-error" role="alert">
            The tables could not be loaded: {errorText(tables.error)}
          </p>
        ) : (
          <span className="bb-te-skeleton" style={{ display: 'block', height: '100%' }} />
        )}
      </div>
    )
  }

  const disabled = readOnly || applying || streaming !== undefined
  const edit: EditDraft = (next, coalesce) => {
    setOutcome(undefined)
    setHistory((h) => (h === undefined ? h : pushEdit(h, next(h.present), coalesce)))
  }
  const selected = draft.tables.find((t) => t.key === selectedKey) ?? draft.tables[0]
  const selectedIndex = selected === undefined ? -1 : draft.tables.indexOf(selected)
  const removed = base?.tables.filter((t) => !draft.tables.some((d) => d.from === t.from)) ?? []

  const onKeyDown = (event: KeyboardEvent) => {
    if (!(event.ctrlKey || event.metaKey) || disabled) {
      return
    }
    const key = event.key.toLowerCase()
    if (key === 'z' || key === 'y') {
      event.preventDefault()
      setHistory((h) => (h === undefined ? h : key === 'y' || event.shiftKey ? redo(h) : undo(h)))
    }
  }

  const addTable = () => {
    const table = newTable(draft)
    edit((d) => ({ tables: [...d.tables, table] }))
    setSelectedKey(table.key)
  }
  const removeTable = (table: DraftTable) => {
    // Other tables' references to it go with it, as a cascading drop does.
    edit((d) => ({
      tables: d.tables
        .filter((t) => t.key !== table.key)
        .map((t) => ({
          ...t,
          columns: t.columns.map((c) => {
            if (c.references?.table !== table.name) {
              return c
            }
            const { references: _gone, ...rest } = c
            return rest
          }),
        })),
    }))
  }
  const restoreTable = (table: DraftTable) => {
    const restored = { ...table }
    edit((d) => ({ tables: [...d.tables, restored] }))
    setSelectedKey(restored.key)
  }

  const onPartial = (table: TableDefinition) =>
    setStreaming((current) => {
      const start = current ?? history.present
      const at = start.tables.findIndex((t) => t.name === table.name)
      const next =
        at < 0
          ? [...start.tables, draftTable(table, false)]
          : start.tables.map((t, i) =>
              i === at ? { ...mergeProposal({ tables: [t] }, [table]).tables[0]! } : t,
            )
      return { tables: next }
    })
  const onResult = (result: AITablesResult) => {
    setStreaming(undefined)
    edit((d) => mergeProposal(d, result.tables, result.changes))
  }
  const onTemplate = async (id: string) => {
    const template = await client.getSchemaTemplate(id)
    let skipped: string[] = []
    edit((d) => {
      const merged = addTemplateTables(d, template.tables)
      skipped = merged.skipped
      return merged.draft
    })
    setOutcome(
      skipped.length > 0
        ? {
            kind: 'success',
            text: `Added the template "${template.title}"; kept your own ${skipped.join(', ')}.`,
          }
        : {
            kind: 'success',
            text: `Added the template "${template.title}". Review it, then apply.`,
          },
    )
  }

  const apply = async () => {
    if (currentPlan === null) {
      return
    }
    setConfirming(false)
    setApplying(true)
    setOutcome(undefined)
    try {
      const after = await client.applyPlan(databaseId, currentPlan)
      const next = draftFromTables(after.map((t) => t.definition))
      const name = selected?.name
      baseRef.current = next
      setBase(next)
      setHistory(startHistory(next))
      setBaseMoved(false)
      setSelectedKey(next.tables.find((t) => t.name === name)?.key)
      const count = currentPlan.steps.length
      setOutcome({
        kind: 'success',
        text: `Applied ${count} ${count === 1 ? 'change' : 'changes'}.`,
      })
      await queryClient.invalidateQueries({ queryKey: baseboxKeys.database(databaseId) })
      props.onApplied?.(after)
    } catch (error) {
      setOutcome({ kind: 'error', text: `Nothing was applied: ${errorText(error)}` })
    } finally {
      setApplying(false)
    }
  }
  const destructive = currentPlan === null ? [] : destructiveSteps(currentPlan)
  const problems = currentPlan?.problems ?? []
  const canApply =
    !readOnly &&
    currentPlan !== null &&
    currentPlan.steps.length > 0 &&
    problems.length === 0 &&
    !applying &&
    !aiBusy
  const planError =
    planState.status === 'failed' && planState.key === planKey ? planState.error : undefined
  const referencedBy =
    isBaseboxError(planError) &&
    planError.code === 'CONFLICT' &&
    Array.isArray(planError.details?.referenced_by)

  return (
    <div
      ref={root}
      className={['bb-root', 'bb-sb', props.className].filter(Boolean).join(' ')}
      data-theme={props.theme}
      data-slot="schema-builder"
      style={props.style}
      role="region"
      aria-label={props['aria-label'] ?? 'Schema builder'}
      onKeyDown={onKeyDown}
    >
      <style href="basebox-schema-builder" precedence="basebox">
        {SCHEMA_BUILDER_CSS}
      </style>
      <div className="bb-sb-toolbar" role="toolbar" aria-label="Schema builder actions">
        <button
          type="button"
          className="bb-te-button"
          disabled={disabled || history.past.length === 0}
          onClick={() => setHistory(undo(history))}
          aria-keyshortcuts="Control+Z"
        >
          Undo
        </button>
        <button
          type="button"
          className="bb-te-button"
          disabled={disabled || history.future.length === 0}
          onClick={() => setHistory(redo(history))}
          aria-keyshortcuts="Control+Shift+Z"
        >
          Redo
        </button>
        <button
          type="button"
          className="bb-te-button"
          disabled={disabled || !dirty || base === undefined}
          onClick={() => base !== undefined && edit(() => base)}
        >
          Discard changes
        </button>
        {readOnly ? (
          <span className="bb-sb-note" role="status">
            Read-only: you can look at the tables but not change them.
          </span>
        ) : null}
        {baseMoved ? (
          <span className="bb-sb-note" role="status">
            The database changed since you started editing; the plan is against its tables as they
            are now.
          </span>
        ) : null}
      </div>
      <div className="bb-sb-body">
        <nav className="bb-sb-nav" aria-label="Tables">
          <ul className="bb-sb-nav-list">
            {draft.tables.map((table, i) => {
              const hasIssues = issuesUnder(issues, [i]).length > 0
              const state =
                table.from === null ? 'new' : changed(table, base) ? 'changed' : undefined
              return (
                <li key={table.key}>
                  <button
                    type="button"
                    className="bb-sb-nav-item"
                    aria-current={table === selected ? 'true' : undefined}
                    data-state={state}
                    data-invalid={hasIssues ? '' : undefined}
                    onClick={() => setSelectedKey(table.key)}
                  >
                    <span className="bb-sb-nav-name">{table.name || '(no name)'}</span>
                    {state !== undefined ? <span className="bb-sb-badge">{state}</span> : null}
                    {hasIssues ? (
                      <span className="bb-sb-badge" data-kind="error">
                        errors
                      </span>
                    ) : null}
                  </button>
                </li>
              )
            })}
          </ul>
          <button type="button" className="bb-te-button" disabled={disabled} onClick={addTable}>
            Add table
          </button>
          {removed.length > 0 ? (
            <div className="bb-sb-removed">
              <span className="bb-sb-label">Removed</span>
              {removed.map((table) => (
                <button
                  key={table.key}
                  type="button"
                  className="bb-sb-nav-item"
                  data-state="removed"
                  disabled={disabled}
                  onClick={() => restoreTable(table)}
                  aria-label={`Restore ${table.name}`}
                >
                  <span className="bb-sb-nav-name">{table.name}</span>
                  <span className="bb-sb-badge">restore</span>
                </button>
              ))}
            </div>
          ) : null}
        </nav>
        <div className="bb-sb-main">
          {selected === undefined ? (
            <p className="bb-sb-note">
              No tables yet. Add one, start from a template, or describe your app.
            </p>
          ) : (
            <TableForm
              key={selected.key}
              draft={draft}
              table={selected}
              index={selectedIndex}
              issues={issues}
              onEdit={edit}
              onRemove={() => removeTable(selected)}
              disabled={disabled}
            />
          )}
        </div>
        <aside className="bb-sb-side">
          {props.ai !== false || props.templates !== false ? (
            <AIPanel
              client={client}
              databaseId={databaseId}
              current={() => wantedTables(history.present)}
              onPartial={onPartial}
              onResult={onResult}
              onAbandon={() => setStreaming(undefined)}
              ai={props.ai !== false}
              templates={props.templates !== false}
              onTemplate={onTemplate}
              disabled={readOnly || applying}
              busy={setAIBusy}
            />
          ) : null}
          <section className="bb-sb-preview" aria-label="Preview">
            <h3 className="bb-sb-heading">Preview</h3>
            <p className="bb-sb-note" role="status" data-plan={planState.status}>
              {!dirty
                ? 'No unapplied changes.'
                : streaming !== undefined
                  ? 'The AI is writing; the plan follows when it is done.'
                  : planState.status === 'invalid'
                    ? `Fix the ${localIssues.length === 1 ? 'problem' : `${localIssues.length} problems`} marked in the tables to see the plan.`
                    : planState.status === 'planning'
                      ? 'Planning…'
                      : planState.status === 'failed'
                        ? `The engine refuses these changes: ${errorText(planState.error)}`
                        : planState.status === 'ready'
                          ? problems.length > 0
                            ? 'The current data does not fit; see below.'
                            : `${planState.plan.steps.length} ${planState.plan.steps.length === 1 ? 'step' : 'steps'}, ready to apply.`
                          : ''}
            </p>
            {referencedBy || cascade ? (
              <label className="bb-sb-inline">
                <input
                  type="checkbox"
                  checked={cascade}
                  disabled={disabled}
                  onChange={(event) => setCascade(event.target.checked)}
                />
                Also drop the references other tables hold to what is dropped
              </label>
            ) : null}
            {currentPlan !== null ? (
              <>
                <PlanPreview plan={currentPlan} />
                {destructive.length > 0 ? (
                  <p className="bb-sb-error" data-slot="schema-builder-dropped">
                    Drops data:{' '}
                    {destructive
                      .map((index) => {
                        const step = currentPlan.steps[index]!
                        const what =
                          typeof step.column === 'string'
                            ? `${typeof step.table === 'string' ? step.table : step.table.name}.${step.column}`
                            : typeof step.table === 'string'
                              ? step.table
                              : step.table.name
                        return dropped.has(index) ? `${what} (${dropped.get(index)})` : what
                      })
                      .join(', ')}
                  </p>
                ) : null}
                {currentPlan.sql !== undefined &&
                currentPlan.sql.some((lines) => lines.length > 0) ? (
                  <details className="bb-sb-sql">
                    <summary>SQL</summary>
                    <pre aria-label="SQL of the plan">
                      {currentPlan.sql
                        .flat()
                        .map((line) => `${line};`)
                        .join('\n')}
                    </pre>
                  </details>
                ) : null}
              </>
            ) : null}
            {outcome !== undefined ? (
              <p
                className={outcome.kind === 'error' ? 'bb-sb-error' : 'bb-sb-success'}
                role={outcome.kind === 'error' ? 'alert' : 'status'}
              >
                {outcome.text}
              </p>
            ) : null}
            <button
              type="button"
              className="bb-te-button"
              data-variant={destructive.length > 0 ? 'danger' : 'primary'}
              disabled={!canApply}
              onClick={() => (destructive.length > 0 ? setConfirming(true) : void apply())}
            >
              {applying ? 'Applying…' : 'Apply changes'}
            </button>
          </section>
        </aside>
      </div>
      <Dialog.Root open={confirming} onOpenChange={setConfirming}>
        <Dialog.Portal>
          <Dialog.Overlay className="bb-root bb-te-overlay" data-theme={theme} />
          <Dialog.Content
            className="bb-root bb-te-dialog"
            data-slot="schema-builder-confirm"
            data-theme={theme}
          >
            <Dialog.Title className="bb-te-dialog-title">
              Apply changes that drop data?
            </Dialog.Title>
            <Dialog.Description className="bb-te-dialog-text">
              These steps delete stored data, and it cannot be brought back:
            </Dialog.Description>
            <ul className="bb-te-dialog-text">
              {currentPlan !== null
                ? destructive.map((index) => (
                    <li key={index} data-step={index}>
                      {describeStep(currentPlan.steps[index]!)}
                      {dropped.has(index) ? <strong>: {dropped.get(index)} now</strong> : null}
                    </li>
                  ))
                : null}
            </ul>
            <div className="bb-te-actions">
              <Dialog.Close className="bb-te-button">Cancel</Dialog.Close>
              <button
                type="button"
                className="bb-te-button"
                data-variant="danger"
                onClick={() => void apply()}
              >
                Apply and drop data
              </button>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </div>
  )
}
