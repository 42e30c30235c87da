import { BaseboxError } from '@basebox/client'
import type { Row } from '../database/database-handle.js'
import { parseDatabaseExport, type DatabaseExport } from './export-format.js'
import { schemaStatements, SQL_EXPORT_HEADER } from './export-sql.js'

function lineOf(text: string, offset: number): number {
  let line = 1
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
  }
  return line
}

function refuse(text: string, offset: number, message: string): BaseboxError {
  const line = lineOf(text, offset)
  return new BaseboxError('VALIDATION_FAILED', `SQL export, line ${line}: ${message}`, {
    details: { line },
  })
}

/**
 * The statements of a script, split on semicolons outside quotes, with `--` comments left out.
 * Enough for what {@link exportSQL} writes: no dollar quotes, no `E''` strings.
 */
function* splitScript(text: string): Generator<{ text: string; offset: number }> {
  const special = /['";-]/g
  let start = -1
  let i = 0
  const n = text.length
  while (i < n) {
    if (start === -1) {
      // Between statements: skip blanks and comment lines.
      const c = text[i]!
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
        i++
        continue
      }
      if (text.startsWith('--', i)) {
        const end = text.indexOf('\n', i)
        i = end === -1 ? n : end + 1
        continue
      }
      start = i
    }
    special.lastIndex = i
    const match = special.exec(text)
    if (match === null) {
      i = n
      break
    }
    const at = match.index
    const c = match[0]
    if (c === ';') {
      yield { text: text.slice(start, at).trim(), offset: start }
      start = -1
      i = at + 1
    } else if (c === '-') {
      if (text[at + 1] === '-') {
        const end = text.indexOf('\n', at)
        i = end === -1 ? n : end + 1
      } else {
        i = at + 1
      }
    } else {
      // A quoted literal or identifier; a doubled quote continues it.
      let end = at
      for (;;) {
        end = text.indexOf(c, end + 1)
        if (end === -1) {
          throw refuse(text, at, `a ${c === "'" ? 'string' : 'quoted name'} is never closed`)
        }
        if (text[end + 1] !== c) {
          break
        }
        end++
      }
      i = end + 1
    }
  }
  if (start !== -1 && text.slice(start, n).trim() !== '') {
    yield { text: text.slice(start, n).trim(), offset: start }
  }
}

const INSERT_HEAD = /^insert into "([a-z][a-z0-9_]*)" (?:\(([^)]*)\) values|(default values))/
const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/iy
const KEYWORD = /(null|true|false)\b/y
const BLANKS = /\s*/y

/** Parses the `insert` statements an export writes into rows (values still as text, jsonb parsed). */
function parseInsert(
  script: string,
  statement: { text: string; offset: number },
  columnsOf: (table: string) => Set<string> | undefined,
): { table: string; rows: Row[] } {
  const text = statement.text
  const fail = (message: string) => refuse(script, statement.offset, message)
  const head = INSERT_HEAD.exec(text)
  if (head === null) {
    throw fail('only `insert into "table" (...) values (...)` statements carry data')
  }
  const table = head[1]!
  const known = columnsOf(table)
  if (known === undefined) {
    throw fail(`table ${JSON.stringify(table)} is not in the header`)
  }
  if (head[3] !== undefined) {
    if (head[0].length !== text.length) {
      throw fail('unexpected text after `default values`')
    }
    return { table, rows: [{}] }
  }
  const columns = head[2]!.split(',').map((part) => {
    const name = /^\s*"([a-z][a-z0-9_]*)"\s*$/.exec(part)?.[1]
    if (name === undefined || !known.has(name)) {
      throw fail(`unknown column ${part.trim()} of ${JSON.stringify(table)}`)
    }
    return name
  })
  const rows: Row[] = []
  let i = head[0].length
  const skip = () => {
    BLANKS.lastIndex = i
    BLANKS.exec(text)
    i = BLANKS.lastIndex
  }
  const value = (): unknown => {
    if (text[i] === "'") {
      let end = i
      for (;;) {
        end = text.indexOf("'", end + 1)
        if (text[end + 1] !== "'") {
          break
        }
        end++
      }
      const literal = text.slice(i + 1, end).replaceAll("''", "'")
      i = end + 1
      if (text.startsWith('::jsonb', i)) {
        i += 7
        try {
          return JSON.parse(literal) as unknown
        } catch {
          throw fail('a jsonb value is not JSON')
        }
      }
      return literal
    }
    KEYWORD.lastIndex = i
    const keyword = KEYWORD.exec(text)
    if (keyword !== null) {
      i = KEYWORD.lastIndex
      return keyword[1] === 'null' ? null : keyword[1] === 'true'
    }
    NUMBER.lastIndex = i
    const number = NUMBER.exec(text)
    if (number !== null) {
      i = NUMBER.lastIndex
      return number[0]
    }
    throw fail(`unexpected ${JSON.stringify(text.slice(i, i + 20))} where a value should be`)
  }
  for (;;) {
    skip()
    if (text[i] !== '(') {
      throw fail('expected "(" to start a row')
    }
    i++
    const row: Row = {}
    for (let c = 0; c < columns.length; c++) {
      skip()
      row[columns[c]!] = value()
      skip()
      const expected = c === columns.length - 1 ? ')' : ','
      if (text[i] !== expected) {
        throw fail(
          `expected ${JSON.stringify(expected)} in row ${rows.length + 1} of this statement`,
        )
      }
      i++
    }
    rows.push(row)
    skip()
    if (i >= text.length) {
      return { table, rows }
    }
    if (text[i] !== ',') {
      throw fail(`unexpected ${JSON.stringify(text.slice(i, i + 20))} after a row`)
    }
    i++
  }
}

