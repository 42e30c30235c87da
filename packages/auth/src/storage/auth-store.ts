import { sql, type Kysely } from 'kysely'
import { BaseboxError } from '@basebox/core'
import { MAX_USER_METADATA_BYTES } from '../inputs.js'
import { hashToken } from '../tokens/random-token.js'
import type { AuthDB, OneTimeTokenPurpose } from './auth-schema.js'

/** Why a session ended, as stored in `sessions.revoked_reason`. */
export type RevokeReason =
  | 'sign_out'
  | 'password_change'
  | 'password_reset'
  | 'refresh_token_reused'
  | 'user_deleted'
  | 'user_disabled'
  | 'admin_revoked'

/** A verified email of a user. @internal */
export interface Verification {
  email: string
  verified_at: Date
}

/**
 * The statements auth runs on its own schema for one project database, as the engine's user.
 * Every token reaches this class already hashed or freshly generated; every row it touches is
 * filtered on the database id. @internal
 */
export class AuthStore {
  readonly #db: Kysely<AuthDB>
  readonly #schema: string
  readonly databaseId: string

  constructor(db: Kysely<AuthDB>, schema: string, databaseId: string) {
    this.#db = db
    this.#schema = schema
    this.databaseId = databaseId
  }

  #t(table: keyof AuthDB) {
    return sql.id(this.#schema, table)
  }

