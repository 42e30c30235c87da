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
  databaseURL?: string
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
  /**
   * Origins whose pages may call the server from a browser (CORS), or `'*'`. Default is none:
   * only same-origin pages and non-browser clients.
   */
  corsOrigins?: readonly string[] | '*'
  /**
   * The proxies in front of the server whose `X-Forwarded-For` is believed, as addresses or
   * CIDR ranges, or a hop count. Default is none: the client is the socket's peer.
   */
  trustedProxies?: readonly string[] | number
  /** Where errors are logged (5xx causes, lost idle database connections). Default is `console.error`. */
  log?: (message: string, error: unknown) => void
}

/** A running example server. */
export interface RunningServer {
  url: string
  basebox: Basebox
  auth: Auth
  /** The demo project, when it was seeded by this start. */
  demo?: {
    projectId: string
    databaseId: string
    dataURL: string
    anonKey: string
    serviceKey: string
  }
  close(): Promise<void>
}

const DEMO_OWNER = 'demo-owner'

/** Starts the example server: engine, auth, handler, Node mount. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((message: string, error: unknown) => console.error(message, error))
  let driver
  if (options.databaseURL) {
    const pool = new pg.Pool({
      connectionString: options.databaseURL,
      pipeline: true,
    } as pg.PoolConfig)
    // An idle connection that Postgres ends (a restart, a failover, pg_terminate_backend) is
    // reported on the pool: without a listener Node would exit. Log it; the pool opens a new one.
    pool.on('error', (error) => log('basebox: an idle database connection was lost', error))
    driver = pgDriver(pool)
  } else {
    driver = pgliteDriver(await PGlite.create(options.dataDir ?? '.pglite-data'))
  }
  const basebox = await createBasebox({ driver })
  const auth = await createAuth({ basebox })
  const ownerToken = options.ownerToken ?? 'dev-owner-token'
  const handler = createHandler({
    basebox,
    getOwner: (request) =>
      request.headers.get('authorization') === `Bearer ${ownerToken}` ? DEMO_OWNER : null,
    dataAuth: authForDataAPI(auth),
    // The management API's end-user and API key routes (the React kit's AuthUsers and APIKeys).
    auth,
    rateLimit: createRateLimiter({ max: 6000, windowMs: 60_000 }),
    log: (error) => log('basebox: request failed', error),
    ...(options.corsOrigins === undefined ? {} : { cors: { origins: options.corsOrigins } }),
    ...(options.trustedProxies === undefined ? {} : { trustedProxies: options.trustedProxies }),
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
    const project = await owner.createProject({
      name: 'Demo',
      description: 'seeded on first start',
    })
    const db = await owner.createDatabase(project.id)
    await db.createTable({
      name: 'todos',
      columns: [
        { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
        {
          name: 'owner_id',
          type: 'uuid',
          required: true,
          references: { table: 'users', on_delete: 'cascade' },
        },
        { name: 'title', type: 'text', required: true },
        { name: 'done', type: 'boolean', required: true, default: false },
        { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
      ],
      access: {
        select: 'owner',
        insert: 'owner',
        update: 'owner',
        delete: 'owner',
        owner_column: 'owner_id',
      },
    })
    const keys = auth.forDatabase(db)
    running.demo = {
      projectId: project.id,
      databaseId: db.id,
      dataURL: `${url}/db/${db.id}`,
      anonKey: (await keys.createAPIKey({ name: 'demo browser key', kind: 'anon' })).key,
      serviceKey: (await keys.createAPIKey({ name: 'demo server key', kind: 'service' })).key,
    }
  }
  return running
}
