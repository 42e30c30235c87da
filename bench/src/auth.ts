// `pnpm --filter @basebox/bench bench:auth`: @basebox/auth's sign-ups and sign-ins per second
// beside the password hash alone at the same concurrency, and the p99 latency of reads while a
// sign-in storm runs beside reads alone, in one run. PGlite always; PostgreSQL too when
// DATABASE_URL is set. Bounded runtime (about a minute per backend); never fails on a time.
import os from 'node:os'
import { PGlite } from '@electric-sql/pglite'
import { createAuth, createArgon2idHasher, type PasswordHasher } from '@basebox/auth'
import { createWorkerPasswordHasher } from '@basebox/auth/node'
import { createBasebox, type Basebox, type DatabaseHandle, type Driver } from '@basebox/core'
import { pgDriver } from '@basebox/core/pg'
import { pgliteDriver } from '@basebox/core/pglite'
import { dropCatalog } from '@basebox/core/testing'
import pg from 'pg'
import { writeReadmeBlock } from './report.js'

const README = new URL('../README.md', import.meta.url)
/** Operations per timed round, and rounds (hash alone and auth alternate, so load drift hits both). */
const OPS = whole('BENCH_AUTH_OPS', 24)
const ROUNDS = whole('BENCH_AUTH_ROUNDS', 3)
/** Requests in flight, for both sides. */
const CONCURRENCY = whole('BENCH_AUTH_CONCURRENCY', 4)
/** Length of each read window, in milliseconds, and reads per second in it. */
const READ_MS = whole('BENCH_AUTH_READ_MS', 4000)
const READ_RATE = whole('BENCH_AUTH_READ_RATE', 50)
const PASSWORD = 'correct horse battery staple'
/** Wrong-password sign-ins for one account sent at once, in the storm measurement. */
const STORM = whole('BENCH_AUTH_STORM', 200)

