// <TableEditor> on the live sample data: each state, and the main flows as interaction tests
// (edit a cell, an invalid value, paste a block, delete with confirmation, pick a reference).
// Stories that write get a scratch database of their own.
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, within } from 'storybook/test'
import {
  BaseboxProvider,
  createBaseboxQueryClient,
  TableEditor,
  type TableEditorSorting,
} from '@basebox/react'
import { useState, type ReactNode } from 'react'
import { cellIn, eventually, findColumnHeader, loadedGrid, paste, WAIT } from './play.js'
import { BIG_ROWS, SECRET_PREFIX, sampleDatabase } from './seed.js'
import {
  countingWrites,
  failingUntilRecovered,
  neverAnswering,
  sample,
  scratch,
  type LoadedDatabase,
  type StoryGlobals,
} from './story-support.js'

type Row = Record<string, unknown>

const meta = {
  title: 'Components/TableEditor',
  component: TableEditor,
  args: { databaseId: '', table: 'posts', height: 520 },
  argTypes: {
    databaseId: { control: false },
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
    density: { control: 'inline-radio', options: ['compact', 'normal', 'comfortable'] },
  },
  render: (args, { loaded, globals }) => (
    <TableEditor
      {...args}
      databaseId={(loaded as LoadedDatabase).basebox.databaseId}
      theme={args.theme ?? (globals as StoryGlobals).theme}
      density={args.density ?? (globals as StoryGlobals).density}
    />
  ),
} satisfies Meta<typeof TableEditor>

export default meta
type Story = StoryObj<typeof meta>

const loadedOf = (context: { loaded: unknown }) => (context.loaded as LoadedDatabase).basebox

async function firstRow(
  basebox: LoadedDatabase['basebox'],
  table: string,
  orderBy = 'id',
): Promise<Row> {
  const { rows } = await basebox.client.selectRows(basebox.databaseId, table, {
    orderBy: { column: orderBy },
    limit: 1,
  })
  return rows[0]!
}

/* ---- States, on the shared sample data ---- */

/** The blog's 120 posts, with their authors (a reference to `users`) and jsonb tags. */
export const Default: Story = {
  loaders: [sample(['blog'])],
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement)
    const post = await firstRow(loadedOf({ loaded }), 'posts')
    await loadedGrid(canvas)
    await expect(
      await canvas.findByRole('gridcell', { name: String(post.title) }, WAIT),
    ).toBeVisible()
    await expect(await canvas.findByText('120 rows', {}, WAIT)).toBeVisible()
  },
}

/** Comments point at posts and users: the cells show the post's title and the user's email, not ids. */
export const References: Story = {
  args: { table: 'comments' },
  loaders: [sample(['blog'])],
  play: async ({ canvasElement, loaded }) => {
    const basebox = loadedOf({ loaded })
    const canvas = within(canvasElement)
    const comment = await firstRow(basebox, 'comments')
    const [post] = (
      await basebox.client.selectRows(basebox.databaseId, 'posts', {
        where: { id: comment.post_id as number },
      })
    ).rows
    await loadedGrid(canvas)
    const cell = await cellIn(canvas, String(comment.body), 'post_id')
    await eventually(() => expect(cell).toHaveTextContent(String(post!.title)))
  },
}

/** A shop's order lines: references to orders and to products (shown by the product's name). */
export const ReferencesOrderItems: Story = {
  args: { table: 'order_items' },
  loaders: [sample(['shop'])],
  play: async ({ canvasElement, loaded }) => {
    const basebox = loadedOf({ loaded })
    const canvas = within(canvasElement)
    const item = await firstRow(basebox, 'order_items')
    const [product] = (
      await basebox.client.selectRows(basebox.databaseId, 'products', {
        where: { id: item.product_id as number },
      })
    ).rows
    await loadedGrid(canvas)
    await expect(
      await canvas.findAllByRole(
        'gridcell',
        { name: new RegExp(`^${String(product!.name)}`) },
        WAIT,
      ),
    ).not.toHaveLength(0)
  },
}

