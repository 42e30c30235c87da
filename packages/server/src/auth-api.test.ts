import { createArgon2idHasher, createAuth, type Auth } from '@basebox/auth'
import type { Basebox, DatabaseHandle } from '@basebox/core'
import type { TestHarness } from '@basebox/core/testing'
import { createClient } from '@supabase/supabase-js'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandler, type BaseboxHandler } from './handler.js'
import { authForDataAPI } from './routes/auth-api.js'
import { testBackends } from './testing.js'

for (const backend of testBackends()) {
  describe(`${backend.name}: supabase-js against a Basebox project`, () => {
    let h: TestHarness
    let bb: Basebox
    let auth: Auth
    let db: DatabaseHandle
    let handler: BaseboxHandler
    let anonKey: string
    let serviceKey: string
    // The auth clock: tests move it forward instead of sleeping.
    let clock = Date.now()

    beforeAll(async () => {
      h = await backend.create()
      bb = await h.engine()
      // Cheap argon2id parameters keep the suite fast; the auth package tests OWASP's defaults.
      auth = await createAuth({
        basebox: bb,
        passwordHasher: createArgon2idHasher({ memoryKiB: 64, iterations: 1, parallelism: 1 }),
        now: () => clock,
      })
      handler = createHandler({ basebox: bb, getOwner: () => null, dataAuth: authForDataAPI(auth) })
      const owner = bb.owner('supabase-owner')
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
      const keys = auth.forDatabase(db)
      anonKey = (await keys.createAPIKey({ name: 'browser', kind: 'anon' })).key
      serviceKey = (await keys.createAPIKey({ name: 'server', kind: 'service' })).key
    })
    afterAll(async () => {
      await sql
        .raw(`drop schema if exists "${auth?.schema}" cascade`)
        .execute(bb.kysely)
        .catch(() => {})
      await h?.close()
    })

    const supabase = (key: string) =>
      createClient(`http://localhost/db/${db.id}`, key, {
        auth: { persistSession: false, autoRefreshToken: false },
        global: {
          fetch: (input: RequestInfo | URL, init?: RequestInit) =>
            handler(new Request(input, init)),
        },
      })

    it('signs up, signs in, reads the user, uses the data API as that user, and signs out', async () => {
      const client = supabase(anonKey)
      const signUp = await client.auth.signUp({
        email: 'Ada@Example.com',
        password: 'correct horse battery staple',
        options: { data: { full_name: 'Ada' } },
      })
      expect(signUp.error).toBeNull()
      expect(signUp.data.user?.email).toBe('ada@example.com')
      expect(signUp.data.session?.access_token).toEqual(expect.any(String))
      await client.auth.signOut()

      const signIn = await client.auth.signInWithPassword({
        email: 'ada@example.com',
        password: 'correct horse battery staple',
      })
      expect(signIn.error).toBeNull()
      const { data: got } = await client.auth.getUser()
      expect(got.user).toMatchObject({
        email: 'ada@example.com',
        user_metadata: { full_name: 'Ada' },
      })

      const inserted = await client.from('notes').insert({ body: 'mine' }).select().single()
      expect(inserted.error).toBeNull()
      expect(inserted.data.owner_id).toBe(got.user!.id)
      expect((await client.from('notes').select('body')).data).toEqual([{ body: 'mine' }])

      const bob = supabase(anonKey)
      await bob.auth.signUp({ email: 'bob@example.com', password: 'another long password' })
      expect((await bob.from('notes').select('body')).data).toEqual([])
      expect(
        (await bob.from('notes').update({ body: 'hacked' }).eq('owner_id', got.user!.id).select())
          .data,
      ).toEqual([])

      const refreshed = await client.auth.refreshSession()
      expect(refreshed.error).toBeNull()
      expect(refreshed.data.session?.refresh_token).not.toBe(signIn.data.session!.refresh_token)

      expect((await client.auth.signOut()).error).toBeNull()
      const after = await client.from('notes').select('body')
      expect(after.data ?? []).toEqual([])
      expect((await supabase(serviceKey).from('notes').select('body')).data).toEqual([
        { body: 'mine' },
      ])
    })

    it('answers a wrong password, an unknown email and a taken email alike', async () => {
      const client = supabase(anonKey)
      await client.auth.signUp({ email: 'carol@example.com', password: 'carol password one' })
      const wrong = await client.auth.signInWithPassword({
        email: 'carol@example.com',
        password: 'not her password',
      })
      const unknown = await client.auth.signInWithPassword({
        email: 'nobody@example.com',
        password: 'not her password',
      })
      expect(wrong.error).toMatchObject({
        status: 400,
        code: 'invalid_credentials',
        message: 'Invalid login credentials',
      })
      expect([unknown.error?.status, unknown.error?.code, unknown.error?.message]).toEqual([
        400,
        'invalid_credentials',
        'Invalid login credentials',
      ])
      const taken = await client.auth.signUp({
        email: 'carol@example.com',
        password: 'a different password',
        options: { data: { plan: 'free' } },
      })
      expect(taken.error).toBeNull()
      expect(taken.data.session).toBeNull()
      expect(taken.data.user).toMatchObject({
        email: 'carol@example.com',
        user_metadata: { plan: 'free' },
      })
      // The taken account's metadata is not written by someone else's sign-up.
      const carol = await client.auth.signInWithPassword({
        email: 'carol@example.com',
        password: 'carol password one',
      })
      expect(carol.data.user?.user_metadata).toEqual({})
    })

    it('refuses a disabled user as GoTrue refuses a banned one, and ends its session', async () => {
      const client = supabase(anonKey)
      await client.auth.signUp({ email: 'dora@example.com', password: 'dora password one' })
      const signedIn = await client.auth.signInWithPassword({
        email: 'dora@example.com',
        password: 'dora password one',
      })
      expect(signedIn.error).toBeNull()
      await auth.forDatabase(db).admin.update(signedIn.data.user!.id, { disabled: true })
      const refused = await supabase(anonKey).auth.signInWithPassword({
        email: 'dora@example.com',
        password: 'dora password one',
      })
      expect(refused.error).toMatchObject({
        status: 400,
        code: 'user_banned',
        message: 'User is banned',
      })
      const wrong = await supabase(anonKey).auth.signInWithPassword({
        email: 'dora@example.com',
        password: 'not her password',
      })
      expect(wrong.error).toMatchObject({ status: 400, code: 'invalid_credentials' })
      expect((await client.auth.refreshSession()).error).toMatchObject({ status: 401 })
    })

    it('keeps user_metadata from signUp options.data and updateUser({ data }), bounded, never as a role', async () => {
      const client = supabase(anonKey)
      const signUp = await client.auth.signUp({
        email: 'meta@example.com',
        password: 'meta password one',
        options: {
          data: { full_name: 'Meta', plan: 'pro', prefs: { theme: 'dark' }, role: 'service_role' },
        },
      })
      expect(signUp.error).toBeNull()
      expect(signUp.data.user?.user_metadata).toEqual({
        full_name: 'Meta',
        plan: 'pro',
        prefs: { theme: 'dark' },
        role: 'service_role',
      })
      expect(signUp.data.user?.role).toBe('authenticated')
      const claims = JSON.parse(
        Buffer.from(signUp.data.session!.access_token.split('.')[1]!, 'base64url').toString(),
      ) as Record<string, unknown>
      expect(claims.role).toBe('authenticated')
      expect(claims).not.toHaveProperty('user_metadata')
      // The metadata's "role" gives no privilege: the service-only users table stays refused.
      expect((await client.from('users').select('email')).error?.code).toBe('42501')

      const updated = await client.auth.updateUser({ data: { plan: null, seats: 3 } })
      expect(updated.error).toBeNull()
      expect(updated.data.user?.user_metadata).toEqual({
        full_name: 'Meta',
        prefs: { theme: 'dark' },
        role: 'service_role',
        seats: 3,
      })
      expect((await client.auth.getUser()).data.user?.user_metadata).toEqual(
        updated.data.user?.user_metadata,
      )
      const big = await client.auth.updateUser({ data: { blob: 'x'.repeat(20_000) } })
      expect(big.error?.status).toBe(400)
      const appMetadata = await handler(
        new Request(`http://localhost/db/${db.id}/auth/v1/user`, {
          method: 'PUT',
          headers: {
            apikey: anonKey,
            authorization: `Bearer ${signUp.data.session!.access_token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ app_metadata: { role: 'admin' } }),
        }),
      )
      expect(appMetadata.status).toBe(403)
    })

    it('changes the password with updateUser({ password }) for a recent sign-in', async () => {
      const client = supabase(anonKey)
      await client.auth.signUp({ email: 'pw@example.com', password: 'first password one' })
      const other = supabase(anonKey)
      await other.auth.signInWithPassword({
        email: 'pw@example.com',
        password: 'first password one',
      })
      const changed = await client.auth.updateUser({ password: 'second password two' })
      expect(changed.error).toBeNull()
      expect((await other.auth.getUser()).error?.status).toBe(401)
      expect(
        (
          await supabase(anonKey).auth.signInWithPassword({
            email: 'pw@example.com',
            password: 'first password one',
          })
        ).error?.code,
      ).toBe('invalid_credentials')
      expect(
        (
          await supabase(anonKey).auth.signInWithPassword({
            email: 'pw@example.com',
            password: 'second password two',
          })
        ).error,
      ).toBeNull()
      clock += 25 * 3_600_000
      await client.auth.refreshSession()
      const stale = await client.auth.updateUser({ password: 'third password three' })
      expect(stale.error).toMatchObject({ status: 400, code: 'reauthentication_needed' })
    })

    it('gives a refresh token reused within 10 s the same new pair, and revokes the family after', async () => {
      const client = supabase(anonKey)
      const { data } = await client.auth.signUp({
        email: 'tabs@example.com',
        password: 'two tabs password',
      })
      const original = data.session!.refresh_token
      const tabA = await supabase(anonKey).auth.refreshSession({ refresh_token: original })
      clock += 5_000
      const tabB = await supabase(anonKey).auth.refreshSession({ refresh_token: original })
      expect(tabA.error).toBeNull()
      expect(tabB.error).toBeNull()
      expect(tabB.data.session?.refresh_token).toBe(tabA.data.session?.refresh_token)
      expect(tabB.data.session?.access_token).toBe(tabA.data.session?.access_token)
      clock += 6_000
      const late = await supabase(anonKey).auth.refreshSession({ refresh_token: original })
      expect(late.error?.status).toBe(401)
      expect(
        (
          await supabase(anonKey).auth.refreshSession({
            refresh_token: tabA.data.session!.refresh_token,
          })
        ).error?.status,
      ).toBe(401)
    })

    it('manages users with auth.admin and the service key, and refuses it to others', async () => {
      const admin = supabase(serviceKey).auth.admin
      const created = await admin.createUser({
        email: 'staff@example.com',
        password: 'staff password one',
        email_confirm: true,
        user_metadata: { full_name: 'Staff', team: 'ops' },
      })
      expect(created.error).toBeNull()
      expect(created.data.user).toMatchObject({
        email: 'staff@example.com',
        user_metadata: { full_name: 'Staff', team: 'ops' },
        email_confirmed_at: expect.any(String),
      })
      const id = created.data.user!.id
      const taken = await admin.createUser({ email: 'staff@example.com' })
      expect(taken.error).toMatchObject({ status: 422, code: 'email_exists' })
      const listed = await admin.listUsers({ page: 1, perPage: 2 })
      expect(listed.error).toBeNull()
      expect(listed.data.users).toHaveLength(2)
      expect('total' in listed.data && listed.data.total).toBeGreaterThan(2)
      expect((await admin.getUserById(id)).data.user?.email).toBe('staff@example.com')
      const updated = await admin.updateUserById(id, {
        password: 'staff password two',
        user_metadata: { team: null, level: 2 },
      })
      expect(updated.error).toBeNull()
      expect(updated.data.user?.user_metadata).toEqual({ full_name: 'Staff', level: 2 })
      expect(
        (
          await supabase(anonKey).auth.signInWithPassword({
            email: 'staff@example.com',
            password: 'staff password two',
          })
        ).error,
      ).toBeNull()
      const deleted = await admin.deleteUser(id)
      expect(deleted.error).toBeNull()
      expect((await admin.getUserById(id)).error).toMatchObject({
        status: 404,
        code: 'user_not_found',
      })
      expect((await supabase(anonKey).auth.admin.listUsers()).error).toMatchObject({
        status: 403,
        code: 'not_admin',
      })
      const user = supabase(anonKey)
      const { data } = await user.auth.signUp({
        email: 'sneaky@example.com',
        password: 'sneaky password one',
      })
      const withToken = createClient(`http://localhost/db/${db.id}`, serviceKey, {
        auth: { persistSession: false, autoRefreshToken: false },
        global: {
          fetch: (input: RequestInfo | URL, init?: RequestInit) =>
            handler(new Request(input, init)),
          headers: { Authorization: `Bearer ${data.session!.access_token}` },
        },
      })
      expect((await withToken.auth.admin.listUsers()).error).toMatchObject({ status: 403 })
    })

    it('manages API keys through the management API: shown once, listed by prefix, revoked at once', async () => {
      const manage = createHandler({ basebox: bb, getOwner: () => 'supabase-owner', auth })
      const call = (method: string, path: string, body?: unknown) =>
        manage(
          new Request(`http://localhost${path}`, {
            method,
            ...(body
              ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
              : {}),
          }),
        )
      const created = await call('POST', `/api/database/${db.id}/keys`, {
        name: 'ci',
        kind: 'anon',
      })
      expect(created.status).toBe(201)
      const key = await created.json()
      expect(key.key).toEqual(expect.stringContaining(key.prefix))
      const listed = await (await call('GET', `/api/database/${db.id}/keys`)).json()
      expect(listed.find((k: { id: string }) => k.id === key.id)).not.toHaveProperty('key')
      expect(JSON.stringify(listed)).not.toContain(key.key)
      expect((await supabase(key.key).from('notes').select()).status).toBe(200)
      expect((await call('DELETE', `/api/database/${db.id}/keys/${key.id}`)).status).toBe(200)
      expect((await supabase(key.key).from('notes').select()).status).toBe(401)
      const audit = await (await call('GET', `/api/database/${db.id}/audit?limit=2`)).json()
      expect(audit.entries.map((e: { action: string }) => e.action)).toEqual([
        'keys.revoke',
        'keys.create',
      ])
      expect(JSON.stringify(audit)).not.toContain(key.key)
      expect(
        (
          await createHandler({ basebox: bb, getOwner: () => 'supabase-owner' })(
            new Request(`http://localhost/api/database/${db.id}/keys`),
          )
        ).status,
      ).toBe(422)
    })

    it('refuses requests without a valid API key or with a forged token, before any query', async () => {
      expect((await supabase('not-a-key').from('notes').select()).status).toBe(401)
      const forged = createClient(`http://localhost/db/${db.id}`, anonKey, {
        auth: { persistSession: false },
        global: {
          fetch: (input: RequestInfo | URL, init?: RequestInit) =>
            handler(new Request(input, init)),
          headers: { Authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' },
        },
      })
      expect((await forged.from('notes').select()).status).toBe(401)
    })
  })
}
