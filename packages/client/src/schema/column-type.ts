/**
 * The column types a table definition may use. Each maps to exactly one Postgres type; nothing
 * else (no `varchar(x)`, no dotted or user types) ever reaches DDL.
 */
export const COLUMN_TYPES = [
  'uuid',
  'text',
  'integer',
  'bigint',
  'numeric',
  'double',
  'boolean',
  'date',
  'timestamptz',
  'jsonb',
] as const

/** One of {@link COLUMN_TYPES}. */
export type ColumnType = (typeof COLUMN_TYPES)[number]

/** The Postgres type each {@link ColumnType} is stored as. */
export const POSTGRES_TYPE_BY_COLUMN_TYPE = {
  uuid: 'uuid',
  text: 'text',
  integer: 'integer',
  bigint: 'bigint',
  numeric: 'numeric',
  double: 'double precision',
  boolean: 'boolean',
  date: 'date',
  timestamptz: 'timestamptz',
  jsonb: 'jsonb',
} as const satisfies Record<ColumnType, string>

/** Whether `value` is one of {@link COLUMN_TYPES}. */
export function isColumnType(value: unknown): value is ColumnType {
  return typeof value === 'string' && (COLUMN_TYPES as readonly string[]).includes(value)
}

/**
 * The functions a column default may call, with the column types each one fits. Any other
 * default is a literal value.
 */
export const DEFAULT_FUNCTIONS = {
  'gen_random_uuid()': ['uuid'],
  'now()': ['timestamptz', 'date'],
  current_date: ['date'],
  current_timestamp: ['timestamptz'],
} as const satisfies Record<string, readonly ColumnType[]>

/** One key of {@link DEFAULT_FUNCTIONS}. */
export type DefaultFunction = keyof typeof DEFAULT_FUNCTIONS

/**
 * The allow-listed function a default string names (`'NOW()'` and `'now ()'` both name
 * `'now()'`), or `undefined` when the string is a literal.
 */
export function toDefaultFunction(value: unknown): DefaultFunction | undefined {
  if (typeof value !== 'string') {
    return undefined
  }
  const normal = value.trim().toLowerCase().replace(/\s+/g, '')
  return Object.hasOwn(DEFAULT_FUNCTIONS, normal) ? (normal as DefaultFunction) : undefined
}
