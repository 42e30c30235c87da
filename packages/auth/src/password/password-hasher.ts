import { argon2id, argon2Verify } from 'hash-wasm'

/**
 * Hashes and verifies passwords. The default is {@link createArgon2idHasher} (hash-wasm, runs in
 * Node and browsers); on a server, `createWorkerPasswordHasher` from `@basebox/auth/node` runs
 * the same hash on worker threads, and a native binding can be plugged in the same way.
 * Passwords reach a hasher already checked and normalized.
 */
export interface PasswordHasher {
  /** Hashes a password with a new random salt; returns a PHC string (`$argon2id$v=19$m=…`). */
  hash(password: string): Promise<string>
  /** Whether `password` matches `hash`. Resolves `false` (never throws) for a malformed hash. */
  verify(hash: string, password: string): Promise<boolean>
  /** Whether `hash` was made with other parameters (or another algorithm) than this hasher uses. */
  needsRehash(hash: string): boolean
  /**
   * Whether `hash` may be verified at all: its algorithm is this hasher's and its costs are at
   * most the configured ones. A stored hash that would cost more (a tampered row: 1 GiB of
   * memory, thousands of passes) is refused without being run. Optional; the built-in hashers
   * have it.
   */
  withinPolicy?(hash: string): boolean
}

/** The cost parameters of argon2id. */
export interface Argon2idParams {
  /** Memory in KiB. OWASP: `19456` (19 MiB). */
  memoryKiB: number
  /** Passes over memory. OWASP: `2`. */
  iterations: number
  /** Lanes. OWASP: `1`. */
  parallelism: number
}

/** OWASP's argon2id parameters (Password Storage Cheat Sheet): m=19456 KiB, t=2, p=1. */
export const OWASP_ARGON2ID_PARAMS: Readonly<Argon2idParams> = Object.freeze({
  memoryKiB: 19456,
  iterations: 2,
  parallelism: 1,
})

/** Bytes of salt per hash (128 bits). */
export const ARGON2_SALT_BYTES = 16

/** Bytes of hash output (256 bits). */
export const ARGON2_HASH_BYTES = 32

/** The parts of a PHC string this package reads. */
export interface PHCString {
  algorithm: string
  version: number | undefined
  params: Record<string, number>
}

/** Reads the algorithm, version and numeric parameters of a PHC string; `undefined` when it is not one. */
export function parsePHCString(hash: string): PHCString | undefined {
  if (typeof hash !== 'string' || hash.length > 512) {
    return undefined
  }
  const parts = hash.split('$')
  if (parts.length < 4 || parts[0] !== '' || !/^[a-z0-9-]+$/.test(parts[1] ?? '')) {
    return undefined
  }
  let index = 2
  let version: number | undefined
  const versionMatch = /^v=(\d+)$/.exec(parts[index] ?? '')
  if (versionMatch) {
    version = Number(versionMatch[1])
    index++
  }
  const params: Record<string, number> = {}
  for (const pair of (parts[index] ?? '').split(',')) {
    const match = /^([a-z]+)=(\d+)$/.exec(pair)
    if (!match) {
      return undefined
    }
    params[match[1]!] = Number(match[2])
  }
  return { algorithm: parts[1]!, version, params }
}

/** Whether a PHC string is an argon2id hash made with exactly these parameters. */
export function matchesArgon2idParams(hash: string, params: Argon2idParams): boolean {
  const phc = parsePHCString(hash)
  return (
    phc !== undefined &&
    phc.algorithm === 'argon2id' &&
    phc.version === 19 &&
    phc.params.m === params.memoryKiB &&
    phc.params.t === params.iterations &&
    phc.params.p === params.parallelism
  )
}

/**
 * Whether a PHC string is an argon2id hash whose costs are at most `params` (the configured
 * policy) and whose salt and digest have sane lengths: the only hashes worth verifying. Lower
 * costs pass (older hashes, upgraded on the next good sign-in); higher ones do not.
 */
