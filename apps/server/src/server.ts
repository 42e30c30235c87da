import { createAuth, type Auth } from '@basebox/auth'
import { createBasebox, type Basebox } from '@basebox/core'
import { pgDriver } from '@basebox/core/pg'
import { pgliteDriver } from '@basebox/core/pglite'
import { authForDataAPI, createHandler, createRateLimiter } from '@basebox/server'
import { toNodeListener } from '@basebox/server/node'
import { PGlite } from '@electric-sql/pglite'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** PostgreSQL URL; without it, embedded PGlite persisted in `dataDir`. */
  databaseUrl?: string
  /** Where PGlite keeps its files. Default is `.pglite-data`; `memory://` keeps nothing. */
  dataDir?: string
  /** Default is 8787; 0 picks a free port. */
  port?: number
  /** Seeds a demo project on first start. Default is `true`. */
  seed?: boolean
  /**
   * The token the host's users send as `Authorization: Bearer <token>`; this example maps it to
   * one owner. A real host checks its own sessions in `getOwner`.
   */
  ownerToken?: string
}

/** A running example server. */
export interface RunningServer {
  url: string
  basebox: Basebox
  auth: Auth
  /** The demo project, when it was seeded by this start. */
  demo?: { projectId: string; databaseId: string; dataURL: string; anonKey: string; serviceKey: string }
  close(): Promise<void>
}

const DEMO_OWNER = 'demo-owner'

/** Starts the example server: engine, auth, handler, Node mount. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const driver = options.databaseUrl
    ? pgDriver(new pg.Pool({ connectionString: options.databaseUrl, pipeline: true } as pg.PoolConfig))
    : pgliteDriver(await PGlite.create(options.dataDir ?? '.pglite-data'))
  const basebox = await createBasebox({ driver })
  const auth = await createAuth({ basebox })
  const ownerToken = options.ownerToken ?? 'dev-owner-token'
  const handler = createHandler({
    basebox,
    getOwner: (request) => (request.headers.get('authorization') === `Bearer ${ownerToken}` ? DEMO_OWNER : null),
    dataAuth: authForDataAPI(auth),
    rateLimit: createRateLimiter({ max: 6000, windowMs: 60_000 }),
  })
  const server: Server = createServer(toNodeListener(handler))
  await new Promise<void>((resolve) => server.listen(options.port ?? 8787, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const running: RunningServer = {
    url,
    basebox,
    auth,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await basebox.destroy()
    },
  }
  const owner = basebox.owner(DEMO_OWNER)
  if ((options.seed ?? true) && (await owner.listProjects()).length === 0) {
    const project = await owner.createProject({ name: 'Demo', description: 'seeded on first start' })
    const db = await owner.createDatabase(project.id)
    await db.createTable({
      name: 'todos',
      columns: [
        { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
        { name: 'owner_id', type: 'uuid', required: true, references: { table: 'users', on_delete: 'cascade' } },
        { name: 'title', type: 'text', required: true },
        { name: 'done', type: 'boolean', required: true, default: false },
        { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
      ],
      access: { select: 'owner', insert: 'owner', update: 'owner', delete: 'owner', owner_column: 'owner_id' },
    })
    const keys = auth.forDatabase(db)
    running.demo = {
      projectId: project.id,
      databaseId: db.id,
      dataURL: `${url}/db/${db.id}`,
      anonKey: (await keys.createApiKey({ name: 'demo browser key', kind: 'anon' })).key,
      serviceKey: (await keys.createApiKey({ name: 'demo server key', kind: 'service' })).key,
    }
  }
  return running
}
