import type { Basebox, DatabaseHandle } from '@basebox/core'
import type { TestHarness } from '@basebox/core/testing'
import { sql } from 'kysely'
import { vi, type Mock } from 'vitest'
import type { AuthEmail } from '../auth-email.js'
import { createAuth, type Auth, type AuthConfig } from '../create-auth.js'
import type { DatabaseAuth } from '../database-auth/index.js'
import { createArgon2idHasher, type PasswordHasher } from '../password/password-hasher.js'
import { authSchemaName } from '../storage/auth-schema.js'

/** Cheap argon2id parameters for tests (the OWASP defaults are tested once, in password-hasher.test.ts). */
export const TEST_ARGON2_PARAMS = { memoryKiB: 64, iterations: 1, parallelism: 1 }

/** A hasher whose calls can be counted. */
export interface SpiedHasher extends PasswordHasher {
  hash: Mock<PasswordHasher['hash']>
  verify: Mock<PasswordHasher['verify']>
}

/** Wraps a hasher in spies. */
export function spiedHasher(
  inner: PasswordHasher = createArgon2idHasher(TEST_ARGON2_PARAMS),
): SpiedHasher {
  return {
    hash: vi.fn((password: string) => inner.hash(password)),
    verify: vi.fn((hash: string, password: string) => inner.verify(hash, password)),
    needsRehash: (hash) => inner.needsRehash(hash),
    ...(inner.withinPolicy === undefined
      ? {}
      : { withinPolicy: (hash: string) => inner.withinPolicy!(hash) }),
  }
}

/** What a {@link StatementCounter} counts. */
export interface StatementCounterOptions {
  /** Counts only the statements whose SQL text matches. Default is every statement. */
  matching?: RegExp
}

/** Counts the database statements sent while it runs `fn` (every query, exec or transaction). */
export type StatementCounter = <T>(
  fn: () => Promise<T>,
  options?: StatementCounterOptions,
) => Promise<{ result: T | undefined; error: unknown; statements: number }>

/** What every part of the auth suite shares: one engine, two project databases, one auth. */
export interface SuiteContext {
  readonly name: string
  readonly harness: TestHarness
  readonly bb: Basebox
  readonly auth: Auth
  /** Project A's database and its auth. */
  readonly db: DatabaseHandle
  readonly users: DatabaseAuth
  /** Project B's database and its auth (the "other project"). */
  readonly otherDb: DatabaseHandle
  readonly otherUsers: DatabaseAuth
  readonly hasher: SpiedHasher
  /** Every email auth asked to send, in order. */
  readonly emails: AuthEmail[]
  /** The auth clock (epoch ms); tests move it forward only. */
  now(): number
  advance(ms: number): void
  readonly count: StatementCounter
  /** Another auth on the same engine, with its own options (same clock and emails). */
  makeAuth(config?: Partial<AuthConfig>): Promise<Auth>
  /** Waits for the background work (email tokens, emails) of every auth made here. */
  settled(): Promise<void>
  /** Every email sent so far, once the background work has settled. */
  outbox(): Promise<AuthEmail[]>
}

let serial = 0

/** A new unique email address. */
export function newEmail(label = 'user'): string {
  serial++
  return `${label}-${serial}-${crypto.randomUUID().slice(0, 8)}@example.com`
}

/** A password that passes the policy. */
export const PASSWORD = 'correct horse battery staple'

/** Builds the shared context on a harness. */
export async function createSuiteContext(
  name: string,
  harness: TestHarness,
  count: StatementCounter,
): Promise<SuiteContext> {
  const bb = await harness.engine()
  const emails: AuthEmail[] = []
  let clock = Date.now()
  const hasher = spiedHasher()
  const base: AuthConfig = {
    basebox: bb,
    passwordHasher: hasher,
    sendEmail: async (message) => {
      emails.push(message)
    },
    now: () => clock,
  }
  const auths: Auth[] = []
  const make = async (config: Partial<AuthConfig> = {}) => {
    const made = await createAuth({ ...base, ...config })
    auths.push(made)
    return made
  }
  const auth = await make()
  const owner = bb.owner('auth-suite')
  const db = await owner.createDatabase((await owner.createProject({ name: 'A' })).id)
  const otherDb = await owner.createDatabase((await owner.createProject({ name: 'B' })).id)
  return {
    name,
    harness,
    bb,
    auth,
    db,
    users: auth.forDatabase(db),
    otherDb,
    otherUsers: auth.forDatabase(otherDb),
    hasher,
    emails,
    now: () => clock,
    advance(ms) {
      clock += ms
    },
    count,
    makeAuth: make,
    async settled() {
      await Promise.all(auths.map((a) => a.settled()))
    },
    async outbox() {
      await Promise.all(auths.map((a) => a.settled()))
      return emails
    },
  }
}

/** Drops the auth schema (the harness drops the catalog and the project schemas). */
export async function dropAuthSchema(bb: Basebox): Promise<void> {
  await sql
    .raw(`drop schema if exists "${authSchemaName(bb.catalog.schema)}" cascade`)
    .execute(bb.kysely)
}

/** Runs `fn`, expecting a `BaseboxError`; returns it. */
export async function rejection(
  fn: () => Promise<unknown>,
): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  try {
    await fn()
  } catch (error) {
    return error as { code: string; message: string; details?: Record<string, unknown> }
  }
  throw new Error('expected a rejection')
}

/** Signs up and in; returns the session. */
export async function signedIn(users: DatabaseAuth, email = newEmail(), password = PASSWORD) {
  await users.signUp({ email, password })
  return users.signIn({ email, password })
}
