import { z } from 'zod'
import { MANAGEMENT_SCHEMAS } from './routes/management.js'

type Operation = [method: string, path: string, id: string, body?: keyof typeof MANAGEMENT_SCHEMAS]

/** Every management route, for the OpenAPI document. Kept beside the router's list by a test. */
export const MANAGEMENT_OPERATIONS: Operation[] = [
  ['get', '/api/projects', 'listProjects'],
  ['post', '/api/projects', 'createProject', 'createProject'],
  ['get', '/api/projects/{projectId}', 'getProject'],
  ['patch', '/api/projects/{projectId}', 'updateProject', 'updateProject'],
  ['delete', '/api/projects/{projectId}', 'deleteProject'],
  ['get', '/api/projects/{projectId}/database', 'getProjectDatabase'],
  ['delete', '/api/projects/{projectId}/database', 'deleteDatabase'],
  ['post', '/api/database/create', 'createDatabase', 'createDatabase'],
  ['get', '/api/database/{databaseId}', 'getDatabase'],
  ['get', '/api/database/{databaseId}/tables', 'listTables'],
  ['post', '/api/database/{databaseId}/tables/create', 'createTable', 'createTable'],
  ['post', '/api/database/{databaseId}/tables/plan', 'planChanges', 'planChanges'],
  ['post', '/api/database/{databaseId}/tables/apply', 'applyPlan', 'applyPlan'],
  ['get', '/api/database/{databaseId}/tables/{table}', 'getTable'],
  ['get', '/api/database/{databaseId}/tables/{table}/access', 'getAccessPolicies'],
  ['delete', '/api/database/{databaseId}/tables/{table}', 'dropTable'],
  ['post', '/api/database/{databaseId}/records/create', 'insertRecords', 'insertRecords'],
  ['post', '/api/database/{databaseId}/records/upsert', 'upsertRecords', 'upsertRecords'],
  ['post', '/api/database/{databaseId}/records/query', 'queryRecords', 'queryRecords'],
  ['post', '/api/database/{databaseId}/records/update', 'updateRecords', 'updateRecords'],
  ['post', '/api/database/{databaseId}/records/delete', 'deleteRecords', 'deleteRecords'],
  ['put', '/api/database/{databaseId}/records/{table}/{recordId}', 'updateRecord', 'updateRecord'],
  ['delete', '/api/database/{databaseId}/records/{table}/{recordId}', 'deleteRecord'],
  ['post', '/api/database/{databaseId}/sql', 'runSQL', 'runSQL'],
  ['post', '/api/database/{databaseId}/export', 'exportDatabase', 'exportDatabase'],
  ['post', '/api/database/{databaseId}/import', 'importDatabase', 'importDatabase'],
  ['get', '/api/database/{databaseId}/keys', 'listApiKeys'],
  ['post', '/api/database/{databaseId}/keys', 'createApiKey', 'createApiKey'],
  ['delete', '/api/database/{databaseId}/keys/{keyId}', 'revokeApiKey'],
  ['post', '/api/database/{databaseId}/jwt-secret/rotate', 'rotateJwtSecret', 'rotateJwtSecret'],
  ['post', '/api/database/{databaseId}/users/query', 'listEndUsers', 'listEndUsers'],
  ['post', '/api/database/{databaseId}/users', 'createEndUser', 'createEndUser'],
  ['patch', '/api/database/{databaseId}/users/{userId}', 'updateEndUser', 'updateEndUser'],
  ['delete', '/api/database/{databaseId}/users/{userId}', 'deleteEndUser'],
  ['post', '/api/database/{databaseId}/users/{userId}/password-reset', 'sendPasswordReset'],
  ['delete', '/api/database/{databaseId}/users/{userId}/sessions', 'revokeEndUserSessions'],
  ['get', '/api/database/{databaseId}/audit', 'auditLog'],
  ['get', '/api/ai/templates', 'listSchemaTemplates'],
  ['get', '/api/ai/templates/{templateId}', 'getSchemaTemplate'],
  // Answers NDJSON lines: {"type":"start"}, {"type":"table"} per table, then {"type":"result"} or {"type":"error"}.
  ['post', '/api/database/{databaseId}/ai/tables/generate', 'generateTables', 'aiGenerateTables'],
  ['post', '/api/database/{databaseId}/ai/tables/refine', 'refineTables', 'aiRefineTables'],
  ['post', '/api/database/{databaseId}/ai/sql', 'generateSQL', 'aiGenerateSQL'],
]

/** The operations that answer a stream of NDJSON lines. */
const STREAMED = new Set(['generateTables', 'refineTables'])

const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
      required: ['code', 'message'],
    },
  },
}

/**
 * The OpenAPI 3.1 document of the management API, generated from the same zod schemas that
 * validate its requests.
 */
export function managementOpenAPI(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const [method, path, operationId, body] of MANAGEMENT_OPERATIONS) {
    const parameters = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }))
    paths[path] ??= {}
    paths[path]![method] = {
      operationId,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(body === undefined
        ? {}
        : { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(MANAGEMENT_SCHEMAS[body], { io: 'input', unrepresentable: 'any' }) } } } }),
      responses: {
        '200': STREAMED.has(operationId)
          ? { description: 'NDJSON lines: {"type":"start"}, {"type":"table","table"} per table, then {"type":"result","result"} or {"type":"error","error"}', content: { 'application/x-ndjson': {} } }
          : { description: 'Success', content: { 'application/json': {} } },
        '4XX': { description: 'Bad request, unauthenticated, not found or conflict', content: { 'application/json': { schema: ERROR_SCHEMA } } },
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Basebox management API', version: '0' },
    components: { securitySchemes: { host: { type: 'http', scheme: 'bearer', description: 'How the host identifies its user (getOwner)' } } },
    security: [{ host: [] }],
    paths,
  }
}
