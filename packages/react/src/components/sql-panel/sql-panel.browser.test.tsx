// The SQLPanel in Chromium on a real engine over PGlite: queries, error positions, the write
// confirm and dry run (checked in the database), history per database, exports, cancel.
import { createRemoteClient, type BaseboxClient } from '@basebox/client'
import { QueryClient } from '@tanstack/react-query'
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { EditorView } from '@codemirror/view'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import '../../styles.css'
import { BaseboxProvider } from '../../provider.js'
import { createLocalClient, type Basebox } from '@basebox/core'
import { createAIProvider } from '@basebox/ai'
import { MockLanguageModelV4 } from 'ai/test'
import { createTestClient } from '../../test-support/local-client.js'
import { SQLPanel, type SQLPanelProps } from './sql-panel.js'
import { readHistory, type SQLPanelStorage } from './sql-text.js'

let client: BaseboxClient
let databaseId: string
let otherDatabaseId: string
let destroy: () => Promise<void>
let engine: Basebox

beforeAll(async () => {
  ;({ client, engine, databaseId, destroy } = await createTestClient())
  otherDatabaseId = (
    await client.createDatabase((await client.createProject({ name: 'Other' })).id)
  ).id
  await client.createTable(databaseId, {
    name: 'items',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'name', type: 'text', required: true },
      { name: 'qty', type: 'integer' },
    ],
  })
}, 240_000)

afterAll(async () => {
  await destroy?.()
})

beforeEach(async () => {
  await client.runSQL(databaseId, 'delete from items')
  await client.insertRows(databaseId, 'items', [
    { id: 1, name: 'apple', qty: 3 },
    { id: 2, name: 'pear, "green"', qty: null },
    { id: 3, name: 'plum', qty: 9 },
  ])
})

/** An AI SDK mock model (no network) whose one answer is `answer` as JSON text. */
function answeringModel(answer: unknown): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doGenerate: async () => ({
      content: [{ type: 'text', text: JSON.stringify(answer) }],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: {
        inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: 20, text: 20, reasoning: undefined },
      },
      warnings: [],
    }),
  })
}

function memoryStorage(): SQLPanelStorage & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) }
}

async function mount(props: Partial<SQLPanelProps> = {}, use: BaseboxClient = client) {
  const screen = await render(
    <BaseboxProvider
      client={use}
      queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
    >
      <SQLPanel databaseId={databaseId} storage={null} ai={false} height={600} {...props} />
    </BaseboxProvider>,
  )
  await expect
    .poll(() => screen.container.querySelector('.cm-content'), { timeout: 30_000 })
    .not.toBeNull()
  return screen
}

type Screen = Awaited<ReturnType<typeof mount>>

function editorView(screen: Screen): EditorView {
  return EditorView.findFromDOM(screen.container.querySelector<HTMLElement>('.cm-editor')!)!
}

/** Replaces the editor's text as a paste would (completion and bracket closing stay out of it). */
async function typeSQL(screen: Screen, sql: string) {
  const content = screen.container.querySelector<HTMLElement>('.cm-content')!
  content.focus()
  await userEvent.keyboard('{Control>}a{/Control}{Backspace}')
  const view = editorView(screen)
  view.dispatch({
    changes: { from: 0, to: view.state.doc.length, insert: sql },
    userEvent: 'input.paste',
  })
}

const status = (screen: Screen) =>
  screen.container.querySelector('[data-slot="sql-panel-status"]')?.textContent ?? ''
const cells = (screen: Screen) =>
  Array.from(screen.container.querySelectorAll('[role="gridcell"]'), (c) => c.textContent)

async function runWithKeys(screen: Screen) {
  screen.container.querySelector<HTMLElement>('.cm-content')!.focus()
  await userEvent.keyboard('{Control>}{Enter}{/Control}')
}

