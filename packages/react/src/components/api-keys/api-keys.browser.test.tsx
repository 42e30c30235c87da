// APIKeys in Chromium on a real engine over PGlite with end-user auth: create a key (shown once,
// copied), revoke it after a confirm, rotate the JWT secret with and without the old one, a
// database with no keys, a read-only owner, and a host without auth.
import type { BaseboxClient } from '@basebox/client'
import { QueryClient } from '@tanstack/react-query'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import '../../styles.css'
import { BaseboxProvider } from '../../provider.js'
import { createTestClient } from '../../test-support/local-client.js'
import { APIKeys, type APIKeysProps } from './api-keys.js'

let client: BaseboxClient
let clientFor: (ownerId: string, readOnly?: boolean) => BaseboxClient
let verifyAPIKey: (databaseId: string, key: string) => Promise<void>
let destroy: () => Promise<void>

beforeAll(async () => {
  ;({ client, clientFor, verifyAPIKey, destroy } = await createTestClient('keys-owner', {
    auth: true,
  }))
}, 240_000)

afterAll(async () => {
  await destroy?.()
})

afterEach(() => {
  vi.restoreAllMocks()
})

async function database(): Promise<string> {
  const project = await client.createProject({ name: 'Keys' })
  return (await client.createDatabase(project.id)).id
}

async function mount(
  databaseId: string,
  props: Partial<APIKeysProps> = {},
  use: BaseboxClient = client,
) {
  const screen = await render(
    <BaseboxProvider
      client={use}
      queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
    >
      <APIKeys databaseId={databaseId} height={640} {...props} />
    </BaseboxProvider>,
  )
  await expect
    .poll(() => screen.container.querySelector('[data-slot="api-keys"]'), { timeout: 30_000 })
    .not.toBeNull()
  return screen
}