/** Every column type, with nulls, and a secret column that never reaches the page. */
export const AllColumnTypes: Story = {
  args: { table: 'every_type' },
  loaders: [sample(['types'])],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByRole('gridcell', { name: /^Row 1:/ }, WAIT)).toBeVisible()
    // Ten columns and the row gutter: the secret one is not among them.
    const grid = await loadedGrid(canvas)
    await expect(grid).toHaveAttribute('aria-colcount', '11')
    for (const column of ['id', 'label', 'count']) {
      await expect(await findColumnHeader(canvas, column)).toBeInTheDocument()
    }
    // Columns are virtualized too: the last ones render once scrolled to.
    grid.scrollLeft = grid.scrollWidth
    for (const column of ['happened_at', 'settings']) {
      await expect(await findColumnHeader(canvas, column)).toBeInTheDocument()
    }
    await expect(canvas.queryByRole('columnheader', { name: /api_key/ })).toBeNull()
    await expect(document.body.innerHTML).not.toContain(SECRET_PREFIX)
    await expect(document.body.innerHTML).not.toContain('api_key')
  },
}

/** 100,000 events: rows load by blocks as you scroll; the DOM holds only the rows in view. */
export const HundredThousandRows: Story = {
  // Counted exactly: above the default threshold the grid shows the planner's estimate, which
  // without statistics (PGlite runs no autovacuum, and db.sql() refuses ANALYZE) was ~67,000.
  args: { table: 'events', countThreshold: 200_000 },
  loaders: [sample(['big'])],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const grid = await loadedGrid(canvas)
    await expect(await canvas.findByRole('gridcell', { name: 'event 1' }, WAIT)).toBeVisible()
    // aria-rowcount counts the header row too (the total comes after the first rows).
    await eventually(() => expect(grid).toHaveAttribute('aria-rowcount', String(BIG_ROWS + 1)))
    await expect(canvas.getByText('100,000 rows')).toBeVisible()
    await expect(within(grid).getAllByRole('row').length).toBeLessThan(100)
    grid.scrollTop = grid.scrollHeight
    await expect(
      await canvas.findByRole('gridcell', { name: `event ${BIG_ROWS}` }, WAIT),
    ).toBeVisible()
    await expect(within(grid).getAllByRole('row').length).toBeLessThan(100)
  },
}

/** A table without rows: the empty state offers the first row. */
export const Empty: Story = {
  args: { table: 'notes' },
  loaders: [sample(['types'])],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(
      await canvas.findByRole('button', { name: 'Add the first row' }, WAIT),
    ).toBeVisible()
  },
}

/** Rows that never come (a client whose `selectRows` never answers): skeleton rows under real headers. */
export const Loading: Story = {
  loaders: [
    async (): Promise<LoadedDatabase> => {
      const basebox = await sampleDatabase(['blog'])
      return { basebox: { ...basebox, client: neverAnswering(basebox.client) } }
    },
  ],
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement)
    const grid = await canvas.findByRole('grid', {}, WAIT)
    await expect(await canvas.findByRole('columnheader', { name: /^title\b/ }, WAIT)).toBeVisible()
    await expect(grid).toHaveAttribute('aria-busy', 'true')
    const post = await firstRow(
      { ...loadedOf({ loaded }), client: (await sampleDatabase(['blog'])).client },
      'posts',
    )
    await expect(canvas.queryByRole('gridcell', { name: String(post.title) })).toBeNull()
  },
}

/** The database is unreachable (`UNAVAILABLE`): an error with Retry, which works once it is back. */
export const Error: Story = {
  loaders: [
    async () => {
      const basebox = await sampleDatabase(['blog'])
      const failing = failingUntilRecovered(basebox.client)
      return {
        basebox: { ...basebox, client: failing.client },
        recover: failing.recover,
        real: basebox.client,
      }
    },
  ],
  play: async ({ canvasElement, loaded }) => {
    const { recover, real } = loaded as {
      recover: () => void
      real: LoadedDatabase['basebox']['client']
    }
    const canvas = within(canvasElement)
    const alert = await canvas.findByRole('alert', {}, WAIT)
    await expect(alert).toHaveTextContent('The database is not reachable')
    recover()
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }))
    const post = await firstRow({ ...loadedOf({ loaded }), client: real }, 'posts')
    await expect(
      await canvas.findByRole('gridcell', { name: String(post.title) }, WAIT),
    ).toBeVisible()
  },
}

