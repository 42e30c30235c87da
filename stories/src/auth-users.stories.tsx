// <AuthUsers> on live PGlite data with end-user auth: a scratch database's 25 end users (paged,
// one disabled), a database without users, a read-only owner and dark.
import type { Meta, StoryObj } from '@storybook/react-vite'
import { AuthUsers } from '@basebox/react'
import { expect, userEvent, within } from 'storybook/test'
import { withAuth } from './auth-support.js'
import { eventually, WAIT } from './play.js'
import { scratch, type LoadedDatabase, type StoryGlobals } from './story-support.js'

const meta = {
  title: 'Components/AuthUsers',
  component: AuthUsers,
  args: { databaseId: '', height: 640, pageSize: 10 },
  argTypes: {
    databaseId: { control: false },
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
  },
  render: (args, { loaded, globals }) => (
    <AuthUsers
      {...args}
      databaseId={(loaded as LoadedDatabase).basebox.databaseId}
      theme={args.theme ?? (globals as StoryGlobals).theme}
    />
  ),
} satisfies Meta<typeof AuthUsers>

export default meta
type Story = StoryObj<typeof meta>

const NAMES = [
  'Ada',
  'Ben',
  'Cleo',
  'Dev',
  'Eli',
  'Fay',
  'Gus',
  'Hana',
  'Ivo',
  'Jin',
  'Kai',
  'Lea',
  'Milo',
  'Nia',
  'Otto',
  'Pia',
  'Quin',
  'Rae',
  'Sol',
  'Tess',
  'Uma',
  'Vic',
  'Wren',
  'Xan',
  'Yara',
]

/** A scratch database with 25 end users, every third verified, the second disabled. */
const withUsers =
  (label: string, readOnly = false) =>
  async (): Promise<LoadedDatabase> => {
    const { basebox } = await scratch(label, [])()
    const authed = await withAuth(basebox)
    for (const [index, name] of NAMES.entries()) {
      const user = await authed.client.createEndUser(authed.databaseId, {
        email: `${name.toLowerCase()}@example.com`,
        password: 'story password',
        email_confirm: index % 3 === 0,
        user_metadata: { full_name: `${name} Example` },
      })
      if (index === 1)
        await authed.client.updateEndUser(authed.databaseId, user.id, { disabled: true })
    }
    return { basebox: readOnly ? await withAuth(basebox, true) : authed }
  }

const range = (root: HTMLElement) => root.querySelector('[data-slot="range"]')?.textContent ?? ''

/** Paged by ten, searched and sorted; the actions of each user. */
export const Default: Story = {
  loaders: [withUsers('auth users')],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await eventually(() => expect(range(canvasElement)).toBe('1–10 of 25'))
    await expect(
      canvasElement.querySelector('tr[data-user="ben@example.com"] [data-slot="status"]')!
        .textContent,
    ).toBe('Disabled')
    await userEvent.click(canvas.getByRole('button', { name: 'Next' }))
    await eventually(() => expect(range(canvasElement)).toBe('11–20 of 25'))
    await userEvent.type(canvas.getByLabelText('Search users'), 'wren')
    await eventually(() => expect(range(canvasElement)).toBe('1–1 of 1'))
    await expect(canvasElement.innerHTML).not.toMatch(/argon2/)
  },
}

/** A database without end users. */
export const Empty: Story = {
  loaders: [
    async (): Promise<LoadedDatabase> => ({
      basebox: await withAuth((await scratch('auth users empty', [])()).basebox),
    }),
  ],
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText('No users yet.', {}, WAIT)).toBeVisible()
  },
}

/** A read-only owner sees the users without actions. */
export const ReadOnly: Story = {
  loaders: [withUsers('auth users read-only', true)],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await eventually(() => expect(range(canvasElement)).toBe('1–10 of 25'))
    await expect(canvas.getByText(/Read-only: you can see the users/)).toBeVisible()
    await expect(canvas.queryByRole('button', { name: 'Disable' })).toBeNull()
  },
}

/** Dark: the component takes the kit's dark tokens. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  loaders: [withUsers('auth users dark')],
  play: async ({ canvasElement }) => {
    await eventually(() => expect(range(canvasElement)).toBe('1–10 of 25'))
    const card = canvasElement.querySelector<HTMLElement>('.bb-admin-card')!
    const probe = document.createElement('span')
    probe.style.color = 'var(--bb-color-bg)'
    card.append(probe)
    await expect(getComputedStyle(card).backgroundColor).toBe(getComputedStyle(probe).color)
    await expect(getComputedStyle(card).colorScheme).toBe('dark')
    probe.remove()
  },
}
