// The playground's connection: in this browser (PGlite in a Web Worker, the default), or a remote
// Basebox server (`apps/server`: its URL and owner token). The header's Connection button opens a
// dialog that checks a remote server before switching; a switch is kept in localStorage and the
// page reloads, so the whole app starts again on the chosen backend (and a local engine's worker
// and database lock are released).
import { createRemoteClient, type BaseboxClient } from '@basebox/client'
import { createContext, useContext, useId, useRef, useState, type FormEvent } from 'react'
import { ErrorNote } from './error-note.js'
import { readConnection, saveConnection, type Connection } from './preferences.js'

/** The remote client of a connection: the management API at `url`, with the token as a bearer. */
export function createConnectionClient(
  connection: Extract<Connection, { mode: 'remote' }>,
): BaseboxClient {
  return createRemoteClient({
    url: connection.url,
    headers: { authorization: `Bearer ${connection.token}` },
  })
}

/** The server a remote connection names, for the header (`127.0.0.1:8787`). */
export function connectionHost(connection: Extract<Connection, { mode: 'remote' }>): string {
  try {
    return new URL(connection.url).host
  } catch {
    return connection.url
  }
}

const ConnectionContext = createContext<Connection>({ mode: 'local' })

/** Gives the pages the connection the page started with. */
export const ConnectionProvider = ConnectionContext.Provider

/** The connection the page started with (pages say what differs in remote mode). */
export function useConnection(): Connection {
  return useContext(ConnectionContext)
}

/** The header's Connection button and its dialog. */
export function ConnectionButton() {
  const current = readConnection()
  const dialog = useRef<HTMLDialogElement>(null)
  return (
    <>
      <button type="button" className="bb-button" onClick={() => dialog.current?.showModal()}>
        Connection: {current.mode === 'local' ? 'this browser' : 'remote'}
      </button>
      <dialog ref={dialog} className="pg-dialog" aria-labelledby="pg-connection-title">
        <ConnectionForm current={current} onCancel={() => dialog.current?.close()} />
      </dialog>
    </>
  )
}

function ConnectionForm({ current, onCancel }: { current: Connection; onCancel: () => void }) {
  const id = useId()
  const [mode, setMode] = useState<Connection['mode']>(current.mode)
  const [url, setURL] = useState(current.mode === 'remote' ? current.url : 'http://127.0.0.1:8787')
  const [token, setToken] = useState(current.mode === 'remote' ? current.token : '')
  const [checking, setChecking] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    const next: Connection =
      mode === 'local'
        ? { mode }
        : { mode, url: url.trim().replace(/\/+$/, ''), token: token.trim() }
    if (next.mode === 'remote') {
      setChecking(true)
      try {
        // The server answers for the token's owner: a wrong token is UNAUTHENTICATED, a server
        // that is down (or does not allow this origin) cannot be reached.
        await createConnectionClient(next).listProjects()
      } catch (failure) {
        setError(failure)
        setChecking(false)
        return
      }
    }
    saveConnection(next)
    location.hash = '#/'
    location.reload()
  }
  return (
    <form onSubmit={(event) => void submit(event)} className="pg-stack">
      <h2 id="pg-connection-title">Connection</h2>
      <fieldset className="pg-connection-modes">
        <legend>Where the data lives</legend>
        <label>
          <input
            type="radio"
            name={`${id}-mode`}
            checked={mode === 'local'}
            onChange={() => setMode('local')}
          />{' '}
          In this browser (PGlite)
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-mode`}
            checked={mode === 'remote'}
            onChange={() => setMode('remote')}
          />{' '}
          Remote server
        </label>
      </fieldset>
      {mode === 'remote' && (
        <>
          <p className="pg-muted">
            A Basebox server such as <code>apps/server</code>: the URL it prints, and its owner
            token (<code>BASEBOX_OWNER_TOKEN</code>, <code>dev-owner-token</code> unless set). You
            act as the host user the server gives that token, and see that user's projects. The
            server must allow this page's origin, <code>{location.origin}</code>, in{' '}
            <code>BASEBOX_CORS_ORIGINS</code>.
          </p>
          <label htmlFor={`${id}-url`}>Server URL</label>
          <input
            id={`${id}-url`}
            className="bb-input"
            type="url"
            required
            value={url}
            onChange={(event) => setURL(event.target.value)}
          />
          <label htmlFor={`${id}-token`}>Owner token</label>
          <input
            id={`${id}-token`}
            className="bb-input"
            type="password"
            autoComplete="off"
            required
            value={token}
            onChange={(event) => setToken(event.target.value)}
          />
        </>
      )}
      {error !== null && <ErrorNote error={error} />}
      <div className="pg-dialog-actions">
        <button type="button" className="bb-button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          className="bb-button"
          data-variant="primary"
          disabled={checking}
          aria-busy={checking}
        >
          {checking ? 'Checking the server…' : 'Switch and reload'}
        </button>
      </div>
    </form>
  )
}
