// Sample data for the stories: a blog, a shop, a table with every column type and a table of
// 100,000 rows, all deterministic (a seeded generator), in one shared project that is seeded once
// per browser and found again on reload; and fresh small databases for the stories that write.
import { isBaseboxError, type BaseboxClient, type TableDefinitionInput } from '@basebox/client'
import { storyEngine } from './engine.js'
import { createRandom, type Random } from './random.js'

/** A part of the sample data; each is seeded on first use. */
export type Section = 'blog' | 'shop' | 'types' | 'big'

/** A database with sample data and the client to reach it. */
export interface SampleDatabase {
  client: BaseboxClient
  projectId: string
  databaseId: string
}

/** Bump when the seed changes: sections seeded with another version are dropped and seeded again. */
export const SEED_VERSION = 1
/** The name of the shared project that holds the sample data. */
export const SAMPLE_PROJECT = 'Storybook sample data'
/** Projects the writing stories create are named with this prefix; old ones are deleted. */
export const SCRATCH_PREFIX = 'Storybook scratch: '
/** The table that records which sections are seeded, at which version. */
export const MARKER_TABLE = 'storybook_seed'
/** Rows in the big table. */
export const BIG_ROWS = 100_000

/** Sizes of the sections. */
export interface SeedSizes {
  users: number
  posts: number
  comments: number
  customers: number
  products: number
  orders: number
  types: number
}

const FULL: SeedSizes = {
  users: 24,
  posts: 120,
  comments: 600,
  customers: 60,
  products: 40,
  orders: 300,
  types: 30,
}
const SMALL: SeedSizes = {
  users: 10,
  posts: 12,
  comments: 30,
  customers: 10,
  products: 10,
  orders: 12,
  types: 10,
}

const TABLES: Record<Section, string[]> = {
  blog: ['posts', 'comments'],
  shop: ['customers', 'products', 'orders', 'order_items'],
  types: ['every_type', 'notes'],
  big: ['events'],
}

const FIRST = [
  'Ada',
  'Grace',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Dennis',
  'Frances',
  'Alan',
  'Edsger',
  'Radia',
  'Donald',
  'Hedy',
  'John',
  'Katherine',
  'Tim',
  'Sophie',
  'Niklaus',
  'Joan',
  'Guido',
]
const LAST = [
  'Lovelace',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Thompson',
  'Liskov',
  'Ritchie',
  'Allen',
  'Turing',
  'Dijkstra',
  'Perlman',
  'Knuth',
  'Lamarr',
  'Backus',
  'Johnson',
  'Berners-Lee',
  'Wilson',
  'Wirth',
  'Clarke',
  'van Rossum',
]
const TOPICS = [
  'Postgres',
  'indexes',
  'React',
  'keyset pagination',
  'WebAssembly',
  'row-level security',
  'migrations',
  'JSON columns',
  'time zones',
  'caching',
  'offline apps',
  'type safety',
]
const VERBS = [
  'Understanding',
  'A tour of',
  'Ten things about',
  'Why we chose',
  'Debugging',
  'Notes on',
  'Getting started with',
  'Scaling',
  'Testing',
  'Living with',
]
const WORDS =
  'the data table query index page row column write read cache user plan change value key schema view form grid editor fast small clear simple honest careful'.split(
    ' ',
  )
const TAGS = [
  'postgres',
  'react',
  'performance',
  'howto',
  'release',
  'opinion',
  'security',
  'design',
]
const CITIES = [
  'Lisbon',
  'Berlin',
  'Montréal',
  'Osaka',
  'Nairobi',
  'Zürich',
  'São Paulo',
  'Oslo',
  'Austin',
  'Kraków',
]
const PRODUCTS = [
  'Mug',
  'Notebook',
  'Sticker pack',
  'Hoodie',
  'T-shirt',
  'Cap',
  'Tote bag',
  'Keyboard',
  'Desk mat',
  'Water bottle',
  'Poster',
  'Socks',
]
const COLORS = ['black', 'white', 'teal', 'orange', 'navy', 'sand', 'forest', 'plum']
const STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded']
const EPOCH = new Date('2025-01-06T09:00:00Z')

function sentence(random: Random, words: number) {
  const text = Array.from({ length: words }, () => random.pick(WORDS)).join(' ')
  return text.charAt(0).toUpperCase() + text.slice(1) + '.'
}

