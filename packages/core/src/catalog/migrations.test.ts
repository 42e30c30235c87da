import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBasebox, type Basebox } from '../basebox.js'
import type { Driver } from '../driver/driver.js'
import { pgDriver } from '../driver/pg/pg-driver.js'
import { pgliteDriver } from '../driver/pglite/pglite-driver.js'
import { dropCatalog, testCatalogName, type RawQuery } from '../testing/harness.js'
import { catalogFingerprint } from '../testing/introspect.js'
import { loadPGliteSnapshot } from '../testing/pglite-snapshot.js'
import { catalogNames } from './catalog-names.js'
import { CATALOG_MIGRATIONS, CATALOG_VERSION, migrateCatalog } from './migrations.js'

/** One backend: a way to make independent engine drivers over it, and raw SQL for assertions. */
interface Backend {
  /** A new driver; engines made from two of them run side by side. */
  driver(): Driver
  query: RawQuery
}

const VERSIONS = CATALOG_MIGRATIONS.map((m) => m.version)

/** The migrations recorded in a catalog. */
async function recorded(query: RawQuery, catalog: string) {
  return query<{ version: number; name: string; applied_at: unknown }>(
    `select version, name, applied_at::text from "${catalog}".migrations order by version, applied_at`,
  )
}

/** The migration tests, run against one backend. */
function describeMigrations(name: string, getBackend: () => Backend): void {
  describe(`${name}: catalog migrations`, () => describeMigrationsOn(getBackend))
}

