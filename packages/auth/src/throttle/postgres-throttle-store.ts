import type { Basebox } from '@basebox/core'
import { sql, type Kysely } from 'kysely'
import { authKysely, authSchemaName, type AuthDB } from '../storage/auth-schema.js'
import {
  throttleStatus,
  type ThrottleHit,
  type ThrottleStatus,
  type ThrottleStore,
} from './throttle-store.js'

/** Failures recorded between two sweeps of expired rows. */
const PRUNE_EVERY = 1000

/**
 * A {@link ThrottleStore} in the auth schema's `throttle` table, so that every server on the
 * same database shares the counts. Each failure is recorded atomically (one statement, a row
 * lock per key); expired rows are swept now and then. The table exists once `createAuth` has
 * run on the same engine.
 *
 * ### Examples
 *
 * ```ts
 * const auth = await createAuth({ basebox: bb, throttle: new PostgresThrottleStore(bb) })
 * ```
 */
export class PostgresThrottleStore implements ThrottleStore {
  readonly #db: Kysely<AuthDB>
  readonly #schema: string
  #failsSincePrune = 0

  constructor(basebox: Basebox) {
    this.#db = authKysely(basebox)
    this.#schema = authSchemaName(basebox.catalog.schema)
  }

  async peek(keys: readonly string[], nowMs: number): Promise<ThrottleStatus[]> {
    if (keys.length === 0) {
      return []
    }
    const rows = await this.#db
      .selectFrom('throttle')
      .selectAll()
      .where('key', 'in', [...keys])
      .where('expires_ms', '>', nowMs)
      .execute()
    const byKey = new Map(rows.map((row) => [row.key, row]))
    return keys.map((key) => {
      const row = byKey.get(key)
      return throttleStatus(
        row === undefined
          ? undefined
          : {
              failures: row.failures,
              lastFailureMs: row.last_failure_ms,
              blockedUntilMs: row.blocked_until_ms,
              knownUntilMs: row.known_until_ms,
            },
        nowMs,
      )
    })
  }

  async fail(hits: readonly ThrottleHit[], nowMs: number): Promise<ThrottleStatus[]> {
    if (hits.length === 0) {
      return []
    }
    const json = JSON.stringify(
      hits.map(({ key, rule }) => ({
        key,
        free: rule.freeFailures,
        base: rule.baseDelayMs,
        cap: rule.maxDelayMs,
        forget: rule.forgetAfterMs,
      })),
    )
    const { rows } = await sql<{
      o_failures: number
      o_blocked_until_ms: number
      o_known_until_ms: number
    }>`
      select * from ${sql.id(this.#schema, 'throttle_fail')}(${json}::jsonb, ${nowMs}::double precision)`.execute(
      this.#db,
    )
    if (++this.#failsSincePrune >= PRUNE_EVERY) {
      this.#failsSincePrune = 0
      await this.prune(nowMs)
    }
    return rows.map((row) =>
      throttleStatus(
        {
          failures: Number(row.o_failures),
          lastFailureMs: nowMs,
          blockedUntilMs: Number(row.o_blocked_until_ms),
          knownUntilMs: Number(row.o_known_until_ms),
        },
        nowMs,
      ),
    )
  }

  async succeed(
    keys: readonly string[],
    nowMs: number,
    options: { rememberForMs?: number } = {},
  ): Promise<void> {
    if (keys.length === 0) {
      return
    }
    const knownUntil = nowMs + (options.rememberForMs ?? 0)
    await this.#db
      .insertInto('throttle')
      .values(
        [...keys].map((key) => ({
          key,
          failures: 0,
          last_failure_ms: 0,
          blocked_until_ms: 0,
          known_until_ms: knownUntil,
          expires_ms: knownUntil,
        })),
      )
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => {
          // A row that had expired keeps nothing of its past.
          const alive = (column: 'known_until_ms') =>
            sql<number>`case when ${eb.ref('throttle.expires_ms')} > ${nowMs} then ${eb.ref(`throttle.${column}`)} else 0 end`
          return {
            failures: 0,
            last_failure_ms: 0,
            blocked_until_ms: 0,
            known_until_ms: sql<number>`greatest(${alive('known_until_ms')}, ${knownUntil})`,
            expires_ms: sql<number>`greatest(${alive('known_until_ms')}, ${knownUntil})`,
          }
        }),
      )
      .execute()
  }

  /** Deletes the rows that no longer matter. Runs by itself every thousand failures. */
  async prune(nowMs: number): Promise<void> {
    await this.#db.deleteFrom('throttle').where('expires_ms', '<=', nowMs).execute()
  }
}
