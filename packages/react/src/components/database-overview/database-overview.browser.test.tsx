// DatabaseOverview in Chromium on a real engine over PGlite: tables with row and column counts,
// the data API URL and keys with the supabase-js snippet (copied), recent activity in words, an
// empty database, opening a table, and a read-only owner.
import type { BaseboxClient } from '@basebox/client'
import { createLocalClient, type Basebox } from '@basebox/core'
import { QueryClient } from '@tanstack/react-query'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import '../../styles.css'
import { BaseboxProvider } from '../../provider.js'
import { createTestClient } from '../../test-support/local-client.js'
import { DatabaseOverview, type DatabaseOverviewProps } from './database-overview.js'

let client: BaseboxClient
let engine: Basebox
let destroy: () => Promise<void>

beforeAll(async () => {
  ;({ client, engine, destroy } = await createTestClient('overview-owner'))
}, 240_000)

afterAll(async () => {
  await destroy?.()
})

afterEach(() => {
  vi.restoreAllMocks()
})

/** A database with `users` (3 rows) and `posts` (5 rows), and an SQL run in its audit log. */
async function blog(): Promise<string> {
  const project = await client.createProject({ name: 'Overview' })
  const { id } = await client.createDatabase(project.id)
  await client.createTable(id, {
    name: 'posts',
    columns: [
      { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
      { name: 'title', type: 'text', required: true },
      { name: 'views', type: 'integer' },
    ],
  })
  await client.insertRows(
    id,
    'users',
    [1, 2, 3].map((n) => ({ email: `u${n}@example.com` })),
  )
  await client.insertRows(
    id,
    'posts',
    [1, 2, 3, 4, 5].map((n) => ({ title: `Post ${n}` })),
  )
  await client.runSQL(id, 'select count(*) from posts', [], { readOnly: true })
  return id
}

async function mount(
  databaseId: string,
  props: Partial<DatabaseOverviewProps> = {},
  use: BaseboxClient = client,
) {
  const screen = await render(
    <BaseboxProvider
      client={use}
      queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
    >
      <DatabaseOverview databaseId={databaseId} height={720} {...props} />
    </BaseboxProvider>,
  )
  await expect
    .poll(() => screen.container.querySelector('[data-slot="database-overview"]'), {
      timeout: 30_000,
    })
    .not.toBeNull()
  return screen
}

type Screen = Awaited<ReturnType<typeof mount>>
const cell = (screen: Screen, table: string, slot: string) =>
  screen.container.querySelector(`tr[data-table="${table}"] [data-slot="${slot}"]`)?.textContent ??
  ''
const activity = (screen: Screen) =>
  Array.from(screen.container.querySelectorAll('.bb-do-activity li'), (li) => li.textContent)

describe('given a DatabaseOverview of a database with tables and activity', () => {
  it('shows each table with its row and column counts, the API with its snippet, and recent activity', async () => {
    const id = await blog()
    const screen = await mount(id, {
      apiURL: 'https://api.example.com/db/abc',
      anonKey: 'anon-123',
    })
    // The loaded overview keeps the placeholder's size, and its stylesheet came with the chunk.
    expect(
      screen.container
        .querySelector<HTMLElement>('[data-slot="database-overview"]')!
        .getBoundingClientRect().height,
    ).toBe(720)
    expect(document.querySelectorAll('style[data-href="basebox-database-overview"]')).toHaveLength(
      1,
    )
    expect(getComputedStyle(screen.container.querySelector('.bb-do')!).display).toBe('grid')
    await expect.poll(() => cell(screen, 'posts', 'row-count'), { timeout: 20_000 }).toBe('5')
    await expect.poll(() => cell(screen, 'users', 'row-count')).toBe('3')
    expect(cell(screen, 'posts', 'column-count')).toBe('3')
    expect(screen.container.querySelector('.bb-do-tables tfoot')!.textContent).toBe(
      '2 tables8 rows',
    )
    await expect
      .element(screen.getByText('https://api.example.com/db/abc', { exact: true }))
      .toBeVisible()
    await expect.element(screen.getByText('anon-123', { exact: true })).toBeVisible()
    const snippet = screen.container.querySelector(
      '[aria-label="supabase-js snippet"]',
    )?.textContent
    expect(snippet).toContain(
      "const supabase = createClient('https://api.example.com/db/abc', 'anon-123')",
    )
    expect(snippet).toContain("await supabase.from('users').select('*').limit(10)")
    // Newest first: the SQL run, the new table, the database.
    await expect.poll(() => activity(screen).length, { timeout: 20_000 }).toBe(3)
    // The time in words depends on how long the set-up took (a busy machine): any recent time.
    // timeAgo's wording is unit-tested with a fixed clock (overview-text.test.ts).
    const recent = String.raw` (just now|\d+ (second|minute)s? ago)$`
    expect(activity(screen)).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^overview-owner ran read-only SQL: select count\(\*\) from posts` + recent,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          String.raw`^overview-owner changed the schema: create table posts \(3 columns\)` + recent,
        ),
      ),
      expect.stringMatching(new RegExp('^overview-owner created the database' + recent)),
    ])
    expect(
      screen.container.querySelector('.bb-do-activity time')!.getAttribute('datetime'),
    ).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('copies the URL, a key and the snippet, and says so', async () => {
    const id = await blog()
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined)
    const screen = await mount(id, {
      apiURL: 'https://api.example.com/db/abc',
      anonKey: 'anon-123',
      serviceKey: 'service-secret',
    })
    await userEvent.click(screen.getByRole('button', { name: 'Copy url' }))
    expect(writeText).toHaveBeenLastCalledWith('https://api.example.com/db/abc')
    await expect
      .element(screen.getByRole('status').filter({ hasText: 'Copied the URL.' }))
      .toBeVisible()
    await userEvent.click(screen.getByRole('button', { name: 'Copy anon key' }))
    expect(writeText).toHaveBeenLastCalledWith('anon-123')
    // The service key is masked until shown, and copied whole either way.
    expect(screen.container.textContent).not.toContain('service-secret')
    await userEvent.click(screen.getByRole('button', { name: 'Copy service key' }))
    expect(writeText).toHaveBeenLastCalledWith('service-secret')
    await userEvent.click(screen.getByRole('button', { name: 'Show' }))
    await expect.element(screen.getByText('service-secret')).toBeVisible()
    await expect.element(screen.getByText(/use it on a server only/)).toBeVisible()
    await userEvent.click(screen.getByRole('button', { name: 'Copy snippet' }))
    expect(writeText.mock.lastCall![0]).toContain(
      "createClient('https://api.example.com/db/abc', 'anon-123')",
    )
  })

  it('opens a table by keyboard with onOpenTable', async () => {
    const id = await blog()
    const opened: string[] = []
    const screen = await mount(id, { onOpenTable: (table) => opened.push(table) })
    const posts = screen.getByRole('button', { name: 'posts' })
    await expect.element(posts).toBeVisible()
    ;(posts.element() as HTMLButtonElement).focus()
    await userEvent.keyboard('{Enter}')
    expect(opened).toEqual(['posts'])
  })

  it('shows an empty database and placeholders when the host passes no URL or key', async () => {
    const project = await client.createProject({ name: 'Empty' })
    const { id } = await client.createDatabase(project.id)
    await client.dropTable(id, 'users')
    const screen = await mount(id)
    await expect.element(screen.getByText('No tables yet.')).toBeVisible()
    await expect
      .poll(() => screen.container.querySelector('[aria-label="supabase-js snippet"]')?.textContent)
      .toContain('// Create a table first')
    const snippet = screen.container.querySelector(
      '[aria-label="supabase-js snippet"]',
    )?.textContent
    expect(snippet).toContain("createClient('YOUR_DATA_API_URL', 'YOUR_ANON_KEY')")
    expect(snippet).toContain('// Create a table first')
    await expect.element(screen.getByRole('button', { name: 'Copy url' })).toBeDisabled()
    await expect
      .poll(() => activity(screen)[0], { timeout: 20_000 })
      .toMatch(/^overview-owner changed the schema: drop table users/)
  })

  it('shows a read-only owner the same overview', async () => {
    const id = await blog()
    const screen = await mount(
      id,
      {},
      createLocalClient(engine, 'overview-owner', { readOnly: true }),
    )
    await expect.poll(() => cell(screen, 'posts', 'row-count'), { timeout: 20_000 }).toBe('5')
    await expect.poll(() => activity(screen).length, { timeout: 20_000 }).toBe(3)
  })
})
