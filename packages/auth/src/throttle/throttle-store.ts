/**
 * How failures against one key are paced: the first `freeFailures` cost nothing, then each
 * failure makes the key wait `baseDelayMs`, doubled per further failure, up to `maxDelayMs`.
 * Failures are forgotten `forgetAfterMs` after the last one, so no wait lasts for good.
 */
export interface ThrottleRule {
  /** Failures allowed before any wait. */
  readonly freeFailures: number
  /** The first wait, in milliseconds. */
  readonly baseDelayMs: number
  /** The longest wait, in milliseconds. */
  readonly maxDelayMs: number
  /** Failures are forgotten this long after the last one. */
  readonly forgetAfterMs: number
}

/** Where a key stands. */
export interface ThrottleStatus {
  /** Milliseconds until the key may be tried again; `0` when it may be tried now. */
  readonly retryAfterMs: number
  /** Failures counted against the key (after forgetting old ones). */
  readonly failures: number
  /** Whether the key was marked known by a success (see {@link ThrottleStore.succeed}). */
  readonly known: boolean
}

/** One failure to record: the key and the rule that paces it. */
export interface ThrottleHit {
  readonly key: string
  readonly rule: ThrottleRule
}

/**
 * Keeps failure counts and waits per key for sign-in throttling. Keys are opaque (the auth
 * package passes SHA-256 digests, never emails or addresses). Implementations:
 * {@link MemoryThrottleStore} (one process, the default) and {@link PostgresThrottleStore}
 * (shared by every server on the same database). Times are epoch milliseconds given by the
 * caller, so that a store never reads a clock of its own.
 */
export interface ThrottleStore {
  /** The status of each key, in order. */
  peek(keys: readonly string[], nowMs: number): Promise<ThrottleStatus[]>
  /** Records one failure against each key, atomically per key; returns the new statuses, in order. */
  fail(hits: readonly ThrottleHit[], nowMs: number): Promise<ThrottleStatus[]>
  /**
   * Clears the failures of each key after a success. With `rememberForMs`, also marks the keys
   * known until then (a device or network that signed in before).
   */
  succeed(
    keys: readonly string[],
    nowMs: number,
    options?: { rememberForMs?: number },
  ): Promise<void>
}

/** What a store keeps per key. @internal */
export interface ThrottleState {
  failures: number
  lastFailureMs: number
  blockedUntilMs: number
  knownUntilMs: number
}

/** The wait after `failures` failures under `rule`. @internal */
export function throttleDelayMs(rule: ThrottleRule, failures: number): number {
  if (failures <= rule.freeFailures) {
    return 0
  }
  return Math.min(
    rule.maxDelayMs,
    rule.baseDelayMs * 2 ** Math.min(failures - rule.freeFailures - 1, 40),
  )
}

/** The state after one more failure at `nowMs`. Shared by the stores (the Postgres one in SQL). @internal */
export function nextThrottleState(
  previous: ThrottleState | undefined,
  rule: ThrottleRule,
  nowMs: number,
): ThrottleState {
  const forgotten = previous === undefined || previous.lastFailureMs < nowMs - rule.forgetAfterMs
  const failures = forgotten ? 1 : previous.failures + 1
  const delay = throttleDelayMs(rule, failures)
  return {
    failures,
    lastFailureMs: nowMs,
    blockedUntilMs: delay > 0 ? nowMs + delay : (previous?.blockedUntilMs ?? 0),
    knownUntilMs: previous?.knownUntilMs ?? 0,
  }
}

/** The status of a state at `nowMs`; failures older than the longest forget time still count until replaced. @internal */
export function throttleStatus(state: ThrottleState | undefined, nowMs: number): ThrottleStatus {
  if (state === undefined) {
    return { retryAfterMs: 0, failures: 0, known: false }
  }
  return {
    retryAfterMs: Math.max(0, state.blockedUntilMs - nowMs),
    failures: state.failures,
    known: state.knownUntilMs > nowMs,
  }
}
