'use client'
// The public <SchemaDiagram>: a small wrapper that lazy-loads the real diagram (@xyflow/react and
// dagre, in a chunk of its own) and shows a skeleton of the same size until it is there. A host
// that imports only the TableEditor never downloads the diagram's code.
import type { WireChangePlan } from '@basebox/client'
import { lazy, Suspense, useSyncExternalStore, type CSSProperties } from 'react'
import type { SchemaDiagramExport } from './export-image.js'

export type { SchemaDiagramExport, SchemaDiagramImageFormat } from './export-image.js'
export type { DiagramStatus as SchemaDiagramStatus } from './diagram-model.js'

/** A reference drawn on the diagram: `table.column` should reference `references.table.column`. */
export interface ReferenceProposal {
  table: string
  column: string
  references: { table: string; column: string }
}

/** Props of {@link SchemaDiagram}. */
export interface SchemaDiagramProps {
  /** The database whose tables are drawn. */
  databaseId: string
  /** Called with a table's name when it is clicked (or Enter is pressed on it). Default is none. */
  onOpenTable?: (table: string) => void
  /**
   * A plan to show as a diff on the diagram: added tables and columns green, changed amber,
   * removed red and struck through, with a legend. `WireChangePlan` from `planChanges` (or the
   * core's `ChangePlan`). Default is none.
   */
  plan?: Pick<WireChangePlan, 'steps'> | null
  /**
   * Called when a connection is drawn from a column (its right handle) to another column (its
   * left handle): the first column should reference the second. Without it (and without
   * `planProposedReferences`) columns cannot be connected.
   */
  onProposeReference?: (proposal: ReferenceProposal) => void
  /**
   * Default is `false`. With `true`, a drawn connection is also planned with the client's
   * `planChanges` (nothing is applied) and the plan is shown as the diff, in place of `plan`,
   * until the tables change or another connection is drawn.
   */
  planProposedReferences?: boolean
  /** Called with the plan of a drawn connection (see `planProposedReferences`). Default is none. */
  onProposedPlan?: (plan: WireChangePlan, proposal: ReferenceProposal) => void
  /**
   * Called with each exported image (the PNG/SVG buttons) after its download has started.
   * Default is none.
   */
  onExport?: (file: SchemaDiagramExport) => void
  /** Default is `true`. Whether the export buttons download the file (set `false` to only get `onExport`). */
  download?: boolean
  /** The exported file's name without extension. Default is `'schema'`. */
  fileName?: string
  /** The diagram's height (CSS length or pixels). Default is the `--bb-schema-diagram-height` token (520px). */
  height?: number | string
  /** `'light'` or `'dark'`. Default is the host page's `data-theme`, else `prefers-color-scheme`. */
  theme?: 'light' | 'dark'
  /** Default is `'Schema diagram'`. The accessible name of the diagram. */
  'aria-label'?: string
  className?: string
}

const SchemaDiagramView = lazy(() => import('./schema-diagram-view.js'))

const subscribeNothing = () => () => {}

/**
 * An entity-relationship diagram of a database: every table with its columns (type, primary key,
 * required), the references as edges between the exact columns, laid out automatically (dagre).
 * Pan, zoom, fit view, a minimap and controls; a table opens on click or Enter; a `plan` is shown
 * as a diff; drawing a connection between two columns proposes a reference; export as PNG/SVG.
 *
 * The diagram's code (@xyflow/react, dagre) is a lazy chunk, loaded when the component first
 * renders in the browser; until then, and on the server, a skeleton of the same size is shown.
 * The tables come from {@link useTables}, so the diagram follows every schema change.
 *
 * ### Examples
 *
 * ```tsx
 * <SchemaDiagram databaseId={db.id} onOpenTable={(table) => navigate(`/tables/${table}`)} plan={plan} />
 * ```
 */
export function SchemaDiagram(props: SchemaDiagramProps) {
  // False on the server and while hydrating; true in the browser after that.
  const inBrowser = useSyncExternalStore(
    subscribeNothing,
    () => true,
    () => false,
  )
  const height = props.height ?? 'var(--bb-schema-diagram-height, 520px)'
  const style: CSSProperties = { height: typeof height === 'number' ? `${height}px` : height }
  const label = props['aria-label'] ?? 'Schema diagram'
  const skeleton = <SchemaDiagramSkeleton label={label} />
  return (
    <div
      className={['bb-root', 'bb-schema-diagram', props.className].filter(Boolean).join(' ')}
      data-theme={props.theme}
      style={style}
    >
      {inBrowser ? (
        <Suspense fallback={skeleton}>
          <SchemaDiagramView {...props} label={label} skeleton={skeleton} />
        </Suspense>
      ) : (
        skeleton
      )}
    </div>
  )
}

/** The placeholder while the diagram's code or the tables load: the diagram's box, busy. @internal */
export function SchemaDiagramSkeleton({ label }: { label: string }) {
  return (
    <div className="bb-schema-diagram__skeleton" role="img" aria-label={label} aria-busy="true">
      <div
        className="bb-schema-diagram__skeleton-table"
        style={{ left: '8%', top: '14%', height: '46%' }}
      />
      <div
        className="bb-schema-diagram__skeleton-table"
        style={{ left: '40%', top: '30%', height: '34%' }}
      />
      <div
        className="bb-schema-diagram__skeleton-table"
        style={{ left: '70%', top: '10%', height: '56%' }}
      />
    </div>
  )
}
