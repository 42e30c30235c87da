/**
 * End-user auth for Basebox project databases: accounts in each database's `users` table,
 * argon2id passwords, sessions with rotating refresh tokens and reuse detection, HS256 access
 * tokens per database, password reset and email verification, API keys, and sign-in
 * throttling. Runs in Node and in the browser (PGlite); `@basebox/auth/node` adds a worker
 * thread password hasher for servers.
 *
 * @module
 */
export * from './create-auth.js'
export * from './database-auth/index.js'
export * from './admin-users.js'
export * from './user.js'
export * from './auth-email.js'
export * from './api-keys.js'
export {
  EmailSchema,
  PasswordSchema,
  SignUpInputSchema,
  SignInInputSchema,
  UpdateUserInputSchema,
  UserMetadataSchema,
  SetPasswordInputSchema,
  MAX_USER_METADATA_BYTES,
  MAX_USER_METADATA_DEPTH,
  ChangePasswordInputSchema,
  CompletePasswordResetInputSchema,
  CreateAPIKeyInputSchema,
  MAX_EMAIL_LENGTH,
  type SignUpInput,
  type SignInInput,
  type UpdateUserInput,
  type SetPasswordInput,
  type ChangePasswordInput,
  type CompletePasswordResetInput,
  type CreateAPIKeyInput,
} from './inputs.js'
export * from './password/password-policy.js'
export {
  limitHashing,
  type HashQueueOptions,
  type LimitedPasswordHasher,
} from './password/hash-queue.js'
export {
  createArgon2idHasher,
  isWithinArgon2idPolicy,
  OWASP_ARGON2ID_PARAMS,
  parsePHCString,
  type Argon2idParams,
  type PasswordHasher,
  type PHCString,
} from './password/password-hasher.js'
export {
  MAX_ACCESS_TOKEN_LENGTH,
  CLOCK_TOLERANCE_SECONDS,
  type AccessTokenClaims,
} from './tokens/access-token.js'
export { API_KEY_KINDS, MAX_API_KEY_LENGTH, type APIKeyKind } from './tokens/api-key-format.js'
export * from './throttle/throttle-store.js'
export * from './throttle/memory-throttle-store.js'
export * from './throttle/postgres-throttle-store.js'
export {
  DEFAULT_SIGN_IN_THROTTLE_RULES,
  KNOWN_ADDRESS_MS,
  type SignInThrottleRules,
} from './throttle/sign-in-throttle.js'
export {
  AUTH_MIGRATIONS,
  AUTH_SCHEMA_VERSION,
  type AuthMigration,
} from './storage/auth-migrations.js'
export {
  authSchemaName,
  ONE_TIME_TOKEN_PURPOSES,
  type OneTimeTokenPurpose,
} from './storage/auth-schema.js'
