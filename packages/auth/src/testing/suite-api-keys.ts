import { migrateSchema } from '@basebox/core'
import { sql, type Kysely } from 'kysely'
import { expect, it } from 'vitest'
import { APIKeys, LAST_USED_INTERVAL_MS } from '../api-keys.js'
import type { DatabaseAuth } from '../database-auth/index.js'
import { AUTH_MIGRATIONS } from '../storage/auth-migrations.js'
import type { AuthDB } from '../storage/auth-schema.js'
import type { SuiteContext } from './suite-context.js'

/** The statement that records a key's use (kysely writes `update "<schema>"."api_keys" set …`). */
const RECORD_USE = /^update "[^"]+"\."api_keys" set "last_used_at"/

async function lastUsed(users: DatabaseAuth, id: string): Promise<string | null | undefined> {
  return (await users.listAPIKeys()).find((key) => key.id === id)?.last_used_at
}

/** When API keys were last used: written in the background, at most once per interval. */
export function describeAPIKeyLastUse(get: () => SuiteContext): void {
  it('records when a key was last used, writing at most once per interval', async () => {
    const ctx = get()
    const { users, count } = ctx
    const key = await users.createAPIKey({ name: 'used', kind: 'service' })
    expect(key.last_used_at).toBeNull()
    expect(await lastUsed(users, key.id)).toBeNull()

    const first = ctx.now()
    const use = () =>
      count(
        async () => {
          const verified = await users.verifyAPIKey(key.key)
          await ctx.settled()
          return verified
        },
        { matching: RECORD_USE },
      )
    const used = await use()
    expect(used).toMatchObject({ result: { id: key.id, kind: 'service' }, statements: 1 })
    expect(await lastUsed(users, key.id)).toBe(new Date(first).toISOString())

    // Within the interval: no write at all, whether the key comes from memory or is hashed again.
    ctx.advance(LAST_USED_INTERVAL_MS - 1)
    expect((await use()).statements).toBe(0)
    await users.createAPIKey({ name: 'forces a reload', kind: 'anon' })
    expect((await use()).statements).toBe(0)
    expect(await lastUsed(users, key.id)).toBe(new Date(first).toISOString())

    // Once the interval has passed: one write, with the new time.
    ctx.advance(1)
    expect((await use()).statements).toBe(1)
    expect(await lastUsed(users, key.id)).toBe(new Date(ctx.now()).toISOString())
  })

  it('lets another process skip a use already recorded within the interval', async () => {
    const ctx = get()
    const { users, count } = ctx
    const elsewhere = (await ctx.makeAuth()).forDatabase(ctx.db)
    const key = await users.createAPIKey({ name: 'shared', kind: 'anon' })
    await users.verifyAPIKey(key.key)
    await ctx.settled()
    const first = new Date(ctx.now()).toISOString()

    // The other process has not recorded this key yet, so it sends its write; the row keeps
    // the first time, which is recent enough.
    ctx.advance(1_000)
    const sent = await count(
      async () => {
        await elsewhere.verifyAPIKey(key.key)
        await ctx.settled()
      },
      { matching: RECORD_USE },
    )
    expect(sent.statements).toBe(1)
    expect(await lastUsed(users, key.id)).toBe(first)

    ctx.advance(LAST_USED_INTERVAL_MS)
    await elsewhere.verifyAPIKey(key.key)
    await ctx.settled()
    expect(await lastUsed(users, key.id)).toBe(new Date(ctx.now()).toISOString())
  })

  it('does not mark a revoked key as used', async () => {
    const ctx = get()
    const { users } = ctx
    const key = await users.createAPIKey({ name: 'revoked', kind: 'anon' })
    await users.verifyAPIKey(key.key)
    await ctx.settled()
    const first = new Date(ctx.now()).toISOString()

    ctx.advance(LAST_USED_INTERVAL_MS)
    expect((await users.revokeAPIKey(key.id)).last_used_at).toBe(first)
    await expect(users.verifyAPIKey(key.key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    await ctx.settled()
    expect(await lastUsed(users, key.id)).toBe(first)
  })

  it('sends a failed write to onError without failing the request, and does not retry it at once', async () => {
    const ctx = get()
    const errors: unknown[] = []
    const users = (await ctx.makeAuth({ onError: (error) => errors.push(error) })).forDatabase(
      ctx.db,
    )
    const key = await users.createAPIKey({ name: 'unwritable', kind: 'service' })
    const schema = ctx.auth.schema
    const fail = sql.id(schema, 'fail_last_use')
    // A real failure from the database, for this key only.
    await sql`create function ${fail}() returns trigger language plpgsql as $$
      begin raise exception 'last use not writable'; end $$`.execute(ctx.bb.kysely)
    await sql`create trigger fail_last_use before update of last_used_at on ${sql.id(schema, 'api_keys')}
      for each row when (old.id = ${sql.lit(key.id)}::uuid) execute function ${fail}()`.execute(
      ctx.bb.kysely,
    )
    try {
      await expect(users.verifyAPIKey(key.key)).resolves.toEqual({ id: key.id, kind: 'service' })
      await ctx.settled()
      expect(errors).toHaveLength(1)
      expect(String(errors[0])).toContain('last use not writable')
      await expect(users.verifyAPIKey(key.key)).resolves.toMatchObject({ id: key.id })
      await ctx.settled()
      expect(errors).toHaveLength(1)
      expect(await lastUsed(users, key.id)).toBeNull()
    } finally {
      await sql`drop trigger fail_last_use on ${sql.id(schema, 'api_keys')}`.execute(ctx.bb.kysely)
      await sql`drop function ${fail}()`.execute(ctx.bb.kysely)
    }
  })

  it('adds last_used_at to an auth schema made by the previous version', async () => {
    const ctx = get()
    const schema = `${ctx.auth.schema}_v3_${crypto.randomUUID().slice(0, 8)}`
    const options = {
      schema,
      lockKey: `basebox auth ${schema}`,
      names: { schema, catalog: ctx.bb.catalog.schema },
    }
    try {
      const previous = AUTH_MIGRATIONS.filter((migration) => migration.version < 4)
      expect(await migrateSchema(ctx.bb.kysely, { ...options, migrations: previous })).toEqual([
        1, 2, 3,
      ])
      await sql`insert into ${sql.id(schema, 'api_keys')} (database_id, name, kind, prefix, key_hash, created_at)
        values (${ctx.db.id}, 'old', 'anon', 'bb_anon_aaaaaaaaaaaaaaaa', ${'0'.repeat(64)}, now())`.execute(
        ctx.bb.kysely,
      )

      expect(
        await migrateSchema(ctx.bb.kysely, { ...options, migrations: AUTH_MIGRATIONS }),
      ).toEqual([4])
      expect(
        await migrateSchema(ctx.bb.kysely, { ...options, migrations: AUTH_MIGRATIONS }),
      ).toEqual([])
      const db = (ctx.bb.kysely as unknown as Kysely<AuthDB>).withSchema(schema)
      const keys = new APIKeys({
        db,
        databaseId: ctx.db.id,
        now: ctx.now,
        background: (task) => void task(),
      })
      expect(await keys.list()).toEqual([
        expect.objectContaining({ name: 'old', revoked_at: null, last_used_at: null }),
      ])
    } finally {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(ctx.bb.kysely)
    }
  })
}
