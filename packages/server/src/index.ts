/**
 * Basebox over HTTP: `createHandler()` returns one Web-standard fetch handler with the management
 * API and each project's PostgREST-style data API. Mounts: `@basebox/server/node`, `/next`, `/hono`.
 *
 * @module
 */
export * from './handler.js'
export type { CorsOptions } from './cors.js'
export type { TrustedProxies } from './client-address.js'
export {
  STATUS_BY_CODE,
  errorResponse,
  postgrestErrorResponse,
  statusOf,
  toBaseboxError,
} from './error-response.js'
export * from './rate-limit.js'
export * from './openapi.js'
export { MANAGEMENT_SCHEMAS } from './routes/management.js'
export type { DataAPIAuth, DataAPIIdentity } from './routes/data-api.js'
export * from './postgrest/parse-query.js'
export { authForDataAPI } from './routes/auth-api.js'
export * from './postgres-rate-limit-store.js'
