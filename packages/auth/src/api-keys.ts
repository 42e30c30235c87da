import { BaseboxError, isBaseboxError, isUUIDString } from '@basebox/core'
import { sha256 } from '@oslojs/crypto/sha2'
import { constantTimeEqual } from '@oslojs/crypto/subtle'
import { decodeHex, encodeHexLowerCase } from '@oslojs/encoding'
import type { Kysely } from 'kysely'
import { fromDatabaseError } from '@basebox/core'
import type { AuthDB } from './storage/auth-schema.js'
import { generateAPIKey, parseAPIKey, type APIKeyKind } from './tokens/api-key-format.js'
import { CreateAPIKeyInputSchema, parseInput, type CreateAPIKeyInput } from './inputs.js'

/** An API key as listed: never the key itself, only its prefix. */
export interface APIKeyInfo {
  /** UUID. */
  id: string
  name: string
  /** `anon` (public, for browsers) or `service` (secret, for servers: bypasses access rules). */
  kind: APIKeyKind
  /** The start of the key (`bb_anon_…`), to recognise it. */
  prefix: string
  /** ISO 8601 timestamp. */
  created_at: string
  /** ISO 8601 timestamp, or `null` while the key works. */
  revoked_at: string | null
  /**
   * ISO 8601 timestamp of the key's last accepted use, or `null` if it was never used. Its
   * resolution is {@link LAST_USED_INTERVAL_MS}: uses within that time of the recorded one are
   * not written, so the key may have been used up to that long after this time.
   */
  last_used_at: string | null
}

/** What `createAPIKey` returns: the key, shown this once, and its listing. */
export interface CreatedAPIKey extends APIKeyInfo {
  /** The whole key. It is stored hashed: it cannot be shown again. */
  key: string
}

/** What `verifyAPIKey` returns for a working key. */
export interface VerifiedAPIKey {
  id: string
  kind: APIKeyKind
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString()
}

function digest(key: string): Uint8Array {
  return sha256(new TextEncoder().encode(key))
}

const INVALID_KEY = 'invalid API key'

/** The API keys of one project database, stored as SHA-256 digests. @internal */
interface KeyEntry {
  id: string
  kind: APIKeyKind
  key_hash: string
  revoked_at: Date | string | null
}

interface KeyCache {
  byPrefix: Map<string, KeyEntry>
  /**
   * Keys already verified against this list, by their exact text: a key sent again is not
   * hashed again. Only working keys are kept, and the map goes with the list it was checked
   * against (reloaded, or forgotten after a change), so the answer is the same as hashing.
   */
  verified: Map<string, KeyEntry>
  loadedAt: number
}

/** The most verified keys remembered per database before the memory is cleared. */
const VERIFIED_KEYS_MAX = 256

/**
 * The resolution of {@link APIKeyInfo.last_used_at}, in milliseconds: each process writes a key's
 * use at most once per this time, and a write is skipped when the stored time (from any process)
 * is more recent than this.
 */
export const LAST_USED_INTERVAL_MS = 60_000

/** The most keys whose last recorded use is remembered per engine connection before old entries are dropped. */
const RECORDED_USES_MAX = 10_000

/** How long a database's key list is trusted before it is read again. */
export const API_KEY_CACHE_MS = 30_000

/** The least time between two reloads caused by unknown keys: garbage cannot make the database work harder than this. */
export const API_KEY_RELOAD_MS = 2_000

// Per engine connection (kysely instance), per database: the keys, by their public prefix.
const caches = new WeakMap<object, Map<string, KeyCache>>()

// Per engine connection: when this process last wrote each key's use (auth clock), by key id.
// Kept apart from the key cache so that reloading the list does not cause a write.
const recordedUses = new WeakMap<object, Map<string, number>>()

const INFO_COLUMNS = [
  'id',
  'name',
  'kind',
  'prefix',
  'created_at',
  'revoked_at',
  'last_used_at',
] as const

/** What {@link APIKeys} works with. @internal */
export interface APIKeysOptions {
  /** The auth schema's connection. */
  db: Kysely<AuthDB>
  /** The project database whose keys these are. */
  databaseId: string
  /** The auth clock, in milliseconds. */
  now: () => number
  /**
   * Runs a task after the answer, without waiting for it (recording a key's last use); a
   * failure goes to the auth's `onError`.
   */
  background: (task: () => Promise<void>) => void
}

export class APIKeys {
  readonly #db: Kysely<AuthDB>
  readonly #databaseId: string
  readonly #now: () => number
  readonly #background: (task: () => Promise<void>) => void

  constructor({ db, databaseId, now, background }: APIKeysOptions) {
    this.#db = db
    this.#databaseId = databaseId
    this.#now = now
    this.#background = background
  }

  #caches(): Map<string, KeyCache> {
    let byDatabase = caches.get(this.#db)
    if (byDatabase === undefined) {
      byDatabase = new Map()
      caches.set(this.#db, byDatabase)
    }
    return byDatabase
  }

  /** Forgets this database's cached keys (after a change made by this process). */
  #forget(): void {
    this.#caches().delete(this.#databaseId)
  }

  async #load(): Promise<KeyCache> {
    const rows = await this.#db
      .selectFrom('api_keys')
      .select(['id', 'kind', 'prefix', 'key_hash', 'revoked_at'])
      .where('database_id', '=', this.#databaseId)
      .execute()
    const cache: KeyCache = {
      byPrefix: new Map(rows.map((r) => [r.prefix, r])),
      verified: new Map(),
      loadedAt: Date.now(),
    }
    this.#caches().set(this.#databaseId, cache)
    return cache
  }

