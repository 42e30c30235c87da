// <SchemaBuilder> on live PGlite data: editing the blog by hand (a rename planned as a rename),
// a new table applied, a type change the rows do not fit, the destructive confirm, AI with a
// scripted mock model (streaming visible, then a refine), templates without a model, the builder
// beside the diagram, read-only and dark. Stories that apply get a scratch database of their own.
import type { Meta, StoryObj } from '@storybook/react-vite'
import type { WireChangePlan } from '@basebox/client'
import { SchemaBuilder, SchemaDiagram, type SchemaBuilderProps } from '@basebox/react'
import { createAIProvider } from '@basebox/ai'
import { createLocalClient } from '@basebox/core'
import { simulateReadableStream } from 'ai'
import { MockLanguageModelV4 } from 'ai/test'
import { useState } from 'react'
import { expect, userEvent, within } from 'storybook/test'
import { STORYBOOK_OWNER, storyEngine } from './engine.js'
import { eventually, WAIT } from './play.js'
import { sample, scratch, type LoadedDatabase, type StoryGlobals } from './story-support.js'

const meta = {
  title: 'Components/SchemaBuilder',
  component: SchemaBuilder,
  args: { databaseId: '', height: 720, ai: false },
  argTypes: {
    databaseId: { control: false },
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
  },
  render: (args, { loaded, globals }) => (
    <SchemaBuilder
      {...args}
      databaseId={(loaded as LoadedDatabase).basebox.databaseId}
      theme={args.theme ?? (globals as StoryGlobals).theme}
    />
  ),
} satisfies Meta<typeof SchemaBuilder>

export default meta
type Story = StoryObj<typeof meta>

const loadedOf = (context: { loaded: unknown }) => (context.loaded as LoadedDatabase).basebox
const planStatus = (root: HTMLElement) => root.querySelector('[data-plan]')?.textContent ?? ''
const steps = (root: HTMLElement) =>
  Array.from(root.querySelectorAll('.bb-plan-preview-step'), (li) => li.textContent)

async function openTable(canvasElement: HTMLElement, name: string) {
  const canvas = within(canvasElement)
  const nav = await canvas.findByRole('navigation', { name: 'Tables' }, WAIT)
  await userEvent.click(within(nav).getByRole('button', { name: new RegExp(`^${name}`) }))
}

async function ready(canvasElement: HTMLElement) {
  await eventually(() => expect(planStatus(canvasElement)).toMatch(/ready to apply\.$/))
}

/** The blog's tables; renaming a column is planned as a rename (its rows stay), shown with its SQL. */
export const Default: Story = {
  loaders: [sample(['blog'])],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await openTable(canvasElement, 'posts')
    const name = canvas
      .getAllByRole('textbox')
      .find((input) => (input as HTMLInputElement).value === 'body')!
    await userEvent.clear(name)
    await userEvent.type(name, 'content')
    await ready(canvasElement)
    await expect(steps(canvasElement)).toEqual(['Rename column posts.body to content'])
    await expect(
      canvasElement.querySelector('[aria-label="SQL of the plan"]')!.textContent,
    ).toMatch(/rename column "body" to "content"/i)
  },
}

/** A table built by hand, applied in one transaction: the database has it after Apply. */
export const NewTable: Story = {
  loaders: [scratch('schema builder new table', [])],
  play: async (context) => {
    const { canvasElement } = context
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Add table' }, WAIT))
    const tableName = canvas.getByRole('textbox', { name: 'Table name' })
    await userEvent.clear(tableName)
    await userEvent.type(tableName, 'projects')
    await userEvent.click(canvas.getByRole('button', { name: 'Add column' }))
    const column = canvas.getByRole('textbox', { name: 'Name of column 3' })
    await userEvent.clear(column)
    await userEvent.type(column, 'title')
    await userEvent.click(canvas.getByRole('checkbox', { name: 'title is required' }))
    await ready(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Apply changes' }))
    await expect(await canvas.findByText('Applied 1 change.', {}, WAIT)).toBeVisible()
    const basebox = loadedOf(context)
    const table = await basebox.client.getTable(basebox.databaseId, 'projects')
    await expect(table.definition.columns.map((c) => c.name)).toEqual(['id', 'created_at', 'title'])
  },
}

/** Posts' titles cannot become integers: the offending rows (keys and values), and Apply stays off. */
export const TypeChangeThatFails: Story = {
  loaders: [scratch('schema builder failing type change', ['blog'])],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await openTable(canvasElement, 'posts')
    await userEvent.selectOptions(
      canvas.getByRole('combobox', { name: 'Type of title' }),
      'integer',
    )
    await eventually(() =>
      expect(planStatus(canvasElement)).toBe('The current data does not fit; see below.'),
    )
    await expect(
      canvasElement.querySelectorAll('.bb-plan-preview-problems tbody tr').length,
    ).toBeGreaterThan(0)
    await expect(canvas.getByRole('button', { name: 'Apply changes' })).toBeDisabled()
  },
}

