// <SQLPanel> on the live sample data: a query and its results, an error underlined where
// Postgres reports it, a write behind the confirm with a dry run (checked in the database),
// read-only, and dark. Stories that write get a scratch database of their own.
import type { Meta, StoryObj } from '@storybook/react-vite'
import { SQLPanel } from '@basebox/react'
import { createAIProvider } from '@basebox/ai'
import { createLocalClient } from '@basebox/core'
import { MockLanguageModelV4 } from 'ai/test'
import { expect, userEvent, within } from 'storybook/test'
import { STORYBOOK_OWNER, storyEngine } from './engine.js'
import { eventually, WAIT } from './play.js'
import { sample, scratch, type LoadedDatabase, type StoryGlobals } from './story-support.js'

const meta = {
  title: 'Components/SQLPanel',
  component: SQLPanel,
  args: { databaseId: '', height: 620, storage: null, ai: false },
  argTypes: {
    databaseId: { control: false },
    storage: { control: false },
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
  },
  render: (args, { loaded, globals }) => (
    <SQLPanel
      {...args}
      databaseId={(loaded as LoadedDatabase).basebox.databaseId}
      theme={args.theme ?? (globals as StoryGlobals).theme}
    />
  ),
} satisfies Meta<typeof SQLPanel>

export default meta
type Story = StoryObj<typeof meta>

const loadedOf = (context: { loaded: unknown }) => (context.loaded as LoadedDatabase).basebox

async function run(canvasElement: HTMLElement) {
  const canvas = within(canvasElement)
  await canvas.findByRole('textbox', { name: 'SQL editor' }, WAIT)
  await userEvent.click(canvas.getByRole('button', { name: 'Run' }))
}

const status = (canvasElement: HTMLElement) =>
  canvasElement.querySelector('[data-slot="sql-panel-status"]')?.textContent ?? ''

/** Two statements on the blog data: a result tab each, rows in the read-only grid. */
export const Query: Story = {
  args: {
    initialSQL:
      'select id, title, published from posts order by id limit 20;\nselect count(*)::int as posts from posts',
  },
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
  args: { initialSQL: 'select id, titel from posts' },
  loaders: [sample(['blog'])],
  play: async ({ canvasElement }) => {
    await run(canvasElement)
    await eventually(() =>
      expect(canvasElement.querySelector('.cm-lintRange-error')?.textContent).toBe('titel'),
    )
  },
}

/** An UPDATE asks first; the dry run shows the rows it would change, and nothing changes. */
export const WriteWithDryRun: Story = {
  args: { initialSQL: 'update posts set title = upper(title) where id <= 3' },
  loaders: [scratch('sql panel write', ['blog'])],
  play: async (context) => {
    const { canvasElement } = context
    const basebox = loadedOf(context)
    const before = await basebox.client.runSQL(
      basebox.databaseId,
      'select title from posts where id <= 3 order by id',
    )
    await run(canvasElement)
    const dialog = within(canvasElement.ownerDocument.body)
    await userEvent.click(await dialog.findByRole('button', { name: 'Dry run' }, WAIT))
    await eventually(() => expect(status(canvasElement)).toMatch(/^Dry run/))
    await expect(within(canvasElement).getByRole('tab', { name: /UPDATE · 3 rows/ })).toBeVisible()
    const after = await basebox.client.runSQL(
      basebox.databaseId,
      'select title from posts where id <= 3 order by id',
    )
    await expect(after.statements[0]!.rows).toEqual(before.statements[0]!.rows)
  },
}

/** Read-only for a role the host chooses: a delete is refused and nothing is deleted. */
export const ReadOnly: Story = {
  args: { readOnly: true, initialSQL: 'delete from comments' },
  loaders: [sample(['blog'])],
  play: async (context) => {
    const { canvasElement } = context
    await run(canvasElement)
    await eventually(() =>
      expect(
        canvasElement.querySelector('[data-slot="sql-panel-error"]')?.textContent ?? '',
      ).toMatch(/read-only/),
    )
    const basebox = loadedOf(context)
    const count = await basebox.client.runSQL(
      basebox.databaseId,
      'select count(*)::int from comments',
    )
    await expect(count.statements[0]!.rows[0]![0]).toBeGreaterThan(0)
  },
}

/** Dark: the editor's theme follows the kit's tokens. */
export const Dark: Story = {
  args: { initialSQL: 'select * from users limit 5' },
  globals: { theme: 'dark' },
  loaders: [sample(['blog'])],
  play: async ({ canvasElement }) => {
    await run(canvasElement)
    await eventually(() => expect(status(canvasElement)).toMatch(/^1 statement/))
    const editor = canvasElement.querySelector<HTMLElement>('.cm-editor')!
    const panel = canvasElement.querySelector<HTMLElement>('[data-slot="sql-panel"]')!
    await expect(getComputedStyle(editor).backgroundColor).toBe(
      getComputedStyle(panel).backgroundColor,
    )
  },
}

/** A model that answers `answer` as JSON text: the AI SDK mock (offline, the same every time). */
function scriptedModel(answer: unknown): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doGenerate: async () => ({
      content: [{ type: 'text', text: JSON.stringify(answer) }],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: {
        inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: 20, text: 20, reasoning: undefined },
      },
      warnings: [],
    }),
  })
}

/**
 * Ask AI with a scripted mock model: the question becomes a DELETE put in the editor for
 * review, not run; running it asks first (written by AI), and Cancel deletes nothing.
 */
export const AskAI: Story = {
  args: { ai: true },
  loaders: [
    async (): Promise<LoadedDatabase> => {
      const { basebox } = await scratch('sql panel ask ai', ['blog'])()
      const { engine } = await storyEngine()
      const model = scriptedModel({
        sql: 'delete from comments where post_id = 1',
        explanation: 'Deletes the comments of post 1.',
      })
      return {
        basebox: {
          ...basebox,
          client: createLocalClient(engine, STORYBOOK_OWNER, { ai: createAIProvider({ model }) }),
        },
      }
    },
  ],
  play: async (context) => {
    const { canvasElement } = context
    const canvas = within(canvasElement)
    const basebox = loadedOf(context)
    const count = async () =>
      (await basebox.client.runSQL(basebox.databaseId, 'select count(*)::int from comments'))
        .statements[0]!.rows[0]![0]
    const before = await count()
    await userEvent.type(
      await canvas.findByRole('textbox', { name: 'Ask AI for SQL' }, WAIT),
      'remove the comments of the first post',
    )
    await userEvent.click(canvas.getByRole('button', { name: 'Ask AI' }))
    await eventually(() =>
      expect(canvasElement.querySelector('.cm-content')?.textContent).toBe(
        'delete from comments where post_id = 1',
      ),
    )
    await expect(status(canvasElement)).toBe('')
    await userEvent.click(canvas.getByRole('button', { name: 'Run' }))
    const page = within(canvasElement.ownerDocument.body)
    await expect(
      await page.findByText('Run SQL written by AI that changes data?', undefined, WAIT),
    ).toBeVisible()
    await userEvent.click(page.getAllByRole('button', { name: 'Cancel' }).at(-1)!)
    await expect(await count()).toBe(before)
  },
}
