// What the playground keeps in localStorage: who is signed in (the host user), the theme, the
// Mistral API key a user pastes for the AI (kept in this browser only, sent only to Mistral), and
// the connection (this browser's PGlite, or a remote Basebox server with its URL and token).
import { useCallback, useSyncExternalStore } from 'react'
import { CONNECTION_KEY, type Connection } from './connection-setting.js'

export { parseConnection, readConnection, type Connection } from './connection-setting.js'

const USER_KEY = 'basebox-playground:user'
const THEME_KEY = 'basebox-playground:theme'
const AI_KEY = 'basebox-playground:mistral-api-key'

/** The playground's light or dark. */
export type Theme = 'light' | 'dark'

const listeners = new Set<() => void>()

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  window.addEventListener('storage', listener)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('storage', listener)
  }
}

function write(key: string, value: string | null): void {
  if (value === null) {
    localStorage.removeItem(key)
  } else {
    localStorage.setItem(key, value)
  }
  for (const listener of listeners) {
    listener()
  }
}

/** The signed-in host user's name (the owner id of everything they make), or `null`. */
export function useSignedInUser(): [string | null, (name: string | null) => void] {
  const user = useSyncExternalStore(subscribe, () => localStorage.getItem(USER_KEY))
  const set = useCallback((name: string | null) => write(USER_KEY, name), [])
  return [user, set]
}

function systemTheme(): Theme {
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}

/** The chosen theme; the system's until the user picks one. */
export function useTheme(): [Theme, (theme: Theme) => void] {
  const stored = useSyncExternalStore(subscribe, () => localStorage.getItem(THEME_KEY))
  const theme: Theme = stored === 'light' || stored === 'dark' ? stored : systemTheme()
  const set = useCallback((next: Theme) => write(THEME_KEY, next), [])
  return [theme, set]
}

/** Forgets the signed-in user (the theme stays). */
export function clearPreferences(): void {
  write(USER_KEY, null)
  write(AI_KEY, null)
}

/** The Mistral API key the user pasted for the AI, or `null` (templates and hand edits only). */
export function useAIKey(): [string | null, (key: string | null) => void] {
  const key = useSyncExternalStore(subscribe, () => localStorage.getItem(AI_KEY))
  const set = useCallback(
    (next: string | null) =>
      write(AI_KEY, next === null || next.trim() === '' ? null : next.trim()),
    [],
  )
  return [key, set]
}

/** Keeps the connection for the next start of the page. */
export function saveConnection(connection: Connection): void {
  write(CONNECTION_KEY, connection.mode === 'local' ? null : JSON.stringify(connection))
}