/** The definitions of a section's tables, in creation order. */
export function sectionTables(section: Section): TableDefinitionInput[] {
  switch (section) {
    case 'blog':
      return [
        {
          name: 'posts',
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            {
              name: 'author_id',
              type: 'uuid',
              required: true,
              references: { table: 'users', column: 'id', on_delete: 'cascade' },
            },
            { name: 'title', type: 'text', required: true },
            { name: 'body', type: 'text' },
            { name: 'published', type: 'boolean', required: true, default: false },
            { name: 'tags', type: 'jsonb', default: [] },
            { name: 'published_at', type: 'timestamptz' },
            { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
          ],
        },
        {
          name: 'comments',
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            {
              name: 'post_id',
              type: 'integer',
              required: true,
              references: { table: 'posts', column: 'id', on_delete: 'cascade' },
            },
            {
              name: 'author_id',
              type: 'uuid',
              references: { table: 'users', column: 'id', on_delete: 'set null' },
            },
            { name: 'body', type: 'text', required: true },
            { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
          ],
        },
      ]
    case 'shop':
      return [
        {
          name: 'customers',
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            { name: 'name', type: 'text', required: true },
            { name: 'email', type: 'text', required: true, unique: true },
            { name: 'city', type: 'text' },
            { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
          ],
        },
        {
          name: 'products',
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            { name: 'name', type: 'text', required: true },
            { name: 'sku', type: 'text', required: true, unique: true },
            { name: 'price', type: 'numeric', required: true },
            { name: 'stock', type: 'integer', required: true, default: 0 },
            { name: 'active', type: 'boolean', required: true, default: true },
          ],
        },
        {
          name: 'orders',
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            {
              name: 'customer_id',
              type: 'integer',
              required: true,
              references: { table: 'customers', column: 'id' },
            },
            { name: 'status', type: 'text', required: true, default: 'pending' },
            { name: 'ordered_on', type: 'date', required: true },
            { name: 'shipped_at', type: 'timestamptz' },
            { name: 'note', type: 'text' },
          ],
        },
        {
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
            { name: 'quantity', type: 'integer', required: true, default: 1 },
            { name: 'unit_price', type: 'numeric', required: true },
          ],
        },
      ]
    case 'types':
      return [
        {
          name: 'every_type',
          columns: [
            { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
            { name: 'label', type: 'text', required: true },
            { name: 'count', type: 'integer' },
            { name: 'big_count', type: 'bigint' },
            { name: 'amount', type: 'numeric' },
            { name: 'ratio', type: 'double' },
            { name: 'enabled', type: 'boolean' },
            { name: 'due_on', type: 'date' },
            { name: 'happened_at', type: 'timestamptz' },
            { name: 'settings', type: 'jsonb' },
            { name: 'api_key', type: 'text', secret: true },
          ],
        },
        {
          // Left empty: the empty state.
          name: 'notes',
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            { name: 'body', type: 'text', required: true },
            { name: 'pinned', type: 'boolean', required: true, default: false },
            { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
          ],
        },
      ]
    case 'big':
      return [
        {
          name: 'events',
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            { name: 'name', type: 'text', required: true },
            { name: 'kind', type: 'text', required: true },
            { name: 'value', type: 'double' },
            { name: 'ok', type: 'boolean', required: true },
            { name: 'happened_at', type: 'timestamptz', required: true },
          ],
        },
      ]
  }
}

/** The secret each `every_type` row holds in `api_key`: never shown by any component. */
export const SECRET_PREFIX = 'sk_live_do_not_show_'