function describeMigrationsOn(getBackend: () => Backend): void {
  const engines: Basebox[] = []
  const catalogs: string[] = []

  function fresh(): string {
    const catalog = testCatalogName()
    catalogs.push(catalog)
    return catalog
  }

  async function start(catalog: string): Promise<Basebox> {
    const bb = await createBasebox({ driver: getBackend().driver(), catalogSchema: catalog })
    engines.push(bb)
    return bb
  }

  afterAll(async () => {
    const [first] = engines
    if (first !== undefined) {
      for (const catalog of catalogs) {
        await dropCatalog(first.kysely, catalog)
      }
    }
    for (const bb of engines) {
      await bb.destroy()
    }
  })

  it('lists its migrations in increasing order, ending at CATALOG_VERSION', () => {
    expect(VERSIONS).toEqual([...VERSIONS].sort((a, b) => a - b))
    expect(new Set(VERSIONS).size).toBe(VERSIONS.length)
    expect(VERSIONS.at(-1)).toBe(CATALOG_VERSION)
  })

  it('two engines starting at once on one catalog apply each migration exactly once, and both work', async () => {
    const { query } = getBackend()
    const catalog = fresh()
    const [a, b] = await Promise.all([start(catalog), start(catalog)])
    const rows = await recorded(query, catalog)
    expect(rows.map((r) => r.version)).toEqual(VERSIONS)
    expect(rows.map((r) => r.name)).toEqual(CATALOG_MIGRATIONS.map((m) => m.name))

    // Both engines see the same catalog, and each can build on what the other made.
    const project = await a!.owner('host-user').createProject({ name: 'Made by a' })
    expect((await b!.owner('host-user').listProjects()).map((p) => p.id)).toEqual([project.id])
    const db = await b!.owner('host-user').createDatabase(project.id)
    await db.createTable({
      name: 'notes',
      columns: [{ name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' }],
    })
    const seen = await a!.owner('host-user').database(project.id)
    expect((await seen.listTables()).map((t) => t.name)).toEqual(['users', 'notes'])
    expect(await b!.owner('someone-else').listProjects()).toEqual([])
  })

  it('a second createBasebox on an existing catalog applies nothing', async () => {
    const { query } = getBackend()
    const catalog = fresh()
    const first = await start(catalog)
    await first.owner('host-user').createProject({ name: 'Kept' })
    const migrations = await recorded(query, catalog)
    const fingerprint = await catalogFingerprint(query, catalog)

    const second = await start(catalog)
    expect(await recorded(query, catalog)).toEqual(migrations)
    expect(await catalogFingerprint(query, catalog)).toBe(fingerprint)
    expect(await migrateCatalog(second.kysely, second.catalog)).toEqual([])
    expect((await second.owner('host-user').listProjects()).map((p) => p.name)).toEqual(['Kept'])
  })

  it('migrateCatalog reports the versions it applied on a new catalog, then none', async () => {
    const bb = await start(fresh())
    const names = catalogNames(fresh())
    expect(await migrateCatalog(bb.kysely, names)).toEqual(VERSIONS)
    expect(await migrateCatalog(bb.kysely, names)).toEqual([])
  })

  it('an up-to-date catalog is checked with one statement (no lock, no transaction)', async () => {
    const bb = await start(fresh())
    const statements: string[] = []
    const counting = bb.kysely.withPlugin({
      transformQuery: (args) => {
        statements.push(args.node.kind)
        return args.node
      },
      transformResult: async (args) => args.result,
    })
    expect(await migrateCatalog(counting, bb.catalog)).toEqual([])
    expect(statements).toHaveLength(1)
    // A catalog that does not exist yet takes the locked path: the check, then the migrations.
    statements.length = 0
    expect(await migrateCatalog(counting, catalogNames(fresh()))).toEqual(VERSIONS)
    expect(statements.length).toBeGreaterThan(VERSIONS.length)
  })

  it('many engines starting at once still record each migration once', async () => {
    const { query } = getBackend()
    const catalog = fresh()
    await Promise.all([start(catalog), start(catalog), start(catalog), start(catalog)])
    expect((await recorded(query, catalog)).map((r) => r.version)).toEqual(VERSIONS)
  })
}

describe('pglite', () => {
  let pglite: PGlite | undefined
  beforeAll(async () => {
    pglite = await loadPGliteSnapshot(PGlite)
  })
  afterAll(async () => {
    await pglite?.close()
  })
  describeMigrations('pglite', () => {
    const instance = pglite!
    // Every engine closes its driver's PGlite when destroyed: give each one a handle whose
    // close() does nothing, and close the instance once, after all of them.
    const keepOpen = () =>
      new Proxy(instance, {
        get(target, key) {
          if (key === 'close') {
            return async () => {}
          }
          const value = Reflect.get(target, key, target)
          return typeof value === 'function' ? value.bind(target) : value
        },
      })
    return {
      driver: () => pgliteDriver(keepOpen()),
      query: async <R>(text: string, params?: unknown[]) =>
        (await instance.query<R>(text, params)).rows,
    }
  })
})

const url = process.env.DATABASE_URL

if (url === undefined || url === '') {
  console.warn(
    'DATABASE_URL is not set: the Postgres catalog migration tests are skipped (PGlite still runs)',
  )
  describe('postgres: catalog migrations', () => {
    it.skipIf(!url)('needs DATABASE_URL', () => {})
  })
} else {
  describe('postgres', () => {
    // A pool for assertions; each engine gets a pool of its own, ended when it is destroyed.
    let admin: pg.Pool | undefined
    const newPool = () =>
      new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 10_000 })
    beforeAll(async () => {
      admin = newPool()
      // Fail loudly (not skip) when the server CI promised is unreachable.
      await admin.query('select 1')
    })
    afterAll(async () => {
      await admin?.end()
    })
    describeMigrations('postgres', () => ({
      driver: () => pgDriver(newPool()),
      query: async <R>(text: string, params?: unknown[]) =>
        (await admin!.query(text, params)).rows as R[],
    }))
  })
}

describe('pglite: an engine connected as a role that is not a superuser', () => {
  // `createBasebox` checks `rolsuper` and, when false, grants itself each project role it makes
  // (owner-scope.ts), so a role with CREATEROLE and CREATE on the database is meant to be
  // enough. Catalog queries also `SET ROLE` to the catalog role, which must be granted too.
  let pglite: PGlite | undefined
  let bb: Basebox | undefined
  beforeAll(async () => {
    pglite = await loadPGliteSnapshot(PGlite)
    await pglite.exec(`
      create role basebox_admin createrole;
      do $$ begin execute format('grant create on database %I to basebox_admin', current_database()); end $$;
      set session authorization basebox_admin;
    `)
    bb = await createBasebox({ driver: pgliteDriver(pglite), catalogSchema: 'not_super' })
  })
  afterAll(async () => {
    await bb?.destroy()
  })

  it('creates projects, databases, tables and records', async () => {
    expect((await pglite!.query<{ u: string }>('select current_user as u')).rows).toEqual([
      { u: 'basebox_admin' },
    ])
    const owner = bb!.owner('host-user')
    const project = await owner.createProject({ name: 'Not super' })
    const db = await owner.createDatabase(project.id)
    await db.createTable({
      name: 'notes',
      columns: [{ name: 'id', type: 'integer', primary_key: true }],
    })
    await db.insert('notes', { id: 1 })
    expect((await db.select('notes')).rows).toEqual([{ id: 1 }])
  })
})
