// Test support (not published, not exported): a real engine on PGlite in the page, and a local
// client over it. Only tests import it, so @basebox/core stays out of the package's code.
import {
  createBasebox,
  createLocalClient,
  configureSQLParser,
  type Basebox,
  type BaseboxClient,
} from '@basebox/core'
import { pgliteDriver } from '@basebox/core/pglite'
import { PGlite } from '@electric-sql/pglite'
import { createArgon2idHasher, createAuth, type AuthEmail } from '@basebox/auth'

let parserConfigured = false

/** A fresh in-memory engine with one project and database, and a local client for its owner. */
export async function createTestClient(
  ownerId = 'test-owner',
  options: { auth?: boolean; sendEmail?: boolean } = {},
): Promise<{
  engine: Basebox
  client: BaseboxClient
  /** Builds another local client over the same engine (and auth), e.g. a read-only owner. */
  clientFor: (ownerId: string, readOnly?: boolean) => BaseboxClient
  /** The emails auth sent (with `sendEmail`). */
  emails: AuthEmail[]
  /**
   * Lets a request in with an API key of one of the owner's databases (as the data API does, with
   * `auth`), and waits until its use is recorded.
   */
  verifyAPIKey: (databaseId: string, key: string) => Promise<void>
  projectId: string
  databaseId: string
  destroy: () => Promise<void>
}> {
  if (!parserConfigured && typeof window !== 'undefined') {
    // db.sql() parses with libpg-query's WebAssembly, which a browser host serves.
    configureSQLParser({
      wasm: new URL('../../node_modules/libpg-query/wasm/libpg-query.wasm', import.meta.url).href,
    })
    parserConfigured = true
  }
  const engine = await createBasebox({ driver: pgliteDriver(await PGlite.create()) })
  const emails: AuthEmail[] = []
  // A cheap hasher: the tests are about the components, not the hashing.
  const auth =
    options.auth === true
      ? await createAuth({
          basebox: engine,
          passwordHasher: createArgon2idHasher({ memoryKiB: 64, iterations: 1, parallelism: 1 }),
          ...(options.sendEmail === true
            ? { sendEmail: async (email: AuthEmail) => void emails.push(email) }
            : {}),
        })
      : undefined
  const clientFor = (id: string, readOnly = false) =>
    createLocalClient(engine, id, { ...(auth !== undefined ? { auth } : {}), readOnly })
  const client = clientFor(ownerId)
  const project = await client.createProject({ name: 'Test' })
  const database = await client.createDatabase(project.id)
  const verifyAPIKey = async (databaseId: string, key: string) => {
    if (auth === undefined) {
      throw new Error('verifyAPIKey needs { auth: true }')
    }
    await auth.forDatabase(await engine.owner(ownerId).databaseById(databaseId)).verifyAPIKey(key)
    await auth.settled()
  }
  return {
    engine,
    client,
    clientFor,
    emails,
    verifyAPIKey,
    projectId: project.id,
    databaseId: database.id,
    destroy: () => engine.destroy(),
  }
}
