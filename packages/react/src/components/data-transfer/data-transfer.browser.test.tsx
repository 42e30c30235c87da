// DataTransfer in Chromium on a real engine over PGlite: a JSON and a CSV export (the files'
// content), a busy export cancelled, a CSV import whose bad row is rejected in the preview and
// that imports the rest only once confirmed, the mapping (also of an unmatched header), a JSON
// import whose dry run changes nothing (dropped onto the panel), and a read-only owner who may
// export but not import.
import type {
  BaseboxClient,
  ImportDataOptions,
  TableDefinitionInput,
  WireDatabaseExport,
} from '@basebox/client'
import { createLocalClient, type Basebox } from '@basebox/core'
import { QueryClient } from '@tanstack/react-query'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import '../../styles.css'
import { BaseboxProvider } from '../../provider.js'
import { createTestClient } from '../../test-support/local-client.js'
import { DataTransfer, type DataTransferExport, type DataTransferProps } from './data-transfer.js'

let client: BaseboxClient
let engine: Basebox
let destroy: () => Promise<void>

beforeAll(async () => {
  ;({ client, engine, destroy } = await createTestClient('transfer-owner'))
}, 240_000)

afterAll(async () => {
  await destroy?.()
})

const ITEMS: TableDefinitionInput = {
  name: 'items',
  columns: [
    { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
    { name: 'name', type: 'text', required: true },
    { name: 'qty', type: 'integer' },
  ],
}

async function database(rows: Record<string, unknown>[] = []): Promise<string> {
  const project = await client.createProject({ name: 'Transfer' })
  const { id } = await client.createDatabase(project.id)
  await client.createTable(id, ITEMS)
  if (rows.length > 0) {
    await client.insertRows(id, 'items', rows)
  }
  return id
}

async function mount(
  databaseId: string,
  props: Partial<DataTransferProps> = {},
  use: BaseboxClient = client,
) {
  const screen = await render(
    <BaseboxProvider
      client={use}
      queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
    >
      <DataTransfer databaseId={databaseId} height={700} download={false} {...props} />
    </BaseboxProvider>,
  )
  await expect
    .poll(() => screen.container.querySelector('[data-slot="data-transfer"][role="region"]'), {
      timeout: 30_000,
    })
    .not.toBeNull()
  return screen
}

type Screen = Awaited<ReturnType<typeof mount>>

function choose(screen: Screen, file: File) {
  const input = screen.container.querySelector<HTMLInputElement>('input[type="file"]')!
  // The component's name shadows the DOM's DataTransfer here.
  const transfer = new window.DataTransfer()
  transfer.items.add(file)
  input.files = transfer.files
  input.dispatchEvent(new Event('change', { bubbles: true }))
}

function drop(screen: Screen, file: File) {
  const zone = screen.container.querySelector('.bb-dt-drop')!
  // The component's name shadows the DOM's DataTransfer here.
  const transfer = new window.DataTransfer()
  transfer.items.add(file)
  zone.dispatchEvent(
    new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }),
  )
  zone.dispatchEvent(
    new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }),
  )
}

const text = (screen: Screen, slot: string) =>
  screen.container.querySelector(`[data-slot="${slot}"]`)?.textContent ?? ''

