// The stored connection setting, without React: the page's first script reads it to decide
// whether to start the PGlite worker before the app's code has loaded (see main.tsx).

/** The localStorage key of the connection. */
export const CONNECTION_KEY = 'basebox-playground:connection'

/**
 * Where the playground's data lives: in this browser (PGlite in a Web Worker), or on a remote
 * Basebox server (`apps/server`, or any host mounting `@basebox/server`) whose management API is
 * at `url` and who takes `token` as `Authorization: Bearer <token>`.
 */
export type Connection = { mode: 'local' } | { mode: 'remote'; url: string; token: string }

const LOCAL: Connection = { mode: 'local' }

/** The stored connection; anything unreadable is the local one. */
export function parseConnection(stored: string | null): Connection {
  if (stored === null) {
    return LOCAL
  }
  try {
    const value = JSON.parse(stored) as Partial<{ mode: string; url: unknown; token: unknown }>
    if (
      value.mode === 'remote' &&
      typeof value.url === 'string' &&
      typeof value.token === 'string'
    ) {
      return { mode: 'remote', url: value.url, token: value.token }
    }
  } catch {
    // Not JSON: the local connection.
  }
  return LOCAL
}

/** The stored connection (the page starts with it; {@link saveConnection} changes it for the next start). */
export function readConnection(): Connection {
  return parseConnection(localStorage.getItem(CONNECTION_KEY))
}
