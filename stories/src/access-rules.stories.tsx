// <AccessRules> on live PGlite data: the blog's rules with their meaning and policy SQL, a change
// planned and applied, one table only, an empty database, a read-only owner and dark. Stories
// that set or change rules get a scratch database of their own.
import type { Meta, StoryObj } from '@storybook/react-vite'
import { AccessRules } from '@basebox/react'
import { createLocalClient } from '@basebox/core'
import { expect, userEvent, within } from 'storybook/test'
import { STORYBOOK_OWNER, storyEngine } from './engine.js'
import { eventually, WAIT } from './play.js'
import { sample, scratch, type LoadedDatabase, type StoryGlobals } from './story-support.js'

const meta = {
  title: 'Components/AccessRules',
  component: AccessRules,
  args: { databaseId: '', height: 640 },
  argTypes: {
    databaseId: { control: false },
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
  },
  render: (args, { loaded, globals }) => (
    <AccessRules
      {...args}
      databaseId={(loaded as LoadedDatabase).basebox.databaseId}
      theme={args.theme ?? (globals as StoryGlobals).theme}
    />
  ),
} satisfies Meta<typeof AccessRules>

export default meta
type Story = StoryObj<typeof meta>

const loadedOf = (context: { loaded: unknown }) => (context.loaded as LoadedDatabase).basebox
const planStatus = (root: HTMLElement) => root.querySelector('[data-plan]')?.textContent ?? ''
const policySQL = (root: HTMLElement, table: string) =>
  root.querySelector(`[aria-label="Policy SQL of ${table}"]`)?.textContent ?? ''

/** A scratch blog whose posts anyone may read and only their authors change, and signed-in users comment. */
const blogWithRules = (label: string) => async (): Promise<LoadedDatabase> => {
  const loaded = await scratch(label, ['blog'])()
  const { client, databaseId } = loaded.basebox
  const wanted = (await client.listTables(databaseId))
    .map((t) => t.definition)
    .map((definition) => {
      if (definition.name === 'posts') {
        return {
          ...definition,
          access: {
            select: 'public',
            insert: 'owner',
            update: 'owner',
            delete: 'owner',
            owner_column: 'author_id',
          } as const,
        }
      }
      if (definition.name === 'comments') {
        return { ...definition, access: { select: 'public', insert: 'authenticated' } as const }
      }
      return definition
    })
  await client.applyPlan(databaseId, await client.planChanges(databaseId, wanted))
  return loaded
}

/** The blog's rules per operation, each said in words, and the policies posts' rules compile to. */
export const Default: Story = {
  loaders: [blogWithRules('access rules default')],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(
      await canvas.findByRole('combobox', { name: 'Who may select rows of posts' }, WAIT),
    ).toHaveValue('public')
    await expect(canvas.getByRole('combobox', { name: 'Owner column of posts' })).toHaveValue(
      'author_id',
    )
    await expect(canvasElement.querySelector('[data-table="posts"]')!.textContent).toContain(
      'A signed-in user can change only the rows whose author_id holds their id.',
    )
    const posts = within(canvasElement.querySelector<HTMLElement>('[data-table="posts"]')!)
    await userEvent.click(posts.getByText('Policy SQL of the current rules'))
    await eventually(() =>
      expect(policySQL(canvasElement, 'posts')).toMatch(
        /create policy "basebox_update" on "posts" for update .* using \("author_id" = auth_uid\(\)\)/,
      ),
    )
    await expect(planStatus(canvasElement)).toBe('No unapplied changes.')
  },
}

/** Comments become deletable by their authors: the plan's step and SQL, then Apply. */
export const ChangeAndApply: Story = {
  loaders: [blogWithRules('access rules change')],
  play: async (context) => {
    const { canvasElement } = context
    const canvas = within(canvasElement)
    await userEvent.selectOptions(
      await canvas.findByRole('combobox', { name: 'Who may delete rows of comments' }, WAIT),
      'owner',
    )
    await expect(canvas.getByRole('combobox', { name: 'Owner column of comments' })).toHaveValue(
      'author_id',
    )
    await eventually(() => expect(planStatus(canvasElement)).toBe('1 step, ready to apply.'))
    await expect(
      canvasElement.querySelector('[aria-label="SQL of the change"]')!.textContent,
    ).toMatch(/create policy "basebox_delete" on "comments"/)
    await userEvent.click(canvas.getByRole('button', { name: 'Apply changes' }))
    await expect(
      await canvas.findByText('Applied: the access rules of comments changed.', {}, WAIT),
    ).toBeVisible()
    const basebox = loadedOf(context)
    const comments = await basebox.client.getTable(basebox.databaseId, 'comments')
    await expect(comments.definition.access).toEqual({
      select: 'public',
      insert: 'authenticated',
      delete: 'owner',
      owner_column: 'author_id',
    })
  },
}

/** `table="posts"`: one table's rules, e.g. on the host's table settings page. */
export const OneTable: Story = {
  args: { table: 'posts', height: 480 },
  loaders: [blogWithRules('access rules one table')],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('combobox', { name: 'Who may select rows of posts' }, WAIT)
    await expect(
      Array.from(canvasElement.querySelectorAll('[data-table]'), (s) =>
        s.getAttribute('data-table'),
      ),
    ).toEqual(['posts'])
  },
}

/** A database without tables. */
export const Empty: Story = {
  loaders: [
    async (): Promise<LoadedDatabase> => {
      const { basebox } = await scratch('access rules empty', [])()
      for (const table of await basebox.client.listTables(basebox.databaseId))
        await basebox.client.dropTable(basebox.databaseId, table.name, { cascade: true })
      return { basebox }
    },
  ],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(
      await canvas.findByText('No tables yet: access rules belong to tables.', {}, WAIT),
    ).toBeVisible()
  },
}

/** A read-only owner sees the rules, their meaning and their SQL, and can change nothing. */
export const ReadOnly: Story = {
  loaders: [
    async (): Promise<LoadedDatabase> => {
      const { basebox } = await sample(['blog'])()
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
        'Read-only: you can look at the rules but not change them.',
        {},
        WAIT,
      ),
    ).toBeVisible()
    await expect(
      canvas.getByRole('combobox', { name: 'Who may select rows of posts' }),
    ).toBeDisabled()
    await expect(canvas.getByRole('button', { name: 'Apply changes' })).toBeDisabled()
  },
}

/** Dark: the component takes the kit's dark tokens. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  loaders: [sample(['blog'])],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('combobox', { name: 'Who may select rows of posts' }, WAIT)
    const root = canvasElement.querySelector<HTMLElement>('[data-slot="access-rules"]')!
    const probe = document.createElement('span')
    probe.style.color = 'var(--bb-color-bg)'
    root.append(probe)
    await expect(getComputedStyle(root).backgroundColor).toBe(getComputedStyle(probe).color)
    await expect(getComputedStyle(root).colorScheme).toBe('dark')
    probe.remove()
  },
}
