import type { Filter, TableDefinition } from '@basebox/client'
import type { DatabaseHandle, RecordIdentity, RecordOperations, Row } from '@basebox/core'
import { readJSON, type Answer } from '../body.js'
import type { IncomingRequest } from '../incoming-request.js'
import { compileRead, ESTIMATE_THRESHOLD } from '../postgrest/compile-read.js'
import { checkRequestOptions, checkWrittenRows } from '../postgrest/check-write.js'
import { toCSV } from '../postgrest/csv.js'
import { parseError, PostgrestError } from '../postgrest/errors.js'
import { parseFilters } from '../postgrest/parse-query.js'
import { parseLevels } from '../postgrest/read-request.js'
import { parseSelectTree, type SelectItem } from '../postgrest/select-tree.js'

/** Who a data API request is for: the project's service access, or an end user. */
export type DataAPIIdentity = 'service' | RecordIdentity

/**
 * How the data API authenticates requests: the project's API keys (`apikey` header) and the end
 * user's access token (`Authorization: Bearer`). Implemented over `@basebox/auth` by
 * `authForDataAPI`; invalid keys and tokens must be refused without touching the database.
 */
export interface DataAPIAuth {
  identify(
    db: DatabaseHandle,
    credentials: { apiKey: string | null; bearer: string | null },
  ): Promise<DataAPIIdentity>
  /**
   * Answers `/auth/v1/*` (the endpoints of Supabase's auth server that Basebox has).
   * `connection.clientIP` is the client's address as the handler found it (the peer of the
   * connection, or what a trusted proxy forwarded): the one to throttle sign-ins by.
   */
  handle?(
    db: DatabaseHandle,
    path: string,
    request: Request,
    maxBodyBytes: number,
    connection?: { clientIP?: string },
  ): Promise<Response>
}

const NO_PREFERENCES: ReadonlyMap<string, string> = new Map()

function parsePrefer(request: IncomingRequest): ReadonlyMap<string, string> {
  const header = request.header('prefer')
  if (header === null || header === '') {
    return NO_PREFERENCES
  }
  const prefer = new Map<string, string>()
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=')
    if (key) {
      prefer.set(key.trim(), (value ?? '').trim())
    }
  }
  return prefer
}

type Representation = 'json' | 'object' | 'csv'

/** What the client accepts: JSON (default), one JSON object, or CSV; anything else is 406. */
function representationOf(request: IncomingRequest): Representation {
  const accept = (request.header('accept') ?? '').toLowerCase()
  // `.explain()`'s plan media type names `for="application/json"`: not a request for rows.
  if (accept.includes('application/vnd.pgrst.plan')) {
    throw new PostgrestError(
      406,
      'PGRST107',
      'None of these media types are available: ' + accept.slice(0, 100),
      { details: 'query plans (explain) are not available' },
    )
  }
  if (accept.includes('application/vnd.pgrst.object')) {
    return 'object'
  }
  if (
    accept === '' ||
    accept.includes('application/json') ||
    accept.includes('*/*') ||
    accept.includes('application/*')
  ) {
    return 'json'
  }
  if (accept.includes('text/csv')) {
    return 'csv'
  }
  throw new PostgrestError(
    406,
    'PGRST107',
    'None of these media types are available: ' + accept.slice(0, 100),
  )
}

const JSON_TYPE = 'application/json; charset=utf-8'

/** A page of rows (as JSON text) in the representation asked for. */
function answerRows(
  kind: Representation,
  body: string,
  count: number,
  labels: readonly string[],
  status: number,
  headers: Record<string, string>,
): Answer {
  if (kind === 'object') {
    if (count !== 1) {
      throw new PostgrestError(
        406,
        'PGRST116',
        'Cannot coerce the result to a single JSON object',
        {
          details: `The result contains ${count} rows`,
        },
      )
    }
    // `[{...}]` -> `{...}`
    return {
      status,
      headers: { ...headers, 'content-type': 'application/vnd.pgrst.object+json; charset=utf-8' },
      text: body.trim().slice(1, -1).trim(),
    }
  }
  if (kind === 'csv') {
    return {
      status,
      headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' },
      text: toCSV(labels, JSON.parse(body) as Row[]),
    }
  }
  return { status, headers: { ...headers, 'content-type': JSON_TYPE }, text: body }
}

function labelsOf(
  items: readonly SelectItem[],
  table: TableDefinition | undefined,
  rows: readonly Row[],
): string[] {
  if (table === undefined) {
    return Object.keys(rows[0] ?? {})
  }
  return items.flatMap((item) => {
    if (item.kind === 'star') {
      return table.columns.filter((c) => c.secret !== true).map((c) => c.name)
    }
    if (item.kind === 'field') {
      return [item.alias ?? item.field.column]
    }
    return [item.alias ?? item.target]
  })
}

