// Closed-loop throughput for `bench:records` and `bench:http`: N workers each run an operation
// back to back for a fixed time; ops/s and latency percentiles. Sides that are compared run in
// alternating windows (rounds), so drift in the machine's load hits them alike.
import os from 'node:os'

/** One operation; `i` counts calls across all workers (to vary ids). */
export type Op = (i: number) => Promise<unknown>

/** What the windows of one side added up to. */
export interface Throughput {
  ops: number
  ms: number
  errors: number
  /** CPU time of this process (user + system) over the windows, in ms. */
  cpuMs?: number
  /** Every call's latency, in ms. */
  latencies: number[]
}

export interface ThroughputSummary {
  opsPerSecond: number
  ops: number
  errors: number
  p50: number
  p99: number
  /** CPU time of this Node process per operation, in ms (on PGlite it includes the database). */
  cpuMsPerOp: number
}

/** Runs `op` with `concurrency` workers until `ms` have passed; every call is timed. */
export async function runWindow(
  op: Op,
  concurrency: number,
  ms: number,
  into?: Throughput,
  counter = { i: 0 },
): Promise<Throughput> {
  const result = into ?? { ops: 0, ms: 0, errors: 0, latencies: [] }
  const started = performance.now()
  const cpu = process.cpuUsage()
  const deadline = started + ms
  let firstError: unknown
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now()
        try {
          await op(counter.i++)
          result.latencies.push(performance.now() - t)
          result.ops += 1
        } catch (error) {
          result.errors += 1
          firstError ??= error
        }
      }
    }),
  )
  result.ms += performance.now() - started
  const used = process.cpuUsage(cpu)
  result.cpuMs = (result.cpuMs ?? 0) + (used.user + used.system) / 1000
  if (firstError !== undefined && result.errors === result.ops + result.errors) {
    // Nothing worked: a broken benchmark, not a slow one.
    throw firstError
  }
  return result
}

/**
 * Measures each side for `rounds` windows of `windowMs`, alternating (the order rotates each
 * round), after one short warm-up window per side.
 */
export async function compareThroughput<K extends string>(
  sides: Record<K, Op>,
  options: { concurrency: number; rounds: number; windowMs: number; warmupMs: number },
): Promise<Record<K, ThroughputSummary>> {
  const names = Object.keys(sides) as K[]
  const counter = { i: 0 }
  for (const name of names) {
    await runWindow(sides[name], options.concurrency, options.warmupMs, undefined, counter)
  }
  const totals = Object.fromEntries(
    names.map((n) => [n, { ops: 0, ms: 0, errors: 0, latencies: [] as number[] }]),
  ) as Record<K, Throughput>
  for (let round = 0; round < options.rounds; round++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(round + j) % names.length]!
      await runWindow(sides[name], options.concurrency, options.windowMs, totals[name], counter)
    }
  }
  return Object.fromEntries(names.map((n) => [n, summarizeThroughput(totals[n])])) as Record<
    K,
    ThroughputSummary
  >
}

export function summarizeThroughput(t: Throughput): ThroughputSummary {
  const sorted = [...t.latencies].sort((a, b) => a - b)
  return {
    opsPerSecond: (t.ops * 1000) / t.ms,
    ops: t.ops,
    errors: t.errors,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    cpuMsPerOp: (t.cpuMs ?? Number.NaN) / t.ops,
  }
}

/** The value at quantile `q` of sorted values (nearest rank); NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) {
    return Number.NaN
  }
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

export function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  )
}

/** Whole numbers from the environment, with a default. */
export function envInteger(name: string, fallback: number, min = 1): number {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number, at least ${min}`)
  }
  return value
}

export const fmt = {
  ms: (value: number) =>
    Number.isNaN(value) ? '–' : `${value.toFixed(value < 1 ? 3 : value < 10 ? 2 : 1)} ms`,
  rate: (value: number) =>
    value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1),
  ratio: (value: number) => `${value.toFixed(2)}×`,
}

/** A Markdown table, readable on stdout too. */
export function markdownTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map((line) => (line[i] ?? '').length)),
  )
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n')
}

export function machine(): string {
  const cpus = os.cpus()
  const memory = Math.round(os.totalmem() / 2 ** 30)
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${memory} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`
}

/** The 1-minute load average: other work on the machine shows up in the numbers. */
export function load(): string {
  return os.loadavg()[0]!.toFixed(1)
}

export function now(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 16)
}

/** `BASEBOX_DRIVERS=pglite` or `=postgres` runs one backend only, as in the tests. */
export function wantedDrivers(): {
  pglite: boolean
  postgres: string | undefined
  skipped: string | undefined
} {
  const only = process.env.BASEBOX_DRIVERS?.split(',').map((name) => name.trim())
  const wanted = (name: string) => only === undefined || only.includes(name)
  const url = process.env.DATABASE_URL
  const postgres = wanted('postgres') && url !== undefined && url !== '' ? url : undefined
  return {
    pglite: wanted('pglite'),
    postgres,
    skipped:
      wanted('postgres') && postgres === undefined
        ? 'DATABASE_URL is not set: PostgreSQL skipped (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test).'
        : undefined,
  }
}
