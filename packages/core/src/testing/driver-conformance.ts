import { afterAll, beforeAll, describe } from 'vitest'
import { describeAccessConformance } from './conformance-access.js'
import { describeAttackConformance } from './conformance-attacks.js'
import { describeAuditConformance } from './conformance-audit.js'
import { describeLifecycleConformance } from './conformance-lifecycle.js'
import { describeRecordsConformance } from './conformance-records.js'
import { describeSchemaConformance } from './conformance-schema.js'
import { describeSQLConformance } from './conformance-sql.js'
import { describeTransferConformance } from './conformance-transfer.js'
import type { TestHarness } from './harness.js'

/**
 * The conformance suite every backend must pass with identical results: projects, databases,
 * owner isolation, table definitions, every plan step, rollback and injection. Call it from a
 * test file with a function that creates the harness (run once, closed after the suite).
 */
export function describeDriverConformance(
  name: string,
  createHarness: () => Promise<TestHarness>,
): void {
  describe(`${name}: conformance`, () => {
    let harness: TestHarness | undefined
    beforeAll(async () => {
      harness = await createHarness()
    })
    afterAll(async () => {
      await harness?.close()
    })
    const get = () => {
      if (harness === undefined) {
        throw new Error('the harness failed to start')
      }
      return harness
    }
    describe(`${name}: lifecycle`, () => describeLifecycleConformance(get))
    describe(`${name}: schema`, () => describeSchemaConformance(get))
    describe(`${name}: records`, () => describeRecordsConformance(get))
    describe(`${name}: sql`, () => describeSQLConformance(get))
    describe(`${name}: transfer`, () => describeTransferConformance(get))
    describe(`${name}: audit`, () => describeAuditConformance(get))
    describe(`${name}: access`, () => describeAccessConformance(get))
    describe(`${name}: attacks`, () => describeAttackConformance(get))
  })
}