/**
 * Written rows as PostgREST returns them: shaped by `select` (columns, aliases, casts to text;
 * embeds are for reads), `numeric` and `bigint` as JSON numbers.
 */
function shapeWritten(
  rows: Row[],
  items: readonly SelectItem[],
  table: TableDefinition | undefined,
): Row[] {
  const numeric = new Set(
    table?.columns.filter((c) => c.type === 'numeric' || c.type === 'bigint').map((c) => c.name),
  )
  const value = (column: string, v: unknown) =>
    numeric.has(column) && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : v
  const star = items.some((i) => i.kind === 'star')
  return rows.map((row) => {
    const out: Row = {}
    if (star) {
      for (const [k, v] of Object.entries(row)) {
        out[k] = value(k, v)
      }
    }
    for (const item of items) {
      if (item.kind !== 'field') {
        continue
      }
      const column = item.field.column
      if (!(column in row)) {
        throw new PostgrestError(
          400,
          '42703',
          `column ${table?.name ?? 'table'}.${column} does not exist`,
        )
      }
      let v: unknown = value(column, row[column])
      for (const step of item.field.path) {
        v =
          v !== null && typeof v === 'object'
            ? ((v as Record<string, unknown>)[String(step.key)] ?? null)
            : null
        if (step.arrow === '->>' && v !== null) {
          v = typeof v === 'object' ? JSON.stringify(v) : String(v)
        }
      }
      if (item.cast === 'text' && v !== null) {
        v = typeof v === 'object' ? JSON.stringify(v) : String(v)
      }
      const last = item.field.path[item.field.path.length - 1]
      out[item.alias ?? (last !== undefined && typeof last.key === 'string' ? last.key : column)] =
        v
    }
    return out
  })
}

/**
 * The page the `Range` header asks for (supabase-js sends `limit`/`offset` parameters instead;
 * those are the root level's options, see `parseLevels`, and compileRead applies both).
 */
function parsePage(request: IncomingRequest): { offset: number; limit: number | undefined } {
  const range = /^(\d{1,9})-(\d{1,9})?$/.exec(request.header('range') ?? '')
  if (!range) {
    return { offset: 0, limit: undefined }
  }
  const offset = Number(range[1])
  if (range[2] === undefined) {
    return { offset, limit: undefined }
  }
  const size = Number(range[2]) - offset + 1
  if (size < 0) {
    throw new PostgrestError(416, 'PGRST103', 'Requested range not satisfiable', {
      details: 'the range ends before it starts',
    })
  }
  return { offset, limit: size }
}

function contentRange(offset: number, rows: number, total: number | undefined): string {
  return `${rows === 0 ? '*' : `${offset}-${offset + rows - 1}`}/${total ?? '*'}`
}

/** The definitions of the database (for shaping written rows), read the way every operation checks them. */
async function definitionOf(
  records: RecordOperations | DatabaseHandle,
  table: string,
): Promise<TableDefinition | undefined> {
  return records.runStatements(table, ({ tables }) => {
    const found = tables.get(table)
    return { statements: [], assemble: () => found }
  })
}

async function read(
  request: IncomingRequest,
  records: RecordOperations | DatabaseHandle,
  table: string,
  search: URLSearchParams,
  prefer: ReadonlyMap<string, string>,
  kind: Representation,
): Promise<Answer> {
  const items = parseSelectTree(search.get('select'))
  const levels = parseLevels(search)
  const page = parsePage(request)
  const preferred = prefer.get('count')
  const count =
    preferred === 'exact'
      ? 'exact'
      : preferred === 'planned' || preferred === 'estimated'
        ? 'estimated'
        : undefined
  const result = await records.runStatements(table, (ctx) => {
    const compiled = compileRead(ctx, table, items, levels, { ...page, count })
    return {
      statements: compiled.statements,
      assemble: (results) => {
        const first = results[0]![0] as { page_total: number; body: string; total?: string }
        let total: number | undefined
        if (count === 'exact') {
          total = Number(first.total)
        } else if (count === 'estimated') {
          const capped = Number(first.total)
          if (capped <= ESTIMATE_THRESHOLD) {
            total = capped
          } else {
            const planRow = results[1]![0] as { 'QUERY PLAN': unknown }
            const plan = (
              typeof planRow['QUERY PLAN'] === 'string'
                ? JSON.parse(planRow['QUERY PLAN'])
                : planRow['QUERY PLAN']
            ) as { Plan: { 'Plan Rows': number } }[]
            total = Math.max(capped, Math.round(plan[0]!.Plan['Plan Rows']))
          }
        }
        return {
          rows: Number(first.page_total),
          body: first.body,
          total,
          labels: compiled.labels,
          offset: compiled.offset,
        }
      },
    }
  })
  if (
    result.total !== undefined &&
    result.offset > 0 &&
    result.offset >= result.total &&
    result.rows === 0 &&
    result.total > 0
  ) {
    throw new PostgrestError(416, 'PGRST103', 'Requested range not satisfiable', {
      details: `An offset of ${result.offset} was requested, but there are only ${result.total} rows.`,
    })
  }
  const headers = { 'content-range': contentRange(result.offset, result.rows, result.total) }
  const partial = result.total !== undefined && result.rows < result.total
  const status = partial ? 206 : 200
  if (request.method === 'HEAD') {
    return { status, headers, text: null }
  }
  return answerRows(kind, result.body, result.rows, result.labels, status, headers)
}

