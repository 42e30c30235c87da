// A real @basebox/server handler on Node (createHandler + the Node mount) for the browser tests
// that use the remote client. Postgres when DATABASE_URL is set (a fresh catalog schema of its
// own, dropped when it stops; an unreachable Postgres fails), PGlite otherwise. Run as a program
// by src/remote/server.global-setup.ts (`node --conditions=@basebox/source --import tsx`, so workspace
// packages load from source): it prints one `BASEBOX_TEST_SERVER <json>` line when it listens and
// stops on SIGTERM or when its stdin closes.
import type { Basebox } from '@basebox/core'
import {
  createPgHarness,
  createPGliteHarness,
  loadPGliteSnapshot,
  type TestHarness,
} from '@basebox/core/testing'
import { createHandler } from '@basebox/server'
import { toNodeListener } from '@basebox/server/node'
import { PGlite } from '@electric-sql/pglite'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import pg from 'pg'

/** What the browser tests get (`inject('baseboxServer')`). */
export interface BaseboxServerContext {
  /** `http://127.0.0.1:<port>`, where the handler is mounted. */
  url: string
  /** `'postgres'` or `'pglite'`. */
  backend: string
  /** Headers of the project's owner (the management API's `getOwner` reads `authorization`). */
  headers: Record<string, string>
  /** Headers of another owner, who may see none of the owner's projects. */
  strangerHeaders: Record<string, string>
  projectId: string
  databaseId: string
  /**
   * A database whose reads (`GET .../tables`, `POST .../records/query`) the server holds open
   * until the client goes away, counting them: `GET ${url}/__test__/held` answers
   * `{ held, closedByClient }`. For the tests that a query which goes away aborts its request.
   */
  heldDatabaseId: string
}

const OWNERS: Record<string, string> = {
  'Bearer react-remote-owner': 'react-remote-owner',
  'Bearer react-remote-stranger': 'react-remote-stranger',
}

/** Loopback origins on any port: the vitest browser page's (it picks its port when it starts). */
export function isLoopbackOrigin(origin: string): boolean {
  return /^http:\/\/(localhost|127\.0\.0\.1|\[::1\]):\d+$/.test(origin)
}

async function harness(): Promise<TestHarness> {
  const url = process.env.DATABASE_URL
  if (url !== undefined && url !== '') {
    const pool = new pg.Pool({ connectionString: url, max: 6, pipeline: true } as pg.PoolConfig)
    // CI sets DATABASE_URL: a Postgres that does not answer fails the run, it is never skipped.
    await pool.query('select 1').catch(async (error: unknown) => {
      await pool.end().catch(() => {})
      throw new Error(`DATABASE_URL is set but Postgres does not answer: ${String(error)}`, {
        cause: error,
      })
    })
    return createPgHarness(pool)
  }
  return createPGliteHarness(await loadPGliteSnapshot(PGlite))
}

/** Starts the server; `stop` closes it and drops what it made in the database. */
export async function startTestServer(): Promise<{
  context: BaseboxServerContext
  stop: () => Promise<void>
}> {
  const backend = await harness()
  let basebox: Basebox
  try {
    // A new, uniquely named catalog schema: nothing shared with other suites on the same Postgres.
    basebox = await backend.engine()
  } catch (error) {
    await backend.close()
    throw error
  }
  const handler = createHandler({
    basebox,
    getOwner: (request) => OWNERS[request.headers.get('authorization') ?? ''] ?? null,
    cors: { origins: isLoopbackOrigin },
    log: (error) => console.error('basebox test server: request failed', error),
  })
  const listener = toNodeListener(handler)
  const held = { held: 0, closedByClient: 0 }
  let heldDatabaseId = ''
  const holds = (request: IncomingMessage) =>
    heldDatabaseId !== '' &&
    ((request.method === 'GET' && request.url === `/api/database/${heldDatabaseId}/tables`) ||
      (request.method === 'POST' &&
        request.url === `/api/database/${heldDatabaseId}/records/query`))
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const origin = request.headers.origin
    if (request.url === '/__test__/held') {
      response.writeHead(200, {
        'content-type': 'application/json',
        ...(origin !== undefined && isLoopbackOrigin(origin)
          ? { 'access-control-allow-origin': origin, vary: 'Origin' }
          : {}),
      })
      response.end(JSON.stringify(held))
      return
    }
    if (holds(request)) {
      held.held++
      // Answered only if the client is still there after 20 s; a test that aborts closes it first.
      const timer = setTimeout(() => listener(request, response), 20_000)
      response.once('close', () => {
        if (!response.writableEnded) {
          clearTimeout(timer)
          held.closedByClient++
        }
      })
      return
    }
    listener(request, response)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const project_ = await basebox
    .owner('react-remote-owner')
    .createProject({ name: 'React remote tests' })
  const database = await basebox.owner('react-remote-owner').createDatabase(project_.id)
  const heldProject = await basebox
    .owner('react-remote-owner')
    .createProject({ name: 'Held reads' })
  heldDatabaseId = (await basebox.owner('react-remote-owner').createDatabase(heldProject.id)).id
  const context: BaseboxServerContext = {
    url,
    backend: backend.name,
    headers: { authorization: 'Bearer react-remote-owner' },
    strangerHeaders: { authorization: 'Bearer react-remote-stranger' },
    projectId: project_.id,
    databaseId: database.id,
    heldDatabaseId,
  }
  const stop = async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await backend.close()
  }
  return { context, stop }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { context, stop } = await startTestServer()
  let stopping: Promise<void> | undefined
  const end = () => {
    stopping ??= stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('basebox test server: could not stop cleanly', error)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', end)
  process.on('SIGINT', end)
  // The parent (vitest) going away closes stdin: stop then too, so no server outlives the run.
  process.stdin.on('end', end).on('close', end).resume()
  process.stdout.write(`BASEBOX_TEST_SERVER ${JSON.stringify(context)}\n`)
}
