// DatabaseAuth, split by concept: accounts (sign-up, sign-in, profile), sessions and tokens,
// passwords (change and reset), emails (one-time tokens, verification). Only these are public.
export { DatabaseAuth } from './database-auth.js'
export {
  REFRESH_TOKEN_REUSE_INTERVAL_MS,
  type RotateJWTSecretOptions,
  type SignOutOptions,
} from './sessions.js'
export { PASSWORD_CHANGE_SIGN_IN_WINDOW_MS } from './passwords.js'
