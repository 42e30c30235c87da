import { createArgon2idHasher, createAuth, type Auth } from '@basebox/auth'
import { isBaseboxError, type ErrorCode } from '@basebox/client'
import { createLocalDataClient, type Basebox, type DatabaseHandle } from '@basebox/core'
import type { TestHarness } from '@basebox/core/testing'
import { createClient } from '@supabase/supabase-js'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandler, type BaseboxHandler } from './handler.js'
import { authForDataAPI } from './routes/auth-api.js'
import { testBackends } from './testing.js'

// The browser mode's data client for an end user, beside the server's data API for the same
// user's token (supabase-js through the real handler, no ports): one database, the same answers.

async function failure(call: Promise<unknown>): Promise<ErrorCode> {
  try {
    await call
  } catch (error) {
    if (isBaseboxError(error)) {
      return error.code
    }
    throw error
  }
  throw new Error('expected the call to fail')
}

for (const backend of testBackends()) {
  describe(`${backend.name}: given an owner-only table, the local data client of an end user`, () => {
    let h: TestHarness
    let bb: Basebox
    let auth: Auth
    let db: DatabaseHandle
    let handler: BaseboxHandler
    let anonKey: string
    // The auth clock: tests move it forward instead of sleeping.
    let clock = Date.now()
    const tokens: Record<'ada' | 'bob', { access: string; id: string }> = {} as never

    beforeAll(async () => {
      h = await backend.create()
      bb = await h.engine()
      auth = await createAuth({
        basebox: bb,
        passwordHasher: createArgon2idHasher({ memoryKiB: 64, iterations: 1, parallelism: 1 }),
        now: () => clock,
      })
      handler = createHandler({ basebox: bb, getOwner: () => null, dataAuth: authForDataAPI(auth) })
      const owner = bb.owner('local-data-owner')
      db = await owner.createDatabase((await owner.createProject({ name: 'Notes app' })).id)
      await db.createTable({
        name: 'notes',
        columns: [
          { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
          {
            name: 'owner_id',
            type: 'uuid',
            required: true,
            references: { table: 'users', on_delete: 'cascade' },
          },
          { name: 'body', type: 'text', required: true },
        ],
        access: {
          select: 'owner',
          insert: 'owner',
          update: 'owner',
          delete: 'owner',
          owner_column: 'owner_id',
        },
      })
      const users = auth.forDatabase(db)
      anonKey = (await users.createAPIKey({ name: 'browser', kind: 'anon' })).key
      for (const name of ['ada', 'bob'] as const) {
        await users.signUp({ email: `${name}@example.com`, password: `${name}'s long password` })
        const session = await users.signIn({
          email: `${name}@example.com`,
          password: `${name}'s long password`,
        })
        tokens[name] = { access: session.access_token, id: session.user.id }
      }
    })
    afterAll(async () => {
      await sql
        .raw(`drop schema if exists "${auth?.schema}" cascade`)
        .execute(bb.kysely)
        .catch(() => {})
      await h?.close()
    })

    const local = (who: 'ada' | 'bob' | null) =>
      createLocalDataClient(bb, db.id, {
        auth,
        accessToken: who === null ? null : tokens[who].access,
      })
    const remote = (who: 'ada' | 'bob') =>
      createClient(`http://localhost/db/${db.id}`, anonKey, {
        auth: { persistSession: false, autoRefreshToken: false },
        global: {
          headers: { Authorization: `Bearer ${tokens[who].access}` },
          fetch: (input: RequestInfo | URL, init?: RequestInit) =>
            handler(new Request(input, init)),
        },
      })

    it('writes the row as its user (owner column filled) and shows it to that user only, as the data API does', async () => {
      const [row] = await local('ada').insertRows<{ id: string; owner_id: string; body: string }>(
        'notes',
        { body: 'ada writes' },
      )
      expect(row).toMatchObject({ owner_id: tokens.ada.id, body: 'ada writes' })
      expect((await local('ada').selectRows('notes', { columns: ['body'] })).rows).toEqual([
        { body: 'ada writes' },
      ])
      expect((await local('bob').selectRows('notes', { columns: ['body'] })).rows).toEqual([])
      expect((await local(null).selectRows('notes', { columns: ['body'] })).rows).toEqual([])
      // The server, for the same tokens, on the same database.
      expect((await remote('ada').from('notes').select('body')).data).toEqual([
        { body: 'ada writes' },
      ])
      expect((await remote('bob').from('notes').select('body')).data).toEqual([])
    })

    it("changes none of another user's rows, and refuses a row written in another user's name", async () => {
      const where = { owner_id: tokens.ada.id }
      expect(await local('bob').updateRows('notes', where, { body: 'bob was here' })).toEqual([])
      expect(await local('bob').deleteRows('notes', where)).toEqual([])
      expect(
        (
          await remote('bob')
            .from('notes')
            .update({ body: 'bob was here' })
            .eq('owner_id', tokens.ada.id)
            .select()
        ).data,
      ).toEqual([])
      expect((await db.select('notes', { columns: ['body'] })).rows).toEqual([
        { body: 'ada writes' },
      ])

      expect(
        await failure(
          local('bob').insertRows('notes', { body: 'in ada’s name', owner_id: tokens.ada.id }),
        ),
      ).toBe('FORBIDDEN')
      expect(
        await failure(
          local(null).insertRows('notes', { body: 'anonymous', owner_id: tokens.ada.id }),
        ),
      ).toBe('FORBIDDEN')
      const refused = await remote('bob')
        .from('notes')
        .insert({ body: 'in ada’s name', owner_id: tokens.ada.id })
      expect(refused.status).toBe(403)
      expect((await db.select('notes', { count: 'exact', limit: 0 })).count).toBe(1)

      const [edited] = await local('ada').updateRows<{ body: string }>('notes', where, {
        body: 'ada edits',
      })
      expect(edited?.body).toBe('ada edits')
    })

    it('checks the token on every call: tampered, foreign and expired tokens are UNAUTHENTICATED', async () => {
      const tampered = `${tokens.ada.access.slice(0, -2)}${tokens.ada.access.endsWith('AA') ? 'BB' : 'AA'}`
      expect(
        await failure(
          createLocalDataClient(bb, db.id, { auth, accessToken: tampered }).selectRows('notes'),
        ),
      ).toBe('UNAUTHENTICATED')
      const other = await bb
        .owner('local-data-owner')
        .createDatabase((await bb.owner('local-data-owner').createProject({ name: 'Other' })).id)
      const foreign = createLocalDataClient(bb, other.id, { auth, accessToken: tokens.ada.access })
      expect(await failure(foreign.selectRows('users'))).toBe('UNAUTHENTICATED')
      const data = local('ada')
      clock += 16 * 60_000
      expect(await failure(data.selectRows('notes'))).toBe('UNAUTHENTICATED')
      clock -= 16 * 60_000
      expect((await data.selectRows('notes', { columns: ['body'] })).rows).toEqual([
        { body: 'ada edits' },
      ])
    })

    it('refuses bad input before running anything, keeps secret columns out, and is NOT_FOUND for an unknown database', async () => {
      const data = local('ada')
      expect(await failure(data.selectRows('notes', { limit: 5000 }))).toBe('VALIDATION_FAILED')
      expect(await failure(data.updateRows('notes', {}, { body: 'every row' }))).toBe(
        'VALIDATION_FAILED',
      )
      expect(await failure(data.selectRows('users', { columns: ['password_hash'] }))).toBe(
        'FORBIDDEN',
      )
      expect(await failure(data.selectRows('nope'))).toBe('NOT_FOUND')
      const gone = createLocalDataClient(bb, '00000000-0000-4000-8000-000000000000', {
        auth,
        accessToken: tokens.ada.access,
      })
      expect(await failure(gone.selectRows('notes'))).toBe('NOT_FOUND')
      expect(() =>
        createLocalDataClient(bb, db.id, { auth: undefined as never, accessToken: null }),
      ).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }))
      const aborted = new AbortController()
      aborted.abort(new Error('left the page'))
      await expect(data.selectRows('notes', {}, { signal: aborted.signal })).rejects.toThrow(
        'left the page',
      )
    })
  })
}
