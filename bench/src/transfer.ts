// `pnpm --filter @basebox/bench bench:transfer`: export and import of a 100,000-row table by the
// engine, beside the raw driver doing the same in the same run. PGlite always; PostgreSQL too
// when DATABASE_URL is set. Prints a table per backend; never fails on a time.
//
// Raw side: COPY by the raw driver, as CSV text. On PGlite, `COPY ... TO/FROM '/dev/blob'`
// (PGlite's COPY); on PostgreSQL, `COPY ... TO STDOUT` / `COPY ... FROM STDIN` through
// `pg-copy-streams` on a pooled pg client of its own.
import { loadavg } from 'node:os'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { PGlite } from '@electric-sql/pglite'
import {
  createBasebox,
  exportCSV,
  exportDatabase,
  importDatabase,
  type DatabaseExport,
  type DatabaseHandle,
  type Driver,
  type TableDefinitionInput,
} from '@basebox/core'
import { pgDriver } from '@basebox/core/pg'
import { pgliteDriver } from '@basebox/core/pglite'
import { dropCatalog } from '@basebox/core/testing'
import pg from 'pg'
import { from as copyFrom, to as copyTo } from 'pg-copy-streams'
import { countPGlite, countPgPool, StatementCounter } from './instrument.js'
import { measure, type Operation } from './measure.js'
import { formatTable, type ComparisonRow } from './report.js'

const ROWS = positiveInteger('BENCH_TRANSFER_ROWS', 100_000)
const ITERATIONS = positiveInteger('BENCH_TRANSFER_ITERATIONS', 3)
const WARMUPS = positiveInteger('BENCH_TRANSFER_WARMUPS', 1)

