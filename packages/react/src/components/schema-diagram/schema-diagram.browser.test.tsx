// The SchemaDiagram in Chromium on a real engine over PGlite: the tables and references of a live
// database, the layout, a plan's diff, a drawn reference, opening a table and the image exports.
import type { BaseboxClient, WireChangePlan } from '@basebox/client'
import { QueryClient } from '@tanstack/react-query'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import '../../styles.css'
import { BaseboxProvider } from '../../provider.js'
import { createTestClient } from '../../test-support/local-client.js'
import {
  SchemaDiagram,
  type SchemaDiagramExport,
  type SchemaDiagramProps,
} from './schema-diagram.js'

let client: BaseboxClient
let databaseId: string
let destroy: () => Promise<void>

const TABLES = ['users', 'customers', 'products', 'orders', 'order_items']

beforeAll(async () => {
  ;({ client, databaseId, destroy } = await createTestClient())
  await client.createTable(databaseId, {
    name: 'customers',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'name', type: 'text', required: true },
      { name: 'city', type: 'text' },
      { name: 'favourite_product_id', type: 'integer' },
      { name: 'account_id', type: 'uuid', references: { table: 'users', column: 'id' } },
    ],
  })
  await client.createTable(databaseId, {
    name: 'products',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'sku', type: 'text', required: true, unique: true },
      { name: 'stock', type: 'integer' },
    ],
  })
  await client.createTable(databaseId, {
    name: 'orders',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      {
        name: 'customer_id',
        type: 'integer',
        required: true,
        references: { table: 'customers', column: 'id' },
      },
      { name: 'ordered_on', type: 'date' },
    ],
  })
  await client.createTable(databaseId, {
    name: 'order_items',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      {
        name: 'order_id',
        type: 'integer',
        required: true,
        references: { table: 'orders', column: 'id', on_delete: 'cascade' },
      },
      {
        name: 'product_id',
        type: 'integer',
        required: true,
        references: { table: 'products', column: 'id' },
      },
      { name: 'quantity', type: 'integer' },
    ],
  })
}, 240_000)

afterAll(async () => {
  await destroy?.()
})

function mount(props: Partial<SchemaDiagramProps> = {}) {
  return render(
    <BaseboxProvider
      client={client}
      queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
    >
      <div style={{ width: 1100 }}>
        <SchemaDiagram databaseId={databaseId} height={640} {...props} />
      </div>
    </BaseboxProvider>,
  )
}

type Screen = Awaited<ReturnType<typeof mount>>

const nodeOf = (screen: Screen, table: string) =>
  screen.container.querySelector<HTMLElement>(`.react-flow__node[data-id="${table}"]`)
const columnOf = (screen: Screen, table: string, column: string) =>
  nodeOf(screen, table)?.querySelector<HTMLElement>(
    `.bb-schema-diagram__column[data-column="${column}"]`,
  ) ?? null
const handleOf = (screen: Screen, table: string, column: string, side: 'in' | 'out') =>
  nodeOf(screen, table)?.querySelector<HTMLElement>(
    `.react-flow__handle[data-handleid="${column}:${side}"]`,
  ) ?? null
const edgeOf = (screen: Screen, id: string) =>
  screen.container.querySelector<SVGGElement>(`.react-flow__edge[data-id="${id}"]`)

/** Waits for every table to be drawn (the lazy chunk loaded, the tables fetched, the nodes measured). */
async function drawn(screen: Screen, tables = TABLES) {
  await expect
    .poll(() => tables.every((table) => nodeOf(screen, table) !== null), { timeout: 30_000 })
    .toBe(true)
  await expect
    .poll(() => screen.container.querySelectorAll('.react-flow__edge').length, { timeout: 30_000 })
    .toBeGreaterThan(0)
}

const centre = (rect: DOMRect) => ({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 })

/** The screen position of a point of an edge's path (0 = start, 1 = end). */
function edgePoint(edge: SVGGElement, at: 0 | 1) {
  const path = edge.querySelector<SVGPathElement>('path.react-flow__edge-path')!
  const point = path.getPointAtLength(at * path.getTotalLength())
  const matrix = path.getScreenCTM()!
  return {
    x: point.x * matrix.a + point.y * matrix.c + matrix.e,
    y: point.x * matrix.b + point.y * matrix.d + matrix.f,
  }
}