/** Removing a column drops its values: Apply asks first and names the step. */
export const DestructiveConfirm: Story = {
  loaders: [scratch('schema builder destructive', ['blog'])],
  play: async (context) => {
    const { canvasElement } = context
    const canvas = within(canvasElement)
    await openTable(canvasElement, 'comments')
    await userEvent.click(canvas.getByRole('button', { name: 'Remove column body' }))
    await ready(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Apply changes' }))
    const page = within(canvasElement.ownerDocument.body)
    await expect(await page.findByText('Apply changes that drop data?', {}, WAIT)).toBeVisible()
    await expect(page.getByRole('dialog').textContent).toContain(
      'Drop column comments.body and its values',
    )
    await userEvent.click(page.getByRole('button', { name: 'Cancel' }))
    const basebox = loadedOf(context)
    const comments = await basebox.client.getTable(basebox.databaseId, 'comments')
    await expect(comments.definition.columns.map((c) => c.name)).toContain('body')
  },
}

type StreamPart =
  Awaited<ReturnType<MockLanguageModelV4['doStream']>>['stream'] extends ReadableStream<infer T>
    ? T
    : never

/**
 * A scripted model: the AI SDK mock, offline and the same every time. Each call streams the next
 * answer as JSON text, a few characters every 15 ms, so the tables are seen arriving.
 */
function scriptedStreamingModel(...answers: unknown[]): MockLanguageModelV4 {
  let call = 0
  return new MockLanguageModelV4({
    doStream: async () => {
      const text = JSON.stringify(answers[Math.min(call++, answers.length - 1)])
      const deltas: StreamPart[] = []
      for (let i = 0; i < text.length; i += 24)
        deltas.push({ type: 'text-delta', id: 't', delta: text.slice(i, i + 24) })
      const usage = {
        inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: 20, text: 20, reasoning: undefined },
      }
      const chunks: StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: 't' },
        ...deltas,
        { type: 'text-end', id: 't' },
        { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage },
      ]
      return {
        stream: simulateReadableStream({ chunks, initialDelayInMs: 200, chunkDelayInMs: 15 }),
      }
    },
  })
}

