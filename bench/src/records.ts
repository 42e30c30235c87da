// `pnpm --filter @basebox/bench bench:records`: the engine's record operations beside the raw
// driver doing the same work on the same driver, in one run: (a) select by id, (b) filter + sort
// + page over 100,000 rows, indexed and not, (c) bulk insert of 100,000 rows. PGlite always;
// PostgreSQL too when DATABASE_URL is set. Bounded runtime (about 1.5 min per backend). Prints
// and records; never fails on a time.
import { PGlite } from '@electric-sql/pglite'
import {
  createBasebox,
  type DatabaseHandle,
  type Driver,
  type TableDefinitionInput,
} from '@basebox/core'
import { pgDriver } from '@basebox/core/pg'
import { pgliteDriver } from '@basebox/core/pglite'
import { dropCatalog } from '@basebox/core/testing'
import pg from 'pg'
import benchPackage from '../package.json' with { type: 'json' }
import { countPGlite, countPgPool, StatementCounter } from './instrument.js'
import { measure, type OperationResult } from './measure.js'
import { writeSectionBlock } from './readme-section.js'
import {
  compareThroughput,
  envInteger,
  fmt,
  load,
  machine,
  markdownTable,
  now,
  wantedDrivers,
  type Op,
  type ThroughputSummary,
} from './throughput.js'

const README = new URL('../README.md', import.meta.url)
/** Rows of the tables of (b) and of the bulk insert (c). */
const ROWS = envInteger('BENCH_RECORDS_ROWS', 100_000)
/** Each read case: ROUNDS windows of WINDOW_MS per side, sides alternating, after a warm-up. */
const WINDOW_MS = envInteger('BENCH_RECORDS_WINDOW_MS', 1000)
const ROUNDS = envInteger('BENCH_RECORDS_ROUNDS', 3)
const WARMUP_MS = envInteger('BENCH_RECORDS_WARMUP_MS', 300)
/** Concurrency of the second read run on PostgreSQL (PGlite runs one statement at a time). */
const CONCURRENCY = envInteger('BENCH_RECORDS_CONCURRENCY', 16)
/** Timed bulk inserts per side, after one warm-up. */
const BULK_RUNS = envInteger('BENCH_RECORDS_BULK_RUNS', 3)
const PAGE = 20
const CATEGORIES = 50
/** Rows per statement of the engine's bulk insert (`INSERT_CHUNK_ROWS` in core), for the raw copy of its SQL. */
const ENGINE_CHUNK = 5000

const TARGET_READ = 0.8
const TARGET_BULK = 0.7
const TARGET_BULK_ROWS = 100_000

function columns(): TableDefinitionInput['columns'] {
  return [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'category', type: 'text', required: true },
    { name: 'score', type: 'double', required: true },
    { name: 'name', type: 'text' },
    { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
  ]
}

/** Raw access beside the engine: the same database, the same driver, no engine. */
interface Raw {
  /** One statement, outside any explicit transaction. */
  query(text: string, params?: unknown[]): Promise<unknown[]>
  /**
   * One statement with the isolation the engine pays: `begin`, switch role and `search_path`
   * (`set_config(..., true)`), the statement, `commit`. On pg the three go out pipelined on one
   * connection, as the engine sends them.
   */
  isolated(enter: string, text: string, params: unknown[]): Promise<unknown[]>
  /** Several statements in one transaction (pipelined on pg, one after another on PGlite). */
  transaction(statements: { text: string; params: unknown[] }[]): Promise<void>
}

interface Backend {
  name: 'pglite' | 'postgres'
  label: string
  counter: StatementCounter
  driver: Driver
  raw: Raw
  /** The read concurrencies measured. */
  concurrencies: number[]
  close(): Promise<void>
}

function version(name: string): string {
  return (benchPackage.dependencies as Record<string, string>)[name] ?? '?'
}