async function seedSection(
  client: BaseboxClient,
  databaseId: string,
  section: Section,
  sizes: SeedSizes,
): Promise<void> {
  for (const definition of sectionTables(section)) {
    await client.createTable(databaseId, definition)
  }
  const random = createRandom(
    {
      blog: 1,
      shop: 2,
      types: 3,
      big: 4,
    }[section],
  )
  const insert = (table: string, rows: Record<string, unknown>[]) =>
    client.insertRows(databaseId, table, rows, { returning: false })
  if (section === 'blog') {
    const users = Array.from({ length: sizes.users }, (_, index) => {
      const first = FIRST[index % FIRST.length]!
      const last = LAST[(index * 7 + 3) % LAST.length]!
      return {
        id: random.uuid(),
        email: `${first}.${last}${index >= FIRST.length ? index : ''}@example.com`
          .toLowerCase()
          .replace(/[^a-z0-9.@-]/g, ''),
        full_name: `${first} ${last}`,
        created_at: random.timestamp(EPOCH, 30),
      }
    })
    await insert('users', users)
    await insert(
      'posts',
      Array.from({ length: sizes.posts }, (_, index) => {
        const published = random.chance(0.7)
        const created = random.timestamp(EPOCH, 300)
        return {
          id: index + 1,
          author_id: random.pick(users).id,
          title: `${random.pick(VERBS)} ${random.pick(TOPICS)}${index >= VERBS.length * 2 ? ` (part ${(index % 4) + 1})` : ''}`,
          body: Array.from({ length: random.int(2, 5) }, () =>
            sentence(random, random.int(6, 16)),
          ).join(' '),
          published,
          tags: random.some(TAGS, 2.5),
          published_at: published
            ? new Date(new Date(created).getTime() + random.int(1, 72) * 3_600_000).toISOString()
            : null,
          created_at: created,
        }
      }),
    )
    await insert(
      'comments',
      Array.from({ length: sizes.comments }, (_, index) => ({
        id: index + 1,
        post_id: random.int(1, sizes.posts),
        author_id: random.chance(0.9) ? random.pick(users).id : null,
        body: sentence(random, random.int(3, 14)),
        created_at: random.timestamp(EPOCH, 330),
      })),
    )
  } else if (section === 'shop') {
    await insert(
      'customers',
      Array.from({ length: sizes.customers }, (_, index) => {
        const first = FIRST[(index * 3) % FIRST.length]!
        const last = LAST[(index * 11 + 5) % LAST.length]!
        return {
          id: index + 1,
          name: `${first} ${last}`,
          email: `${first}.${last}.${index + 1}@shop.example`
            .toLowerCase()
            .replace(/[^a-z0-9.@-]/g, ''),
          city: random.chance(0.9) ? random.pick(CITIES) : null,
          created_at: random.timestamp(EPOCH, 200),
        }
      }),
    )
    const products = Array.from({ length: sizes.products }, (_, index) => ({
      id: index + 1,
      name: `${COLORS[index % COLORS.length]!.replace(/^./, (c) => c.toUpperCase())} ${PRODUCTS[index % PRODUCTS.length]!.toLowerCase()}`,
      sku: `SKU-${String(1000 + index * 7)}`,
      price: (random.int(300, 12_000) / 100).toFixed(2),
      stock: random.int(0, 250),
      active: random.chance(0.85),
    }))
    await insert('products', products)
    await insert(
      'orders',
      Array.from({ length: sizes.orders }, (_, index) => {
        const status = random.pick(STATUSES)
        const ordered = random.timestamp(EPOCH, 330)
        return {
          id: index + 1,
          customer_id: random.int(1, sizes.customers),
          status,
          ordered_on: ordered.slice(0, 10),
          shipped_at: ['shipped', 'delivered'].includes(status)
            ? new Date(new Date(ordered).getTime() + random.int(1, 5) * 86_400_000).toISOString()
            : null,
          note: random.chance(0.15) ? sentence(random, random.int(3, 8)) : null,
        }
      }),
    )
    const items: Record<string, unknown>[] = []
    for (let order = 1; order <= sizes.orders; order++) {
      for (let line = random.int(1, 5); line > 0; line--) {
        const product = random.pick(products)
        items.push({
          id: items.length + 1,
          order_id: order,
          product_id: product.id,
          quantity: random.int(1, 4),
          unit_price: product.price,
        })
      }
    }
    await insert('order_items', items)
  } else if (section === 'types') {
    await insert(
      'every_type',
      Array.from({ length: sizes.types }, (_, index) => {
        // Every fourth row leaves the optional columns empty (null); the others fill them.
        const empty = index % 4 === 3
        return {
          id: random.uuid(),
          label: `Row ${index + 1}: ${random.pick(TOPICS)}`,
          count: empty ? null : random.int(-1_000, 1_000_000),
          big_count: empty
            ? null
            : String(BigInt(random.int(1, 2_000_000_000)) * 4_611_686n + BigInt(index)),
          amount: empty ? null : (random.int(-100_000, 10_000_000) / 100).toFixed(2),
          ratio: empty ? null : Math.round(random.next() * 1e6) / 1e6,
          enabled: empty ? null : random.chance(0.5),
          due_on: empty ? null : random.timestamp(EPOCH, 400).slice(0, 10),
          happened_at: empty ? null : random.timestamp(EPOCH, 400),
          settings: empty
            ? null
            : {
                theme: random.pick(['light', 'dark']),
                tags: random.some(TAGS, 2),
                limit: random.int(1, 100),
              },
        }
      }),
    )
    // A secret column is never written through the record APIs: the secret goes in by SQL.
    await client.runSQL(
      databaseId,
      `update every_type set api_key = '${SECRET_PREFIX}' || md5(label)`,
    )
  } else {
    // One statement: 100,000 rows from generate_series, deterministic (no random()).
    await client.runSQL(
      databaseId,
      `insert into events (id, name, kind, value, ok, happened_at)
       select i,
              'event ' || i,
              (array['click', 'view', 'signup', 'purchase', 'error'])[1 + (i * 7) % 5],
              case when i % 10 = 0 then null else round(((i * 7919) % 100000)::numeric / 100, 2)::double precision end,
              i % 13 <> 0,
              timestamptz '2025-01-01 00:00:00+00' + make_interval(secs => i * 97)
       from generate_series(1, ${BIG_ROWS}) as i`,
      [],
      { timeoutMs: 120_000 },
    )
  }
}

