// The playground's engine: Basebox over PGlite in a Web Worker, persisted in IndexedDB. One page
// of the origin at a time opens the database: it holds a Web Lock for as long as it lives, and a
// second tab waits for that lock (and says so) instead of opening the same files, which two
// PGlite instances writing at once would corrupt.
import { createAuth, type Auth, type AuthEmail } from '@basebox/auth'
import { configureSQLParser, createBasebox, type Basebox } from '@basebox/core'
import { pgliteWorkerDriver } from '@basebox/core/pglite-worker'
import { PGliteWorker } from '@electric-sql/pglite/worker'
import wasmURL from 'libpg-query/wasm/libpg-query.wasm?url'
import { takeWorker } from './worker-start.js'

/** Where PGlite keeps the playground's data. */
export const DATA_DIR = 'idb://basebox-playground'
/** The IndexedDB database PGlite makes of {@link DATA_DIR}. */
const IDB_NAME = '/pglite/basebox-playground'
/** The Web Lock held by the page that has the database open. */
const LOCK_NAME = 'basebox-playground:database'

/**
 * Resolves once this page holds the database lock, for the rest of its life. Calls `onWaiting`
 * first when another page has it: the promise then resolves when that page closes or reloads.
 */
export function holdDatabaseLock(onWaiting: () => void): Promise<void> {
  return new Promise((resolve) => {
    void navigator.locks.request(LOCK_NAME, { ifAvailable: true }, (lock) => {
      if (lock !== null) {
        resolve()
        // Held until the page goes away.
        return new Promise<never>(() => {})
      }
      onWaiting()
      void navigator.locks.request(LOCK_NAME, () => {
        resolve()
        return new Promise<never>(() => {})
      })
      return undefined
    })
  })
}

/** Starts the engine on {@link DATA_DIR}; call it only while holding the lock. */
export async function startEngine(): Promise<Basebox> {
  // The SQL panel's statements are parsed with libpg-query's WebAssembly: Vite serves the file.
  configureSQLParser({ wasm: new URL(wasmURL, location.href).href })
  return createBasebox({
    driver: pgliteWorkerDriver({
      dataDir: DATA_DIR,
      // A first start creates the cluster and loads 15 MB of WebAssembly: slow on a busy machine.
      startTimeoutMs: 180_000,
      start: async (options) => {
        // The worker main.tsx started before the app loaded, the first time (worker-start.ts).
        const pglite = await PGliteWorker.create(takeWorker(), options)
        // `create` resolves once the worker answered; PGlite itself (its files read from
        // IndexedDB) is up once the worker says this page is connected.
        await pglite.waitReady
        // A user-timing mark of the boot (bench/src/playground/run.ts reads it).
        performance.mark('basebox-playground:pglite-ready')
        return pglite
      },
    }),
  })
}

/** The emails end-user auth would send (resets, invites): the playground has no mailer, so they are kept here. */
export const outbox: AuthEmail[] = []

/**
 * End-user auth for every project database, running in this page on the same engine (as
 * `@basebox/auth` runs on a server): the admin pages (users, API keys) use it through the local
 * client. Emails go to {@link outbox} and the console.
 */
export function startAuth(engine: Basebox): Promise<Auth> {
  return createAuth({
    basebox: engine,
    sendEmail: async (email) => {
      outbox.push(email)
      console.info('[playground] an email auth would send:', email)
    },
  })
}

/**
 * Closes the engine (its worker ends, and with it the IndexedDB connection) and deletes the
 * playground's IndexedDB database: the next start begins from nothing.
 */
export async function resetEngine(engine: Basebox | null): Promise<void> {
  await engine?.destroy()
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(IDB_NAME)
    request.onsuccess = () => resolve()
    request.onerror = () =>
      reject(request.error ?? new Error('the playground database could not be deleted'))
    // `blocked` is followed by `success` once the last connection closes.
  })
}