export function isWithinArgon2idPolicy(hash: string, params: Argon2idParams): boolean {
  const phc = parsePHCString(hash)
  if (
    phc === undefined ||
    phc.algorithm !== 'argon2id' ||
    (phc.version !== undefined && phc.version !== 19)
  ) {
    return false
  }
  const { m, t, p } = phc.params
  const parts = hash.split('$')
  const [salt, digest] = parts.slice(-2)
  return (
    m !== undefined &&
    t !== undefined &&
    p !== undefined &&
    m >= 8 * p &&
    m <= params.memoryKiB &&
    t >= 1 &&
    t <= params.iterations &&
    p >= 1 &&
    p <= params.parallelism &&
    /^[A-Za-z0-9+/]{11,64}$/.test(salt ?? '') &&
    /^[A-Za-z0-9+/]{16,128}$/.test(digest ?? '')
  )
}

/** Checks cost parameters: hash-wasm needs at least 8 KiB per lane. */
export function checkArgon2idParams(params: Argon2idParams): Argon2idParams {
  const { memoryKiB, iterations, parallelism } = params
  const whole = (n: number) => Number.isInteger(n) && n > 0
  if (
    !whole(memoryKiB) ||
    !whole(iterations) ||
    !whole(parallelism) ||
    memoryKiB < 8 * parallelism
  ) {
    throw new RangeError(
      'argon2id needs whole positive parameters and at least 8 KiB of memory per lane',
    )
  }
  return { memoryKiB, iterations, parallelism }
}

/**
 * The argon2id {@link PasswordHasher} of hash-wasm (WebAssembly), in the calling thread: about
 * 60 ms a hash at OWASP's parameters, during which the thread does nothing else. It is the
 * default, and the one to use in browsers.
 *
 * ### Examples
 *
 * ```ts
 * const hasher = createArgon2idHasher()                  // OWASP: m=19456, t=2, p=1
 * const fast = createArgon2idHasher({ memoryKiB: 64, iterations: 1, parallelism: 1 }) // tests only
 * const hash = await hasher.hash('correct horse battery staple')
 * await hasher.verify(hash, 'correct horse battery staple') // true
 * ```
 */
export function createArgon2idHasher(
  params: Argon2idParams = OWASP_ARGON2ID_PARAMS,
): PasswordHasher {
  const checked = checkArgon2idParams(params)
  return {
    hash: (password) => hashArgon2id(password, checked),
    verify: (hash, password) =>
      isWithinArgon2idPolicy(hash, checked)
        ? verifyArgon2id(hash, password)
        : Promise.resolve(false),
    needsRehash: (hash) => !matchesArgon2idParams(hash, checked),
    withinPolicy: (hash) => isWithinArgon2idPolicy(hash, checked),
  }
}

/** Hashes with argon2id and a new random salt; returns the PHC string. @internal */
export async function hashArgon2id(password: string, params: Argon2idParams): Promise<string> {
  return argon2id({
    password,
    salt: crypto.getRandomValues(new Uint8Array(ARGON2_SALT_BYTES)),
    parallelism: params.parallelism,
    iterations: params.iterations,
    memorySize: params.memoryKiB,
    hashLength: ARGON2_HASH_BYTES,
    outputType: 'encoded',
  })
}

/**
 * Whether a stored hash is an argon2 PHC string of sane cost. Absurd costs in a stored hash
 * (imported, or tampered with) are refused: they could stall the server for minutes. @internal
 */
export function isVerifiableArgon2Hash(hash: string): boolean {
  const phc = parsePHCString(hash)
  return (
    phc !== undefined &&
    phc.algorithm.startsWith('argon2') &&
    (phc.params.m ?? 0) <= 1_048_576 &&
    (phc.params.t ?? 0) <= 64
  )
}

/** Verifies an argon2 PHC string; `false` for anything malformed. @internal */
export async function verifyArgon2id(hash: string, password: string): Promise<boolean> {
  if (!isVerifiableArgon2Hash(hash)) {
    return false
  }
  try {
    return await argon2Verify({ password, hash })
  } catch {
    return false
  }
}
