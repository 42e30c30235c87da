'use client'
// The public <DatabaseOverview>: a small wrapper that lazy-loads the overview (a chunk of its own,
// with its stylesheet) behind a placeholder of the same size.
import { lazy } from 'react'
import { LazyPanel } from '../lazy-panel.js'

/** Props of {@link DatabaseOverview}. */
export interface DatabaseOverviewProps {
  /** The database shown. */
  databaseId: string
  /**
   * The database's data API URL, as supabase-js `createClient(url, key)` takes it (the host
   * knows where it serves `@basebox/server`). Default is none: a placeholder is shown.
   */
  apiURL?: string
  /** The public (anon) key of the data API. Default is none: a placeholder is shown. */
  anonKey?: string
  /**
   * The service key, shown masked with Show and Copy, and a warning to keep it on the server.
   * Default is none: not shown.
   */
  serviceKey?: string
  /** Default is `5`. How many recent audit log entries are shown. */
  activityLimit?: number
  /** Called with a table's name when it is opened from the list. Default is none (names are text). */
  onOpenTable?: (table: string) => void
  /** The overview's height (CSS length or pixels). Default is the `--bb-database-overview-height` token (560px). */
  height?: number | string
  /** `'light'` or `'dark'`. Default is the host page's `data-theme`, else `prefers-color-scheme`. */
  theme?: 'light' | 'dark'
  /** Default is `'Database overview'`. The accessible name of the overview. */
  'aria-label'?: string
  className?: string
}

const DatabaseOverviewImpl = lazy(() => import('./database-overview-impl.js'))

/**
 * One database at a glance: its tables with their row and column counts, the data API URL and
 * keys with a copy-paste supabase-js snippet for this database, and its recent activity from the
 * audit log (who did what, when, in words). Follows every change (its queries are the
 * database's).
 *
 * The overview's code and styles are a lazy chunk; until they load a placeholder of the same
 * size is shown.
 *
 * ### Examples
 *
 * ```tsx
 * <DatabaseOverview databaseId={db.id} apiURL="https://api.example.com/db/abc" anonKey={keys.anon} onOpenTable={setTable} />
 * ```
 */
export function DatabaseOverview(props: DatabaseOverviewProps) {
  return (
    <LazyPanel
      Impl={DatabaseOverviewImpl}
      props={props}
      slot="database-overview"
      label="Database overview"
      defaultHeight="var(--bb-database-overview-height, 560px)"
    />
  )
}
