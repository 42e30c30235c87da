import { randomUUID } from 'node:crypto'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { afterEach, describe, expect, it, vi } from 'vitest'

// The quick start of each README.md is run as it is written: its first ```ts block is written to
// a file beside this package's package.json (so `@basebox/core` resolves to this package by its
// own name, through its `exports`, and `@basebox/client` and `zod` through its dependencies),
// type-checked with the package's compiler options, and imported. What it prints must be what
// its comments say. The client's README is checked here because @basebox/client's own tests may
// import only zod, vitest and fast-check (eslint.config.js).

const CORE = new URL('../', import.meta.url)

interface Readme {
  package: string
  readme: URL
  packageJSON: URL
  /** What the example passes to `console.log`, call by call. */
  logs: unknown[][]
}

const READMES: Readme[] = [
  {
    package: '@basebox/core',
    readme: new URL('README.md', CORE),
    packageJSON: new URL('package.json', CORE),
    logs: [
      [
        [
          {
            kind: 'add_column',
            table: 'posts',
            column: { name: 'views', type: 'integer', required: true, default: 0 },
          },
        ],
      ],
      [[]],
      [[['Hello, Basebox', 0]]],
      ['INVALID_IDENTIFIER'],
      [['users', 'posts']],
    ],
  },
  {
    package: '@basebox/client',
    readme: new URL('../client/README.md', CORE),
    packageJSON: new URL('../client/package.json', CORE),
    logs: [
      ['gen_random_uuid()'],
      [{ table: 'users', column: 'id', on_delete: 'no action' }],
      ['INVALID_IDENTIFIER'],
      [['name', 'columns.0.type']],
      [['name', 'columns']],
    ],
  },
]

function firstTypeScriptBlock(markdown: string): string {
  const match = /^```ts\n([\s\S]*?)^```$/m.exec(markdown)
  if (match === null) {
    throw new Error('the README has no ```ts block')
  }
  return match[1]!
}

function importedSpecifiers(code: string): string[] {
  return [...code.matchAll(/^import .* from '([^']+)'$/gm)].map((m) => m[1]!)
}

/** Type-checks one file with the compiler options of this package's tsconfig.json. */
function typeErrors(file: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    fileURLToPath(new URL('tsconfig.json', CORE)),
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

describe.each(READMES)('README.md of $package', (readme) => {
  const files: URL[] = []
  afterEach(async () => {
    vi.restoreAllMocks()
    await Promise.all(files.splice(0).map((file) => rm(file, { force: true })))
  })

  it('imports only entry points the package exports, and its own dependencies', async () => {
    const code = firstTypeScriptBlock(await readFile(readme.readme, 'utf8'))
    const pkg = JSON.parse(await readFile(readme.packageJSON, 'utf8')) as {
      exports: Record<string, unknown>
      dependencies?: Record<string, string>
      peerDependencies?: Record<string, string>
    }
    const specifiers = importedSpecifiers(code)
    expect(specifiers.some((s) => s === readme.package)).toBe(true)
    for (const specifier of specifiers) {
      if (specifier.startsWith(readme.package)) {
        expect(Object.keys(pkg.exports), specifier).toContain(
          specifier.replace(readme.package, '.'),
        )
      } else {
        expect(Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }), specifier).toContain(
          specifier,
        )
      }
    }
  })

  it('has a quick start that type-checks and runs, printing what its comments say', async () => {
    const code = firstTypeScriptBlock(await readFile(readme.readme, 'utf8'))
    const file = new URL(`.readme-quick-start-${randomUUID()}.ts`, CORE)
    files.push(file)
    await writeFile(file, code)

    expect(typeErrors(fileURLToPath(file))).toEqual([])

    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    await import(/* @vite-ignore */ file.href)
    expect(log.mock.calls).toEqual(readme.logs)
    // Type-checking loads the whole engine's types, and the core example starts a fresh PGlite.
  }, 120_000)
})
