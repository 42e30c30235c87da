// SchemaBuilder in Chromium over HTTP: the remote client against a real @basebox/server on Node
// (server.global-setup.ts). A rename and a new column are planned by the server's engine, shown,
// applied in one transaction, and checked with a second client: the rows are kept.
import { createRemoteClient } from '@basebox/client'
import { QueryClient } from '@tanstack/react-query'
import { describe, expect, inject, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { SchemaBuilder } from '../components/schema-builder/schema-builder.js'
import { BaseboxProvider } from '../provider.js'
import '../styles.css'

const server = inject('baseboxServer')
const check = createRemoteClient({ url: server.url, headers: server.headers })

describe('SchemaBuilder over the remote client', () => {
  it('plans a rename and a new column on the server, applies them, and keeps the rows', async () => {
    const projectId = (await check.createProject({ name: 'SchemaBuilder over HTTP' })).id
    const databaseId = (await check.createDatabase(projectId)).id
    await check.createTable(databaseId, {
      name: 'notes',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'body', type: 'text' },
      ],
    })
    await check.insertRows(databaseId, 'notes', [{ id: 1, body: 'kept' }])
    const client = createRemoteClient({ url: server.url, headers: server.headers })
    const screen = await render(
      <BaseboxProvider
        client={client}
        queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
      >
        <SchemaBuilder databaseId={databaseId} ai={false} height={800} />
      </BaseboxProvider>,
    )
    await userEvent.click(
      await screen
        .getByRole('navigation', { name: 'Tables' })
        .getByRole('button', { name: /^notes/ }),
    )
    await userEvent.fill(screen.getByRole('textbox', { name: 'Name of column 2' }), 'content')
    await userEvent.click(screen.getByRole('button', { name: 'Add column' }))
    await userEvent.fill(screen.getByRole('textbox', { name: 'Name of column 3' }), 'rating')
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Type of rating' }),
      'integer',
    )
    await expect
      .poll(() => screen.container.querySelector('[data-plan]')?.textContent, { timeout: 20_000 })
      .toBe('2 steps, ready to apply.')
    expect(
      Array.from(
        screen.container.querySelectorAll('.bb-plan-preview-step'),
        (li) => li.textContent,
      ),
    ).toEqual(['Rename column notes.body to content', 'Add column notes.rating (integer)'])
    expect(screen.container.querySelector('[aria-label="SQL of the plan"]')!.textContent).toMatch(
      /rename column "body" to "content"/i,
    )
    await userEvent.click(screen.getByRole('button', { name: 'Apply changes' }))
    await expect.element(screen.getByText('Applied 2 changes.')).toBeVisible()
    expect((await check.selectRows(databaseId, 'notes')).rows).toEqual([
      { id: 1, content: 'kept', rating: null },
    ])
  })
})