  /**
   * Creates a session and its first refresh token, and reads the user's verified email, in one
   * statement.
   */
  async createSession(input: {
    sessionId: string
    userId: string
    refreshTokenHash: string
    nowMs: number
    expiresMs: number
    ip: string | undefined
    userAgent: string | undefined
  }): Promise<Verification | undefined> {
    const now = new Date(input.nowMs)
    const { rows } = await sql<Verification>`with s as (
        insert into ${this.#t('sessions')} (id, database_id, user_id, created_at, refreshed_at, expires_at, ip, user_agent)
        values (${input.sessionId}, ${this.databaseId}, ${input.userId}, ${now}, ${now}, ${new Date(input.expiresMs)},
                ${input.ip ?? null}, ${input.userAgent ?? null})
        returning id
      ), r as (
        insert into ${this.#t('refresh_tokens')} (token_hash, session_id, created_at)
        select ${input.refreshTokenHash}, id, ${now} from s
      )
      select email, verified_at from ${this.#t('email_verifications')}
      where database_id = ${this.databaseId} and user_id = ${input.userId}`.execute(this.#db)
    return rows[0]
  }

  /**
   * Exchanges a refresh token for a new one, in one statement: only an unused token of a live
   * session of this database qualifies, and of two concurrent exchanges of one token only one
   * wins (the row is locked and re-checked). Moves the session's expiry forward. Returns the
   * session, or `undefined` when the token does not qualify.
   */
  async rotateRefreshToken(input: {
    tokenHash: string
    nextTokenHash: string
    nowMs: number
    expiresMs: number
  }): Promise<{ session_id: string; user_id: string } | undefined> {
    const now = new Date(input.nowMs)
    const { rows } = await sql<{ session_id: string; user_id: string }>`with rotated as (
        update ${this.#t('refresh_tokens')} r set rotated_at = ${now}
        from ${this.#t('sessions')} s
        where r.token_hash = ${input.tokenHash} and r.rotated_at is null and s.id = r.session_id
          and s.database_id = ${this.databaseId} and s.revoked_at is null and s.expires_at > ${now}
        returning r.session_id, s.user_id
      ), fresh as (
        insert into ${this.#t('refresh_tokens')} (token_hash, session_id, created_at)
        select ${input.nextTokenHash}, session_id, ${now} from rotated
      ), touched as (
        update ${this.#t('sessions')} s set refreshed_at = ${now}, expires_at = ${new Date(input.expiresMs)}
        from rotated where s.id = rotated.session_id
      )
      select session_id, user_id::text as user_id from rotated`.execute(this.#db)
    return rows[0]
  }

  /**
   * When a refresh token that was already exchanged comes back, someone holds a copy of it:
   * revokes its whole session (every token of the family). Returns whether it did.
   */
  async revokeFamilyOfReusedToken(tokenHash: string, nowMs: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('sessions')
      .set({
        revoked_at: new Date(nowMs),
        revoked_reason: 'refresh_token_reused' satisfies RevokeReason,
      })
      .where('database_id', '=', this.databaseId)
      .where('revoked_at', 'is', null)
      .where('id', '=', (eb) =>
        eb
          .selectFrom('refresh_tokens')
          .select('session_id')
          .where('token_hash', '=', tokenHash)
          .where('rotated_at', 'is not', null),
      )
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  /** Revokes sessions of a user: one, all but one, or all. Returns how many. */
  async revokeSessions(
    userId: string,
    which: { only: string } | { except: string } | 'all',
    reason: RevokeReason,
    nowMs: number,
  ): Promise<number> {
    let query = this.#db
      .updateTable('sessions')
      .set({ revoked_at: new Date(nowMs), revoked_reason: reason })
      .where('database_id', '=', this.databaseId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
    if (which !== 'all') {
      query =
        'only' in which ? query.where('id', '=', which.only) : query.where('id', '<>', which.except)
    }
    const result = await query.executeTakeFirst()
    return Number(result.numUpdatedRows)
  }

  /**
   * Whether a session is live (not revoked, not expired, this user's), with the user's verified
   * email, in one statement. `undefined` when the session is not live.
   */
  async liveSession(
    sessionId: string,
    userId: string,
    nowMs: number,
  ): Promise<{ verification: Verification | undefined; signedInAt: Date } | undefined> {
    const row = await this.#db
      .selectFrom('sessions as s')
      .leftJoin('email_verifications as v', (join) =>
        join.onRef('v.database_id', '=', 's.database_id').onRef('v.user_id', '=', 's.user_id'),
      )
      .select(['s.id', 's.created_at', 'v.email', 'v.verified_at'])
      .where('s.id', '=', sessionId)
      .where('s.database_id', '=', this.databaseId)
      .where('s.user_id', '=', userId)
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', new Date(nowMs))
      .executeTakeFirst()
    if (row === undefined) {
      return undefined
    }
    return {
      verification:
        row.email !== null && row.verified_at !== null
          ? { email: row.email, verified_at: row.verified_at }
          : undefined,
      signedInAt: new Date(row.created_at),
    }
  }

  /** The verified email of a user, if any. */
  async verification(userId: string): Promise<Verification | undefined> {
    return this.#db
      .selectFrom('email_verifications')
      .select(['email', 'verified_at'])
      .where('database_id', '=', this.databaseId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
  }

  /** Records that a user proved an email address. */
  async markVerified(userId: string, email: string, nowMs: number): Promise<Verification> {
    const verified_at = new Date(nowMs)
    await this.#db
      .insertInto('email_verifications')
      .values({ database_id: this.databaseId, user_id: userId, email, verified_at })
      .onConflict((oc) =>
        oc.columns(['database_id', 'user_id']).doUpdateSet({ email, verified_at }),
      )
      .execute()
    return { email, verified_at }
  }

  /** Stores a new one-time token (hashed), voiding the user's earlier unused ones of the same purpose. */
  async issueOneTimeToken(input: {
    token: string
    userId: string
    email: string
    purpose: OneTimeTokenPurpose
    nowMs: number
    expiresMs: number
  }): Promise<void> {
    const now = new Date(input.nowMs)
    await sql`with voided as (
        update ${this.#t('one_time_tokens')} set used_at = ${now}
        where database_id = ${this.databaseId} and user_id = ${input.userId} and purpose = ${input.purpose} and used_at is null
      )
      insert into ${this.#t('one_time_tokens')} (token_hash, database_id, user_id, purpose, email, created_at, expires_at)
      values (${hashToken(input.token)}, ${this.databaseId}, ${input.userId}, ${input.purpose}, ${input.email}, ${now},
              ${new Date(input.expiresMs)})`.execute(this.#db)
  }

  /** Uses up a one-time token: only once, only before it expires. Returns its user and email. */
  async consumeOneTimeToken(
    token: string,
    purpose: OneTimeTokenPurpose,
    nowMs: number,
  ): Promise<{ user_id: string; email: string } | undefined> {
    const now = new Date(nowMs)
    return this.#db
      .updateTable('one_time_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', hashToken(token))
      .where('database_id', '=', this.databaseId)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning([sql<string>`user_id::text`.as('user_id'), 'email'])
      .executeTakeFirst()
  }

  /** Voids a user's unused one-time tokens of a purpose. */
  async voidOneTimeTokens(
    userId: string,
    purpose: OneTimeTokenPurpose,
    nowMs: number,
  ): Promise<void> {
    await this.#db
      .updateTable('one_time_tokens')
      .set({ used_at: new Date(nowMs) })
      .where('database_id', '=', this.databaseId)
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .execute()
  }

  /**
   * A refresh token exchanged at most `graceMs` ago whose successor (`nextTokenHash`) is still
   * unused, in a live session of this database: the same client (another tab) refreshing at
   * once, which gets the same successor. `undefined` otherwise. Returns when it was exchanged.
   */
  async rotatedWithinGrace(input: {
    tokenHash: string
    nextTokenHash: string
    nowMs: number
    graceMs: number
  }): Promise<{ session_id: string; user_id: string; rotated_at: Date } | undefined> {
    const now = new Date(input.nowMs)
    const { rows } = await sql<{ session_id: string; user_id: string; rotated_at: Date }>`
      select r.session_id, s.user_id::text as user_id, r.rotated_at
      from ${this.#t('refresh_tokens')} r
      join ${this.#t('sessions')} s on s.id = r.session_id
      join ${this.#t('refresh_tokens')} n on n.session_id = r.session_id and n.token_hash = ${input.nextTokenHash}
      where r.token_hash = ${input.tokenHash} and r.rotated_at is not null
        and r.rotated_at > ${new Date(input.nowMs - input.graceMs)} and r.rotated_at <= ${now}
        and n.rotated_at is null
        and s.database_id = ${this.databaseId} and s.revoked_at is null and s.expires_at > ${now}`.execute(
      this.#db,
    )
    const row = rows[0]
    return row === undefined ? undefined : { ...row, rotated_at: new Date(row.rotated_at) }
  }

  /** The metadata keys of users (beyond the profile columns), by user id. */
  async metadata(userIds: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    if (userIds.length === 0) {
      return new Map()
    }
    const rows = await this.#db
      .selectFrom('user_metadata')
      .select(['user_id', 'data'])
      .where('database_id', '=', this.databaseId)
      .where('user_id', 'in', [...userIds])
      .execute()
    return new Map(
      rows.map((r) => [
        String(r.user_id),
        (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
      ]),
    )
  }

  /** Replaces a user's metadata keys (an empty object deletes the row). */
  async writeMetadata(userId: string, data: Record<string, unknown>, nowMs: number): Promise<void> {
    if (Object.keys(data).length === 0) {
      await this.#db
        .deleteFrom('user_metadata')
        .where('database_id', '=', this.databaseId)
        .where('user_id', '=', userId)
        .execute()
      return
    }
    const json = JSON.stringify(data)
    await sql`insert into ${this.#t('user_metadata')} (database_id, user_id, data, updated_at)
      values (${this.databaseId}, ${userId}, ${json}::jsonb, ${new Date(nowMs)})
      on conflict (database_id, user_id) do update set data = excluded.data, updated_at = excluded.updated_at`.execute(
      this.#db,
    )
  }

  /**
   * Merges metadata keys into a user's stored ones (`null` removes a key); `VALIDATION_FAILED`
   * when the result would exceed {@link MAX_USER_METADATA_BYTES}.
   */
  async mergeMetadata(
    userId: string,
    changes: Record<string, unknown>,
    nowMs: number,
  ): Promise<void> {
    const stored = (await this.metadata([userId])).get(userId) ?? {}
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) {
        delete stored[key]
      } else {
        stored[key] = value
      }
    }
    if (new TextEncoder().encode(JSON.stringify(stored)).length > MAX_USER_METADATA_BYTES) {
      throw new BaseboxError(
        'VALIDATION_FAILED',
        `user metadata is at most ${MAX_USER_METADATA_BYTES} bytes as JSON`,
      )
    }
    await this.writeMetadata(userId, stored, nowMs)
  }

  /** When each of these users was disabled, by user id (enabled users are absent). */
  async disabledAt(userIds: readonly string[]): Promise<Map<string, Date>> {
    if (userIds.length === 0) {
      return new Map()
    }
    const rows = await this.#db
      .selectFrom('disabled_users')
      .select(['user_id', 'disabled_at'])
      .where('database_id', '=', this.databaseId)
      .where('user_id', 'in', [...userIds])
      .execute()
    return new Map(rows.map((r) => [String(r.user_id), new Date(r.disabled_at)]))
  }

  /** Whether a user is disabled. */
  async isDisabled(userId: string): Promise<boolean> {
    return (await this.disabledAt([userId])).has(userId)
  }

  /** Disables a user (every session ends) or enables one again. Idempotent. */
  async setDisabled(userId: string, disabled: boolean, nowMs: number): Promise<void> {
    if (!disabled) {
      await this.#db
        .deleteFrom('disabled_users')
        .where('database_id', '=', this.databaseId)
        .where('user_id', '=', userId)
        .execute()
      return
    }
    await sql`insert into ${this.#t('disabled_users')} (database_id, user_id, disabled_at)
      values (${this.databaseId}, ${userId}, ${new Date(nowMs)}) on conflict (database_id, user_id) do nothing`.execute(
      this.#db,
    )
    await this.revokeSessions(userId, 'all', 'user_disabled', nowMs)
    await this.voidOneTimeTokens(userId, 'password_reset', nowMs)
  }

  /** Forgets what auth keeps about a deleted user: sessions end, metadata and verification go. */
  async forgetUser(userId: string, nowMs: number): Promise<void> {
    await this.revokeSessions(userId, 'all', 'user_deleted', nowMs)
    for (const table of ['user_metadata', 'email_verifications', 'disabled_users'] as const) {
      await this.#db
        .deleteFrom(table)
        .where('database_id', '=', this.databaseId)
        .where('user_id', '=', userId)
        .execute()
    }
  }
}
