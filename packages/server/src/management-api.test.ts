import {
  createRemoteClient,
  isBaseboxError,
  MANAGEMENT_API,
  ValidationError,
  MANAGEMENT_PATH_PARAMETERS,
  type BaseboxClient,
  type ManagementOperationId,
  type ManagementPathParameter,
} from '@basebox/client'
import { createLocalClient, type Basebox } from '@basebox/core'
import type { TestHarness } from '@basebox/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandler, type BaseboxHandler } from './handler.js'
import { managementOpenAPI } from './openapi.js'
import { Router, type Match } from './router.js'
import { addManagementRoutes, type ManagementContext } from './routes/management.js'
import { testBackends } from './testing.js'

// Every operation of the one table (MANAGEMENT_API) must be routed by the server, published in
// OpenAPI, called by the remote client and checked by the local client. The lists below are
// keyed by the table's ids, so an operation added without its calls fails to type-check, and
// one missing at run time fails here.

const IDS = Object.keys(MANAGEMENT_API) as ManagementOperationId[]
type Params = Record<ManagementPathParameter, string>

type ClientOperationId = {
  [K in ManagementOperationId]: (typeof MANAGEMENT_API)[K]['client'] extends null ? never : K
}[ManagementOperationId]
type CheckedOperationId = {
  [K in ClientOperationId]: (typeof MANAGEMENT_API)[K] extends { input: unknown } ? K : never
}[ClientOperationId]

const SAMPLE: Params = {
  projectId: 'p-1',
  databaseId: 'd-1',
  table: 'posts',
  recordId: 'r-1',
  keyId: 'k-1',
  userId: 'u-1',
  templateId: 'blog',
}
const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000'

function pathOf(id: ManagementOperationId, params: Params): string {
  return MANAGEMENT_API[id].path.replace(/:(\w+)/g, (_m, name: string) =>
    encodeURIComponent(params[name as ManagementPathParameter]),
  )
}

/** A valid call of each operation's client method, with the path parameters `p`. */
const CALLS: { [K in ClientOperationId]: (c: BaseboxClient, p: Params) => Promise<unknown> } = {
  listProjects: (c) => c.listProjects(),
  createProject: (c) => c.createProject({ name: 'Blog' }),
  getProject: (c, p) => c.getProject(p.projectId),
  updateProject: (c, p) => c.updateProject(p.projectId, { name: 'Journal' }),
  deleteProject: (c, p) => c.deleteProject(p.projectId),
  getProjectDatabase: (c, p) => c.getDatabase(p.projectId),
  deleteDatabase: (c, p) => c.deleteDatabase(p.projectId),
  createDatabase: (c) => c.createDatabase(UNKNOWN_UUID),
  listTables: (c, p) => c.listTables(p.databaseId),
  createTable: (c, p) =>
    c.createTable(p.databaseId, {
      name: 'tags',
      columns: [{ name: 'id', type: 'integer', primary_key: true }],
    }),
  planChanges: (c, p) => c.planChanges(p.databaseId, []),
  applyPlan: (c, p) => c.applyPlan(p.databaseId, { steps: [] }),
  getTable: (c, p) => c.getTable(p.databaseId, p.table),
  getAccessPolicies: (c, p) => c.getAccessPolicies(p.databaseId, p.table),
  dropTable: (c, p) => c.dropTable(p.databaseId, p.table, { cascade: true }),
  insertRecords: (c, p) => c.insertRows(p.databaseId, 'posts', { title: 'x' }),
  upsertRecords: (c, p) => c.upsertRows(p.databaseId, 'posts', { title: 'x' }),
  queryRecords: (c, p) => c.selectRows(p.databaseId, 'posts'),
  updateRecords: (c, p) => c.updateRows(p.databaseId, 'posts', { title: 'x' }, { title: 'y' }),
  deleteRecords: (c, p) => c.deleteRows(p.databaseId, 'posts', { title: 'x' }),
  runSQL: (c, p) => c.runSQL(p.databaseId, 'select 1'),
  exportDatabase: (c, p) => c.exportDatabase(p.databaseId, { format: 'json' }),
  importDatabase: (c, p) =>
    c.importData(p.databaseId, '{"format":"basebox","version":1,"tables":[]}', { format: 'json' }),
  listAPIKeys: (c, p) => c.listAPIKeys(p.databaseId),
  createAPIKey: (c, p) => c.createAPIKey(p.databaseId, { name: 'k', kind: 'anon' }),
  revokeAPIKey: (c, p) => c.revokeAPIKey(p.databaseId, p.keyId),
  rotateJWTSecret: (c, p) => c.rotateJWTSecret(p.databaseId),
  listEndUsers: (c, p) => c.listEndUsers(p.databaseId),
  createEndUser: (c, p) => c.createEndUser(p.databaseId, { email: 'ada@example.com' }),
  updateEndUser: (c, p) => c.updateEndUser(p.databaseId, p.userId, { disabled: true }),
  deleteEndUser: (c, p) => c.deleteEndUser(p.databaseId, p.userId),
  sendPasswordReset: (c, p) => c.sendPasswordReset(p.databaseId, p.userId),
  revokeEndUserSessions: (c, p) => c.revokeEndUserSessions(p.databaseId, p.userId),
  auditLog: (c, p) => c.auditLog(p.databaseId, { limit: 5 }),
  listSchemaTemplates: (c) => c.listSchemaTemplates(),
  getSchemaTemplate: (c, p) => c.getSchemaTemplate(p.templateId),
  generateTables: (c, p) => c.generateTables(p.databaseId, { description: 'a blog' }).result,
  refineTables: (c, p) =>
    c.refineTables(p.databaseId, { messages: [{ role: 'user', content: 'add tags' }] }).result,
  generateSQL: (c, p) => c.generateSQL(p.databaseId, { question: 'how many posts?' }),
}

