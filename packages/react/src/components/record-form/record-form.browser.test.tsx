// RecordForm in Chromium, on a real engine over PGlite: create, edit, engine and client errors,
// Ctrl+Enter, the dirty guard, and the side panel.
import type { BaseboxClient, Filter } from '@basebox/client'
import { QueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { render } from 'vitest-browser-react'
import { userEvent } from 'vitest/browser'
import { BaseboxProvider } from '../../provider.js'
import { createTestClient } from '../../test-support/local-client.js'
import { RecordForm, RecordFormPanel } from './index.js'

let client: BaseboxClient
let databaseId: string
let destroy: () => Promise<void>
let teamId: string

interface Call {
  method: 'insertRows' | 'updateRows'
  rows?: unknown
  where?: Filter
  patch?: unknown
}
const calls: Call[] = []

// Records the writes the form makes (and lets every other method through).
function recording(target: BaseboxClient): BaseboxClient {
  return new Proxy(target, {
    get(inner, property) {
      if (property === 'insertRows') {
        return (...args: Parameters<BaseboxClient['insertRows']>) => {
          calls.push({ method: 'insertRows', rows: args[2] })
          return inner.insertRows(...args)
        }
      }
      if (property === 'updateRows') {
        return (...args: Parameters<BaseboxClient['updateRows']>) => {
          calls.push({ method: 'updateRows', where: args[2], patch: args[3] })
          return inner.updateRows(...args)
        }
      }
      const value = Reflect.get(inner, property) as unknown
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(inner)
        : value
    },
  })
}

beforeAll(async () => {
  ;({ client, databaseId, destroy } = await createTestClient())
  await client.createTable(databaseId, {
    name: 'teams',
    columns: [
      { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
      { name: 'title', type: 'text', required: true },
    ],
  })
  await client.createTable(databaseId, {
    name: 'people',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'email', type: 'text', required: true, unique: true },
      { name: 'age', type: 'integer' },
      { name: 'active', type: 'boolean', required: true, default: true },
      { name: 'team_id', type: 'uuid', references: { table: 'teams' } },
    ],
  })
  teamId = (
    await client.insertRows<{ id: string }>(databaseId, 'teams', [
      { title: 'Platform' },
      { title: 'Growth' },
    ])
  )[0]!.id
  await client.insertRows(databaseId, 'people', [
    { id: 1, email: 'ada@example.com', age: 36, team_id: teamId },
    { id: 2, email: 'alan@example.com', age: 41 },
  ])
  // A fresh engine takes long on a loaded machine (2 cores, other suites running).
}, 180_000)

afterAll(async () => {
  await destroy?.()
})

async function mount(node: React.ReactNode) {
  calls.length = 0
  return render(
    <BaseboxProvider client={recording(client)} queryClient={new QueryClient()}>
      {node}
    </BaseboxProvider>,
  )
}

const field = (screen: Awaited<ReturnType<typeof mount>>, name: string) =>
  screen.getByRole('textbox', { name, exact: true })

describe('given a RecordForm without a recordId', () => {
  it('shows labels with type and required markers, and creates the row in the database', async () => {
    const saved: unknown[] = []
    const screen = await mount(
      <RecordForm databaseId={databaseId} table="people" onSaved={(row) => saved.push(row)} />,
    )
    await expect.element(screen.getByRole('form', { name: 'New people row' })).toBeVisible()
    await expect.element(screen.getByText('key · int4')).toBeVisible()
    await expect.element(screen.getByText('→ teams · uuid')).toBeVisible()
    await expect.element(screen.getByText('default: true')).toBeVisible()
    await field(screen, 'id').fill('10')
    await field(screen, 'email').fill('grace@example.com')
    await field(screen, 'age').fill('1.234')
    await screen.getByRole('button', { name: 'Create' }).click()
    await expect.poll(() => saved.length).toBe(1)
    expect(calls).toEqual([
      { method: 'insertRows', rows: { id: 10, email: 'grace@example.com', age: 1234 } },
    ])
    const { rows } = await client.selectRows(databaseId, 'people', { where: { id: 10 } })
    expect(rows).toEqual([
      { id: 10, email: 'grace@example.com', age: 1234, active: true, team_id: null },
    ])
    await screen.unmount()
  })

  it('refuses an empty required field client-side, and makes no call', async () => {
    const screen = await mount(<RecordForm databaseId={databaseId} table="people" />)
    await field(screen, 'id').fill('11')
    await screen.getByRole('button', { name: 'Create' }).click()
    await expect.element(screen.getByRole('alert')).toHaveTextContent('a value is required')
    expect(calls).toEqual([])
    expect((await client.selectRows(databaseId, 'people', { where: { id: 11 } })).rows).toEqual([])
    await screen.unmount()
  })

  it('refuses input an editor cannot read (abc in an integer) without a call', async () => {
    const screen = await mount(<RecordForm databaseId={databaseId} table="people" />)
    await field(screen, 'id').fill('12')
    await field(screen, 'email').fill('x@example.com')
    await field(screen, 'age').fill('abc')
    await screen.getByRole('button', { name: 'Create' }).click()
    await expect.element(screen.getByRole('alert')).toHaveTextContent('expected a whole number')
    expect(calls).toEqual([])
    await screen.unmount()
  })

  it('shows a duplicate unique value at its field with the engine error, keeps the values, saves nothing', async () => {
    const screen = await mount(<RecordForm databaseId={databaseId} table="people" />)
    await field(screen, 'id').fill('13')
    await field(screen, 'email').fill('ada@example.com')
    await screen.getByRole('button', { name: 'Create' }).click()
    const error = screen.getByRole('alert')
    await expect
      .element(error)
      .toHaveTextContent('a row of "people" with this "email" already exists')
    await expect.element(field(screen, 'email')).toHaveValue('ada@example.com')
    // The message is at the email field.
    expect(error.element().closest('[data-slot="record-form-field"]')?.textContent).toContain(
      'email',
    )
    expect(calls).toHaveLength(1)
    expect((await client.selectRows(databaseId, 'people', { where: { id: 13 } })).rows).toEqual([])
    await screen.unmount()
  })

  it('submits with Ctrl+Enter from any field', async () => {
    const saved: unknown[] = []
    const screen = await mount(
      <RecordForm databaseId={databaseId} table="people" onSaved={(row) => saved.push(row)} />,
    )
    await field(screen, 'id').fill('14')
    await field(screen, 'email').fill('linus@example.com')
    await userEvent.keyboard('{Control>}{Enter}{/Control}')
    await expect.poll(() => saved.length).toBe(1)
    expect(
      (await client.selectRows(databaseId, 'people', { where: { id: 14 } })).rows[0]?.email,
    ).toBe('linus@example.com')
    await screen.unmount()
  })
})

