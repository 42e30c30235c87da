import type { ApiKey, CreateApiKeyInput, CreatedApiKey, RotateJwtSecretOptions } from '@basebox/client'
import type { DatabaseHandle } from '../database/database-handle.js'

/**
 * What the local client needs from end-user auth for one database: the calls behind its API key
 * and JWT secret methods. `auth.forDatabase(db)` of `@basebox/auth` is one (core cannot import
 * auth, which sits above it, so the host passes it in).
 */
export interface LocalDatabaseAuth {
  listApiKeys(): Promise<ApiKey[]>
  createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey>
  revokeApiKey(id: string): Promise<ApiKey>
  rotateJwtSecret(options?: RotateJwtSecretOptions): Promise<void>
}

/** End-user auth as the local client takes it: `createAuth({ basebox })` of `@basebox/auth`. */
export interface LocalClientAuth {
  forDatabase(db: DatabaseHandle): LocalDatabaseAuth
}
