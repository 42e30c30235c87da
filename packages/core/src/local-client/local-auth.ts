import type {
  APIKey,
  CreateAPIKeyInput,
  CreatedAPIKey,
  CreateEndUserInput,
  EndUser,
  EndUserPage,
  ListEndUsersOptions,
  RotateJWTSecretOptions,
  SentPasswordReset,
  UpdateEndUserInput,
} from '@basebox/client'
import type { DatabaseHandle } from '../database/database-handle.js'

/** The end-user admin of one database: `auth.forDatabase(db).admin` of `@basebox/auth`. */
export interface LocalUserAdmin {
  list(options: Omit<ListEndUsersOptions, 'signal'>): Promise<EndUserPage>
  create(input: CreateEndUserInput): Promise<EndUser>
  update(id: string, changes: UpdateEndUserInput): Promise<EndUser>
  delete(id: string): Promise<void>
  revokeSessions(id: string): Promise<number>
  sendPasswordReset(id: string): Promise<SentPasswordReset>
}

/**
 * What the local client needs from end-user auth for one database: the calls behind its API key,
 * JWT secret and end-user methods, and the access-token check of `createLocalDataClient`. `auth.forDatabase(db)` of `@basebox/auth` is one (core cannot import
 * auth, which sits above it, so the host passes it in).
 */
export interface LocalDatabaseAuth {
  listAPIKeys(): Promise<APIKey[]>
  createAPIKey(input: CreateAPIKeyInput): Promise<CreatedAPIKey>
  revokeAPIKey(id: string): Promise<APIKey>
  rotateJWTSecret(options?: RotateJWTSecretOptions): Promise<void>
  /**
   * Checks an end user's access token for this database (signature, audience, expiry) and
   * returns its claims; `UNAUTHENTICATED` otherwise. Behind `createLocalDataClient`.
   */
  verifyAccessToken(token: string): Promise<{ sub: string }>
  readonly admin: LocalUserAdmin
}

/** End-user auth as the local client takes it: `createAuth({ basebox })` of `@basebox/auth`. */
export interface LocalClientAuth {
  forDatabase(db: DatabaseHandle): LocalDatabaseAuth
}
