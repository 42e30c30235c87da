// <DatabaseOverview> on live PGlite data: the shared sample database (row and column counts, the
// data API with its supabase-js snippet, recent activity), with a service key, an empty
// database, a read-only owner and dark.
import type { Meta, StoryObj } from '@storybook/react-vite'
import { DatabaseOverview } from '@basebox/react'
import { createLocalClient } from '@basebox/core'
import { expect, userEvent, within } from 'storybook/test'
import { STORYBOOK_OWNER, storyEngine } from './engine.js'
import { eventually, WAIT } from './play.js'
import { sample, scratch, type LoadedDatabase, type StoryGlobals } from './story-support.js'

const meta = {
  title: 'Components/DatabaseOverview',
  component: DatabaseOverview,
  // The URL and key a host would pass (the data API of @basebox/server); nothing is fetched.
  args: {
    databaseId: '',
    height: 640,
    apiURL: 'https://api.example.com/v1/db/storybook',
    anonKey: 'bb_anon_0123456789abcdef',
  },
  argTypes: {
    databaseId: { control: false },
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
  },
  render: (args, { loaded, globals }) => (
    <DatabaseOverview
      {...args}
      databaseId={(loaded as LoadedDatabase).basebox.databaseId}
      theme={args.theme ?? (globals as StoryGlobals).theme}
    />
  ),
} satisfies Meta<typeof DatabaseOverview>

export default meta
type Story = StoryObj<typeof meta>

const rowCount = (root: HTMLElement, table: string) =>
  root.querySelector(`tr[data-table="${table}"] [data-slot="row-count"]`)?.textContent ?? ''
const snippet = (root: HTMLElement) =>
  root.querySelector('[aria-label="supabase-js snippet"]')?.textContent ?? ''

/** The blog and the shop: each table's rows and columns, the data API, and what happened last. */
export const Default: Story = {
  loaders: [sample(['blog', 'shop'])],
  play: async ({ canvasElement }) => {
    await eventually(() => expect(rowCount(canvasElement, 'posts')).toBe('120'))
    await eventually(() => expect(rowCount(canvasElement, 'comments')).toBe('600'))
    await expect(snippet(canvasElement)).toContain(
      "createClient('https://api.example.com/v1/db/storybook', 'bb_anon_0123456789abcdef')",
    )
    await expect(snippet(canvasElement)).toContain("supabase.from('users').select('*')")
    await eventually(() =>
      expect(canvasElement.querySelectorAll('.bb-do-activity li').length).toBe(5),
    )
    await expect(canvasElement.querySelector('.bb-do-activity li')!.textContent).toMatch(
      /^storybook /,
    )
  },
}

/** With the service key: masked until shown, and a warning to keep it on a server. */
export const WithServiceKey: Story = {
  args: { serviceKey: 'bb_service_do_not_ship_this' },
  loaders: [sample(['blog'])],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText(/use it on a server only/, {}, WAIT)).toBeVisible()
    await expect(canvasElement.textContent).not.toContain('bb_service_do_not_ship_this')
    await userEvent.click(canvas.getByRole('button', { name: 'Show' }))
    await expect(canvas.getByText('bb_service_do_not_ship_this')).toBeVisible()
  },
}

/** A database without tables, and a host that passes no URL or key: placeholders. */
export const Empty: Story = {
  args: { apiURL: undefined, anonKey: undefined },
  loaders: [
    async (): Promise<LoadedDatabase> => {
      const { basebox } = await scratch('database overview empty', [])()
      for (const table of await basebox.client.listTables(basebox.databaseId))
        await basebox.client.dropTable(basebox.databaseId, table.name, { cascade: true })
      return { basebox }
    },
  ],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText('No tables yet.', {}, WAIT)).toBeVisible()
    await eventually(() =>
      expect(snippet(canvasElement)).toContain(
        "createClient('YOUR_DATA_API_URL', 'YOUR_ANON_KEY')",
      ),
    )
    await expect(canvas.getByRole('button', { name: 'Copy url' })).toBeDisabled()
  },
}

/** A read-only owner sees the same overview. */
export const ReadOnly: Story = {
  loaders: [
    async (): Promise<LoadedDatabase> => {
      const { basebox } = await sample(['blog'])()
      const { engine } = await storyEngine()
      return {
        basebox: {
          ...basebox,
          client: createLocalClient(engine, STORYBOOK_OWNER, { readOnly: true }),
        },
      }
    },
  ],
  play: async ({ canvasElement }) => {
    await eventually(() => expect(rowCount(canvasElement, 'posts')).toBe('120'))
    await eventually(() =>
      expect(canvasElement.querySelectorAll('.bb-do-activity li').length).toBeGreaterThan(0),
    )
  },
}

/** Dark: the overview takes the kit's dark tokens. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  loaders: [sample(['blog'])],
  play: async ({ canvasElement }) => {
    await eventually(() => expect(rowCount(canvasElement, 'posts')).toBe('120'))
    const card = canvasElement.querySelector<HTMLElement>('.bb-do-card')!
    const probe = document.createElement('span')
    probe.style.color = 'var(--bb-color-bg)'
    card.append(probe)
    await expect(getComputedStyle(card).backgroundColor).toBe(getComputedStyle(probe).color)
    await expect(getComputedStyle(card).colorScheme).toBe('dark')
    probe.remove()
  },
}
