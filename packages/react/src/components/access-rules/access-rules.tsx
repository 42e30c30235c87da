'use client'
// The public <AccessRules>: a small wrapper that lazy-loads the editor (a chunk of its own, with
// its stylesheet) behind a placeholder of the same size.
import type { TableInfo } from '@basebox/client'
import { lazy } from 'react'
import { LazyPanel } from '../lazy-panel.js'

/** Props of {@link AccessRules}. */
export interface AccessRulesProps {
  /** The database whose tables' rules are shown. */
  databaseId: string
  /** One table's rules only. Default is every table of the database. */
  table?: string
  /**
   * Default is `false`, or `true` when the client is a read-only owner (the tables'
   * `permissions`). Read-only shows the rules, their meaning and their SQL, and changes nothing.
   */
  readOnly?: boolean
  /** Called after a change is applied, with the tables after it. Default is none. */
  onApplied?: (tables: TableInfo[]) => void
  /** The component's height (CSS length or pixels). Default is the `--bb-access-rules-height` token (560px). */
  height?: number | string
  /** `'light'` or `'dark'`. Default is the host page's `data-theme`, else `prefers-color-scheme`. */
  theme?: 'light' | 'dark'
  /** Default is `'Access rules'`. The accessible name of the component. */
  'aria-label'?: string
  className?: string
}

const AccessRulesImpl = lazy(() => import('./access-rules-impl.js'))

/**
 * The access rules of a database's tables for the app's end users: per operation (select,
 * insert, update, delete) `nobody`, `public`, `authenticated` or `owner` (with the owner
 * column), what each means in words, and the Postgres policies they compile to. A change is
 * planned with `planChanges` and shown (the steps and their SQL) before Apply runs it.
 *
 * The component's code and styles are a lazy chunk; until they load a placeholder of the same
 * size is shown.
 *
 * ### Examples
 *
 * ```tsx
 * <AccessRules databaseId={db.id} table="posts" onApplied={() => toast('Saved')} />
 * ```
 */
export function AccessRules(props: AccessRulesProps) {
  return (
    <LazyPanel
      Impl={AccessRulesImpl}
      props={props}
      slot="access-rules"
      label="Access rules"
      defaultHeight="var(--bb-access-rules-height, 560px)"
    />
  )
}
