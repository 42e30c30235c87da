import type { TestHarness } from '@basebox/core/testing'
import { afterAll, beforeAll, describe } from 'vitest'
import { describeAccounts } from './suite-accounts.js'
import { describeAPIKeyLastUse } from './suite-api-keys.js'
import { describeAttacks } from './suite-attacks.js'
import {
  createSuiteContext,
  dropAuthSchema,
  type StatementCounter,
  type SuiteContext,
} from './suite-context.js'
import { describeGoTrue } from './suite-gotrue.js'
import { describeTokens } from './suite-tokens.js'

/**
 * The auth suite, run against one backend: one engine, two project databases, real queries.
 * Called by auth.pglite.test.ts (always) and auth.pg.test.ts (when DATABASE_URL is set) with a
 * way to start the harness and a statement counter on its backend.
 */
export function describeAuthSuite(
  name: string,
  start: () => Promise<{ harness: TestHarness; count: StatementCounter }>,
): void {
  describe(`${name}: auth`, () => {
    let ctx: SuiteContext | undefined
    let harness: TestHarness | undefined
    beforeAll(async () => {
      const started = await start()
      harness = started.harness
      ctx = await createSuiteContext(name, started.harness, started.count)
    })
    afterAll(async () => {
      if (ctx !== undefined) {
        await dropAuthSchema(ctx.bb)
      }
      await harness?.close()
    })
    const get = () => {
      if (ctx === undefined) {
        throw new Error('the auth suite failed to start')
      }
      return ctx
    }
    describe(`${name}: accounts and sessions`, () => describeAccounts(get))
    describe(`${name}: tokens and API keys`, () => describeTokens(get))
    describe(`${name}: API key last use`, () => describeAPIKeyLastUse(get))
    describe(`${name}: attacks`, () => describeAttacks(get))
    describe(`${name}: GoTrue features`, () => describeGoTrue(get))
  })
}

/** Counts calls to the given methods of an object while `fn` runs. */
export function methodCounter(target: object, methods: readonly string[]): StatementCounter {
  return async (fn, options = {}) => {
    let statements = 0
    const record = target as Record<string, (...args: unknown[]) => unknown>
    const originals = methods.map((method) => [method, record[method]!] as const)
    for (const [method, original] of originals) {
      record[method] = function (this: unknown, ...args: unknown[]) {
        if (options.matching === undefined || options.matching.test(statementText(args[0]))) {
          statements++
        }
        return original.apply(this, args)
      }
    }
    try {
      return { result: await fn(), error: undefined, statements }
    } catch (error) {
      return { result: undefined, error, statements }
    } finally {
      for (const [method, original] of originals) {
        record[method] = original
      }
    }
  }
}

// PGlite takes the SQL text first; pg takes it first too, or a config object with `text`.
function statementText(first: unknown): string {
  if (typeof first === 'string') {
    return first
  }
  if (typeof first === 'object' && first !== null && 'text' in first) {
    return String((first as { text: unknown }).text)
  }
  return ''
}
