// What the stories run on: every table of the shared sample database with its row count, and
// where the engine keeps it. Its play test checks the seed (sizes and a few deterministic values).
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useRows, useTables } from '@basebox/react'
import { expect, within } from 'storybook/test'
import { storyEngine } from './engine.js'
import { BIG_ROWS, SECRET_PREFIX } from './seed.js'
import { sample, type LoadedDatabase } from './story-support.js'

function RowCount({ databaseId, table }: { databaseId: string; table: string }) {
  const rows = useRows(databaseId, table, { limit: 0, count: 'exact' })
  return <>{rows.data?.count ?? '…'}</>
}

/** The tables of a database with their columns and row counts. */
function SampleData({ databaseId, directory }: { databaseId: string; directory: string }) {
  const tables = useTables(databaseId)
  return (
    <section aria-label="Sample data" style={{ color: 'var(--bb-color-fg)' }}>
      <p>Stored in {directory}</p>
      <table>
        <thead>
          <tr>
            <th>Table</th>
            <th>Rows</th>
            <th>Columns</th>
          </tr>
        </thead>
        <tbody>
          {tables.data?.map((table) => (
            <tr key={table.name} aria-label={table.name}>
              <th scope="row">{table.name}</th>
              <td>
                <RowCount databaseId={databaseId} table={table.name} />
              </td>
              <td>
                {table.definition.columns
                  .map((column) => `${column.name} ${column.type}`)
                  .join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

const meta = {
  title: 'Sample data',
  component: SampleData,
  args: { databaseId: '', directory: '' },
  argTypes: { databaseId: { control: false }, directory: { control: false } },
  loaders: [
    sample(['blog', 'shop', 'types', 'big']),
    async () => ({ directory: (await storyEngine()).directory }),
  ],
  render: (args, { loaded }) => (
    <SampleData
      {...args}
      databaseId={(loaded as LoadedDatabase).basebox.databaseId}
      directory={`opfs-ahp://${(loaded as { directory: string }).directory}`}
    />
  ),
} satisfies Meta<typeof SampleData>

export default meta
type Story = StoryObj<typeof meta>

const EXPECTED: Record<string, number> = {
  users: 24,
  posts: 120,
  comments: 600,
  customers: 60,
  products: 40,
  orders: 300,
  every_type: 30,
  notes: 0,
  events: BIG_ROWS,
  storybook_seed: 4,
}

/** Every table of the shared seed, counted. */
export const Tables: Story = {
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement)
    for (const [table, count] of Object.entries(EXPECTED)) {
      const row = await canvas.findByRole(
        'row',
        { name: new RegExp(`^${table}\\b`) },
        { timeout: 30_000 },
      )
      await expect(
        await within(row).findByText(String(count), {}, { timeout: 30_000 }),
      ).toBeVisible()
    }
    // order_items: one to five lines per order.
    const items = Number(
      within(canvas.getByRole('row', { name: /^order_items\b/ })).getAllByRole('cell')[0]!
        .textContent,
    )
    await expect(items).toBeGreaterThanOrEqual(300)
    await expect(items).toBeLessThanOrEqual(1500)

    // The seed is deterministic: the same values in every browser.
    const { client, databaseId } = (loaded as LoadedDatabase).basebox
    const { rows: posts } = await client.selectRows(databaseId, 'posts', {
      where: { id: 1 },
      columns: ['title', 'tags'],
    })
    await expect(posts).toEqual([{ title: expect.any(String), tags: expect.any(Array) }])
    const { rows: events } = await client.selectRows(databaseId, 'events', {
      where: { id: 99_990 },
    })
    await expect(events).toEqual([
      {
        id: 99_990,
        name: 'event 99990',
        kind: 'click',
        value: null,
        ok: true,
        happened_at: '2025-04-23T06:10:30+00:00',
      },
    ])
    // The secret column is stored, and no record API returns it.
    const { rows: typed } = await client.selectRows(databaseId, 'every_type', { limit: 1 })
    await expect(Object.keys(typed[0]!)).not.toContain('api_key')
    const stored = await client.runSQL(
      databaseId,
      `select count(*)::int from every_type where api_key like '${SECRET_PREFIX}%'`,
    )
    await expect(stored.statements[0]!.rows).toEqual([[30]])
    await expect(canvasElement.textContent).not.toContain(SECRET_PREFIX)
  },
}