describe('given a DataTransfer over a database with rows', () => {
  it('exports the database as JSON and one table as CSV, each file with its rows', async () => {
    const id = await database([
      { name: 'Apple', qty: 3 },
      { name: 'Pear', qty: 7 },
    ])
    const files: DataTransferExport[] = []
    const screen = await mount(id, { onExport: (file) => files.push(file) })
    // The loaded component keeps the placeholder's size, and its stylesheet came with the chunk.
    expect(
      screen.container
        .querySelector<HTMLElement>('[data-slot="data-transfer"]')!
        .getBoundingClientRect().height,
    ).toBe(700)
    expect(document.querySelectorAll('style[data-href="basebox-data-transfer"]')).toHaveLength(1)
    expect(getComputedStyle(screen.container.querySelector('.bb-dt')!).display).toBe('grid')

    await userEvent.click(screen.getByRole('button', { name: 'Export', exact: true }))
    await expect.poll(() => files.length, { timeout: 20_000 }).toBe(1)
    expect(files[0]).toMatchObject({ format: 'json', fileName: 'basebox.json' })
    expect(files[0]!.blob.type).toBe('application/json')
    const json = JSON.parse(await files[0]!.blob.text()) as WireDatabaseExport
    expect(json.format).toBe('basebox')
    const items = json.tables.find((t) => t.definition.name === 'items')!
    expect(items.rows.map((row) => [row.name, row.qty])).toEqual(
      expect.arrayContaining([
        ['Apple', 3],
        ['Pear', 7],
      ]),
    )
    await expect.element(screen.getByText(/^Exported basebox\.json \(\d/)).toBeVisible()

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Format' }), 'csv')
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Table' }), 'items')
    await userEvent.click(screen.getByRole('button', { name: 'Export', exact: true }))
    await expect.poll(() => files.length, { timeout: 20_000 }).toBe(2)
    expect(files[1]).toMatchObject({ format: 'csv', table: 'items', fileName: 'items.csv' })
    const lines = (await files[1]!.blob.text()).trim().split(/\r?\n/)
    expect(lines[0]).toBe('id,name,qty')
    expect(lines.slice(1).map((line) => line.split(',').slice(1).join(','))).toEqual(
      expect.arrayContaining(['Apple,3', 'Pear,7']),
    )
    expect(lines).toHaveLength(3)
  })

  it("says what a busy export does and cancels it through the call's signal", async () => {
    const id = await database([{ name: 'Apple', qty: 3 }])
    const signals: AbortSignal[] = []
    // An export that answers only when aborted, as a large one still running would.
    const slow = new Proxy(client, {
      get(target, key, receiver) {
        if (key === 'exportDatabase') {
          return (_id: string, options: { signal: AbortSignal }) =>
            new Promise((_, reject) => {
              signals.push(options.signal)
              options.signal.addEventListener('abort', () => reject(options.signal.reason))
            })
        }
        const value = Reflect.get(target, key, receiver)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const files: DataTransferExport[] = []
    const screen = await mount(id, { onExport: (file) => files.push(file) }, slow)
    await userEvent.click(screen.getByRole('button', { name: 'Export', exact: true }))
    await expect.element(screen.getByText('Exporting every table as JSON…')).toBeVisible()
    await expect.element(screen.getByRole('button', { name: 'Export', exact: true })).toBeDisabled()
    await userEvent.click(screen.getByRole('button', { name: 'Cancel export' }))
    await expect.element(screen.getByText('Export cancelled.')).toBeVisible()
    expect(signals).toHaveLength(1)
    expect(signals[0]!.aborted).toBe(true)
    expect(files).toEqual([])
    await expect.element(screen.getByRole('button', { name: 'Export', exact: true })).toBeEnabled()
  })

  it('previews a CSV file with a bad row rejected, and imports the others only once confirmed', async () => {
    const id = await database()
    const imported: unknown[] = []
    const screen = await mount(id, { onImported: (report) => imported.push(report) })
    choose(
      screen,
      new File(['name,qty\nApple,3\nPear,lots\nPlum,5\n'], 'items.csv', { type: 'text/csv' }),
    )
    await expect.poll(() => text(screen, 'import-check'), { timeout: 20_000 }).toContain('Preview')
    expect(text(screen, 'import-file')).toBe('items.csv: 34 B, CSV')
    await expect.element(screen.getByRole('combobox', { name: 'Into table' })).toHaveValue('items')
    expect(text(screen, 'import-summary')).toMatch(
      /2 rows would be imported into\s+items; 1 row rejected/,
    )
    const rejected = screen.container.querySelector('[aria-label="Rejected rows"] li')!
    expect(rejected.getAttribute('data-row')).toBe('2')
    expect(rejected.textContent).toMatch(/^Row 2 \(line 3\): qty: /)
    await expect
      .element(screen.getByRole('combobox', { name: 'Column for qty' }))
      .toHaveValue('qty')
    // Nothing is written before the confirm.
    expect((await client.selectRows(id, 'items')).rows).toEqual([])

    await userEvent.click(
      screen.getByRole('button', { name: 'Import 2 rows into items, skip 1 rejected row' }),
    )
    await expect
      .poll(() => text(screen, 'import-result'), { timeout: 20_000 })
      .toContain('Imported')
    expect(text(screen, 'import-result')).toMatch(/2 rows imported into\s+items; 1 row rejected/)
    const rows = (await client.selectRows(id, 'items')).rows
    expect(rows.map((row) => [row.name, row.qty]).sort()).toEqual([
      ['Apple', 3],
      ['Plum', 5],
    ])
    expect(imported).toHaveLength(1)
  })

  it('lets the mapping leave a CSV column out, previewed again', async () => {
    const id = await database()
    const screen = await mount(id)
    choose(screen, new File(['name,qty\nApple,3\n'], 'items.csv', { type: 'text/csv' }))
    await expect
      .element(screen.getByRole('combobox', { name: 'Column for qty' }), { timeout: 20_000 })
      .toHaveValue('qty')
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Column for qty' }), '')
    await expect
      .element(screen.getByRole('combobox', { name: 'Column for qty' }), { timeout: 20_000 })
      .toHaveValue('')
    await userEvent.click(screen.getByRole('button', { name: 'Import 1 row into items' }))
    await expect
      .poll(() => text(screen, 'import-result'), { timeout: 20_000 })
      .toContain('Imported')
    expect((await client.selectRows(id, 'items')).rows.map((row) => [row.name, row.qty])).toEqual([
      ['Apple', null],
    ])
  })

  it('asks for a column for a CSV header that matches none, then previews', async () => {
    const id = await database()
    const screen = await mount(id)
    choose(screen, new File(['name,qty,note\nApple,3,x\n'], 'items.csv', { type: 'text/csv' }))
    await expect
      .element(screen.getByRole('alert'), { timeout: 20_000 })
      .toHaveTextContent(/"note" matches no column of "items"/)
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Column for note' }), '')
    await expect.poll(() => text(screen, 'import-check'), { timeout: 20_000 }).toContain('Preview')
    await expect.element(screen.getByRole('combobox', { name: 'Column for note' })).toHaveValue('')
    expect(text(screen, 'import-summary')).toMatch(/1 row would be imported into\s+items\./)
  })

  it('checks a dropped JSON export with a dry run that changes nothing, then imports it', async () => {
    const from = await database([{ name: 'Apple', qty: 3 }])
    const exported = await client.exportDatabase(from, { format: 'json', table: 'items' })
    const project = await client.createProject({ name: 'Target' })
    const { id } = await client.createDatabase(project.id)
    const screen = await mount(id)
    drop(screen, new File([JSON.stringify(exported)], 'backup.json', { type: 'application/json' }))
    await expect.poll(() => text(screen, 'import-check'), { timeout: 20_000 }).toContain('Dry run')
    expect(
      screen.container.querySelector('[data-slot="import-check"] [data-table="items"]')
        ?.textContent,
    ).toBe('items: new table, 1 row')
    expect((await client.listTables(id)).map((t) => t.name)).not.toContain('items')

    await userEvent.click(screen.getByRole('button', { name: 'Import 1 row' }))
    await expect
      .poll(() => text(screen, 'import-result'), { timeout: 20_000 })
      .toContain('items: new table, 1 row')
    expect((await client.selectRows(id, 'items')).rows.map((row) => row.name)).toEqual(['Apple'])
  })

  it("shows a CSV import's progress batch by batch, the Cancel button focused, nothing moving", async () => {
    const id = await database()
    const screen = await mount(id)
    const ROWS = 60_000 // twelve batches of the engine's 5,000 rows
    const csv = [
      'name,qty',
      ...Array.from({ length: ROWS }, (_, i) => `item ${i},${i % 100}`),
    ].join('\n')
    choose(screen, new File([csv], 'items.csv', { type: 'text/csv' }))
    await expect.poll(() => text(screen, 'import-check'), { timeout: 30_000 }).toContain('Preview')
    const section = () => screen.container.querySelector<HTMLElement>('[data-slot="import-check"]')
    // Every value the bar takes, and the section's height each time (the import is quick).
    const values: number[] = []
    const heights = new Set<number>()
    const observer = new MutationObserver(() => {
      const bar = screen.container.querySelector('[role="progressbar"]')
      const now = bar?.getAttribute('aria-valuenow')
      if (now != null && Number(now) !== values.at(-1)) {
        values.push(Number(now))
        heights.add(section()!.getBoundingClientRect().height)
        expect(bar!.getAttribute('aria-valuetext')).toMatch(/^[\d,]+ of 60,000 rows written$/)
        expect(screen.container.querySelector('[data-slot="import-progress"] button')).toBe(
          document.activeElement,
        )
      }
    })
    observer.observe(screen.container, { subtree: true, attributes: true, childList: true })
    // The preview read only its first rows of the file: it does not pretend to know the count.
    expect(text(screen, 'import-summary')).toBe(
      'Of the first 5 rows of the file, 5 would be imported into items. The rest is checked as it is imported.',
    )
    // The height before the import starts: the progress row takes the buttons' place exactly.
    heights.add(section()!.getBoundingClientRect().height)
    await userEvent.click(screen.getByRole('button', { name: 'Import the whole file into items' }))
    await expect
      .poll(() => text(screen, 'import-result'), { timeout: 60_000 })
      .toContain('Imported')
    observer.disconnect()
    expect((await client.selectRows(id, 'items', { limit: 0, count: 'exact' })).count).toBe(ROWS)
    // Up batch by batch, never down, to 100; the section kept one height while the bar moved.
    expect(values.length).toBeGreaterThanOrEqual(3)
    expect(values.every((v, i) => i === 0 || v > values[i - 1]!)).toBe(true)
    expect(values.at(-1)).toBe(100)
    expect([...heights]).toHaveLength(1)
  })

  it('cancels an import from the keyboard through its signal, and offers the file again', async () => {
    const id = await database()
    const signals: AbortSignal[] = []
    // An import that answers only when aborted, as a large one still loading would; the preview is real.
    const slow = new Proxy(client, {
      get(target, key, receiver) {
        if (key === 'importData') {
          return (databaseId: string, data: string, options: ImportDataOptions) =>
            options.preview !== undefined
              ? target.importData(
                  databaseId,
                  data,
                  options as ImportDataOptions & { format: 'csv' },
                )
              : new Promise((_, reject) => {
                  signals.push(options.signal!)
                  options.onProgress?.({ unit: 'rows', done: 0, total: 2 })
                  options.signal!.addEventListener('abort', () => reject(options.signal!.reason))
                })
        }
        const value = Reflect.get(target, key, receiver)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const screen = await mount(id, {}, slow)
    choose(screen, new File(['name,qty\nApple,3\nPlum,5\n'], 'items.csv', { type: 'text/csv' }))
    await expect.poll(() => text(screen, 'import-check'), { timeout: 20_000 }).toContain('Preview')
    await userEvent.click(screen.getByRole('button', { name: 'Import 2 rows into items' }))
    const bar = screen.getByRole('progressbar', { name: 'Import progress' })
    await expect.element(bar).toHaveAttribute('aria-valuenow', '0')
    await expect.element(screen.getByRole('button', { name: 'Cancel import' })).toHaveFocus()
    await userEvent.keyboard('{Enter}')
    await expect.element(screen.getByText('Import cancelled: nothing was imported.')).toBeVisible()
    expect(signals).toHaveLength(1)
    expect(signals[0]!.aborted).toBe(true)
    await expect
      .element(screen.getByRole('button', { name: 'Import 2 rows into items' }))
      .toHaveFocus()
    expect((await client.selectRows(id, 'items')).rows).toEqual([])
  })

  it('lets a read-only owner export but not import', async () => {
    const id = await database([{ name: 'Apple', qty: 3 }])
    const files: DataTransferExport[] = []
    const screen = await mount(
      id,
      { onExport: (file) => files.push(file) },
      createLocalClient(engine, 'transfer-owner', { readOnly: true }),
    )
    await expect
      .element(
        screen.getByText('Read-only: you can export this database but not import into it.'),
        { timeout: 20_000 },
      )
      .toBeVisible()
    await expect.element(screen.getByLabelText('File to import')).toBeDisabled()
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Format' }), 'sql')
    await userEvent.click(screen.getByRole('button', { name: 'Export', exact: true }))
    await expect.poll(() => files.length, { timeout: 20_000 }).toBe(1)
    expect(await files[0]!.blob.text()).toMatch(/create table "items"/i)
  })
})
