// The TableEditor in Chromium on a real engine over PGlite: every write is checked in the database.
import type { BaseboxClient } from '@basebox/client'
import { QueryClient } from '@tanstack/react-query'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import '../../styles.css'
import { BaseboxProvider } from '../../provider.js'
import { createTestClient } from '../../test-support/local-client.js'
import { TableEditor, type TableEditorProps } from './table-editor.js'

let client: BaseboxClient
let databaseId: string
let destroy: () => Promise<void>

const SECRET = 'hunter2-seeded-secret'

beforeAll(async () => {
  ;({ client, databaseId, destroy } = await createTestClient())
  await client.createTable(databaseId, {
    name: 'items',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'name', type: 'text', required: true },
      { name: 'qty', type: 'integer' },
      { name: 'code', type: 'text', unique: true },
      { name: 'token', type: 'text', secret: true, default: SECRET },
    ],
  })
  // A fresh engine on PGlite takes long on a busy 2-core machine.
}, 240_000)

afterAll(async () => {
  await destroy?.()
})

async function seed(count = 30) {
  await client.runSQL(databaseId, 'delete from items')
  await client.insertRows(
    databaseId,
    'items',
    Array.from({ length: count }, (_, i) => ({
      id: i + 1,
      name: `item ${i + 1}`,
      qty: i + 1,
      code: `C${i + 1}`,
    })),
  )
}

async function row(id: number) {
  return (await client.selectRows(databaseId, 'items', { where: { id } })).rows[0]
}

function mount(props: Partial<TableEditorProps> = {}, use: BaseboxClient = client) {
  return render(
    <BaseboxProvider
      client={use}
      queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
    >
      <TableEditor databaseId={databaseId} table="items" storage={null} height={400} {...props} />
    </BaseboxProvider>,
  )
}

function cell(screen: Awaited<ReturnType<typeof mount>>, rowIndex: number, column: string) {
  return screen.container.querySelector<HTMLElement>(
    `[role="gridcell"][data-row="${rowIndex}"][data-column="${column}"]`,
  )
}

