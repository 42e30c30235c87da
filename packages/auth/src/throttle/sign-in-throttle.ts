import { BaseboxError } from '@basebox/core'
import { hashToken } from '../tokens/random-token.js'
import type { ThrottleRule, ThrottleStore } from './throttle-store.js'

/**
 * The rules of sign-in throttling, one per kind of key. See {@link SignInThrottle} for how
 * they combine.
 */
export interface SignInThrottleRules {
  /** Failures for one account from one IP address. */
  readonly accountAndIP: ThrottleRule
  /** Failures for one account from every address: a slow brake on distributed guessing. */
  readonly account: ThrottleRule
  /** Failures from one IP address against every account: stops password spraying. */
  readonly ip: ThrottleRule
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** The default rules. Every wait is bounded (at most 15 minutes) and forgotten within a day. */
export const DEFAULT_SIGN_IN_THROTTLE_RULES: SignInThrottleRules = Object.freeze({
  accountAndIP: {
    freeFailures: 5,
    baseDelayMs: 1_000,
    maxDelayMs: 15 * MINUTE,
    forgetAfterMs: HOUR,
  },
  account: { freeFailures: 20, baseDelayMs: 1_000, maxDelayMs: 15 * MINUTE, forgetAfterMs: HOUR },
  ip: { freeFailures: 50, baseDelayMs: 1_000, maxDelayMs: 15 * MINUTE, forgetAfterMs: 24 * HOUR },
})

function limited(retryAfterMs: number): BaseboxError {
  return new BaseboxError('LIMIT_EXCEEDED', 'too many failed sign-in attempts, try again later', {
    details: { retry_after_ms: Math.ceil(retryAfterMs) },
  })
}

/** How long a successful sign-in from an address makes that address known for the account. */
export const KNOWN_ADDRESS_MS = 30 * 24 * HOUR

/**
 * Sign-in throttling for one database, over a {@link ThrottleStore}:
 *
 * - Each failure counts against three keys: the account from this IP address, the account from
 *   anywhere, and this IP address against any account. Past each rule's free failures, the key
 *   must wait (1 s, doubling, at most 15 min) and attempts meanwhile are refused with
 *   `LIMIT_EXCEEDED` and `details.retry_after_ms`, before any password is hashed.
 * - Unknown emails are counted exactly like real ones: throttling reveals nothing.
 * - A lockout cannot be used to keep a victim out for good. Every wait is bounded and failures
 *   are forgotten after an hour of quiet; and an address that has signed in to the account
 *   successfully (in the last 30 days) is exempt from the account-wide wait, so an attacker
 *   guessing from elsewhere never blocks the owner at their usual addresses. A password reset
 *   always works and clears the account's count.
 * - Without an IP address (the host did not pass one) only the account-wide rule applies.
 *
 * @internal
 */
export class SignInThrottle {
  readonly #store: ThrottleStore
  readonly #rules: SignInThrottleRules
  readonly #databaseId: string

  constructor(store: ThrottleStore, rules: SignInThrottleRules, databaseId: string) {
    this.#store = store
    this.#rules = rules
    this.#databaseId = databaseId
  }

  #key(...parts: string[]): string {
    // Digests, so that no store ever holds an email or an address.
    return hashToken([this.#databaseId, ...parts].join('\u0000'))
  }

  #keys(email: string, ip: string | undefined) {
    return {
      account: this.#key('account', email),
      pair: ip === undefined ? undefined : this.#key('account+ip', email, ip),
      ip: ip === undefined ? undefined : this.#key('ip', ip),
    }
  }

