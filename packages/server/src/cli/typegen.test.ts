import { generateTypes, type TableDefinitionInput } from '@basebox/client'
import { objectName, type Basebox } from '@basebox/core'
import type { TestHarness } from '@basebox/core/testing'
import { BLOG_TABLES } from '@basebox/core/testing'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandler, type BaseboxHandler } from '../handler.js'
import { testBackends } from '../testing.js'
import { main, TYPEGEN_USAGE } from './typegen.js'

/** Type-checks `files` (virtual, placed beside this test so packages resolve) and returns the errors. */
function typeErrors(files: Record<string, string>): string[] {
  const dir = join(fileURLToPath(new URL('.', import.meta.url)), '__typegen_check__')
  const virtual = new Map(Object.entries(files).map(([name, text]) => [join(dir, name), text]))
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    customConditions: ['@basebox/source'],
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
  }
  const host = ts.createCompilerHost(options)
  const { getSourceFile, fileExists, readFile: read } = host
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name)
  host.readFile = (name) => virtual.get(name) ?? read.call(host, name)
  host.directoryExists = (name) => name === dir || ts.sys.directoryExists(name)
  host.getSourceFile = (name, language, ...rest) =>
    virtual.has(name)
      ? ts.createSourceFile(name, virtual.get(name)!, language)
      : getSourceFile.call(host, name, language, ...rest)
  const program = ts.createProgram([...virtual.keys()], options, host)
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || virtual.has(d.file.fileName))
    .map(
      (d) =>
        `${d.file ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start!).line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    )
}

const USAGE = `
import { createClient } from '@supabase/supabase-js'
import type { BaseboxClient } from '@basebox/client'
import type { Database, Json, Tables, TablesInsert, TablesUpdate } from './database.types'

const supabase = createClient<Database>('http://localhost/db/x', 'anon-key')

export async function check(client: BaseboxClient): Promise<void> {
  const { data } = await supabase.from('posts').select('id, title, views, author:users(email)').eq('title', 'x')
  const title: string | undefined = data?.[0]?.title
  const views: number | undefined = data?.[0]?.views
  const email: string | undefined = data?.[0]?.author?.email
  const insert: TablesInsert<'posts'> = { title: 'new' }
  await supabase.from('posts').insert(insert)
  const patch: TablesUpdate<'comments'> = { body: 'edited', author_id: null }
  await supabase.from('comments').update(patch).eq('id', 'c')
  const { rows } = await client.selectRows<Tables<'posts'>>('db', 'posts')
  const created: string | undefined = rows[0]?.created_at
  const counter: Tables<'counters'> = { key: 'k', total: '9007199254740993', data: { any: ['json', 1, null] } }
  const data2: Json = counter.data
  // @ts-expect-error title is required to insert a post
  const missing: TablesInsert<'posts'> = { views: 1 }
  // @ts-expect-error secret columns are not part of any row type
  const secret: Tables<'users'>['password_hash'] = null
  // @ts-expect-error body may be null in a row
  const body: string = rows[0]!.body
  // @ts-expect-error there is no such table
  await supabase.from('nope').select('*')
  void [title, views, email, created, data2, missing, secret, body]
}
`

for (const backend of testBackends()) {
  describe(`${backend.name}: basebox-typegen`, () => {
    let h: TestHarness
    let bb: Basebox
    let handler: BaseboxHandler
    let projectId: string
    let databaseId: string
    let dir: string
    const fetch = (input: string, init: RequestInit) => handler(new Request(input, init))

    beforeAll(async () => {
      h = await backend.create()
      bb = await h.engine()
      handler = createHandler({
        basebox: bb,
        getOwner: (request) => request.headers.get('x-user'),
        log: () => {},
      })
      const owner = bb.owner('typegen-owner')
      projectId = (await owner.createProject({ name: 'Typed' })).id
      const db = await owner.createDatabase(projectId)
      databaseId = db.id
      for (const definition of [
        ...BLOG_TABLES,
        {
          name: 'counters',
          columns: [
            { name: 'key', type: 'text', primary_key: true },
            { name: 'total', type: 'bigint', required: true, default: 0 },
            { name: 'data', type: 'jsonb', required: true, default: {} },
          ],
        },
      ] satisfies TableDefinitionInput[]) {
        await db.createTable(definition)
      }
      dir = await mkdtemp(join(tmpdir(), 'basebox-typegen-'))
    })
    afterAll(async () => {
      await h?.close()
      if (dir) {
        await rm(dir, { recursive: true, force: true })
      }
    })

    const run = async (args: string[]) => {
      const out: string[] = []
      const err: string[] = []
      const code = await main(args, {
        fetch,
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
      })
      return { code, stdout: out.join(''), stderr: err.join('') }
    }

    it(`${backend.name}: fetches a database's definitions from the management API and writes the types`, async () => {
      const file = join(dir, 'nested', 'database.types.ts')
      const result = await run([
        '--url',
        'http://basebox.test',
        '--database',
        databaseId,
        '--header',
        'x-user: typegen-owner',
        '--out',
        file,
      ])
      expect(result).toEqual({
        code: 0,
        stdout: '',
        stderr: `basebox-typegen: wrote 4 tables to ${file}\n`,
      })
      const written = await readFile(file, 'utf8')
      const definitions = (
        await (await bb.owner('typegen-owner').databaseById(databaseId)).listTables()
      ).map((t) => t.definition)
      expect(written).toBe(
        generateTypes(definitions, {
          header: `Types of database ${databaseId} at http://basebox.test/, by basebox-typegen.`,
        }),
      )
      expect(written).toContain(`foreignKeyName: '${objectName.foreignKey('comments', 'post_id')}'`)
      if (backend.name === 'pglite') {
        // The types are the same on every backend: type-check them once, with supabase-js and BaseboxClient.
        expect(typeErrors({ 'database.types.ts': written, 'usage.ts': USAGE })).toEqual([])
        const broken = written.replace(
          /(posts: \{\n\s+Row: \{\n\s+id: string\n\s+)title: string/,
          '$1title: number',
        )
        expect(broken).not.toBe(written)
        expect(typeErrors({ 'database.types.ts': broken, 'usage.ts': USAGE })).toContainEqual(
          expect.stringMatching(/^usage\.ts:10: Type 'number \| undefined' is not assignable/),
        )
      }
    })

    it(`${backend.name}: finds the database of a project, and prints to standard output without --out`, async () => {
      const result = await run([
        '--url',
        'http://basebox.test/',
        '--project',
        projectId,
        '--header',
        'X-User:typegen-owner',
        '--schema',
        'app',
      ])
      expect(result.code).toBe(0)
      expect(result.stdout).toContain('  app: {\n')
      expect(result.stdout).toContain('      users: {')
      expect(result.stdout).not.toContain('password_hash')
    })

    it(`${backend.name}: reads an export, a list of tables or a list of definitions from a file`, async () => {
      const tables = await (await bb.owner('typegen-owner').databaseById(databaseId)).listTables()
      const documents = {
        'export.json': {
          format: 'basebox',
          version: 1,
          tables: tables.map((t) => ({ definition: t.definition, rows: [] })),
        },
        'tables.json': tables,
        'definitions.json': tables.map((t) => t.definition),
      }
      const outputs: string[] = []
      for (const [name, document] of Object.entries(documents)) {
        await writeFile(join(dir, name), JSON.stringify(document))
        const result = await run(['--from-file', join(dir, name)])
        expect([name, result.code, result.stderr]).toEqual([name, 0, ''])
        outputs.push(result.stdout.replace(/^\/\*[\s\S]*?\*\/\n/, ''))
      }
      expect(new Set(outputs).size).toBe(1)
      expect(outputs[0]).toContain('      counters: {')
    })

    it(`${backend.name}: exits with 2 and the usage on wrong arguments, with 1 and the error when the server or the file fails`, async () => {
      const usage: string[][] = [
        [],
        ['--url', 'http://basebox.test'],
        ['--url', 'http://basebox.test', '--database', databaseId, '--project', projectId],
        ['--url', 'http://basebox.test', '--from-file', 'x.json'],
        ['--database', databaseId],
        ['--url', 'http://basebox.test', '--database', databaseId, '--header', 'no-colon'],
        ['--nope'],
        ['positional'],
      ]
      for (const args of usage) {
        const result = await run(args)
        expect([args, result.code]).toEqual([args, 2])
        expect(result.stderr).toContain(TYPEGEN_USAGE)
      }
      expect(await run(['--help'])).toEqual({ code: 0, stdout: TYPEGEN_USAGE, stderr: '' })
      await writeFile(
        join(dir, 'bad.json'),
        '{"tables": [{"name": "Bad Name", "columns": [{"name": "id", "type": "uuid"}]}]}',
      )
      await writeFile(join(dir, 'not.json'), 'hello')
      const failures: [string[], string][] = [
        [
          ['--url', 'http://basebox.test', '--database', databaseId],
          'sign in to the host product first (UNAUTHENTICATED)',
        ],
        [
          [
            '--url',
            'http://basebox.test',
            '--database',
            databaseId,
            '--header',
            'x-user: someone-else',
          ],
          'database not found (NOT_FOUND)',
        ],
        [
          [
            '--url',
            'http://basebox.test',
            '--project',
            '00000000-0000-4000-8000-000000000000',
            '--header',
            'x-user: typegen-owner',
          ],
          'not found (NOT_FOUND)',
        ],
        [['--from-file', join(dir, 'missing.json')], 'ENOENT'],
        [['--from-file', join(dir, 'not.json')], 'is not JSON (VALIDATION_FAILED)'],
        [['--from-file', join(dir, 'bad.json')], 'table 1 of the file: invalid table definition'],
      ]
      for (const [args, message] of failures) {
        const result = await run(args)
        expect([args, result.code, result.stdout]).toEqual([args, 1, ''])
        expect(result.stderr).toContain(message)
      }
    })
  })
}