/** `readOnly`: the rows are shown, and nothing opens an editor or adds a row. */
export const ReadOnly: Story = {
  args: { readOnly: true },
  loaders: [sample(['blog'])],
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement)
    const post = await firstRow(loadedOf({ loaded }), 'posts')
    await loadedGrid(canvas)
    const cell = await canvas.findByRole('gridcell', { name: String(post.title) }, WAIT)
    await expect(cell).toHaveAttribute('aria-readonly', 'true')
    await userEvent.dblClick(cell)
    await userEvent.keyboard('{Enter}')
    await expect(canvas.queryByRole('textbox', { name: 'title' })).toBeNull()
    await expect(canvas.queryByRole('button', { name: 'Add row' })).toBeNull()
  },
}

/** The dark theme (the toolbar's theme switch does the same for every story). */
export const Dark: Story = {
  args: { theme: 'dark', table: 'products' },
  loaders: [sample(['shop'])],
  play: async ({ canvasElement }) => {
    const grid = await loadedGrid(within(canvasElement))
    await expect(grid.closest('[data-theme]')).toHaveAttribute('data-theme', 'dark')
  },
}

/** Compact rows, for dense data (the toolbar's density switch does the same for every story). */
export const Dense: Story = {
  args: { density: 'compact', table: 'orders' },
  loaders: [sample(['shop'])],
  play: async ({ canvasElement }) => {
    const grid = await loadedGrid(within(canvasElement))
    await expect(grid.closest('[data-density]')).toHaveAttribute('data-density', 'compact')
  },
}

/** The sort keys held by the host (`sorting` + `onSortingChange`): the host's buttons and the headers drive the same state. */
export const Controlled: Story = {
  args: { table: 'products' },
  loaders: [sample(['shop'])],
  render: (args, { loaded, globals }) => (
    <ControlledHost
      {...args}
      databaseId={(loaded as LoadedDatabase).basebox.databaseId}
      theme={args.theme ?? (globals as StoryGlobals).theme}
    />
  ),
  play: async ({ canvasElement, loaded }) => {
    const basebox = loadedOf({ loaded })
    const canvas = within(canvasElement)
    const grid = await loadedGrid(canvas)
    await expect(canvas.getByTestId('host-sorting')).toHaveTextContent('[]')
    await userEvent.click(canvas.getByRole('button', { name: 'Most expensive first' }))
    await expect(canvas.getByTestId('host-sorting')).toHaveTextContent(
      '[{"id":"price","desc":true}]',
    )
    const { rows } = await basebox.client.selectRows(basebox.databaseId, 'products', {
      orderBy: [{ column: 'price', direction: 'desc' }, { column: 'id' }],
      limit: 1,
    })
    await eventually(() =>
      expect(within(grid).getAllByRole('row')[1]).toHaveTextContent(String(rows[0]!.name)),
    )
    await expect(await findColumnHeader(canvas, 'price')).toHaveAttribute('aria-sort', 'descending')
    // A header click goes through the host too.
    const name = await findColumnHeader(canvas, 'name')
    await userEvent.click(within(name).getAllByRole('button')[0]!)
    await eventually(() =>
      expect(canvas.getByTestId('host-sorting')).toHaveTextContent('[{"id":"name","desc":false}]'),
    )
    await userEvent.click(canvas.getByRole('button', { name: 'Clear sort' }))
    await eventually(() => expect(canvas.getByTestId('host-sorting')).toHaveTextContent('[]'))
    // The quick search is the host's too: typing asks it, and its Clear empties the box.
    const box = canvas.getByRole('searchbox', { name: 'Search text columns' })
    await userEvent.type(box, 'zz')
    await eventually(() => expect(canvas.getByTestId('host-search')).toHaveTextContent('"zz"'))
    await expect(box).toHaveValue('zz')
    await userEvent.click(canvas.getByRole('button', { name: 'Clear search' }))
    await eventually(() => expect(box).toHaveValue(''))
  },
}