const PROJECTS = {
  name: 'projects',
  columns: [
    { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
    { name: 'name', type: 'text', required: true },
    {
      name: 'owner_id',
      type: 'uuid',
      required: true,
      references: { table: 'users', column: 'id', on_delete: 'cascade' },
    },
  ],
}
const TASKS = {
  name: 'tasks',
  columns: [
    { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
    {
      name: 'project_id',
      type: 'uuid',
      required: true,
      references: { table: 'projects', column: 'id', on_delete: 'cascade' },
    },
    { name: 'title', type: 'text', required: true },
    { name: 'done', type: 'boolean', required: true, default: false },
  ],
}
const LABELS = {
  name: 'labels',
  columns: [
    { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
    { name: 'name', type: 'text', required: true, unique: true },
  ],
}

const withScriptedAI = (label: string) => async (): Promise<LoadedDatabase> => {
  const { basebox } = await scratch(label, [])()
  const { engine } = await storyEngine()
  const model = scriptedStreamingModel(
    { tables: [PROJECTS, TASKS], notes: 'Projects with their tasks.' },
    {
      tables: [LABELS],
      rename_columns: [{ table: 'tasks', from: 'done', to: 'completed' }],
      notes: 'Labels, and done is now completed.',
    },
  )
  return {
    basebox: {
      ...basebox,
      client: createLocalClient(engine, STORYBOOK_OWNER, { ai: createAIProvider({ model }) }),
    },
  }
}

/** Describe the app: the scripted model streams the tables into the builder, then a refine changes them. */
export const GenerateWithAI: Story = {
  args: { ai: true },
  loaders: [withScriptedAI('schema builder ai')],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.type(
      await canvas.findByRole('textbox', { name: 'Describe your app' }, WAIT),
      'projects with tasks',
    )
    await userEvent.click(canvas.getByRole('button', { name: 'Generate' }))
    await eventually(() =>
      expect(canvasElement.querySelectorAll('.bb-sb-chat-entry[data-status="done"]').length).toBe(
        1,
      ),
    )
    const nav = canvas.getByRole('navigation', { name: 'Tables' })
    await expect(within(nav).getByRole('button', { name: /^projects/ })).toBeVisible()
    await expect(within(nav).getByRole('button', { name: /^tasks/ })).toBeVisible()
    await userEvent.type(
      canvas.getByRole('textbox', { name: 'Ask for a change' }),
      'add labels, and call done completed',
    )
    await userEvent.click(canvas.getByRole('button', { name: 'Refine' }))
    await eventually(() =>
      expect(canvasElement.querySelectorAll('.bb-sb-chat-entry[data-status="done"]').length).toBe(
        2,
      ),
    )
    const second = canvasElement.querySelectorAll('.bb-sb-chat-entry')[1]!
    await expect(second.textContent).toContain('Rename column tasks.done to completed')
    await ready(canvasElement)
  },
}

/** No model at all: the AI says so, and a template starts the tables offline. */
export const FromTemplate: Story = {
  args: { ai: true },
  loaders: [scratch('schema builder template', [])],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const picker = await canvas.findByRole('combobox', { name: 'Start from a template' }, WAIT)
    await eventually(() => expect(picker.querySelectorAll('option').length).toBeGreaterThan(1))
    await userEvent.selectOptions(picker, 'todo')
    await userEvent.click(canvas.getByRole('button', { name: 'Add template' }))
    await ready(canvasElement)
    await expect(steps(canvasElement).every((step) => step!.startsWith('Create table'))).toBe(true)
  },
}

function WithDiagram(props: SchemaBuilderProps) {
  const [plan, setPlan] = useState<WireChangePlan | null>(null)
  return (
    <div style={{ display: 'grid', gap: 16 }}>
      <SchemaBuilder {...props} onPlanChange={setPlan} />
      <SchemaDiagram databaseId={props.databaseId} plan={plan} height={420} theme={props.theme} />
    </div>
  )
}

/** The builder beside the diagram: the pending plan is drawn as a diff while it is edited. */
export const BesideTheDiagram: Story = {
  args: { height: 560 },
  loaders: [scratch('schema builder with diagram', ['shop'])],
  render: (args, { loaded, globals }) => (
    <WithDiagram
      {...args}
      databaseId={(loaded as LoadedDatabase).basebox.databaseId}
      theme={args.theme ?? (globals as StoryGlobals).theme}
    />
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await openTable(canvasElement, 'products')
    await userEvent.click(canvas.getByRole('button', { name: 'Add column' }))
    await ready(canvasElement)
    await eventually(() =>
      expect(
        canvasElement.querySelector(
          '.react-flow__node[data-id="products"] .bb-schema-diagram__column[data-status="added"]',
        ),
      ).not.toBeNull(),
    )
  },
}

/** A read-only owner sees the tables and can change nothing. */
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
        'Read-only: you can look at the tables but not change them.',
        {},
        WAIT,
      ),
    ).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Add table' })).toBeDisabled()
  },
}

/** Dark: the builder takes the kit's dark tokens. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  loaders: [sample(['blog'])],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('navigation', { name: 'Tables' }, WAIT)
    const builder = canvasElement.querySelector<HTMLElement>('[data-slot="schema-builder"]')!
    const probe = document.createElement('span')
    probe.style.color = 'var(--bb-color-bg)'
    builder.append(probe)
    await expect(getComputedStyle(builder).backgroundColor).toBe(getComputedStyle(probe).color)
    await expect(getComputedStyle(builder).colorScheme).toBe('dark')
    probe.remove()
  },
}
