// `pnpm bench`: the engine's operations beside raw SQL doing the same work on the same driver, in
// one run. PGlite always; PostgreSQL too when DATABASE_URL is set. Never fails on a time.
import os from 'node:os'
import { createBasebox, type Basebox, type DatabaseHandle } from '@basebox/core'
import { dropCatalog } from '@basebox/core/testing'
import { createPGliteBackend, createPostgresBackend, type Backend } from './backends.js'
import { measure } from './measure.js'
import {
  createRawCatalog,
  dropRaw,
  rawCreateDatabase,
  rawCreateTable,
  rawCreateTableDDLOnly,
  rawDropTable,
  type RawDatabase,
  tenColumnTable,
} from './raw.js'
import { formatTable, writeReadmeBlock, type ComparisonRow } from './report.js'

const README = new URL('../README.md', import.meta.url)
const ITERATIONS = positiveInteger('BENCH_ITERATIONS', 30)
const WARMUPS = positiveInteger('BENCH_WARMUPS', 5)
const TRACE = process.env.BENCH_TRACE === '1'
/** Only full, untraced runs are recorded in the README, so a quick check never replaces them. */
const FULL_RUN = ITERATIONS >= 30 && WARMUPS >= 5 && !TRACE
/** How many tables (`users` included) the larger database of (c) holds. */
const LARGE_TABLES = 25
/** The target for `createDatabase` on PostgreSQL. */
const TARGET_CREATE_DATABASE_MS = 20

let stopping = false
process.once('SIGINT', () => {
  stopping = true
  console.log('\nstopping after this iteration, then cleaning up (Ctrl-C again to quit at once)')
})

function positiveInteger(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number`)
  }
  return value
}

function machine(): string {
  const cpus = os.cpus()
  const memory = Math.round(os.totalmem() / 2 ** 30)
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${memory} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`
}

/** The 1-minute load average: other work on the machine shows up in the timings. */
function load(): string {
  return os.loadavg()[0]!.toFixed(1)
}

/** Runs the benchmark on one backend; always drops what it made. */
async function run(backend: Backend): Promise<void> {
  const { raw, counter } = backend
  // A unique catalog per run, so that runs never see each other (nor the tests) on a shared server.
  const catalog = `bench_${crypto.randomUUID().slice(0, 8)}`
  console.log(
    `\n== ${backend.label}\n   catalog schema ${catalog}, ${ITERATIONS} iterations after ${WARMUPS} warm-ups`,
  )
  const loadAtStart = load()
  const bb = await createBasebox({ driver: backend.driver, catalogSchema: catalog })
  try {
    await createRawCatalog(raw, catalog)
    const owner = bb.owner('bench-owner')
    const newDatabase = async (name: string) =>
      owner.createDatabase((await owner.createProject({ name })).id)

    // createTable runs against two databases per side: one with only `users`, and one with
    // `users` plus 24 other tables, because an engine schema change may do work per table.
    // Between runs the previous run's table is dropped (untimed), so the count stays the same.
    const small = await newDatabase('bench small')
    const large = await newDatabase('bench large')
    const rawSmall = await rawCreateDatabase(raw, catalog)
    const rawLarge = await rawCreateDatabase(raw, catalog)
    for (let k = 1; k < LARGE_TABLES; k++) {
      await large.createTable(tenColumnTable(`filler_${k}`))
      await rawCreateTable(raw, catalog, rawLarge, `filler_${k}`, k)
    }
    const engineCreateTable = (db: DatabaseHandle) => async (i: number) => {
      if (i > 0) {
        await db.dropTable(`t_${i - 1}`)
      }
      return () => db.createTable(tenColumnTable(`t_${i}`))
    }
    const rawCreateTableIn = (db: RawDatabase) => async (i: number) => {
      if (i > 0) {
        await rawDropTable(raw, catalog, db, `t_${i - 1}`)
      }
      return () => rawCreateTable(raw, catalog, db, `t_${i}`, LARGE_TABLES + 1)
    }

    const results = await measure(
      counter,
      {
        engineCreateDatabase: async (i) => {
          const project = await owner.createProject({ name: `bench ${i}` })
          return () => owner.createDatabase(project.id)
        },
        rawCreateDatabase: async () => () => rawCreateDatabase(raw, catalog),
        engineCreateTable: engineCreateTable(small),
        rawCreateTable: rawCreateTableIn(rawSmall),
        rawCreateTableDDL: async (i) => {
          if (i > 0) {
            await rawDropTable(raw, catalog, rawSmall, `d_${i - 1}`)
          }
          return () => rawCreateTableDDLOnly(raw, rawSmall, `d_${i}`)
        },
        engineCreateTableLarge: engineCreateTable(large),
        rawCreateTableLarge: rawCreateTableIn(rawLarge),
      },
      {
        warmups: WARMUPS,
        iterations: ITERATIONS,
        shouldStop: () => stopping,
        // A live counter on a terminal; piped output (pnpm, CI) gets the result lines only.
        onProgress: (done) => {
          if (process.stdout.isTTY) {
            process.stdout.write(`\r   iteration ${done}/${WARMUPS + ITERATIONS}`)
          }
        },
      },
    )
    if (process.stdout.isTTY) {
      process.stdout.write('\n')
    }
    if (stopping) {
      return
    }
    if (TRACE) {
      await trace(backend, bb, catalog, rawSmall)
    }

    const rows: ComparisonRow[] = [
      {
        operation: '(a) `owner.createDatabase()`',
        rawLabel: 'same work in one transaction',
        engine: results.engineCreateDatabase,
        raw: results.rawCreateDatabase,
      },
      {
        operation: '(b) `db.createTable()`, 10 columns, database of 1 table',
        rawLabel: 'same work in one transaction',
        engine: results.engineCreateTable,
        raw: results.rawCreateTable,
      },
      {
        operation: '(b) `db.createTable()`, 10 columns, database of 1 table',
        rawLabel: 'bare `create table` + index',
        engine: results.engineCreateTable,
        raw: results.rawCreateTableDDL,
      },
      {
        operation: `(c) \`db.createTable()\`, 10 columns, database of ${LARGE_TABLES} tables`,
        rawLabel: 'same work in one transaction',
        engine: results.engineCreateTableLarge,
        raw: results.rawCreateTableLarge,
      },
    ]
    const table = formatTable(rows)
    const createDatabase = results.engineCreateDatabase.time.median
    const target =
      backend.name === 'postgres'
        ? `Target from the issue: \`createDatabase\` under ${TARGET_CREATE_DATABASE_MS} ms on PostgreSQL. ` +
          `This run: ${createDatabase.toFixed(1)} ms median, ${createDatabase < TARGET_CREATE_DATABASE_MS ? 'under' : 'over'} the target.`
        : undefined
    console.log(`\n${table}\n\n   load average ${loadAtStart} before, ${load()} after`)
    if (target !== undefined) {
      console.log(`${target}\n`)
    }
    if (!FULL_RUN) {
      console.log('   README not updated: a shorter run than 30 iterations, or a traced one')
      return
    }
    const date = new Date().toISOString().replace('T', ' ').slice(0, 16)
    await writeReadmeBlock(
      README,
      backend.name,
      [
        `### ${backend.label}`,
        '',
        `Run on ${date} UTC: ${machine()}; ${ITERATIONS} iterations after ${WARMUPS} warm-ups; ` +
          `load average ${loadAtStart} before the run, ${load()} after it.`,
        '',
        table,
        ...(target === undefined ? [] : ['', target]),
      ].join('\n'),
    )
  } finally {
    await cleanUp(backend, bb, catalog)
  }
}

