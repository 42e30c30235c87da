import type { StatementCounter } from './instrument.js'
import { summarize, type Summary } from './stats.js'

/** One timed run: its duration, its statements, and the time spent awaiting the driver. */
export interface Sample {
  ms: number
  statements: number
  waitedMs: number
}

/**
 * One operation to time. `prepare` does the untimed set-up of iteration `i` (for example a new
 * project) and returns the timed part.
 */
export type Operation = (i: number) => Promise<() => Promise<unknown>>

/** The results of one operation. */
export interface OperationResult {
  time: Summary
  /** Statements (round trips) per run, median. */
  statements: number
  /** Milliseconds per run spent awaiting the driver, median. */
  waitedMs: number
}

/**
 * Runs every operation `warmups + iterations` times, interleaved (iteration i runs each
 * operation once, in an order that rotates) so that drift in the machine's load affects all of
 * them alike. Only the last `iterations` runs are kept.
 */
export async function measure<K extends string>(
  counter: StatementCounter,
  operations: Record<K, Operation>,
  options: {
    warmups: number
    iterations: number
    shouldStop?: () => boolean
    onProgress?: (done: number) => void
  },
): Promise<Record<K, OperationResult>> {
  const names = Object.keys(operations) as K[]
  const samples = Object.fromEntries(names.map((n) => [n, [] as Sample[]])) as Record<K, Sample[]>
  const total = options.warmups + options.iterations
  for (let i = 0; i < total && options.shouldStop?.() !== true; i++) {
    const order = names.map((_, j) => names[(i + j) % names.length]!)
    for (const name of order) {
      const run = await operations[name](i)
      const read = counter.start()
      const started = performance.now()
      await run()
      const ms = performance.now() - started
      if (i >= options.warmups) {
        samples[name].push({ ms, ...read() })
      }
    }
    options.onProgress?.(i + 1)
  }
  return Object.fromEntries(
    names.map((name) => {
      const list = samples[name]
      return [
        name,
        {
          time: summarize(list.map((s) => s.ms)),
          statements: summarize(list.map((s) => s.statements)).median,
          waitedMs: summarize(list.map((s) => s.waitedMs)).median,
        },
      ]
    }),
  ) as Record<K, OperationResult>
}
