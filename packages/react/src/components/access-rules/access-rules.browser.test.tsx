// AccessRules in Chromium on a real engine over PGlite: each table's rules and their meaning, the
// policy SQL of the current rules, a change planned (steps and SQL) and applied, the owner rule
// with its column, one table only, an unknown table, and a read-only owner.
import type { BaseboxClient, TableDefinitionInput } from '@basebox/client'
import { createLocalClient, type Basebox } from '@basebox/core'
import { QueryClient } from '@tanstack/react-query'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import '../../styles.css'
import { BaseboxProvider } from '../../provider.js'
import { createTestClient } from '../../test-support/local-client.js'
import { AccessRules, type AccessRulesProps } from './access-rules.js'

let client: BaseboxClient
let engine: Basebox
let destroy: () => Promise<void>

beforeAll(async () => {
  ;({ client, engine, destroy } = await createTestClient('access-owner'))
}, 240_000)

afterAll(async () => {
  await destroy?.()
})

const POSTS: TableDefinitionInput = {
  name: 'posts',
  columns: [
    { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
    { name: 'title', type: 'text', required: true },
    { name: 'author_id', type: 'uuid' },
  ],
  access: { select: 'public' },
}

async function database(tables: TableDefinitionInput[] = [POSTS]): Promise<string> {
  const project = await client.createProject({ name: 'Access' })
  const { id } = await client.createDatabase(project.id)
  for (const table of tables) {
    await client.createTable(id, table)
  }
  return id
}

async function mount(
  databaseId: string,
  props: Partial<AccessRulesProps> = {},
  use: BaseboxClient = client,
) {
  const screen = await render(
    <BaseboxProvider
      client={use}
      queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
    >
      <AccessRules databaseId={databaseId} height={700} {...props} />
    </BaseboxProvider>,
  )
  await expect
    .poll(() => screen.container.querySelector('[data-slot="access-rules"][role="region"]'), {
      timeout: 30_000,
    })
    .not.toBeNull()
  return screen
}

type Screen = Awaited<ReturnType<typeof mount>>
const planStatus = (screen: Screen) =>
  screen.container.querySelector('[data-plan]')?.textContent ?? ''
const section = (screen: Screen, table: string) =>
  screen.container.querySelector<HTMLElement>(`[data-table="${table}"]`)!
const policySQL = (screen: Screen, table: string) =>
  screen.container.querySelector(`[aria-label="Policy SQL of ${table}"]`)?.textContent ?? ''

describe('given AccessRules over a database', () => {
  it('shows every table with its rule per operation, what it means, and the policies it compiles to', async () => {
    const id = await database()
    const screen = await mount(id)
    // The loaded component keeps the placeholder's size, and its stylesheet came with the chunk.
    expect(
      screen.container
        .querySelector<HTMLElement>('[data-slot="access-rules"]')!
        .getBoundingClientRect().height,
    ).toBe(700)
    expect(document.querySelectorAll('style[data-href="basebox-access-rules"]')).toHaveLength(1)
    expect(getComputedStyle(screen.container.querySelector('.bb-ar')!).display).toBe('grid')
    expect(
      Array.from(screen.container.querySelectorAll('[data-table]'), (s) =>
        s.getAttribute('data-table'),
      ),
    ).toEqual(['users', 'posts'])
    await expect
      .element(screen.getByRole('combobox', { name: 'Who may select rows of posts' }))
      .toHaveValue('public')
    await expect
      .element(screen.getByRole('combobox', { name: 'Who may insert rows of posts' }))
      .toHaveValue('nobody')
    expect(section(screen, 'posts').textContent).toContain(
      'Anyone, signed in or not, can read rows.',
    )
    expect(section(screen, 'posts').textContent).toContain(
      'No end user can add rows; only the service key and your own tools can.',
    )
    // The policy SQL of the current rules, from a plan; the database is not changed.
    await userEvent.click(screen.getByText('Policy SQL of the current rules').nth(1))
    await expect
      .poll(() => policySQL(screen, 'posts'), { timeout: 20_000 })
      .toMatch(
        /create policy "basebox_select" on "posts" for select to "[^"]+_client" using \(true\)/,
      )
    expect(policySQL(screen, 'posts')).toMatch(
      /grant select \("id", "title", "author_id"\) on "posts"/,
    )
    expect(policySQL(screen, 'posts')).not.toMatch(/create policy "basebox_insert"/)
    expect((await client.getTable(id, 'posts')).definition.access).toEqual({ select: 'public' })
    expect(planStatus(screen)).toBe('No unapplied changes.')
  })

  it('shows the policies of rules open for every operation, the same as planned from nobody', async () => {
    const id = await database()
    const open = {
      select: 'public',
      insert: 'owner',
      update: 'owner',
      delete: 'authenticated',
      owner_column: 'author_id',
    } as const
    const wanted = (await client.listTables(id)).map((t) =>
      t.name === 'posts' ? { ...t.definition, access: open } : t.definition,
    )
    const plan = await client.planChanges(id, wanted)
    const fromNobody = plan
      .sql![plan.steps.findIndex((step) => step.kind === 'set_access')]!.map((line) => `${line};`)
      .join('\n')
    await client.applyPlan(id, plan)
    const screen = await mount(id, { table: 'posts' })
    await userEvent.click(screen.getByText('Policy SQL of the current rules'))
    await expect.poll(() => policySQL(screen, 'posts'), { timeout: 20_000 }).toBe(fromNobody)
    expect(fromNobody).toMatch(/create policy "basebox_delete"/)
    expect((await client.getTable(id, 'posts')).definition.access).toEqual(open)
  })

  it('plans a change with its steps and SQL, applies it, and the policies follow', async () => {
    const id = await database()
    const screen = await mount(id, { table: 'posts' })
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Who may insert rows of posts' }),
      'authenticated',
    )
    expect(section(screen, 'posts').textContent).toContain('Any signed-in user can add rows.')
    expect(section(screen, 'posts').getAttribute('data-state')).toBe('changed')
    await expect.poll(() => planStatus(screen), { timeout: 20_000 }).toBe('1 step, ready to apply.')
    expect(screen.container.querySelector('.bb-plan-preview-step')!.textContent).toBe(
      'Change the access rules of posts',
    )
    const sql = screen.container.querySelector('[aria-label="SQL of the change"]')!.textContent!
    expect(sql).toMatch(
      /create policy "basebox_insert" on "posts" for insert to "[^"]+" with check \(auth_uid\(\) is not null\);/,
    )
    expect((await client.getTable(id, 'posts')).definition.access).toEqual({ select: 'public' })
    await userEvent.click(screen.getByRole('button', { name: 'Apply changes' }))
    await expect
      .element(screen.getByText('Applied: the access rules of posts changed.'))
      .toBeVisible()
    expect((await client.getTable(id, 'posts')).definition.access).toEqual({
      select: 'public',
      insert: 'authenticated',
    })
    expect(planStatus(screen)).toBe('No unapplied changes.')
    await userEvent.click(screen.getByText('Policy SQL of the current rules'))
    await expect
      .poll(() => policySQL(screen, 'posts'), { timeout: 20_000 })
      .toMatch(/create policy "basebox_insert"/)
  })

  it('picks the owner column for the owner rule, explains it with that column, and Discard goes back', async () => {
    const id = await database()
    const screen = await mount(id, { table: 'posts' })
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Who may update rows of posts' }),
      'owner',
    )
    await expect
      .element(screen.getByRole('combobox', { name: 'Owner column of posts' }))
      .toHaveValue('author_id')
    expect(section(screen, 'posts').textContent).toContain(
      'A signed-in user can change only the rows whose author_id holds their id.',
    )
    await expect.poll(() => planStatus(screen), { timeout: 20_000 }).toBe('1 step, ready to apply.')
    expect(screen.container.querySelector('[aria-label="SQL of the change"]')!.textContent).toMatch(
      /using \("author_id" = auth_uid\(\)\)/,
    )
    // Without an owner column the rule cannot be planned: the problem is at the field.
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Owner column of posts' }),
      '',
    )
    await expect.element(screen.getByRole('alert')).toHaveTextContent('Pick the owner column')
    expect(planStatus(screen)).toBe('Fix the rule marked above to see the plan.')
    await expect.element(screen.getByRole('button', { name: 'Apply changes' })).toBeDisabled()
    await userEvent.click(screen.getByRole('button', { name: 'Discard changes' }))
    await expect
      .element(screen.getByRole('combobox', { name: 'Who may update rows of posts' }))
      .toHaveValue('nobody')
    expect(planStatus(screen)).toBe('No unapplied changes.')
  })

  it('works by keyboard: Tab to a rule, change it with the arrow keys', async () => {
    const id = await database()
    const screen = await mount(id, { table: 'posts' })
    const select = screen.getByRole('combobox', { name: 'Who may delete rows of posts' })
    ;(select.element() as HTMLSelectElement).focus()
    await userEvent.keyboard('{ArrowDown}')
    await expect.element(select).toHaveValue('public')
    await expect.poll(() => planStatus(screen), { timeout: 20_000 }).toBe('1 step, ready to apply.')
    await userEvent.tab()
    await userEvent.tab()
    await userEvent.tab()
    await userEvent.tab()
    expect(document.activeElement?.textContent).toBe('Apply changes')
  })

  it('says so for a table that does not exist', async () => {
    const id = await database()
    const screen = await mount(id, { table: 'nope' })
    await expect.element(screen.getByText('There is no table named nope.')).toBeVisible()
  })

  it('lets a read-only owner see the rules and their SQL and change nothing', async () => {
    const id = await database()
    const screen = await mount(
      id,
      { table: 'posts' },
      createLocalClient(engine, 'access-owner', { readOnly: true }),
    )
    await expect
      .element(screen.getByText('Read-only: you can look at the rules but not change them.'))
      .toBeVisible()
    await expect
      .element(screen.getByRole('combobox', { name: 'Who may select rows of posts' }))
      .toBeDisabled()
    await userEvent.click(screen.getByText('Policy SQL of the current rules'))
    await expect
      .poll(() => policySQL(screen, 'posts'), { timeout: 20_000 })
      .toMatch(/create policy "basebox_select"/)
  })
})
