// More TableEditor flows in Chromium on a real engine over PGlite: the expand-row side panel, ARIA
// row counting, radix portals following a dark page, copy of cells and rows as TSV, Shift+arrow
// ranges, column resize and reorder remembered per table, duplicate a row, read-only after a
// FORBIDDEN write, focus kept after a save. Every write is checked in the database.
import { BaseboxError, type BaseboxClient } from '@basebox/client'
import { QueryClient } from '@tanstack/react-query'
import { createLocalClient, type Basebox } from '@basebox/core'
import { useState, type ReactNode } from 'react'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import '../../styles.css'
import { BaseboxProvider } from '../../provider.js'
import { createTestClient } from '../../test-support/local-client.js'
import { RecordForm } from '../record-form/record-form.js'
import {
  TableEditor,
  type TableEditorFilter,
  type TableEditorProps,
  type TableEditorSorting,
} from './table-editor.js'

let client: BaseboxClient
let databaseId: string
let destroy: () => Promise<void>
let engine: Basebox

beforeAll(async () => {
  ;({ client, databaseId, destroy, engine } = await createTestClient())
  await client.createTable(databaseId, {
    name: 'people',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'name', type: 'text', required: true },
      { name: 'email', type: 'text', unique: true },
      { name: 'age', type: 'integer' },
    ],
  })
}, 240_000)

afterAll(async () => {
  await destroy?.()
})

beforeEach(async () => {
  await client.runSQL(databaseId, 'delete from people')
  await client.insertRows(
    databaseId,
    'people',
    Array.from({ length: 5 }, (_, i) => ({
      id: i + 1,
      name: `person ${i + 1}`,
      email: `p${i + 1}@example.com`,
      age: 20 + i,
    })),
  )
})

let consoleErrors: string[] = []
beforeEach(() => {
  consoleErrors = []
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    consoleErrors.push(args.map(String).join(' '))
  })
})
afterEach(() => {
  vi.restoreAllMocks()
})

function mount(
  props: Partial<TableEditorProps> = {},
  use: BaseboxClient = client,
  wrap: (node: ReactNode) => ReactNode = (node) => node,
) {
  return render(
    <BaseboxProvider
      client={use}
      queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
    >
      {wrap(
        <TableEditor
          databaseId={databaseId}
          table="people"
          storage={null}
          height={400}
          {...props}
        />,
      )}
    </BaseboxProvider>,
  )
}

type Screen = Awaited<ReturnType<typeof mount>>

const grid = (screen: Screen) => screen.container.querySelector<HTMLElement>('[role="grid"]')!
const cell = (screen: Screen, rowIndex: number, column: string) =>
  screen.container.querySelector<HTMLElement>(
    `[role="gridcell"][data-row="${rowIndex}"][data-column="${column}"]`,
  )
const rowHeader = (screen: Screen, rowIndex: number) =>
  screen.container.querySelectorAll<HTMLElement>(
    '[data-slot="table-editor-row-header"] .bb-te-row-number',
  )[rowIndex]!
const person = async (id: number) =>
  (await client.selectRows(databaseId, 'people', { where: { id } })).rows[0]

function copyFrom(element: Element): string {
  const data = new DataTransfer()
  element.dispatchEvent(
    new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }),
  )
  return data.getData('text/plain')
}

/** A client whose writes are refused as a server refuses a caller without the right. */
function forbidding(base: BaseboxClient): { client: BaseboxClient; attempts: string[] } {
  const attempts: string[] = []
  const refused = new Set(['insertRows', 'updateRows', 'upsertRows', 'deleteRows'])
  return {
    attempts,
    client: new Proxy(base, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver)
        if (typeof property === 'string' && refused.has(property)) {
          return () => {
            attempts.push(property)
            return Promise.reject(new BaseboxError('FORBIDDEN', 'you may not write to "people"'))
          }
        }
        return typeof value === 'function'
          ? (value as (...a: unknown[]) => unknown).bind(target)
          : value
      },
    }),
  }
}

