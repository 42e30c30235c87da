// The engine every story runs on: Basebox over PGlite in a Web Worker, persisted in the origin
// private file system, and a local client for the owner `storybook`. Nothing here runs at import
// time; the first story that needs it starts it.
import {
  configureSQLParser,
  createBasebox,
  createLocalClient,
  type Basebox,
  type BaseboxClient,
} from '@basebox/core'
import { pgliteWorkerDriver } from '@basebox/core/pglite-worker'
import { PGliteWorker } from '@electric-sql/pglite/worker'
import wasmURL from 'libpg-query/wasm/libpg-query.wasm?url'

/** The owner every story's client acts for. */
export const STORYBOOK_OWNER = 'storybook'

/** The data directory the seed is kept in, reused across reloads. */
const SHARED_DIR = 'basebox-storybook'
/** Prefix of the directories a second tab (or a second test iframe) uses while the first holds the shared one. */
const TAB_DIR_PREFIX = 'basebox-storybook-tab-'
const LOCK_PREFIX = 'basebox-storybook-dir:'

export interface StoryEngine {
  engine: Basebox
  client: BaseboxClient
  /** The OPFS directory the engine's PGlite keeps its files in. */
  directory: string
  /** Whether this page has the shared (persisted, reused) directory, or a private one of its own. */
  shared: boolean
}

let started: Promise<StoryEngine> | undefined

/**
 * The page's engine and client, started on first use. The first page of the origin gets the
 * shared directory (one PGlite may open an `opfs-ahp://` directory at a time, and it holds a Web
 * Lock on it for as long as the page lives); another page open at the same time gets a private
 * directory of its own, removed by the next page that finds its lock free.
 */
export function storyEngine(): Promise<StoryEngine> {
  started ??= start().catch((error: unknown) => {
    started = undefined
    throw error
  })
  return started
}

/** Resolves once `name`'s lock is held by this page (for the page's life), or false when another page has it. */
function holdLock(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    void navigator.locks.request(LOCK_PREFIX + name, { ifAvailable: true }, (lock) => {
      if (!lock) {
        resolve(false)
        return undefined
      }
      resolve(true)
      // Held until the page goes away.
      return new Promise<never>(() => {})
    })
  })
}

async function removeStaleTabDirectories(): Promise<void> {
  const root = await navigator.storage.getDirectory()
  const held = new Set(((await navigator.locks.query()).held ?? []).map((lock) => lock.name))
  const names: string[] = []
  for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) {
    names.push(name)
  }
  for (const name of names) {
    if (name.startsWith(TAB_DIR_PREFIX) && !held.has(LOCK_PREFIX + name)) {
      await root.removeEntry(name, { recursive: true }).catch(() => {})
    }
  }
}

async function start(): Promise<StoryEngine> {
  // db.sql() parses with libpg-query's WebAssembly: Vite serves the file and gives its URL.
  configureSQLParser({ wasm: new URL(wasmURL, location.href).href })
  let directory = SHARED_DIR
  const shared = await holdLock(SHARED_DIR)
  if (shared) {
    await removeStaleTabDirectories()
  } else {
    directory = TAB_DIR_PREFIX + crypto.randomUUID()
    await holdLock(directory)
  }
  const engine = await createBasebox({
    driver: pgliteWorkerDriver({
      dataDir: `opfs-ahp://${directory}`,
      // A first start creates the cluster and loads 15 MB of WebAssembly: on a busy machine
      // (tests in parallel on two cores) that has taken over a minute.
      startTimeoutMs: 180_000,
      start: (options) =>
        PGliteWorker.create(
          new Worker(new URL('./pglite.worker.ts', import.meta.url), { type: 'module' }),
          options,
        ),
    }),
  })
  console.info(
    `[stories] engine on opfs-ahp://${directory} (${shared ? 'shared' : 'private to this page'})`,
  )
  return { engine, client: createLocalClient(engine, STORYBOOK_OWNER), directory, shared }
}
