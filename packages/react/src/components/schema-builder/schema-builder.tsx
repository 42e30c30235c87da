'use client'
// The public <SchemaBuilder>: a small wrapper that lazy-loads the builder (a chunk of its own,
// with its stylesheet) and shows a placeholder of the same size until it is there, so a host that
// only uses the TableEditor never downloads it.
import type { TableInfo, WireChangePlan } from '@basebox/client'
import { lazy } from 'react'
import { LazyPanel } from '../lazy-panel.js'

/** Props of {@link SchemaBuilder}. */
export interface SchemaBuilderProps {
  /** The database whose tables are edited. */
  databaseId: string
  /**
   * Default is `true`: the AI prompt and chat (the client's `generateTables` / `refineTables`).
   * `false` hides them; templates stay (they need no model).
   */
  ai?: boolean
  /** Default is `true`: the template picker (offline, no model). */
  templates?: boolean
  /**
   * Default is `false`, or `true` when the client is a read-only owner (the tables'
   * `permissions`). Read-only shows the tables and applies nothing.
   */
  readOnly?: boolean
  /** Called after a plan is applied, with the tables after it. Default is none. */
  onApplied?: (tables: TableInfo[]) => void
  /**
   * Called with the plan of the unapplied edits each time it is planned (`null` when there are
   * none or they are invalid): give it to `<SchemaDiagram plan>` to show the edits as a diff.
   */
  onPlanChange?: (plan: WireChangePlan | null) => void
  /** The builder's height (CSS length or pixels). Default is the `--bb-schema-builder-height` token (640px). */
  height?: number | string
  /** `'light'` or `'dark'`. Default is the host page's `data-theme`, else `prefers-color-scheme`. */
  theme?: 'light' | 'dark'
  /** Default is `'Schema builder'`. The accessible name of the builder. */
  'aria-label'?: string
  className?: string
}

const SchemaBuilderImpl = lazy(() => import('./schema-builder-impl.js'))

/**
 * Shapes a database's tables by hand or with AI, always through the engine's plan.
 *
 * - By hand: tables and columns (type, primary key, required, unique, secret, a default of the
 *   column's type or an allowed function, a reference with its on-delete action), drag (or arrow
 *   keys) to reorder, rename (kept as a rename: the data stays), remove; indexes; access rules
 *   per operation, explained in words. Undo and redo (Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z) of every
 *   unapplied edit; field errors from the same validation as the engine.
 * - With AI: a prompt streams generated tables into the draft, then a chat refines it, each
 *   answer listing what it changed; or start from a template, with no model at all.
 * - Every change is planned with `planChanges` before anything is applied: the steps in words,
 *   their SQL, and the rows that would fail (their keys and values). Apply is refused while
 *   anything is invalid or the data does not fit; destructive steps need a confirm that names
 *   them. Applying runs the plan in one transaction and refetches every query of the database.
 *
 * The builder's code and styles are a lazy chunk; until they load a placeholder of the same
 * size is shown.
 *
 * ### Examples
 *
 * ```tsx
 * const [plan, setPlan] = useState<WireChangePlan | null>(null)
 * <SchemaBuilder databaseId={db.id} onPlanChange={setPlan} />
 * <SchemaDiagram databaseId={db.id} plan={plan} />
 * ```
 */
export function SchemaBuilder(props: SchemaBuilderProps) {
  return (
    <LazyPanel
      Impl={SchemaBuilderImpl}
      props={props}
      slot="schema-builder"
      label="Schema builder"
      defaultHeight="var(--bb-schema-builder-height, 640px)"
    />
  )
}
