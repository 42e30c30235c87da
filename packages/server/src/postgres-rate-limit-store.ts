import type { Basebox } from '@basebox/core'
import { sql } from 'kysely'
import type { RateLimitStore } from './rate-limit.js'

/**
 * A {@link RateLimitStore} in the engine's catalog (`rate_limits`), so that several server
 * instances share their counts. One statement per hit; windows older than the previous one are
 * swept now and then.
 */
export class PostgresRateLimitStore implements RateLimitStore {
  readonly #basebox: Basebox
  #lastSweep = 0

  constructor(basebox: Basebox) {
    this.#basebox = basebox
  }

  async hit(
    key: string,
    windowStart: number,
    windowMs: number,
  ): Promise<{ current: number; previous: number }> {
    const table = sql.id(this.#basebox.catalog.schema, 'rate_limits')
    const { rows } = await sql<{ current: number; previous: number | null }>`
      with hit as (
        insert into ${table} as r (key, window_start, count) values (${key}, ${windowStart}, 1)
        on conflict (key, window_start) do update set count = r.count + 1
        returning count
      )
      select (select count from hit) as current,
             (select count from ${table} where key = ${key} and window_start = ${windowStart - windowMs}) as previous`.execute(
      this.#basebox.kysely,
    )
    if (windowStart - this.#lastSweep > windowMs) {
      this.#lastSweep = windowStart
      await sql`delete from ${table} where window_start < ${windowStart - windowMs}`.execute(
        this.#basebox.kysely,
      )
    }
    return { current: Number(rows[0]!.current), previous: Number(rows[0]!.previous ?? 0) }
  }
}
