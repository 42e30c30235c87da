// The playground's routes live in the URL's hash, so the static site needs no server rewrites:
// `#/` (projects), `#/projects/<id>` and `#/projects/<id>/<page>[/<table>]`.
import { useSyncExternalStore } from 'react'

/** The pages of a database. */
export const DATABASE_PAGES = [
  'overview',
  'tables',
  'schema',
  'sql',
  'users',
  'keys',
  'access',
  'demo',
  'settings',
] as const

/** One of {@link DATABASE_PAGES}. */
export type DatabasePage = (typeof DATABASE_PAGES)[number]

/** Where the playground is. */
export type Route =
  | { name: 'projects' }
  | { name: 'project'; projectId: string; page: DatabasePage; table: string | null }

/** The route a hash stands for; anything unknown is the projects list. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent)
  if (parts[0] === 'projects' && parts[1] !== undefined) {
    const page = (DATABASE_PAGES as readonly string[]).includes(parts[2] ?? '')
      ? (parts[2] as DatabasePage)
      : 'tables'
    return {
      name: 'project',
      projectId: parts[1],
      page,
      table: page === 'tables' ? (parts[3] ?? null) : null,
    }
  }
  return { name: 'projects' }
}

/** The hash of a route (for links). */
export function toHash(route: Route): string {
  if (route.name === 'projects') {
    return '#/'
  }
  const table = route.table === null ? '' : `/${encodeURIComponent(route.table)}`
  return `#/projects/${encodeURIComponent(route.projectId)}/${route.page}${table}`
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener)
  return () => window.removeEventListener('hashchange', listener)
}

/** The current route, following the hash. */
export function useRoute(): Route {
  return parseRoute(useSyncExternalStore(subscribe, () => location.hash))
}

/** Goes to a route. */
export function navigate(route: Route): void {
  location.hash = toHash(route)
}
