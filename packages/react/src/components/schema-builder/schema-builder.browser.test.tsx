// The SchemaBuilder in Chromium on a real engine over PGlite: build by hand and apply (then the
// TableEditor shows it), renames that keep the data, a type change the data does not fit, the
// destructive confirm, undo/redo, reorder, field errors, AI streaming and refine with mock models,
// templates offline, the diagram's diff of the pending plan, and a read-only owner.
import type { BaseboxClient, TableDefinitionInput, WireChangePlan } from '@basebox/client'
import { createLocalClient, type Basebox } from '@basebox/core'
import { createAIProvider } from '@basebox/ai'
import { QueryClient } from '@tanstack/react-query'
import { simulateReadableStream } from 'ai'
import { MockLanguageModelV4 } from 'ai/test'
import { useState } from 'react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import '../../styles.css'
import { BaseboxProvider } from '../../provider.js'
import { createTestClient } from '../../test-support/local-client.js'
import { SchemaDiagram } from '../schema-diagram/schema-diagram.js'
import { TableEditor } from '../table-editor/table-editor.js'
import { SchemaBuilder, type SchemaBuilderProps } from './schema-builder.js'

let client: BaseboxClient
let engine: Basebox
let destroy: () => Promise<void>

beforeAll(async () => {
  ;({ client, engine, destroy } = await createTestClient('builder-owner'))
}, 240_000)

afterAll(async () => {
  await destroy?.()
})

/** A fresh database of the test owner, with `tables` created and `rows` inserted. */
async function database(
  tables: TableDefinitionInput[] = [],
  rows: Record<string, Record<string, unknown>[]> = {},
): Promise<string> {
  const project = await client.createProject({ name: 'Builder' })
  const { id } = await client.createDatabase(project.id)
  for (const table of tables) {
    await client.createTable(id, table)
  }
  for (const [table, list] of Object.entries(rows)) {
    await client.insertRows(id, table, list)
  }
  return id
}

function queryClient() {
  return new QueryClient({ defaultOptions: { queries: { retry: false } } })
}

async function mount(
  databaseId: string,
  props: Partial<SchemaBuilderProps> = {},
  use: BaseboxClient = client,
) {
  const screen = await render(
    <BaseboxProvider client={use} queryClient={queryClient()}>
      <SchemaBuilder databaseId={databaseId} ai={false} height={900} {...props} />
    </BaseboxProvider>,
  )
  await expect
    .poll(() => screen.container.querySelector('[data-slot="schema-builder"]'), { timeout: 30_000 })
    .not.toBeNull()
  return screen
}

type Screen = Awaited<ReturnType<typeof mount>>

const planStatus = (screen: Screen) =>
  screen.container.querySelector('[data-plan]')?.textContent ?? ''
const steps = (screen: Screen) =>
  Array.from(screen.container.querySelectorAll('.bb-plan-preview-step'), (li) => li.textContent)
const applyButton = (screen: Screen) => screen.getByRole('button', { name: 'Apply changes' })

async function waitReady(screen: Screen) {
  await expect.poll(() => planStatus(screen), { timeout: 20_000 }).toMatch(/ready to apply\.$/)
}

async function openTable(screen: Screen, name: string) {
  await userEvent.click(
    screen
      .getByRole('navigation', { name: 'Tables' })
      .getByRole('button', { name: new RegExp(`^${name}`) }),
  )
}

const NOTES: TableDefinitionInput = {
  name: 'notes',
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'body', type: 'text' },
    { name: 'code', type: 'text' },
  ],
}