function noContent(status: number, headers: Record<string, string> = {}): Answer {
  return { status, headers, text: null }
}

/**
 * The data API of one project database, in the URL grammar of PostgREST
 * (`/rest/v1/posts?select=*,author:users(full_name),comments(body,users(full_name))&title=ilike.*pg*&order=created_at.desc&limit=20`):
 * GET and HEAD read (see `compileRead`: embeds to any depth, aliases, JSON paths, every
 * operator), POST inserts (and upserts with `Prefer: resolution=merge-duplicates`), PATCH updates,
 * DELETE deletes, each under the identity the request's keys give.
 */
export async function handleDataAPI(
  request: IncomingRequest,
  records: RecordOperations | DatabaseHandle,
  table: string,
  maxBodyBytes: number,
): Promise<Answer> {
  const search = new URLSearchParams(request.query)
  const prefer = parsePrefer(request)
  checkRequestOptions(request, prefer)
  const kind = representationOf(request)
  if (request.method === 'GET' || request.method === 'HEAD') {
    return read(request, records, table, search, prefer, kind)
  }
  const wantsRows = prefer.get('return') === 'representation'
  const count = prefer.get('count')
  const counted = count === 'exact' || count === 'planned' || count === 'estimated'
  const items = parseSelectTree(search.get('select'))
  if (wantsRows && items.some((i) => i.kind === 'embed')) {
    throw parseError(
      'embedded resources in the returned rows of a write are not supported; read them with a GET after the write',
    )
  }
  let rows: Row[]
  let status: number
  switch (request.method) {
    case 'POST': {
      const body = await readJSON(request, maxBodyBytes)
      if (typeof body !== 'object' || body === null) {
        throw new PostgrestError(400, 'PGRST102', 'send a row or an array of rows')
      }
      checkWrittenRows(await definitionOf(records, table), body)
      const resolution = prefer.get('resolution')
      const onConflict = search.get('on_conflict')
      const options = { returning: wantsRows || counted }
      rows =
        resolution === 'merge-duplicates' || resolution === 'ignore-duplicates'
          ? await records.upsert(table, body as Row | Row[], {
              ...options,
              resolution: resolution === 'merge-duplicates' ? 'merge' : 'ignore',
              ...(onConflict === null ? {} : { onConflict: onConflict.split(',') }),
            })
          : await records.insert(table, body as Row | Row[], options)
      status = 201
      break
    }
    case 'PATCH': {
      const patch = await readJSON(request, maxBodyBytes)
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
        throw new PostgrestError(400, 'PGRST102', 'send the changes as one JSON object')
      }
      checkWrittenRows(await definitionOf(records, table), patch)
      rows = await records.update(table, parseFilters(search) ?? ({} as Filter), patch as Row, {
        returning: wantsRows || counted,
      })
      status = wantsRows ? 200 : 204
      break
    }
    case 'DELETE':
      rows = await records.delete(table, parseFilters(search) ?? ({} as Filter), {
        returning: wantsRows || counted,
      })
      status = wantsRows ? 200 : 204
      break
    default:
      throw new PostgrestError(
        405,
        'PGRST117',
        `Unsupported HTTP method: ${request.method.slice(0, 20)}`,
      )
  }
  const headers: Record<string, string> = counted
    ? { 'content-range': contentRange(0, rows.length, rows.length) }
    : {}
  if (!wantsRows) {
    return noContent(status, headers)
  }
  const shaped = shapeWritten(rows, items, await definitionOf(records, table))
  return answerRows(
    kind,
    JSON.stringify(shaped),
    shaped.length,
    labelsOf(items, undefined, shaped),
    status,
    headers,
  )
}
