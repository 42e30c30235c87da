import { readFile, writeFile } from 'node:fs/promises'

/**
 * Replaces the block `<!-- bench:<name>:start -->` … `<!-- bench:<name>:end -->` of the README
 * with `block`. When the block is missing it goes just before `<!-- bench:<section>:end -->`
 * (the end of the benchmark's own section), and when that is missing too, at the end of the file.
 * Re-reads the file right before writing, since other benchmarks write their own blocks.
 */
export async function writeSectionBlock(
  path: string | URL,
  section: string,
  name: string,
  block: string,
): Promise<void> {
  const text = await readFile(path, 'utf8')
  const start = `<!-- bench:${name}:start -->`
  const end = `<!-- bench:${name}:end -->`
  const replacement = `${start}\n\n${block.trim()}\n\n${end}`
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  let next: string
  if (from !== -1 && to > from) {
    next = text.slice(0, from) + replacement + text.slice(to + end.length)
  } else {
    const sectionEnd = text.indexOf(`<!-- bench:${section}:end -->`)
    next =
      sectionEnd === -1
        ? `${text.trimEnd()}\n\n${replacement}\n`
        : `${text.slice(0, sectionEnd)}${replacement}\n\n${text.slice(sectionEnd)}`
  }
  await writeFile(path, next)
}