function ControlledHost(props: Parameters<typeof TableEditor>[0]) {
  const [sorting, setSorting] = useState<TableEditorSorting>([])
  const [search, setSearch] = useState('')
  return (
    <div style={{ display: 'grid', gap: 8 }}>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', color: 'var(--bb-color-fg)' }}>
        <button type="button" onClick={() => setSorting([{ id: 'price', desc: true }])}>
          Most expensive first
        </button>
        <button type="button" onClick={() => setSorting([])}>
          Clear sort
        </button>
        <code data-testid="host-sorting">{JSON.stringify(sorting)}</code>
        <button type="button" onClick={() => setSearch('')}>
          Clear search
        </button>
        <code data-testid="host-search">{JSON.stringify(search)}</code>
      </div>
      <TableEditor
        {...props}
        sorting={sorting}
        onSortingChange={setSorting}
        search={search}
        onSearchChange={setSearch}
      />
    </div>
  )
}

/** Every state side by side, each on live data through its own client: loading, empty, error (with Retry) and read-only. */
export const AllStates: Story = {
  loaders: [
    async () => {
      const basebox = await sampleDatabase(['blog', 'types'])
      return {
        basebox,
        loading: neverAnswering(basebox.client),
        failing: failingUntilRecovered(basebox.client).client,
      }
    },
  ],
  render: (args, { loaded, globals }) => {
    const { basebox, loading, failing } = loaded as LoadedDatabase & {
      loading: LoadedDatabase['basebox']['client']
      failing: LoadedDatabase['basebox']['client']
    }
    const theme = args.theme ?? (globals as StoryGlobals).theme
    const cell = (title: string, client: LoadedDatabase['basebox']['client'], node: ReactNode) => (
      <section aria-label={title} style={{ minWidth: 0 }}>
        <h3 style={{ margin: '0 0 4px', font: '600 13px system-ui', color: 'var(--bb-color-fg)' }}>
          {title}
        </h3>
        <StateProvider client={client}>{node}</StateProvider>
      </section>
    )
    const common = {
      databaseId: basebox.databaseId,
      height: 260,
      theme,
      density: (globals as StoryGlobals).density,
    }
    return (
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))',
          gap: 16,
        }}
      >
        {cell('Loading', loading, <TableEditor {...common} table="posts" />)}
        {cell('Empty', basebox.client, <TableEditor {...common} table="notes" />)}
        {cell('Error', failing, <TableEditor {...common} table="posts" />)}
        {cell('Read-only', basebox.client, <TableEditor {...common} table="posts" readOnly />)}
      </div>
    )
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const region = (name: string) => within(canvas.getByRole('region', { name }))
    await expect(await region('Loading').findByRole('grid', {}, WAIT)).toHaveAttribute(
      'aria-busy',
      'true',
    )
    await expect(
      await region('Empty').findByRole('button', { name: 'Add the first row' }, WAIT),
    ).toBeVisible()
    const alert = await region('Error').findByRole('alert', {}, WAIT)
    await expect(alert).toHaveTextContent('The database is not reachable')
    await expect(within(alert).getByRole('button', { name: 'Retry' })).toBeVisible()
    const readOnly = await loadedGrid(region('Read-only'))
    await expect(readOnly).toHaveAttribute('aria-readonly', 'true')
    await expect(region('Read-only').queryByRole('button', { name: 'Add row' })).toBeNull()
  },
}

/** A provider of its own per state (each state has its own client), with a fresh cache. */
function StateProvider({
  client,
  children,
}: {
  client: LoadedDatabase['basebox']['client']
  children: ReactNode
}) {
  const [queryClient] = useState(createBaseboxQueryClient)
  return (
    <BaseboxProvider client={client} queryClient={queryClient}>
      {children}
    </BaseboxProvider>
  )
}

/* ---- Flows that write, each on a scratch database of its own ---- */

