'use client'
// The public <APIKeys>: a small wrapper that lazy-loads the keys page (a chunk of its own, with
// its stylesheet) behind a placeholder of the same size.
import { lazy } from 'react'
import { LazyPanel } from '../lazy-panel.js'

/** Props of {@link APIKeys}. */
export interface APIKeysProps {
  /** The database whose API keys and JWT secret are managed. */
  databaseId: string
  /**
   * Default is the owner's permissions (read-only when the tables say no writes). Shows the keys
   * without create, revoke or rotate.
   */
  readOnly?: boolean
  /** The component's height (CSS length or pixels). Default is the `--bb-api-keys-height` token (560px). */
  height?: number | string
  /** `'light'` or `'dark'`. Default is the host page's `data-theme`, else `prefers-color-scheme`. */
  theme?: 'light' | 'dark'
  /** Default is `'API keys'`. The accessible name of the component. */
  'aria-label'?: string
  className?: string
}

const APIKeysImpl = lazy(() => import('./api-keys-impl.js'))

/**
 * A database's API keys for the data API: listed by name, kind and prefix (never the key),
 * created (the whole key shown once, with Copy), revoked after a confirm; and the JWT secret
 * rotated, with a warning of what it does to signed-in end users. Needs end-user auth on the
 * host (`auth` given to the handler or the local client), else it says so.
 *
 * The component's code and styles are a lazy chunk; until they load a placeholder of the same
 * size is shown.
 *
 * ### Examples
 *
 * ```tsx
 * <APIKeys databaseId={db.id} />
 * ```
 */
export function APIKeys(props: APIKeysProps) {
  return (
    <LazyPanel
      Impl={APIKeysImpl}
      props={props}
      slot="api-keys"
      label="API keys"
      defaultHeight="var(--bb-api-keys-height, 560px)"
    />
  )
}
