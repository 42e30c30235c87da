import { BaseboxError, MAX_LIMIT, type Filter, type SelectQuery } from '@basebox/client'
import type { DatabaseHandle, RecordIdentity, RecordOperations, Row } from '@basebox/core'
import { jsonAnswer, readJSON, type Answer } from '../body.js'
import type { IncomingRequest } from '../incoming-request.js'
import {
  parseFilters,
  parseOrder,
  parseSelect,
  type ParsedSelect,
} from '../postgrest/parse-query.js'

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

function integer(value: string | null, name: string): number | undefined {
  if (value === null) {
    return undefined
  }
  if (!/^\d{1,9}$/.test(value)) {
    throw new BaseboxError('VALIDATION_FAILED', `${name} must be a non-negative integer`)
  }
  return Number(value)
}

/** The rows written, shaped by `select` (columns chosen; embedding is for reads only). */
function projectRows(rows: Row[], select: ParsedSelect): Row[] {
  const columns = select.columns
  if (columns === undefined) {
    return rows
  }
  return rows.map((row) =>
    Object.fromEntries(columns.filter((c) => c in row).map((c) => [c, row[c]])),
  )
}

function pickEmbedColumns(rows: Row[], select: ParsedSelect): Row[] {
  const partial = select.embeds.filter((e) => e.columns !== undefined)
  if (partial.length === 0) {
    return rows
  }
  const pick = (value: unknown, columns: string[]): unknown => {
    if (Array.isArray(value)) {
      return value.map((v) => pick(v, columns))
    }
    if (value === null || typeof value !== 'object') {
      return value
    }
    return Object.fromEntries(
      columns.filter((c) => c in (value as Row)).map((c) => [c, (value as Row)[c]]),
    )
  }
  return rows.map((row) => {
    const out = { ...row }
    for (const embed of partial) {
      out[embed.name] = pick(row[embed.name], embed.columns!)
    }
    return out
  })
}

/** The select query of a GET, from the PostgREST grammar and the `Range` header. */
function selectQuery(
  request: IncomingRequest,
  search: URLSearchParams,
  select: ParsedSelect,
  prefer: ReadonlyMap<string, string>,
): SelectQuery {
  const query: SelectQuery = {}
  if (select.columns !== undefined) {
    query.columns = select.columns
  }
  if (select.embeds.length > 0) {
    query.expand = select.embeds.map((e) => e.name)
  }
  const where = parseFilters(search)
  if (where !== undefined) {
    query.where = where
  }
  const order = search.get('order')
  if (order !== null) {
    query.orderBy = parseOrder(order)
  }
  let limit = integer(search.get('limit'), 'limit')
  let offset = integer(search.get('offset'), 'offset')
  const range = /^(\d{1,9})-(\d{1,9})?$/.exec(request.header('range') ?? '')
  if (range) {
    offset = Number(range[1])
    if (range[2] !== undefined) {
      limit = Math.min(limit ?? MAX_LIMIT, Number(range[2]) - offset + 1)
    }
  }
  query.limit = limit ?? MAX_LIMIT
  if (offset !== undefined && offset > 0) {
    query.offset = offset
  }
  const count = prefer.get('count')
  if (count === 'exact') {
    query.count = 'exact'
  } else if (count === 'planned' || count === 'estimated') {
    query.count = 'estimated'
  }
  return query
}

function representation(
  request: IncomingRequest,
  rows: Row[],
  status: number,
  extra?: Record<string, string>,
): Answer {
  const accept = request.header('accept') ?? ''
  if (accept.includes('application/vnd.pgrst.object+json')) {
    if (rows.length !== 1) {
      return jsonAnswer(
        {
          code: 'PGRST116',
          message: 'JSON object requested, multiple (or no) rows returned',
          details: `The result contains ${rows.length} rows`,
          hint: null,
        },
        406,
      )
    }
    return jsonAnswer(rows[0], status, extra)
  }
  return jsonAnswer(rows, status, extra)
}

function noContent(status: number): Answer {
  return { status, headers: {}, text: null }
}

/**
 * The data API of one project database, in the URL grammar of PostgREST
 * (`/rest/v1/posts?select=*,author(*)&title=ilike.*pg*&order=created_at.desc&limit=20`): GET
 * selects, POST inserts (and upserts with `Prefer: resolution=merge-duplicates`), PATCH
 * updates, DELETE deletes, each under the identity the request's keys give.
 */
export async function handleDataAPI(
  request: IncomingRequest,
  records: RecordOperations | DatabaseHandle,
  table: string,
  maxBodyBytes: number,
): Promise<Answer> {
  const search = new URLSearchParams(request.query)
  const prefer = parsePrefer(request)
  const wantsRows = prefer.get('return') === 'representation'
  const select = parseSelect(search.get('select'))
  switch (request.method) {
    case 'GET':
    case 'HEAD': {
      const query = selectQuery(request, search, select, prefer)
      const page = await records.select(table, query)
      const rows = pickEmbedColumns(page.rows, select)
      const start = query.offset ?? 0
      const contentRange = `${rows.length === 0 ? '*' : `${start}-${start + rows.length - 1}`}/${page.count ?? '*'}`
      if (request.method === 'HEAD') {
        return { status: 200, headers: { 'content-range': contentRange }, text: null }
      }
      return representation(request, rows, 200, { 'content-range': contentRange })
    }
    case 'POST': {
      const body = await readJSON(request, maxBodyBytes)
      if (typeof body !== 'object' || body === null) {
        throw new BaseboxError('VALIDATION_FAILED', 'send a row or an array of rows')
      }
      const resolution = prefer.get('resolution')
      const onConflict = search.get('on_conflict')
      const options = { returning: wantsRows }
      const rows =
        resolution === 'merge-duplicates' || resolution === 'ignore-duplicates'
          ? await records.upsert(table, body as Row | Row[], {
              ...options,
              resolution: resolution === 'merge-duplicates' ? 'merge' : 'ignore',
              ...(onConflict === null ? {} : { onConflict: onConflict.split(',') }),
            })
          : await records.insert(table, body as Row | Row[], options)
      return wantsRows ? representation(request, projectRows(rows, select), 201) : noContent(201)
    }
    case 'PATCH': {
      const patch = await readJSON(request, maxBodyBytes)
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
        throw new BaseboxError('VALIDATION_FAILED', 'send the changes as one JSON object')
      }
      const rows = await records.update(
        table,
        parseFilters(search) ?? ({} as Filter),
        patch as Row,
        { returning: wantsRows },
      )
      return wantsRows ? representation(request, projectRows(rows, select), 200) : noContent(204)
    }
    case 'DELETE': {
      const rows = await records.delete(table, parseFilters(search) ?? ({} as Filter), {
        returning: wantsRows,
      })
      return wantsRows ? representation(request, projectRows(rows, select), 200) : noContent(204)
    }
    default:
      throw new BaseboxError('UNSUPPORTED', `method ${request.method} is not supported here`)
  }
}