/** Edit a cell: Enter, type, Enter; the database has the new title. */
export const EditCell: Story = {
  loaders: [scratch('edit a cell')],
  play: async ({ canvasElement, loaded }) => {
    const basebox = loadedOf({ loaded })
    const canvas = within(canvasElement)
    const post = await firstRow(basebox, 'posts')
    await loadedGrid(canvas)
    await userEvent.click(await canvas.findByRole('gridcell', { name: String(post.title) }, WAIT))
    await userEvent.keyboard('{Enter}')
    const input = await canvas.findByRole('textbox', { name: 'title' }, WAIT)
    await userEvent.clear(input)
    await userEvent.type(input, 'Edited in a story{Enter}')
    await eventually(async () =>
      expect((await firstRow(basebox, 'posts')).title).toBe('Edited in a story'),
    )
    await expect(
      await canvas.findByRole('gridcell', { name: 'Edited in a story' }, WAIT),
    ).toBeVisible()
  },
}

/** An invalid value: the cell shows the error, keeps the text, and nothing is saved. */
export const InvalidValue: Story = {
  args: { table: 'products' },
  loaders: [scratch('invalid value', ['shop'])],
  play: async ({ canvasElement, loaded }) => {
    const basebox = loadedOf({ loaded })
    const canvas = within(canvasElement)
    const product = await firstRow(basebox, 'products')
    await loadedGrid(canvas)
    const stock = await cellIn(canvas, String(product.name), 'stock')
    await userEvent.dblClick(stock)
    const input = await canvas.findByRole('textbox', { name: 'stock' }, WAIT)
    await userEvent.clear(input)
    await userEvent.type(input, 'twelve{Enter}')
    await eventually(() =>
      expect(
        canvas
          .getAllByRole('alert')
          .map((alert) => alert.textContent)
          .join(' '),
      ).toMatch(/whole number/),
    )
    await expect(input).toHaveValue('twelve')
    await userEvent.keyboard('{Escape}')
    await expect((await firstRow(basebox, 'products')).stock).toBe(product.stock)
  },
}

/** Paste a 3x3 block from a spreadsheet: one write, every cell in the database. */
export const PasteBlock: Story = {
  args: { table: 'products' },
  loaders: [
    async () => {
      const { basebox } = await scratch('paste a block', ['shop'])()
      const counting = countingWrites(basebox.client)
      return {
        basebox: { ...basebox, client: counting.client },
        writes: counting.writes,
        real: basebox.client,
      }
    },
  ],
  play: async ({ canvasElement, loaded }) => {
    const { writes, real } = loaded as {
      writes: string[]
      real: LoadedDatabase['basebox']['client']
    }
    const basebox = { ...loadedOf({ loaded }), client: real }
    const canvas = within(canvasElement)
    const product = await firstRow(basebox, 'products')
    await loadedGrid(canvas)
    const anchor = await cellIn(canvas, String(product.name), 'name')
    await userEvent.click(anchor)
    paste(
      anchor,
      'Walnut tray\tSKU-9001\t24.50\nOak tray\tSKU-9002\t19.90\nCork coaster\tSKU-9003\t4.00\n',
    )
    await eventually(async () => {
      const { rows } = await real.selectRows(basebox.databaseId, 'products', {
        orderBy: { column: 'id' },
        limit: 3,
        columns: ['name', 'sku', 'price'],
      })
      await expect(rows).toEqual([
        { name: 'Walnut tray', sku: 'SKU-9001', price: '24.50' },
        { name: 'Oak tray', sku: 'SKU-9002', price: '19.90' },
        { name: 'Cork coaster', sku: 'SKU-9003', price: '4.00' },
      ])
    })
    await expect(writes).toHaveLength(1)
  },
}