function positiveInteger(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number`)
  }
  return value
}

const EVENTS: TableDefinitionInput = {
  name: 'events',
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'name', type: 'text', required: true },
    { name: 'score', type: 'double' },
    { name: 'at', type: 'timestamptz' },
    { name: 'meta', type: 'jsonb' },
  ],
}
const RAW_COLUMNS =
  'id integer primary key, name text not null, score double precision, at timestamptz, meta jsonb'

/** The raw side of one backend: export and import of the same table without the engine. */
interface RawTransfer {
  label: { export: string; import: string }
  query(text: string, params?: unknown[]): Promise<unknown>
  /** The table as CSV text with a header row. */
  exportAll(schema: string): Promise<string>
  importAll(schema: string, csv: string): Promise<unknown>
  close(): Promise<void>
}

interface Backend {
  name: string
  counter: StatementCounter
  driver: Driver
  raw: RawTransfer
}

async function pgliteBackend(): Promise<Backend> {
  const counter = new StatementCounter()
  const pglite = countPGlite(await PGlite.create(), counter)
  return {
    name: `PGlite ${(await pglite.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v} in memory`,
    counter,
    driver: pgliteDriver(pglite),
    raw: {
      label: {
        export: "`COPY events TO '/dev/blob'` (csv)",
        import: "`COPY events FROM '/dev/blob'` (csv)",
      },
      query: (text, params) => pglite.query(text, params),
      async exportAll(schema) {
        const result = await pglite.query(
          `copy "${schema}".events to '/dev/blob' with (format csv, header)`,
        )
        return await result.blob!.text()
      },
      importAll: (schema, csv) =>
        pglite.query(`copy "${schema}".events_in from '/dev/blob' with (format csv, header)`, [], {
          blob: new Blob([csv]),
        }),
      close: async () => {},
    },
  }
}

async function postgresBackend(url: string): Promise<Backend> {
  const counter = new StatementCounter()
  const options = { connectionString: url, max: 4, pipeline: true }
  const enginePool = countPgPool(new pg.Pool(options), counter)
  const rawPool = countPgPool(new pg.Pool(options), counter)
  // One pooled client per statement (the counting wrapper handles `connect()`, not `pool.query`).
  const query = async (text: string, params?: unknown[]) => {
    const client = await rawPool.connect()
    try {
      return await client.query(text, params)
    } finally {
      client.release()
    }
  }
  // COPY streams on a pool of their own: the counting wrapper expects promises, not streams.
  const copyPool = new pg.Pool({ connectionString: url, max: 2 })
  const copy = async <T>(text: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await copyPool.connect()
    try {
      return await counter.time(text, () => work(client))
    } finally {
      client.release()
    }
  }
  const version = String(
    (await query("select current_setting('server_version') as v")).rows[0]!.v,
  ).split(' ')[0]
  return {
    name: `PostgreSQL ${version} over pg (TCP, same machine)`,
    counter,
    driver: pgDriver(enginePool),
    raw: {
      label: {
        export: '`COPY events TO STDOUT` (csv, pg-copy-streams)',
        import: '`COPY events FROM STDIN` (csv, pg-copy-streams)',
      },
      query,
      exportAll: (schema) =>
        copy('copy to stdout', async (client) => {
          const chunks: Buffer[] = []
          for await (const chunk of client.query(
            copyTo(`copy "${schema}".events to stdout with (format csv, header)`),
          )) {
            chunks.push(chunk as Buffer)
          }
          return Buffer.concat(chunks).toString('utf8')
        }),
      importAll: (schema, csv) =>
        copy('copy from stdin', (client) =>
          pipeline(
            Readable.from([csv]),
            client.query(
              copyFrom(`copy "${schema}".events_in from stdin with (format csv, header)`),
            ),
          ),
        ),
      close: async () => {
        await rawPool.end()
        await copyPool.end()
      },
    },
  }
}

async function run(backend: Backend): Promise<void> {
  const catalog = `bench_${crypto.randomUUID().slice(0, 8)}`
  const rawSchema = `${catalog}_transfer_raw`
  console.log(
    `\n== ${backend.name}\n   ${ROWS} rows, ${ITERATIONS} iterations after ${WARMUPS} warm-up(s), catalog ${catalog}, load average ${loadavg()[0]!.toFixed(1)}`,
  )
  const bb = await createBasebox({ driver: backend.driver, catalogSchema: catalog })
  try {
    const owner = bb.owner('bench-transfer')
    const fresh = async (): Promise<DatabaseHandle> =>
      owner.createDatabase((await owner.createProject({ name: 'transfer' })).id)
    const source = await fresh()
    await source.createTable(EVENTS)
    for (let start = 0; start < ROWS; start += 50_000) {
      const rows = Array.from({ length: Math.min(50_000, ROWS - start) }, (_, k) => {
        const i = start + k
        return {
          id: i + 1,
          name: `event "${i}", ok`,
          score: i % 7 === 0 ? null : i / 8,
          at: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
          meta: i % 3 === 0 ? { i, tags: ['a', 'b'] } : null,
        }
      })
      await source.insert('events', rows, { returning: false })
    }
    await backend.raw.query(`create schema "${rawSchema}"`)
    await backend.raw.query(`create table "${rawSchema}".events (${RAW_COLUMNS})`)
    await backend.raw.query(`create table "${rawSchema}".events_in (${RAW_COLUMNS})`)
    await backend.raw.query(
      `insert into "${rawSchema}".events select * from "${source.info.schema_name}".events`,
    )

    // The inputs of the imports, made once, untimed.
    const file: DatabaseExport = await exportDatabase(source, { format: 'json', table: 'events' })
    let csv = ''
    for await (const chunk of exportCSV(source, { table: 'events' })) {
      csv += chunk
    }
    // Both sides write the same CSV: the engine's export imports through COPY as is.
    const copied = await backend.raw.exportAll(rawSchema)
    console.log(`   raw COPY CSV ${copied.length} chars, engine CSV ${csv.length} chars`)

    const operations: Record<string, Operation> = {
      exportJSON: async () => () =>
        exportDatabase(source, { format: 'json', table: 'events' }).then((e) => JSON.stringify(e)),
      exportCSV: async () => async () => {
        let text = ''
        for await (const chunk of exportCSV(source, { table: 'events' })) {
          text += chunk
        }
        return text
      },
      rawExport: async () => () => backend.raw.exportAll(rawSchema),
      importJSON: async () => {
        const target = await fresh()
        return () => importDatabase(target, file, { format: 'json' })
      },
      importCSV: async () => {
        const target = await fresh()
        await target.createTable(EVENTS)
        return () => importDatabase(target, csv, { format: 'csv', table: 'events' })
      },
      rawImport: async () => {
        await backend.raw.query(`truncate "${rawSchema}".events_in`)
        return () => backend.raw.importAll(rawSchema, csv)
      },
    }
    const results = await measure(backend.counter, operations, {
      warmups: WARMUPS,
      iterations: ITERATIONS,
    })
    const rows: ComparisonRow[] = [
      {
        operation: `export ${ROWS} rows, JSON (+ stringify)`,
        rawLabel: backend.raw.label.export,
        engine: results.exportJSON!,
        raw: results.rawExport!,
      },
      {
        operation: `export ${ROWS} rows, CSV (streamed)`,
        rawLabel: backend.raw.label.export,
        engine: results.exportCSV!,
        raw: results.rawExport!,
      },
      {
        operation: `import ${ROWS} rows, JSON (new table)`,
        rawLabel: backend.raw.label.import,
        engine: results.importJSON!,
        raw: results.rawImport!,
      },
      {
        operation: `import ${ROWS} rows, CSV (existing table)`,
        rawLabel: backend.raw.label.import,
        engine: results.importCSV!,
        raw: results.rawImport!,
      },
    ]
    console.log(`\n${formatTable(rows)}\n   load average after: ${loadavg()[0]!.toFixed(1)}`)
  } finally {
    await backend.raw.query(`drop schema if exists "${rawSchema}" cascade`).catch(() => {})
    await dropCatalog(bb.kysely, catalog).catch((error: unknown) =>
      console.warn(`could not drop ${catalog}`, error),
    )
    await bb.destroy()
    await backend.raw.close()
  }
}

async function main(): Promise<void> {
  const only = process.env.BASEBOX_DRIVERS?.split(',').map((n) => n.trim())
  const wanted = (name: string) => only === undefined || only.includes(name)
  if (wanted('pglite')) {
    await run(await pgliteBackend())
  }
  const url = process.env.DATABASE_URL
  if (wanted('postgres') && url !== undefined && url !== '') {
    await run(await postgresBackend(url))
  } else if (wanted('postgres')) {
    console.log('\nDATABASE_URL is not set: PostgreSQL skipped.')
  }
}

await main()
