import { isColumnType, literalProblem, toDefaultFunction, type ColumnType } from '@basebox/client'

/** Type names models write, and the Basebox type each one means. */
const TYPE_ALIASES: Readonly<Record<string, ColumnType>> = {
  string: 'text',
  varchar: 'text',
  'character varying': 'text',
  char: 'text',
  character: 'text',
  citext: 'text',
  enum: 'text',
  email: 'text',
  url: 'text',
  int: 'integer',
  int4: 'integer',
  int2: 'integer',
  smallint: 'integer',
  serial: 'integer',
  serial4: 'integer',
  smallserial: 'integer',
  int8: 'bigint',
  long: 'bigint',
  bigserial: 'bigint',
  serial8: 'bigint',
  decimal: 'numeric',
  money: 'numeric',
  number: 'numeric',
  float: 'double',
  float4: 'double',
  float8: 'double',
  real: 'double',
  'double precision': 'double',
  bool: 'boolean',
  timestamp: 'timestamptz',
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamptz',
  datetime: 'timestamptz',
  json: 'jsonb',
  object: 'jsonb',
  array: 'jsonb',
  guid: 'uuid',
}

/**
 * The Basebox column type a model's type name means (`varchar(255)` -> `text`, `text[]` ->
 * `jsonb`), or `undefined` when it is not an obvious synonym of one.
 */
export function toColumnType(raw: string): ColumnType | undefined {
  const name = raw
    .trim()
    .toLowerCase()
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/\s+/g, ' ')
  if (isColumnType(name)) {
    return name
  }
  if (name.endsWith('[]')) {
    return 'jsonb'
  }
  return TYPE_ALIASES[name]
}

/** The `on_delete` a model meant: `CASCADE` -> `cascade`, `SET_NULL` -> `set null`. */
export function toOnDelete(raw: unknown): string | undefined {
  if (typeof raw !== 'string') {
    return undefined
  }
  const value = raw
    .trim()
    .toLowerCase()
    .replace(/[_\s-]+/g, ' ')
  const known: Record<string, string> = {
    cascade: 'cascade',
    'set null': 'set null',
    setnull: 'set null',
    restrict: 'restrict',
    'no action': 'no action',
    noaction: 'no action',
  }
  return known[value] ?? raw
}

const FUNCTION_LIKE = /^[a-z_][a-z0-9_]*\s*\(.*\)$/i
const NOW_WORDS = new Set([
  'now',
  'now()',
  'current_timestamp',
  'current_timestamp()',
  'localtimestamp',
  'localtimestamp()',
  'transaction_timestamp()',
  'statement_timestamp()',
  'clock_timestamp()',
])
const UUID_WORDS = new Set([
  'gen_random_uuid',
  'uuid_generate_v4()',
  'uuid_generate_v4',
  'uuid()',
  'random_uuid()',
  'uuid',
])

/**
 * The default a model meant, written the way a table definition accepts it, or `undefined` when
 * there is no obvious reading. `'now'`/`CURRENT_TIMESTAMP` -> `'now()'`, `uuid_generate_v4()` ->
 * `'gen_random_uuid()'`, `'true'` -> `true`, `"'draft'"` (SQL quoting) -> `'draft'`, `'{}'` on a
 * jsonb column -> `{}`, `'10'` on an integer column -> `10`.
 */
export function toColumnDefault(type: ColumnType, value: unknown): unknown {
  if (typeof value !== 'string') {
    if (type === 'boolean' && (value === 0 || value === 1)) {
      return value === 1
    }
    return literalProblem(type, value) === undefined ? value : undefined
  }
  const text = value.trim()
  const lower = text.toLowerCase().replace(/\s+/g, '')
  const fn = toDefaultFunction(text)
  if (fn !== undefined && type !== 'text' && type !== 'jsonb') {
    return fn === 'now()' && type === 'date' ? 'current_date' : fn
  }
  switch (type) {
    case 'uuid':
      return UUID_WORDS.has(lower)
        ? 'gen_random_uuid()'
        : literalProblem(type, text) === undefined
          ? text
          : undefined
    case 'timestamptz':
      return NOW_WORDS.has(lower)
        ? 'now()'
        : literalProblem(type, text) === undefined
          ? text
          : undefined
    case 'date':
      return NOW_WORDS.has(lower) || lower === 'today'
        ? 'current_date'
        : literalProblem(type, text) === undefined
          ? text
          : undefined
    case 'boolean':
      return lower === 'true' || lower === "'true'"
        ? true
        : lower === 'false' || lower === "'false'"
          ? false
          : undefined
    case 'integer':
    case 'double': {
      const number = Number(unquote(text))
      return text !== '' && literalProblem(type, number) === undefined ? number : undefined
    }
    case 'bigint':
    case 'numeric':
      return literalProblem(type, unquote(text)) === undefined ? unquote(text) : undefined
    case 'jsonb':
      if (/^[[{]/.test(text)) {
        try {
          return JSON.parse(text) as unknown
        } catch {
          return undefined
        }
      }
      return value
    case 'text':
      if (/^'.*'$/s.test(text) && !/[^']'[^']/.test(text.slice(1, -1))) {
        return text.slice(1, -1).replaceAll("''", "'")
      }
      return FUNCTION_LIKE.test(text) && /\(\s*\)$/.test(text) && text.length < 40
        ? undefined
        : value
    default:
      return type satisfies never
  }
}

function unquote(text: string): string {
  return /^'.*'$/.test(text) ? text.slice(1, -1) : text
}

/** Boolean flags as models write them: `true`, `"true"`, `"yes"`. */
export function toFlag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') {
    return value
  }
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase()
    if (lower === 'true' || lower === 'yes') {
      return true
    }
    if (lower === 'false' || lower === 'no') {
      return false
    }
  }
  return undefined
}
