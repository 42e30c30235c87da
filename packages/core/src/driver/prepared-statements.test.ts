import { describe, expect, it } from 'vitest'
import { isStalePreparedStatement } from './prepared-statements.js'

// The real errors (from pg, PGlite and the PGlite worker's protocol reader) are raised in
// atomic-batch.test.ts, which alters a column under a prepared statement; these pin down what
// the check reads: the SQLSTATE and the routine, not the (translatable) message.
describe('isStalePreparedStatement', () => {
  it('knows a changed result type by its code and routine, in any language', () => {
    expect(
      isStalePreparedStatement({
        code: '0A000',
        routine: 'RevalidateCachedQuery',
        message: 'cached plan must not change result type',
      }),
    ).toBe(true)
    expect(
      isStalePreparedStatement({
        code: '0A000',
        routine: 'RevalidateCachedQuery',
        message: 'gespeicherter Plan darf den Ergebnistyp nicht ändern',
      }),
    ).toBe(true)
  })

  it('knows a gone statement by its code', () => {
    expect(
      isStalePreparedStatement({
        code: '26000',
        message: 'prepared statement "b1" does not exist',
      }),
    ).toBe(true)
  })

  it('is false for another feature-not-supported error, whatever its message says', () => {
    expect(
      isStalePreparedStatement({
        code: '0A000',
        routine: 'transformLockingClause',
        message: 'cached plan must not change result type',
      }),
    ).toBe(false)
    expect(
      isStalePreparedStatement({
        code: '0A000',
        message: 'cached plan must not change result type',
      }),
    ).toBe(false)
  })

  it('is false for anything that is not a Postgres error', () => {
    for (const value of [
      undefined,
      null,
      'x',
      42,
      new Error('cached plan must not change result type'),
      {},
    ]) {
      expect(isStalePreparedStatement(value)).toBe(false)
    }
  })
})
