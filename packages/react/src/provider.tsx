'use client'
import { isBaseboxError, type BaseboxClient } from '@basebox/client'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { createContext, useContext, useState, type ReactNode } from 'react'

const BaseboxClientContext = createContext<BaseboxClient | null>(null)

/** Props of {@link BaseboxProvider}. */
export interface BaseboxProviderProps {
  /**
   * What every hook and component talks to: `createRemoteClient()` from `@basebox/client`
   * (HTTP, against `@basebox/server`) or `createLocalClient(engine, ownerId)` from
   * `@basebox/core` (in-process, e.g. PGlite in the browser).
   */
  client: BaseboxClient
  /**
   * The React Query client to cache in. Pass the host's own to share one cache and devtools.
   * Default is a new one made by {@link createBaseboxQueryClient}, kept for the provider's life.
   */
  queryClient?: QueryClient
  children?: ReactNode
}

/**
 * Whether a failed call is worth retrying: a lost connection or a timeout may pass; a typed
 * answer (`VALIDATION_FAILED`, `NOT_FOUND`, `FORBIDDEN`...) will not change.
 */
export function isRetryableError(error: unknown): boolean {
  if (isBaseboxError(error)) {
    return error.code === 'UNAVAILABLE' || error.code === 'TIMEOUT'
  }
  return false
}

/**
 * A React Query client with Basebox's defaults: reads stay fresh for 10 s, only connection
 * loss and timeouts are retried (twice), and nothing refetches on window focus (a grid being
 * edited should not jump).
 */
export function createBaseboxQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => failures < 2 && isRetryableError(error),
      },
      mutations: { retry: false },
    },
  })
}

/**
 * Gives every Basebox hook and component below it the client to talk to, and a React Query
 * cache. Renders no DOM of its own.
 *
 * ### Examples
 *
 * ```tsx
 * import { createRemoteClient } from '@basebox/client'
 * import { BaseboxProvider, TableEditor } from '@basebox/react'
 * import '@basebox/react/styles.css'
 *
 * const client = createRemoteClient({ url: '/basebox', headers: { authorization: `Bearer ${token}` } })
 *
 * export function App() {
 *   return (
 *     <BaseboxProvider client={client}>
 *       <TableEditor databaseId={databaseId} table="posts" />
 *     </BaseboxProvider>
 *   )
 * }
 * ```
 */
export function BaseboxProvider({ client, queryClient, children }: BaseboxProviderProps) {
  const [ownQueryClient] = useState(() => queryClient ?? createBaseboxQueryClient())
  return (
    <BaseboxClientContext.Provider value={client}>
      <QueryClientProvider client={queryClient ?? ownQueryClient}>{children}</QueryClientProvider>
    </BaseboxClientContext.Provider>
  )
}

/** The {@link BaseboxClient} of the nearest {@link BaseboxProvider}; throws outside one. */
export function useBaseboxClient(): BaseboxClient {
  const client = useContext(BaseboxClientContext)
  if (client === null) {
    throw new Error('`useBaseboxClient` must be used within `BaseboxProvider`')
  }
  return client
}
