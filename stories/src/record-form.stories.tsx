// <RecordForm> on the live sample data: create, edit, an engine error mapped to its field
// (a duplicate email), and dark. Stories that write get a scratch database of their own.
import type { Meta, StoryObj } from '@storybook/react-vite'
import { RecordForm } from '@basebox/react'
import { expect, userEvent, within } from 'storybook/test'
import { eventually, WAIT } from './play.js'
import { sample, scratch, type LoadedDatabase } from './story-support.js'

const meta = {
  title: 'Components/RecordForm',
  component: RecordForm,
  args: { databaseId: '', table: 'customers' },
  argTypes: { databaseId: { control: false } },
  render: (args, { loaded }) => (
    <RecordForm {...args} databaseId={(loaded as LoadedDatabase).basebox.databaseId} />
  ),
} satisfies Meta<typeof RecordForm>

export default meta
type Story = StoryObj<typeof meta>

const loadedOf = (context: { loaded: unknown }) => (context.loaded as LoadedDatabase).basebox
type Canvas = ReturnType<typeof within>
const field = (canvas: Canvas, column: string) =>
  canvas.findByRole('textbox', { name: new RegExp(`^${column}\\b`) }, WAIT)

async function customer(basebox: LoadedDatabase['basebox'], id: number) {
  return (await basebox.client.selectRows(basebox.databaseId, 'customers', { where: { id } }))
    .rows[0]
}

/** A new customer: fill the fields, Create; the row is in the database. */
export const Create: Story = {
  loaders: [scratch('record form create', ['shop'])],
  play: async ({ canvasElement, loaded }) => {
    const basebox = loadedOf({ loaded })
    const canvas = within(canvasElement)
    await expect(await canvas.findByRole('form', { name: 'New customers row' }, WAIT)).toBeVisible()
    await userEvent.type(await field(canvas, 'id'), '1001')
    await userEvent.type(await field(canvas, 'name'), 'Noor Haddad')
    await userEvent.type(await field(canvas, 'email'), 'noor@shop.example')
    await userEvent.type(await field(canvas, 'city'), 'Beirut')
    await userEvent.click(canvas.getByRole('button', { name: 'Create' }))
    await eventually(async () =>
      expect(await customer(basebox, 1001)).toMatchObject({
        name: 'Noor Haddad',
        email: 'noor@shop.example',
        city: 'Beirut',
      }),
    )
  },
}

/** Customer 1, edited: only the changed field is sent; Save writes it. */
export const Edit: Story = {
  args: { recordId: 1 },
  loaders: [scratch('record form edit', ['shop'])],
  play: async ({ canvasElement, loaded }) => {
    const basebox = loadedOf({ loaded })
    const before = await customer(basebox, 1)
    const canvas = within(canvasElement)
    const name = await field(canvas, 'name')
    await eventually(() => expect(name).toHaveValue(String(before!.name)))
    const city = await field(canvas, 'city')
    await userEvent.clear(city)
    await userEvent.type(city, 'Valparaíso')
    await userEvent.click(canvas.getByRole('button', { name: 'Save' }))
    await eventually(async () =>
      expect(await customer(basebox, 1)).toMatchObject({
        name: before!.name,
        email: before!.email,
        city: 'Valparaíso',
      }),
    )
  },
}

/**
 * The engine refuses a duplicate email: the error is shown at the email field and nothing is saved.
 *
 * Over the PGlite *worker* driver too: the driver keeps the Postgres error's fields across the
 * worker, so the field shows the engine's CONFLICT message.
 */
export const ServerError: Story = {
  loaders: [scratch('record form duplicate email', ['shop'])],
  play: async ({ canvasElement, loaded }) => {
    const basebox = loadedOf({ loaded })
    const taken = await customer(basebox, 1)
    const canvas = within(canvasElement)
    await userEvent.type(await field(canvas, 'id'), '1002')
    await userEvent.type(await field(canvas, 'name'), 'Second Account')
    const email = await field(canvas, 'email')
    await userEvent.type(email, String(taken!.email))
    await userEvent.click(canvas.getByRole('button', { name: 'Create' }))
    // The engine's CONFLICT lands at the email field (an alert in the same field group).
    let alert: HTMLElement | undefined
    await eventually(() => {
      alert = canvas
        .queryAllByRole('alert')
        .find((candidate) => candidate.parentElement?.contains(email))
      return expect(alert?.textContent ?? '').not.toBe('')
    })
    // What the engine answers (through the PGlite worker) for the same insert: a typed CONFLICT
    // on the email column, and that message is the one at the field.
    const answer = await basebox.client
      .insertRows(basebox.databaseId, 'customers', { id: 1003, name: 'Third', email: taken!.email })
      .catch((error: unknown) => error)
    console.info(
      `[stories] duplicate email: field says "${alert?.textContent}", engine says ${JSON.stringify({ ...(answer as object), message: (answer as Error).message })}`,
    )
    await expect(answer).toMatchObject({ code: 'CONFLICT' })
    await expect(alert).toHaveTextContent(
      (answer as Error).message.replace(/^.*column "email": /, ''),
    )
    await expect(email).toHaveValue(String(taken!.email))
    await expect(await customer(basebox, 1002)).toBeUndefined()
  },
}

/**
 * Editing a product on the dark theme (the toolbar's theme switch).
 *
 * The form follows the page's `data-theme="dark"` (styles.css applies the dark tokens to every
 * `.bb-root` under it); the `theme` prop does the same on the form itself.
 */
export const Dark: Story = {
  args: { table: 'products', recordId: 1 },
  globals: { theme: 'dark' },
  loaders: [sample(['shop'])],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const form = await canvas.findByRole('form', { name: 'Edit products row' }, WAIT)
    await expect(form).toBeVisible()
    const page = canvasElement.querySelector<HTMLElement>('[data-theme="dark"]')!
    // The form uses the dark page's tokens.
    await expect(getComputedStyle(form).getPropertyValue('--bb-color-bg')).toBe(
      getComputedStyle(page).getPropertyValue('--bb-color-bg'),
    )
  },
}
