// The signed-in playground: a header (who, theme, reset, sign out) over the current route, with
// a local client for the signed-in host user.
import { createAIProvider } from '@basebox/ai'
import type { Auth } from '@basebox/auth'
import { createLocalClient, type Basebox } from '@basebox/core'
import { BaseboxProvider } from '@basebox/react'
import { useMemo, useRef, useState } from 'react'
import { DemoEngineProvider } from './demo/demo-engine.js'
import { resetEngine } from './engine.js'
import { ProjectPage } from './pages/project-page.js'
import { ProjectsPage } from './pages/projects-page.js'
import { SignInPage } from './pages/sign-in-page.js'
import { clearPreferences, useAIKey, useSignedInUser, useTheme } from './preferences.js'
import { toHash, useRoute } from './route.js'
import { ThemeToggle } from './theme-toggle.js'

/** The app around the engine: sign-in first, then the projects of the signed-in user. */
export function App({ engine, auth }: { engine: Basebox; auth: Auth }) {
  const [user, setUser] = useSignedInUser()
  const [theme] = useTheme()
  const route = useRoute()
  const [aiKey] = useAIKey()
  const demoEngine = useMemo(() => ({ engine, auth }), [engine, auth])
  // The AI runs in this page (Codestral through @ai-sdk/mistral) with the key the user pasted;
  // without one the client has no model and the AI says so (templates still work).
  const client = useMemo(
    () =>
      user === null
        ? null
        : createLocalClient(engine, user, {
            // End-user auth on the same engine: the Users and API keys pages need it.
            auth,
            ...(aiKey === null ? {} : { ai: createAIProvider({ apiKey: aiKey }) }),
          }),
    [engine, auth, user, aiKey],
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
          {user !== null && (
            <span className="pg-user" title="The host product's user you act as">
              Signed in as <strong>{user}</strong>
            </span>
          )}
          <ThemeToggle />
          <ResetButton engine={engine} />
          {user !== null && (
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
