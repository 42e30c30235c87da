// The Schema page: the database's diagram; the SchemaBuilder (tables by hand, or with the AI and
// a Mistral key the user pastes, kept in this browser); and the offline templates: pick one (or
// draw a reference between two columns on the diagram), see the plan (PlanPreview, and the
// diagram with the plan drawn on it), then apply it.
import type { SchemaTemplateSummary, TableDefinitionInput, WireChangePlan } from '@basebox/client'
import {
  PlanPreview,
  SchemaBuilder,
  SchemaDiagram,
  useApplyPlan,
  useBaseboxClient,
} from '@basebox/react'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useConnection } from '../connection.js'
import { ErrorNote } from '../error-note.js'
import { useAIKey, type Theme } from '../preferences.js'
import { navigate, type Route } from '../route.js'

interface Planned {
  /** The template planned, or `null` for a reference drawn on the diagram. */
  templateId: string | null
  /** The plan's accessible name, e.g. "Plan for the Blog template". */
  label: string
  plan: WireChangePlan
}

/** The diagram, and the template picker with its plan. */
export function SchemaPage({
  databaseId,
  route,
  theme,
}: {
  databaseId: string
  route: Extract<Route, { name: 'project' }>
  theme: Theme
}) {
  const client = useBaseboxClient()
  const templates = useQuery({
    queryKey: ['playground', 'schema-templates'],
    queryFn: () => client.listSchemaTemplates(),
    staleTime: Infinity,
  })
  const apply = useApplyPlan(databaseId)
  const [planned, setPlanned] = useState<Planned | null>(null)
  const [planning, setPlanning] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  // The SchemaBuilder's unapplied edits, drawn on the diagram while no template plan is shown.
  const [builderPlan, setBuilderPlan] = useState<WireChangePlan | null>(null)

  const plan = async (template: SchemaTemplateSummary) => {
    setPlanning(template.id)
    setError(null)
    try {
      const [{ tables: wanted }, tables] = await Promise.all([
        client.getSchemaTemplate(template.id),
        client.listTables(databaseId),
      ])
      // The template's tables added to the current ones: a table of the same name is kept as it is.
      const current = tables.map((table) => table.definition as TableDefinitionInput)
      const names = new Set(current.map((table) => table.name))
      const next = [...current, ...wanted.filter((table) => !names.has(table.name))]
      setPlanned({
        templateId: template.id,
        label: `Plan for the ${template.title} template`,
        plan: await client.planChanges(databaseId, next),
      })
    } catch (failure) {
      setError(failure)
    } finally {
      setPlanning(null)
    }
  }

  const applyPlanned = () => {
    if (planned === null) {
      return
    }
    apply.mutate(planned.plan, {
      onSuccess: () => setPlanned(null),
    })
  }

  return (
    <div className="pg-stack">
      <section className="pg-section" aria-labelledby="pg-diagram-title">
        <h1 id="pg-diagram-title">Schema</h1>
        <SchemaDiagram
          databaseId={databaseId}
          theme={theme}
          plan={planned?.plan ?? builderPlan}
          height="min(60vh, 520px)"
          onOpenTable={(table) => navigate({ ...route, page: 'tables', table })}
          planProposedReferences
          onProposedPlan={(plan, { table, column, references }) =>
            setPlanned({
              templateId: null,
              label: `Plan for ${table}.${column} referencing ${references.table}.${references.column}`,
              plan,
            })
          }
        />
        <p className="pg-muted">
          Drag from a column's right handle to another column's left handle to plan a reference.
        </p>
      </section>
      <section className="pg-section" aria-labelledby="pg-builder-title">
        <h2 id="pg-builder-title">Build</h2>
        <p className="pg-muted">
          Edit the tables by hand or describe them to the AI; every change is shown as a plan before
          it is applied, and the diagram draws it.
        </p>
        <AIKeyForm />
        <SchemaBuilder
          databaseId={databaseId}
          theme={theme}
          height="min(80vh, 720px)"
          onPlanChange={setBuilderPlan}
        />
      </section>
      <section className="pg-card" aria-labelledby="pg-templates-title">
        <h2 id="pg-templates-title">Start from a template</h2>
        <p className="pg-muted">
          Ready-made tables, offline: pick one to see what it would change, then apply it.
        </p>
        {templates.error !== null && <ErrorNote error={templates.error} />}
        <ul className="pg-templates">
          {(templates.data ?? []).map((template) => (
            <li key={template.id}>
              <button
                type="button"
                className="bb-button"
                aria-pressed={planned?.templateId === template.id}
                aria-busy={planning === template.id}
                disabled={planning !== null || apply.isPending}
                onClick={() => void plan(template)}
              >
                {template.title}
              </button>
              <span className="pg-muted">
                {template.description} ({template.tables.join(', ')})
              </span>
            </li>
          ))}
        </ul>
        {error !== null && <ErrorNote error={error} />}
        {planned !== null && (
          <div className="pg-plan">
            <PlanPreview plan={planned.plan} label={planned.label} />
            {apply.error !== null && <ErrorNote error={apply.error} />}
            <div className="pg-dialog-actions">
              <button
                type="button"
                className="bb-button"
                onClick={() => setPlanned(null)}
                disabled={apply.isPending}
              >
                Discard
              </button>
              <button
                type="button"
                className="bb-button"
                data-variant="primary"
                disabled={
                  apply.isPending ||
                  planned.plan.steps.length === 0 ||
                  (planned.plan.problems ?? []).length > 0
                }
                aria-busy={apply.isPending}
                onClick={applyPlanned}
              >
                {apply.isPending ? 'Applying…' : 'Apply plan'}
              </button>
            </div>
          </div>
        )}
        {apply.isSuccess && planned === null && <p role="status">Applied: the tables are ready.</p>}
      </section>
    </div>
  )
}

/**
 * The Mistral API key for the AI: pasted once, kept in this browser's localStorage only. Remotely
 * the server's model answers, so there is no key to paste.
 */
function AIKeyForm() {
  const [key, setKey] = useAIKey()
  const [draft, setDraft] = useState('')
  const connection = useConnection()
  if (connection.mode === 'remote') {
    return (
      <p className="pg-muted">
        AI: the server's model. apps/server uses Codestral when it runs with{' '}
        <code>MISTRAL_API_KEY</code>; without it the AI answers <code>AI_NOT_CONFIGURED</code>{' '}
        (templates and hand edits still work).
      </p>
    )
  }
  if (key !== null) {
    return (
      <p className="pg-muted">
        AI: Codestral with your Mistral key (kept in this browser only).{' '}
        <button type="button" className="bb-button" onClick={() => setKey(null)}>
          Forget the key
        </button>
      </p>
    )
  }
  return (
    <form
      className="pg-form-row"
      onSubmit={(event) => {
        event.preventDefault()
        setKey(draft)
        setDraft('')
      }}
    >
      <label htmlFor="pg-ai-key">
        Mistral API key for the AI (optional, kept in this browser only)
      </label>
      <input
        id="pg-ai-key"
        className="bb-input"
        type="password"
        autoComplete="off"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
      />
      <button type="submit" className="bb-button" disabled={draft.trim() === ''}>
        Use this key
      </button>
    </form>
  )
}
