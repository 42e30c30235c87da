// TableEditor in Chromium over HTTP: the remote client against a real @basebox/server on Node
// (server.global-setup.ts starts test-support/remote-server.ts; Postgres when DATABASE_URL is
// set, PGlite otherwise). Every write is checked in the server's database with a second client.
import { createRemoteClient, type BaseboxClient } from '@basebox/client'
import { QueryClient } from '@tanstack/react-query'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { TableEditor } from '../components/table-editor/table-editor.js'
import { BaseboxProvider } from '../provider.js'
import '../styles.css'

const server = inject('baseboxServer')
// What the server's database holds: a client of its own, with no cache shared with the page.
const check = createRemoteClient({ url: server.url, headers: server.headers })
let projectId: string
let databaseId: string

/** The page's client, recording every write it sends and the status the server answered. */
function recordingClient(writes: { path: string; status: number; body: string }[]): BaseboxClient {
  return createRemoteClient({
    url: server.url,
    headers: server.headers,
    fetch: async (input, init) => {
      const response = await fetch(input, init)
      if (/\/records\/(create|update|upsert|delete)$/.test(input)) {
        writes.push({
          path: input.slice(input.lastIndexOf('/records/')),
          status: response.status,
          body: String(init.body),
        })
      }
      return response
    },
  })
}

beforeAll(async () => {
  projectId = (await check.createProject({ name: 'TableEditor over HTTP' })).id
  databaseId = (await check.createDatabase(projectId)).id
  await check.createTable(databaseId, {
    name: 'items',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'name', type: 'text', required: true },
      { name: 'qty', type: 'integer' },
      { name: 'code', type: 'text', unique: true },
    ],
  })
  await check.insertRows(
    databaseId,
    'items',
    Array.from({ length: 30 }, (_, i) => ({
      id: i + 1,
      name: `item ${i + 1}`,
      qty: i + 1,
      code: `C${i + 1}`,
    })),
  )
})

afterAll(async () => {
  await check.deleteProject(projectId)
})

async function row(id: number) {
  return (await check.selectRows(databaseId, 'items', { where: { id } })).rows[0]
}

function mount(client: BaseboxClient) {
  return render(
    <BaseboxProvider
      client={client}
      queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
    >
      <TableEditor databaseId={databaseId} table="items" storage={null} height={400} />
    </BaseboxProvider>,
  )
}

function cell(screen: Awaited<ReturnType<typeof mount>>, rowIndex: number, column: string) {
  return screen.container.querySelector<HTMLElement>(
    `[role="gridcell"][data-row="${rowIndex}"][data-column="${column}"]`,
  )
}

describe(`given a TableEditor on the remote client against @basebox/server (${server.backend})`, () => {
  it('edits a cell: the row changes in the server’s database', async () => {
    const writes: { path: string; status: number; body: string }[] = []
    const screen = await mount(recordingClient(writes))
    await expect.element(screen.getByText('item 2', { exact: true })).toBeVisible()
    await userEvent.click(cell(screen, 1, 'name')!)
    await userEvent.keyboard('{Enter}')
    const input = screen.getByRole('textbox', { name: 'name' })
    await expect.element(input).toHaveFocus()
    await userEvent.clear(input)
    await userEvent.keyboard('renamed over http{Enter}')
    await expect.poll(async () => (await row(2))?.name).toBe('renamed over http')
    await expect.element(screen.getByText('renamed over http', { exact: true })).toBeVisible()
    // One write, over HTTP, answered 200, for row 2 only.
    expect(writes).toHaveLength(1)
    expect(writes[0]).toMatchObject({ path: '/records/update', status: 200 })
    expect(writes[0]?.body).toContain('renamed over http')
    expect((await row(1))?.name).toBe('item 1')
    expect((await row(3))?.name).toBe('item 3')
    screen.unmount()
  })

  it('an invalid value shows an inline error and saves nothing, whether the page or the server refuses it', async () => {
    const writes: { path: string; status: number; body: string }[] = []
    const screen = await mount(recordingClient(writes))
    await expect.element(screen.getByText('item 1', { exact: true })).toBeVisible()

    // Not a whole number: refused at the cell before anything is sent.
    await userEvent.dblClick(cell(screen, 0, 'qty')!)
    const qty = screen.getByRole('textbox', { name: 'qty' })
    await userEvent.clear(qty)
    await userEvent.keyboard('abc{Enter}')
    await expect
      .element(screen.getByRole('alert').filter({ hasText: 'expected a whole number' }))
      .toBeVisible()
    await expect.element(qty).toHaveValue('abc')
    await userEvent.keyboard('{Escape}')
    expect(writes).toEqual([])
    expect((await row(1))?.qty).toBe(1)

    // Another row's code: the server's typed 4xx (a unique violation) lands at the cell, nothing changes.
    await userEvent.dblClick(cell(screen, 0, 'code')!)
    const code = screen.getByRole('textbox', { name: 'code' })
    await userEvent.clear(code)
    await userEvent.keyboard('C2{Enter}')
    await expect
      .poll(() => cell(screen, 0, 'code')?.querySelector('[role="alert"]')?.textContent ?? '')
      .not.toBe('')
    await expect.element(code).toHaveValue('C2')
    expect(writes.map((write) => [write.path, write.status >= 400 && write.status < 500])).toEqual([
      ['/records/update', true],
    ])
    expect((await row(1))?.code).toBe('C1')
    expect((await row(2))?.code).toBe('C2')
    await userEvent.keyboard('{Escape}')
    screen.unmount()
  })
})
