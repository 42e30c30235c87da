// The boot screen: takes the database lock (or says another tab has it), starts the engine once
// for the page, then shows the app. A failure to start is shown with a way to reset. Connected to
// a remote server instead, there is no engine in the page: the app starts at once.
import type { Auth } from '@basebox/auth'
import type { Basebox } from '@basebox/core'
import { useSyncExternalStore } from 'react'
import { App, type Backend } from './app.js'
import { ConnectionButton, ConnectionProvider } from './connection.js'
import { holdDatabaseLock, resetEngine, startAuth, startEngine } from './engine.js'
import { readConnection, useTheme, type Connection } from './preferences.js'
import { ThemeToggle } from './theme-toggle.js'

type BootState =
  | { step: 'locking' }
  | { step: 'elsewhere' }
  | { step: 'starting' }
  | { step: 'ready'; backend: Backend }
  | { step: 'failed'; message: string; resettable: boolean }

const LOCAL: Connection = { mode: 'local' }

let state: BootState = { step: 'locking' }
const listeners = new Set<() => void>()
let booted = false

function set(next: BootState): void {
  state = next
  for (const listener of listeners) {
    listener()
  }
}

/** Starts the page's engine, once (React's strict mode mounts twice). */
function boot(): void {
  if (booted) {
    return
  }
  booted = true
  const connection = readConnection()
  if (connection.mode === 'remote') {
    set({ step: 'ready', backend: connection })
    return
  }
  // Web Locks (and with them PGlite's worker) exist only in secure contexts.
  if (!('locks' in navigator)) {
    set({
      step: 'failed',
      message:
        'This page is not a secure context, so its tabs cannot coordinate: open the playground over https, or at http://localhost.',
      resettable: false,
    })
    return
  }
  void holdDatabaseLock(() => set({ step: 'elsewhere' }))
    .then(() => {
      set({ step: 'starting' })
      return startEngine()
    })
    .then(async (engine) => {
      // User-timing marks of the boot (read by bench/src/playground/run.ts and devtools).
      performance.mark('basebox-playground:engine-ready')
      return { engine, auth: await startAuth(engine) }
    })
    .then(
      ({ engine, auth }: { engine: Basebox; auth: Auth }) => {
        performance.mark('basebox-playground:ready')
        set({ step: 'ready', backend: { mode: 'local', engine, auth } })
      },
      (error: unknown) =>
        set({
          step: 'failed',
          message: error instanceof Error ? error.message : String(error),
          resettable: true,
        }),
    )
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  boot()
  return () => listeners.delete(listener)
}

/** The page: boot screens until the engine is up, then {@link App}. */
export function Boot() {
  const current = useSyncExternalStore(subscribe, () => state)
  const [theme] = useTheme()
  if (current.step === 'ready') {
    const { backend } = current
    return (
      // The pages learn the connection from here (they say what differs remotely).
      <ConnectionProvider value={backend.mode === 'local' ? LOCAL : backend}>
        <App backend={backend} />
      </ConnectionProvider>
    )
  }
  return (
    <div className="bb-root pg-page pg-boot" data-theme={theme}>
      <header className="pg-header">
        <span className="pg-brand">
          Basebox <span>playground</span>
        </span>
        <div className="pg-header-tools">
          <ThemeToggle />
          <ConnectionButton />
        </div>
      </header>
      <main className="pg-boot-card" aria-live="polite">
        {current.step === 'elsewhere' ? (
          <>
            <h2>The playground is open in another tab</h2>
            <p>
              Its database is kept in this browser and can be open in one tab at a time. Close the
              other tab and this one opens it at once.
            </p>
          </>
        ) : current.step === 'failed' ? (
          <>
            <h2>The database did not start</h2>
            <p role="alert">{current.message}</p>
            {current.resettable && (
              <button
                type="button"
                className="bb-button"
                data-variant="danger"
                onClick={() => void resetEngine(null).finally(() => location.reload())}
              >
                Reset the playground
              </button>
            )}
          </>
        ) : (
          <p>
            <span className="pg-spinner" aria-hidden="true" /> Starting the database in your
            browser…
          </p>
        )}
      </main>
    </div>
  )
}
