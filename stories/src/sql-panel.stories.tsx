// <SqlPanel> on the live sample data: a query and its results, an error underlined where
// Postgres reports it, a write behind the confirm with a dry run (checked in the database),
// read-only, and dark. Stories that write get a scratch database of their own.
import type { Meta, StoryObj } from '@storybook/react-vite'
import { SqlPanel } from '@basebox/react'
import { expect, userEvent, within } from 'storybook/test'
import { eventually, WAIT } from './play.js'
import { sample, scratch, type LoadedDatabase, type StoryGlobals } from './story-support.js'

const meta = {
  title: 'Components/SqlPanel',
  component: SqlPanel,
  args: { databaseId: '', height: 620, storage: null, ai: false },
  argTypes: {
    databaseId: { control: false },
    storage: { control: false },
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
  },
  render: (args, { loaded, globals }) => (
    <SqlPanel {...args} databaseId={(loaded as LoadedDatabase).basebox.databaseId} theme={args.theme ?? (globals as StoryGlobals).theme} />
  ),
} satisfies Meta<typeof SqlPanel>

export default meta
type Story = StoryObj<typeof meta>

const loadedOf = (context: { loaded: unknown }) => (context.loaded as LoadedDatabase).basebox

async function run(canvasElement: HTMLElement) {
  const canvas = within(canvasElement)
  await canvas.findByRole('textbox', { name: 'SQL editor' }, WAIT)
  await userEvent.click(canvas.getByRole('button', { name: 'Run' }))
}

const status = (canvasElement: HTMLElement) => canvasElement.querySelector('[data-slot="sql-panel-status"]')?.textContent ?? ''

/** Two statements on the blog data: a result tab each, rows in the read-only grid. */
export const Query: Story = {
  args: { initialSql: 'select id, title, published from posts order by id limit 20;\nselect count(*)::int as posts from posts' },
  loaders: [sample(['blog'])],
  play: async ({ canvasElement }) => {
    await run(canvasElement)
    await eventually(() => expect(status(canvasElement)).toMatch(/^2 statements in \d+ ms$/))
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('tab', { name: /^1\. SELECT · 20 rows/ }))
    await expect(canvas.getByRole('grid', { name: 'Result 1' })).toBeVisible()
  },
}

/** A misspelt column: the message, and the name underlined in the editor. */
export const ErrorPosition: Story = {
  args: { initialSql: 'select id, titel from posts' },
  loaders: [sample(['blog'])],
  play: async ({ canvasElement }) => {
    await run(canvasElement)
    await eventually(() => expect(canvasElement.querySelector('.cm-lintRange-error')?.textContent).toBe('titel'))
  },
}

/** An UPDATE asks first; the dry run shows the rows it would change, and nothing changes. */
export const WriteWithDryRun: Story = {
  args: { initialSql: "update posts set title = upper(title) where id <= 3" },
  loaders: [scratch('sql panel write', ['blog'])],
  play: async (context) => {
    const { canvasElement } = context
    const basebox = loadedOf(context)
    const before = await basebox.client.runSQL(basebox.databaseId, 'select title from posts where id <= 3 order by id')
    await run(canvasElement)
    const dialog = within(canvasElement.ownerDocument.body)
    await userEvent.click(await dialog.findByRole('button', { name: 'Dry run' }, WAIT))
    await eventually(() => expect(status(canvasElement)).toMatch(/^Dry run/))
    await expect(within(canvasElement).getByRole('tab', { name: /UPDATE · 3 rows/ })).toBeVisible()
    const after = await basebox.client.runSQL(basebox.databaseId, 'select title from posts where id <= 3 order by id')
    await expect(after.statements[0]!.rows).toEqual(before.statements[0]!.rows)
  },
}

/** Read-only for a role the host chooses: a delete is refused and nothing is deleted. */
export const ReadOnly: Story = {
  args: { readOnly: true, initialSql: 'delete from comments' },
  loaders: [sample(['blog'])],
  play: async (context) => {
    const { canvasElement } = context
    await run(canvasElement)
    await eventually(() => expect(canvasElement.querySelector('[data-slot="sql-panel-error"]')?.textContent ?? '').toMatch(/read-only/))
    const basebox = loadedOf(context)
    const count = await basebox.client.runSQL(basebox.databaseId, 'select count(*)::int from comments')
    await expect(count.statements[0]!.rows[0]![0]).toBeGreaterThan(0)
  },
}

/** Dark: the editor's theme follows the kit's tokens. */
export const Dark: Story = {
  args: { initialSql: 'select * from users limit 5' },
  globals: { theme: 'dark' },
  loaders: [sample(['blog'])],
  play: async ({ canvasElement }) => {
    await run(canvasElement)
    await eventually(() => expect(status(canvasElement)).toMatch(/^1 statement/))
    const editor = canvasElement.querySelector<HTMLElement>('.cm-editor')!
    const panel = canvasElement.querySelector<HTMLElement>('[data-slot="sql-panel"]')!
    await expect(getComputedStyle(editor).backgroundColor).toBe(getComputedStyle(panel).backgroundColor)
  },
}