describe('given the expand-row side panel', () => {
  it('opens the row in a RecordForm over the grid, saves it to the database, closes and puts focus back on the row, with no render loop', async () => {
    const screen = await mount()
    await expect.element(screen.getByText('person 2', { exact: true })).toBeVisible()
    await userEvent.click(screen.getByRole('button', { name: 'Expand row 2' }))
    const panel = screen.getByRole('dialog', { name: 'Edit people row' })
    await expect.element(panel).toBeVisible()
    await expect
      .element(panel.getByRole('textbox', { name: 'email', exact: true }))
      .toHaveValue('p2@example.com')
    await panel.getByRole('textbox', { name: 'age', exact: true }).fill('77')
    await panel.getByRole('button', { name: 'Save' }).click()
    await expect.poll(async () => (await person(2))?.age).toBe(77)
    await expect.element(panel).not.toBeInTheDocument()
    // The grid shows the saved value, and focus is on the expanded row again.
    await expect.poll(() => cell(screen, 1, 'age')?.textContent).toBe('77')
    await expect
      .poll(() => (document.activeElement as HTMLElement | null)?.getAttribute('data-row'))
      .toBe('1')
    expect(grid(screen).contains(document.activeElement)).toBe(true)
    expect(consoleErrors.filter((e) => /Maximum update depth|infinite loop/i.test(e))).toEqual([])
    await screen.unmount()
  })

  it('opens from the keyboard (Alt+Enter) and Escape closes a clean panel without writing', async () => {
    const writes: string[] = []
    const counting = new Proxy(client, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver)
        if (typeof value !== 'function') {
          return value
        }
        return (...args: unknown[]) => {
          if (
            typeof property === 'string' &&
            /^(insert|update|upsert|delete)Rows$/.test(property)
          ) {
            writes.push(property)
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
    const screen = await mount({}, counting)
    await expect.element(screen.getByText('person 3', { exact: true })).toBeVisible()
    await userEvent.click(cell(screen, 2, 'name')!)
    await userEvent.keyboard('{Alt>}{Enter}{/Alt}')
    const panel = screen.getByRole('dialog', { name: 'Edit people row' })
    await expect
      .element(panel.getByRole('textbox', { name: 'name', exact: true }))
      .toHaveValue('person 3')
    await userEvent.keyboard('{Escape}')
    await expect.element(panel).not.toBeInTheDocument()
    await expect.poll(() => document.activeElement === cell(screen, 2, 'name')).toBe(true)
    expect(writes).toEqual([])
    expect(consoleErrors.filter((e) => /Maximum update depth/i.test(e))).toEqual([])
    await screen.unmount()
  })
})

describe('given the ARIA grid', () => {
  it('counts the header row in aria-rowcount, and numbers rows after it (the draft row too)', async () => {
    const screen = await mount()
    await expect.element(screen.getByText('person 5', { exact: true })).toBeVisible()
    await expect.poll(() => grid(screen).getAttribute('aria-rowcount')).toBe('6')
    const indexes = () =>
      [...grid(screen).querySelectorAll('[role="row"]')].map((row) =>
        Number(row.getAttribute('aria-rowindex')),
      )
    expect(indexes()).toEqual([1, 2, 3, 4, 5, 6])
    expect(
      screen.container
        .querySelector('[data-slot="table-editor-head"] [role="row"]')!
        .getAttribute('aria-rowindex'),
    ).toBe('1')
    // A draft row is one more row, right under the header.
    await screen.getByRole('button', { name: 'Add row' }).click()
    await expect.poll(() => grid(screen).getAttribute('aria-rowcount')).toBe('7')
    expect(indexes()).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(
      screen.container
        .querySelector('[data-slot="table-editor-draft-row"]')!
        .getAttribute('aria-rowindex'),
    ).toBe('2')
    await screen.unmount()
  })
})

describe('given a dark host page', () => {
  it('renders the grid and its portalled menu, dialog and panel dark, though they live under document.body', async () => {
    const screen = await mount({}, client, (node) => <div data-theme="dark">{node}</div>)
    await expect.element(screen.getByText('person 1', { exact: true })).toBeVisible()
    const darkBg = 'rgb(23, 23, 26)'
    expect(
      getComputedStyle(screen.container.querySelector('.bb-table-editor')!).backgroundColor,
    ).toBe(darkBg)

    await screen.getByRole('button', { name: 'Columns' }).click()
    const menu = document.querySelector<HTMLElement>('.bb-te-menu')!
    await expect.element(screen.getByRole('menuitemcheckbox', { name: 'email' })).toBeVisible()
    expect(screen.container.contains(menu)).toBe(false)
    expect(getComputedStyle(menu).backgroundColor).not.toBe('rgb(255, 255, 255)')
    expect(getComputedStyle(menu).colorScheme).toBe('dark')
    await userEvent.keyboard('{Escape}')

    await userEvent.click(rowHeader(screen, 0))
    await screen.getByRole('button', { name: 'Delete', exact: true }).click()
    const dialog = document.querySelector<HTMLElement>('[data-slot="table-editor-delete-dialog"]')!
    await expect
      .element(screen.getByRole('dialog').getByRole('heading', { name: 'Delete 1 row?' }))
      .toBeVisible()
    expect(getComputedStyle(dialog).colorScheme).toBe('dark')
    await screen.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()

    await userEvent.click(screen.getByRole('button', { name: 'Expand row 1' }))
    await expect.element(screen.getByRole('dialog', { name: 'Edit people row' })).toBeVisible()
    const sheet = document.querySelector<HTMLElement>('[data-slot="record-form-panel"]')!
    expect(getComputedStyle(sheet).backgroundColor).toBe(darkBg)
    await userEvent.keyboard('{Escape}')
    await screen.unmount()
  })
})

describe('given a host that switches its theme while a menu is open', () => {
  it('the open portalled menu follows the page at once, without the grid rendering again', async () => {
    const screen = await mount({}, client, (node) => (
      <div data-theme="light" data-testid="host-page">
        {node}
      </div>
    ))
    await expect.element(screen.getByText('person 1', { exact: true })).toBeVisible()
    await screen.getByRole('button', { name: 'Columns' }).click()
    await expect.element(screen.getByRole('menuitemcheckbox', { name: 'email' })).toBeVisible()
    const menu = document.querySelector<HTMLElement>('.bb-te-menu')!
    expect(getComputedStyle(menu).colorScheme).toBe('light')
    // The host flips the attribute itself (a toggle outside React), the menu stays open.
    screen.getByTestId('host-page').element().setAttribute('data-theme', 'dark')
    await expect.poll(() => getComputedStyle(menu).colorScheme).toBe('dark')
    expect(
      getComputedStyle(screen.container.querySelector('.bb-table-editor')!).backgroundColor,
    ).toBe('rgb(23, 23, 26)')
    await expect.element(screen.getByRole('menuitemcheckbox', { name: 'email' })).toBeVisible()
    await userEvent.keyboard('{Escape}')
    await screen.unmount()
  })
})

describe('given a selection', () => {
  it('extends a range with Shift+arrows and copies it as TSV; copies selected rows whole from the row gutter', async () => {
    const screen = await mount()
    await expect.element(screen.getByText('person 1', { exact: true })).toBeVisible()
    await userEvent.click(cell(screen, 0, 'name')!)
    await userEvent.keyboard('{Shift>}{ArrowDown}{ArrowRight}{/Shift}')
    const selected = () =>
      [...grid(screen).querySelectorAll('[role="gridcell"][aria-selected="true"]')].map(
        (c) => `${c.getAttribute('data-row')}:${c.getAttribute('data-column')}`,
      )
    await expect.poll(selected).toEqual(['0:name', '0:email', '1:name', '1:email'])
    expect(copyFrom(document.activeElement!)).toBe(
      'person 1\tp1@example.com\nperson 2\tp2@example.com',
    )
    // Shift+ArrowUp shrinks it back toward the anchor.
    await userEvent.keyboard('{Shift>}{ArrowUp}{/Shift}')
    await expect.poll(selected).toEqual(['0:name', '0:email'])

    await userEvent.click(rowHeader(screen, 1))
    await userEvent.click(rowHeader(screen, 2), { modifiers: ['Shift'] } as never)
    await expect.element(screen.getByText('2 selected')).toBeVisible()
    expect(copyFrom(rowHeader(screen, 2))).toBe(
      '2\tperson 2\tp2@example.com\t21\n3\tperson 3\tp3@example.com\t22',
    )
    await screen.unmount()
  })
})

describe('given the column layout', () => {
  it('resizes a column by dragging its edge and moves it right, both remembered per table in the host storage', async () => {
    const data = new Map<string, string>()
    const storage = {
      getItem: (key: string) => data.get(key) ?? null,
      setItem: (key: string, value: string) => void data.set(key, value),
    }
    const first = await mount({ storage })
    await expect.element(first.getByText('person 1', { exact: true })).toBeVisible()
    const header = (screen: Screen, column: string) =>
      screen.container.querySelector<HTMLElement>(`[role="columnheader"][data-column="${column}"]`)!
    const before = header(first, 'name').getBoundingClientRect().width
    const resizer = header(first, 'name').querySelector<HTMLElement>(
      '[data-slot="table-editor-column-resizer"]',
    )!
    const box = resizer.getBoundingClientRect()
    const x = box.left + box.width / 2
    const y = box.top + box.height / 2
    resizer.dispatchEvent(
      new MouseEvent('mousedown', { bubbles: true, clientX: x, clientY: y, button: 0 }),
    )
    document.dispatchEvent(
      new MouseEvent('mousemove', { bubbles: true, clientX: x + 40, clientY: y }),
    )
    document.dispatchEvent(
      new MouseEvent('mousemove', { bubbles: true, clientX: x + 80, clientY: y }),
    )
    document.dispatchEvent(
      new MouseEvent('mouseup', { bubbles: true, clientX: x + 80, clientY: y }),
    )
    await expect.poll(() => header(first, 'name').getBoundingClientRect().width).toBe(before + 80)
    // The cells follow their header.
    expect(cell(first, 0, 'name')!.getBoundingClientRect().width).toBe(before + 80)

    await first.getByRole('button', { name: 'name column menu' }).click()
    await first.getByRole('menuitem', { name: 'Move right' }).click()
    const order = (screen: Screen) =>
      [...screen.container.querySelectorAll('[role="columnheader"][data-column]')].map((h) =>
        h.getAttribute('data-column'),
      )
    await expect.poll(() => order(first)).toEqual(['id', 'email', 'name', 'age'])
    await first.unmount()
    const saved = JSON.parse(data.get(`basebox:table-editor:${databaseId}:people`)!) as {
      sizing: Record<string, number>
      order: string[]
    }
    expect(saved.sizing.name).toBe(before + 80)
    expect(saved.order).toEqual(['id', 'email', 'name', 'age'])

    const again = await mount({ storage })
    await expect.element(again.getByText('person 1', { exact: true })).toBeVisible()
    expect(order(again)).toEqual(['id', 'email', 'name', 'age'])
    expect(header(again, 'name').getBoundingClientRect().width).toBe(before + 80)
    await again.unmount()
    // Another table has its own layout: nothing of people's under its key.
    expect([...data.keys()]).toEqual([`basebox:table-editor:${databaseId}:people`])
  })
})

describe('given a row to duplicate', () => {
  it('copies its values into the draft row (not the key nor unique columns) and saves a new row on Enter', async () => {
    const screen = await mount()
    await expect.element(screen.getByText('person 4', { exact: true })).toBeVisible()
    await userEvent.click(rowHeader(screen, 3))
    await screen.getByRole('button', { name: 'Duplicate' }).click()
    await expect.element(screen.getByRole('textbox', { name: 'New name' })).toHaveValue('person 4')
    await expect.element(screen.getByRole('textbox', { name: 'New age' })).toHaveValue('23')
    await expect.element(screen.getByRole('textbox', { name: 'New id' })).toHaveValue('')
    await expect.element(screen.getByRole('textbox', { name: 'New email' })).toHaveValue('')
    await screen.getByRole('textbox', { name: 'New id' }).fill('40')
    await userEvent.keyboard('{Enter}')
    await expect
      .poll(async () => person(40))
      .toEqual({ id: 40, name: 'person 4', email: null, age: 23 })
    expect(await person(4)).toEqual({ id: 4, name: 'person 4', email: 'p4@example.com', age: 23 })
    await expect.element(screen.getByText('6 rows')).toBeVisible()
    await screen.unmount()
  })
})

describe('given a client that may not write the table', () => {
  it('turns read-only after the first FORBIDDEN write: says why, keeps the value, opens no editor again, writes nothing', async () => {
    const refusing = forbidding(client)
    const screen = await mount({}, refusing.client)
    await expect.element(screen.getByText('person 1', { exact: true })).toBeVisible()
    expect(grid(screen).getAttribute('aria-readonly')).toBeNull()
    await userEvent.click(cell(screen, 0, 'name')!)
    await userEvent.keyboard('{Enter}{Control>}a{/Control}changed{Enter}')
    await expect.element(screen.getByText(/The table is read-only for you/)).toBeVisible()
    await expect.poll(() => grid(screen).getAttribute('aria-readonly')).toBe('true')
    expect(refusing.attempts).toEqual(['updateRows'])
    expect(screen.container.textContent).not.toContain('Add row')
    // No editor opens any more, Delete clears nothing, a paste writes nothing.
    await userEvent.click(cell(screen, 1, 'name')!)
    await userEvent.keyboard('{Enter}')
    await userEvent.keyboard('x')
    expect(
      screen.container.querySelector('[role="gridcell"] input, [role="gridcell"] textarea'),
    ).toBeNull()
    await userEvent.keyboard('{Delete}')
    const data = new DataTransfer()
    data.setData('text/plain', 'pasted')
    document.activeElement!.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    )
    expect(refusing.attempts).toEqual(['updateRows'])
    expect(await person(1)).toMatchObject({ name: 'person 1' })
    expect(await person(2)).toMatchObject({ name: 'person 2' })
    await screen.unmount()
  })
})

describe('given a save', () => {
  it('keeps focus in the grid after Tab commits a cell (moving right) and after Enter commits one (moving down)', async () => {
    const screen = await mount()
    await expect.element(screen.getByText('person 1', { exact: true })).toBeVisible()
    await userEvent.click(cell(screen, 0, 'name')!)
    await userEvent.keyboard('{Enter}{Control>}a{/Control}tabbed{Tab}')
    await expect.poll(async () => (await person(1))?.name).toBe('tabbed')
    await expect.poll(() => document.activeElement === cell(screen, 0, 'email')).toBe(true)
    // Typing goes on from there without a click.
    await userEvent.keyboard('{ArrowDown}{Enter}{Control>}a{/Control}p22@example.com{Enter}')
    await expect.poll(async () => (await person(2))?.email).toBe('p22@example.com')
    await expect.poll(() => document.activeElement === cell(screen, 2, 'email')).toBe(true)
    await screen.unmount()
  })
})

describe('given a TableEditor in controlled mode', () => {
  it('shows the sort keys the host holds, and asks the host on a header click instead of sorting by itself', async () => {
    const asked: TableEditorSorting[] = []
    function Host({ follow }: { follow: boolean }) {
      const [sorting, setSorting] = useState<TableEditorSorting>([{ id: 'age', desc: true }])
      return (
        <TableEditor
          databaseId={databaseId}
          table="people"
          storage={null}
          height={400}
          sorting={sorting}
          onSortingChange={(next) => {
            asked.push(next)
            if (follow) {
              setSorting(next)
            }
          }}
        />
      )
    }
    const header = (screen: Screen, column: string) =>
      screen.container.querySelector<HTMLElement>(`[role="columnheader"][data-column="${column}"]`)!
    const ignoring = await mount({}, client, () => <Host follow={false} />)
    await expect.poll(() => cell(ignoring, 0, 'name')?.textContent).toBe('person 5')
    expect(header(ignoring, 'age').getAttribute('aria-sort')).toBe('descending')
    header(ignoring, 'name').querySelector<HTMLElement>('.bb-te-th-sort')!.click()
    expect(asked).toEqual([[{ id: 'name', desc: false }]])
    // The host kept its keys: nothing changes.
    expect(header(ignoring, 'name').getAttribute('aria-sort')).toBe('none')
    expect(header(ignoring, 'age').getAttribute('aria-sort')).toBe('descending')
    await ignoring.unmount()

    asked.length = 0
    const following = await mount({}, client, () => <Host follow />)
    await expect.poll(() => cell(following, 0, 'name')?.textContent).toBe('person 5')
    header(following, 'name').querySelector<HTMLElement>('.bb-te-th-sort')!.click()
    await expect.poll(() => header(following, 'name').getAttribute('aria-sort')).toBe('ascending')
    expect(header(following, 'age').getAttribute('aria-sort')).toBe('none')
    expect(asked).toEqual([[{ id: 'name', desc: false }]])
    await expect.poll(() => cell(following, 0, 'name')?.textContent).toBe('person 1')
    await following.unmount()
  })
})

describe('given a client whose identity may not write at all (a read-only owner)', () => {
  it('is read-only from the start and says why, before any write is tried; RecordForm too', async () => {
    const viewer = createLocalClient(engine, 'test-owner', { readOnly: true })
    const info = await viewer.getTable(databaseId, 'people')
    expect(info.permissions).toEqual({ select: true, insert: false, update: false, delete: false })
    const screen = await mount({}, viewer)
    await expect.element(screen.getByText('person 1', { exact: true })).toBeVisible()
    await expect
      .element(screen.getByText('Read-only: you may not change the rows of this table.'))
      .toBeVisible()
    await expect.poll(() => grid(screen).getAttribute('aria-readonly')).toBe('true')
    expect(screen.container.textContent).not.toContain('Add row')
    await userEvent.click(cell(screen, 0, 'name')!)
    await userEvent.keyboard('{Enter}')
    expect(
      screen.container.querySelector('[role="gridcell"] input, [role="gridcell"] textarea'),
    ).toBeNull()
    await userEvent.keyboard('{Delete}')
    expect(await person(1)).toMatchObject({ name: 'person 1' })
    await screen.unmount()

    const form = await render(
      <BaseboxProvider
        client={viewer}
        queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
      >
        <RecordForm databaseId={databaseId} table="people" />
      </BaseboxProvider>,
    )
    await expect
      .element(form.getByText('Read-only: you may not add rows to this table.'))
      .toBeVisible()
    expect(form.container.querySelector<HTMLButtonElement>('button[type="submit"]')!.disabled).toBe(
      true,
    )
    form.container
      .querySelector('form')!
      .dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect((await client.selectRows(databaseId, 'people', {})).rows).toHaveLength(5)
    await form.unmount()
  })
})

describe('given a TableEditor with controlled filter and search', () => {
  const older: TableEditorFilter = {
    kind: 'group',
    id: 'root',
    join: 'and',
    items: [{ kind: 'condition', id: 'c1', column: 'age', operator: 'gt', value: '22' }],
  }

  it('shows the rows of the filter the host holds, and tells the host when a chip is removed', async () => {
    const asked: TableEditorFilter[] = []
    function Host() {
      const [filter, setFilter] = useState<TableEditorFilter>(older)
      return (
        <TableEditor
          databaseId={databaseId}
          table="people"
          storage={null}
          height={400}
          filter={filter}
          onFilterChange={(next) => {
            asked.push(next)
            setFilter(next)
          }}
        />
      )
    }
    const screen = await mount({}, client, () => <Host />)
    await expect.element(screen.getByText('person 4', { exact: true })).toBeVisible()
    expect(screen.container.textContent).not.toContain('person 1')
    expect(
      screen.container.querySelectorAll('[data-slot="table-editor-filter-chip"]'),
    ).toHaveLength(1)
    await userEvent.click(screen.container.querySelector<HTMLElement>('.bb-te-chip-remove')!)
    expect(asked).toEqual([{ ...older, items: [] }])
    await expect.element(screen.getByText('person 1', { exact: true })).toBeVisible()
    await screen.unmount()
  })

  it('searches by the text the host holds, and asks the host as the user types instead of searching by itself', async () => {
    const asked: string[] = []
    const screen = await mount({ search: 'person 2', onSearchChange: (next) => asked.push(next) })
    await expect.element(screen.getByText('person 2', { exact: true })).toBeVisible()
    expect(screen.container.textContent).not.toContain('person 1')
    const box = screen.getByRole('searchbox', { name: 'Search text columns' })
    await expect.element(box).toHaveValue('person 2')
    await userEvent.type(box, 'x')
    expect(asked).toEqual(['person 2x'])
    // The host did not follow: the box and the rows stay as the host holds them.
    await expect.element(box).toHaveValue('person 2')
    await expect.element(screen.getByText('person 2', { exact: true })).toBeVisible()
    await screen.unmount()
  })

  it('starts from defaultSearch when uncontrolled and then searches by itself', async () => {
    const screen = await mount({ defaultSearch: 'person 5' })
    await expect.element(screen.getByText('person 5', { exact: true })).toBeVisible()
    expect(screen.container.textContent).not.toContain('person 1')
    const box = screen.getByRole('searchbox', { name: 'Search text columns' })
    await userEvent.clear(box)
    await userEvent.type(box, 'person 3')
    await expect.element(screen.getByText('person 3', { exact: true })).toBeVisible()
    await expect.poll(() => screen.container.textContent?.includes('person 5')).toBe(false)
    await screen.unmount()
  })
})