function whole(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a whole number, at least 1`)
  }
  return value
}

/** Runs `count` operations with at most `concurrency` in flight; returns the wall time in ms. */
async function pool(
  count: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        await op(next++)
      }
    }),
  )
  return performance.now() - started
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

/**
 * Reads of one user by id arriving at a fixed rate for `ms` (an open loop, as requests arrive at
 * a server), each timed from when it was due to arrive, not from when the event loop got round
 * to starting it: a thread blocked by hashing shows up in the latency. Reads overlap when they
 * must.
 */
async function readLoad(db: DatabaseHandle, id: string, ms: number): Promise<number[]> {
  const interval = 1000 / READ_RATE
  const start = performance.now()
  const end = start + ms
  const latencies: number[] = []
  const inFlight: Promise<void>[] = []
  let i = 0
  while (start + i * interval <= end) {
    const wait = start + i * interval - performance.now()
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
    // Issue every read that is due by now.
    for (
      let due = start + i * interval;
      due <= Math.min(performance.now(), end);
      due = start + ++i * interval
    ) {
      const scheduled = due
      inFlight.push(
        db.select('users', { where: { id }, limit: 1 }).then(() => {
          latencies.push(performance.now() - scheduled)
        }),
      )
    }
  }
  await Promise.all(inFlight)
  return latencies
}

interface HasherResult {
  label: string
  threads: string
  signUp: { auth: number; hash: number }
  signIn: { auth: number; verify: number }
  reads: { alone: number[]; storm: number[]; stormSignIns: number }
}

let serial = 0
const email = () => `bench-${process.pid}-${++serial}@example.com`

async function measureHasher(
  bb: Basebox,
  db: DatabaseHandle,
  label: string,
  hasher: PasswordHasher & { threads?: number },
): Promise<HasherResult> {
  const auth = await createAuth({ basebox: bb, passwordHasher: hasher })
  const users = auth.forDatabase(db)
  // Accounts to sign in to, and a hash to verify alone (same parameters).
  const accounts = Array.from({ length: CONCURRENCY }, () => email())
  for (const address of accounts) {
    await users.signUp({ email: address, password: PASSWORD })
  }
  const storedHash = await hasher.hash(PASSWORD)
  // Warm-up: WASM compilation, worker start, the JWT secret, kysely.
  await pool(CONCURRENCY * 2, CONCURRENCY, (i) =>
    users.signIn({ email: accounts[i % accounts.length]!, password: PASSWORD }),
  )
  await pool(CONCURRENCY * 2, CONCURRENCY, () => hasher.verify(storedHash, PASSWORD))

  const time = { signUp: 0, hash: 0, signIn: 0, verify: 0 }
  for (let round = 0; round < ROUNDS; round++) {
    time.hash += await pool(OPS, CONCURRENCY, () => hasher.hash(PASSWORD))
    time.signUp += await pool(OPS, CONCURRENCY, () =>
      users.signUp({ email: email(), password: PASSWORD }),
    )
    time.verify += await pool(OPS, CONCURRENCY, () => hasher.verify(storedHash, PASSWORD))
    time.signIn += await pool(OPS, CONCURRENCY, (i) =>
      users.signIn({ email: accounts[i % accounts.length]!, password: PASSWORD }),
    )
  }
  const perSecond = (ms: number) => (OPS * ROUNDS * 1000) / ms

  // Reads alone, then reads during a storm of sign-ins (CONCURRENCY loops, all the time).
  const { rows } = await db.select('users', { where: { email: accounts[0]! }, limit: 1 })
  const id = String(rows[0]!.id)
  await readLoad(db, id, 300)
  const alone = await readLoad(db, id, READ_MS)
  let storming = true
  let stormSignIns = 0
  const storm = Promise.all(
    accounts.map(async (address) => {
      while (storming) {
        await users.signIn({ email: address, password: PASSWORD })
        stormSignIns++
      }
    }),
  )
  await new Promise((resolve) => setTimeout(resolve, 200))
  const before = stormSignIns
  const stormReads = await readLoad(db, id, READ_MS)
  const during = stormSignIns - before
  storming = false
  await storm
  return {
    label,
    threads:
      hasher.threads === undefined
        ? 'main thread'
        : `${hasher.threads} worker${hasher.threads === 1 ? '' : 's'}`,
    signUp: { auth: perSecond(time.signUp), hash: perSecond(time.hash) },
    signIn: { auth: perSecond(time.signIn), verify: perSecond(time.verify) },
    reads: { alone, storm: stormReads, stormSignIns: (during * 1000) / READ_MS },
  }
}

interface StormResult {
  label: string
  attempts: number
  verifies: number
  refused: number
  ms: number
  rssBeforeMB: number
  rssPeakMB: number
  rssAfterMB: number
}

/**
 * A storm of STORM wrong-password sign-ins for ONE account, all at once (the attack of issue
 * 13): how many verifies actually ran (the throttle counts each attempt before hashing), how many
 * were refused, how long the storm took, and the process's RSS before, at its peak and after.
 */
async function measureStorm(
  bb: Basebox,
  db: DatabaseHandle,
  label: string,
  hasher: PasswordHasher,
): Promise<StormResult> {
  let verifies = 0
  const counting: PasswordHasher = {
    hash: (password) => hasher.hash(password),
    verify: (hash, password) => {
      verifies++
      return hasher.verify(hash, password)
    },
    needsRehash: (hash) => hasher.needsRehash(hash),
    ...(hasher.withinPolicy === undefined
      ? {}
      : { withinPolicy: (hash: string) => hasher.withinPolicy!(hash) }),
  }
  const auth = await createAuth({ basebox: bb, passwordHasher: counting })
  const users = auth.forDatabase(db)
  const target = email()
  await users.signUp({ email: target, password: PASSWORD })
  await users.signIn({ email: target, password: PASSWORD })
  verifies = 0
  const rssBeforeMB = process.memoryUsage().rss / 2 ** 20
  let rssPeakMB = rssBeforeMB
  const sampler = setInterval(() => {
    rssPeakMB = Math.max(rssPeakMB, process.memoryUsage().rss / 2 ** 20)
  }, 5)
  const started = performance.now()
  const outcomes = await Promise.allSettled(
    Array.from({ length: STORM }, (_, i) =>
      users.signIn({ email: target, password: `wrong password ${i}`, ip: '203.0.113.50' }),
    ),
  )
  const ms = performance.now() - started
  clearInterval(sampler)
  const refused = outcomes.filter(
    (o) => o.status === 'rejected' && (o.reason as { code?: string }).code === 'LIMIT_EXCEEDED',
  ).length
  return {
    label,
    attempts: STORM,
    verifies,
    refused,
    ms,
    rssBeforeMB,
    rssPeakMB,
    rssAfterMB: process.memoryUsage().rss / 2 ** 20,
  }
}

interface EnumerationResult {
  label: string
  knownMs: number
  unknownMs: number
}

/**
 * Sign-ins with a wrong password for an existing account beside sign-ins for an unknown email,
 * interleaved (so load drift hits both alike): their medians should be about equal, or response
 * times tell which emails have accounts. (The tests count the work instead: one verify each.)
 */
async function measureEnumeration(
  bb: Basebox,
  db: DatabaseHandle,
  label: string,
  hasher: PasswordHasher,
): Promise<EnumerationResult> {
  const users = (await createAuth({ basebox: bb, passwordHasher: hasher })).forDatabase(db)
  const time = async (address: string) => {
    const started = performance.now()
    await users
      .signIn({ email: address, password: 'not the password', ip: crypto.randomUUID() })
      .catch(() => {})
    return performance.now() - started
  }
  const known: number[] = []
  const unknown: number[] = []
  for (let i = 0; i < OPS; i++) {
    // A new account each time (signed up untimed): the throttle refuses a sixth wrong password.
    const target = email()
    await users.signUp({ email: target, password: PASSWORD })
    if (i % 2 === 0) {
      known.push(await time(target))
      unknown.push(await time(email()))
    } else {
      unknown.push(await time(email()))
      known.push(await time(target))
    }
  }
  return { label, knownMs: quantile(known, 0.5), unknownMs: quantile(unknown, 0.5) }
}

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => line[i]!.length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n')
}

const fixed = (n: number) => n.toFixed(n < 10 ? 2 : 1)

function report(
  results: HasherResult[],
  storms: StormResult[],
  enumeration: EnumerationResult[],
): string {
  const throughput = table(
    ['password hasher', 'operation', 'auth ops/s', 'compared with', 'alone ops/s', 'auth / alone'],
    results.flatMap((r) => [
      [
        `${r.label} (${r.threads})`,
        '`signUp()`',
        fixed(r.signUp.auth),
        '`hasher.hash()`',
        fixed(r.signUp.hash),
        `${(r.signUp.auth / r.signUp.hash).toFixed(2)}×`,
      ],
      [
        `${r.label} (${r.threads})`,
        '`signIn()`',
        fixed(r.signIn.auth),
        '`hasher.verify()`',
        fixed(r.signIn.verify),
        `${(r.signIn.auth / r.signIn.verify).toFixed(2)}×`,
      ],
    ]),
  )
  const reads = table(
    [
      'password hasher',
      'reads alone p50 / p99',
      'during the storm p50 / p99',
      'p99 storm / alone',
      'sign-ins/s in the storm',
    ],
    results.map((r) => [
      `${r.label} (${r.threads})`,
      `${fixed(quantile(r.reads.alone, 0.5))} / ${fixed(quantile(r.reads.alone, 0.99))} ms`,
      `${fixed(quantile(r.reads.storm, 0.5))} / ${fixed(quantile(r.reads.storm, 0.99))} ms`,
      `${(quantile(r.reads.storm, 0.99) / quantile(r.reads.alone, 0.99)).toFixed(2)}×`,
      fixed(r.reads.stormSignIns),
    ]),
  )
  const storm = table(
    [
      'password hasher',
      'wrong-password sign-ins at once, one account',
      'verifies run',
      'refused (`LIMIT_EXCEEDED`)',
      'storm took',
      'attempts/s',
      'RSS before / peak / after',
    ],
    storms.map((r) => [
      r.label,
      String(r.attempts),
      String(r.verifies),
      String(r.refused),
      `${fixed(r.ms)} ms`,
      fixed((r.attempts * 1000) / r.ms),
      `${r.rssBeforeMB.toFixed(0)} / ${r.rssPeakMB.toFixed(0)} / ${r.rssAfterMB.toFixed(0)} MB`,
    ]),
  )
  const sameTime = table(
    [
      'password hasher',
      '`signIn()` wrong password, median',
      'unknown email, median',
      'unknown / wrong password',
    ],
    enumeration.map((r) => [
      r.label,
      `${fixed(r.knownMs)} ms`,
      `${fixed(r.unknownMs)} ms`,
      `${(r.unknownMs / r.knownMs).toFixed(2)}×`,
    ]),
  )
  return `${throughput}\n\n${reads}\n\n${storm}\n\n${sameTime}`
}

async function run(
  name: string,
  label: string,
  driver: Driver,
  exec: (text: string) => Promise<unknown>,
): Promise<void> {
  const catalog = `bench_auth_${crypto.randomUUID().slice(0, 8)}`
  console.log(
    `\n== ${label}\n   catalog schema ${catalog}; ${CONCURRENCY} in flight, ${ROUNDS} rounds of ${OPS}, reads at ${READ_RATE}/s for ${READ_MS} ms`,
  )
  const loadBefore = os.loadavg()[0]!.toFixed(1)
  const bb = await createBasebox({ driver, catalogSchema: catalog })
  const workers = createWorkerPasswordHasher()
  try {
    const owner = bb.owner('bench-auth')
    const db = await owner.createDatabase((await owner.createProject({ name: 'auth bench' })).id)
    const results = [
      await measureHasher(bb, db, 'hash-wasm argon2id, worker threads', workers),
      await measureHasher(bb, db, 'hash-wasm argon2id, in process', createArgon2idHasher()),
    ]
    const storms = [
      await measureStorm(bb, db, 'hash-wasm argon2id, worker threads', workers),
      await measureStorm(bb, db, 'hash-wasm argon2id, in process', createArgon2idHasher()),
    ]
    const enumeration = [
      await measureEnumeration(bb, db, 'hash-wasm argon2id, worker threads', workers),
      await measureEnumeration(bb, db, 'hash-wasm argon2id, in process', createArgon2idHasher()),
    ]
    const text = report(results, storms, enumeration)
    console.log(`\n${text}\n`)
    const cpus = os.cpus()
    const date = new Date().toISOString().replace('T', ' ').slice(0, 16)
    await writeReadmeBlock(
      README,
      `auth-${name}`,
      [
        `### Auth on ${label}`,
        '',
        `Run on ${date} UTC: ${cpus.length} cores (${cpus[0]?.model.trim() ?? '?'}), Node ${process.version}; ` +
          `argon2id m=19456 KiB, t=2, p=1; ${CONCURRENCY} requests in flight; ${ROUNDS} rounds of ${OPS} operations; ` +
          `load average ${loadBefore} before, ${os.loadavg()[0]!.toFixed(1)} after.`,
        '',
        text,
      ].join('\n'),
    )
  } finally {
    await workers.destroy()
    await exec(`drop schema if exists "${catalog}_auth" cascade`).catch(() => {})
    await dropCatalog(bb.kysely, catalog).catch((error) =>
      console.error(`could not drop ${catalog}`, error),
    )
    await bb.destroy()
  }
}

