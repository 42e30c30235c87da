// `pnpm --filter @basebox/bench bench:http:ab`: an A/B of the Node mount, in one process. The
// same handler is mounted twice on real listening servers: `toNodeListener(handler)` (the mount's
// fast path) and `toNodeListener((request, info) => handler(request, info))` (a plain function:
// the Web path every other mount takes). autocannon (a child process) loads them in alternating
// windows, GET by id; printed: 2xx req/s, server CPU and load generator CPU per response of
// each. A third server is the floor: bare `node:http` answering the same JSON, with no handler and
// no database. PGlite, or
// PostgreSQL when DATABASE_URL is set. Run it under `node --cpu-prof` to profile. Never fails on
// a time; writes nothing.
import { fork } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { PGlite } from '@electric-sql/pglite'
import { createArgon2idHasher, createAuth } from '@basebox/auth'
import { createBasebox, type Driver } from '@basebox/core'
import { ITEMS } from './http-items.js'
import { pgDriver } from '@basebox/core/pg'
import { pgliteDriver } from '@basebox/core/pglite'
import { dropCatalog } from '@basebox/core/testing'
import { authForDataAPI, createHandler, type BaseboxHandler } from '@basebox/server'
import { toNodeListener } from '@basebox/server/node'
import pg from 'pg'
import type { LoadRequest, LoadResult } from './http-load.js'
import { envInteger, fmt, machine } from './throughput.js'

const ROWS = 10_000
const SECONDS = envInteger('BENCH_HTTP_SECONDS', 2)
const ROUNDS = envInteger('BENCH_HTTP_ROUNDS', 6)
const CONCURRENCY = envInteger('BENCH_HTTP_CONCURRENCY', 16)

const url = process.env.DATABASE_URL
let driver: Driver
let query: (text: string) => Promise<unknown>
let close = async () => {}
if (url !== undefined && url !== '' && process.env.BASEBOX_DRIVERS !== 'pglite') {
  const pool = new pg.Pool({
    connectionString: url,
    max: CONCURRENCY,
    pipeline: true,
  } as pg.PoolConfig)
  driver = pgDriver(
    new pg.Pool({ connectionString: url, max: CONCURRENCY, pipeline: true } as pg.PoolConfig),
  )
  query = (text) => pool.query(text)
  close = () => pool.end()
} else {
  const pglite = await PGlite.create()
  driver = pgliteDriver(pglite)
  query = (text) => pglite.query(text)
}
console.log(
  `Basebox HTTP A/B: ${machine()}; ${driver.name}; ${ROUNDS} rounds × ${SECONDS} s per side, ${CONCURRENCY} connections`,
)

const catalog = `bench_${crypto.randomUUID().slice(0, 8)}`
const bb = await createBasebox({ driver, catalogSchema: catalog })
const auth = await createAuth({
  basebox: bb,
  passwordHasher: createArgon2idHasher({ memoryKiB: 64, iterations: 1, parallelism: 1 }),
})
const handler = createHandler({ basebox: bb, getOwner: () => null, dataAuth: authForDataAPI(auth) })
const owner = bb.owner('bench-http-ab')
const db = await owner.createDatabase((await owner.createProject({ name: 'http a/b' })).id)
await db.createTable(ITEMS)
await query(
  `insert into "${db.info.schema_name}"."items" (id, category, score, name)
   select i, 'c' || (i % 50), (abs(hashint4(i)) % 1000000) / 1000.0, 'item ' || i from generate_series(1, ${ROWS}) i`,
)
const anonKey = (await auth.forDatabase(db).createAPIKey({ name: 'bench', kind: 'anon' })).key

async function listen(
  h: BaseboxHandler | ((request: Request) => Promise<Response>),
): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer(toNodeListener(h as BaseboxHandler))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}
const sample = JSON.stringify((await db.select('items', { where: { id: { eq: 7 } } })).rows)
const bare = http.createServer((_req, res) => {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(sample),
  })
  res.end(sample)
})
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve))
const sides = [
  { name: 'node mount, fast path', ...(await listen(handler)) },
  { name: 'node mount, Web path', ...(await listen((request, info) => handler(request, info))) },
  {
    name: 'bare node:http, same JSON, no database',
    server: bare,
    origin: `http://127.0.0.1:${(bare.address() as AddressInfo).port}`,
  },
]
const child = fork(new URL('./http-load.ts', import.meta.url), [], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
})
const load = (request: LoadRequest) =>
  new Promise<LoadResult>((resolve, reject) => {
    child.once('message', (message: { result?: LoadResult; error?: string }) =>
      message.result ? resolve(message.result) : reject(new Error(message.error)),
    )
    child.send(request)
  })
const path = { template: `/db/${db.id}/rest/v1/items?id=eq.{n}&select=*`, maxN: ROWS }
const headers = { apikey: anonKey }
/** CPU time of every `postgres` process on this machine, ms (Linux; 0 elsewhere, and for PGlite). */
async function postgresCpuMs(): Promise<number> {
  let ticks = 0
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (/^\d+$/.test(pid)) {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
      if (stat.includes('(postgres)')) {
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        ticks += Number(fields[11]) + Number(fields[12]) // utime, stime
      }
    }
  }
  return ticks * 10 // USER_HZ is 100 on Linux
}
const totals = sides.map(() => ({
  ok: 0,
  seconds: 0,
  cpuMs: 0,
  loadCpuMs: 0,
  postgresCpuMs: 0,
  non2xx: 0,
}))
for (const side of sides) {
  await load({
    origin: side.origin,
    path,
    headers,
    connections: CONCURRENCY,
    seconds: 1,
    timeoutSeconds: 10,
  })
}
for (let round = 0; round < ROUNDS; round++) {
  for (let j = 0; j < sides.length; j++) {
    const k = (round + j) % sides.length
    const postgresBefore = await postgresCpuMs()
    const cpu = process.cpuUsage()
    const result = await load({
      origin: sides[k]!.origin,
      path,
      headers,
      connections: CONCURRENCY,
      seconds: SECONDS,
      timeoutSeconds: 10,
    })
    const used = process.cpuUsage(cpu)
    const total = totals[k]!
    total.ok += result.ok
    total.seconds += result.seconds
    total.cpuMs += (used.user + used.system) / 1000
    total.loadCpuMs += result.cpuMs ?? Number.NaN
    total.postgresCpuMs += (await postgresCpuMs()) - postgresBefore
    total.non2xx += result.non2xx + result.errors
  }
}
sides.forEach((side, k) => {
  const t = totals[k]!
  console.log(
    `${side.name}: ${fmt.rate(t.ok / t.seconds)} req/s, server CPU ${(t.cpuMs / t.ok).toFixed(4)} ms, load generator CPU ${(t.loadCpuMs / t.ok).toFixed(4)} ms and postgres processes' CPU ${(t.postgresCpuMs / t.ok).toFixed(4)} ms per response, ${t.non2xx} non-2xx or errors`,
  )
})
child.disconnect()
for (const side of sides) {
  side.server.closeAllConnections()
  side.server.close()
}
await query(`drop schema if exists "${auth.schema}" cascade`).catch(() => {})
await dropCatalog(bb.kysely, catalog).catch(() => {})
await bb.destroy()
await close()