describe('given a RecordForm with a recordId', () => {
  it('loads the row and sends only the changed column', async () => {
    const saved: unknown[] = []
    const screen = await mount(
      <RecordForm
        databaseId={databaseId}
        table="people"
        recordId={1}
        onSaved={(row) => saved.push(row)}
      />,
    )
    await expect.element(field(screen, 'email')).toHaveValue('ada@example.com')
    await expect
      .element(screen.getByRole('button', { name: 'team_id', exact: true }))
      .toHaveTextContent('Platform')
    await field(screen, 'age').fill('37')
    await screen.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => saved.length).toBe(1)
    expect(calls).toEqual([{ method: 'updateRows', where: { id: 1 }, patch: { age: 37 } }])
    expect(
      (await client.selectRows(databaseId, 'people', { where: { id: 1 } })).rows[0],
    ).toMatchObject({ age: 37, email: 'ada@example.com', team_id: teamId })
    await screen.unmount()
  })

  it('picks a reference by its label and saves its id', async () => {
    const screen = await mount(<RecordForm databaseId={databaseId} table="people" recordId={2} />)
    const picker = screen.getByRole('button', { name: 'team_id', exact: true })
    await expect.element(picker).toHaveTextContent('NULL')
    await picker.click()
    await userEvent.keyboard('grow')
    await screen.getByRole('option', { name: /Growth/ }).click()
    await expect.element(picker).toHaveTextContent('Growth')
    await screen.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => calls.length).toBe(1)
    const growth = (
      await client.selectRows<{ id: string }>(databaseId, 'teams', { where: { title: 'Growth' } })
    ).rows[0]!.id
    expect(calls[0]).toEqual({ method: 'updateRows', where: { id: 2 }, patch: { team_id: growth } })
    await expect
      .poll(
        async () =>
          (await client.selectRows(databaseId, 'people', { where: { id: 2 } })).rows[0]?.team_id,
      )
      .toBe(growth)
    await screen.unmount()
  })
})

describe('given the dirty guard', () => {
  it('asks before cancelling a dirty form, and cancels a clean one at once', async () => {
    const cancels: number[] = []
    const screen = await mount(
      <RecordForm
        databaseId={databaseId}
        table="people"
        recordId={1}
        onCancel={() => cancels.push(1)}
      />,
    )
    await expect.element(field(screen, 'email')).toHaveValue('ada@example.com')
    await field(screen, 'email').fill('changed@example.com')
    await screen.getByRole('button', { name: 'Cancel' }).click()
    await expect
      .element(screen.getByRole('alertdialog', { name: 'Discard unsaved changes?' }))
      .toBeVisible()
    expect(cancels).toEqual([])
    await screen.getByRole('button', { name: 'Keep editing' }).click()
    await expect.element(field(screen, 'email')).toHaveValue('changed@example.com')
    await screen.getByRole('button', { name: 'Cancel' }).click()
    await screen.getByRole('button', { name: 'Discard' }).click()
    expect(cancels).toEqual([1])
    expect(calls).toEqual([])
    await screen.unmount()

    const clean = await mount(
      <RecordForm
        databaseId={databaseId}
        table="people"
        recordId={1}
        onCancel={() => cancels.push(2)}
      />,
    )
    await expect.element(field(clean, 'email')).toHaveValue('ada@example.com')
    await clean.getByRole('button', { name: 'Cancel' }).click()
    expect(cancels).toEqual([1, 2])
    await clean.unmount()
  })

  it('in the side panel, Escape with unsaved changes asks first; a save closes it', async () => {
    function Host() {
      const [open, setOpen] = useState(true)
      return (
        <div>
          <p>panel {open ? 'open' : 'closed'}</p>
          <RecordFormPanel
            databaseId={databaseId}
            table="people"
            recordId={2}
            open={open}
            onOpenChange={setOpen}
          />
        </div>
      )
    }
    const screen = await mount(<Host />)
    await expect.element(screen.getByRole('dialog', { name: 'Edit people row' })).toBeVisible()
    await expect.element(field(screen, 'email')).toHaveValue('alan@example.com')
    await field(screen, 'age').fill('42')
    await userEvent.keyboard('{Escape}')
    await expect
      .element(screen.getByRole('alertdialog', { name: 'Discard unsaved changes?' }))
      .toBeVisible()
    await expect.element(screen.getByText('panel open')).toBeVisible()
    await screen.getByRole('button', { name: 'Keep editing' }).click()
    await screen.getByRole('button', { name: 'Save' }).click()
    await expect.element(screen.getByText('panel closed')).toBeVisible()
    expect(calls).toEqual([{ method: 'updateRows', where: { id: 2 }, patch: { age: 42 } }])
    await screen.unmount()
  })
})
