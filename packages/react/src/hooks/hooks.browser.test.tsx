// The hooks alone, in Chromium, on a real engine over PGlite: what a host that builds its own UI
// relies on (README "Hooks without the components").
import { BaseboxError, type BaseboxClient } from '@basebox/client'
import { QueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { render } from 'vitest-browser-react'
import { BaseboxProvider } from '../provider.js'
import { baseboxKeys } from '../query/keys.js'
import { createTestClient } from '../test-support/local-client.js'
import { useDeleteRows, useInfiniteRows, useInsertRows, useUpdateRows } from './use-rows.js'
import { useTables } from './use-tables.js'

let client: BaseboxClient
let databaseId: string
let destroy: () => Promise<void>

beforeAll(async () => {
  ;({ client, databaseId, destroy } = await createTestClient())
  await client.createTable(databaseId, {
    name: 'todos',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'title', type: 'text', required: true },
      { name: 'done', type: 'boolean', required: true, default: false },
    ],
  })
  await client.insertRows(
    databaseId,
    'todos',
    Array.from({ length: 450 }, (_, index) => ({ id: index + 1, title: `todo ${index + 1}` })),
  )
})

afterAll(async () => {
  await destroy?.()
})

function Todos() {
  const tables = useTables(databaseId)
  const rows = useInfiniteRows(databaseId, 'todos', {
    orderBy: { column: 'id' },
    count: 'exact',
    limit: 200,
  })
  const update = useUpdateRows(databaseId, 'todos')
  const remove = useDeleteRows(databaseId, 'todos')
  const insert = useInsertRows(databaseId, 'todos')
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
      <button onClick={() => update.mutate({ where: { id: 1 }, patch: { title: 'renamed' } })}>
        rename
      </button>
      <button
        onClick={() =>
          update.mutate(
            { where: { id: 2 }, patch: { title: null } },
            { onError: (e) => setError((e as BaseboxError).code) },
          )
        }
      >
        break
      </button>
      <button onClick={() => remove.mutate({ where: { id: 3 } })}>delete</button>
      <button onClick={() => insert.mutate({ rows: { id: 1000, title: 'new' } })}>add</button>
      <p>error: {error}</p>
      <ul>
        {loaded.slice(0, 5).map((row) => (
          <li key={String(row.id)}>{String(row.title)}</li>
        ))}
      </ul>
    </div>
  )
}

describe('given the hooks on a local client', () => {
  it('pages by keyset, counts once, and writes with optimistic updates rolled back on error', async () => {
    const queryClient = new QueryClient()
    const screen = await render(
      <BaseboxProvider client={client} queryClient={queryClient}>
        <Todos />
      </BaseboxProvider>,
    )
    await expect.element(screen.getByText('loaded 200 of 450')).toBeVisible()
    await expect.element(screen.getByText('tables: users,todos')).toBeVisible()
    await screen.getByRole('button', { name: 'more' }).click()
    await expect.element(screen.getByText('loaded 400 of 450')).toBeVisible()
    await screen.getByRole('button', { name: 'more' }).click()
    await expect.element(screen.getByText('loaded 450 of 450')).toBeVisible()
    await expect.element(screen.getByRole('button', { name: 'more' })).toBeDisabled()

    await screen.getByRole('button', { name: 'rename' }).click()
    await expect.element(screen.getByText('renamed')).toBeVisible()
    expect(
      (await client.selectRows(databaseId, 'todos', { where: { id: 1 } })).rows[0]?.title,
    ).toBe('renamed')

    // Required column set to null: shown at once, then rolled back with the engine's typed error.
    await screen.getByRole('button', { name: 'break' }).click()
    await expect.element(screen.getByText('error: VALIDATION_FAILED')).toBeVisible()
    await expect.element(screen.getByText('todo 2')).toBeVisible()
    expect(
      (await client.selectRows(databaseId, 'todos', { where: { id: 2 } })).rows[0]?.title,
    ).toBe('todo 2')

    await screen.getByRole('button', { name: 'delete' }).click()
    await expect.element(screen.getByText('todo 3')).not.toBeInTheDocument()
    await expect.element(screen.getByText('loaded 449 of 449')).toBeVisible()
    expect((await client.selectRows(databaseId, 'todos', { where: { id: 3 } })).rows).toEqual([])

    await screen.getByRole('button', { name: 'add' }).click()
    await expect.element(screen.getByText('loaded 450 of 450')).toBeVisible()
    screen.unmount()
  })

  it('cancels a row query when its last observer goes away', async () => {
    const queryClient = new QueryClient()
    const signals: AbortSignal[] = []
    const spying: BaseboxClient = {
      ...client,
      listTables: (id, options) => client.listTables(id, options),
      selectRows: (id, table, query, options) => {
        if (options?.signal) {
          signals.push(options.signal)
        }
        return new Promise(() => {})
      },
    }
    const screen = await render(
      <BaseboxProvider client={spying} queryClient={queryClient}>
        <Todos />
      </BaseboxProvider>,
    )
    await expect.poll(() => signals.length).toBe(1)
    screen.unmount()
    await expect.poll(() => signals[0]?.aborted).toBe(true)
    expect(
      queryClient.getQueryState(
        baseboxKeys.infiniteRows(databaseId, 'todos', {
          orderBy: { column: 'id' },
          count: 'exact',
          limit: 200,
        }),
      )?.fetchStatus,
    ).toBe('idle')
  })
})