async function pgliteBackend(): Promise<Backend> {
  const counter = new StatementCounter()
  const pglite = countPGlite(await PGlite.create(), counter)
  const serverVersion = (
    await pglite.query<{ v: string }>(`select current_setting('server_version') as v`)
  ).rows[0]!.v
  return {
    name: 'pglite',
    label: `PGlite ${version('@electric-sql/pglite')} in memory (PostgreSQL ${serverVersion})`,
    counter,
    driver: pgliteDriver(pglite),
    raw: {
      query: async (text, params) => (await pglite.query(text, params)).rows,
      isolated: (enter, text, params) =>
        pglite.transaction(async (tx) => {
          await tx.query(enter)
          return (await tx.query(text, params)).rows
        }),
      transaction: (statements) =>
        pglite.transaction(async (tx) => {
          for (const s of statements) {
            await tx.query(s.text, s.params)
          }
        }),
    },
    concurrencies: [1],
    close: async () => {},
  }
}

async function postgresBackend(url: string): Promise<Backend> {
  const counter = new StatementCounter()
  // Same settings on both sides; `pipeline: true` as `pgDriver` recommends.
  const options = { connectionString: url, max: CONCURRENCY, pipeline: true }
  const enginePool = countPgPool(new pg.Pool(options), counter)
  const rawPool = countPgPool(new pg.Pool(options), counter)
  const withClient = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await rawPool.connect()
    try {
      return await fn(client)
    } finally {
      client.release()
    }
  }
  const raw: Raw = {
    query: (text, params) => withClient(async (c) => (await c.query(text, params)).rows),
    isolated: (enter, text, params) =>
      withClient(async (c) => {
        const [, result] = await Promise.all([
          c.query(`begin; ${enter}`),
          c.query(text, params),
          c.query('commit'),
        ])
        return result.rows
      }),
    transaction: (statements) =>
      withClient(async (c) => {
        await Promise.all([
          c.query('begin'),
          ...statements.map((s) => c.query(s.text, s.params)),
          c.query('commit'),
        ])
      }),
  }
  const [row] = (await raw.query(`select current_setting('server_version') as v`)) as {
    v: string
  }[]
  return {
    name: 'postgres',
    label: `PostgreSQL ${row!.v.split(' ')[0]} over pg ${version('pg')} (TCP, same machine, pipeline mode)`,
    counter,
    driver: pgDriver(enginePool),
    raw,
    concurrencies: [1, CONCURRENCY],
    close: () => rawPool.end(),
  }
}

interface ReadRow {
  operation: string
  concurrency: number
  results: Record<'engine' | 'raw' | 'isolated', ThroughputSummary>
  statements: Record<'engine' | 'raw' | 'isolated', number>
}

interface BulkRow {
  label: string
  result: OperationResult
}

/** Statements one call of each side sends (begin and commit included). */
async function countStatements(
  counter: StatementCounter,
  sides: Record<'engine' | 'raw' | 'isolated', Op>,
): Promise<Record<'engine' | 'raw' | 'isolated', number>> {
  const out = { engine: 0, raw: 0, isolated: 0 }
  for (const name of ['engine', 'raw', 'isolated'] as const) {
    const read = counter.start()
    await sides[name](1)
    out[name] = read().statements
  }
  return out
}