  /**
   * The key with this prefix. Served from memory: a database's keys are read at most every
   * {@link API_KEY_CACHE_MS}, and an unknown prefix triggers a reload at most every
   * {@link API_KEY_RELOAD_MS}, so made-up keys are refused without touching the database.
   */
  async #lookup(prefix: string): Promise<KeyCache> {
    let cache = this.#caches().get(this.#databaseId)
    const now = Date.now()
    if (cache === undefined || now - cache.loadedAt > API_KEY_CACHE_MS) {
      cache = await this.#load()
    } else if (!cache.byPrefix.has(prefix) && now - cache.loadedAt > API_KEY_RELOAD_MS) {
      cache = await this.#load()
    }
    return cache
  }

  async create(input: CreateAPIKeyInput): Promise<CreatedAPIKey> {
    const { name, kind } = parseInput(CreateAPIKeyInputSchema, input, 'API key')
    // 80 random bits of prefix: a clash is all but impossible, and would only cost a retry.
    for (let attempt = 0; ; attempt++) {
      const { key, prefix } = generateAPIKey(kind)
      try {
        const row = await this.#db
          .insertInto('api_keys')
          .values({
            database_id: this.#databaseId,
            name,
            kind,
            prefix,
            key_hash: encodeHexLowerCase(digest(key)),
            created_at: new Date(this.#now()),
            revoked_at: null,
            last_used_at: null,
          })
          .returning(INFO_COLUMNS)
          .executeTakeFirstOrThrow()
        this.#forget()
        return { key, ...toInfo(row) }
      } catch (error) {
        const wrapped = fromDatabaseError(error)
        if (attempt < 2 && isBaseboxError(wrapped) && wrapped.code === 'CONFLICT') {
          continue
        }
        throw wrapped
      }
    }
  }

  async list(): Promise<APIKeyInfo[]> {
    const rows = await this.#db
      .selectFrom('api_keys')
      .select(INFO_COLUMNS)
      .where('database_id', '=', this.#databaseId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(toInfo)
  }

  async revoke(id: string): Promise<APIKeyInfo> {
    if (typeof id !== 'string' || !isUUIDString(id)) {
      throw notFound(id)
    }
    const row = await this.#db
      .updateTable('api_keys')
      .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(new Date(this.#now()))) }))
      .where('database_id', '=', this.#databaseId)
      .where('id', '=', id.toLowerCase())
      .returning(INFO_COLUMNS)
      .executeTakeFirst()
    this.#forget()
    if (row === undefined) {
      throw notFound(id)
    }
    return toInfo(row)
  }

  async verify(key: unknown): Promise<VerifiedAPIKey> {
    // The shape is checked first: garbage and oversized input never reach the database.
    const parsed = parseAPIKey(key)
    if (parsed === undefined) {
      throw new BaseboxError('UNAUTHENTICATED', INVALID_KEY)
    }
    const cache = await this.#lookup(parsed.prefix)
    const row = cache.byPrefix.get(parsed.prefix)
    if (row !== undefined && cache.verified.get(key as string) === row) {
      this.#recordUse(row.id)
      return { id: row.id, kind: row.kind }
    }
    // The lookup is by the public prefix; the secret part is compared in constant time.
    const matches =
      row !== undefined && constantTimeEqual(decodeHex(row.key_hash), digest(key as string))
    if (row === undefined || !matches || row.kind !== parsed.kind || row.revoked_at !== null) {
      throw new BaseboxError('UNAUTHENTICATED', INVALID_KEY)
    }
    if (cache.verified.size >= VERIFIED_KEYS_MAX) {
      cache.verified.clear()
    }
    cache.verified.set(key as string, row)
    this.#recordUse(row.id)
    return { id: row.id, kind: row.kind }
  }

  /**
   * Notes that a key let a request in: at most one write per key per
   * {@link LAST_USED_INTERVAL_MS} in this process, sent in the background (the request never
   * waits for it or fails because of it). The write itself skips a revoked key and a time already
   * recorded less than the interval ago by another process, so several processes agree.
   */
  #recordUse(id: string): void {
    const now = this.#now()
    let byKey = recordedUses.get(this.#db)
    if (byKey === undefined) {
      byKey = new Map()
      recordedUses.set(this.#db, byKey)
    }
    const last = byKey.get(id)
    // A clock that went back counts as a new interval rather than silencing the key until it catches up.
    if (last !== undefined && now - last >= 0 && now - last < LAST_USED_INTERVAL_MS) {
      return
    }
    if (byKey.size >= RECORDED_USES_MAX) {
      for (const [other, at] of byKey) {
        if (!(now - at >= 0 && now - at < LAST_USED_INTERVAL_MS)) {
          byKey.delete(other)
        }
      }
    }
    // Not retried on failure before the interval ends: a failing database is not asked once per request.
    byKey.set(id, now)
    const usedAt = new Date(now)
    const staleBefore = new Date(now - LAST_USED_INTERVAL_MS)
    const databaseId = this.#databaseId
    const db = this.#db
    this.#background(async () => {
      await db
        .updateTable('api_keys')
        .set({ last_used_at: usedAt })
        .where('database_id', '=', databaseId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .where((eb) =>
          eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', staleBefore)]),
        )
        .execute()
    })
  }
}

function toInfo(row: {
  id: string
  name: string
  kind: APIKeyKind
  prefix: string
  created_at: Date
  revoked_at: Date | null
  last_used_at: Date | null
}): APIKeyInfo {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    prefix: row.prefix,
    created_at: iso(row.created_at)!,
    revoked_at: iso(row.revoked_at),
    last_used_at: iso(row.last_used_at),
  }
}

function notFound(id: unknown): BaseboxError {
  return new BaseboxError(
    'NOT_FOUND',
    `API key ${JSON.stringify(String(id).slice(0, 80))} not found`,
  )
}
