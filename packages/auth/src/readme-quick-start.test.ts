import { randomUUID } from 'node:crypto'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { afterEach, expect, it, vi } from 'vitest'

// The README's quick start runs as written: its first ```ts block is written beside this
// package's package.json (so `@basebox/auth` resolves through its own `exports`) and imported.
// It must type-check with the package's compiler options, and print what its comments say.

const PACKAGE = new URL('../', import.meta.url)
const files: URL[] = []

/** Type errors of one file under this package's tsconfig.json. */
function typeErrors(file: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    fileURLToPath(new URL('tsconfig.json', PACKAGE)),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      },
    },
  )!
  const program = ts.createProgram({
    rootNames: [file],
    options: { ...config.options, noEmit: true },
  })
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || d.file.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
}

afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(files.splice(0).map((file) => rm(file, { force: true })))
})

it('has a quick start that type-checks and runs, printing what its comments say', async () => {
  const markdown = await readFile(new URL('README.md', PACKAGE), 'utf8')
  const code = /^```ts\n([\s\S]*?)^```$/m.exec(markdown)?.[1]
  expect(code).toBeDefined()
  const file = new URL(`.readme-quick-start-${randomUUID()}.ts`, PACKAGE)
  files.push(file)
  await writeFile(file, code!)
  // TIMING expect(typeErrors(fileURLToPath(file))).toEqual([])
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  await import(/* @vite-ignore */ file.href)
  expect(log.mock.calls).toEqual([
    ['ada@example.com'],
    ['authenticated', true],
    [['email_verification']],
    [true],
    ['UNAUTHENTICATED'],
    ['session ended'],
    ['anon'],
  ])
}, 120_000)