  /** Throws `LIMIT_EXCEEDED` when this attempt must wait. */
  async check(email: string, ip: string | undefined, nowMs: number): Promise<void> {
    const keys = this.#keys(email, ip)
    const [account, pair, address] = await this.#store.peek(
      [keys.account, ...(keys.pair === undefined ? [] : [keys.pair, keys.ip!])],
      nowMs,
    )
    const waits = [
      pair?.known === true ? 0 : account!.retryAfterMs,
      pair?.retryAfterMs ?? 0,
      address?.retryAfterMs ?? 0,
    ]
    const retryAfterMs = Math.max(...waits)
    if (retryAfterMs > 0) {
      throw new BaseboxError(
        'LIMIT_EXCEEDED',
        'too many failed sign-in attempts, try again later',
        {
          details: { retry_after_ms: Math.ceil(retryAfterMs) },
        },
      )
    }
  }

  /**
   * Lets one attempt through, counted as a failure BEFORE its password is hashed (a success
   * clears it with {@link SignInThrottle.succeeded}): `LIMIT_EXCEEDED` when a key must wait, or
   * when other attempts were counted between this one's check and its count and the key has no
   * free failures left for it. So a burst of N attempts at once for one account hashes at most
   * its free failures' worth of passwords, not N, on one server or several sharing a store.
   */
  async attempt(email: string, ip: string | undefined, nowMs: number): Promise<void> {
    const keys = this.#keys(email, ip)
    const before = await this.#store.peek(
      [keys.account, ...(keys.pair === undefined ? [] : [keys.pair, keys.ip!])],
      nowMs,
    )
    const [account, pair, address] = before
    const retryAfterMs = Math.max(
      pair?.known === true ? 0 : account!.retryAfterMs,
      pair?.retryAfterMs ?? 0,
      address?.retryAfterMs ?? 0,
    )
    if (retryAfterMs > 0) {
      throw limited(retryAfterMs)
    }
    // The account's keys are counted now; a success clears them. The address's key, which a
    // success does not clear, is counted after a failure only (see failedFromAddress).
    const after = await this.#store.fail(
      [
        { key: keys.account, rule: this.#rules.account },
        ...(keys.pair === undefined ? [] : [{ key: keys.pair, rule: this.#rules.accountAndIP }]),
      ],
      nowMs,
    )
    const rules = [this.#rules.account, this.#rules.accountAndIP]
    const raced = after.some(
      (status, i) =>
        !(i === 0 && pair?.known === true) &&
        status.failures > before[i]!.failures + 1 &&
        status.failures > rules[i]!.freeFailures + 1,
    )
    if (raced) {
      throw limited(rules.reduce((ms, rule) => Math.max(ms, rule.baseDelayMs), 0))
    }
  }

  /** Counts a failed attempt (already counted for the account by {@link SignInThrottle.attempt}) against the address. */
  async failedFromAddress(ip: string | undefined, nowMs: number): Promise<void> {
    if (ip !== undefined) {
      await this.#store.fail([{ key: this.#key('ip', ip), rule: this.#rules.ip }], nowMs)
    }
  }

  /** Counts a failed attempt against all three keys. */
  async failed(email: string, ip: string | undefined, nowMs: number): Promise<void> {
    const keys = this.#keys(email, ip)
    await this.#store.fail(
      [
        { key: keys.account, rule: this.#rules.account },
        ...(keys.pair === undefined
          ? []
          : [
              { key: keys.pair, rule: this.#rules.accountAndIP },
              { key: keys.ip!, rule: this.#rules.ip },
            ]),
      ],
      nowMs,
    )
  }

  /** Clears the account's counts after a success, and remembers the address as known. */
  async succeeded(email: string, ip: string | undefined, nowMs: number): Promise<void> {
    const keys = this.#keys(email, ip)
    await this.#store.succeed([keys.account], nowMs)
    if (keys.pair !== undefined) {
      await this.#store.succeed([keys.pair], nowMs, { rememberForMs: KNOWN_ADDRESS_MS })
    }
  }

  /** Clears the account-wide count (after a password reset proved ownership of the email). */
  async cleared(email: string, nowMs: number): Promise<void> {
    await this.#store.succeed([this.#keys(email, undefined).account], nowMs)
  }
}