/** A call of each operation with a body that its schema refuses, with the path parameters `p` of a real database. */
const INVALID: { [K in CheckedOperationId]: (c: BaseboxClient, p: Params) => Promise<unknown> } = {
  createProject: (c) => c.createProject({ name: '' }),
  updateProject: (c, p) => c.updateProject(p.projectId, { name: 42 as never }),
  createDatabase: (c, p) => c.createDatabase(p.projectId, { name: '' }),
  createTable: (c, p) =>
    c.createTable(p.databaseId, {
      name: 'tags',
      columns: [{ name: 'id', type: 'varchar' as never }],
    }),
  planChanges: (c, p) =>
    c.planChanges(p.databaseId, [
      { name: 'posts', columns: [{ name: 'id', type: 'varchar' as never }] },
    ]),
  applyPlan: (c, p) => c.applyPlan(p.databaseId, { steps: [{ kind: 'explode', table: 'posts' }] }),
  insertRecords: (c, p) =>
    c.insertRows(p.databaseId, 'posts', { title: 'x' }, { returning: 'yes' as never }),
  upsertRecords: (c, p) =>
    c.upsertRows(p.databaseId, 'posts', { title: 'x' }, { resolution: 'replace' as never }),
  queryRecords: (c, p) => c.selectRows(p.databaseId, 'posts', { limit: 'ten' as never }),
  updateRecords: (c, p) =>
    c.updateRows(p.databaseId, 'posts', {}, { title: 'y' }, { all: 'yes' as never }),
  deleteRecords: (c, p) => c.deleteRows(p.databaseId, 'posts', 'everything' as never),
  runSQL: (c, p) => c.runSQL(p.databaseId, 42 as never),
  exportDatabase: (c, p) => c.exportDatabase(p.databaseId, { format: 'xml' as never }),
  importDatabase: (c, p) => c.importData(p.databaseId, 'x', { format: 'xml' as never }),
  createAPIKey: (c, p) => c.createAPIKey(p.databaseId, { name: '', kind: 'anon' }),
  rotateJWTSecret: (c, p) => c.rotateJWTSecret(p.databaseId, { keepPrevious: 'no' as never }),
  listEndUsers: (c, p) => c.listEndUsers(p.databaseId, { limit: 0 }),
  createEndUser: (c, p) => c.createEndUser(p.databaseId, { email: 42 as never }),
  updateEndUser: (c, p) =>
    c.updateEndUser(p.databaseId, UNKNOWN_UUID, { disabled: 'yes' as never }),
  generateTables: (c, p) => c.generateTables(p.databaseId, { description: '' }).result,
  refineTables: (c, p) => c.refineTables(p.databaseId, { messages: [] }).result,
  generateSQL: (c, p) => c.generateSQL(p.databaseId, { question: ' ' }),
}

const clientIds = IDS.filter((id): id is ClientOperationId => MANAGEMENT_API[id].client !== null)
const checkedIds = clientIds.filter((id): id is CheckedOperationId => 'input' in MANAGEMENT_API[id])

/** A remote client whose fetch records each request and answers `{}`, and the names of the client methods called. */
function recordingClient() {
  const requests: { method: string; path: string; search: string }[] = []
  const methods: string[] = []
  const remote = createRemoteClient({
    url: 'http://basebox.test',
    fetch: async (input, init) => {
      const url = new URL(input)
      requests.push({ method: init.method ?? 'GET', path: url.pathname, search: url.search })
      const streamed =
        init.headers instanceof Headers && init.headers.get('accept') === 'application/x-ndjson'
      return streamed
        ? new Response('{"type":"result","result":{}}\n', {
            headers: { 'content-type': 'application/x-ndjson' },
          })
        : new Response('{}', { headers: { 'content-type': 'application/json' } })
    },
  })
  const client = new Proxy(remote, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver)
      if (typeof value === 'function' && typeof key === 'string') {
        return (...args: unknown[]) => {
          methods.push(key)
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      }
      return value
    },
  })
  return { client, requests, methods }
}

