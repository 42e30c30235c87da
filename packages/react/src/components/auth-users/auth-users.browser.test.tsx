// AuthUsers in Chromium on a real engine over PGlite with end-user auth: search, sort and paging;
// create and invite; disable and enable; a reset (sent, or UNSUPPORTED without a mailer); revoke
// sessions; delete after a confirm; an empty list; a read-only owner. Never a password hash.
import type { BaseboxClient } from '@basebox/client'
import type { AuthEmail } from '@basebox/auth'
import { QueryClient } from '@tanstack/react-query'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import '../../styles.css'
import { BaseboxProvider } from '../../provider.js'
import { createTestClient } from '../../test-support/local-client.js'
import { AuthUsers, type AuthUsersProps } from './auth-users.js'

let client: BaseboxClient
let clientFor: (ownerId: string, readOnly?: boolean) => BaseboxClient
let emails: AuthEmail[]
let destroy: () => Promise<void>

beforeAll(async () => {
  ;({ client, clientFor, emails, destroy } = await createTestClient('users-owner', {
    auth: true,
    sendEmail: true,
  }))
}, 240_000)

afterAll(async () => {
  await destroy?.()
})

/** A database with three end users: ann (verified), bob and cat. */
async function people(): Promise<string> {
  const project = await client.createProject({ name: 'Users' })
  const { id } = await client.createDatabase(project.id)
  await client.createEndUser(id, {
    email: 'ann@example.com',
    password: 'correct horse 1',
    email_confirm: true,
    user_metadata: { full_name: 'Ann Archer' },
  })
  await client.createEndUser(id, {
    email: 'bob@example.com',
    password: 'correct horse 2',
    user_metadata: { full_name: 'Bob Baker' },
  })
  await client.createEndUser(id, {
    email: 'cat@example.com',
    password: 'correct horse 3',
    user_metadata: { full_name: 'Cat Cooper' },
  })
  return id
}

async function mount(
  databaseId: string,
  props: Partial<AuthUsersProps> = {},
  use: BaseboxClient = client,
) {
  const screen = await render(
    <BaseboxProvider
      client={use}
      queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
    >
      <AuthUsers databaseId={databaseId} height={640} {...props} />
    </BaseboxProvider>,
  )
  await expect
    .poll(() => screen.container.querySelector('[data-slot="auth-users"]'), { timeout: 30_000 })
    .not.toBeNull()
  return screen
}

type Screen = Awaited<ReturnType<typeof mount>>
const emailsShown = (screen: Screen) =>
  Array.from(screen.container.querySelectorAll('tbody tr'), (tr) => tr.getAttribute('data-user'))
const status = (screen: Screen, email: string) =>
  screen.container.querySelector(`tr[data-user="${email}"] [data-slot="status"]`)?.textContent

