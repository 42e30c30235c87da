// `pnpm --filter @basebox/bench bench:http`: the data API over real HTTP (the real handler on a
// real listening Node server on 127.0.0.1, loaded by autocannon from another process), beside
// the same query through the engine in-process and through the raw driver, in one run; then
// 1,000 concurrent connections held for a while. PGlite always; PostgreSQL too when DATABASE_URL
// is set. Bounded in time (about 1.5 min per backend). Prints and records; never fails on a time.
import { fork } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { PGlite } from '@electric-sql/pglite'
import { createArgon2idHasher, createAuth } from '@basebox/auth'
import { createBasebox, type Driver } from '@basebox/core'
import { pgDriver } from '@basebox/core/pg'
import { pgliteDriver } from '@basebox/core/pglite'
import { dropCatalog } from '@basebox/core/testing'
import { authForDataAPI, createHandler } from '@basebox/server'
import { toNodeListener } from '@basebox/server/node'
import pg from 'pg'
import benchPackage from '../package.json' with { type: 'json' }
import { ITEMS } from './http-items.js'
import type { LoadRequest, LoadResult } from './http-load.js'
import { countPGlite, countPgPool, StatementCounter } from './instrument.js'
import { writeSectionBlock } from './readme-section.js'
import {
  envInteger,
  fmt,
  load,
  machine,
  markdownTable,
  now,
  quantile,
  runWindow,
  summarizeThroughput,
  wantedDrivers,
  type Op,
  type Throughput,
  type ThroughputSummary,
} from './throughput.js'

const README = new URL('../README.md', import.meta.url)
const ROWS = envInteger('BENCH_HTTP_ROWS', 10_000)
/** Each case: ROUNDS windows of SECONDS / ROUNDS per side (HTTP, handler, engine, raw), alternating. */
const SECONDS = envInteger('BENCH_HTTP_SECONDS', 8)
const ROUNDS = envInteger('BENCH_HTTP_ROUNDS', 4)
/** Requests in flight: HTTP connections, and workers of the in-process sides. */
const CONCURRENCY = envInteger('BENCH_HTTP_CONCURRENCY', 16)
const CONNECTIONS = envInteger('BENCH_HTTP_CONNECTIONS', 1000)
const HOLD_SECONDS = envInteger('BENCH_HTTP_HOLD_SECONDS', 10)
/**
 * The paced connection test sends this share (percent) of the GET-by-id rate measured just before
 * over all connections (an open loop): the connections are held while the server keeps up.
 */
const HOLD_PACE_PERCENT = envInteger('BENCH_HTTP_HOLD_PACE_PERCENT', 50)
const CATEGORIES = 50
const PAGE = 20
const TARGET_HTTP = 0.5

interface Backend {
  name: 'pglite' | 'postgres'
  label: string
  /** Counts the statements of the engine (and so of the HTTP handler) and of the raw side. */
  counter: StatementCounter
  driver: Driver
  query(text: string, params?: unknown[]): Promise<unknown[]>
  close(): Promise<void>
}

function version(name: string): string {
  return (benchPackage.dependencies as Record<string, string>)[name] ?? '?'
}

async function pgliteBackend(): Promise<Backend> {
  const counter = new StatementCounter()
  const pglite = countPGlite(await PGlite.create(), counter)
  const query = async (text: string, params?: unknown[]) => (await pglite.query(text, params)).rows
  const [row] = (await query(`select current_setting('server_version') as v`)) as { v: string }[]
  return {
    name: 'pglite',
    label: `PGlite ${version('@electric-sql/pglite')} in memory (PostgreSQL ${row!.v})`,
    counter,
    driver: pgliteDriver(pglite),
    query,
    close: async () => {},
  }
}

