import { BaseboxError } from '@basebox/core'

/** The fewest code points a password may have (after NFKC normalization). */
export const MIN_PASSWORD_LENGTH = 8

/** The most code points a password may have (after NFKC normalization). Nothing is truncated. */
export const MAX_PASSWORD_LENGTH = 256

/**
 * The most UTF-16 units accepted before normalizing. NFKC never shrinks text by more than a few
 * units per code point, so anything longer is refused without the cost of normalizing it.
 */
const MAX_RAW_UNITS = MAX_PASSWORD_LENGTH * 4

/**
 * Checks a password and returns it in the form that is hashed: NFKC-normalized (so the same
 * password typed on different keyboards or systems matches), 8 to 256 code points, any Unicode.
 * Throws `VALIDATION_FAILED` before any hashing, so a megabyte of input costs microseconds.
 */
export function normalizePassword(password: unknown, field = 'password'): string {
  if (typeof password !== 'string') {
    throw invalid(field, `${field} must be a string`)
  }
  if (password.length > MAX_RAW_UNITS) {
    throw invalid(field, `${field} must be at most ${MAX_PASSWORD_LENGTH} characters`)
  }
  const normalized = password.normalize('NFKC')
  let codePoints = 0
  for (const _ of normalized) {
    codePoints++
  }
  if (codePoints < MIN_PASSWORD_LENGTH) {
    throw invalid(field, `${field} must be at least ${MIN_PASSWORD_LENGTH} characters`)
  }
  if (codePoints > MAX_PASSWORD_LENGTH) {
    throw invalid(field, `${field} must be at most ${MAX_PASSWORD_LENGTH} characters`)
  }
  return normalized
}

function invalid(field: string, message: string): BaseboxError {
  return new BaseboxError('VALIDATION_FAILED', message, {
    details: { issues: [{ path: [field], message }] },
  })
}