describe('SQLPanel', () => {
  it('runs a query with Ctrl+Enter and shows each statement with its rows, counts and duration', async () => {
    const screen = await render(
      <BaseboxProvider
        client={client}
        queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
      >
        <SQLPanel databaseId={databaseId} storage={null} ai={false} height={600} />
      </BaseboxProvider>,
    )
    // First the placeholder, of the panel's size, then the editor.
    const placeholder = screen.container.querySelector<HTMLElement>(
      '[data-slot="sql-panel-loading"]',
    )
    if (placeholder !== null) {
      expect(placeholder.getBoundingClientRect().height).toBe(600)
    }
    await expect
      .poll(() => screen.container.querySelector('.cm-content'), { timeout: 30_000 })
      .not.toBeNull()
    await typeSQL(
      screen,
      'select id, name from items order by id;\nselect count(*)::int as n from items',
    )
    await runWithKeys(screen)
    await expect.poll(() => status(screen), { timeout: 20_000 }).toMatch(/^2 statements in \d+ ms$/)
    const tabs = Array.from(screen.container.querySelectorAll('[role="tab"]'), (t) => t.textContent)
    expect(tabs).toEqual(['1. SELECT · 3 rows', '2. SELECT · 1 row'])
    expect(cells(screen)).toEqual(['3'])
    await userEvent.click(screen.getByRole('tab', { name: /^1\. SELECT/ }))
    expect(cells(screen)).toEqual(['1', 'apple', '2', 'pear, "green"', '3', 'plum'])
    expect(screen.container.querySelector('[role="grid"]')?.getAttribute('aria-readonly')).toBe(
      'true',
    )
    // The loaded panel keeps the placeholder's size (the height prop): no layout shift.
    expect(
      screen.container
        .querySelector<HTMLElement>('[data-slot="sql-panel"]')!
        .getBoundingClientRect().height,
    ).toBe(600)
  })

  it('runs only the selection', async () => {
    const screen = await mount()
    await typeSQL(screen, "select 'first' as a;\nselect 'second' as b")
    editorView(screen).dispatch({ selection: { anchor: 21, head: 41 } })
    await runWithKeys(screen)
    await expect.poll(() => cells(screen), { timeout: 20_000 }).toEqual(['second'])
  })

  it('underlines an error where Postgres reports it, also inside a selection', async () => {
    const screen = await mount()
    const sql = 'select 1;\nselect nosuchcolumn from items'
    await typeSQL(screen, sql)
    await runWithKeys(screen)
    await expect
      .poll(
        () => screen.container.querySelector('[data-slot="sql-panel-error"]')?.textContent ?? '',
        { timeout: 20_000 },
      )
      .toMatch(/nosuchcolumn/)
    await expect
      .poll(() => screen.container.querySelector('.cm-lintRange-error')?.textContent)
      .toBe('nosuchcolumn')
    // A syntax error, as the parser reports it, in a selected second line.
    await typeSQL(screen, 'select 1;\nselect * fro items')
    editorView(screen).dispatch({ selection: { anchor: 10, head: 28 } })
    await runWithKeys(screen)
    await expect
      .poll(() => screen.container.querySelector('.cm-lintRange-error')?.textContent, {
        timeout: 20_000,
      })
      .toBe('fro')
  })

  it('asks before a write; a dry run shows the rows it would change and changes nothing; Run it writes', async () => {
    const screen = await mount()
    await typeSQL(screen, "update items set qty = 100 where name like 'p%'")
    await expect
      .poll(() => screen.container.querySelector('[data-slot="sql-panel-writes"]'))
      .not.toBeNull()
    await runWithKeys(screen)
    const dialog = screen.getByRole('dialog')
    await expect.element(dialog).toBeVisible()
    await userEvent.click(screen.getByRole('button', { name: 'Dry run' }))
    await expect
      .poll(() => status(screen), { timeout: 20_000 })
      .toMatch(/^Dry run \(rolled back, nothing changed\): 1 statement/)
    expect(screen.container.querySelector('[role="tab"]')?.textContent).toBe('1. UPDATE · 2 rows')
    expect(cells(screen)).toEqual(['2', 'pear, "green"', '100', '3', 'plum', '100'])
    const before = await client.runSQL(databaseId, 'select qty from items order by id')
    expect(before.statements[0]!.rows).toEqual([[3], [null], [9]])
    // Cancel in the dialog runs nothing.
    await runWithKeys(screen)
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }).first())
    await expect
      .poll(() => screen.container.ownerDocument.querySelector('[role="dialog"]'))
      .toBeNull()
    expect(
      (await client.runSQL(databaseId, 'select qty from items order by id')).statements[0]!.rows,
    ).toEqual([[3], [null], [9]])
    await runWithKeys(screen)
    await userEvent.click(screen.getByRole('button', { name: 'Run it' }))
    await expect
      .poll(
        async () =>
          (await client.runSQL(databaseId, 'select qty from items order by id')).statements[0]!
            .rows,
        { timeout: 20_000 },
      )
      .toEqual([[3], [100], [100]])
  })

  it('Ask AI puts the SQL in the editor and never runs it; an AI-written delete needs the write confirm', async () => {
    const model = answeringModel({
      sql: "delete from items where name = 'plum'",
      explanation: 'Deletes the plum.',
    })
    const withAI = createLocalClient(engine, 'test-owner', { ai: createAIProvider({ model }) })
    const screen = await mount({ ai: true }, withAI)
    await userEvent.fill(screen.getByRole('textbox', { name: 'Ask AI for SQL' }), 'remove the plum')
    await userEvent.click(screen.getByRole('button', { name: 'Ask AI' }))
    await expect
      .poll(() => editorView(screen).state.doc.toString(), { timeout: 20_000 })
      .toBe("delete from items where name = 'plum'")
    // The note renders after the editor's text (its own state update): wait for it as well.
    await expect
      .poll(
        () =>
          screen.container.querySelector('[data-slot="sql-panel-ai-answer"]')?.textContent ?? '',
      )
      .toMatch(/^Writes\. Deletes the plum\./)
    // Inserted, not run.
    expect(status(screen)).toBe('')
    expect(
      (await client.runSQL(databaseId, 'select count(*)::int from items')).statements[0]!.rows,
    ).toEqual([[3]])
    await runWithKeys(screen)
    await expect.element(screen.getByRole('dialog')).toBeVisible()
    expect(document.querySelector('[role="dialog"]')?.textContent).toMatch(/written by AI/)
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }).first())
    expect(
      (await client.runSQL(databaseId, 'select count(*)::int from items')).statements[0]!.rows,
    ).toEqual([[3]])
    await runWithKeys(screen)
    await userEvent.click(screen.getByRole('button', { name: 'Run it' }))
    await expect
      .poll(
        async () =>
          (await client.runSQL(databaseId, 'select name from items order by id')).statements[0]!
            .rows,
        { timeout: 20_000 },
      )
      .toEqual([['apple'], ['pear, "green"']])
  })

  it('refuses writes in read-only mode', async () => {
    const screen = await mount({ readOnly: true })
    await typeSQL(screen, 'delete from items')
    await runWithKeys(screen)
    await expect
      .poll(
        () => screen.container.querySelector('[data-slot="sql-panel-error"]')?.textContent ?? '',
        { timeout: 20_000 },
      )
      .toMatch(/read-only/)
    expect(screen.container.ownerDocument.querySelector('[role="dialog"]')).toBeNull()
    expect(
      (await client.runSQL(databaseId, 'select count(*)::int from items')).statements[0]!.rows,
    ).toEqual([[3]])
  })

  it('keeps a history per database in the host storage, and snippets', async () => {
    const storage = memoryStorage()
    const screen = await mount({ storage })
    await typeSQL(screen, 'select 42 as answer')
    await runWithKeys(screen)
    await expect.poll(() => cells(screen), { timeout: 20_000 }).toEqual(['42'])
    expect(readHistory(storage, databaseId).map((e) => [e.sql, e.outcome])).toEqual([
      ['select 42 as answer', 'ok'],
    ])
    expect(readHistory(storage, otherDatabaseId)).toEqual([])
    await userEvent.fill(screen.getByRole('textbox', { name: 'Snippet name' }), 'answer')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    await screen.unmount()
    // A new panel on the same database finds it; one on another database does not.
    const again = await mount({ storage })
    expect(again.container.querySelector('[data-slot="sql-panel-history"]')?.textContent).toBe(
      'select 42 as answer',
    )
    expect(
      again.container.querySelector('[data-slot="sql-panel-snippets"]')?.textContent,
    ).toContain('answer')
    await again.unmount()
    const other = await mount({ storage, databaseId: otherDatabaseId })
    expect(other.container.querySelector('[data-slot="sql-panel-history"]')?.textContent).toBe('')
    expect(other.container.querySelector('[data-slot="sql-panel-snippets"]')?.textContent).toBe('')
    await other.unmount()
  })

  it('exports the shown result as CSV and JSON', async () => {
    const screen = await mount()
    await typeSQL(screen, 'select id, name, qty from items order by id')
    await runWithKeys(screen)
    await expect.poll(() => cells(screen).length, { timeout: 20_000 }).toBe(9)
    const downloads: { name: string; text: Promise<string> }[] = []
    const original = HTMLAnchorElement.prototype.click
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      downloads.push({ name: this.download, text: fetch(this.href).then((r) => r.text()) })
    }
    try {
      await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }))
      await userEvent.click(screen.getByRole('button', { name: 'Export JSON' }))
    } finally {
      HTMLAnchorElement.prototype.click = original
    }
    expect(downloads.map((d) => d.name)).toEqual(['result-1.csv', 'result-1.json'])
    expect(await downloads[0]!.text).toBe(
      'id,name,qty\r\n1,apple,3\r\n2,"pear, ""green""",\r\n3,plum,9\r\n',
    )
    expect(JSON.parse(await downloads[1]!.text)).toEqual([
      { id: 1, name: 'apple', qty: 3 },
      { id: 2, name: 'pear, "green"', qty: null },
      { id: 3, name: 'plum', qty: 9 },
    ])
  })

  it('cancels a running pg_sleep over the remote client: the request is aborted, the result dropped, the panel runs again', async () => {
    // PGlite in the page runs on the main thread (a pg_sleep there freezes the page), so this
    // runs against @basebox/server (on Postgres with DATABASE_URL; a PGlite server is blocked
    // for the sleep). The server cancels the statement when the request goes away.
    const server = inject('baseboxServer')
    const aborted: AbortSignal[] = []
    const remote = createRemoteClient({
      url: server.url,
      headers: server.headers,
      fetch: (input, init) => {
        if (init.signal) {
          aborted.push(init.signal)
        }
        return fetch(input, init)
      },
    })
    const screen = await mount({ timeoutMs: 5000, databaseId: server.databaseId }, remote)
    await typeSQL(screen, 'select pg_sleep(8), 1 as slept')
    await runWithKeys(screen)
    await expect.poll(() => status(screen), { timeout: 20_000 }).toBe('Running…')
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    await expect
      .poll(
        () => screen.container.querySelector('[data-slot="sql-panel-notice"]')?.textContent ?? '',
      )
      .toMatch(/^Cancelled/)
    expect(screen.container.querySelector('[role="grid"]')).toBeNull()
    expect(aborted.some((signal) => signal.aborted)).toBe(true)
    await typeSQL(screen, 'select 7 as after')
    await runWithKeys(screen)
    await expect
      .poll(
        () => [
          cells(screen),
          screen.container.querySelector('[data-slot="sql-panel-error"]')?.textContent ?? '',
          status(screen),
        ],
        { timeout: 20_000 },
      )
      .toEqual([['7'], '', expect.stringMatching(/^1 statement in/)])
  })
})