async function postgresBackend(url: string): Promise<Backend> {
  const counter = new StatementCounter()
  const options = { connectionString: url, max: CONCURRENCY, pipeline: true }
  const rawPool = countPgPool(new pg.Pool(options), counter)
  // A pooled client per statement (the counting wrapper handles `connect()`, not `pool.query`).
  const query = async (text: string, params?: unknown[]) => {
    const client = await rawPool.connect()
    try {
      return (await client.query(text, params)).rows
    } finally {
      client.release()
    }
  }
  const [row] = (await query(`select current_setting('server_version') as v`)) as { v: string }[]
  return {
    name: 'postgres',
    label: `PostgreSQL ${row!.v.split(' ')[0]} over pg ${version('pg')} (TCP, same machine, pipeline mode, pools of ${CONCURRENCY})`,
    counter,
    driver: pgDriver(countPgPool(new pg.Pool(options), counter)),
    query,
    close: () => rawPool.end(),
  }
}

/** autocannon in a child process (its own event loop and core), one load at a time. */
class LoadGenerator {
  readonly #child = fork(new URL('./http-load.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })

  run(request: LoadRequest): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`load generator exited with ${String(code)}`))
      this.#child.once('exit', onExit)
      this.#child.once('message', (message: { result?: LoadResult; error?: string }) => {
        this.#child.off('exit', onExit)
        if (message.result !== undefined) {
          resolve(message.result)
        } else {
          reject(new Error(message.error))
        }
      })
      this.#child.send(request)
    })
  }

  close(): void {
    if (this.#child.connected) {
      this.#child.disconnect()
    }
  }
}

/** The kernel's count of connections dropped because a listen queue was full (Linux; machine-wide). */
async function listenOverflows(): Promise<number | undefined> {
  try {
    const text = await readFile('/proc/net/netstat', 'utf8')
    const lines = text.split('\n').filter((l) => l.startsWith('TcpExt:'))
    const names = lines[0]!.split(/\s+/)
    const values = lines[1]!.split(/\s+/)
    const at = names.indexOf('ListenOverflows')
    return at === -1 ? undefined : Number(values[at])
  } catch {
    return undefined
  }
}

interface HoldResult {
  /** `back to back` or `paced`. */
  name: string
  label: string
  result: LoadResult
  /** The most connections open at the server at once (sampled every 100 ms). */
  held: number
  /** Connections the kernel dropped because the listen queue was full, during the test. */
  overflows: number | undefined
}

interface CaseResult {
  operation: string
  http: LoadResult
  /** CPU time of the server process per 2xx response, ms (the load generator's own is not counted). */
  httpCpuMsPerRequest: number
  /** CPU time of the load generator's process (autocannon) per 2xx response, ms. */
  loadCpuMsPerRequest: number
  /** Statements per request or operation (begin and commit included). */
  statements: { http: number; handler: number; engine: number; raw: number }
  /** The handler called in-process with a `Request` (no socket, no Node HTTP server). */
  handler: ThroughputSummary
  engine: ThroughputSummary
  raw: ThroughputSummary
}

/** Adds up HTTP windows. */
function addLoad(total: LoadResult | undefined, next: LoadResult): LoadResult {
  if (total === undefined) {
    return { ...next }
  }
  const ok = total.ok + next.ok
  const seconds = total.seconds + next.seconds
  const latencies = [...total.latencies, ...next.latencies].sort((a, b) => a - b)
  return {
    requests: total.requests + next.requests,
    seconds,
    perSecond: ok / seconds,
    ok,
    non2xx: total.non2xx + next.non2xx,
    errors: total.errors + next.errors,
    timeouts: total.timeouts + next.timeouts,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: Math.max(total.max, next.max),
    statusCodes: Object.fromEntries(
      [...new Set([...Object.keys(total.statusCodes), ...Object.keys(next.statusCodes)])].map(
        (code) => [code, (total.statusCodes[code] ?? 0) + (next.statusCodes[code] ?? 0)],
      ),
    ),
    latencies,
  }
}

