import type { DatabaseHandle } from '@basebox/core'
import type { AuthContext } from '../create-auth.js'
import type { AuthStore } from '../storage/auth-store.js'
import type { SignInThrottle } from '../throttle/sign-in-throttle.js'

/**
 * What every part of one {@link DatabaseAuth} works with: the shared auth context, the project
 * database and its auth store and sign-in throttle.
 * @internal
 */
export interface DatabaseAuthScope {
  readonly ctx: AuthContext
  readonly db: DatabaseHandle
  readonly store: AuthStore
  readonly throttle: SignInThrottle
  /** The project database's id: the `aud` of its access tokens. */
  readonly databaseId: string
}