async function run(backend: Backend): Promise<void> {
  const catalog = `bench_${crypto.randomUUID().slice(0, 8)}`
  const loadBefore = load()
  const started = performance.now()
  console.log(
    `\n== ${backend.label}\n   catalog schema ${catalog}; ${ROWS} rows; read windows ${ROUNDS} × ${WINDOW_MS} ms per side`,
  )
  const bb = await createBasebox({ driver: backend.driver, catalogSchema: catalog })
  const { raw, counter } = backend
  try {
    const owner = bb.owner('bench-records')
    const db: DatabaseHandle = await owner.createDatabase(
      (await owner.createProject({ name: 'records bench' })).id,
    )
    const schema = db.info.schema_name
    const role = db.info.role_name
    const t = (name: string) => `"${schema}"."${name}"`
    await db.createTable({ name: 'items', columns: columns() })
    await db.createTable({
      name: 'items_indexed',
      columns: columns(),
      indexes: [{ columns: ['category', 'score'] }],
    })
    await db.createTable({ name: 'bulk', columns: columns() })
    // Seeded by hand (untimed): scores spread by a hash so that pages differ.
    await raw.query(
      `insert into ${t('items')} (id, category, score, name)
       select i, 'c' || (i % ${CATEGORIES}), (abs(hashint4(i)) % 1000000) / 1000.0, 'item ' || i from generate_series(1, ${ROWS}) i`,
    )
    await raw.query(`insert into ${t('items_indexed')} select * from ${t('items')}`)
    await raw.query(`analyze ${t('items')}`)
    await raw.query(`analyze ${t('items_indexed')}`)
    console.log(`   seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`)

    // What the engine's `enter` does, minus its schema-version check and claims: role and search_path.
    const enter = `select set_config('role', '${role}', true), set_config('search_path', '${schema}', true)`
    const idOf = (i: number) => 1 + ((i * 7919) % ROWS)
    const categoryOf = (i: number) => `c${i % CATEGORIES}`
    const thresholdOf = (i: number) => ((i * 37) % 90) * 10

    const reads: ReadRow[] = []
    const readCase = async (
      operation: string,
      sides: Record<'engine' | 'raw' | 'isolated', Op>,
      concurrencies: number[],
    ) => {
      for (const concurrency of concurrencies) {
        const results = await compareThroughput(sides, {
          concurrency,
          rounds: ROUNDS,
          windowMs: WINDOW_MS,
          warmupMs: WARMUP_MS,
        })
        const statements = await countStatements(counter, sides)
        const row = { operation, concurrency, results, statements }
        reads.push(row)
        console.log(
          `   ${operation}, concurrency ${concurrency}: engine ${fmt.rate(results.engine.opsPerSecond)} ops/s, raw ${fmt.rate(results.raw.opsPerSecond)}, ` +
            `engine/raw ${fmt.ratio(results.engine.opsPerSecond / results.raw.opsPerSecond)}, raw+isolation ${fmt.rate(results.isolated.opsPerSecond)}`,
        )
      }
    }

    // (a) select by id
    const byId = `select * from ${t('items')} where id = $1`
    await readCase(
      '(a) select by id',
      {
        engine: (i) => db.select('items', { where: { id: idOf(i) } }),
        raw: (i) => raw.query(byId, [idOf(i)]),
        isolated: (i) => raw.isolated(enter, byId, [idOf(i)]),
      },
      backend.concurrencies,
    )

    // (b) filter + sort + page, without and with an index on (category, score)
    for (const table of ['items', 'items_indexed'] as const) {
      const page = `select * from ${t(table)} where category = $1 and score >= $2 order by score, id limit ${PAGE}`
      await readCase(
        `(b) filter + sort + page of ${PAGE}, ${table === 'items' ? 'no index' : 'index (category, score)'}`,
        {
          engine: (i) =>
            db.select(table, {
              where: { category: categoryOf(i), score: { gte: thresholdOf(i) } },
              orderBy: [{ column: 'score' }],
              limit: PAGE,
            }),
          raw: (i) => raw.query(page, [categoryOf(i), thresholdOf(i)]),
          isolated: (i) => raw.isolated(enter, page, [categoryOf(i), thresholdOf(i)]),
        },
        backend.concurrencies,
      )
    }

    // (c) bulk insert of ROWS rows into an empty table (emptied before each run, untimed). Every
    // side starts from the same array of row objects; turning them into its parameters is timed.
    const rows = Array.from({ length: ROWS }, (_, k) => ({
      id: k + 1,
      category: `c${k % CATEGORIES}`,
      score: ((k * 7919) % 1_000_000) / 1000,
      name: `item ${k + 1}`,
    }))
    const truncate = () => raw.query(`truncate ${t('bulk')}`)
    const insertColumns = `${t('bulk')} (id, category, score, name)`
    const bulk = await measure(
      counter,
      {
        engine: async () => {
          await truncate()
          return () => db.insert('bulk', rows, { returning: false })
        },
        rawUnnest: async () => {
          await truncate()
          return () => {
            const ids = new Array<number>(rows.length)
            const categories = new Array<string>(rows.length)
            const scores = new Array<number>(rows.length)
            const names = new Array<string>(rows.length)
            rows.forEach((r, k) => {
              ids[k] = r.id
              categories[k] = r.category
              scores[k] = r.score
              names[k] = r.name
            })
            return raw.query(
              `insert into ${insertColumns} select * from unnest($1::integer[], $2::text[], $3::float8[], $4::text[])`,
              [ids, categories, scores, names],
            )
          }
        },
        rawJSON: async () => {
          await truncate()
          return () => {
            const statements = []
            for (let start = 0; start < rows.length; start += ENGINE_CHUNK) {
              statements.push({
                text: `insert into ${insertColumns} select id, category, score, name from json_to_recordset($1::json) as r(id integer, category text, score double precision, name text)`,
                params: [JSON.stringify(rows.slice(start, start + ENGINE_CHUNK))],
              })
            }
            return raw.transaction(statements)
          }
        },
      },
      { warmups: 1, iterations: BULK_RUNS },
    )
    const [{ n } = { n: 0 }] = (await raw.query(`select count(*)::int as n from ${t('bulk')}`)) as {
      n: number
    }[]
    if (n !== ROWS) {
      console.warn(`   the bulk table holds ${n} rows after the last run, not ${ROWS}`)
    }
    const bulkRows: BulkRow[] = [
      { label: '`db.insert(table, rows, { returning: false })`', result: bulk.engine },
      {
        label: 'raw `insert … select * from unnest($1::integer[], …)`, one statement',
        result: bulk.rawUnnest,
      },
      {
        label: `raw \`insert … select from json_to_recordset($1)\` × ${Math.ceil(ROWS / ENGINE_CHUNK)} in one transaction (the engine's SQL, by hand)`,
        result: bulk.rawJSON,
      },
    ]
    const seconds = ((performance.now() - started) / 1000).toFixed(0)
    const block = report(backend, reads, bulkRows, { loadBefore, seconds })
    console.log(`\n${block}`)
    await writeSectionBlock(README, 'records', `records-${backend.name}`, block)
  } finally {
    await dropCatalog(bb.kysely, catalog).catch((error: unknown) =>
      console.warn(`   could not drop ${catalog}:`, error),
    )
    const [left] = (await raw
      .query(
        `select (select count(*) from pg_namespace where nspname like $1)::int as schemas, (select count(*) from pg_roles where rolname like $1)::int as roles`,
        [`${catalog}%`],
      )
      .catch(() => [])) as { schemas: number; roles: number }[]
    console.log(
      left?.schemas === 0 && left.roles === 0
        ? `   cleaned up ${catalog} (no schema or role left)`
        : `   cleanup left ${String(left?.schemas)} schema(s), ${String(left?.roles)} role(s) for ${catalog}`,
    )
    await bb.destroy()
    await backend.close()
  }
}