async function seededSections(
  client: BaseboxClient,
  databaseId: string,
): Promise<Map<string, number>> {
  const { rows } = await client.selectRows<{ section: string; version: number }>(
    databaseId,
    MARKER_TABLE,
    { limit: 100 },
  )
  return new Map(rows.map((row) => [row.section, row.version]))
}

interface Shared {
  database: SampleDatabase
  sections: Map<Section, Promise<void>>
  /** One seeding at a time (schema changes on one connection, in order). */
  queue: Promise<unknown>
}

let shared: Promise<Shared> | undefined

async function openShared(): Promise<Shared> {
  const { client } = await storyEngine()
  const projects = await client.listProjects()
  // Scratch projects of earlier visits are not needed any more.
  for (const project of projects.filter((p) => p.name.startsWith(SCRATCH_PREFIX))) {
    await client.deleteProject(project.id)
  }
  let project = projects.find((p) => p.name === SAMPLE_PROJECT)
  project ??= await client.createProject({
    name: SAMPLE_PROJECT,
    description: 'Sample data of the Storybook (a blog, a shop, every column type, 100,000 events)',
  })
  let databaseId: string
  try {
    databaseId = (await client.getDatabase(project.id)).id
  } catch (error) {
    if (!isBaseboxError(error) || error.code !== 'NOT_FOUND') throw error
    databaseId = (await client.createDatabase(project.id)).id
  }
  const tables = new Set((await client.listTables(databaseId)).map((table) => table.name))
  if (!tables.has(MARKER_TABLE)) {
    await client.createTable(databaseId, {
      name: MARKER_TABLE,
      columns: [
        { name: 'section', type: 'text', primary_key: true },
        { name: 'version', type: 'integer', required: true },
        { name: 'seeded_at', type: 'timestamptz', required: true, default: 'now()' },
      ],
    })
  }
  return {
    database: { client, projectId: project.id, databaseId },
    sections: new Map(),
    queue: Promise.resolve(),
  }
}

async function ensureSection(state: Shared, section: Section): Promise<void> {
  const { client, databaseId } = state.database
  if ((await seededSections(client, databaseId)).get(section) === SEED_VERSION) return
  // Seeded with another version, or cut off half-way (no marker): start the section over.
  const existing = new Set((await client.listTables(databaseId)).map((table) => table.name))
  for (const name of [...TABLES[section]].reverse()) {
    if (existing.has(name)) await client.dropTable(databaseId, name, { cascade: true })
  }
  if (section === 'blog') {
    await client.deleteRows(databaseId, 'users', {}, { all: true })
  }
  await client.deleteRows(databaseId, MARKER_TABLE, { section })
  const started = performance.now()
  await seedSection(client, databaseId, section, FULL)
  await client.insertRows(
    databaseId,
    MARKER_TABLE,
    { section, version: SEED_VERSION },
    { returning: false },
  )
  console.info(`[stories] seeded ${section} in ${Math.round(performance.now() - started)} ms`)
}

/**
 * The shared sample database, with `sections` seeded (each once per browser: a later visit
 * finds them in the persisted data directory by the rows of `storybook_seed`). Read-only stories
 * use it; stories that write use {@link scratchDatabase}.
 */
export async function sampleDatabase(
  sections: readonly Section[] = ['blog', 'shop', 'types'],
): Promise<SampleDatabase> {
  shared ??= openShared().catch((error: unknown) => {
    shared = undefined
    throw error
  })
  const state = await shared
  for (const section of sections) {
    let seeding = state.sections.get(section)
    if (!seeding) {
      seeding = state.queue.then(() => ensureSection(state, section))
      seeding.catch(() => state.sections.delete(section))
      state.sections.set(section, seeding)
      state.queue = seeding.catch(() => {})
    }
    await seeding
  }
  return state.database
}

/**
 * A new project and database of its own with small versions of `sections` (10 to 30 rows a
 * table), for a story that writes: it never disturbs the shared seed or another story. Deleted
 * on the next visit.
 */
export async function scratchDatabase(
  label: string,
  sections: readonly Exclude<Section, 'big'>[] = ['blog'],
): Promise<SampleDatabase> {
  // Opening the shared project first removes the scratch projects of earlier visits.
  await sampleDatabase([])
  const { client } = await storyEngine()
  const project = await client.createProject({ name: `${SCRATCH_PREFIX}${label}` })
  const database = await client.createDatabase(project.id)
  for (const section of sections) {
    await seedSection(client, database.id, section, SMALL)
  }
  return { client, projectId: project.id, databaseId: database.id }
}
