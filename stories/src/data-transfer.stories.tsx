// <DataTransfer> on live PGlite data: export (JSON, SQL, one table's CSV) and import (a JSON or
// SQL dry run, a CSV preview with the mapping and rejected rows) on a scratch blog, a read-only
// owner who may only export, and dark.
import type { Meta, StoryObj } from '@storybook/react-vite'
import { DataTransfer } from '@basebox/react'
import { createLocalClient } from '@basebox/core'
import { expect, fn, userEvent, within } from 'storybook/test'
import { STORYBOOK_OWNER, storyEngine } from './engine.js'
import { eventually, WAIT } from './play.js'
import { scratch, type LoadedDatabase, type StoryGlobals } from './story-support.js'

const meta = {
  title: 'Components/DataTransfer',
  component: DataTransfer,
  // The play functions check the files through onExport; a real host leaves `download` on.
  args: { databaseId: '', height: 640, download: false, onExport: fn() },
  argTypes: {
    databaseId: { control: false },
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
  },
  render: (args, { loaded, globals }) => (
    <DataTransfer
      {...args}
      databaseId={(loaded as LoadedDatabase).basebox.databaseId}
      theme={args.theme ?? (globals as StoryGlobals).theme}
    />
  ),
} satisfies Meta<typeof DataTransfer>

export default meta
type Story = StoryObj<typeof meta>

/** A scratch blog: export it, or drop a file on the import zone for its dry run or preview. */
export const Default: Story = {
  loaders: [scratch('data transfer default', ['blog'])],
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Export' }, WAIT))
    await eventually(() => expect(args.onExport).toHaveBeenCalledTimes(1))
    await expect(await canvas.findByText(/^Exported basebox\.json/, {}, WAIT)).toBeVisible()
    // A CSV file for posts' neighbour: a new table, previewed, nothing written.
    const input = canvasElement.querySelector<HTMLInputElement>('input[type="file"]')!
    const transfer = new window.DataTransfer()
    transfer.items.add(
      new File(['title,stars\nHello,5\nBye,many\n'], 'ratings.csv', { type: 'text/csv' }),
    )
    input.files = transfer.files
    input.dispatchEvent(new Event('change', { bubbles: true }))
    await expect(await canvas.findByText('Preview: nothing is written yet', {}, WAIT)).toBeVisible()
    await expect(canvas.getByRole('combobox', { name: 'Into table' })).toHaveValue('')
  },
}

/** A read-only owner exports; the import is disabled. */
export const ReadOnly: Story = {
  loaders: [
    async (): Promise<LoadedDatabase> => {
      const { basebox } = await scratch('data transfer read-only', ['blog'])()
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
    const canvas = within(canvasElement)
    await expect(
      await canvas.findByText(
        'Read-only: you can export this database but not import into it.',
        {},
        WAIT,
      ),
    ).toBeVisible()
    await expect(canvas.getByLabelText('File to import')).toBeDisabled()
    await expect(canvas.getByRole('button', { name: 'Export' })).toBeEnabled()
  },
}

/** Dark: the panel takes the kit's dark tokens. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  loaders: [scratch('data transfer dark', ['blog'])],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('button', { name: 'Export' }, WAIT)
    const card = canvasElement.querySelector<HTMLElement>('.bb-dt-card')!
    const probe = document.createElement('span')
    probe.style.color = 'var(--bb-color-bg)'
    card.append(probe)
    await expect(getComputedStyle(card).backgroundColor).toBe(getComputedStyle(probe).color)
    await expect(getComputedStyle(card).colorScheme).toBe('dark')
    probe.remove()
  },
}