async function main(): Promise<void> {
  const only = process.env.BASEBOX_DRIVERS
  if (only === undefined || only.includes('pglite')) {
    const pglite = await PGlite.create()
    const version = (
      await pglite.query<{ v: string }>(`select current_setting('server_version') as v`)
    ).rows[0]!.v
    await run(
      'pglite',
      `PGlite in memory (PostgreSQL ${version.split(' ')[0]})`,
      pgliteDriver(pglite),
      (text) => pglite.exec(text),
    )
  }
  const url = process.env.DATABASE_URL
  if (url !== undefined && url !== '' && (only === undefined || only.includes('postgres'))) {
    const pool = new pg.Pool({ connectionString: url, max: 4, pipeline: true } as pg.PoolConfig)
    const version = (
      await pool.query<{ v: string }>(`select current_setting('server_version') as v`)
    ).rows[0]!.v
    // The engine ends the pool when it is destroyed: drop the auth schema on a pool of its own.
    const admin = new pg.Pool({ connectionString: url, max: 1 })
    try {
      await run(
        'postgres',
        `PostgreSQL ${version.split(' ')[0]} over pg (TCP, same machine)`,
        pgDriver(pool),
        (text) => admin.query(text),
      )
    } finally {
      await admin.end()
    }
  }
}

await main()