describe('the management API table', () => {
  it('has a call here for every operation a client method makes, and a refused body for every one it checks', () => {
    expect(Object.keys(CALLS).sort()).toEqual([...clientIds].sort())
    expect(Object.keys(INVALID).sort()).toEqual([...checkedIds].sort())
  })

  it('names every BaseboxClient method of the remote client once', () => {
    const { client } = recordingClient()
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(client)).filter(
      (name) => name !== 'constructor',
    )
    expect(clientIds.map((id) => MANAGEMENT_API[id].client).sort()).toEqual(methods.sort())
  })

  it('names only path parameters it knows', () => {
    for (const id of IDS) {
      for (const [, name] of MANAGEMENT_API[id].path.matchAll(/:(\w+)/g)) {
        expect(Object.keys(MANAGEMENT_PATH_PARAMETERS), `${id}: :${name}`).toContain(name)
      }
    }
  })

  describe.each(IDS)('%s', (id) => {
    const operation = MANAGEMENT_API[id]

    it('is routed by the server, and no other operation takes its method and path', () => {
      const router = new Router<ManagementContext>()
      addManagementRoutes(router)
      const match = router.match(operation.method, pathOf(id, SAMPLE))
      const names = [...operation.path.matchAll(/:(\w+)/g)].map(
        (m) => m[1] as ManagementPathParameter,
      )
      expect(match).toBeTypeOf('object')
      expect((match as Match<ManagementContext>).params).toEqual(
        Object.fromEntries(names.map((name) => [name, SAMPLE[name]])),
      )
      for (const other of IDS.filter(
        (o) => o !== id && MANAGEMENT_API[o].method === operation.method,
      )) {
        const alone = new Router<ManagementContext>().on(
          MANAGEMENT_API[other].method,
          MANAGEMENT_API[other].path,
          async () => new Response(),
        )
        expect(
          alone.match(operation.method, pathOf(id, SAMPLE)),
          `${other} also takes ${operation.method} ${pathOf(id, SAMPLE)}`,
        ).toBeUndefined()
      }
    })

    it('is in the OpenAPI document, with its request body', () => {
      const paths = managementOpenAPI().paths as Record<
        string,
        Record<string, { operationId: string; requestBody?: unknown }>
      >
      const entry =
        paths[operation.path.replace(/:(\w+)/g, '{$1}')]?.[operation.method.toLowerCase()]
      expect(entry?.operationId).toBe(id)
      expect(entry?.requestBody !== undefined).toBe('input' in operation)
    })

    if (operation.client !== null) {
      const clientId = id as ClientOperationId

      it(`is what the remote client's ${operation.client} calls`, async () => {
        const { client, requests, methods } = recordingClient()
        await CALLS[clientId]?.(client, SAMPLE)
        expect(methods).toEqual([operation.client])
        expect(requests).toHaveLength(1)
        expect(requests[0]).toMatchObject({ method: operation.method, path: pathOf(id, SAMPLE) })
      })

      if (operation.path.includes(':')) {
        it('refuses a path parameter that names nothing, without a request', async () => {
          const { client, requests } = recordingClient()
          const dots = Object.fromEntries(Object.keys(SAMPLE).map((name) => [name, '..'])) as Params
          await expect(CALLS[clientId]!(client, dots)).rejects.toMatchObject({ code: 'NOT_FOUND' })
          expect(requests).toEqual([])
        })
      }
    }
  })
})

// The same refused bodies through the real handler (remote) and on the engine (local).
const [backend] = testBackends()
describe(`${backend!.name}: the local client checks what the server checks`, () => {
  let h: TestHarness
  let bb: Basebox
  let handler: BaseboxHandler
  let params: Params

  beforeAll(async () => {
    h = await backend!.create()
    bb = await h.engine()
    handler = createHandler({ basebox: bb, getOwner: () => 'checker', ai: null })
    const owner = bb.owner('checker')
    const project = await owner.createProject({ name: 'Checks' })
    const database = await owner.createDatabase(project.id)
    params = { ...SAMPLE, projectId: project.id, databaseId: database.info.id }
  })
  afterAll(async () => {
    await h?.close()
  })

  it.each(checkedIds)(
    '%s: both refuse the body with VALIDATION_FAILED and the same issues',
    async (id) => {
      const remote = createRemoteClient({
        url: 'http://basebox.test',
        fetch: (input, init) => handler(new Request(input, init)),
      })
      const local = createLocalClient(bb, 'checker')
      const refused = async (client: BaseboxClient) => {
        try {
          await INVALID[id]!(client, params)
        } catch (error) {
          if (isBaseboxError(error)) {
            return {
              code: error.code,
              issues: error instanceof ValidationError ? error.issues : undefined,
            }
          }
          throw error
        }
        throw new Error(`${id}: expected the call to fail`)
      }
      const fromRemote = await refused(remote)
      expect(fromRemote.code).toBe('VALIDATION_FAILED')
      expect(fromRemote.issues?.length).toBeGreaterThan(0)
      expect(await refused(local)).toEqual(fromRemote)
    },
  )
})
