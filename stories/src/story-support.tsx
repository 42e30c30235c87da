// What the stories share: loaders that hand a story its database, the provider decorator, and
// client wrappers for the loading and error states.
import { BaseboxError, type BaseboxClient } from '@basebox/client'
import { BaseboxProvider, createBaseboxQueryClient } from '@basebox/react'
import { useState, type ReactNode } from 'react'
import { sampleDatabase, scratchDatabase, type SampleDatabase, type Section } from './seed.js'

/** What a story's loader puts in `context.loaded`. */
export interface LoadedDatabase {
  basebox: SampleDatabase
}

/** A loader for the shared sample database with `sections` seeded. */
export const sample = (sections?: readonly Section[]) => async (): Promise<LoadedDatabase> => ({
  basebox: await sampleDatabase(sections),
})

/** A loader for a fresh database of the story's own (for stories that write). */
export const scratch =
  (label: string, sections?: readonly Exclude<Section, 'big'>[]) =>
  async (): Promise<LoadedDatabase> => ({ basebox: await scratchDatabase(label, sections) })

/** The theme and density the toolbar picks. */
export interface StoryGlobals {
  theme: 'light' | 'dark'
  density: 'compact' | 'normal' | 'comfortable'
}

/** The provider every story renders in: a fresh React Query cache per story, on the themed page. */
export function StoryProvider({
  client,
  theme,
  children,
}: {
  client: BaseboxClient
  theme: StoryGlobals['theme']
  children: ReactNode
}) {
  const [queryClient] = useState(createBaseboxQueryClient)
  return (
    <BaseboxProvider client={client} queryClient={queryClient}>
      <div
        className="bb-root"
        data-theme={theme}
        style={{ background: 'var(--bb-color-bg)', padding: 16, minHeight: '100vh' }}
      >
        {children}
      </div>
    </BaseboxProvider>
  )
}

/** `client` with `selectRows` that never answers: the components stay in their loading state. */
export function neverAnswering(client: BaseboxClient): BaseboxClient {
  return withOverrides(client, { selectRows: () => new Promise(() => {}) })
}

/**
 * `client` whose reads fail with `UNAVAILABLE` (as when the server is down) until `recover()`
 * is called; from then on they reach the database again.
 */
export function failingUntilRecovered(client: BaseboxClient): {
  client: BaseboxClient
  recover: () => void
  failures: () => number
} {
  let down = true
  let failures = 0
  const fail = () => {
    failures++
    return Promise.reject(
      new BaseboxError('UNAVAILABLE', 'The database is not reachable (the story made it fail)'),
    )
  }
  return {
    client: withOverrides(client, {
      selectRows: ((...args: Parameters<BaseboxClient['selectRows']>) =>
        down ? fail() : client.selectRows(...args)) as BaseboxClient['selectRows'],
    }),
    recover: () => {
      down = false
    },
    failures: () => failures,
  }
}

function withOverrides(client: BaseboxClient, overrides: Partial<BaseboxClient>): BaseboxClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (typeof property === 'string' && property in overrides)
        return overrides[property as keyof BaseboxClient]
      const value: unknown = Reflect.get(target, property, receiver)
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value
    },
  })
}

/** `client` with its writes counted by method (to prove a paste is one write). */
export function countingWrites(client: BaseboxClient): { client: BaseboxClient; writes: string[] } {
  const writes: string[] = []
  const counted = (method: 'insertRows' | 'upsertRows' | 'updateRows' | 'deleteRows' | 'runSQL') =>
    ((...args: unknown[]) => {
      writes.push(method)
      return (client[method] as (...a: unknown[]) => unknown)(...args)
    }) as never
  return {
    client: withOverrides(client, {
      insertRows: counted('insertRows'),
      upsertRows: counted('upsertRows'),
      updateRows: counted('updateRows'),
      deleteRows: counted('deleteRows'),
      runSQL: counted('runSQL'),
    }),
    writes,
  }
}
