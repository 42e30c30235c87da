import { BaseboxError, MAX_IDENTIFIER_BYTES } from '@basebox/client'
import { sql, type RawBuilder } from 'kysely'

// Engine-made names (schemas, roles, constraints) may also start with an underscore.
const SAFE_IDENTIFIER = /^[a-z_][a-z0-9_]*$/

/**
 * Quotes a name for SQL, after checking it is a plain lower-case identifier of at most 63 bytes.
 * Every identifier that reaches SQL goes through here (or through kysely's own quoting), so a
 * name that slipped past validation still cannot break out of its quotes.
 */
export function quoteIdentifier(name: string): string {
  if (!SAFE_IDENTIFIER.test(name) || name.length > MAX_IDENTIFIER_BYTES) {
    throw new BaseboxError('INVALID_IDENTIFIER', `invalid identifier ${JSON.stringify(name)}`)
  }
  return `"${name}"`
}

/** {@link quoteIdentifier} as a kysely fragment. Names may be dotted (`schema`, `table`). */
export function id(...names: string[]): RawBuilder<unknown> {
  return sql.raw(names.map(quoteIdentifier).join('.'))
}

/**
 * Quotes a string as an SQL literal, for the few places SQL takes no parameters (DDL defaults,
 * `SET` values). Refuses NUL, which Postgres text cannot hold; `standard_conforming_strings` is on
 * in every engine transaction, so only single quotes need doubling.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) {
    throw new BaseboxError('VALIDATION_FAILED', 'text cannot contain the NUL character')
  }
  return `'${value.replaceAll("'", "''")}'`
}

/** A short stable hash (FNV-1a, 32 bits, hex) used to keep derived names under 63 bytes. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, '0')
}

/**
 * A name derived from parts (`posts`, `author_id`, `fkey`) that fits in 63 bytes: when the
 * plain name is too long it is cut and a hash of the whole is appended, so names stay unique.
 */
export function derivedName(...parts: string[]): string {
  const plain = parts.join('_')
  if (plain.length <= MAX_IDENTIFIER_BYTES) {
    return plain
  }
  return `${plain.slice(0, MAX_IDENTIFIER_BYTES - 9)}_${shortHash(plain)}`
}

/** The constraint and index names Basebox gives a table's objects. */
export const objectName = {
  primaryKey: (table: string) => derivedName(table, 'pkey'),
  unique: (table: string, column: string) => derivedName(table, column, 'key'),
  foreignKey: (table: string, column: string) => derivedName(table, column, 'fkey'),
  foreignKeyIndex: (table: string, column: string) => derivedName(table, column, 'fkey_idx'),
  index: (table: string, columns: readonly string[], unique: boolean) =>
    derivedName(table, ...columns, unique ? 'uidx' : 'idx'),
}
