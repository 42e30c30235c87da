// The demo app's end-user sessions, one per database, kept in memory for the page's life (as an
// app keeps its session): @basebox/auth signs up, signs in, refreshes and signs out on the
// page's engine, and `createLocalDataClient` reaches the rows with the session's access token,
// as the data API does with `Authorization: Bearer`.
import type { Auth, AuthSession, DatabaseAuth } from '@basebox/auth'
import { createLocalDataClient, type Basebox, type LocalDataClient } from '@basebox/core'
import { useSyncExternalStore } from 'react'

/** The page's engine and end-user auth, which the demo app runs on. */
export interface DemoEngine {
  engine: Basebox
  auth: Auth
}

const sessions = new Map<string, AuthSession>()
const listeners = new Set<() => void>()

function setSession(databaseId: string, session: AuthSession | null): void {
  if (session === null) {
    sessions.delete(databaseId)
  } else {
    sessions.set(databaseId, session)
  }
  for (const listener of listeners) {
    listener()
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** The end user signed in to the demo app of a database, or `null`. */
export function useEndUserSession(databaseId: string): AuthSession | null {
  return useSyncExternalStore(subscribe, () => sessions.get(databaseId) ?? null)
}

/** One database's auth (`auth.forDatabase`), for the database as the data API finds it. */
async function authOf({ engine, auth }: DemoEngine, databaseId: string): Promise<DatabaseAuth> {
  return auth.forDatabase(await engine.databaseById(databaseId))
}

/** Signs up, then signs in as GoTrue's sign-up does (refused while the email is unconfirmed, when required). */
export async function signUp(
  demo: DemoEngine,
  databaseId: string,
  email: string,
  password: string,
): Promise<AuthSession> {
  const users = await authOf(demo, databaseId)
  await users.signUp({ email, password })
  // The verification email is stored and sent after the answer: wait so the outbox shows it.
  await demo.auth.settled()
  return signIn(demo, databaseId, email, password)
}

/** Signs in; the session becomes the demo app's. */
export async function signIn(
  demo: DemoEngine,
  databaseId: string,
  email: string,
  password: string,
): Promise<AuthSession> {
  const session = await (
    await authOf(demo, databaseId)
  ).signIn({ email, password, user_agent: navigator.userAgent })
  setSession(databaseId, session)
  return session
}

/** Ends the session (on the engine too: its refresh token stops working). */
export async function signOut(demo: DemoEngine, databaseId: string): Promise<void> {
  const session = sessions.get(databaseId)
  setSession(databaseId, null)
  if (session !== undefined) {
    await (await authOf(demo, databaseId)).signOut(session.access_token)
  }
}

/** Confirms an address with the token of an `email_verification` email. */
export async function verifyEmail(
  demo: DemoEngine,
  databaseId: string,
  token: string,
): Promise<void> {
  await (await authOf(demo, databaseId)).verifyEmail(token)
}

/** How long before its expiry an access token is exchanged for a new one. */
const REFRESH_MARGIN_SECONDS = 60

/**
 * The data client of the signed-in end user (anonymous when no one is), with an access token
 * refreshed shortly before it expires, as supabase-js does. A refused refresh (the session was
 * ended elsewhere) signs the user out and is thrown.
 */
export async function dataClient(demo: DemoEngine, databaseId: string): Promise<LocalDataClient> {
  let session = sessions.get(databaseId) ?? null
  if (session !== null && session.expires_at - Date.now() / 1000 < REFRESH_MARGIN_SECONDS) {
    try {
      session = await (await authOf(demo, databaseId)).refresh(session.refresh_token)
      setSession(databaseId, session)
    } catch (error) {
      setSession(databaseId, null)
      throw error
    }
  }
  return createLocalDataClient(demo.engine, databaseId, {
    auth: demo.auth,
    accessToken: session?.access_token ?? null,
  })
}