describe('SchemaBuilder by hand', () => {
  it('builds a table, previews its steps and SQL, applies it, and the TableEditor shows it', async () => {
    const id = await database()
    function Host() {
      const [applied, setApplied] = useState<string | undefined>(undefined)
      return (
        <>
          <SchemaBuilder
            databaseId={id}
            ai={false}
            templates={false}
            height={800}
            onApplied={(tables) => setApplied(tables.find((t) => t.name === 'books')?.name)}
          />
          {applied !== undefined ? <TableEditor databaseId={id} table={applied} /> : null}
        </>
      )
    }
    const screen = await render(
      <BaseboxProvider client={client} queryClient={queryClient()}>
        <Host />
      </BaseboxProvider>,
    )
    await expect.element(screen.getByRole('button', { name: 'Add table' })).toBeVisible()
    // The loaded builder keeps the placeholder's size: no layout shift.
    expect(
      screen.container
        .querySelector<HTMLElement>('[data-slot="schema-builder"]')!
        .getBoundingClientRect().height,
    ).toBe(800)
    // Its stylesheet came with the chunk (hoisted once into the head): the three panes are laid out.
    expect(document.querySelectorAll('style[data-href="basebox-schema-builder"]')).toHaveLength(1)
    expect(getComputedStyle(screen.container.querySelector('.bb-sb-body')!).display).toBe('grid')
    expect(planStatus(screen)).toBe('No unapplied changes.')
    await userEvent.click(screen.getByRole('button', { name: 'Add table' }))
    await userEvent.fill(screen.getByRole('textbox', { name: 'Table name' }), 'books')
    await userEvent.click(screen.getByRole('button', { name: 'Add column' }))
    await userEvent.fill(screen.getByRole('textbox', { name: 'Name of column 3' }), 'title')
    await userEvent.click(screen.getByRole('checkbox', { name: 'title is required' }))
    await userEvent.click(screen.getByRole('button', { name: 'Add column' }))
    await userEvent.fill(screen.getByRole('textbox', { name: 'Name of column 4' }), 'pages')
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Type of pages' }),
      'integer',
    )
    await userEvent.fill(screen.getByRole('textbox', { name: 'Default of pages' }), '100')
    await waitReady(screen)
    expect(steps(screen)).toEqual(['Create table books (4 columns)'])
    const sql = screen.container.querySelector('[aria-label="SQL of the plan"]')!.textContent!
    expect(sql).toMatch(/create table "books"/i)
    expect(sql).toMatch(/"pages" integer default '100'::integer/i)
    await userEvent.click(applyButton(screen))
    await expect.element(screen.getByText('Applied 1 change.')).toBeVisible()
    const books = await client.getTable(id, 'books')
    expect(books.definition.columns.map((c) => [c.name, c.type, c.required === true])).toEqual([
      ['id', 'uuid', false],
      ['created_at', 'timestamptz', true],
      ['title', 'text', true],
      ['pages', 'integer', false],
    ])
    // The TableEditor over the applied table (every query of the database was refetched).
    await expect.element(screen.getByRole('columnheader', { name: /pages/ })).toBeVisible()
    expect(planStatus(screen)).toBe('No unapplied changes.')
  })

  it("shows a field error at the field, with the engine's message, and applies nothing while it stands", async () => {
    const id = await database([NOTES])
    const screen = await mount(id)
    await openTable(screen, 'notes')
    const name = screen.getByRole('textbox', { name: 'Name of column 2' })
    await userEvent.fill(name, 'Body Text')
    await expect.element(name).toHaveAttribute('aria-invalid', 'true')
    const describedBy = name.element().getAttribute('aria-describedby')!
    expect(document.getElementById(describedBy)!.textContent).toMatch(/identifier|name/i)
    await expect.poll(() => planStatus(screen)).toMatch(/^Fix the problem marked in the tables/)
    await expect.element(applyButton(screen)).toBeDisabled()
    // A default that does not fit the type, and an owner rule without an owner column.
    await userEvent.fill(name, 'body')
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Type of code' }), 'integer')
    await userEvent.fill(screen.getByRole('textbox', { name: 'Default of code' }), 'abc')
    await expect
      .element(screen.getByRole('textbox', { name: 'Default of code' }))
      .toHaveAttribute('aria-invalid', 'true')
    await expect.element(applyButton(screen)).toBeDisabled()
    expect((await client.getTable(id, 'notes')).definition).toEqual(NOTES)
  })

  it('renames a table and a column as renames: the rows are kept', async () => {
    const id = await database([NOTES], {
      notes: [
        { id: 1, body: 'first', code: 'a' },
        { id: 2, body: 'second', code: 'b' },
      ],
    })
    const screen = await mount(id)
    await openTable(screen, 'notes')
    await userEvent.fill(screen.getByRole('textbox', { name: 'Table name' }), 'memos')
    await userEvent.fill(screen.getByRole('textbox', { name: 'Name of column 2' }), 'content')
    await waitReady(screen)
    expect(steps(screen)).toEqual([
      'Rename table notes to memos',
      'Rename column memos.body to content',
    ])
    expect(screen.getByText('Renamed from notes; its rows are kept.').element()).toBeTruthy()
    await userEvent.click(applyButton(screen))
    await expect.element(screen.getByText('Applied 2 changes.')).toBeVisible()
    const { rows } = await client.selectRows(id, 'memos', { orderBy: { column: 'id' } })
    expect(rows).toEqual([
      { id: 1, content: 'first', code: 'a' },
      { id: 2, content: 'second', code: 'b' },
    ])
  })

  it('a type change the data does not fit shows the offending rows with their keys and values, and applies nothing', async () => {
    const id = await database([NOTES], {
      notes: [
        { id: 1, code: '42' },
        { id: 2, code: 'A1' },
        { id: 3, code: 'x' },
      ],
    })
    const screen = await mount(id)
    await openTable(screen, 'notes')
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Type of code' }), 'integer')
    await expect
      .poll(() => planStatus(screen), { timeout: 20_000 })
      .toBe('The current data does not fit; see below.')
    const problem = screen.container.querySelector('.bb-plan-preview-problems')!
    expect(problem.getAttribute('role')).toBe('alert')
    const cells = Array.from(problem.querySelectorAll('tbody td'), (td) => td.textContent)
    expect(cells).toEqual(['2', 'A1', '3', 'x'])
    await expect.element(applyButton(screen)).toBeDisabled()
    expect((await client.getTable(id, 'notes')).definition).toEqual(NOTES)
  })

  it('asks before steps that drop data, naming them; Cancel changes nothing', async () => {
    const id = await database([NOTES], { notes: [{ id: 1, body: 'kept?', code: 'c' }] })
    const screen = await mount(id)
    await openTable(screen, 'notes')
    await userEvent.click(screen.getByRole('button', { name: 'Remove column code' }))
    await waitReady(screen)
    expect(steps(screen)).toEqual(['Drop column notes.code and its values (drops data)'])
    await userEvent.click(applyButton(screen))
    const dialog = screen.getByRole('dialog')
    await expect.element(dialog).toBeVisible()
    expect(dialog.element().textContent).toContain('Drop column notes.code and its values')
    // What it drops, counted in the database: the one row holds a value there.
    await expect.poll(() => dialog.element().textContent).toContain('1 value in 1 row now')
    expect(
      screen.container.querySelector('[data-slot="schema-builder-dropped"]')!.textContent,
    ).toBe('Drops data: notes.code (1 value in 1 row)')
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel' }))
    await expect.poll(() => document.querySelector('[role="dialog"]')).toBeNull()
    expect((await client.getTable(id, 'notes')).definition.columns.map((c) => c.name)).toEqual([
      'id',
      'body',
      'code',
    ])
    await userEvent.click(applyButton(screen))
    await userEvent.click(
      screen.getByRole('dialog').getByRole('button', { name: 'Apply and drop data' }),
    )
    await expect.element(screen.getByText('Applied 1 change.')).toBeVisible()
    expect((await client.selectRows(id, 'notes')).rows).toEqual([{ id: 1, body: 'kept?' }])
  })

  it('undoes and redoes every unapplied edit, with the buttons and with Ctrl+Z / Ctrl+Shift+Z', async () => {
    const id = await database([NOTES])
    const screen = await mount(id)
    await openTable(screen, 'notes')
    const tableName = screen.getByRole('textbox', { name: 'Table name' })
    await userEvent.fill(tableName, 'memos')
    await userEvent.click(screen.getByRole('button', { name: 'Remove column code' }))
    await expect.poll(() => screen.container.querySelectorAll('.bb-sb-column').length).toBe(2)
    await userEvent.click(screen.getByRole('button', { name: 'Undo' }))
    await expect.poll(() => screen.container.querySelectorAll('.bb-sb-column').length).toBe(3)
    expect(screen.getByRole('textbox', { name: 'Table name' }).element()).toHaveProperty(
      'value',
      'memos',
    )
    await userEvent.click(screen.getByRole('textbox', { name: 'Table name' }))
    await userEvent.keyboard('{Control>}z{/Control}')
    await expect.element(screen.getByRole('textbox', { name: 'Table name' })).toHaveValue('notes')
    await expect.poll(() => planStatus(screen)).toBe('No unapplied changes.')
    await userEvent.keyboard('{Control>}{Shift>}z{/Shift}{/Control}')
    await expect.element(screen.getByRole('textbox', { name: 'Table name' })).toHaveValue('memos')
    await userEvent.click(screen.getByRole('button', { name: 'Redo' }))
    await expect.poll(() => screen.container.querySelectorAll('.bb-sb-column').length).toBe(2)
    await waitReady(screen)
    expect(steps(screen)).toEqual([
      'Rename table notes to memos',
      'Drop column memos.code and its values (drops data)',
    ])
    await userEvent.click(screen.getByRole('button', { name: 'Discard changes' }))
    await expect.poll(() => planStatus(screen)).toBe('No unapplied changes.')
  })

  it('reorders columns with the arrow keys on the handle and by dragging', async () => {
    const id = await database([NOTES])
    const screen = await mount(id)
    await openTable(screen, 'notes')
    const names = () =>
      Array.from(screen.container.querySelectorAll('.bb-sb-column'), (row) =>
        row.getAttribute('data-column'),
      )
    await userEvent.click(screen.getByRole('button', { name: /^Move code/ }))
    await userEvent.keyboard('{ArrowUp}')
    await expect.poll(names).toEqual(['id', 'code', 'body'])
    await waitReady(screen)
    expect(steps(screen)).toEqual(['Reorder the columns of notes: id, code, body'])
    await userEvent.dragAndDrop(
      screen.getByRole('button', { name: /^Move body/ }),
      screen.getByRole('button', { name: /^Move id/ }),
    )
    await expect.poll(names).toEqual(['body', 'id', 'code'])
    await userEvent.click(applyButton(screen))
    await expect.element(screen.getByText('Applied 1 change.')).toBeVisible()
    expect((await client.getTable(id, 'notes')).definition.columns.map((c) => c.name)).toEqual([
      'body',
      'id',
      'code',
    ])
  })

  it('adds a reference (taking the referenced type), an index and owner-only access, explained in words', async () => {
    const id = await database([NOTES])
    const screen = await mount(id)
    await openTable(screen, 'notes')
    await userEvent.click(screen.getByRole('button', { name: 'Add column' }))
    await userEvent.fill(screen.getByRole('textbox', { name: 'Name of column 4' }), 'author_id')
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Reference of author_id' }),
      'users.id',
    )
    expect(screen.getByRole('combobox', { name: 'Type of author_id' }).element()).toHaveProperty(
      'value',
      'uuid',
    )
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'On delete of author_id' }),
      'cascade',
    )
    await userEvent.click(screen.getByRole('button', { name: 'Add index' }))
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Who may select rows of notes' }),
      'owner',
    )
    expect(
      screen.getByRole('combobox', { name: 'Owner column of notes' }).element(),
    ).toHaveProperty('value', 'author_id')
    expect(screen.container.querySelector('.bb-sb-explain')!.textContent).toBe(
      'A signed-in user can read only the rows whose author_id holds their id.',
    )
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Who may insert rows of notes' }),
      'authenticated',
    )
    await waitReady(screen)
    expect(steps(screen)).toEqual([
      'Add column notes.author_id (uuid)',
      'Make notes.author_id reference users.id (on delete: cascade)',
      'Change the access rules of notes',
      'Create an index on notes (body)',
    ])
    await userEvent.click(applyButton(screen))
    await expect.element(screen.getByText('Applied 4 changes.')).toBeVisible()
    const notes = (await client.getTable(id, 'notes')).definition
    expect(notes.columns[3]).toEqual({
      name: 'author_id',
      type: 'uuid',
      references: { table: 'users', column: 'id', on_delete: 'cascade' },
    })
    expect(notes.indexes).toEqual([{ columns: ['body'] }])
    expect(notes.access).toEqual({
      select: 'owner',
      insert: 'authenticated',
      owner_column: 'author_id',
    })
  })

  it('shows a read-only owner the tables and lets it change nothing', async () => {
    const id = await database([NOTES])
    const screen = await mount(
      id,
      {},
      createLocalClient(engine, 'builder-owner', { readOnly: true }),
    )
    await expect
      .element(screen.getByText('Read-only: you can look at the tables but not change them.'))
      .toBeVisible()
    await openTable(screen, 'notes')
    await expect.element(screen.getByRole('textbox', { name: 'Table name' })).toBeDisabled()
    await expect.element(screen.getByRole('button', { name: 'Add table' })).toBeDisabled()
    await expect.element(applyButton(screen)).toBeDisabled()
  })
})

