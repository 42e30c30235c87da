// What the playground keeps in localStorage: who is signed in (the host user) and the theme.
import { useCallback, useSyncExternalStore } from 'react'

const USER_KEY = 'basebox-playground:user'
const THEME_KEY = 'basebox-playground:theme'

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
}