const ALLOWED_SETTINGS = new Set([
  "set client_encoding = 'UTF8'",
  'set standard_conforming_strings = on',
])

function normalize(statement: string): string {
  return statement.replace(/\s+/g, ' ').trim()
}

/**
 * Reads a SQL export written by {@link exportSQL} back into a {@link DatabaseExport}: the
 * definitions from its `-- basebox:export` header, the rows from its `insert` statements. The
 * table statements must be exactly the ones the header compiles to, and nothing else may be in
 * the script: only Basebox SQL exports import this way (never arbitrary SQL).
 */
export function parseSQLExport(text: string): DatabaseExport {
  if (typeof text !== 'string') {
    throw new BaseboxError('VALIDATION_FAILED', 'a SQL export must be text')
  }
  const start = text.indexOf(`\n${SQL_EXPORT_HEADER}`)
  const headerAt = text.startsWith(SQL_EXPORT_HEADER) ? 0 : start === -1 ? -1 : start + 1
  if (headerAt === -1) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      'not a Basebox SQL export: its "-- basebox:export" header line is missing (other SQL runs through db.sql)',
    )
  }
  const headerEnd = text.indexOf('\n', headerAt)
  let header: unknown
  try {
    header = JSON.parse(
      text.slice(headerAt + SQL_EXPORT_HEADER.length, headerEnd === -1 ? undefined : headerEnd),
    )
  } catch (error) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      'the "-- basebox:export" header line of the SQL export is not valid JSON',
      { cause: error },
    )
  }
  const tables = (header as { tables?: unknown }).tables
  const described = parseDatabaseExport({
    ...(header as object),
    tables: Array.isArray(tables)
      ? tables.map((t: unknown) => ({ ...(t as object), rows: [] }))
      : tables,
  })
  const byName = new Map(described.tables.map((t) => [t.definition.name, t]))
  const columns = new Map(
    described.tables.map((t) => [
      t.definition.name,
      new Set(t.definition.columns.map((c) => c.name)),
    ]),
  )
  const ddl: { text: string; offset: number }[] = []
  for (const statement of splitScript(text)) {
    const lower = statement.text.slice(0, 12).toLowerCase()
    if (lower.startsWith('insert ')) {
      const { table, rows } = parseInsert(text, statement, (name) => columns.get(name))
      const target = byName.get(table)!
      for (const row of rows) {
        target.rows.push(row)
      }
    } else if (lower === 'begin' || lower === 'commit') {
      continue
    } else if (lower.startsWith('set ')) {
      if (!ALLOWED_SETTINGS.has(normalize(statement.text))) {
        throw refuse(text, statement.offset, 'unexpected setting')
      }
    } else {
      ddl.push(statement)
    }
  }
  const { create, after } = schemaStatements(described.tables.map((t) => t.definition))
  const expected = [...create, ...after].map(normalize)
  const differs = expected.findIndex(
    (s, i) => ddl[i] === undefined || normalize(ddl[i]!.text) !== s,
  )
  if (differs !== -1 || ddl.length !== expected.length) {
    const at = ddl[differs === -1 ? expected.length : differs]
    const message =
      'the table statements differ from what the header describes; only unedited Basebox SQL exports import (edit the data, not the schema)'
    throw at === undefined
      ? new BaseboxError('VALIDATION_FAILED', `SQL export: ${message}`)
      : refuse(text, at.offset, message)
  }
  return described
}