describe('given AuthUsers of a database with end users', () => {
  it('searches, sorts by a column header and pages, and never shows a password hash', async () => {
    const id = await people()
    const screen = await mount(id, { pageSize: 2 })
    expect(
      screen.container
        .querySelector<HTMLElement>('[data-slot="auth-users"]')!
        .getBoundingClientRect().height,
    ).toBe(640)
    expect(document.querySelectorAll('style[data-href="basebox-auth-users"]')).toHaveLength(1)
    await expect
      .poll(() => emailsShown(screen), { timeout: 20_000 })
      .toEqual(['ann@example.com', 'bob@example.com'])
    expect(status(screen, 'ann@example.com')).toBe('Verified')
    expect(status(screen, 'bob@example.com')).toBe('Not verified')
    expect(screen.container.querySelector('[data-slot="range"]')!.textContent).toBe('1–2 of 3')
    await userEvent.click(screen.getByRole('button', { name: 'Next' }))
    await expect.poll(() => emailsShown(screen)).toEqual(['cat@example.com'])
    expect(screen.container.querySelector('[data-slot="range"]')!.textContent).toBe('3–3 of 3')
    await expect.element(screen.getByRole('button', { name: 'Next' })).toBeDisabled()
    // Sorting by email twice: descending, from the first page.
    await userEvent.click(screen.getByRole('button', { name: /^Email/ }))
    await userEvent.click(screen.getByRole('button', { name: /^Email/ }))
    await expect.poll(() => emailsShown(screen)).toEqual(['cat@example.com', 'bob@example.com'])
    expect(screen.container.querySelector('th[aria-sort]')!.getAttribute('aria-sort')).toBe(
      'descending',
    )
    // Search by name, ignoring case.
    await userEvent.fill(screen.getByLabelText('Search users'), 'BAKER')
    await expect.poll(() => emailsShown(screen)).toEqual(['bob@example.com'])
    expect(
      screen.container.querySelector('tr[data-user="bob@example.com"]')!.textContent,
    ).toContain('Bob Baker')
    await userEvent.fill(screen.getByLabelText('Search users'), 'nobody')
    await expect.element(screen.getByText('No user matches “nobody”.')).toBeVisible()
    expect(screen.container.innerHTML).not.toMatch(/argon2|password_hash/)
  })

  it('creates a user with a password, and invites one without (a reset email is sent)', async () => {
    const id = await people()
    const screen = await mount(id)
    await expect.poll(() => emailsShown(screen).length, { timeout: 20_000 }).toBe(3)
    await userEvent.fill(screen.getByLabelText('Email', { exact: true }), 'dan@example.com')
    await userEvent.fill(screen.getByLabelText('Password'), 'long enough 1')
    await userEvent.click(screen.getByRole('button', { name: 'Create user' }))
    await expect.element(screen.getByText('Created dan@example.com.')).toBeVisible()
    await expect.poll(() => emailsShown(screen)).toContain('dan@example.com')
    await userEvent.fill(screen.getByLabelText('Email', { exact: true }), 'eve@example.com')
    await userEvent.click(screen.getByRole('button', { name: 'Invite' }))
    await expect
      .element(
        screen.getByText(/^Invited eve@example.com: Sent a password reset to eve@example.com/),
      )
      .toBeVisible()
    expect(emails.some((email) => email.to === 'eve@example.com')).toBe(true)
    // The same email again: a conflict in words.
    await userEvent.fill(screen.getByLabelText('Email', { exact: true }), 'ann@example.com')
    await userEvent.fill(screen.getByLabelText('Password'), 'long enough 2')
    await userEvent.click(screen.getByRole('button', { name: 'Create user' }))
    await expect
      .element(screen.getByRole('alert'))
      .toHaveTextContent('a user with this email already exists')
  })

  it('disables and enables a user, sends a reset, revokes sessions, and deletes after a confirm', async () => {
    const id = await people()
    const screen = await mount(id)
    const actions = screen.getByRole('group', { name: 'Actions for bob@example.com' })
    await expect.element(actions).toBeVisible()
    await userEvent.click(actions.getByRole('button', { name: 'Disable' }))
    await expect
      .element(screen.getByText('Disabled bob@example.com: every session ended.'))
      .toBeVisible()
    await expect.poll(() => status(screen, 'bob@example.com')).toBe('Disabled')
    // A disabled user gets no reset: the outcome in words.
    await userEvent.click(actions.getByRole('button', { name: 'Send reset' }))
    await expect
      .element(screen.getByRole('alert'))
      .toHaveTextContent(/No reset email was sent to bob@example.com: the user is disabled/)
    await userEvent.click(actions.getByRole('button', { name: 'Enable' }))
    await expect.poll(() => status(screen, 'bob@example.com')).toBe('Not verified')
    await userEvent.click(actions.getByRole('button', { name: 'Send reset' }))
    await expect
      .element(screen.getByText(/^Sent a password reset to bob@example.com; the link works until/))
      .toBeVisible()
    await userEvent.click(actions.getByRole('button', { name: 'Revoke sessions' }))
    await expect
      .element(
        screen.getByText('Revoked every session of bob@example.com: they must sign in again.'),
      )
      .toBeVisible()
    await userEvent.click(actions.getByRole('button', { name: 'Delete' }))
    await expect
      .element(screen.getByRole('dialog', { name: 'Delete bob@example.com?' }))
      .toBeVisible()
    await userEvent.keyboard('{Escape}')
    await expect.poll(() => document.querySelector('[data-slot="auth-users-confirm"]')).toBeNull()
    expect(emailsShown(screen)).toContain('bob@example.com')
    await userEvent.click(actions.getByRole('button', { name: 'Delete' }))
    await userEvent.click(screen.getByRole('button', { name: 'Delete user' }))
    await expect.element(screen.getByText('Deleted bob@example.com.')).toBeVisible()
    await expect.poll(() => emailsShown(screen)).toEqual(['ann@example.com', 'cat@example.com'])
    expect((await client.listEndUsers(id)).total).toBe(2)
  })

  it('goes back a page when the last user of the last page is deleted, by keyboard', async () => {
    const id = await people()
    const screen = await mount(id, { pageSize: 2 })
    await expect.poll(() => emailsShown(screen).length, { timeout: 20_000 }).toBe(2)
    ;(screen.getByRole('button', { name: 'Next' }).element() as HTMLButtonElement).focus()
    await userEvent.keyboard('{Enter}')
    await expect.poll(() => emailsShown(screen)).toEqual(['cat@example.com'])
    ;(
      screen
        .getByRole('group', { name: 'Actions for cat@example.com' })
        .getByRole('button', { name: 'Delete' })
        .element() as HTMLButtonElement
    ).focus()
    await userEvent.keyboard('{Enter}')
    await expect
      .element(screen.getByRole('dialog', { name: 'Delete cat@example.com?' }))
      .toBeVisible()
    ;(screen.getByRole('button', { name: 'Delete user' }).element() as HTMLButtonElement).focus()
    await userEvent.keyboard('{Enter}')
    await expect.poll(() => emailsShown(screen)).toEqual(['ann@example.com', 'bob@example.com'])
    await expect
      .poll(() => screen.container.querySelector('[data-slot="range"]')!.textContent)
      .toBe('1–2 of 2')
  })

  it('shows an empty list, and a read-only owner the users without actions', async () => {
    const project = await client.createProject({ name: 'Empty' })
    const { id: empty } = await client.createDatabase(project.id)
    const screen = await mount(empty)
    await expect.element(screen.getByText('No users yet.')).toBeVisible()
    screen.unmount()
    const id = await people()
    const readOnly = await mount(id, {}, clientFor('users-owner', true))
    await expect.poll(() => emailsShown(readOnly).length, { timeout: 20_000 }).toBe(3)
    await expect.element(readOnly.getByText(/Read-only: you can see the users/)).toBeVisible()
    expect(readOnly.container.querySelector('form')).toBeNull()
    await expect.element(readOnly.getByRole('button', { name: 'Disable' })).not.toBeInTheDocument()
  })
})

describe('given a host whose auth has no mailer', () => {
  it('says the reset was not sent, in words (UNSUPPORTED)', async () => {
    const bare = await createTestClient('users-bare', { auth: true })
    try {
      await bare.client.createEndUser(bare.databaseId, {
        email: 'zed@example.com',
        password: 'correct horse 4',
      })
      const screen = await mount(bare.databaseId, {}, bare.client)
      const actions = screen.getByRole('group', { name: 'Actions for zed@example.com' })
      await userEvent.click(actions.getByRole('button', { name: 'Send reset' }))
      await expect
        .element(screen.getByRole('alert'))
        .toHaveTextContent(
          'No reset email was sent to zed@example.com: this host has configured no mailer (sendEmail). (UNSUPPORTED)',
        )
    } finally {
      await bare.destroy()
    }
  })
})