function report(
  backend: Backend,
  reads: ReadRow[],
  bulk: BulkRow[],
  run: { loadBefore: string; seconds: string },
): string {
  const pair = (s: ThroughputSummary) => `${fmt.ms(s.p50)} / ${fmt.ms(s.p99)}`
  const ratio = (a: ThroughputSummary, b: ThroughputSummary) =>
    fmt.ratio(a.opsPerSecond / b.opsPerSecond)
  const readTable = markdownTable(
    [
      'operation',
      'in flight',
      'engine ops/s',
      'raw ops/s',
      'engine / raw',
      'raw + isolation ops/s',
      'engine / raw + isolation',
    ],
    reads.map((r) => [
      r.operation,
      String(r.concurrency),
      fmt.rate(r.results.engine.opsPerSecond),
      fmt.rate(r.results.raw.opsPerSecond),
      ratio(r.results.engine, r.results.raw),
      fmt.rate(r.results.isolated.opsPerSecond),
      ratio(r.results.engine, r.results.isolated),
    ]),
  )
  const costTable = markdownTable(
    [
      'operation',
      'in flight',
      'p50 / p99 engine',
      'p50 / p99 raw',
      'p50 / p99 raw + isolation',
      'Node CPU per op engine / raw / raw + isolation',
      'statements engine / raw / raw + isolation',
    ],
    reads.map((r) => [
      r.operation,
      String(r.concurrency),
      pair(r.results.engine),
      pair(r.results.raw),
      pair(r.results.isolated),
      `${r.results.engine.cpuMsPerOp.toFixed(3)} / ${r.results.raw.cpuMsPerOp.toFixed(3)} / ${r.results.isolated.cpuMsPerOp.toFixed(3)} ms`,
      `${r.statements.engine} / ${r.statements.raw} / ${r.statements.isolated}`,
    ]),
  )
  const rowsPerSecond = (r: OperationResult) => (ROWS * 1000) / r.time.median
  const engine = bulk[0]!.result
  const fastestRaw = Math.max(...bulk.slice(1).map((b) => rowsPerSecond(b.result)))
  const bulkTable = markdownTable(
    [
      'bulk insert of ' + ROWS.toLocaleString('en-US') + ' rows',
      'median',
      'rows/s',
      'engine / this',
      'p95',
      'statements',
    ],
    bulk.map((b, k) => [
      b.label,
      fmt.ms(b.result.time.median),
      fmt.rate(rowsPerSecond(b.result)),
      k === 0 ? '' : fmt.ratio(rowsPerSecond(engine) / rowsPerSecond(b.result)),
      fmt.ms(b.result.time.p95),
      String(b.result.statements),
    ]),
  )
  const missed = reads.filter(
    (r) => r.results.engine.opsPerSecond / r.results.raw.opsPerSecond < TARGET_READ,
  )
  const readVerdict =
    missed.length === 0
      ? `every read case at or over ${TARGET_READ}× raw`
      : `${reads.length - missed.length} of ${reads.length} read cases at or over ${TARGET_READ}× raw; under it: ${missed.map((r) => `${r.operation} at ${r.concurrency} in flight (${fmt.ratio(r.results.engine.opsPerSecond / r.results.raw.opsPerSecond)})`).join('; ')}`
  const bulkRatio = rowsPerSecond(engine) / fastestRaw
  const bulkVerdict =
    `bulk insert ${fmt.ratio(bulkRatio)} the fastest raw (target ${TARGET_BULK}×: ${bulkRatio >= TARGET_BULK ? 'met' : 'missed'})` +
    (backend.name === 'postgres'
      ? `, ${fmt.rate(rowsPerSecond(engine))} rows/s (target over ${TARGET_BULK_ROWS.toLocaleString('en-US')}: ${rowsPerSecond(engine) > TARGET_BULK_ROWS ? 'met' : 'missed'})`
      : '')
  return [
    `### Records on ${backend.label}`,
    '',
    `Run on ${now()} UTC: ${machine()}; reads: ${ROUNDS} windows of ${WINDOW_MS} ms per side, alternating, after ${WARMUP_MS} ms of warm-up; ` +
      `bulk: median of ${BULK_RUNS} runs after 1 warm-up; ${run.seconds} s in all; load average ${run.loadBefore} before, ${load()} after.`,
    '',
    readTable,
    '',
    costTable,
    '',
    bulkTable,
    '',
    `Targets: ${readVerdict}; ${bulkVerdict}.`,
  ].join('\n')
}

console.log(`Basebox records bench: ${machine()}`)
const drivers = wantedDrivers()
if (drivers.pglite) {
  await run(await pgliteBackend())
}
if (drivers.postgres !== undefined) {
  await run(await postgresBackend(drivers.postgres))
} else if (drivers.skipped !== undefined) {
  console.log(`\n${drivers.skipped}`)
}
