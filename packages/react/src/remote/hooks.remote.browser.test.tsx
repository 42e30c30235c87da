// The hooks in Chromium over HTTP: the remote client against a real @basebox/server on Node
// (server.global-setup.ts starts test-support/remote-server.ts; Postgres when DATABASE_URL is
// set, PGlite otherwise). What a host whose users edit data in a browser relies on: keyset pages,
// writes, a typed 4xx rolled back, and a query that goes away aborting its request.
import { createRemoteClient, ValidationError, type BaseboxClient } from '@basebox/client'
import { QueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { render } from 'vitest-browser-react'
import { useDeleteRows, useInfiniteRows, useInsertRows, useUpdateRows } from '../hooks/use-rows.js'
import { useTables } from '../hooks/use-tables.js'
import { BaseboxProvider } from '../provider.js'
import { baseboxKeys } from '../query/keys.js'

const server = inject('baseboxServer')
const TABLE = 'remote_todos'
const QUERY = { orderBy: { column: 'id' }, count: 'exact', limit: 100 } as const

/** Every request the page's client sends, with its signal and how it ended. */
interface Sent {
  method: string
  url: string
  signal: AbortSignal | null | undefined
  body?: string
  outcome?: 'answered' | 'aborted' | 'failed'
}

/** A remote client whose requests are recorded in `sent`; `gate` may hold one back before it goes. */
function recordingClient(sent: Sent[], gate?: (entry: Sent) => Promise<void>): BaseboxClient {
  return createRemoteClient({
    url: server.url,
    headers: server.headers,
    fetch: async (input, init) => {
      const entry: Sent = { method: init.method ?? 'GET', url: input, signal: init.signal }
      if (typeof init.body === 'string') {
        entry.body = init.body
      }
      sent.push(entry)
      await gate?.(entry)
      try {
        const response = await fetch(input, init)
        entry.outcome = 'answered'
        return response
      } catch (error) {
        entry.outcome = (error as Error).name === 'AbortError' ? 'aborted' : 'failed'
        throw error
      }
    },
  })
}

// A second client with its own connection and no cache: what the server's database holds.
const check = createRemoteClient({ url: server.url, headers: server.headers })
let projectId: string
let databaseId: string

beforeAll(async () => {
  // A project and database of this file's own, so other files' tables do not matter.
  projectId = (await check.createProject({ name: 'hooks over HTTP' })).id
  databaseId = (await check.createDatabase(projectId)).id
  await check.createTable(databaseId, {
    name: TABLE,
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'title', type: 'text', required: true },
      { name: 'done', type: 'boolean', required: true, default: false },
    ],
  })
  await check.insertRows(
    databaseId,
    TABLE,
    Array.from({ length: 250 }, (_, index) => ({ id: index + 1, title: `todo ${index + 1}` })),
  )
})

afterAll(async () => {
  await check.deleteProject(projectId)
})

function Todos() {
  const tables = useTables(databaseId)
  const rows = useInfiniteRows(databaseId, TABLE, QUERY)
  const update = useUpdateRows(databaseId, TABLE)
  const remove = useDeleteRows(databaseId, TABLE)
  const insert = useInsertRows(databaseId, TABLE)
  const [error, setError] = useState('')
  const loaded = rows.data?.pages.flatMap((page) => page.rows) ?? []
  return (
    <div>
      <p>tables: {tables.data?.map((table) => table.name).join(',')}</p>
      <p>
        loaded {loaded.length} of {rows.data?.pages[0]?.count}
      </p>
      <button onClick={() => rows.fetchNextPage()} disabled={!rows.hasNextPage}>
        more
      </button>
      <button
        onClick={() => update.mutate({ where: { id: 1 }, patch: { title: 'renamed over http' } })}
      >
        rename
      </button>
      <button
        onClick={() =>
          update.mutate(
            { where: { id: 2 }, patch: { title: null } },
            {
              onError: (e) =>
                setError(
                  `${(e as ValidationError).code} ${e instanceof ValidationError ? 'ValidationError' : e.constructor.name} ${(e as ValidationError).issues?.[0]?.path?.join('.') ?? ''}`,
                ),
            },
          )
        }
      >
        break
      </button>
      <button onClick={() => remove.mutate({ where: { id: 3 } })}>delete</button>
      <button onClick={() => insert.mutate({ rows: { id: 1000, title: 'new over http' } })}>
        add
      </button>
      <p>error: {error}</p>
      <ul>
        {loaded.slice(0, 5).map((row) => (
          <li key={String(row.id)}>{String(row.title)}</li>
        ))}
      </ul>
    </div>
  )
}

