import {
  checkPathSegment,
  MANAGEMENT_API,
  parseManagementInput,
  type ManagementInput,
  type ManagementInputOperationId,
} from '@basebox/client'

/**
 * The request bodies of the management API that both the server and the local client check, so
 * that both refuse the same input with the same code: the schemas of `MANAGEMENT_API` from
 * `@basebox/client`, by operation. The server's `MANAGEMENT_SCHEMAS` has every body.
 */
export const MANAGEMENT_REQUEST_SCHEMAS = {
  createProject: MANAGEMENT_API.createProject.input,
  updateProject: MANAGEMENT_API.updateProject.input,
  createDatabase: MANAGEMENT_API.createDatabase.input,
  createTable: MANAGEMENT_API.createTable.input,
  planChanges: MANAGEMENT_API.planChanges.input,
  applyPlan: MANAGEMENT_API.applyPlan.input,
  runSQL: MANAGEMENT_API.runSQL.input,
  createAPIKey: MANAGEMENT_API.createAPIKey.input,
  rotateJWTSecret: MANAGEMENT_API.rotateJWTSecret.input,
  listEndUsers: MANAGEMENT_API.listEndUsers.input,
  createEndUser: MANAGEMENT_API.createEndUser.input,
  updateEndUser: MANAGEMENT_API.updateEndUser.input,
  exportDatabase: MANAGEMENT_API.exportDatabase.input,
  importDatabase: MANAGEMENT_API.importDatabase.input,
} as const

// `undefined` fields are left out, as JSON leaves them out of a request body.
function defined(input: unknown): unknown {
  return typeof input === 'object' && input !== null && !Array.isArray(input)
    ? Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined))
    : input
}

/**
 * The local client's check of an operation's arguments: the body the remote client would send,
 * parsed with the operation's schema from `MANAGEMENT_API`, before the database is looked up, so
 * that the local client refuses what the server refuses, with the same code and issues.
 * @internal
 */
export function checkInput<K extends ManagementInputOperationId>(
  id: K,
  body: unknown,
): ManagementInput<K> {
  return parseManagementInput(id, defined(body), 'invalid arguments')
}

export { checkPathSegment }
