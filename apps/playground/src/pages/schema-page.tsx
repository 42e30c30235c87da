// The Schema page: the database's diagram, and the offline templates: pick one (or draw a
// reference between two columns on the diagram), see the plan (PlanPreview, and the diagram with
// the plan drawn on it), then apply it.
import type { SchemaTemplateSummary, TableDefinitionInput, WireChangePlan } from '@basebox/client'
import { PlanPreview, SchemaDiagram, useApplyPlan, useBaseboxClient } from '@basebox/react'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { ErrorNote } from '../error-note.js'
import type { Theme } from '../preferences.js'
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
          plan={planned?.plan ?? null}
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