type StreamPart =
  Awaited<ReturnType<MockLanguageModelV4['doStream']>>['stream'] extends ReadableStream<infer T>
    ? T
    : never
const USAGE = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 20, text: 20, reasoning: undefined },
}
const FINISH: StreamPart = {
  type: 'finish',
  finishReason: { unified: 'stop', raw: 'stop' },
  usage: USAGE,
}

/** A mock model (no network) that streams each answer in turn, as JSON text in small chunks. */
function streamingModel(...answers: unknown[]): MockLanguageModelV4 {
  let call = 0
  return new MockLanguageModelV4({
    doStream: async () => {
      const text = JSON.stringify(answers[call++])
      const deltas: StreamPart[] = []
      for (let i = 0; i < text.length; i += 13) {
        deltas.push({ type: 'text-delta', id: 't', delta: text.slice(i, i + 13) })
      }
      return {
        stream: simulateReadableStream({
          chunks: [
            { type: 'stream-start', warnings: [] },
            { type: 'text-start', id: 't' },
            ...deltas,
            { type: 'text-end', id: 't' },
            FINISH,
          ],
          initialDelayInMs: null,
          chunkDelayInMs: null,
        }),
      }
    },
  })
}

/** A mock model whose one answer the test writes piece by piece. */
function controlledModel() {
  let controller: ReadableStreamDefaultController<StreamPart> | undefined
  const stream = new ReadableStream<StreamPart>({
    start(c) {
      controller = c
      c.enqueue({ type: 'stream-start', warnings: [] })
      c.enqueue({ type: 'text-start', id: 't' })
    },
  })
  return {
    model: new MockLanguageModelV4({ doStream: async () => ({ stream }) }),
    write: (text: string) => controller!.enqueue({ type: 'text-delta', id: 't', delta: text }),
    finish() {
      controller!.enqueue({ type: 'text-end', id: 't' })
      controller!.enqueue(FINISH)
      controller!.close()
    },
  }
}

