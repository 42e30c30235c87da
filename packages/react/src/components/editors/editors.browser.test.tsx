// The value editors in Chromium, on a real engine over PGlite (the reference picker searches it).
import type { BaseboxClient, ColumnDefinition } from '@basebox/client'
import { QueryClient } from '@tanstack/react-query'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { render } from 'vitest-browser-react'
import { userEvent } from 'vitest/browser'
import { BaseboxProvider } from '../../provider.js'
import { createTestClient } from '../../test-support/local-client.js'
import { editorFor, ReferenceLabel, renderValue, type CommitMove } from './index.js'

let client: BaseboxClient
let databaseId: string
let destroy: () => Promise<void>
let alice: string
let bob: string

beforeAll(async () => {
  ;({ client, databaseId, destroy } = await createTestClient())
  await client.createTable(databaseId, {
    name: 'authors',
    columns: [
      { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
      { name: 'name', type: 'text', required: true },
    ],
  })
  const rows = await client.insertRows<{ id: string; name: string }>(databaseId, 'authors', [
    { name: 'Alice Liddell' },
    { name: 'Bob Dylan' },
    { name: 'Carol Danvers' },
  ])
  alice = rows[0]!.id
  bob = rows[1]!.id
  // A fresh engine takes long on a loaded machine (2 cores, other suites running).
}, 180_000)

afterAll(async () => {
  await destroy?.()
})

interface Commit {
  value: unknown
  move: CommitMove | undefined
}

async function mount(
  column: ColumnDefinition,
  value: unknown,
  variant: 'cell' | 'field' = 'cell',
  initialInput?: string,
) {
  const commits: Commit[] = []
  const cancels: number[] = []
  const errors: (string | undefined)[] = []
  const Editor = editorFor(column)
  const screen = await render(
    <BaseboxProvider client={client} queryClient={new QueryClient()}>
      <div className="bb-root" style={{ width: 420 }}>
        <Editor
          databaseId={databaseId}
          column={column}
          value={value}
          variant={variant}
          id="edit"
          {...(initialInput === undefined ? {} : { initialInput })}
          onCommit={(v, move) => commits.push({ value: v, move })}
          onCancel={() => cancels.push(1)}
          onInputError={(message) => errors.push(message)}
        />
      </div>
    </BaseboxProvider>,
  )
  return { screen, commits, cancels, errors }
}

describe('given a numeric editor in a cell', () => {
  it('reads 1.234,5 as 1234.5 and commits the wire text on Enter, moving down', async () => {
    const { screen, commits } = await mount({ name: 'price', type: 'numeric' }, null)
    const input = screen.getByRole('textbox', { name: 'price' })
    await expect.element(input).toHaveFocus()
    await expect.element(input).toHaveAttribute('inputmode', 'decimal')
    await input.fill('1.234,5')
    await userEvent.keyboard('{Enter}')
    expect(commits).toEqual([{ value: '1234.5', move: 'down' }])
    await screen.unmount()
  })

  it('commits with Tab (right) and Shift+Tab (left), and cancels with Escape', async () => {
    const tab = await mount({ name: 'price', type: 'double' }, 2.5)
    await tab.screen.getByRole('textbox', { name: 'price' }).fill('3,75')
    await userEvent.keyboard('{Tab}')
    expect(tab.commits).toEqual([{ value: 3.75, move: 'right' }])
    await tab.screen.unmount()

    const back = await mount({ name: 'price', type: 'double' }, 2.5)
    await back.screen.getByRole('textbox', { name: 'price' }).fill('4')
    await userEvent.keyboard('{Shift>}{Tab}{/Shift}')
    expect(back.commits).toEqual([{ value: 4, move: 'left' }])
    await back.screen.unmount()

    const escape = await mount({ name: 'price', type: 'double' }, 2.5)
    await escape.screen.getByRole('textbox', { name: 'price' }).fill('99')
    await userEvent.keyboard('{Escape}')
    expect(escape.commits).toEqual([])
    expect(escape.cancels).toEqual([1])
    await escape.screen.unmount()
  })
})

describe('given an integer editor', () => {
  it('refuses abc with an error at the editor and commits nothing, then accepts 1.234 as 1234', async () => {
    const { screen, commits } = await mount({ name: 'qty', type: 'integer' }, 7)
    const input = screen.getByRole('textbox', { name: 'qty' })
    await expect.element(input).toHaveValue('7')
    await expect.element(input).toHaveAttribute('inputmode', 'numeric')
    await input.fill('abc')
    await userEvent.keyboard('{Enter}')
    await expect.element(screen.getByRole('alert')).toHaveTextContent('expected a whole number')
    await expect.element(input).toHaveAttribute('aria-invalid', 'true')
    expect(commits).toEqual([])
    await input.fill('1.234')
    await userEvent.keyboard('{Enter}')
    expect(commits).toEqual([{ value: 1234, move: 'down' }])
    await screen.unmount()
  })

  it('in a form field commits each change that parses, with move none, and reports the rest', async () => {
    const { screen, commits, errors } = await mount({ name: 'qty', type: 'bigint' }, null, 'field')
    const input = screen.getByRole('textbox')
    await input.fill('9007199254740993')
    expect(commits.at(-1)).toEqual({ value: '9007199254740993', move: 'none' })
    const before = commits.length
    await input.fill('12x')
    expect(commits.length).toBe(before)
    expect(errors.at(-1)).toBe('expected a whole number')
    await expect.element(screen.getByRole('alert')).toHaveTextContent('expected a whole number')
    await input.fill('')
    expect(commits.at(-1)).toEqual({ value: null, move: 'none' })
    expect(errors.at(-1)).toBeUndefined()
    await screen.unmount()
  })

  it('starts from the key that opened it', async () => {
    const { screen, commits } = await mount({ name: 'qty', type: 'integer' }, 7, 'cell', '4')
    await expect.element(screen.getByRole('textbox', { name: 'qty' })).toHaveValue('4')
    await userEvent.keyboard('2{Enter}')
    expect(commits).toEqual([{ value: 42, move: 'down' }])
    await screen.unmount()
  })
})

describe('given a text editor in a cell', () => {
  it('commits on blur, and a multi-line value from the popover with Ctrl+Enter', async () => {
    const blur = await mount({ name: 'title', type: 'text' }, 'old')
    await blur.screen.getByRole('textbox', { name: 'title' }).fill('new title')
    await userEvent.click(document.body)
    expect(blur.commits).toEqual([{ value: 'new title', move: 'none' }])
    await blur.screen.unmount()

    const long = await mount({ name: 'title', type: 'text' }, 'line one')
    await userEvent.keyboard('{Shift>}{Enter}{/Shift}')
    const area = long.screen.getByRole('textbox', { name: 'title (multi-line)' })
    await expect.element(area).toHaveFocus()
    await expect.element(area).toHaveValue('line one')
    await userEvent.keyboard('{End}{Enter}line two{Control>}{Enter}{/Control}')
    expect(long.commits).toEqual([{ value: 'line one\nline two', move: 'down' }])
    await long.screen.unmount()
  })

  it('opens the multi-line editor with its button', async () => {
    const { screen, commits } = await mount({ name: 'title', type: 'text' }, 'x')
    await screen.getByRole('button', { name: 'Edit as multi-line text' }).click()
    await expect.element(screen.getByRole('textbox', { name: 'title (multi-line)' })).toBeVisible()
    await screen.getByRole('textbox', { name: 'title (multi-line)' }).fill('a\nb')
    await screen.getByRole('button', { name: 'Save' }).click()
    expect(commits).toEqual([{ value: 'a\nb', move: 'down' }])
    await screen.unmount()
  })
})

describe('given a boolean editor', () => {
  it('toggles with Space and commits on Enter; NULL when not required', async () => {
    const { screen, commits } = await mount({ name: 'done', type: 'boolean' }, false)
    const box = screen.getByRole('checkbox', { name: 'done' })
    await expect.element(box).toHaveFocus()
    await userEvent.keyboard(' ')
    await expect.element(box).toBeChecked()
    await userEvent.keyboard('{Enter}')
    expect(commits).toEqual([{ value: true, move: 'down' }])
    await screen.unmount()

    const field = await mount({ name: 'done', type: 'boolean' }, true, 'field')
    await field.screen.getByRole('button', { name: 'NULL' }).click()
    expect(field.commits).toEqual([{ value: null, move: 'none' }])
    await field.screen.unmount()

    const required = await mount({ name: 'done', type: 'boolean', required: true }, true, 'field')
    await expect.element(required.screen.getByRole('checkbox')).toBeChecked()
    await expect
      .element(required.screen.getByRole('button', { name: 'NULL' }))
      .not.toBeInTheDocument()
    await required.screen.unmount()
  })
})

describe('given date and timestamp editors', () => {
  it('commits a date as YYYY-MM-DD', async () => {
    const { screen, commits } = await mount({ name: 'due', type: 'date' }, '2024-01-31', 'field')
    const date = screen.container.querySelector<HTMLInputElement>('input[type="date"]')!
    expect(date.value).toBe('2024-01-31')
    await userEvent.fill(date, '2025-02-28')
    expect(commits.at(-1)).toEqual({ value: '2025-02-28', move: 'none' })
    await screen.unmount()
  })

  it('shows the viewer time zone and commits the ISO instant of the local time', async () => {
    const { screen, commits } = await mount(
      { name: 'at', type: 'timestamptz' },
      '2024-06-01T12:00:00.000Z',
    )
    const input = screen.container.querySelector<HTMLInputElement>('input[type="datetime-local"]')!
    const local = new Date('2024-06-01T12:00:00.000Z')
    const zone = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' })
      .formatToParts(local)
      .find((p) => p.type === 'timeZoneName')!.value
    await expect.element(screen.getByText(zone, { exact: true })).toBeVisible()
    expect(new Date(input.value).toISOString()).toBe('2024-06-01T12:00:00.000Z')
    await userEvent.fill(input, '2024-07-04T09:30')
    await userEvent.keyboard('{Enter}')
    expect(commits).toEqual([{ value: new Date(2024, 6, 4, 9, 30).toISOString(), move: 'down' }])
    await screen.unmount()
  })
})

describe('given a uuid editor', () => {
  it('refuses a malformed uuid and generates a valid one', async () => {
    const { screen, commits } = await mount({ name: 'key', type: 'uuid' }, null, 'field')
    const input = screen.getByRole('textbox')
    await input.fill('not-a-uuid')
    await expect.element(screen.getByRole('alert')).toHaveTextContent('expected a UUID')
    expect(commits).toEqual([])
    await screen.getByRole('button', { name: 'generate' }).click()
    expect(commits).toHaveLength(1)
    expect(commits[0]!.value).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    await expect.element(input).toHaveValue(commits[0]!.value as string)
    await screen.unmount()
  })
})

describe('given a JSON editor', () => {
  it('validates as you type, shows the parse error, and saves parsed JSON with Ctrl+Enter', async () => {
    const { screen, commits } = await mount({ name: 'meta', type: 'jsonb' }, { a: 1 })
    const area = screen.getByRole('textbox', { name: 'meta (JSON)' })
    await expect.element(area).toHaveFocus()
    await area.fill('{"a": ')
    await expect.element(screen.getByRole('alert')).toHaveTextContent('invalid JSON')
    await expect.element(screen.getByRole('button', { name: 'Save' })).toBeDisabled()
    await userEvent.keyboard('{Control>}{Enter}{/Control}')
    expect(commits).toEqual([])
    await area.fill('{"a": [1, "two", null]}')
    await expect.element(screen.getByRole('alert')).not.toBeInTheDocument()
    await userEvent.keyboard('{Control>}{Enter}{/Control}')
    expect(commits).toEqual([{ value: { a: [1, 'two', null] }, move: 'down' }])
    await screen.unmount()
  })
})

describe('given a reference picker', () => {
  const author: ColumnDefinition = {
    name: 'author_id',
    type: 'uuid',
    references: { table: 'authors', column: 'id', on_delete: 'no action' },
  }

  it('finds a row by typing part of its label and commits its id', async () => {
    const { screen, commits } = await mount(author, alice)
    const search = screen.getByRole('combobox', { name: 'Search authors' })
    await expect.element(search).toHaveFocus()
    await userEvent.keyboard('dyl')
    await expect.element(screen.getByRole('option', { name: /Bob Dylan/ })).toBeVisible()
    await expect.element(screen.getByRole('option', { name: /Alice/ })).not.toBeInTheDocument()
    // With NULL first (the column is nullable), ArrowDown reaches Bob.
    await userEvent.keyboard('{ArrowDown}{Enter}')
    expect(commits).toEqual([{ value: bob, move: 'down' }])
    await screen.unmount()
  })

  it('in a form shows the current label, and picks with the mouse', async () => {
    const { screen, commits } = await mount(author, alice, 'field')
    await expect.element(screen.getByRole('button', { name: /Alice Liddell/ })).toBeVisible()
    await screen.getByRole('button', { name: /Alice Liddell/ }).click()
    await userEvent.keyboard('carol')
    await screen.getByRole('option', { name: /Carol Danvers/ }).click()
    expect(commits).toHaveLength(1)
    expect(commits[0]!.move).toBe('none')
    const carol = (
      await client.selectRows(databaseId, 'authors', { where: { name: 'Carol Danvers' } })
    ).rows[0]!.id
    expect(commits[0]!.value).toBe(carol)
    await screen.unmount()
  })

  it('labels reference cells with one in-query per table, and uses a host label when given', async () => {
    let selects = 0
    const counting = new Proxy(client, {
      get(target, property) {
        if (property === 'selectRows') {
          return (...args: Parameters<BaseboxClient['selectRows']>) => {
            if (args[1] === 'authors') {
              selects += 1
            }
            return target.selectRows(...args)
          }
        }
        const value = Reflect.get(target, property) as unknown
        return typeof value === 'function'
          ? (value as (...a: unknown[]) => unknown).bind(target)
          : value
      },
    })
    const screen = await render(
      <BaseboxProvider client={counting} queryClient={new QueryClient()}>
        <ul>
          <li>
            <ReferenceLabel databaseId={databaseId} column={author} value={alice} />
          </li>
          <li>
            <ReferenceLabel databaseId={databaseId} column={author} value={bob} />
          </li>
          <li>
            <ReferenceLabel databaseId={databaseId} column={author} value={null} />
          </li>
          <li>
            <ReferenceLabel
              databaseId={databaseId}
              column={author}
              value={bob}
              referenceLabel={(row) => `#${String(row.name).toUpperCase()}`}
            />
          </li>
        </ul>
      </BaseboxProvider>,
    )
    await expect.element(screen.getByText('Alice Liddell', { exact: true })).toBeVisible()
    await expect.element(screen.getByText('Bob Dylan', { exact: true })).toBeVisible()
    await expect.element(screen.getByText('#BOB DYLAN')).toBeVisible()
    await expect.element(screen.getByText('NULL')).toBeVisible()
    expect(selects).toBe(1)
    await screen.unmount()
  })
})

describe('renderValue', () => {
  it('shows booleans as a check, null as NULL, JSON compact and timestamps with the zone', async () => {
    const at = '2024-06-01T12:00:00.000Z'
    const zone = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' })
      .formatToParts(new Date(at))
      .find((p) => p.type === 'timeZoneName')!.value
    const screen = await render(
      <div>
        <p>{renderValue({ type: 'boolean' }, true)}</p>
        <p>{renderValue({ type: 'text' }, null)}</p>
        <p>{renderValue({ type: 'jsonb' }, { a: [1, 2] })}</p>
        <p>{renderValue({ type: 'timestamptz' }, at)}</p>
      </div>,
    )
    await expect.element(screen.getByRole('img', { name: 'true' })).toHaveTextContent('✓')
    await expect.element(screen.getByText('NULL')).toBeVisible()
    await expect.element(screen.getByText('{"a":[1,2]}')).toBeVisible()
    await expect.element(screen.getByText(new RegExp(`${zone}$`))).toHaveAttribute('title', at)
    await screen.unmount()
  })
})