describe('given APIKeys of a database', () => {
  it('creates a key, shows it once with Copy, and lists it by prefix only', async () => {
    const id = await database()
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined)
    const screen = await mount(id)
    // The loaded component keeps the placeholder's size, and its stylesheet came with the chunk.
    expect(
      screen.container.querySelector<HTMLElement>('[data-slot="api-keys"]')!.getBoundingClientRect()
        .height,
    ).toBe(640)
    expect(document.querySelectorAll('style[data-href="basebox-api-keys"]')).toHaveLength(1)
    await expect.element(screen.getByText('No API keys yet.')).toBeVisible()
    await userEvent.fill(screen.getByLabelText('Name'), 'web app')
    await userEvent.selectOptions(screen.getByLabelText('Kind'), 'service')
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }))
    await expect.element(screen.getByText(/you will not see it again/)).toBeVisible()
    const secret = screen.container.querySelector('[aria-label="The new key"]')!.textContent!
    expect(secret).toMatch(/^bb_service_/)
    await userEvent.click(screen.getByRole('button', { name: 'Copy', exact: true }))
    expect(writeText).toHaveBeenLastCalledWith(secret)
    await expect.element(screen.getByText('Copied the key.')).toBeVisible()
    await expect
      .poll(() => screen.container.querySelector('tr[data-key="web app"]')?.textContent)
      .toContain('service')
    const row = screen.container.querySelector('tr[data-key="web app"]')!.textContent!
    expect(row).toContain('Active')
    expect(row).not.toContain(secret)
    // Done hides the key for good.
    await userEvent.click(screen.getByRole('button', { name: 'Done' }))
    expect(screen.container.textContent).not.toContain(secret)
    const keys = await client.listAPIKeys(id)
    expect(keys.map((k) => [k.name, k.kind])).toEqual([['web app', 'service']])
  })

  it('shows when each key was last used, in words, with the exact time in its title', async () => {
    const id = await database()
    const used = await client.createAPIKey(id, { name: 'used', kind: 'anon' })
    await client.createAPIKey(id, { name: 'unused', kind: 'service' })
    await verifyAPIKey(id, used.key)
    const usedAt = (await client.listAPIKeys(id)).find((k) => k.id === used.id)!.last_used_at
    expect(usedAt).not.toBeNull()
    const screen = await mount(id)
    await expect.element(screen.getByRole('columnheader', { name: 'Last used' })).toBeVisible()
    const cell = (name: string) =>
      screen.container.querySelector(`tr[data-key="${name}"] [data-slot="last-used"]`)
    await expect.poll(() => cell('unused')?.textContent).toBe('Never')
    // Used a moment ago (the machine may be slow, so any count of minutes is fine).
    expect(cell('used')!.textContent).toMatch(/^(just now|\d+ minutes? ago)$/)
    const time = cell('used')!.querySelector('time')!
    expect(time.dateTime).toBe(usedAt)
    expect(time.title).toBe(
      new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'long' }).format(
        new Date(usedAt!),
      ),
    )
    // The column keeps its width whatever the words say.
    expect(cell('unused')!.querySelector('span')!.getBoundingClientRect().width).toBe(
      cell('used')!.querySelector('span')!.getBoundingClientRect().width,
    )
  })

  it('revokes a key after a confirm (Cancel keeps it), by keyboard', async () => {
    const id = await database()
    await client.createAPIKey(id, { name: 'old', kind: 'anon' })
    const screen = await mount(id)
    const revoke = screen.getByRole('button', { name: 'Revoke old' })
    await expect.element(revoke).toBeVisible()
    await userEvent.click(revoke)
    await expect
      .element(screen.getByRole('dialog', { name: 'Revoke the key “old”?' }))
      .toBeVisible()
    await userEvent.keyboard('{Escape}')
    await expect.poll(() => document.querySelector('[data-slot="api-keys-confirm"]')).toBeNull()
    expect((await client.listAPIKeys(id))[0]!.revoked_at).toBeNull()
    await userEvent.click(revoke)
    await userEvent.click(screen.getByRole('button', { name: 'Revoke key' }))
    await expect
      .element(screen.getByText('Revoked the key “old”: it no longer works.'))
      .toBeVisible()
    await expect
      .poll(
        () =>
          screen.container.querySelector('tr[data-key="old"] [data-slot="status"]')?.textContent,
      )
      .toMatch(/^Revoked /)
    expect((await client.listAPIKeys(id))[0]!.revoked_at).not.toBeNull()
    await expect.element(screen.getByRole('button', { name: 'Revoke old' })).not.toBeInTheDocument()
  })

  it('rotates the JWT secret with a warning that changes with keepPrevious', async () => {
    const id = await database()
    const screen = await mount(id)
    await expect.element(screen.getByText(/Signed-in end users stay signed in/)).toBeVisible()
    await userEvent.click(screen.getByLabelText(/Keep accepting tokens signed with the old secret/))
    await expect
      .element(screen.getByText(/Every signed-in end user is signed out at once/))
      .toBeVisible()
    await userEvent.click(screen.getByRole('button', { name: 'Rotate JWT secret' }))
    await expect
      .element(screen.getByRole('dialog', { name: 'Rotate the JWT secret?' }))
      .toHaveTextContent(/every signed-in end user is signed out/)
    await userEvent.click(screen.getByRole('button', { name: 'Rotate secret' }))
    await expect
      .element(
        screen.getByText('Rotated the JWT secret. Every signed-in end user must sign in again.'),
      )
      .toBeVisible()
    const audit = await client.auditLog(id, { limit: 5 })
    expect(audit.entries.map((e) => e.action)).toContain('jwt_secret.rotate')
  })

  it('shows a read-only owner the keys without create, revoke or rotate', async () => {
    const id = await database()
    await client.createAPIKey(id, { name: 'shown', kind: 'anon' })
    const screen = await mount(id, {}, clientFor('keys-owner', true))
    await expect.poll(() => screen.container.querySelector('tr[data-key="shown"]')).not.toBeNull()
    await expect.element(screen.getByText(/Read-only: you can see the keys/)).toBeVisible()
    expect(screen.container.querySelector('form')).toBeNull()
    await expect
      .element(screen.getByRole('button', { name: 'Revoke shown' }))
      .not.toBeInTheDocument()
    await expect.element(screen.getByRole('button', { name: 'Rotate JWT secret' })).toBeDisabled()
  })

  it('says in words that the host has no end-user auth', async () => {
    const bare = await createTestClient('keys-bare')
    try {
      const screen = await mount(bare.databaseId, {}, bare.client)
      await expect
        .element(screen.getByRole('alert'))
        .toHaveTextContent(
          /Could not load the keys: this host has not configured it\..*\(UNSUPPORTED\)/,
        )
    } finally {
      await bare.destroy()
    }
  })
})
