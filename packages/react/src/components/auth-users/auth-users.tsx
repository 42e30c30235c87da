'use client'
// The public <AuthUsers>: a small wrapper that lazy-loads the users page (a chunk of its own, with
// its stylesheet) behind a placeholder of the same size.
import { lazy } from 'react'
import { LazyPanel } from '../lazy-panel.js'

/** Props of {@link AuthUsers}. */
export interface AuthUsersProps {
  /** The database whose end users (the accounts of its app) are managed. */
  databaseId: string
  /** Default is `20`. How many users a page shows. */
  pageSize?: number
  /**
   * Default is the owner's permissions (read-only when the tables say no writes). Shows the users
   * without create, disable, delete, reset or revoke.
   */
  readOnly?: boolean
  /** The component's height (CSS length or pixels). Default is the `--bb-auth-users-height` token (560px). */
  height?: number | string
  /** `'light'` or `'dark'`. Default is the host page's `data-theme`, else `prefers-color-scheme`. */
  theme?: 'light' | 'dark'
  /** Default is `'End users'`. The accessible name of the component. */
  'aria-label'?: string
  className?: string
}

const AuthUsersImpl = lazy(() => import('./auth-users-impl.js'))

/**
 * A project's end users (the accounts of its app): searched by email or name, sorted, paged;
 * created or invited, disabled and enabled, deleted after a confirm, sent a password reset (the
 * outcome in words), their sessions revoked. Never a password hash. Needs end-user auth on the
 * host (`auth` given to the handler or the local client), else it says so.
 *
 * The component's code and styles are a lazy chunk; until they load a placeholder of the same
 * size is shown.
 *
 * ### Examples
 *
 * ```tsx
 * <AuthUsers databaseId={db.id} pageSize={50} />
 * ```
 */
export function AuthUsers(props: AuthUsersProps) {
  return (
    <LazyPanel
      Impl={AuthUsersImpl}
      props={props}
      slot="auth-users"
      label="End users"
      defaultHeight="var(--bb-auth-users-height, 560px)"
    />
  )
}
