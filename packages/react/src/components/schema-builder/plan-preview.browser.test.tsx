// PlanPreview in Chromium on a real plan from the engine over PGlite: a type change that the
// current rows do not fit shows those rows, and the engine refuses to apply it (nothing changes).
import { BaseboxError, type BaseboxClient } from '@basebox/client'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { render } from 'vitest-browser-react'
import '../../styles.css'
import { createTestClient } from '../../test-support/local-client.js'
import { PlanPreview } from './plan-preview.js'

let client: BaseboxClient
let databaseId: string
let destroy: () => Promise<void>

beforeAll(async () => {
  ;({ client, databaseId, destroy } = await createTestClient())
  await client.createTable(databaseId, {
    name: 'notes',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'views', type: 'text' },
    ],
  })
  await client.insertRows(databaseId, 'notes', [
    { id: 1, views: '12' },
    { id: 2, views: 'many' },
  ])
}, 240_000)

afterAll(async () => {
  await destroy?.()
})

it('a failing type change shows the offending row, and applying it changes nothing', async () => {
  const tables = await client.listTables(databaseId)
  const wanted = tables.map((t) =>
    t.name === 'notes'
      ? {
          ...t.definition,
          columns: t.definition.columns.map((c) =>
            c.name === 'views' ? { ...c, type: 'integer' as const } : c,
          ),
        }
      : t.definition,
  )
  const plan = await client.planChanges(databaseId, wanted)
  const screen = await render(<PlanPreview plan={plan} />)
  await expect.element(screen.getByText('Change the type of notes.views to integer')).toBeVisible()
  const alert = screen.getByRole('alert')
  await expect.element(alert).toBeVisible()
  await expect.element(alert.getByRole('cell', { name: 'many', exact: true })).toBeVisible()
  await expect.element(alert.getByRole('cell', { name: '2', exact: true })).toBeVisible()
  await expect(client.applyPlan(databaseId, plan)).rejects.toBeInstanceOf(BaseboxError)
  const after = await client.getTable(databaseId, 'notes')
  expect(after.definition.columns.find((c) => c.name === 'views')?.type).toBe('text')
})