/** Select two comments and delete them: the dialog says how many, Cancel keeps them, Delete removes them. */
export const DeleteWithConfirmation: Story = {
  args: { table: 'comments' },
  loaders: [scratch('delete with confirmation')],
  play: async ({ canvasElement, loaded }) => {
    const basebox = loadedOf({ loaded })
    const count = async () =>
      (
        await basebox.client.selectRows(basebox.databaseId, 'comments', {
          count: 'exact',
          limit: 0,
        })
      ).count
    const before = await count()
    const canvas = within(canvasElement)
    await loadedGrid(canvas)
    await userEvent.click(await canvas.findByRole('checkbox', { name: 'Select row 1' }, WAIT))
    await userEvent.keyboard('{Shift>}')
    await userEvent.click(canvas.getByRole('checkbox', { name: 'Select row 2' }))
    await userEvent.keyboard('{/Shift}')
    await userEvent.click(await canvas.findByRole('button', { name: 'Delete' }, WAIT))
    const page = within(canvasElement.ownerDocument.body)
    let dialog = await page.findByRole('dialog', {}, WAIT)
    await expect(within(dialog).getByRole('heading', { name: 'Delete 2 rows?' })).toBeVisible()
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    await expect(await count()).toBe(before)

    await userEvent.click(canvas.getByRole('button', { name: 'Delete' }))
    dialog = await page.findByRole('dialog', {}, WAIT)
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }))
    await eventually(async () => expect(await count()).toBe(before! - 2))
    const { rows } = await basebox.client.selectRows(basebox.databaseId, 'comments', {
      where: { id: { in: [1, 2] } },
    })
    await expect(rows).toEqual([])
  },
}

/** Expand a row: it opens in a RecordForm side panel over the grid; Save writes it and the grid shows it. */
export const ExpandRow: Story = {
  loaders: [scratch('expand a row')],
  play: async ({ canvasElement, loaded }) => {
    const basebox = loadedOf({ loaded })
    const canvas = within(canvasElement)
    const post = await firstRow(basebox, 'posts')
    await loadedGrid(canvas)
    await userEvent.click(await canvas.findByRole('button', { name: 'Expand row 1' }, WAIT))
    const page = within(canvasElement.ownerDocument.body)
    const panel = await page.findByRole('dialog', { name: 'Edit posts row' }, WAIT)
    const title = await within(panel).findByRole('textbox', { name: /^title\b/ }, WAIT)
    await eventually(() => expect(title).toHaveValue(String(post.title)))
    await userEvent.clear(title)
    await userEvent.type(title, 'Retitled in the side panel')
    await userEvent.click(within(panel).getByRole('button', { name: 'Save' }))
    await eventually(async () =>
      expect((await firstRow(basebox, 'posts')).title).toBe('Retitled in the side panel'),
    )
    await expect(
      await canvas.findByRole('gridcell', { name: 'Retitled in the side panel' }, WAIT),
    ).toBeVisible()
    await eventually(() => expect(page.queryByRole('dialog')).toBeNull())
  },
}

/** Pick a comment's author by searching users by email: the reference is stored by id. */
export const PickReference: Story = {
  args: { table: 'comments' },
  loaders: [scratch('pick a reference')],
  play: async ({ canvasElement, loaded }) => {
    const basebox = loadedOf({ loaded })
    const canvas = within(canvasElement)
    const comment = await firstRow(basebox, 'comments')
    const { rows: users } = await basebox.client.selectRows<{ id: string; email: string }>(
      basebox.databaseId,
      'users',
      { orderBy: { column: 'email' } },
    )
    const target = users.find((user) => user.id !== comment.author_id)!
    await loadedGrid(canvas)
    const cell = await cellIn(canvas, String(comment.body), 'author_id')
    await userEvent.dblClick(cell)
    const page = within(canvasElement.ownerDocument.body)
    const search = await page.findByRole('combobox', { name: 'Search users' }, WAIT)
    await userEvent.type(search, target.email.slice(0, 8))
    await userEvent.click(
      await page.findByRole(
        'option',
        { name: new RegExp(`^${target.email.replace(/[.]/g, '\\.')}`) },
        WAIT,
      ),
    )
    await eventually(async () =>
      expect((await firstRow(basebox, 'comments')).author_id).toBe(target.id),
    )
    await eventually(() => expect(cell).toHaveTextContent(target.email))
  },
}
