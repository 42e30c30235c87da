// Test support (not published, not exported): a real engine on PGlite in the page, and a local
// client over it. Only tests import it, so @basebox/core stays out of the package's code.
import { createBasebox, createLocalClient, configureSQLParser, type Basebox, type BaseboxClient } from '@basebox/core'
import { pgliteDriver } from '@basebox/core/pglite'
import { PGlite } from '@electric-sql/pglite'

let parserConfigured = false

/** A fresh in-memory engine with one project and database, and a local client for its owner. */
export async function createTestClient(ownerId = 'test-owner'): Promise<{
  engine: Basebox
  client: BaseboxClient
  projectId: string
  databaseId: string
  destroy: () => Promise<void>
}> {
  if (!parserConfigured && typeof window !== 'undefined') {
    // db.sql() parses with libpg-query's WebAssembly, which a browser host serves.
    configureSQLParser({ wasm: new URL('../../node_modules/libpg-query/wasm/libpg-query.wasm', import.meta.url).href })
    parserConfigured = true
  }
  const engine = await createBasebox({ driver: pgliteDriver(await PGlite.create()) })
  const client = createLocalClient(engine, ownerId)
  const project = await client.createProject({ name: 'Test' })
  const database = await client.createDatabase(project.id)
  return { engine, client, projectId: project.id, databaseId: database.id, destroy: () => engine.destroy() }
}
