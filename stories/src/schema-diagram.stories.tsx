// <SchemaDiagram> on the live sample data (the shop tables over PGlite): the diagram, a pending
// plan shown as a diff, a database without tables, and dark.
import type { Meta, StoryObj } from '@storybook/react-vite'
import type { WireChangePlan } from '@basebox/client'
import { SchemaDiagram } from '@basebox/react'
import { expect, within } from 'storybook/test'
import { eventually, WAIT } from './play.js'
import { sample, scratch, type LoadedDatabase } from './story-support.js'

type Loaded = LoadedDatabase & { plan?: WireChangePlan }

const meta = {
  title: 'Components/SchemaDiagram',
  component: SchemaDiagram,
  args: { databaseId: '', height: 560 },
  argTypes: { databaseId: { control: false }, plan: { control: false } },
  render: (args, { loaded }) => (
    <SchemaDiagram
      {...args}
      databaseId={(loaded as Loaded).basebox.databaseId}
      plan={(loaded as Loaded).plan ?? args.plan}
    />
  ),
} satisfies Meta<typeof SchemaDiagram>

export default meta
type Story = StoryObj<typeof meta>

const node = (root: HTMLElement, table: string) =>
  root.querySelector<HTMLElement>(`.react-flow__node[data-id="${table}"]`)

/** The shop's tables with their references, laid out by dagre; click a table to open it. */
export const Default: Story = {
  args: {
    onOpenTable: (table: string) => console.info(`[stories] open ${table}`),
    onProposeReference: (proposal) => console.info('[stories] propose', proposal),
  },
  // Its own database with only the shop tables: the shared sample database also holds the tables
  // other stories loaded, so its edge count depends on which stories ran before.
  loaders: [scratch('schema diagram default', ['shop'])],
  play: async ({ canvasElement }) => {
    await eventually(() => expect(node(canvasElement, 'order_items')).not.toBeNull())
    for (const table of ['users', 'customers', 'products', 'orders', 'order_items'])
      await expect(node(canvasElement, table)).not.toBeNull()
    await eventually(() =>
      expect(canvasElement.querySelectorAll('.react-flow__edge').length).toBe(3),
    )
  },
}

/** A plan from planChanges (a new table, a new column, a type change, a dropped column) as a diff. */
export const WithPendingPlan: Story = {
  loaders: [
    async (): Promise<Loaded> => {
      const { basebox } = await scratch('schema diagram plan', ['shop'])()
      const tables = (await basebox.client.listTables(basebox.databaseId)).map(
        (table) => table.definition,
      )
      const wanted = tables.map((table) => {
        if (table.name === 'orders')
          return {
            ...table,
            columns: [...table.columns, { name: 'coupon', type: 'text' as const }],
          }
        if (table.name === 'products')
          return {
            ...table,
            columns: table.columns.map((c) =>
              c.name === 'stock' ? { ...c, type: 'bigint' as const } : c,
            ),
          }
        if (table.name === 'customers')
          return { ...table, columns: table.columns.filter((c) => c.name !== 'city') }
        return table
      })
      wanted.push({
        name: 'reviews',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          {
            name: 'product_id',
            type: 'integer',
            required: true,
            references: { table: 'products', column: 'id', on_delete: 'cascade' },
          },
          { name: 'stars', type: 'integer', required: true },
        ],
      })
      return { basebox, plan: await basebox.client.planChanges(basebox.databaseId, wanted) }
    },
  ],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText('Pending changes', {}, WAIT)).toBeVisible()
    await eventually(() =>
      expect(node(canvasElement, 'reviews')?.querySelector('[data-status="added"]')).not.toBeNull(),
    )
    await expect(
      node(canvasElement, 'products')!
        .querySelector('[data-column="stock"]')!
        .getAttribute('data-status'),
    ).toBe('changed')
    await expect(
      node(canvasElement, 'customers')!
        .querySelector('[data-column="city"]')!
        .getAttribute('data-status'),
    ).toBe('removed')
  },
}

/** A database whose tables were all dropped: the diagram says so, in the same box. */
export const Empty: Story = {
  loaders: [
    async (): Promise<Loaded> => {
      const { basebox } = await scratch('schema diagram empty', [])()
      for (const table of await basebox.client.listTables(basebox.databaseId))
        await basebox.client.dropTable(basebox.databaseId, table.name, { cascade: true })
      return { basebox }
    },
  ],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(
      await canvas.findByText('This database has no tables yet.', {}, WAIT),
    ).toBeVisible()
  },
}

/** The shop's diagram on the dark theme: xyflow's parts take the kit's dark tokens. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  loaders: [sample(['shop'])],
  play: async ({ canvasElement }) => {
    await eventually(() => expect(node(canvasElement, 'orders')).not.toBeNull())
    const page = canvasElement.querySelector<HTMLElement>('[data-theme="dark"]')!
    const table = node(canvasElement, 'orders')!.querySelector<HTMLElement>(
      '.bb-schema-diagram__table',
    )!
    const probe = document.createElement('span')
    probe.style.color = 'var(--bb-color-bg)'
    page.append(probe)
    await expect(getComputedStyle(table).backgroundColor).toBe(getComputedStyle(probe).color)
    probe.remove()
  },
}
