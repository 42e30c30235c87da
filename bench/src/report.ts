import { readFile, writeFile } from 'node:fs/promises'
import type { OperationResult } from './measure.js'

/** One line of the results table: an engine operation beside its raw equivalent. */
export interface ComparisonRow {
  operation: string
  engine: OperationResult
  raw: OperationResult
  rawLabel: string
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`

/** The results of one backend as a Markdown table (readable on stdout too). */
export function formatTable(rows: readonly ComparisonRow[]): string {
  const header = [
    'operation',
    'raw SQL it is compared with',
    'engine median',
    'raw median',
    'engine / raw',
    'engine p95',
    'raw p95',
    'round trips engine / raw',
    'engine time awaiting the database',
  ]
  const body = rows.map((r) => [
    r.operation,
    r.rawLabel,
    ms(r.engine.time.median),
    ms(r.raw.time.median),
    `${(r.engine.time.median / r.raw.time.median).toFixed(2)}×`,
    ms(r.engine.time.p95),
    ms(r.raw.time.p95),
    `${r.engine.statements} / ${r.raw.statements}`,
    `${ms(r.engine.waitedMs)} (${Math.round((100 * r.engine.waitedMs) / r.engine.time.median)} %)`,
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => line[i]!.length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n')
}

/**
 * Replaces the block of one backend between its markers in the README's "Latest results"
 * section (`<!-- bench:<name>:start -->` … `<!-- bench:<name>:end -->`), so that a run on PGlite
 * alone keeps the last Postgres results. A missing block is added at the end of the section.
 */
export async function writeReadmeBlock(
  path: string | URL,
  name: string,
  block: string,
): Promise<void> {
  const text = await readFile(path, 'utf8')
  const start = `<!-- bench:${name}:start -->`
  const end = `<!-- bench:${name}:end -->`
  const replacement = `${start}\n\n${block.trim()}\n\n${end}`
  let next: string
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from !== -1 && to > from) {
    next = text.slice(0, from) + replacement + text.slice(to + end.length)
  } else {
    const section = '<!-- bench:results:end -->'
    const at = text.indexOf(section)
    if (at === -1) {
      throw new Error(`${String(path)} has no "${section}" marker`)
    }
    next = `${text.slice(0, at)}${replacement}\n\n${text.slice(at)}`
  }
  await writeFile(path, next)
}
