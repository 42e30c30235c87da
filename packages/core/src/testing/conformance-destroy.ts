import { CompiledQuery, Kysely, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { DriverDestroyedError, type Driver } from '../driver/driver.js'

/** A driver that owns its backend, and how to tell that the backend was released. */
export interface DestroyableDriver {
  driver: Driver
  /** Whether what the driver held is released (the pool ended, PGlite or the worker closed). */
  released(): boolean
}

async function expectDestroyed(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(DriverDestroyedError)
  expect((error as DriverDestroyedError).code).toBe('UNSUPPORTED')
}

/**
 * The destroy contract every {@link Driver} keeps: `destroy()` releases what the driver holds,
 * is idempotent, and every later call (the dialect's queries, `runAtomic`, `runSQLSession`)
 * fails with a {@link DriverDestroyedError}. `open` makes a driver that owns its backend.
 */
export function describeDriverDestroyConformance(
  name: string,
  open: () => Promise<DestroyableDriver>,
): void {
  describe(`${name}: destroy`, () => {
    it('releases what the driver holds; later calls fail with DriverDestroyedError', async () => {
      const { driver, released } = await open()
      const db = new Kysely<Record<string, never>>({ dialect: driver.createDialect() })
      try {
        expect((await sql`select 1 as one`.execute(db)).rows).toHaveLength(1)
        expect(released()).toBe(false)
        await driver.destroy()
        expect(released()).toBe(true)
        // Idempotent, and so is the teardown through kysely that the engine also runs.
        await driver.destroy()
        await expectDestroyed(sql`select 1`.execute(db))
        await expectDestroyed(
          driver.runSQLSession(
            { role: 'r', password: '', schema: 's' },
            { readOnly: true, timeoutMs: 1_000 },
            async () => 'ran',
          ),
        )
        if (driver.runAtomic) {
          await expectDestroyed(driver.runAtomic([CompiledQuery.raw('select 1')]))
        }
      } finally {
        await db.destroy()
        await driver.destroy()
      }
      expect(released()).toBe(true)
    })
  })
}
