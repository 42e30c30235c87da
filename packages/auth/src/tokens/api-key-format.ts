import { generateId } from './random-token.js'

/** The kinds of API key: `anon` (public, for browsers) and `service` (secret, for servers). */
export const API_KEY_KINDS = ['anon', 'service'] as const

/** One of {@link API_KEY_KINDS}. */
export type APIKeyKind = (typeof API_KEY_KINDS)[number]

/** The longest string looked at as an API key; longer input is refused without a lookup. */
export const MAX_API_KEY_LENGTH = 128

const API_KEY_SHAPE = /^bb_(anon|service)_([a-z2-7]{16})_([a-z2-7]{40})$/

/**
 * A new API key: `bb_<kind>_<16 base32: public id>_<40 base32: 200-bit secret>`. The part before
 * the secret is its prefix, the only part ever shown again. @internal
 */
export function generateAPIKey(kind: APIKeyKind): { key: string; prefix: string } {
  const prefix = `bb_${kind}_${generateId(10)}`
  return { key: `${prefix}_${generateId(25)}`, prefix }
}

/** Splits a presented key into its kind and prefix; `undefined` when it has not the shape of a key. @internal */
export function parseAPIKey(key: unknown): { kind: APIKeyKind; prefix: string } | undefined {
  if (typeof key !== 'string' || key.length > MAX_API_KEY_LENGTH) {
    return undefined
  }
  const match = API_KEY_SHAPE.exec(key)
  if (match === null) {
    return undefined
  }
  return { kind: match[1] as APIKeyKind, prefix: `bb_${match[1]}_${match[2]}` }
}