describe(`given the hooks on the remote client against @basebox/server (${server.backend})`, () => {
  it('pages rows by keyset over HTTP and writes through the server', async () => {
    const sent: Sent[] = []
    const client = recordingClient(sent)
    const screen = await render(
      <BaseboxProvider client={client} queryClient={new QueryClient()}>
        <Todos />
      </BaseboxProvider>,
    )
    await expect.element(screen.getByText('loaded 100 of 250')).toBeVisible()
    await expect.element(screen.getByText(`tables: users,${TABLE}`)).toBeVisible()
    await screen.getByRole('button', { name: 'more' }).click()
    await expect.element(screen.getByText('loaded 200 of 250')).toBeVisible()
    await screen.getByRole('button', { name: 'more' }).click()
    await expect.element(screen.getByText('loaded 250 of 250')).toBeVisible()
    await expect.element(screen.getByRole('button', { name: 'more' })).toBeDisabled()
    // Three pages, three row queries over HTTP: the first without a cursor, the next two each
    // after the last key of the page before (keyset), never by offset.
    const pages = sent
      .filter((entry) => entry.url.endsWith(`/api/database/${databaseId}/records/query`))
      .map(
        (entry) =>
          JSON.parse(entry.body ?? '{}') as {
            table: string
            query?: { cursor?: unknown; offset?: unknown }
          },
      )
    expect(pages).toHaveLength(3)
    expect(pages.map((page) => page.table)).toEqual([TABLE, TABLE, TABLE])
    expect(pages[0]?.query?.cursor).toBeUndefined()
    expect(pages[1]?.query?.cursor).toBeTruthy()
    expect(pages[2]?.query?.cursor).toBeTruthy()
    expect(pages[2]?.query?.cursor).not.toEqual(pages[1]?.query?.cursor)
    expect(pages.every((page) => page.query?.offset === undefined)).toBe(true)

    await screen.getByRole('button', { name: 'rename' }).click()
    await expect.element(screen.getByText('renamed over http')).toBeVisible()
    await expect
      .poll(
        async () =>
          (await check.selectRows(databaseId, TABLE, { where: { id: 1 } })).rows[0]?.title,
      )
      .toBe('renamed over http')

    await screen.getByRole('button', { name: 'delete' }).click()
    await expect.element(screen.getByText('todo 3', { exact: true })).not.toBeInTheDocument()
    await expect.element(screen.getByText('loaded 249 of 249')).toBeVisible()
    // The row leaves the page optimistically, before the server has answered: wait for the write.
    await expect
      .poll(async () => (await check.selectRows(databaseId, TABLE, { where: { id: 3 } })).rows)
      .toEqual([])

    await screen.getByRole('button', { name: 'add' }).click()
    await expect.element(screen.getByText('loaded 250 of 250')).toBeVisible()
    await expect
      .poll(
        async () =>
          (await check.selectRows(databaseId, TABLE, { where: { id: 1000 } })).rows[0]?.title,
      )
      .toBe('new over http')
    // Every write went over HTTP to the server, and the server answered it.
    const writes = () =>
      sent.filter((entry) => /\/records\/(update|delete|create)$/.test(entry.url))
    await expect
      .poll(() => writes().map((entry) => [entry.url.split('/').pop(), entry.outcome]))
      .toEqual([
        ['update', 'answered'],
        ['delete', 'answered'],
        ['create', 'answered'],
      ])
    screen.unmount()
  })

  it('shows an optimistic update at once and rolls it back on the server’s typed 4xx error', async () => {
    const sent: Sent[] = []
    // Hold the write's answer until the optimistic value has been seen.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const client = recordingClient(sent, (entry) =>
      entry.url.endsWith('/records/update') ? held : Promise.resolve(),
    )
    const screen = await render(
      <BaseboxProvider client={client} queryClient={new QueryClient()}>
        <Todos />
      </BaseboxProvider>,
    )
    await expect.element(screen.getByText('todo 2', { exact: true })).toBeVisible()
    await screen.getByRole('button', { name: 'break' }).click()
    // Optimistic: the required title is gone from the list before the server answers.
    await expect.element(screen.getByText('todo 2', { exact: true })).not.toBeInTheDocument()
    release()
    await expect.element(screen.getByText('error: VALIDATION_FAILED ValidationError')).toBeVisible()
    await expect.element(screen.getByText('todo 2', { exact: true })).toBeVisible()
    // The server answered 4xx and nothing changed in its database.
    const write = sent.find((entry) => entry.url.endsWith('/records/update'))
    expect(write?.outcome).toBe('answered')
    expect((await check.selectRows(databaseId, TABLE, { where: { id: 2 } })).rows[0]?.title).toBe(
      'todo 2',
    )
    screen.unmount()
  })

  it('aborts the fetch of a row query whose last observer goes away', async () => {
    // The server holds this database's reads open (test-support/remote-server.ts) until the client goes.
    const held = server.heldDatabaseId
    const counts = async () =>
      (await (await fetch(`${server.url}/__test__/held`)).json()) as {
        held: number
        closedByClient: number
      }
    const before = await counts()
    const sent: Sent[] = []
    const client = recordingClient(sent)
    const queryClient = new QueryClient()
    const query = { orderBy: { column: 'id' }, limit: 50 } as const
    function Held() {
      const rows = useInfiniteRows(held, 'anything', query)
      return <p>status: {rows.status}</p>
    }
    const screen = await render(
      <BaseboxProvider client={client} queryClient={queryClient}>
        <Held />
      </BaseboxProvider>,
    )
    await expect.poll(async () => (await counts()).held).toBe(before.held + 1)
    const request = sent.find((entry) => entry.url.endsWith(`/api/database/${held}/records/query`))
    expect(request?.signal).toBeInstanceOf(AbortSignal)
    expect(request?.signal?.aborted).toBe(false)
    expect(request?.outcome).toBeUndefined()
    await expect.element(screen.getByText('status: pending')).toBeVisible()
    screen.unmount()
    // The page's fetch rejects with an AbortError and the server sees its client go away.
    await expect.poll(() => request?.outcome).toBe('aborted')
    expect(request?.signal?.aborted).toBe(true)
    await expect.poll(async () => (await counts()).closedByClient).toBe(before.closedByClient + 1)
    expect(
      queryClient.getQueryState(baseboxKeys.infiniteRows(held, 'anything', query))?.fetchStatus,
    ).toBe('idle')
  })

  it('refuses another owner: the typed 404 of a database that is not theirs', async () => {
    const stranger = createRemoteClient({ url: server.url, headers: server.strangerHeaders })
    await expect(stranger.selectRows(databaseId, TABLE)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
  })
})