async function run(backend: Backend): Promise<void> {
  const catalog = `bench_${crypto.randomUUID().slice(0, 8)}`
  const loadBefore = load()
  const started = performance.now()
  console.log(
    `\n== ${backend.label}\n   catalog schema ${catalog}; ${ROWS} rows; ${CONCURRENCY} in flight; ${ROUNDS} × ${SECONDS / ROUNDS} s per side and case`,
  )
  const bb = await createBasebox({ driver: backend.driver, catalogSchema: catalog })
  // The hasher is never used here (no sign-ups); cheap parameters keep createAuth quick.
  const auth = await createAuth({
    basebox: bb,
    passwordHasher: createArgon2idHasher({ memoryKiB: 64, iterations: 1, parallelism: 1 }),
  })
  const errors: unknown[] = []
  const handler = createHandler({
    basebox: bb,
    getOwner: () => null,
    dataAuth: authForDataAPI(auth),
    log: (error) => errors.push(error),
  })
  const server = http.createServer(toNodeListener(handler))
  const generator = new LoadGenerator()
  const httpLoad = (request: LoadRequest) => generator.run(request)
  try {
    const owner = bb.owner('bench-http')
    const db = await owner.createDatabase((await owner.createProject({ name: 'http bench' })).id)
    await db.createTable(ITEMS)
    const table = `"${db.info.schema_name}"."items"`
    await backend.query(
      `insert into ${table} (id, category, score, name)
       select i, 'c' || (i % ${CATEGORIES}), (abs(hashint4(i)) % 1000000) / 1000.0, 'item ' || i from generate_series(1, ${ROWS}) i`,
    )
    await backend.query(`analyze ${table}`)
    const anonKey = (await auth.forDatabase(db).createAPIKey({ name: 'bench', kind: 'anon' })).key
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const headers = { apikey: anonKey }
    // A quick check that the route answers what the raw query does.
    const check = await fetch(`${origin}/db/${db.id}/rest/v1/items?id=eq.7&select=*`, { headers })
    const body = (await check.json()) as { id: number }[]
    if (check.status !== 200 || body[0]?.id !== 7) {
      throw new Error(`GET by id answered ${check.status} ${JSON.stringify(body).slice(0, 200)}`)
    }
    console.log(
      `   server on ${origin}, seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )

    const anon = db.as({ role: 'anon' })
    // The handler in-process: a `Request` in, the body read out, as the Node mount does.
    const request = async (path: string) => {
      const response = await handler(new Request(`${origin}${path}`, { headers }))
      await response.arrayBuffer()
      if (response.status !== 200) {
        throw new Error(`${path} answered ${response.status}`)
      }
    }
    const byIdSQL = `select * from ${table} where id = $1`
    const listSQL = `select * from ${table} where category = $1 order by score, id limit ${PAGE}`
    const cases = [
      {
        operation: 'GET by id',
        path: { template: `/db/${db.id}/rest/v1/items?id=eq.{n}&select=*`, maxN: ROWS },
        handler: ((i: number) =>
          request(`/db/${db.id}/rest/v1/items?id=eq.${1 + (i % ROWS)}&select=*`)) as Op,
        // The query the route builds from `?id=eq.<n>&select=*` (its default limit included).
        engine: ((i: number) =>
          anon.select('items', { where: { id: { eq: 1 + (i % ROWS) } }, limit: 1000 })) as Op,
        raw: ((i: number) => backend.query(byIdSQL, [1 + (i % ROWS)])) as Op,
      },
      {
        operation: `filtered list (\`category=eq.cN&order=score.asc&limit=${PAGE}\`)`,
        path: {
          template: `/db/${db.id}/rest/v1/items?select=*&category=eq.c{n}&order=score.asc&limit=${PAGE}`,
          maxN: CATEGORIES - 1,
        },
        handler: ((i: number) =>
          request(
            `/db/${db.id}/rest/v1/items?select=*&category=eq.c${1 + (i % (CATEGORIES - 1))}&order=score.asc&limit=${PAGE}`,
          )) as Op,
        engine: ((i: number) =>
          anon.select('items', {
            where: { category: { eq: `c${1 + (i % (CATEGORIES - 1))}` } },
            orderBy: [{ column: 'score', direction: 'asc' }],
            limit: PAGE,
          })) as Op,
        raw: ((i: number) => backend.query(listSQL, [`c${1 + (i % (CATEGORIES - 1))}`])) as Op,
      },
    ]
    const windowSeconds = SECONDS / ROUNDS
    const results: CaseResult[] = []
    for (const c of cases) {
      // Warm-up: a short HTTP run (also compiles the server's paths) and the in-process sides.
      await httpLoad({
        origin,
        path: c.path,
        headers,
        connections: CONCURRENCY,
        seconds: 1,
        timeoutSeconds: 10,
      })
      await runWindow(c.handler, CONCURRENCY, 300)
      await runWindow(c.engine, CONCURRENCY, 300)
      await runWindow(c.raw, CONCURRENCY, 300)
      let httpTotal: LoadResult | undefined
      let httpCpuMs = 0
      let loadCpuMs = 0
      const statements = { http: 0, handler: 0, engine: 0, raw: 0 }
      const counted = async (side: keyof typeof statements, fn: () => Promise<unknown>) => {
        const read = backend.counter.start()
        await fn()
        statements[side] += read().statements
      }
      const inProcess: Throughput = { ops: 0, ms: 0, errors: 0, latencies: [] }
      const engine: Throughput = { ops: 0, ms: 0, errors: 0, latencies: [] }
      const raw: Throughput = { ops: 0, ms: 0, errors: 0, latencies: [] }
      const counter = { i: 0 }
      const sides = [
        async () => {
          const cpu = process.cpuUsage()
          let next: LoadResult | undefined
          await counted('http', async () => {
            next = await httpLoad({
              origin,
              path: c.path,
              headers,
              connections: CONCURRENCY,
              seconds: windowSeconds,
              timeoutSeconds: 10,
            })
          })
          const used = process.cpuUsage(cpu)
          httpCpuMs += (used.user + used.system) / 1000
          loadCpuMs += next!.cpuMs ?? Number.NaN
          httpTotal = addLoad(httpTotal, next!)
        },
        () =>
          counted('handler', () =>
            runWindow(c.handler, CONCURRENCY, windowSeconds * 1000, inProcess, counter),
          ),
        () =>
          counted('engine', () =>
            runWindow(c.engine, CONCURRENCY, windowSeconds * 1000, engine, counter),
          ),
        () =>
          counted('raw', () => runWindow(c.raw, CONCURRENCY, windowSeconds * 1000, raw, counter)),
      ]
      for (let round = 0; round < ROUNDS; round++) {
        for (let j = 0; j < sides.length; j++) {
          await sides[(round + j) % sides.length]!()
        }
      }
      const result = {
        operation: c.operation,
        http: httpTotal!,
        httpCpuMsPerRequest: httpCpuMs / httpTotal!.ok,
        loadCpuMsPerRequest: loadCpuMs / httpTotal!.ok,
        statements: {
          http: statements.http / httpTotal!.requests,
          handler: statements.handler / (inProcess.ops + inProcess.errors),
          engine: statements.engine / (engine.ops + engine.errors),
          raw: statements.raw / (raw.ops + raw.errors),
        },
        handler: summarizeThroughput(inProcess),
        engine: summarizeThroughput(engine),
        raw: summarizeThroughput(raw),
      }
      results.push(result)
      console.log(
        `   ${c.operation}: HTTP ${fmt.rate(result.http.perSecond)} req/s (p50 ${fmt.ms(result.http.p50)}, p99 ${fmt.ms(result.http.p99)}, ${result.http.errors} errors, ${result.http.non2xx} non-2xx), ` +
          `handler in-process ${fmt.rate(result.handler.opsPerSecond)}/s, engine ${fmt.rate(result.engine.opsPerSecond)} ops/s, raw ${fmt.rate(result.raw.opsPerSecond)} ops/s, HTTP/raw ${fmt.ratio(result.http.perSecond / result.raw.opsPerSecond)}`,
      )
    }

    // Connections: CONNECTIONS at once for HOLD_SECONDS, GET by id: first back to back (the
    // server saturated: each connection waits its turn), then paced below what the server serves.
    const holds: HoldResult[] = []
    // At least one request per connection every 4 s: Node's server closes keep-alive sockets
    // idle for 5 s (its default keepAliveTimeout), and this test is about holding them.
    const paced = Math.max(
      Math.ceil(CONNECTIONS / 4),
      Math.round((results[0]!.http.perSecond * HOLD_PACE_PERCENT) / 100),
    )
    for (const rate of [undefined, paced]) {
      let held = 0
      const sampler = setInterval(
        () => server.getConnections((_error, count) => (held = Math.max(held, count))),
        100,
      )
      const overflowsBefore = await listenOverflows()
      const result = await httpLoad({
        origin,
        path: cases[0]!.path,
        headers,
        connections: CONNECTIONS,
        seconds: HOLD_SECONDS,
        timeoutSeconds: HOLD_SECONDS,
        ...(rate === undefined ? {} : { pacedRate: rate }),
      })
      clearInterval(sampler)
      const overflowsAfter = await listenOverflows()
      const hold: HoldResult = {
        name: rate === undefined ? 'back to back' : 'paced',
        label:
          rate === undefined
            ? 'back to back (autocannon; the server saturated)'
            : `paced (node:http, a keep-alive socket each): ${rate} req/s in all (${Math.round((100 * rate) / results[0]!.http.perSecond)} % of the GET-by-id rate above)`,
        result,
        held,
        overflows:
          overflowsBefore === undefined || overflowsAfter === undefined
            ? undefined
            : overflowsAfter - overflowsBefore,
      }
      holds.push(hold)
      console.log(
        `   ${CONNECTIONS} connections for ${HOLD_SECONDS} s, ${hold.label}: ${result.ok} ok, ${result.errors} errors (${result.timeouts} timeouts), ${result.non2xx} non-2xx; ` +
          `at most ${held} open at the server${result.sockets === undefined ? '' : `, ${result.sockets} sockets opened by the client`}; ${hold.overflows ?? '?'} listen-queue overflows; ${fmt.rate(result.perSecond)} req/s; p50 ${fmt.ms(result.p50)}, p99 ${fmt.ms(result.p99)}`,
      )
    }
    if (errors.length > 0) {
      console.warn(`   the handler logged ${errors.length} error(s); the first:`, errors[0])
    }
    const block = report(backend, results, {
      holds,
      loadBefore,
      seconds: ((performance.now() - started) / 1000).toFixed(0),
      logged: errors.length,
    })
    console.log(`\n${block}`)
    await writeSectionBlock(README, 'http', `http-${backend.name}`, block)
  } finally {
    generator.close()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    await backend.query(`drop schema if exists "${auth.schema}" cascade`).catch(() => {})
    await dropCatalog(bb.kysely, catalog).catch((error: unknown) =>
      console.warn(`   could not drop ${catalog}:`, error),
    )
    const [left] = (await backend
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
  results: CaseResult[],
  run: { holds: HoldResult[]; loadBefore: string; seconds: string; logged: number },
): string {
  const table = markdownTable(
    [
      'operation',
      'HTTP req/s',
      'handler in-process req/s',
      'engine in-process ops/s',
      'raw ops/s',
      'HTTP / raw',
      'handler / raw',
      'engine / raw',
      'HTTP errors / timeouts / non-2xx',
    ],
    results.map((r) => [
      r.operation,
      fmt.rate(r.http.perSecond),
      fmt.rate(r.handler.opsPerSecond),
      fmt.rate(r.engine.opsPerSecond),
      fmt.rate(r.raw.opsPerSecond),
      fmt.ratio(r.http.perSecond / r.raw.opsPerSecond),
      fmt.ratio(r.handler.opsPerSecond / r.raw.opsPerSecond),
      fmt.ratio(r.engine.opsPerSecond / r.raw.opsPerSecond),
      `${r.http.errors} / ${r.http.timeouts} / ${r.http.non2xx}`,
    ]),
  )
  const pair = (a: { p50: number; p99: number }) => `${fmt.ms(a.p50)} / ${fmt.ms(a.p99)}`
  const costTable = markdownTable(
    [
      'operation',
      'p50 / p99 HTTP',
      'p50 / p99 handler',
      'p50 / p99 engine',
      'p50 / p99 raw',
      'server CPU per op HTTP / handler / engine / raw',
      'autocannon CPU per request',
      'statements per op HTTP / handler / engine / raw',
    ],
    results.map((r) => [
      r.operation,
      pair(r.http),
      pair(r.handler),
      pair(r.engine),
      pair(r.raw),
      `${[r.httpCpuMsPerRequest, r.handler.cpuMsPerOp, r.engine.cpuMsPerOp, r.raw.cpuMsPerOp].map((v) => v.toFixed(3)).join(' / ')} ms`,
      `${r.loadCpuMsPerRequest.toFixed(3)} ms`,
      [r.statements.http, r.statements.handler, r.statements.engine, r.statements.raw]
        .map((v) => v.toFixed(1))
        .join(' / '),
    ]),
  )
  const holdTable = markdownTable(
    [
      `${CONNECTIONS.toLocaleString('en-US')} connections, GET by id`,
      'seconds',
      'most open at the server',
      'sockets opened by the client',
      '2xx',
      'req/s',
      'p50 / p99 / max',
      'errors (of which timeouts)',
      'non-2xx',
      'listen-queue overflows',
    ],
    run.holds.map((h) => [
      h.label,
      h.result.seconds.toFixed(1),
      String(h.held),
      h.result.sockets === undefined ? '–' : String(h.result.sockets),
      String(h.result.ok),
      fmt.rate(h.result.perSecond),
      `${fmt.ms(h.result.p50)} / ${fmt.ms(h.result.p99)} / ${fmt.ms(h.result.max)}`,
      `${h.result.errors} (${h.result.timeouts})`,
      String(h.result.non2xx),
      h.overflows === undefined ? '?' : String(h.overflows),
    ]),
  )
  const byId = results[0]!
  const ratio = byId.http.perSecond / byId.raw.opsPerSecond
  const clean = (h: HoldResult) =>
    h.result.errors === 0 && h.result.non2xx === 0 && h.held >= CONNECTIONS
  const holdVerdict = run.holds
    .map(
      (h) =>
        `${h.name}: ${clean(h) ? `all ${CONNECTIONS} held, no errors` : `${h.held} held at once, ${h.result.errors} errors (${h.result.timeouts} timeouts at ${HOLD_SECONDS} s), ${h.result.non2xx} non-2xx`}`,
    )
    .join('; ')
  return [
    `### HTTP on ${backend.label}`,
    '',
    `Run on ${now()} UTC: ${machine()}; autocannon ${(benchPackage.devDependencies as Record<string, string>).autocannon} in a child process, ${CONCURRENCY} connections; ` +
      `handler, engine and raw in the server's process: ${CONCURRENCY} in flight; ${ROUNDS} windows of ${SECONDS / ROUNDS} s per side, alternating; ${run.seconds} s in all; load average ${run.loadBefore} before, ${load()} after.`,
    '',
    table,
    '',
    costTable,
    '',
    holdTable,
    '',
    `Targets: HTTP GET by id ${fmt.ratio(ratio)} the raw driver (target ${TARGET_HTTP}×: ${ratio >= TARGET_HTTP ? 'met' : 'missed'}); ` +
      `${CONNECTIONS} connections: ${holdVerdict}; p99 reported above.` +
      (run.logged > 0 ? ` The handler logged ${run.logged} server error(s).` : ''),
  ].join('\n')
}

console.log(`Basebox HTTP bench: ${machine()}`)
const drivers = wantedDrivers()
if (drivers.pglite) {
  await run(await pgliteBackend())
}
if (drivers.postgres !== undefined) {
  await run(await postgresBackend(drivers.postgres))
} else if (drivers.skipped !== undefined) {
  console.log(`\n${drivers.skipped}`)
}