/**
 * Runs each operation once more, engine and raw, and prints every statement with its time: where
 * the time goes.
 */
async function trace(
  backend: Backend,
  bb: Basebox,
  catalog: string,
  rawTables: RawDatabase,
): Promise<void> {
  const { counter, raw } = backend
  const print = async <T>(title: string, fn: () => Promise<T>): Promise<T> => {
    counter.trace = []
    const started = performance.now()
    const result = await fn()
    const total = performance.now() - started
    const statements = counter.trace
    counter.trace = undefined
    const waited = statements.reduce((sum, s) => sum + s.ms, 0)
    console.log(
      `\n   trace of ${title}: ${total.toFixed(2)} ms, ${statements.length} statements, ${waited.toFixed(2)} ms awaiting them`,
    )
    for (const s of statements) {
      console.log(`   ${s.ms.toFixed(2).padStart(7)} ms  ${s.sql.slice(0, 110)}`)
    }
    return result
  }
  const owner = bb.owner('bench-owner')
  const project = await owner.createProject({ name: 'bench trace' })
  const db = await print('engine createDatabase', () => owner.createDatabase(project.id))
  await print('raw createDatabase', () => rawCreateDatabase(raw, catalog))
  await print('engine createTable (10 columns, in a database with only users)', () =>
    db.createTable(tenColumnTable('traced')),
  )
  await print('raw createTable (10 columns)', () =>
    rawCreateTable(raw, catalog, rawTables, 'traced', 1000),
  )
}

/** Drops every schema and role the run made, then checks that none is left. */
async function cleanUp(backend: Backend, bb: Basebox, catalog: string): Promise<void> {
  try {
    await dropRaw(backend.raw, catalog)
    const engineSchemas = (
      await backend.raw
        .query(`select schema_name from "${catalog}".project_databases`)
        .catch(() => [])
    ).map((r) => String(r.schema_name))
    await dropCatalog(bb.kysely, catalog)
    const like = `${catalog}%`
    const [left] = await backend.raw.query(
      `select (select count(*) from pg_namespace where nspname like $1 or nspname = any($2::text[]))::int as schemas,
              (select count(*) from pg_roles where rolname like $1)::int as roles`,
      [like, engineSchemas],
    )
    if (left?.schemas === 0 && left?.roles === 0) {
      console.log(
        `   cleaned up: dropped ${catalog} with its ${engineSchemas.length} project schemas, the raw side's schemas, and every role`,
      )
    } else {
      console.warn(
        `   cleanup left ${String(left?.schemas)} schema(s) and ${String(left?.roles)} role(s) matching ${like}`,
      )
    }
  } finally {
    await bb.destroy()
    await backend.close()
  }
}

console.log(`Basebox bench: ${machine()}`)
console.log(
  'engine / raw = engine median ÷ raw median: 1.00× is as fast as raw SQL, 2.00× takes twice as long.',
)
// `BASEBOX_DRIVERS=pglite` or `=postgres` runs one backend only, as in the tests.
const only = process.env.BASEBOX_DRIVERS?.split(',').map((name) => name.trim())
const wanted = (name: string) => only === undefined || only.includes(name)
if (wanted('pglite')) {
  await run(await createPGliteBackend())
}
const url = process.env.DATABASE_URL
if (!wanted('postgres') || stopping) {
  // skipped on purpose
} else if (url === undefined || url === '') {
  console.log(
    '\nDATABASE_URL is not set: PostgreSQL skipped (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm bench).',
  )
} else {
  await run(await createPostgresBackend(url))
}