describe('given a TableEditor on a table with rows', () => {
  beforeEach(async () => {
    await seed()
  })

  it('edits a cell: Enter, type, Enter saves the row in the database', async () => {
    const screen = await mount()
    await expect.element(screen.getByText('item 2', { exact: true })).toBeVisible()
    await userEvent.click(cell(screen, 1, 'name')!)
    await userEvent.keyboard('{Enter}')
    const input = screen.getByRole('textbox', { name: 'name' })
    await expect.element(input).toHaveFocus()
    await userEvent.clear(input)
    await userEvent.keyboard('renamed{Enter}')
    await expect.poll(async () => (await row(2))?.name).toBe('renamed')
    await expect.element(screen.getByText('renamed', { exact: true })).toBeVisible()
    // Enter moved down, and the grid keeps focus.
    await expect.poll(() => document.activeElement === cell(screen, 2, 'name')).toBe(true)
    // Undo writes the previous value back.
    await screen.getByRole('button', { name: 'Undo' }).click()
    await expect.poll(async () => (await row(2))?.name).toBe('item 2')
    await screen.unmount()
  })

  it('shows an invalid value at the cell and saves nothing, keeping the text for correction', async () => {
    const screen = await mount()
    await expect.element(screen.getByText('item 1', { exact: true })).toBeVisible()
    await userEvent.dblClick(cell(screen, 0, 'qty')!)
    const input = screen.getByRole('textbox', { name: 'qty' })
    await userEvent.clear(input)
    await userEvent.keyboard('abc{Enter}')
    await expect
      .element(screen.getByRole('alert').filter({ hasText: 'expected a whole number' }))
      .toBeVisible()
    await expect.element(input).toHaveValue('abc')
    await userEvent.keyboard('{Escape}')
    expect((await row(1))?.qty).toBe(1)

    // The engine's typed error (a unique violation) lands at the cell too, and nothing changes.
    await userEvent.dblClick(cell(screen, 0, 'code')!)
    const code = screen.getByRole('textbox', { name: 'code' })
    await userEvent.clear(code)
    await userEvent.keyboard('C2{Enter}')
    await expect
      .poll(() => cell(screen, 0, 'code')?.querySelector('[role="alert"]')?.textContent ?? '')
      .not.toBe('')
    await expect.element(code).toHaveValue('C2')
    expect((await row(1))?.code).toBe('C1')
    await screen.unmount()
  })

  it('deletes the selected rows after a confirmation that says how many, and keeps them on cancel', async () => {
    const screen = await mount()
    await expect.element(screen.getByText('item 1', { exact: true })).toBeVisible()
    const headers = () =>
      screen.container.querySelectorAll<HTMLElement>(
        '[data-slot="table-editor-row-header"] .bb-te-row-number',
      )
    await userEvent.click(headers()[1]!)
    await userEvent.click(headers()[3]!, { modifiers: ['Shift'] } as never)
    await expect.element(screen.getByText('3 selected')).toBeVisible()
    await screen.getByRole('button', { name: 'Delete', exact: true }).click()
    const dialog = screen.getByRole('dialog')
    await expect.element(dialog.getByRole('heading', { name: 'Delete 3 rows?' })).toBeVisible()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect.element(dialog).not.toBeInTheDocument()
    expect((await client.selectRows(databaseId, 'items', { count: 'exact', limit: 0 })).count).toBe(
      30,
    )

    await screen.getByRole('button', { name: 'Delete', exact: true }).click()
    await expect
      .element(screen.getByRole('dialog').getByRole('heading', { name: 'Delete 3 rows?' }))
      .toBeVisible()
    await screen.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
    await expect
      .poll(
        async () =>
          (await client.selectRows(databaseId, 'items', { where: { id: { in: [2, 3, 4] } } })).rows
            .length,
      )
      .toBe(0)
    expect((await client.selectRows(databaseId, 'items', { count: 'exact', limit: 0 })).count).toBe(
      27,
    )
    await expect.element(screen.getByText('item 3', { exact: true })).not.toBeInTheDocument()
    await expect.element(screen.getByText('27 rows')).toBeVisible()
    await screen.unmount()
  })

  it('pastes a 3x3 block in exactly one write, and writes nothing when a cell does not parse', async () => {
    const writes: string[] = []
    // Every write method of the client, counted (the local client's methods live on its prototype).
    const counted = new Set(['insertRows', 'upsertRows', 'updateRows', 'deleteRows'])
    const counting = new Proxy(client, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown
        if (typeof value !== 'function') {
          return value
        }
        return (...args: unknown[]) => {
          if (typeof property === 'string' && counted.has(property)) {
            writes.push(property.replace('Rows', ''))
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
    const screen = await mount({}, counting)
    await expect.element(screen.getByText('item 1', { exact: true })).toBeVisible()
    await userEvent.click(cell(screen, 0, 'name')!)
    const paste = (text: string) => {
      const data = new DataTransfer()
      data.setData('text/plain', text)
      cell(screen, 0, 'name')!.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      )
    }

    paste('bad\tnot a number\tX1\nb\t20\tX2\nc\t30\tX3\n')
    await expect.element(screen.getByText('Nothing pasted: 1 cell has an error.')).toBeVisible()
    await expect
      .poll(() => cell(screen, 0, 'qty')?.querySelector('[role="alert"]')?.textContent)
      .toBe('expected a whole number')
    expect(writes).toEqual([])

    paste('a\t10\tX1\nb\t20\tX2\nc\t30\tX3\n')
    await expect.poll(async () => (await row(3))?.code).toBe('X3')
    expect(writes).toEqual(['upsert'])
    expect([await row(1), await row(2), await row(3)]).toEqual([
      { id: 1, name: 'a', qty: 10, code: 'X1' },
      { id: 2, name: 'b', qty: 20, code: 'X2' },
      { id: 3, name: 'c', qty: 30, code: 'X3' },
    ])
    expect(await row(4)).toEqual({ id: 4, name: 'item 4', qty: 4, code: 'C4' })
    await screen.unmount()
  })

  it('edits with the keyboard alone: Tab in, arrows, Enter, type, Enter; focus stays in the grid', async () => {
    const screen = await mount()
    await expect.element(screen.getByText('item 1', { exact: true })).toBeVisible()
    ;(screen.getByRole('button', { name: 'Add row' }).element() as HTMLElement).focus()
    await userEvent.keyboard('{Tab}')
    await expect.poll(() => document.activeElement === cell(screen, 0, 'id')).toBe(true)
    await userEvent.keyboard('{ArrowRight}{ArrowDown}{ArrowDown}')
    await expect.poll(() => document.activeElement === cell(screen, 2, 'name')).toBe(true)
    await userEvent.keyboard('{Enter}')
    await expect.element(screen.getByRole('textbox', { name: 'name' })).toHaveFocus()
    await userEvent.keyboard('{Control>}a{/Control}typed by keys{Enter}')
    await expect.poll(async () => (await row(3))?.name).toBe('typed by keys')
    await expect.poll(() => document.activeElement === cell(screen, 3, 'name')).toBe(true)
    // A printable key starts editing with it; Escape cancels and keeps focus.
    await userEvent.keyboard('z')
    await expect.element(screen.getByRole('textbox', { name: 'name' })).toHaveValue('z')
    await userEvent.keyboard('{Escape}')
    await expect.poll(() => document.activeElement === cell(screen, 3, 'name')).toBe(true)
    expect((await row(4))?.name).toBe('item 4')
    await screen.unmount()
  })

  it(
    'sorts and filters in the engine: header clicks and filter chips change the rows shown',
    { timeout: 180_000 },
    async () => {
      const screen = await mount()
      await expect.element(screen.getByText('item 1', { exact: true })).toBeVisible()
      const qtyHeader = screen.getByRole('columnheader', { name: /qty/ })
      await qtyHeader.getByRole('button').first().click()
      await expect.element(qtyHeader).toHaveAttribute('aria-sort', 'ascending')
      await qtyHeader.getByRole('button').first().click()
      await expect.element(qtyHeader).toHaveAttribute('aria-sort', 'descending')
      await expect.poll(() => cell(screen, 0, 'name')?.textContent).toBe('item 30')

      await screen.getByRole('button', { name: '+ Filter' }).click()
      const popover = screen.getByRole('dialog')
      await userEvent.selectOptions(popover.getByRole('combobox', { name: 'Column' }), 'qty')
      await userEvent.selectOptions(popover.getByRole('combobox', { name: 'Operator' }), 'lte')
      await popover.getByRole('textbox', { name: 'Value' }).fill('5')
      await popover.getByRole('button', { name: 'Apply' }).click()
      await expect
        .element(screen.getByRole('button', { name: 'Edit filter qty ≤ 5' }))
        .toBeVisible()
      await expect.element(screen.getByText('5 rows')).toBeVisible()
      await expect.poll(() => cell(screen, 0, 'name')?.textContent).toBe('item 5')
      expect(screen.container.querySelectorAll('[data-slot="table-editor-row"]').length).toBe(5)

      // Edit the chip: qty ≤ 5 becomes qty ≤ 2.
      await screen.getByRole('button', { name: 'Edit filter qty ≤ 5' }).click()
      await screen.getByRole('dialog').getByRole('textbox', { name: 'Value' }).fill('2')
      await screen.getByRole('dialog').getByRole('button', { name: 'Apply' }).click()
      await expect.element(screen.getByText('2 rows')).toBeVisible()

      await screen.getByRole('button', { name: 'Remove filter qty ≤ 2' }).click()
      await expect.element(screen.getByText('30 rows')).toBeVisible()

      // The quick search is an ilike over the text columns.
      await screen.getByRole('searchbox', { name: 'Search text columns' }).fill('item 1')
      await expect.element(screen.getByText('11 rows')).toBeVisible()
      await screen.unmount()
    },
  )

  it('never puts a secret column, its name or its values in the DOM', async () => {
    const screen = await mount()
    await expect.element(screen.getByText('item 1', { exact: true })).toBeVisible()
    expect(
      (
        await client.runSQL(
          databaseId,
          "select count(*)::int as n from items where token = 'hunter2-seeded-secret'",
        )
      ).statements[0]?.rows[0]?.[0],
    ).toBe(30)
    await screen.getByRole('button', { name: 'Columns' }).click()
    await expect.element(screen.getByRole('menuitemcheckbox', { name: 'code' })).toBeVisible()
    expect(document.body.innerHTML).not.toContain(SECRET)
    expect(document.body.innerHTML).not.toContain('token')
    await userEvent.keyboard('{Escape}')
    await screen.unmount()
  })

  it('adds a row through the draft row at the top, saved on Enter', async () => {
    const screen = await mount()
    await expect.element(screen.getByText('item 1', { exact: true })).toBeVisible()
    await screen.getByRole('button', { name: 'Add row' }).click()
    await screen.getByRole('textbox', { name: 'New id' }).fill('500')
    await screen.getByRole('textbox', { name: 'New name' }).fill('fresh')
    await userEvent.keyboard('{Enter}')
    await expect.poll(async () => (await row(500))?.name).toBe('fresh')
    await expect.element(screen.getByText('31 rows')).toBeVisible()
    await screen.unmount()
  })
})

describe('given a TableEditor in other states', () => {
  it('remembers hidden columns per table through the storage prop', async () => {
    await seed(3)
    const data = new Map<string, string>()
    const storage = {
      getItem: (key: string) => data.get(key) ?? null,
      setItem: (key: string, value: string) => void data.set(key, value),
    }
    const first = await mount({ storage })
    await expect.element(first.getByText('item 1', { exact: true })).toBeVisible()
    await first.getByRole('button', { name: 'qty column menu' }).click()
    await first.getByRole('menuitem', { name: 'Hide column' }).click()
    await expect.element(first.getByRole('columnheader', { name: /qty/ })).not.toBeInTheDocument()
    await first.unmount()
    expect(JSON.parse(data.get(`basebox:table-editor:${databaseId}:items`)!).visibility).toEqual({
      qty: false,
    })

    const second = await mount({ storage })
    await expect.element(second.getByText('item 1', { exact: true })).toBeVisible()
    await expect.element(second.getByRole('columnheader', { name: /code/ })).toBeVisible()
    expect(second.container.querySelector('[role="columnheader"][data-column="qty"]')).toBeNull()
    await second.unmount()
  })

  it('shows an empty table with a button that adds the first row', async () => {
    await seed(0)
    const screen = await mount()
    await expect.element(screen.getByText('This table has no rows yet.')).toBeVisible()
    await screen.getByRole('button', { name: 'Add the first row' }).click()
    await expect.element(screen.getByRole('textbox', { name: 'New id' })).toHaveFocus()
    await screen.unmount()
  })

  it('is read-only for a table without a primary key, and when asked', async () => {
    await client.createTable(databaseId, { name: 'log', columns: [{ name: 'line', type: 'text' }] })
    await client.insertRows(databaseId, 'log', [{ line: 'first line' }])
    const screen = await mount({ table: 'log' })
    await expect.element(screen.getByText('first line', { exact: true })).toBeVisible()
    await userEvent.dblClick(cell(screen, 0, 'line')!)
    await userEvent.keyboard('{Enter}')
    expect(screen.container.querySelector('input[aria-label="line"]')).toBeNull()
    await expect.element(screen.getByRole('grid')).toHaveAttribute('aria-readonly', 'true')
    expect(screen.container.textContent).not.toContain('Add row')
    await screen.unmount()

    await seed(2)
    const asked = await mount({ readOnly: true })
    await expect.element(asked.getByText('item 1', { exact: true })).toBeVisible()
    await userEvent.dblClick(cell(asked, 0, 'name')!)
    expect(asked.container.querySelector('input[aria-label="name"]')).toBeNull()
    await asked.unmount()
  })

  it('selects all rows matching the filter and says how many the delete would take', async () => {
    await seed(30)
    const screen = await mount()
    await expect.element(screen.getByText('30 rows')).toBeVisible()
    await userEvent.click(
      screen.container.querySelector<HTMLElement>(
        '[data-slot="table-editor-row-header"] .bb-te-row-number',
      )!,
    )
    await screen.getByRole('button', { name: 'Select all matching' }).click()
    await screen.getByRole('button', { name: 'Delete', exact: true }).click()
    await expect
      .element(screen.getByRole('dialog').getByRole('heading', { name: 'Delete 30 rows?' }))
      .toBeVisible()
    await screen.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()
    expect((await client.selectRows(databaseId, 'items', { count: 'exact', limit: 0 })).count).toBe(
      30,
    )
    await screen.unmount()
  })
})

describe('given a TableEditor on 100,000 rows', () => {
  it(
    'renders a bounded number of rows and reaches the last ones by scrolling',
    { timeout: 300_000 },
    async () => {
      await client.createTable(databaseId, {
        name: 'big',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'label', type: 'text' },
        ],
      })
      await client.runSQL(
        databaseId,
        "insert into big select g, 'row ' || g from generate_series(1, 100000) g",
        [],
        { timeoutMs: 120_000 },
      )
      const screen = await mount({ table: 'big' })
      await expect.element(screen.getByText('row 1', { exact: true })).toBeVisible()
      const grid = screen.container.querySelector<HTMLElement>('[role="grid"]')!
      const rows = () => screen.container.querySelectorAll('[data-slot="table-editor-row"]').length
      expect(rows()).toBeLessThan(60)
      await expect
        .poll(
          () => {
            grid.scrollTop = grid.scrollHeight
            return screen.container.textContent?.includes('row 100000') === true
          },
          { timeout: 120_000, interval: 250 },
        )
        .toBe(true)
      await expect.element(screen.getByText('row 100000', { exact: true })).toBeVisible()
      // aria-rowcount counts the header row too (ARIA): 100,000 rows + 1.
      expect(grid.getAttribute('aria-rowcount')).toBe('100001')
      expect(screen.getByText('100,000 rows', { exact: true }).element()).toBeTruthy()
      expect(rows()).toBeLessThan(60)
      await screen.unmount()
    },
  )
})
