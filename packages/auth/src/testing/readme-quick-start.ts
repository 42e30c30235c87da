import { PGlite } from '@electric-sql/pglite'
import { createBasebox, isBaseboxError } from '@basebox/core'
import { pgliteDriver } from '@basebox/core/pglite'
import { createAuth, type AuthEmail } from '@basebox/auth'

const bb = await createBasebox({ driver: pgliteDriver(new PGlite()) })
const owner = bb.owner('host-user-42')
const db = await owner.createDatabase((await owner.createProject({ name: 'Blog' })).id)

// You send the emails; auth gives you the token to put in your link.
const outbox: AuthEmail[] = []
const auth = await createAuth({ basebox: bb, sendEmail: async (email) => void outbox.push(email) })
const users = auth.forDatabase(db)

await users.signUp({ email: 'Ada@Example.com', password: 'correct horse battery staple' })
const session = await users.signIn({
  email: 'ada@example.com',
  password: 'correct horse battery staple',
  ip: '203.0.113.7', // for per-address throttling
})
console.log(session.user.email) // 'ada@example.com'

// The access token is a JWT for this database only; checking it needs no query once warm.
const claims = await users.verifyAccessToken(session.access_token)
console.log(claims.role, claims.aud === db.id) // 'authenticated' true

// The sign-up sent a verification email (after answering: wait for it here).
await auth.settled()
console.log(outbox.map((email) => email.kind)) // ['email_verification']
await users.verifyEmail(outbox[0]!.token!)
console.log((await users.getUser(session.access_token)).email_verified_at !== null) // true

// Refresh tokens work once. Within 10 s the same token gets the same new tokens (two tabs
// refreshing at once); any later use means a copy exists: the whole session ends.
const next = await users.refresh(session.refresh_token)
console.log((await users.refresh(session.refresh_token)).refresh_token === next.refresh_token) // true
const third = await users.refresh(next.refresh_token)
try {
  await users.refresh(session.refresh_token)
} catch (error) {
  if (isBaseboxError(error)) {
    console.log(error.code) // 'UNAUTHENTICATED'
  }
}
await users.getUser(third.access_token).catch((error) => console.log(error.message)) // 'session ended'

// API keys: shown once, listed by prefix, stored hashed.
const { key } = await users.createAPIKey({ name: 'browser', kind: 'anon' })
console.log((await users.verifyAPIKey(key)).kind) // 'anon'

await bb.destroy()
