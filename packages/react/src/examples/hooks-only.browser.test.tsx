// The README's hooks-only example, rendered in Chromium on a real engine over PGlite.
import type { BaseboxClient } from '@basebox/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { render } from 'vitest-browser-react'
import { BaseboxProvider } from '../provider.js'
import { createTestClient } from '../test-support/local-client.js'
import { PostList } from './hooks-only.js'

let client: BaseboxClient
let databaseId: string
let destroy: () => Promise<void>

beforeAll(async () => {
  ;({ client, databaseId, destroy } = await createTestClient())
  await client.createTable(databaseId, {
    name: 'posts',
    columns: [
      { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
      { name: 'title', type: 'text', required: true, unique: true },
      { name: 'published', type: 'boolean', required: true, default: false },
      { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
    ],
  })
  // 'post 1' is the newest.
  await client.runSQL(
    databaseId,
    "insert into posts (title, created_at) select 'post ' || g, now() - g * interval '1 minute' from generate_series(1, 120) g",
  )
})

afterAll(async () => {
  await destroy?.()
})

describe('given the README hooks-only PostList', () => {
  it('lists, pages, adds, toggles, deletes, and shows the engine error of a bad write', async () => {
    const screen = await render(
      <BaseboxProvider client={client}>
        <PostList databaseId={databaseId} />
      </BaseboxProvider>,
    )
    await expect.element(screen.getByRole('heading', { name: 'Posts (50 of 120)' })).toBeVisible()
    await screen.getByRole('button', { name: 'Load more' }).click()
    await expect.element(screen.getByRole('heading', { name: 'Posts (100 of 120)' })).toBeVisible()

    await screen.getByRole('checkbox', { name: 'post 1', exact: true }).click()
    await expect
      .element(screen.getByRole('checkbox', { name: 'post 1', exact: true }))
      .toBeChecked()
    await expect
      .poll(
        async () =>
          (await client.selectRows(databaseId, 'posts', { where: { title: 'post 1' } })).rows[0]
            ?.published,
      )
      .toBe(true)

    await screen.getByRole('button', { name: 'Delete post 2', exact: true }).click()
    await expect
      .element(screen.getByRole('checkbox', { name: 'post 2', exact: true }))
      .not.toBeInTheDocument()
    await expect
      .poll(
        async () =>
          (await client.selectRows(databaseId, 'posts', { where: { title: 'post 2' } })).rows
            .length,
      )
      .toBe(0)

    // A new post comes first; a taken title is the engine's CONFLICT, shown to the user.
    await screen.getByRole('textbox', { name: 'Title' }).fill('hello')
    await screen.getByRole('button', { name: 'Add' }).click()
    await expect.element(screen.getByRole('checkbox', { name: 'hello' })).toBeVisible()
    await screen.getByRole('textbox', { name: 'Title' }).fill('post 3')
    await screen.getByRole('button', { name: 'Add' }).click()
    await expect.element(screen.getByRole('alert')).toHaveTextContent('CONFLICT')
    expect(
      (await client.selectRows(databaseId, 'posts', { where: { title: 'post 3' } })).rows,
    ).toHaveLength(1)
  })
})
