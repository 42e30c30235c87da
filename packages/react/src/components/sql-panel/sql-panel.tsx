'use client'
// The public SQLPanel: a stable box of the panel's size that loads the editor chunk (CodeMirror
// and the panel) on first render. Importing this module does not import CodeMirror, so a host
// that only uses the TableEditor never downloads it; nothing here touches `window` at import.
import { lazy, Suspense } from 'react'
import type { SQLPanelStorage } from './sql-text.js'

/** Props of {@link SQLPanel}. */
export interface SQLPanelProps {
  /** The database the SQL runs against (as its role, one transaction per run). */
  databaseId: string
  /**
   * Default is `false`. Runs everything in a read-only transaction and refuses writes, for the
   * roles the host chooses; Ask AI then asks for read-only SQL.
   */
  readOnly?: boolean
  /** Default is `30000` (at most `300000`). The engine cancels a run that takes longer. */
  timeoutMs?: number
  /** Default is `1000` (at most `10000`). Rows kept per statement. */
  maxRows?: number
  /** The editor's starting text. Default is empty. */
  initialSQL?: string
  /**
   * Where the history and snippets are kept, per database. Default is the browser's
   * `localStorage` when there is one; `null` keeps nothing.
   */
  storage?: SQLPanelStorage | null
  /** Default is `true`: the Ask AI box (the client's `generateSQL`). `false` hides it. */
  ai?: boolean
  /** The panel's height in pixels, also the size of the placeholder while the editor loads. Default is `560`. */
  height?: number
  /** `'light'` or `'dark'`; default follows the host (`data-theme` on an ancestor, else `prefers-color-scheme`). */
  theme?: 'light' | 'dark'
  density?: 'compact' | 'standard' | 'comfortable'
}

const SQLPanelImpl = lazy(() => import('./sql-panel-impl.js'))

/**
 * An SQL console for one database: a CodeMirror 6 editor (Postgres dialect, completion of the
 * database's tables and columns), run everything or the selection with Ctrl/Cmd+Enter, errors
 * underlined where Postgres reports them, one result tab per statement (rows, counts, duration)
 * in a read-only grid, export of a result as CSV or JSON, history and snippets per database.
 *
 * Safety: SQL that writes is marked and asks before it runs, with a dry run (rolled back,
 * showing the rows it would change); SQL that does not look like a write runs read-only, so a
 * write Postgres finds asks too. `readOnly` refuses writes. Ask AI puts the model's SQL in the
 * editor for review and never runs it. A running query can be cancelled (the result is
 * dropped; the engine's `timeoutMs` stops the statement).
 *
 * The editor is a lazy chunk: until it loads, a placeholder of the same size is shown.
 */
export function SQLPanel(props: SQLPanelProps) {
  return (
    <Suspense fallback={<SQLPanelSkeleton {...props} />}>
      <SQLPanelImpl {...props} />
    </Suspense>
  )
}

// The same boxes as the loaded panel (toolbar, Ask AI row, editor), so nothing moves when it loads.
function SQLPanelSkeleton({ height = 560, theme, density, ai }: SQLPanelProps) {
  return (
    <div
      className="bb-root bb-sql"
      data-slot="sql-panel-loading"
      data-theme={theme}
      data-density={density}
      style={{ height }}
      aria-busy="true"
    >
      <div className="bb-sql-toolbar">
        <span className="bb-te-skeleton bb-sql-skeleton-bar" />
      </div>
      {ai === false ? null : (
        <div className="bb-sql-ai">
          <span className="bb-te-skeleton bb-sql-skeleton-bar" />
        </div>
      )}
      <div className="bb-sql-body">
        <div className="bb-sql-main">
          <div className="bb-sql-editor">
            <span className="bb-te-skeleton bb-sql-skeleton-fill" />
          </div>
        </div>
      </div>
    </div>
  )
}
