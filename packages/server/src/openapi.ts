import {
  MANAGEMENT_API,
  type ManagementOperation,
  type ManagementOperationId,
} from '@basebox/client'
import { z } from 'zod'
import { AI_SCHEMA_KEYS, MANAGEMENT_SCHEMAS } from './routes/management.js'

type Operation = [method: string, path: string, id: string, body?: keyof typeof MANAGEMENT_SCHEMAS]

/**
 * Every management route as `[method, path, operationId, body]`, for the OpenAPI document:
 * `MANAGEMENT_API` of `@basebox/client`, in its order, with OpenAPI's `{name}` path parameters.
 */
export const MANAGEMENT_OPERATIONS: Operation[] = (
  Object.keys(MANAGEMENT_API) as ManagementOperationId[]
).map((id) => {
  const operation: ManagementOperation = MANAGEMENT_API[id]
  const path = operation.path.replace(/:(\w+)/g, '{$1}')
  return operation.input === undefined
    ? [operation.method.toLowerCase(), path, id]
    : [
        operation.method.toLowerCase(),
        path,
        id,
        ((AI_SCHEMA_KEYS as Partial<Record<ManagementOperationId, string>>)[id] ??
          id) as keyof typeof MANAGEMENT_SCHEMAS,
      ]
})

const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: { type: 'object' },
      },
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
    const parameters = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }))
    paths[path] ??= {}
    paths[path]![method] = {
      operationId,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(body === undefined
        ? {}
        : {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: z.toJSONSchema(MANAGEMENT_SCHEMAS[body], {
                    io: 'input',
                    unrepresentable: 'any',
                  }),
                },
              },
            },
          }),
      responses: {
        '200':
          MANAGEMENT_API[operationId as ManagementOperationId].result === 'ndjson'
            ? {
                description:
                  'NDJSON lines: {"type":"start"}, {"type":"table","table"} per table, then {"type":"result","result"} or {"type":"error","error"}',
                content: { 'application/x-ndjson': {} },
              }
            : { description: 'Success', content: { 'application/json': {} } },
        '4XX': {
          description: 'Bad request, unauthenticated, not found or conflict',
          content: { 'application/json': { schema: ERROR_SCHEMA } },
        },
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Basebox management API', version: '0' },
    components: {
      securitySchemes: {
        host: {
          type: 'http',
          scheme: 'bearer',
          description: 'How the host identifies its user (getOwner)',
        },
      },
    },
    security: [{ host: [] }],
    paths,
  }
}