const POSTS = {
  name: 'posts',
  columns: [
    { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
    { name: 'title', type: 'text', required: true },
    {
      name: 'author_id',
      type: 'uuid',
      references: { table: 'users', column: 'id', on_delete: 'cascade' },
    },
  ],
}
const COMMENTS = {
  name: 'comments',
  columns: [
    { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
    {
      name: 'post_id',
      type: 'uuid',
      required: true,
      references: { table: 'posts', column: 'id', on_delete: 'cascade' },
    },
    { name: 'body', type: 'text', required: true },
  ],
}
const TAGS = {
  name: 'tags',
  columns: [
    { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
    { name: 'name', type: 'text', required: true, unique: true },
  ],
}

describe('SchemaBuilder with AI', () => {
  it('streams generated tables into the builder, which are edited, previewed and applied', async () => {
    const id = await database()
    const ai = controlledModel()
    const screen = await mount(
      id,
      { ai: true },
      createLocalClient(engine, 'builder-owner', { ai: createAIProvider({ model: ai.model }) }),
    )
    await userEvent.fill(
      screen.getByRole('textbox', { name: 'Describe your app' }),
      'a blog with comments',
    )
    await userEvent.click(screen.getByRole('button', { name: 'Generate' }))
    const answer = JSON.stringify({ tables: [POSTS, COMMENTS], notes: 'Posts and their comments.' })
    // The first table, complete, before the answer is: it shows in the builder while streaming.
    const cut = answer.indexOf('{"name":"comments"')
    ai.write(answer.slice(0, cut + 20))
    await expect
      .poll(() => screen.container.querySelector('.bb-sb-chat-entry')?.textContent ?? '', {
        timeout: 20_000,
      })
      .toMatch(/Writing tables… posts/)
    await expect
      .element(
        screen.getByRole('navigation', { name: 'Tables' }).getByRole('button', { name: /^posts/ }),
      )
      .toBeVisible()
    expect(planStatus(screen)).toBe('The AI is writing; the plan follows when it is done.')
    await expect.element(screen.getByRole('button', { name: 'Cancel' })).toBeVisible()
    ai.write(answer.slice(cut + 20))
    ai.finish()
    await expect
      .element(screen.getByRole('list', { name: 'What this request changed' }))
      .toBeVisible()
    // The model's tables, as repaired by @basebox/ai (it adds the usual timestamps).
    expect(
      Array.from(
        screen.container.querySelectorAll('.bb-sb-chat-changes li'),
        (li) => li.textContent,
      ),
    ).toEqual([
      expect.stringMatching(/^Create table posts \(\d+ columns\)$/),
      expect.stringMatching(/^Create table comments \(\d+ columns\)$/),
    ])
    expect(screen.container.querySelector('.bb-sb-chat-notes')!.textContent).toBe(
      'Posts and their comments.',
    )
    // Edited before anything is applied.
    await openTable(screen, 'comments')
    const body = screen.container.querySelector<HTMLInputElement>(
      '.bb-sb-column[data-column="body"] input',
    )!
    await userEvent.fill(body, 'text')
    await waitReady(screen)
    expect(steps(screen)).toEqual([
      expect.stringMatching(/^Create table posts/),
      expect.stringMatching(/^Create table comments/),
    ])
    expect((await client.listTables(id)).map((t) => t.name)).toEqual(['users'])
    await userEvent.click(applyButton(screen))
    await expect.element(screen.getByText('Applied 2 changes.')).toBeVisible()
    const names = (await client.getTable(id, 'comments')).definition.columns.map((c) => c.name)
    expect(names.slice(0, 3)).toEqual(['id', 'post_id', 'text'])
    expect(names).not.toContain('body')
  })

  it('refines by chat, listing what each message changed, and one Undo takes an answer back', async () => {
    const id = await database()
    const model = streamingModel(
      { tables: [POSTS] },
      {
        tables: [TAGS],
        rename_columns: [{ table: 'posts', from: 'title', to: 'headline' }],
        notes: 'Tags, and a headline.',
      },
    )
    const screen = await mount(
      id,
      { ai: true },
      createLocalClient(engine, 'builder-owner', { ai: createAIProvider({ model }) }),
    )
    await userEvent.fill(screen.getByRole('textbox', { name: 'Describe your app' }), 'a blog')
    await userEvent.click(screen.getByRole('button', { name: 'Generate' }))
    await expect
      .poll(
        () => screen.container.querySelectorAll('.bb-sb-chat-entry[data-status="done"]').length,
        { timeout: 20_000 },
      )
      .toBe(1)
    await userEvent.fill(
      screen.getByRole('textbox', { name: 'Ask for a change' }),
      'add tags, and call the title a headline',
    )
    await userEvent.click(screen.getByRole('button', { name: 'Refine' }))
    await expect
      .poll(
        () =>
          screen.container.querySelectorAll('.bb-sb-chat-entry:not([data-status="streaming"])')
            .length,
        { timeout: 20_000 },
      )
      .toBe(2)
    expect(screen.container.querySelectorAll('.bb-sb-chat-entry[data-status="done"]')).toHaveLength(
      2,
    )
    const second = screen.container.querySelectorAll('.bb-sb-chat-entry')[1]!
    expect(
      Array.from(second.querySelectorAll('.bb-sb-chat-changes li'), (li) => li.textContent),
    ).toEqual([
      'Rename column posts.title to headline',
      expect.stringMatching(/^Create table tags \(\d+ columns\)$/),
    ])
    // The second message asked the model with the chat so far.
    const prompt = JSON.stringify(model.doStreamCalls[1]!.prompt)
    expect(prompt).toContain('a blog')
    expect(prompt).toContain('add tags, and call the title a headline')
    await waitReady(screen)
    // posts is new to the database: its headline is a new column, not a rename.
    expect(steps(screen)).toEqual([
      expect.stringMatching(/^Create table posts/),
      expect.stringMatching(/^Create table tags/),
    ])
    await openTable(screen, 'posts')
    expect(screen.container.querySelector('.bb-sb-column[data-column="headline"]')).not.toBeNull()
    await userEvent.click(screen.getByRole('button', { name: 'Undo' }))
    await waitReady(screen)
    expect(steps(screen)).toEqual([expect.stringMatching(/^Create table posts/)])
    expect(screen.container.querySelector('.bb-sb-column[data-column="title"]')).not.toBeNull()
  })

  it('without a model says so, and a template starts the tables offline', async () => {
    const id = await database()
    const screen = await mount(id, { ai: true })
    await userEvent.fill(screen.getByRole('textbox', { name: 'Describe your app' }), 'a blog')
    await userEvent.click(screen.getByRole('button', { name: 'Generate' }))
    await expect.element(screen.getByText(/No AI model is set up for this database/)).toBeVisible()
    expect(planStatus(screen)).toBe('No unapplied changes.')
    await expect
      .poll(() => screen.container.querySelectorAll('.bb-sb-template option').length, {
        timeout: 20_000,
      })
      .toBeGreaterThan(1)
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Start from a template' }),
      'blog',
    )
    await userEvent.click(screen.getByRole('button', { name: 'Add template' }))
    await waitReady(screen)
    expect(steps(screen).every((step) => step!.startsWith('Create table'))).toBe(true)
    await userEvent.click(applyButton(screen))
    await expect.element(screen.getByText(/^Applied \d+ changes\.$/)).toBeVisible()
    expect((await client.listTables(id)).map((t) => t.name)).toEqual(
      expect.arrayContaining(['users', 'posts', 'comments', 'tags']),
    )
  })
})

describe('SchemaBuilder with the SchemaDiagram', () => {
  it('hands its pending plan to the diagram, which shows it as a diff', async () => {
    const id = await database([NOTES])
    let latest: WireChangePlan | null = null
    function Host() {
      const [plan, setPlan] = useState<WireChangePlan | null>(null)
      return (
        <>
          <SchemaBuilder
            databaseId={id}
            ai={false}
            templates={false}
            height={700}
            onPlanChange={(next) => {
              latest = next
              setPlan(next)
            }}
          />
          <SchemaDiagram databaseId={id} plan={plan} height={500} />
        </>
      )
    }
    const screen = await render(
      <BaseboxProvider client={client} queryClient={queryClient()}>
        <Host />
      </BaseboxProvider>,
    )
    await expect.element(screen.getByRole('button', { name: 'Add table' })).toBeVisible()
    await openTable(screen, 'notes')
    await userEvent.click(screen.getByRole('button', { name: 'Add column' }))
    await userEvent.fill(screen.getByRole('textbox', { name: 'Name of column 4' }), 'rating')
    await expect
      .poll(() => latest?.steps.map((s) => s.kind), { timeout: 20_000 })
      .toEqual(['add_column'])
    await expect
      .poll(
        () =>
          screen.container
            .querySelector('.bb-schema-diagram__column[data-column="rating"]')
            ?.getAttribute('data-status'),
        { timeout: 30_000 },
      )
      .toBe('added')
  })
})
