// The signed-in playground: a header (who, theme, connection, reset, sign out) over the current
// route, with a local client for the signed-in host user, or a remote client for a server.
import { createAIProvider } from '@basebox/ai'
import type { Auth } from '@basebox/auth'
import { createLocalClient, type Basebox } from '@basebox/core'
import { BaseboxProvider } from '@basebox/react'
import { useMemo, useRef, useState } from 'react'
import { ConnectionButton, connectionHost, createConnectionClient } from './connection.js'
import { DemoEngineProvider } from './demo/demo-engine.js'
import { resetEngine } from './engine.js'
import { ProjectPage } from './pages/project-page.js'
import { ProjectsPage } from './pages/projects-page.js'
import { SignInPage } from './pages/sign-in-page.js'
import {
  clearPreferences,
  useAIKey,
  useSignedInUser,
  useTheme,
  type Connection,
} from './preferences.js'
import { toHash, useRoute } from './route.js'
import { ThemeToggle } from './theme-toggle.js'

/**
 * What the app runs on: the engine and auth in this page, or a remote server (whose token says
 * who the host user is, so there is no sign-in).
 */
export type Backend =
  { mode: 'local'; engine: Basebox; auth: Auth } | Extract<Connection, { mode: 'remote' }>

/** The app around the engine: sign-in first, then the projects of the signed-in user. */
export function App({ backend }: { backend: Backend }) {
  const [localUser, setUser] = useSignedInUser()
  const [theme] = useTheme()
  const route = useRoute()
  const [aiKey] = useAIKey()
  const remote = backend.mode === 'remote' ? backend : null
  const user = remote === null ? localUser : connectionHost(remote)
  // The Demo app page runs end-user auth on the in-page engine: none in remote mode.
  const demoEngine = useMemo(
    () => (backend.mode === 'local' ? { engine: backend.engine, auth: backend.auth } : null),
    [backend],
  )
  // The AI runs in this page (Codestral through @ai-sdk/mistral) with the key the user pasted;
  // without one the client has no model and the AI says so (templates still work). Remotely,
  // the server's AI answers.
  const client = useMemo(
    () =>
      backend.mode === 'remote'
        ? createConnectionClient(backend)
        : user === null
          ? null
          : createLocalClient(backend.engine, user, {
              // End-user auth on the same engine: the Users and API keys pages need it.
              auth: backend.auth,
              ...(aiKey === null ? {} : { ai: createAIProvider({ apiKey: aiKey }) }),
            }),
    [backend, user, aiKey],
  )
  return (
    <div className="bb-root pg-page" data-theme={theme}>
      <a className="pg-skip" href="#main">
        Skip to content
      </a>
      <header className="pg-header">
        <a className="pg-brand" href={toHash({ name: 'projects' })}>
          Basebox <span>playground</span>
        </a>
        <div className="pg-header-tools">
          {remote !== null ? (
            <span className="pg-user" title="You act as the host user the server gives your token">
              Connected to <strong>{user}</strong>
            </span>
          ) : (
            user !== null && (
              <span className="pg-user" title="The host product's user you act as">
                Signed in as <strong>{user}</strong>
              </span>
            )
          )}
          <ThemeToggle />
          <ConnectionButton />
          {backend.mode === 'local' && <ResetButton engine={backend.engine} />}
          {remote === null && user !== null && (
            <button type="button" className="bb-button" onClick={() => setUser(null)}>
              Sign out
            </button>
          )}
        </div>
      </header>
      <main id="main" className="pg-main" tabIndex={-1}>
        {client === null ? (
          <SignInPage onSignIn={setUser} />
        ) : (
          // A fresh React Query cache per user: nothing of one user's shows for another.
          <BaseboxProvider key={user} client={client}>
            {/* The Demo app page runs end-user auth and data on the same engine. */}
            <DemoEngineProvider value={demoEngine}>
              {route.name === 'projects' ? (
                <ProjectsPage />
              ) : (
                <ProjectPage route={route} theme={theme} />
              )}
            </DemoEngineProvider>
          </BaseboxProvider>
        )}
      </main>
    </div>
  )
}

/** Reset, after a confirmation: closes the engine, deletes the IndexedDB database and reloads. */
function ResetButton({ engine }: { engine: Basebox }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [busy, setBusy] = useState(false)
  const reset = async () => {
    setBusy(true)
    await resetEngine(engine)
    clearPreferences()
    location.hash = '#/'
    location.reload()
  }
  return (
    <>
      <button type="button" className="bb-button" onClick={() => dialog.current?.showModal()}>
        Reset
      </button>
      <dialog ref={dialog} className="pg-dialog" aria-labelledby="pg-reset-title">
        <h2 id="pg-reset-title">Reset the playground?</h2>
        <p>
          Every project, database, table and row kept in this browser is deleted, and you are signed
          out.
        </p>
        <div className="pg-dialog-actions">
          <button
            type="button"
            className="bb-button"
            autoFocus
            onClick={() => dialog.current?.close()}
          >
            Cancel
          </button>
          <button
            type="button"
            className="bb-button"
            data-variant="danger"
            aria-busy={busy}
            disabled={busy}
            onClick={() => void reset()}
          >
            Delete everything
          </button>
        </div>
      </dialog>
    </>
  )
}
