import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding'
import type { Kysely } from 'kysely'
import type { AuthDB } from '../storage/auth-schema.js'
import { generateId } from './random-token.js'
import type { SigningKey } from './access-token.js'

/** How long a process signs with the secret it loaded before it looks again (another process may have rotated). */
export const SIGNING_KEY_REFRESH_MS = 60_000

/** A token with an unknown `kid` makes the keyring look again, at most this often per database. */
export const UNKNOWN_KID_RELOAD_MS = 30_000

interface Entry {
  loadedAtMs: number
  /** The current secret first, then the previous one while it is still valid. */
  keys: SigningKey[]
}

/**
 * The HS256 secrets of every database, cached in memory so that verifying an access token
 * needs no database statement once a database's secrets are loaded. At most two secrets exist
 * per database: the current one, and the previous one after a rotation. @internal
 */
export class JWTKeyring {
  readonly #db: Kysely<AuthDB>
  readonly #now: () => number
  readonly #cache = new Map<string, Entry>()
  readonly #loading = new Map<string, Promise<Entry>>()

  constructor(db: Kysely<AuthDB>, now: () => number) {
    this.#db = db
    this.#now = now
  }

  /** The cached secrets of a database, or `undefined` when they were never loaded. */
  cached(databaseId: string): readonly SigningKey[] | undefined {
    return this.#cache.get(databaseId)?.keys
  }

  /** The secrets of a database, from the cache or loaded once. */
  async keys(databaseId: string): Promise<readonly SigningKey[]> {
    return (this.#cache.get(databaseId) ?? (await this.#load(databaseId))).keys
  }

  /** Loads the secrets again when the last load is older than {@link UNKNOWN_KID_RELOAD_MS}; returns whether it did. */
  async reloadForUnknownKid(databaseId: string): Promise<boolean> {
    const entry = this.#cache.get(databaseId)
    if (entry !== undefined && this.#now() - entry.loadedAtMs < UNKNOWN_KID_RELOAD_MS) {
      return false
    }
    await this.#load(databaseId, true)
    return true
  }

  /** The secret new tokens are signed with; made on first use. */
  async signingKey(databaseId: string): Promise<SigningKey> {
    let entry = this.#cache.get(databaseId)
    if (entry === undefined || this.#now() - entry.loadedAtMs > SIGNING_KEY_REFRESH_MS) {
      entry = await this.#load(databaseId, true)
    }
    if (entry.keys[0] === undefined || entry.keys[0].retiredAtMs !== undefined) {
      await this.#db
        .insertInto('jwt_secrets')
        .values(newSecretRow(databaseId, this.#now()))
        .onConflict((oc) => oc.column('database_id').where('retired_at', 'is', null).doNothing())
        .execute()
      entry = await this.#load(databaseId, true)
    }
    const current = entry.keys[0]
    if (current === undefined || current.retiredAtMs !== undefined) {
      throw new Error('no current JWT secret')
    }
    return current
  }

  /**
   * Replaces the current secret of a database. With `keepPrevious`, tokens signed with the old
   * secret stay valid until `previousValidForMs` from now (their own expiry); without, they are
   * refused at once. An older previous secret is dropped.
   */
  async rotate(
    databaseId: string,
    options: { keepPrevious: boolean; previousValidForMs: number },
  ): Promise<void> {
    const now = this.#now()
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .selectFrom('jwt_secrets')
        .select('kid')
        .where('database_id', '=', databaseId)
        .forUpdate()
        .execute()
      await trx
        .deleteFrom('jwt_secrets')
        .where('database_id', '=', databaseId)
        .where('retired_at', 'is not', null)
        .execute()
      await trx
        .updateTable('jwt_secrets')
        .set({
          retired_at: new Date(now),
          valid_until: new Date(options.keepPrevious ? now + options.previousValidForMs : now),
        })
        .where('database_id', '=', databaseId)
        .where('retired_at', 'is', null)
        .execute()
      await trx.insertInto('jwt_secrets').values(newSecretRow(databaseId, now)).execute()
    })
    await this.#load(databaseId, true)
  }

  #load(databaseId: string, force = false): Promise<Entry> {
    const cached = this.#cache.get(databaseId)
    if (cached !== undefined && !force) {
      return Promise.resolve(cached)
    }
    let loading = this.#loading.get(databaseId)
    if (loading === undefined) {
      loading = this.#read(databaseId).finally(() => this.#loading.delete(databaseId))
      this.#loading.set(databaseId, loading)
    }
    return loading
  }

  async #read(databaseId: string): Promise<Entry> {
    const now = this.#now()
    const rows = await this.#db
      .selectFrom('jwt_secrets')
      .select(['kid', 'secret', 'retired_at', 'valid_until'])
      .where('database_id', '=', databaseId)
      .where((eb) => eb.or([eb('retired_at', 'is', null), eb('valid_until', '>', new Date(now))]))
      .orderBy('created_at', 'desc')
      .execute()
    const keys = rows
      .map((row): SigningKey => ({
        kid: row.kid,
        secret: decodeBase64urlIgnorePadding(row.secret),
        ...(row.retired_at !== null ? { retiredAtMs: new Date(row.retired_at).getTime() } : {}),
        ...(row.valid_until !== null ? { validUntilMs: new Date(row.valid_until).getTime() } : {}),
      }))
      // The current secret first.
      .sort((a, b) => Number(a.retiredAtMs !== undefined) - Number(b.retiredAtMs !== undefined))
    const entry = { loadedAtMs: now, keys }
    this.#cache.set(databaseId, entry)
    return entry
  }
}

function newSecretRow(databaseId: string, now: number) {
  return {
    database_id: databaseId,
    kid: generateId(10),
    secret: encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32))),
    created_at: new Date(now),
    retired_at: null,
    valid_until: null,
  }
}