describe('given a database with tables that reference each other', () => {
  it('draws every table with its columns, types, keys and required marks, and an edge per reference between the exact columns', async () => {
    const screen = await mount()
    await drawn(screen)
    expect(screen.container.querySelectorAll('.react-flow__node')).toHaveLength(TABLES.length)
    const orders = nodeOf(screen, 'orders')!
    expect(orders.getAttribute('aria-label')).toBe('Table orders, 3 columns')
    const customerId = columnOf(screen, 'orders', 'customer_id')!
    expect(customerId.textContent).toContain('integer')
    expect(customerId.querySelector('abbr[title="required"]')).not.toBeNull()
    expect(
      columnOf(screen, 'orders', 'id')!.querySelector('abbr[title="primary key"]'),
    ).not.toBeNull()
    expect(
      columnOf(screen, 'products', 'sku')!.querySelector('abbr[title="unique"]'),
    ).not.toBeNull()
    expect(columnOf(screen, 'orders', 'ordered_on')!.querySelector('abbr')).toBeNull()

    const references = [
      ['customers.account_id', 'customers', 'account_id', 'users', 'id'],
      ['orders.customer_id', 'orders', 'customer_id', 'customers', 'id'],
      ['order_items.order_id', 'order_items', 'order_id', 'orders', 'id'],
      ['order_items.product_id', 'order_items', 'product_id', 'products', 'id'],
    ] as const
    expect(screen.container.querySelectorAll('.react-flow__edge')).toHaveLength(references.length)
    for (const [id, table, column, target, targetColumn] of references) {
      const edge = edgeOf(screen, id)
      expect(edge, id).not.toBeNull()
      // The edge starts at the referencing column's handle and ends at the referenced column's.
      await expect
        .poll(() => {
          const from = centre(handleOf(screen, table, column, 'out')!.getBoundingClientRect())
          const start = edgePoint(edge!, 0)
          return Math.hypot(from.x - start.x, from.y - start.y)
        })
        .toBeLessThan(6)
      const to = centre(handleOf(screen, target, targetColumn, 'in')!.getBoundingClientRect())
      const end = edgePoint(edge!, 1)
      expect(Math.hypot(to.x - end.x, to.y - end.y), id).toBeLessThan(12)
      expect(edge!.getAttribute('aria-label')).toBe(
        `${table}.${column} references ${target}.${targetColumn}`,
      )
    }
    // Pan and zoom controls, fit view and the minimap are there, labelled.
    await expect.element(screen.getByRole('button', { name: 'Zoom in' })).toBeVisible()
    await expect.element(screen.getByRole('button', { name: 'Zoom out' })).toBeVisible()
    await expect
      .element(screen.getByRole('button', { name: 'Fit the diagram in view' }))
      .toBeVisible()
    expect(
      screen.container.querySelector('.react-flow__minimap svg')?.getAttribute('aria-labelledby'),
    ).toBeTruthy()
  })

  it('lays the tables out automatically with no two of them overlapping, in a box that keeps its size from the skeleton on', async () => {
    const screen = await mount()
    const box = screen.container.querySelector<HTMLElement>('.bb-schema-diagram')!
    const before = box.getBoundingClientRect()
    await drawn(screen)
    const after = box.getBoundingClientRect()
    expect([after.width, after.height]).toEqual([before.width, before.height])
    expect(after.height).toBe(640)
    const boxes = TABLES.map((table) => nodeOf(screen, table)!.getBoundingClientRect())
    for (const box of boxes) expect(box.width).toBeGreaterThan(0)
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!
        const b = boxes[j]!
        const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
        expect(overlap, `${TABLES[i]} and ${TABLES[j]} overlap`).toBe(false)
      }
    }
    // A referenced table sits to the right of the one that references it (dagre, left to right).
    expect(nodeOf(screen, 'orders')!.getBoundingClientRect().left).toBeGreaterThan(
      nodeOf(screen, 'order_items')!.getBoundingClientRect().right,
    )
  })

  it('shows a pending plan as a diff: added, changed and removed marks with a legend', async () => {
    const tables = (await client.listTables(databaseId)).map((table) => table.definition)
    const wanted = tables
      .filter((table) => table.name !== 'order_items')
      .map((table) => {
        if (table.name === 'orders')
          return { ...table, columns: [...table.columns, { name: 'note', type: 'text' as const }] }
        if (table.name === 'products')
          return {
            ...table,
            columns: table.columns.map((c) =>
              c.name === 'stock' ? { ...c, type: 'bigint' as const } : c,
            ),
          }
        if (table.name === 'customers')
          return { ...table, columns: table.columns.filter((c) => c.name !== 'city') }
        return table
      })
    wanted.push({
      name: 'tags',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'label', type: 'text', required: true },
      ],
    })
    const plan: WireChangePlan = await client.planChanges(databaseId, wanted)
    const screen = await mount({ plan })
    await drawn(screen, [...TABLES, 'tags'])
    expect(
      nodeOf(screen, 'tags')!
        .querySelector('.bb-schema-diagram__table')!
        .getAttribute('data-status'),
    ).toBe('added')
    expect(columnOf(screen, 'orders', 'note')!.getAttribute('data-status')).toBe('added')
    expect(columnOf(screen, 'products', 'stock')!.getAttribute('data-status')).toBe('changed')
    expect(columnOf(screen, 'products', 'stock')!.textContent).toContain('bigint')
    expect(columnOf(screen, 'products', 'stock')!.querySelector('s')!.textContent).toBe('integer')
    expect(columnOf(screen, 'customers', 'city')!.getAttribute('data-status')).toBe('removed')
    expect(
      nodeOf(screen, 'order_items')!
        .querySelector('.bb-schema-diagram__table')!
        .getAttribute('data-status'),
    ).toBe('removed')
    // Removed is struck through; the marks use the kit's tokens (green, amber, red).
    const cityName = columnOf(screen, 'customers', 'city')!.querySelector(
      '.bb-schema-diagram__column-name',
    )!
    expect(getComputedStyle(cityName).textDecorationLine).toBe('line-through')
    const root = screen.container.querySelector<HTMLElement>('.bb-schema-diagram')!
    const token = (name: string) => {
      const probe = document.createElement('span')
      probe.style.color = `var(${name})`
      root.append(probe)
      const value = getComputedStyle(probe).color
      probe.remove()
      return value
    }
    expect(getComputedStyle(columnOf(screen, 'orders', 'note')!).color).toBe(
      token('--bb-color-success'),
    )
    expect(getComputedStyle(columnOf(screen, 'products', 'stock')!).color).toBe(
      token('--bb-color-warning'),
    )
    expect(getComputedStyle(columnOf(screen, 'customers', 'city')!).color).toBe(
      token('--bb-color-danger'),
    )
    // The references of the dropped table are removed edges.
    expect(
      edgeOf(screen, 'order_items.order_id:removed')!.classList.contains(
        'bb-schema-diagram__edge--removed',
      ),
    ).toBe(true)
    await expect.element(screen.getByText('Pending changes')).toBeVisible()
    await expect.element(screen.getByText('Added', { exact: true })).toBeVisible()
    await expect.element(screen.getByText('Changed', { exact: true })).toBeVisible()
    await expect.element(screen.getByText('Removed', { exact: true })).toBeVisible()
    // Fitted below the panels: no table starts under the legend.
    const legend = screen.container
      .querySelector('.bb-schema-diagram__legend')!
      .getBoundingClientRect()
    await expect
      .poll(
        () =>
          Array.from(screen.container.querySelectorAll('.react-flow__node'), (node) =>
            node.getBoundingClientRect(),
          ).filter(
            (box) =>
              box.left < legend.right &&
              box.right > legend.left &&
              box.top < legend.bottom &&
              box.bottom > legend.top,
          ).length,
      )
      .toBe(0)
    // The plan was only shown: nothing changed in the database.
    expect((await client.listTables(databaseId)).map((table) => table.name)).toEqual(TABLES)
  })

  it('proposes a reference when a connection is drawn between two columns, and shows its plan', async () => {
    const onProposeReference = vi.fn()
    const onProposedPlan = vi.fn()
    const screen = await mount({ onProposeReference, planProposedReferences: true, onProposedPlan })
    await drawn(screen)
    // Drag from customers.favourite_product_id (its right handle) to products.id (its left handle).
    await userEvent.dragAndDrop(
      handleOf(screen, 'customers', 'favourite_product_id', 'out')!,
      handleOf(screen, 'products', 'id', 'in')!,
    )
    await expect.poll(() => onProposeReference.mock.calls.length).toBe(1)
    expect(onProposeReference).toHaveBeenCalledWith({
      table: 'customers',
      column: 'favourite_product_id',
      references: { table: 'products', column: 'id' },
    })
    await expect.poll(() => onProposedPlan.mock.calls.length).toBe(1)
    const plan = onProposedPlan.mock.calls[0]![0] as WireChangePlan
    expect(plan.steps).toEqual([
      expect.objectContaining({
        kind: 'set_reference',
        table: 'customers',
        column: 'favourite_product_id',
        references: expect.objectContaining({ table: 'products', column: 'id' }),
      }),
    ])
    await expect
      .poll(() =>
        columnOf(screen, 'customers', 'favourite_product_id')?.getAttribute('data-status'),
      )
      .toBe('changed')
    await expect
      .poll(() =>
        edgeOf(screen, 'customers.favourite_product_id')?.classList.contains(
          'bb-schema-diagram__edge--added',
        ),
      )
      .toBe(true)
    // Proposed, not applied.
    const customers = await client.getTable(databaseId, 'customers')
    expect(
      customers.definition.columns.find((c) => c.name === 'favourite_product_id')?.references,
    ).toBeUndefined()
  })

  it('opens a table on click, and on Enter when the table node has the focus', async () => {
    const onOpenTable = vi.fn()
    const screen = await mount({ onOpenTable })
    await drawn(screen)
    await userEvent.click(
      nodeOf(screen, 'orders')!.querySelector('.bb-schema-diagram__table-header')!,
    )
    expect(onOpenTable).toHaveBeenLastCalledWith('orders')
    const products = nodeOf(screen, 'products')!
    expect(products.getAttribute('tabindex')).toBe('0')
    products.focus()
    await userEvent.keyboard('{Enter}')
    expect(onOpenTable).toHaveBeenLastCalledWith('products')
    expect(onOpenTable).toHaveBeenCalledTimes(2)
    // The arrow keys move the focus to the nearest table that way (order_items is left of orders).
    nodeOf(screen, 'orders')!.focus()
    await userEvent.keyboard('{ArrowLeft}')
    expect(document.activeElement).toBe(nodeOf(screen, 'order_items'))
    await userEvent.keyboard('{ArrowRight}')
    const right = document.activeElement as HTMLElement
    expect(right.classList.contains('react-flow__node')).toBe(true)
    expect(['orders', 'products']).toContain(right.getAttribute('data-id'))
    expect(right.getBoundingClientRect().left).toBeGreaterThan(
      nodeOf(screen, 'order_items')!.getBoundingClientRect().right,
    )
  })

  it('exports the diagram as a PNG and as an SVG that hold the tables', async () => {
    const onExport = vi.fn<(file: SchemaDiagramExport) => void>()
    const screen = await mount({ onExport, download: false, fileName: 'shop' })
    await drawn(screen)
    await userEvent.click(screen.getByRole('button', { name: 'Export PNG' }))
    await expect.poll(() => onExport.mock.calls.length, { timeout: 30_000 }).toBe(1)
    const png = onExport.mock.calls[0]![0]
    expect(png.fileName).toBe('shop.png')
    expect(png.blob.type).toBe('image/png')
    const bytes = new Uint8Array(await png.blob.arrayBuffer())
    expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    // The image decodes, at the size of the laid-out tables plus padding.
    const image = await createImageBitmap(png.blob)
    expect(image.width).toBeGreaterThan(600)
    expect(image.height).toBeGreaterThan(200)

    await userEvent.click(screen.getByRole('button', { name: 'Export SVG' }))
    await expect.poll(() => onExport.mock.calls.length, { timeout: 30_000 }).toBe(2)
    const svg = onExport.mock.calls[1]![0]
    expect(svg.fileName).toBe('shop.svg')
    expect(svg.blob.type).toBe('image/svg+xml')
    const text = await svg.blob.text()
    expect(text.startsWith('<svg')).toBe(true)
    const parsed = new DOMParser().parseFromString(text, 'image/svg+xml')
    expect(parsed.querySelector('parsererror')).toBeNull()
    expect(parsed.documentElement.querySelector('foreignObject')).not.toBeNull()
    for (const table of TABLES) expect(text).toContain(`>${table}<`)
    // The edges are in it too, as SVG paths.
    expect(text).toContain('react-flow__edge-path')
  })
})

describe('given a database without any table', () => {
  it('says so in the diagram’s box', async () => {
    const empty = await createTestClient('empty-owner')
    try {
      await empty.client.dropTable(empty.databaseId, 'users')
      const screen = await render(
        <BaseboxProvider client={empty.client} queryClient={new QueryClient()}>
          <SchemaDiagram databaseId={empty.databaseId} height={300} />
        </BaseboxProvider>,
      )
      await expect.element(screen.getByText('This database has no tables yet.')).toBeVisible()
      expect(
        screen.container.querySelector<HTMLElement>('.bb-schema-diagram')!.getBoundingClientRect()
          .height,
      ).toBe(300)
      await screen.unmount()
    } finally {
      await empty.destroy()
    }
  }, 240_000)
})
