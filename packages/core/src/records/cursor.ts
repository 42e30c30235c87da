import { BaseboxError, type ColumnDefinition } from '@basebox/client'
import { shortHash } from '../ddl/identifier.js'
import { coerceValue } from './coerce-value.js'

/** One key of a keyset: a column with its direction and where its nulls go. @internal */
export interface SortKey {
  column: ColumnDefinition
  direction: 'asc' | 'desc'
  nulls: 'first' | 'last'
}

const signatures = new WeakMap<readonly SortKey[], { table: string; signature: string }>()

/** The hash of a table and its sort keys that a cursor carries (kept per keys list: a cached select reuses its list). */
function signature(table: string, keys: readonly SortKey[]): string {
  const known = signatures.get(keys)
  if (known !== undefined && known.table === table) {
    return known.signature
  }
  const computed = shortHash(
    JSON.stringify([table, keys.map((k) => [k.column.name, k.direction, k.nulls])]),
  )
  signatures.set(keys, { table, signature: computed })
  return computed
}

function malformed(): BaseboxError {
  return new BaseboxError(
    'VALIDATION_FAILED',
    'malformed cursor: pass the nextCursor of a page of the same query',
    {
      details: { field: 'cursor' },
    },
  )
}

/** Encodes the sort-key values of the last row of a page as an opaque cursor. @internal */
export function encodeCursor(
  table: string,
  keys: readonly SortKey[],
  values: readonly unknown[],
): string {
  const json = JSON.stringify({ s: signature(table, keys), v: values })
  return btoa(String.fromCharCode(...new TextEncoder().encode(json)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')
}

/**
 * Decodes a cursor made by {@link encodeCursor} for the same table and order, and checks each
 * value against its column type. Anything else is a `VALIDATION_FAILED` "malformed cursor".
 * @internal
 */
export function decodeCursor(table: string, keys: readonly SortKey[], cursor: string): unknown[] {
  let parsed: unknown
  try {
    const binary = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'))
    parsed = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(
        Uint8Array.from(binary, (c) => c.charCodeAt(0)),
      ),
    )
  } catch {
    throw malformed()
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    (parsed as { s?: unknown }).s !== signature(table, keys) ||
    !Array.isArray((parsed as { v?: unknown }).v) ||
    (parsed as { v: unknown[] }).v.length !== keys.length
  ) {
    throw malformed()
  }
  return (parsed as { v: unknown[] }).v.map((value, i) => {
    const key = keys[i]!
    if (value === null) {
      if (key.column.primary_key === true) {
        throw malformed()
      }
      return null
    }
    const coerced = coerceValue(key.column.type, value)
    if (!coerced.ok) {
      throw malformed()
    }
    return coerced.value
  })
}
