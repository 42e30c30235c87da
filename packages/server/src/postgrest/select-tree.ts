import { splitTopLevel } from './parse-query.js'
import { parseError } from './errors.js'

/** One step of a JSON path: `->key`, `->>key`, `->0`. */
export interface JsonStep {
  arrow: '->' | '->>'
  key: string | number
}

/** A column reference with an optional JSON path: `meta->tags->>0`. */
export interface FieldRef {
  column: string
  path: JsonStep[]
}

/** A column in `select`: `alias:column->path::cast`. */
export interface SelectField {
  kind: 'field'
  field: FieldRef
  alias: string | undefined
  cast: string | undefined
}

/** A related table in `select`: `alias:target!hint!inner(children)`. */
export interface SelectEmbed {
  kind: 'embed'
  /** The name the client wrote: a table, a foreign-key column or a constraint. */
  target: string
  hint: string | undefined
  inner: boolean
  alias: string | undefined
  /** Empty for `comments()`: an embed only filtered on, absent from the response. */
  children: SelectItem[]
}

export type SelectItem = { kind: 'star' } | SelectField | SelectEmbed

/** The casts `select=col::type` may name. */
export const CASTS: Readonly<Record<string, string>> = {
  text: 'text',
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  int8: 'bigint',
  bigint: 'bigint',
  numeric: 'numeric',
  float8: 'double precision',
  double: 'double precision',
  boolean: 'boolean',
  bool: 'boolean',
  date: 'date',
  timestamptz: 'timestamptz',
  json: 'json',
  jsonb: 'jsonb',
  uuid: 'uuid',
}

/** How deep embeds nest, and how many one request may hold (PostgREST has no fixed cap). */
export const MAX_EMBED_DEPTH = 8
export const MAX_EMBEDS = 32
export const MAX_SELECT_ITEMS = 200

const NAME = /^[a-z_][a-z0-9_]*$/
const LABEL = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/
const JSON_KEY = /^[A-Za-z0-9_ $-]{1,63}$/

/** `meta->a->>b` -> column and path. */
export function parseFieldRef(text: string): FieldRef {
  const at = text.search(/->/)
  const column = at === -1 ? text : text.slice(0, at)
  if (!NAME.test(column)) {
    throw parseError(
      `"${text.slice(0, 80)}" is not a column name`,
      'columns are lower-case names, with an optional JSON path: meta->>color',
    )
  }
  const path: JsonStep[] = []
  if (at !== -1) {
    const tokens = text.slice(at).split(/(->>|->)/)
    // ['', '->', 'a', '->>', 'b']
    if (tokens[0] !== '' || tokens.length % 2 === 0 || tokens.length > 33) {
      throw parseError(`invalid JSON path in "${text.slice(0, 80)}"`)
    }
    for (let i = 1; i < tokens.length; i += 2) {
      const key = tokens[i + 1]!
      if (!JSON_KEY.test(key)) {
        throw parseError(`invalid JSON path key "${key.slice(0, 40)}" in "${text.slice(0, 80)}"`)
      }
      path.push({
        arrow: tokens[i] as '->' | '->>',
        key: /^-?\d{1,9}$/.test(key) ? Number(key) : key,
      })
    }
    if (path.slice(0, -1).some((s) => s.arrow === '->>')) {
      throw parseError(`"->>" gives text and must be the last step of "${text.slice(0, 80)}"`)
    }
  }
  return { column, path }
}

function parseItems(
  text: string,
  depth: number,
  count: { embeds: number; items: number },
): SelectItem[] {
  if (depth > MAX_EMBED_DEPTH) {
    throw parseError(`embeds nest at most ${MAX_EMBED_DEPTH} levels`)
  }
  const items: SelectItem[] = []
  for (const raw of splitTopLevel(text)) {
    const item = raw.trim()
    if (++count.items > MAX_SELECT_ITEMS) {
      throw parseError(`a select holds at most ${MAX_SELECT_ITEMS} items`)
    }
    if (item === '*') {
      items.push({ kind: 'star' })
      continue
    }
    if (item === '') {
      throw parseError('empty item in select')
    }
    const open = item.indexOf('(')
    const head = open === -1 ? item : item.slice(0, open)
    // `alias:rest`, but not the `::` of a cast
    const colon = /^([^:]+):(?!:)(.*)$/s.exec(head)
    const alias = colon ? colon[1]!.trim() : undefined
    if (alias !== undefined && !LABEL.test(alias)) {
      throw parseError(`invalid alias "${alias.slice(0, 40)}"`)
    }
    const rest = colon ? colon[2]!.trim() : head
    if (open !== -1) {
      if (!item.endsWith(')')) {
        throw parseError(`unexpected text after "${item.slice(0, 80)}"`)
      }
      if (rest.startsWith('...')) {
        throw parseError(`spread embeds ("${rest.slice(0, 40)}") are not supported`)
      }
      const [target, ...modifiers] = rest.split('!')
      if (!NAME.test(target ?? '')) {
        throw parseError(`"${rest.slice(0, 80)}" is not a relation name`)
      }
      let hint: string | undefined
      let inner = false
      for (const modifier of modifiers) {
        if (modifier === 'inner') {
          inner = true
        } else if (modifier === 'left') {
          inner = false
        } else if (NAME.test(modifier) && hint === undefined) {
          hint = modifier
        } else {
          throw parseError(`invalid embed hint "!${modifier.slice(0, 40)}"`)
        }
      }
      if (++count.embeds > MAX_EMBEDS) {
        throw parseError(`a select embeds at most ${MAX_EMBEDS} relations`)
      }
      const inside = item.slice(open + 1, -1).trim()
      items.push({
        kind: 'embed',
        target: target!,
        hint,
        inner,
        alias,
        children: inside === '' ? [] : parseItems(inside, depth + 1, count),
      })
      continue
    }
    const castAt = rest.indexOf('::')
    const fieldText = castAt === -1 ? rest : rest.slice(0, castAt)
    const castName = castAt === -1 ? undefined : rest.slice(castAt + 2)
    if (castName !== undefined && CASTS[castName] === undefined) {
      throw parseError(
        `unsupported cast "::${castName.slice(0, 40)}"`,
        `casts: ${Object.keys(CASTS).join(', ')}`,
      )
    }
    items.push({
      kind: 'field',
      field: parseFieldRef(fieldText),
      alias,
      cast: castName === undefined ? undefined : CASTS[castName],
    })
  }
  return items
}

/**
 * Parses PostgREST's `select`: columns, `*`, aliases (`headline:title`), casts (`views::text`),
 * JSON paths (`meta->>color`) and embeds (`author:users!posts_author_id_fkey!inner(name)`),
 * nested up to {@link MAX_EMBED_DEPTH} levels. No `select` is `*`.
 */
export function parseSelectTree(select: string | null): SelectItem[] {
  if (select === null || select.trim() === '') {
    return [{ kind: 'star' }]
  }
  return parseItems(select, 1, { embeds: 0, items: 0 })
}
