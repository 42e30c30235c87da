// <APIKeys> on live PGlite data with end-user auth: a scratch database's keys (one revoked), a
// key created and shown once, a database without keys, a read-only owner and dark.
import type { Meta, StoryObj } from '@storybook/react-vite'
import { APIKeys } from '@basebox/react'
import { expect, userEvent, within } from 'storybook/test'
import { recordKeyUse, withAuth } from './auth-support.js'
import { eventually, WAIT } from './play.js'
import { scratch, type LoadedDatabase, type StoryGlobals } from './story-support.js'

const meta = {
  title: 'Components/APIKeys',
  component: APIKeys,
  args: { databaseId: '', height: 640 },
  argTypes: {
    databaseId: { control: false },
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
  },
  render: (args, { loaded, globals }) => (
    <APIKeys
      {...args}
      databaseId={(loaded as LoadedDatabase).basebox.databaseId}
      theme={args.theme ?? (globals as StoryGlobals).theme}
    />
  ),
} satisfies Meta<typeof APIKeys>

export default meta
type Story = StoryObj<typeof meta>

/** A scratch database with three keys: one used just now, one never, one revoked. */
const withKeys =
  (label: string, readOnly = false) =>
  async (): Promise<LoadedDatabase> => {
    const { basebox } = await scratch(label, [])()
    const authed = await withAuth(basebox)
    const web = await authed.client.createAPIKey(authed.databaseId, {
      name: 'web app',
      kind: 'anon',
    })
    await recordKeyUse(authed.databaseId, web.key)
    await authed.client.createAPIKey(authed.databaseId, { name: 'backend', kind: 'service' })
    const old = await authed.client.createAPIKey(authed.databaseId, {
      name: 'old laptop',
      kind: 'service',
    })
    await authed.client.revokeAPIKey(authed.databaseId, old.id)
    return { basebox: readOnly ? await withAuth(basebox, true) : authed }
  }

const row = (root: HTMLElement, name: string) => root.querySelector(`tr[data-key="${name}"]`)

/** The keys by name, kind, prefix and last use; a new one shown once with Copy. */
export const Default: Story = {
  loaders: [withKeys('api keys')],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await eventually(() => expect(row(canvasElement, 'old laptop')?.textContent).toMatch(/Revoked/))
    await expect(row(canvasElement, 'web app')!.textContent).toContain('Active')
    const lastUsed = (name: string) =>
      row(canvasElement, name)!.querySelector('[data-slot="last-used"]')!.textContent
    await expect(lastUsed('web app')).toMatch(/^(just now|\d+ minutes? ago)$/)
    await expect(lastUsed('backend')).toBe('Never')
    await userEvent.type(canvas.getByLabelText('Name'), 'staging')
    await userEvent.click(canvas.getByRole('button', { name: 'Create key' }))
    await expect(await canvas.findByText(/you will not see it again/, {}, WAIT)).toBeVisible()
    await expect(canvasElement.querySelector('[aria-label="The new key"]')!.textContent).toMatch(
      /^bb_anon_/,
    )
  },
}

/** A database without keys. */
export const Empty: Story = {
  loaders: [
    async (): Promise<LoadedDatabase> => ({
      basebox: await withAuth((await scratch('api keys empty', [])()).basebox),
    }),
  ],
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText('No API keys yet.', {}, WAIT)).toBeVisible()
  },
}

/** A read-only owner sees the keys but cannot create, revoke or rotate. */
export const ReadOnly: Story = {
  loaders: [withKeys('api keys read-only', true)],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await eventually(() => expect(row(canvasElement, 'web app')).not.toBeNull())
    await expect(canvas.getByText(/Read-only: you can see the keys/)).toBeVisible()
    await expect(canvas.queryByRole('button', { name: 'Revoke web app' })).toBeNull()
    await expect(canvas.getByRole('button', { name: 'Rotate JWT secret' })).toBeDisabled()
  },
}

/** Dark: the component takes the kit's dark tokens. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  loaders: [withKeys('api keys dark')],
  play: async ({ canvasElement }) => {
    await eventually(() => expect(row(canvasElement, 'web app')).not.toBeNull())
    const card = canvasElement.querySelector<HTMLElement>('.bb-admin-card')!
    const probe = document.createElement('span')
    probe.style.color = 'var(--bb-color-bg)'
    card.append(probe)
    await expect(getComputedStyle(card).backgroundColor).toBe(getComputedStyle(probe).color)
    await expect(getComputedStyle(card).colorScheme).toBe('dark')
    probe.remove()
  },
}
