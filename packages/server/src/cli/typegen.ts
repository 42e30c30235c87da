import {
  BaseboxError,
  createRemoteClient,
  generateTypes,
  isBaseboxError,
  parseTableDefinition,
  type TableDefinition,
} from '@basebox/client'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'

/** What {@link main} reaches the outside world through; tests replace parts of it. */
export interface TypegenIO {
  /** Default is the global `fetch`. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>
  /** Default reads a UTF-8 file. */
  readFile?: (path: string) => Promise<string>
  /** Default writes a UTF-8 file, creating its folder. */
  writeFile?: (path: string, text: string) => Promise<void>
  /** Where the types go without `--out`. Default is `process.stdout`. */
  stdout?: (text: string) => void
  /** Where messages and errors go. Default is `process.stderr`. */
  stderr?: (text: string) => void
}

/** The usage text of `basebox-typegen`. */
export const TYPEGEN_USAGE = `Usage: basebox-typegen (--url <server> (--database <id> | --project <id>) | --from-file <file.json>) [options]

Writes TypeScript types (Row, Insert, Update per table) for a Basebox database.

  --url <url>           where the Basebox handler is mounted, e.g. http://localhost:3000
  --database <id>       the database whose tables to type
  --project <id>        or the project whose database to type
  --header <name: value>  a header for the management API, e.g. 'x-user: alice' (repeatable)
  --from-file <path>    read definitions from a JSON file instead: an export
                        ({ format: 'basebox', tables }), a list of tables, or a list of definitions
  --out <path>          the .ts file to write; default is standard output
  --schema <name>       the schema key of the Database type; default is public
  --help                show this text
`

/** A failure the user can fix from the command line: exit code 2 with the usage text. */
class UsageError extends Error {}

function parseHeaders(values: string[]): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const value of values) {
    const colon = value.indexOf(':')
    if (colon <= 0) {
      throw new UsageError(`--header takes 'name: value', not ${JSON.stringify(value)}`)
    }
    headers[value.slice(0, colon).trim().toLowerCase()] = value.slice(colon + 1).trim()
  }
  return headers
}

// The URL as the generated file's header may show it: without a user name or password.
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.username = ''
    parsed.password = ''
    return parsed.href
  } catch {
    return url
  }
}

/** The definitions in a JSON document: an export, `{ tables }`, or a list of tables or definitions. */
function definitionsIn(document: unknown): TableDefinition[] {
  const list = Array.isArray(document)
    ? document
    : (document as { tables?: unknown } | null)?.tables
  if (!Array.isArray(list)) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      'the file holds no tables: expected an export ({ format: "basebox", tables }), a list of tables or a list of table definitions',
    )
  }
  return list.map((item: unknown, index) => {
    const definition =
      typeof item === 'object' && item !== null && 'definition' in item ? item.definition : item
    try {
      return parseTableDefinition(definition)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      throw new BaseboxError('VALIDATION_FAILED', `table ${index + 1} of the file: ${message}`, {
        cause: error,
      })
    }
  })
}

/**
 * Runs `basebox-typegen` with its command-line arguments (without `node` and the script) and
 * returns the exit code: 0 when the types were written, 1 when the server or the file failed,
 * 2 for wrong arguments.
 *
 * ### Examples
 *
 * ```ts
 * const code = await main(['--url', 'http://localhost:3000', '--database', databaseId, '--header', 'x-user: alice', '--out', 'src/database.types.ts'])
 * ```
 */
export async function main(args: string[], io: TypegenIO = {}): Promise<number> {
  const stdout = io.stdout ?? ((text: string) => process.stdout.write(text))
  const stderr = io.stderr ?? ((text: string) => process.stderr.write(text))
  try {
    const { values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        database: { type: 'string' },
        project: { type: 'string' },
        header: { type: 'string', multiple: true, default: [] },
        'from-file': { type: 'string' },
        out: { type: 'string' },
        schema: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    })
    if (values.help) {
      stdout(TYPEGEN_USAGE)
      return 0
    }
    const fromFile = values['from-file']
    if ((fromFile === undefined) === (values.url === undefined)) {
      throw new UsageError('give either --url or --from-file')
    }
    let definitions: TableDefinition[]
    let source: string
    if (fromFile !== undefined) {
      const text = await (io.readFile ?? ((path: string) => readFile(path, 'utf8')))(fromFile)
      let document: unknown
      try {
        document = JSON.parse(text)
      } catch {
        throw new BaseboxError('VALIDATION_FAILED', `${fromFile} is not JSON`)
      }
      definitions = definitionsIn(document)
      source = fromFile
    } else {
      if ((values.database === undefined) === (values.project === undefined)) {
        throw new UsageError('with --url, give either --database or --project')
      }
      const client = createRemoteClient({
        url: values.url!,
        headers: parseHeaders(values.header),
        ...(io.fetch ? { fetch: io.fetch } : {}),
      })
      const databaseId = values.database ?? (await client.getDatabase(values.project!)).id
      definitions = (await client.listTables(databaseId)).map((table) => table.definition)
      source = `database ${databaseId} at ${withoutCredentials(values.url!)}`
    }
    const types = generateTypes(definitions, {
      ...(values.schema ? { schema: values.schema } : {}),
      header: `Types of ${source}, by basebox-typegen.`,
    })
    if (values.out === undefined) {
      stdout(types)
    } else {
      const write =
        io.writeFile ??
        (async (path: string, text: string) => {
          await mkdir(dirname(path), { recursive: true })
          await writeFile(path, text, 'utf8')
        })
      await write(values.out, types)
      stderr(
        `basebox-typegen: wrote ${definitions.length} table${definitions.length === 1 ? '' : 's'} to ${values.out}\n`,
      )
    }
    return 0
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError &&
        'code' in error &&
        String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      stderr(`basebox-typegen: ${error.message}\n\n${TYPEGEN_USAGE}`)
      return 2
    }
    const code = isBaseboxError(error) ? ` (${error.code})` : ''
    stderr(`basebox-typegen: ${error instanceof Error ? error.message : String(error)}${code}\n`)
    return 1
  }
}
